"""Copy the editable SIPAS catalogue (etl/vocab/sipas_catalogue.csv) into the database, checked first."""
from etl.core.errors import ImportFailure
from etl.surveys.vocab import catalogue_rows

ITEM_TYPES = ("element", "criterion", "expectation")


def check_catalogue(rows) -> None:
    """A hand-edited catalogue must stay coherent: known item types, five elements, criteria under them."""
    seen = set()
    for method, _, item_type, element, code, name in rows:
        if item_type not in ITEM_TYPES:
            raise ImportFailure(f"Danh mục SIPAS (etl/vocab/sipas_catalogue.csv): loại mục '{item_type}' của mã "
                                f"{code} không hợp lệ (dùng {', '.join(ITEM_TYPES)}).")
        if (method, item_type, code) in seen:
            raise ImportFailure(f"Danh mục SIPAS: mã {code} ({item_type}) lặp lại trong phương pháp {method}.")
        seen.add((method, item_type, code))
        if item_type == "criterion" and (element is None or not code.startswith(f"{element}.")):
            raise ImportFailure(f"Danh mục SIPAS: tiêu chí {code} phải thuộc yếu tố ghi ở đầu mã (cột element).")
        if not name:
            raise ImportFailure(f"Danh mục SIPAS: mã {code} ({method}) thiếu tên.")
    for method in {r[0] for r in rows}:
        elements = sorted(r[3] for r in rows if r[0] == method and r[2] == "element")
        if elements != [1, 2, 3, 4, 5]:
            raise ImportFailure(f"Danh mục SIPAS: phương pháp {method} phải có đúng 5 yếu tố (1–5).")


def refresh_catalogue(con) -> None:
    """Replaces the sipas_catalogue table with the file's rows (inside the caller's transaction)."""
    rows = catalogue_rows()
    check_catalogue(rows)
    con.execute("DELETE FROM sipas_catalogue")
    con.executemany("INSERT INTO sipas_catalogue VALUES (?, ?, ?, ?, ?, ?)", [list(r) for r in rows])
