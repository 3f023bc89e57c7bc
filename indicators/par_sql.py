"""The SQL of the PAR INDEX figures: each unit's scoring nodes of its framework, and their sums by unit, area and
criterion (indicators/par.py scores the nodes in between)."""
from __future__ import annotations

from model.par_nodes import NODES_SQL

from .database_state import database_state

__all__ = ["NODES_SQL", "SUMS_SQL", "FRAMEWORK_SQL", "par_tables_exist"]

# Sums over the scored nodes (the Arrow table par_nodes): per unit, per unit and area, per peer group and
# criterion (city-wide: which criteria cost the units most), for each part (a year and the year before: one
# query). Only applicable nodes count. (The units of each criterion city-wide are counted by indicators/par.py: a
# DISTINCT count here cost a third of the query.)
SUMS_SQL = """
SELECT part, peer_group, identity, area, criterion,
       GROUPING(identity) AS city, GROUPING(area) AS no_area, GROUPING(criterion) AS no_criterion,
       sum(max_points) FILTER (WHERE applicable) AS max_points,
       sum(points) FILTER (WHERE applicable) AS points,
       sum(max_points - points) FILTER (WHERE applicable) AS lost_points,
       sum(self_score) FILTER (WHERE applicable AND method <> 'survey') AS self_points,
       sum(points) FILTER (WHERE applicable AND method = 'survey') AS survey_points,
       sum(self_score - appraised_score) FILTER (WHERE applicable AND appraised_score IS NOT NULL
                                                 AND self_score IS NOT NULL) AS gap_points,
       count(*) FILTER (WHERE applicable AND not_appraised) AS not_appraised,
       count(*) FILTER (WHERE not_applicable) AS not_applicable
FROM par_nodes
GROUP BY GROUPING SETS ((part, peer_group, identity), (part, peer_group, identity, area),
                        (part, peer_group, identity, criterion), (part, peer_group, criterion))"""

# The frameworks of the years of the list $years (the first column is the year).
FRAMEWORK_SQL = """SELECT year, peer_group, code, parent_code, depth, position, name, max_points, method, indicator,
                          rule, version FROM par_framework WHERE list_contains($years, year)
                   ORDER BY year, peer_group, position"""


def par_tables_exist(con) -> bool:
    return {"par_framework", "par_scores", "par_survey_points"} <= database_state(con).tables
