"""The deliberately bad rows of the sample, listed so that tests can assert the importer sets exactly these aside."""

DEFECT_FILE = "ho_so_so_nganh_2022.xlsx"

# Rows are 1-based sheet rows (4 title rows and the header come first, so data starts on row 6).
# All three are early-January dossiers of departments other than Sở Kế hoạch và Đầu tư.
DELIBERATE_DEFECTS = (
    dict(file=DEFECT_FILE, sheet="Hồ sơ", row=16, column="Ngày tiếp nhận", value=None,
         kind="missing_received_date", reason="Thiếu ngày tiếp nhận"),
    dict(file=DEFECT_FILE, sheet="Hồ sơ", row=26, column="Ngày tiếp nhận", value="31/02/2022",
         kind="unparseable_date", reason="Ngày không hợp lệ: 31/02/2022"),
    dict(file=DEFECT_FILE, sheet="Hồ sơ", row=36, column="Đơn vị tiếp nhận", value="Phòng Tiếp dân Quận 13",
         kind="unknown_unit", reason="Đơn vị chưa có trong danh mục: Phòng Tiếp dân Quận 13"),
)
