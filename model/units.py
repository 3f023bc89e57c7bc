"""How a unit is named wherever it stands alone: the figures' group names and the stored late-dossier rows."""

__all__ = ["NAMED_UNITS_SQL"]

# Wards share names across districts ("Phường 1" exists in many): wherever a unit is named alone (a ranking
# bar, a table row, a late dossier) a name held by several units carries its parent's, "Phường 1 – Quận 10".
# Without it a ranking chart merged every "Phường 1" into one bar.
NAMED_UNITS_SQL = """(SELECT u.*,
        CASE WHEN count(*) OVER (PARTITION BY u.unit_name) > 1 AND p.unit_name IS NOT NULL
             THEN u.unit_name || ' – ' || p.unit_name ELSE u.unit_name END AS display_name
    FROM units u LEFT JOIN units p ON p.unit_code = u.parent_code)"""
