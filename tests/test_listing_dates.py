"""The dashboard's list downloads write a date column as dates shown dd/mm/yyyy, as the page shows them: the 766
lists («chưa thanh toán trực tuyến», «chưa đồng bộ») wrote the text '2022-10-01' (probe 25)."""
import io
from datetime import date, datetime

import openpyxl

from exports.listing import listing_xlsx
from pages._components.tables import Column


def test_a_date_column_holds_dates():
    columns = [Column("code", "Mã hồ sơ"), Column("received", "Ngày tiếp nhận", "date")]
    rows = [{"code": "A", "received": "2022-10-01"}, {"code": "B", "received": datetime(2022, 10, 2, 8, 30)},
            {"code": "C", "received": date(2022, 10, 3)}, {"code": "D", "received": None}]
    ws = openpyxl.load_workbook(io.BytesIO(listing_xlsx(rows, columns, "DANH SÁCH"))).active
    cells = [ws.cell(5 + i, 2) for i in range(4)]
    assert [c.value for c in cells[:3]] == [datetime(2022, 10, 1), datetime(2022, 10, 2), datetime(2022, 10, 3)]
    assert all(c.number_format == "dd/mm/yyyy" for c in cells[:3])
    assert cells[3].value in (None, "")
