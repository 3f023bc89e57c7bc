"""The 766 service index as the national portal scores it (indicators.md §3): dated configuration, the criteria's
sources, scoring, ranking among peers, the portal's published scores beside it, what would raise a score, and the
dossiers behind a criterion. Writers: exports/index766.py."""
from .compute import (GROUPINGS_766, compute_index766, compute_index766_series, iso_weeks, peer_group_name,
                      prefetch_index766)
from .config import CONFIG_DIR, Criterion, Index766Config, Index766ConfigError, load_index766_config
from .drilldown import GAP_KIND_NAMES_VI, GAP_KINDS, GAP_SORT_COLUMNS, LIST_OF_MEASURE, list_gap_dossiers
from .gains import improvements, missing_data
from .scoring import STATUS_TEXT_VI, STATUSES, points_of, score_criterion, score_row

__all__ = ["GROUPINGS_766", "CONFIG_DIR", "Criterion", "Index766Config", "Index766ConfigError", "STATUSES",
           "STATUS_TEXT_VI", "GAP_KINDS", "GAP_KIND_NAMES_VI", "GAP_SORT_COLUMNS", "LIST_OF_MEASURE", "compute_index766",
           "compute_index766_series", "prefetch_index766", "iso_weeks", "peer_group_name", "load_index766_config",
           "list_gap_dossiers", "improvements", "missing_data", "points_of", "score_criterion", "score_row"]
