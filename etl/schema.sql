-- Core schema of the CCHC database: reference tables, the typed dossier table and the audit tables.
-- Raw rows as read live in raw_dossier_rows; dossiers holds one typed row per (source, dossier_code),
-- the newest snapshot winning.

CREATE TABLE IF NOT EXISTS import_log (
    import_id      INTEGER PRIMARY KEY,
    file_name      VARCHAR NOT NULL,
    file_path      VARCHAR NOT NULL,
    content_hash   VARCHAR NOT NULL,
    kind           VARCHAR NOT NULL,
    source         VARCHAR,
    sheet          VARCHAR,
    header_row     INTEGER,
    snapshot_date  DATE,
    rows_read      INTEGER NOT NULL,
    rows_loaded    INTEGER NOT NULL,
    rows_updated   INTEGER NOT NULL,
    rows_unchanged INTEGER NOT NULL,
    rows_rejected  INTEGER NOT NULL,
    rows_skipped   INTEGER NOT NULL,
    dropped_columns VARCHAR[],
    ignored_columns VARCHAR[],
    imported_at    TIMESTAMP NOT NULL,
    seconds        DOUBLE
);
-- Who loaded the file from the browser (the account; NULL: the command line). Added, not declared above, so a
-- database made before it gets the same column order as a new one (the importer inserts by position).
ALTER TABLE import_log ADD COLUMN IF NOT EXISTS loaded_by VARCHAR;

CREATE TABLE IF NOT EXISTS units (
    unit_code      VARCHAR PRIMARY KEY,
    unit_name      VARCHAR NOT NULL,
    level          VARCHAR NOT NULL,
    parent_code    VARCHAR,
    aliases        VARCHAR[],
    valid_from     DATE,
    valid_to       DATE,
    successor_code VARCHAR
);

-- How units were reorganized (spec indicators.md §5): the share of a predecessor (of its area, its population…:
-- share_basis) that went to a successor from effective_date. Many-to-many: a ward split between two new wards has
-- two rows, a new ward formed from parts of several old ones has one row per part. Shares of one predecessor on
-- one date add up to 100 % at most (checked at load). Written by the units file's successor_code column (origin
-- 'units') and by a succession file (origin 'successions'); a units.successor_code set by an older version
-- without a row here is read as a whole merger (model/units.py SUCCESSIONS_SQL).
CREATE TABLE IF NOT EXISTS unit_successions (
    predecessor_code VARCHAR NOT NULL,
    successor_code   VARCHAR NOT NULL,
    share            DOUBLE NOT NULL CHECK (share > 0 AND share <= 1),
    effective_date   DATE,
    share_basis      VARCHAR,
    source_document  VARCHAR,
    origin           VARCHAR NOT NULL
);

-- Every text a dossier export may use for a unit, normalized (see etl/text.py norm_key).
CREATE TABLE IF NOT EXISTS unit_keys (
    unit_key  VARCHAR NOT NULL,
    unit_code VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS procedures (
    procedure_code       VARCHAR PRIMARY KEY,
    procedure_name       VARCHAR,
    field_name           VARCHAR,
    online_level         VARCHAR CHECK (online_level IN ('full', 'partial', 'none')),
    statutory_days       INTEGER,
    has_fee              BOOLEAN,
    has_internal_process BOOLEAN
);

-- Which units publish a procedure in their catalogue (a unit code, or every unit of a level).
CREATE TABLE IF NOT EXISTS procedure_units (
    procedure_code VARCHAR NOT NULL,
    unit_code      VARCHAR NOT NULL,
    PRIMARY KEY (procedure_code, unit_code)
);

-- Public holidays and compensatory days off: avg_days counts working days without them. Refreshed from the
-- `holidays` package and etl/vocab/holidays.csv (editable) at every load (etl/references/holidays.py).
CREATE TABLE IF NOT EXISTS holidays (
    holiday_date DATE PRIMARY KEY,
    name         VARCHAR NOT NULL
);

-- Weekend days worked in exchange for a bridge day off (Saturday 04/05/2024 for Monday 29/04/2024): working days
-- although a Saturday or Sunday (indicators.md). Refreshed with the holidays.
CREATE TABLE IF NOT EXISTS weekend_workdays (
    work_date DATE PRIMARY KEY,
    name      VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS targets (
    year        INTEGER NOT NULL,
    scope       VARCHAR NOT NULL,
    indicator   VARCHAR NOT NULL,
    comparator  VARCHAR NOT NULL CHECK (comparator IN ('>=', '>', '<=', '<', '=')),
    target_value DOUBLE NOT NULL,
    source_document VARCHAR,
    PRIMARY KEY (year, scope, indicator)
);

CREATE TABLE IF NOT EXISTS dossiers (
    source            VARCHAR NOT NULL,
    dossier_code      VARCHAR NOT NULL USING COMPRESSION zstd,   -- unique: as the raw layer's (below)
    unit_text         VARCHAR NOT NULL,
    unit_code         VARCHAR,
    procedure_code    VARCHAR,
    procedure_name    VARCHAR,
    field_name        VARCHAR,
    channel           VARCHAR NOT NULL CHECK (channel IN ('direct', 'online', 'postal')),
    online_level      VARCHAR CHECK (online_level IN ('full', 'partial', 'none')),
    submitted_at      TIMESTAMP,
    received_at       TIMESTAMP NOT NULL,
    due_at            TIMESTAMP,
    -- true: the export had no due date and due_at is the procedure's statutory time (etl/dossiers/due_dates.py)
    is_due_derived    BOOLEAN NOT NULL DEFAULT false,
    finished_at       TIMESTAMP,
    returned_at       TIMESTAMP,
    status_code       INTEGER CHECK (status_code BETWEEN 1 AND 10),
    status_text       VARCHAR,
    result_type       VARCHAR,
    supplement_count  INTEGER CHECK (supplement_count >= 0),
    fee_amount        DOUBLE,
    is_paid_online    BOOLEAN,
    is_digitized      BOOLEAN,
    has_e_result      BOOLEAN,
    is_data_reused    BOOLEAN,
    is_synced_national BOOLEAN,
    is_apology_issued BOOLEAN,
    rating            VARCHAR,
    applicant_type    VARCHAR,
    snapshot_date     DATE NOT NULL,
    import_id         INTEGER NOT NULL,
    row_number        INTEGER NOT NULL,
    row_hash          UBIGINT NOT NULL
    -- No PRIMARY KEY: (source, dossier_code) is unique by construction (a file's duplicates are rejected, a
    -- dossier already stored is replaced, never added twice: etl/dossiers/load.py; tests/test_incremental.py
    -- checks it). The index cost a 1,000,000-row load ~2 s of its commit, and a daily load into 10 million
    -- dossiers its whole key index read into memory and written back at the checkpoint.
);

CREATE TABLE IF NOT EXISTS rejected_rows (
    import_id       INTEGER NOT NULL,
    file_name       VARCHAR NOT NULL,
    sheet           VARCHAR,
    row_number      INTEGER,
    reason_code     VARCHAR NOT NULL,
    field           VARCHAR,
    reason          VARCHAR NOT NULL,
    original_values JSON
);

CREATE TABLE IF NOT EXISTS unmatched_units (
    unit_text   VARCHAR PRIMARY KEY,
    first_file  VARCHAR,
    dossier_count INTEGER
);

-- Raw layer: the mapped cells of every data row exactly as read, with file (import) and row number.
-- The dossier code and the receipt, due and finish times are a new text on nearly every row: ZSTD packs them for
-- less work than the dictionary-then-FSST coding DuckDB otherwise tries on each segment (a million rows written in
-- 0,62 s instead of 0,77, 0,28 s less CPU), in a raw table a quarter larger (49 MB instead of 39); the raw rows are
-- read only by a load's own notes and checks and by one-time update steps. Columns often empty keep the default:
-- ZSTD stores an empty cell as well (4 MB per million).
CREATE TABLE IF NOT EXISTS raw_dossier_rows (
    import_id  INTEGER NOT NULL,
    sheet      VARCHAR,
    row_number INTEGER NOT NULL,
    dossier_code     VARCHAR USING COMPRESSION zstd,
    unit             VARCHAR,
    procedure_code   VARCHAR,
    procedure_name   VARCHAR,
    field_name       VARCHAR,
    channel          VARCHAR,
    online_level     VARCHAR,
    submitted_at     VARCHAR,
    received_at      VARCHAR USING COMPRESSION zstd,
    due_at           VARCHAR USING COMPRESSION zstd,
    finished_at      VARCHAR USING COMPRESSION zstd,
    returned_at      VARCHAR,
    status           VARCHAR,
    result_type      VARCHAR,
    supplement_count VARCHAR,
    fee_amount       VARCHAR,
    paid_online      VARCHAR,
    digitized        VARCHAR,
    e_result         VARCHAR,
    data_reused      VARCHAR,
    synced_national  VARCHAR,
    apology_issued   VARCHAR,
    rating           VARCHAR,
    applicant_type   VARCHAR
);

-- SIPAS surveys (spec surveys.md). The catalogue of elements, criteria and expectation options of each method,
-- copied from etl/vocab/sipas_catalogue.csv (editable) at every survey import, so indicators/ can read it.
CREATE TABLE IF NOT EXISTS sipas_catalogue (
    method     VARCHAR NOT NULL,
    from_year  INTEGER NOT NULL,
    item_type  VARCHAR NOT NULL CHECK (item_type IN ('element', 'criterion', 'expectation')),
    element_no INTEGER CHECK (element_no BETWEEN 1 AND 5),
    item_code  VARCHAR NOT NULL,
    item_name  VARCHAR NOT NULL,
    PRIMARY KEY (method, item_type, item_code)
);

-- One row per questionnaire, keyed like dossiers on (source, response_id); source defaults to the file name with the unit
-- ("phieu.csv · Quận 3"): districts send files under the same name, numbered from 1.
-- survey_date is NULL when the export gives only the year.
CREATE TABLE IF NOT EXISTS survey_responses (
    source               VARCHAR NOT NULL,
    response_id          VARCHAR NOT NULL,
    unit_text            VARCHAR NOT NULL,
    unit_code            VARCHAR,
    survey_date          DATE,
    survey_year          INTEGER NOT NULL,
    field_name           VARCHAR,
    channel              VARCHAR,
    respondent_type      VARCHAR,
    gender               VARCHAR,
    age_group            VARCHAR,
    answer_count         INTEGER NOT NULL,   -- criterion and satisfaction answers given (valid or not)
    invalid_answer_count INTEGER NOT NULL,
    satisfaction_asked   INTEGER[] NOT NULL, -- elements whose satisfaction question (HL1…HL5) the form asks
    import_id            INTEGER NOT NULL,
    row_number           INTEGER NOT NULL,
    row_hash             UBIGINT NOT NULL,
    PRIMARY KEY (source, response_id)
);

-- One row per answered question: criterion '1.1', element satisfaction 'HL1'…'HL5', overall 'HL', and every
-- expectation option 'MD1'… (chosen or not). Blank and "Không trả lời" rating answers have no row; an answer
-- outside the scale is kept with is_valid = false and counts nowhere.
CREATE TABLE IF NOT EXISTS survey_answers (
    source        VARCHAR NOT NULL,
    response_id   VARCHAR NOT NULL,
    item_type     VARCHAR NOT NULL CHECK (item_type IN ('criterion', 'element', 'overall', 'expectation')),
    item_code     VARCHAR NOT NULL,
    element_no    INTEGER,
    answer_text   VARCHAR,
    score         INTEGER CHECK (score BETWEEN 1 AND 5),
    is_valid      BOOLEAN NOT NULL,
    is_favourable BOOLEAN
    -- No PRIMARY KEY: (source, response_id, item_code) is unique by construction (a sheet maps each item once;
    -- a questionnaire's answers are replaced as a whole), and the index tripled the load time of a survey file.
);

-- Published results in the long layout (unit, year, element, % satisfied, respondents), for units without
-- questionnaire microdata.
CREATE TABLE IF NOT EXISTS survey_aggregates (
    source           VARCHAR NOT NULL,
    unit_text        VARCHAR NOT NULL,
    unit_code        VARCHAR,
    survey_year      INTEGER NOT NULL,
    element_no       INTEGER NOT NULL CHECK (element_no BETWEEN 1 AND 5),
    satisfied_rate   DOUBLE NOT NULL CHECK (satisfied_rate BETWEEN 0 AND 1),
    respondent_count INTEGER NOT NULL CHECK (respondent_count > 0),
    import_id        INTEGER NOT NULL,
    row_number       INTEGER NOT NULL,
    PRIMARY KEY (source, unit_text, survey_year, element_no)
);

-- The 766 index (indicators.md §3). Inputs the dossier exports lack, as the portal or the one-stop system exports
-- them: one row per unit, period and input field (model/index766_vocab.csv), numerator over denominator. A later
-- file with the same unit text, period and field replaces the row.
-- Dossier ratings from a separate evaluation file keyed by dossier code (surveys.md: "They arrive in the dossier
-- export (`rating`) or as a separate evaluation file"; etl/ratings/). The latest file's rating of a dossier: it is
-- the dossier's rating whatever the order of the loads (etl/dossiers/load.py joins it to every dossier written).
CREATE TABLE IF NOT EXISTS dossier_ratings (
    source        VARCHAR NOT NULL,
    dossier_code  VARCHAR NOT NULL,
    rating        VARCHAR NOT NULL CHECK (rating IN ('very_satisfied', 'satisfied', 'neutral', 'dissatisfied',
                                                     'very_dissatisfied')),
    rated_at      TIMESTAMP,
    import_id     INTEGER NOT NULL,
    row_number    INTEGER NOT NULL,
    PRIMARY KEY (source, dossier_code)
);

CREATE TABLE IF NOT EXISTS index766_inputs (
    unit_text     VARCHAR NOT NULL,
    unit_code     VARCHAR,
    period_from   DATE NOT NULL,
    period_to     DATE NOT NULL,
    field         VARCHAR NOT NULL,
    numerator     DOUBLE NOT NULL CHECK (numerator >= 0),
    denominator   DOUBLE NOT NULL CHECK (denominator >= 0),
    import_id     INTEGER NOT NULL,
    row_number    INTEGER NOT NULL,
    PRIMARY KEY (unit_text, period_from, period_to, field),
    CHECK (period_from <= period_to),
    CHECK (numerator <= denominator)
);

-- Which procedures return a paper result (the denominator of criterion 6.1), loaded with the 766 inputs.
CREATE TABLE IF NOT EXISTS paper_result_procedures (
    procedure_code        VARCHAR PRIMARY KEY,
    requires_paper_result BOOLEAN NOT NULL,
    import_id             INTEGER NOT NULL,
    row_number            INTEGER NOT NULL
);

-- The scores the national portal published, per unit and period: the total ('total'), a group ('group:3') or a
-- criterion ('criterion:3.2'), for the reconciliation with the city's own figure.
CREATE TABLE IF NOT EXISTS index766_published (
    unit_text     VARCHAR NOT NULL,
    unit_code     VARCHAR,
    period_from   DATE NOT NULL,
    period_to     DATE NOT NULL,
    item          VARCHAR NOT NULL,
    points        DOUBLE NOT NULL CHECK (points >= 0),
    import_id     INTEGER NOT NULL,
    row_number    INTEGER NOT NULL,
    PRIMARY KEY (unit_text, period_from, period_to, item),
    CHECK (period_from <= period_to)
);

-- PAR INDEX (spec par-index.md). The framework of a year and a peer group (a unit level): one row per area,
-- criterion and sub-criterion, code '1', '1.1', '1.1.a'; loading a framework replaces the whole (year, peer_group)
-- unless the loaded one is a newer version (version_date).
CREATE TABLE IF NOT EXISTS par_framework (
    year         INTEGER NOT NULL,
    peer_group   VARCHAR NOT NULL,
    code         VARCHAR NOT NULL,
    parent_code  VARCHAR,
    depth        INTEGER NOT NULL,
    position     INTEGER NOT NULL,
    name         VARCHAR NOT NULL,
    max_points   DOUBLE NOT NULL CHECK (max_points >= 0),
    method       VARCHAR NOT NULL CHECK (method IN ('self', 'survey', 'data')),
    indicator    VARCHAR,
    rule         VARCHAR,
    version      VARCHAR,
    version_date DATE,
    import_id    INTEGER NOT NULL,
    row_number   INTEGER NOT NULL,
    PRIMARY KEY (year, peer_group, code)
);

-- A unit's scores for one criterion of its framework (any level: a subtotal row is stored only when nothing under
-- it is scored). One row per (year, unit, code): a later file replaces it. NULL appraised_score: the council has
-- not appraised it (the figures fall back to self_score, flagged). not_applicable: "Không áp dụng" / N/A / "-",
-- the criterion (and everything under it) leaves the unit's maximum.
CREATE TABLE IF NOT EXISTS par_scores (
    year            INTEGER NOT NULL,
    peer_group      VARCHAR NOT NULL,
    unit_text       VARCHAR NOT NULL,
    unit_code       VARCHAR,
    code            VARCHAR NOT NULL,
    self_score      DOUBLE,
    appraised_score DOUBLE,
    not_applicable  BOOLEAN NOT NULL,
    note            VARCHAR,
    evidence        VARCHAR,
    import_id       INTEGER NOT NULL,
    sheet           VARCHAR,
    row_number      INTEGER NOT NULL,
    cell            VARCHAR
);

-- Survey (điều tra xã hội học) points of a unit and year over the framework's survey part, from a file; without
-- them the survey criteria are scored from the scores files, else from the SIPAS loaded (indicators/par.py).
CREATE TABLE IF NOT EXISTS par_survey_points (
    year          INTEGER NOT NULL,
    peer_group    VARCHAR NOT NULL,
    unit_text     VARCHAR NOT NULL,
    unit_code     VARCHAR,
    survey_points DOUBLE NOT NULL CHECK (survey_points >= 0),
    import_id     INTEGER NOT NULL,
    row_number    INTEGER NOT NULL
);

-- The reform plan's tasks (spec plan-tasks.md). One row per nhiệm vụ or chỉ tiêu of a unit's yearly plan, as its
-- appendix table types it; a plan (year, plan_key) is replaced whole by the file that brings it. Keys (_key) are
-- common/text.py norm_key of the text beside them: what progress lines are matched by (model/plan_tasks.py).
CREATE TABLE IF NOT EXISTS plan_tasks (
    year             INTEGER NOT NULL,
    plan_key         VARCHAR NOT NULL,   -- the issuing unit's code, or 'ten:' and its name's key while unmatched
    unit_text        VARCHAR NOT NULL,   -- the issuing unit as the title rows (or --unit, or a unit column) name it
    unit_key         VARCHAR NOT NULL,
    unit_code        VARCHAR,
    task_no          INTEGER NOT NULL,   -- the line's place in the plan: 1, 2, …
    code             VARCHAR,            -- the plan's own task code, when it has a code column
    code_key         VARCHAR,
    section          VARCHAR,            -- roman numeral of the section row above ("I"), NULL without sections
    section_no       INTEGER,
    item_no          VARCHAR NOT NULL,   -- STT under the section ("2", "2.1")
    ref              VARCHAR NOT NULL,   -- "I.2": section and STT, what a report may cite
    ref_key          VARCHAR NOT NULL,
    task             VARCHAR NOT NULL,
    task_key         VARCHAR NOT NULL,
    area             VARCHAR,            -- reform area (etl/vocab/plan_areas.csv), from the section row or a column
    product          VARCHAR,
    lead_text        VARCHAR,            -- cơ quan chủ trì as written
    lead_key         VARCHAR,
    supporting_units VARCHAR,
    deadline_text    VARCHAR,            -- as written ("Quý II", "Thường xuyên")
    deadline_date    DATE,               -- its reading (README "Kế hoạch CCHC"); NULL unless deadline_kind = 'date'
    deadline_kind    VARCHAR NOT NULL CHECK (deadline_kind IN ('date', 'recurring', 'unreadable')),
    is_target        BOOLEAN NOT NULL,   -- a chỉ tiêu, counted apart from the nhiệm vụ
    target_value     VARCHAR,
    file_name        VARCHAR NOT NULL,
    sheet            VARCHAR,
    import_id        INTEGER NOT NULL,
    row_number       INTEGER NOT NULL,
    PRIMARY KEY (year, plan_key, task_no)
);

-- Progress reports: one row per line of a report (year, plan_key, report_date), replaced whole by a reload. The
-- task a line speaks of is found when figures are made (model/plan_tasks.py), so a report loaded before its plan,
-- or before the unit list, finds its tasks once they are there.
CREATE TABLE IF NOT EXISTS task_progress (
    year           INTEGER NOT NULL,
    plan_key       VARCHAR NOT NULL,
    unit_text      VARCHAR NOT NULL,
    unit_key       VARCHAR NOT NULL,
    unit_code      VARCHAR,
    report_date    DATE NOT NULL,
    line_no        INTEGER NOT NULL,
    code           VARCHAR,
    code_key       VARCHAR,
    ref            VARCHAR,
    ref_key        VARCHAR,
    task           VARCHAR,
    task_key       VARCHAR,
    status_text    VARCHAR NOT NULL,
    status         VARCHAR NOT NULL CHECK (status IN ('done', 'done_late', 'in_progress', 'not_started')),
    completed_date DATE,
    document       VARCHAR,
    file_name      VARCHAR NOT NULL,
    sheet          VARCHAR,
    import_id      INTEGER NOT NULL,
    row_number     INTEGER NOT NULL,
    PRIMARY KEY (year, plan_key, report_date, line_no)
);
