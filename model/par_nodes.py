"""Each unit's PAR INDEX scoring nodes (NODES_SQL), stored at load in par_score_nodes so a view reads them instead
of planning and running the node query (~25 ms on the full sample, 1 thread); rebuilt only when the PAR tables or
the query changed."""
import hashlib

from common.text import norm_key_sql

from .stored_tables import refresh_stored, stored_is_fresh

__all__ = ["NODES_SQL", "NODES_TABLE", "refresh_par_nodes", "par_nodes_are_fresh"]

NODES_TABLE = "par_score_nodes"
_STATE_TABLE = "par_score_nodes_state"

_IDENTITY = f"coalesce(unit_code, 'text:' || {norm_key_sql('unit_text')})"

# One row per unit and scoring node for each year of the list $years. A unit's stored scores may sit at any level: a score on a
# criterion with a scored sub-criterion of the same unit is a subtotal and is left out; a framework leaf whose
# own row and ancestors carry no score is a node of its own (scored 0, or from the data, or the survey). A node
# is not applicable when its row or an ancestor's is marked so ("Không áp dụng").
NODES_SQL = f"""
WITH fw AS (
    SELECT f.*, split_part(f.code, '.', 1) AS area,
           NOT EXISTS (SELECT 1 FROM par_framework c WHERE c.year = f.year AND c.peer_group = f.peer_group
                       AND c.parent_code = f.code) AS is_leaf
    FROM par_framework f WHERE list_contains($years, f.year)),
s AS (   -- a unit named by its text in one file and matched later may have two rows: the later load's counts
    SELECT p.*, {_IDENTITY} AS identity FROM par_scores p
    WHERE list_contains($years, p.year)
      AND EXISTS (SELECT 1 FROM fw WHERE fw.year = p.year AND fw.peer_group = p.peer_group AND fw.code = p.code)
    QUALIFY row_number() OVER (PARTITION BY p.year, p.peer_group, identity, p.code ORDER BY p.import_id DESC) = 1),
s_above AS (   -- the codes above a unit's scored codes ("1.2.3": "1", "1.2"): subtotals of a scored sub-criterion
    SELECT DISTINCT year, peer_group, identity,
           unnest(list_transform(range(1, len(string_split(code, '.'))),
                                 lambda i: array_to_string(string_split(code, '.')[1:i], '.'))) AS code
    FROM s),
s_eff AS (
    SELECT * FROM s WHERE NOT EXISTS (SELECT 1 FROM s_above d WHERE d.year = s.year AND d.identity = s.identity
                                      AND d.peer_group = s.peer_group AND d.code = s.code)),
survey AS (
    SELECT year, peer_group, {_IDENTITY} AS identity, any_value(unit_code) AS unit_code,
           any_value(unit_text) AS unit_text, arg_max(survey_points, import_id) AS survey_points
    FROM par_survey_points WHERE list_contains($years, year) GROUP BY ALL),
who AS (
    SELECT year, peer_group, identity, any_value(unit_code) AS unit_code, arg_max(unit_text, import_id) AS unit_text
    FROM (SELECT year, peer_group, identity, unit_code, unit_text, import_id FROM s
          UNION ALL SELECT year, peer_group, identity, unit_code, unit_text, 0 FROM survey)
    GROUP BY ALL),
leaf_anc AS (   -- each leaf with its own code and its ancestors' ("1.2.3": "1", "1.2", "1.2.3"): a unit's score on
                -- any of them covers the leaf, found by equality joins (correlated prefix searches cost more to plan
                -- and run than the nodes themselves)
    SELECT year, peer_group, code AS leaf, method AS leaf_method,
           unnest(list_transform(range(1, len(string_split(code, '.')) + 1),
                                 lambda i: array_to_string(string_split(code, '.')[1:i], '.'))) AS anc
    FROM fw WHERE is_leaf),
leaf_map AS (   -- per unit and leaf: the one effective score covering it (s_eff keeps no ancestor of a scored
                -- code), and whether it or an ancestor is marked not applicable
    SELECT w.year, w.peer_group, w.identity, l.leaf, any_value(l.leaf_method) AS leaf_method,
           max(e.code) AS scored_code, bool_or(n.code IS NOT NULL) AS na
    FROM who w JOIN leaf_anc l ON l.year = w.year AND l.peer_group = w.peer_group
    LEFT JOIN s_eff e ON e.year = w.year AND e.peer_group = w.peer_group AND e.identity = w.identity
                     AND e.code = l.anc
    LEFT JOIN s n ON n.year = w.year AND n.peer_group = w.peer_group AND n.identity = w.identity
                 AND n.code = l.anc AND n.not_applicable
    GROUP BY w.year, w.peer_group, w.identity, l.leaf),
nodes AS (
    SELECT year, peer_group, identity, coalesce(scored_code, leaf) AS code, bool_and(na) AS not_applicable,
           count(*) AS leaves, bool_and(leaf_method = 'survey') AS all_survey
    FROM leaf_map GROUP BY ALL)
SELECT n.year, n.peer_group, n.identity, w.unit_code, w.unit_text, n.code, f.name, f.area, f.position, f.max_points,
       CASE WHEN n.leaves = 1 AND f.is_leaf THEN f.method WHEN n.all_survey THEN 'survey' ELSE 'self' END AS method,
       CASE WHEN f.is_leaf THEN f.indicator END AS indicator, CASE WHEN f.is_leaf THEN f.rule END AS rule,
       n.not_applicable, e.self_score, e.appraised_score, e.note, sv.survey_points AS unit_survey_points,
       array_to_string(string_split(n.code, '.')[1:2], '.') AS criterion
FROM nodes n
JOIN fw f ON f.year = n.year AND f.peer_group = n.peer_group AND f.code = n.code
JOIN who w ON w.year = n.year AND w.peer_group = n.peer_group AND w.identity = n.identity
LEFT JOIN s_eff e ON e.year = n.year AND e.peer_group = n.peer_group AND e.identity = n.identity AND e.code = n.code
LEFT JOIN survey sv ON sv.year = n.year AND sv.peer_group = n.peer_group AND sv.identity = n.identity
ORDER BY n.year, n.peer_group, n.identity, f.position"""

# The tables the nodes are built from. They are small: a dossier load pays a few milliseconds for the check.
_INPUTS = ("par_framework", "par_scores", "par_survey_points")
# The rule the stored nodes are built by: nodes built under another are not read until the next load rebuilds them.
NODES_LAYOUT = hashlib.sha256(NODES_SQL.encode("utf-8")).hexdigest()[:16]


def _build(con) -> None:
    years = [y for (y,) in con.execute("SELECT DISTINCT year FROM par_framework ORDER BY 1").fetchall()]
    con.execute(f"CREATE OR REPLACE TABLE {NODES_TABLE} AS {NODES_SQL}", {"years": years})


def refresh_par_nodes(con) -> bool:
    """After a load: rebuilds par_score_nodes (every year's nodes) when its inputs or rule changed (True)."""
    return refresh_stored(con, _STATE_TABLE, NODES_LAYOUT, _INPUTS, _build)


def par_nodes_are_fresh(con, state=None) -> bool:
    """Whether par_score_nodes may be read (model/stored_tables.py stored_is_fresh)."""
    return stored_is_fresh(con, _STATE_TABLE, NODES_LAYOUT, state)
