"""How a unit is named wherever it stands alone (figures, late-dossier rows), and how units succeeded one another."""

__all__ = ["NAMED_UNITS_SQL", "SUCCESSIONS_SQL", "LEGACY_SUCCESSIONS_SQL"]

# Wards share names across districts ("Phường 1" exists in many): wherever a unit is named alone (a ranking
# bar, a table row, a late dossier) a name held by several units carries its parent's, "Phường 1 – Quận 10".
# Without it a ranking chart merged every "Phường 1" into one bar. A ward of the two-level city reports to the city
# itself, so a new "Phường Tân Định" and the old one of Quận 1 are told apart by their dates instead:
# "Phường Tân Định (từ 01/07/2025)" (naming the city would tell nothing).
NAMED_UNITS_SQL = """(SELECT u.*,
        CASE WHEN count(*) OVER (PARTITION BY u.unit_name) = 1 THEN u.unit_name
             WHEN p.unit_name IS NOT NULL AND p.parent_code IS NOT NULL THEN u.unit_name || ' – ' || p.unit_name
             WHEN u.valid_from IS NOT NULL THEN u.unit_name || ' (từ ' || strftime(u.valid_from, '%d/%m/%Y') || ')'
             WHEN u.valid_to IS NOT NULL THEN u.unit_name || ' (đến ' || strftime(u.valid_to, '%d/%m/%Y') || ')'
             WHEN p.unit_name IS NOT NULL THEN u.unit_name || ' – ' || p.unit_name
             ELSE u.unit_name END AS display_name
    FROM units u LEFT JOIN units p ON p.unit_code = u.parent_code)"""

# Every succession edge (predecessor, successor, share, effective_date, share_basis): the unit_successions table,
# plus a units.successor_code that has no row there (set by an older version, or written straight into the
# table) read as a whole merger (share 1) on the day after the predecessor's last day.
_LEGACY_SUCCESSIONS = """SELECT u.unit_code AS predecessor_code, u.successor_code, 1.0::DOUBLE AS share,
           CAST(u.valid_to + 1 AS DATE) AS effective_date, NULL::VARCHAR AS share_basis
    FROM units u WHERE u.successor_code IS NOT NULL AND u.successor_code <> u.unit_code
      AND u.successor_code IN (SELECT unit_code FROM units)"""
# The same edges written as joins (units.unit_code is the key: the join finds the successor once, as IN did): read on
# every page view (the filter's former names), the IN / NOT IN subqueries cost 4 ms of planning, the joins 1,7.
SUCCESSIONS_SQL = """(SELECT predecessor_code, successor_code, share, effective_date, share_basis FROM unit_successions
    UNION ALL
    SELECT u.unit_code, u.successor_code, 1.0::DOUBLE, CAST(u.valid_to + 1 AS DATE), NULL::VARCHAR
    FROM units u JOIN units s ON s.unit_code = u.successor_code
    ANTI JOIN unit_successions x ON x.predecessor_code = u.unit_code
    WHERE u.successor_code <> u.unit_code)"""
# A database built before unit_successions existed (opened read-only by the dashboard until the next load).
LEGACY_SUCCESSIONS_SQL = f"({_LEGACY_SUCCESSIONS})"
