-- Parsing helpers shared by every load: day-first dates, Vietnamese numbers. The norm_key(x) macro they use is
-- created beside them from common/text.py, the one definition of the key shared with the Python side.

-- Day first, always: 03/04/2022 is 3 April, and so are 3-4-2022, 03.04.2022 and 3/4/2022 08:00 (one rule for every
-- separator and width). ISO text (what Excel date cells become) is told apart by a '-' fifth with none before it
-- ('10-1-2022' has one third), so each value tries only the formats of its own family; Excel serial numbers too.
CREATE OR REPLACE TEMP MACRO parse_ts(x) AS CASE
    WHEN x IS NULL THEN NULL
    WHEN x[5] = '-' AND x[2] <> '-' AND x[3] <> '-' THEN
        try_strptime(x, ['%Y-%m-%d %H:%M:%S', '%Y-%m-%d', '%Y-%m-%d %H:%M', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d %H:%M:%S.%f'])
    WHEN regexp_full_match(x, '\d{5}(\.\d+)?') THEN
        TIMESTAMP '1899-12-30' + to_microseconds(CAST(round(CAST(x AS DOUBLE) * 86400000000) AS BIGINT))
    -- Day first with a four-digit year only: strptime's %Y also takes "22" as the year 22, and a dossier dated
    -- 03/10/0022 would silently fall out of every period. Unreadable instead, so the row is rejected and named.
    WHEN regexp_matches(x, '^\d{1,2}[/.-]\d{1,2}[/.-]\d{4}(\D|$)') THEN
        try_strptime(x, ['%d/%m/%Y %H:%M:%S', '%d/%m/%Y %H:%M', '%d/%m/%Y', '%d-%m-%Y %H:%M:%S', '%d-%m-%Y %H:%M',
                         '%d-%m-%Y', '%d.%m.%Y', '%d.%m.%Y %H:%M:%S', '%d.%m.%Y %H:%M', '%d/%m/%Y %H:%M:%S.%f',
                         '%d-%m-%Y %H:%M:%S.%f', '%d.%m.%Y %H:%M:%S.%f'])
END;

-- 1.000.000 and 1,000,000 are a million; 12,5 and 12.5 are twelve and a half.
CREATE OR REPLACE TEMP MACRO parse_num(x) AS (
    WITH s AS (SELECT regexp_replace(x, '[\s]|đ|Đ|VNĐ|VND|vnđ', '', 'g') AS v)
    SELECT CASE
        WHEN x IS NULL THEN NULL
        WHEN regexp_full_match(v, '-?\d{1,3}(\.\d{3})+') THEN try_cast(replace(v, '.', '') AS DOUBLE)
        WHEN regexp_full_match(v, '-?\d{1,3}(,\d{3})+') THEN try_cast(replace(v, ',', '') AS DOUBLE)
        WHEN regexp_full_match(v, '-?\d{1,3}(\.\d{3})+,\d+') THEN try_cast(replace(replace(v, '.', ''), ',', '.') AS DOUBLE)
        WHEN regexp_full_match(v, '-?\d{1,3}(,\d{3})+\.\d+') THEN try_cast(replace(v, ',', '') AS DOUBLE)
        WHEN regexp_full_match(v, '-?\d+,\d+') THEN try_cast(replace(v, ',', '.') AS DOUBLE)
        ELSE try_cast(v AS DOUBLE)
    END FROM s
);

-- The one unit-resolution rule. A unit goes by its code, its name and each alias (unit_keys, rebuilt whenever a
-- unit list is loaded); a text names a unit when its key belongs to exactly one unit. "Phường 1" is a ward of
-- many districts: a row filed under it stays unmatched and is listed for a person to map (an alias), rather
-- than handed to one of those wards at random. Dossiers, surveys and reference files all resolve through this.
CREATE OR REPLACE TEMP VIEW unit_key_codes AS
    SELECT unit_key, min(unit_code) AS unit_code FROM unit_keys GROUP BY unit_key HAVING count(DISTINCT unit_code) = 1;

CREATE OR REPLACE TEMP MACRO unit_code_of(name) AS (SELECT unit_code FROM unit_key_codes WHERE unit_key = norm_key(name));
