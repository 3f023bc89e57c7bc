"""What the loaded data covers: its date range and the sectors (lĩnh vực) its dossiers belong to."""
from __future__ import annotations

import unicodedata
from datetime import date

__all__ = ["data_date_range", "list_fields", "vi_sort_key"]


def data_date_range(con) -> tuple[date | None, date | None]:
    """(first receipt date, the date the data is valid up to): the end is the newest snapshot date, since a
    snapshot taken on 31/12 says what is known on 31/12 even if the last dossier came in on 30/12."""
    first, last_received, snapshot = con.execute(
        "SELECT min(CAST(received_at AS DATE)), max(CAST(received_at AS DATE)), max(snapshot_date) FROM dossiers"
    ).fetchall()[0]
    end = max(d for d in (last_received, snapshot) if d is not None) if (last_received or snapshot) else None
    return first, end


def list_fields(con) -> list[str]:
    """Sector names as the engine groups them (the dossier's own, else the procedure catalogue's), A→Z."""
    rows = con.execute("""SELECT DISTINCT coalesce(d.field_name, p.field_name) AS f
                          FROM dossiers d LEFT JOIN procedures p ON p.procedure_code = d.procedure_code
                          WHERE coalesce(d.field_name, p.field_name) IS NOT NULL""").fetchall()
    return sorted((r[0] for r in rows), key=vi_sort_key)


def vi_sort_key(text: str) -> str:
    # Sort 'Đất đai' next to 'Dược phẩm' rather than after 'Z' (Python orders Đ after every ASCII letter).
    plain = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in plain if not unicodedata.combining(c)).lower()
