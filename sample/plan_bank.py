"""The words of the sample's 2022 CCHC plans: sections, tasks with their products, targets, lead units — written
in the style of the city's and departments' published plans (nothing here is copied from a real unit's plan)."""

# Section rows, in the order plans list them (roman numerals are given by position).
SECTIONS = [
    "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH",
    "CẢI CÁCH THỂ CHẾ",
    "CẢI CÁCH THỦ TỤC HÀNH CHÍNH",
    "CẢI CÁCH TỔ CHỨC BỘ MÁY HÀNH CHÍNH NHÀ NƯỚC",
    "CẢI CÁCH CHẾ ĐỘ CÔNG VỤ",
    "CẢI CÁCH TÀI CHÍNH CÔNG",
    "XÂY DỰNG VÀ PHÁT TRIỂN CHÍNH QUYỀN ĐIỆN TỬ, CHÍNH QUYỀN SỐ",
]

# (section index, task, product)
TASKS = [
    (0, "Xây dựng, ban hành Kế hoạch cải cách hành chính năm 2022", "Kế hoạch"),
    (0, "Xây dựng Kế hoạch tuyên truyền cải cách hành chính năm 2022", "Kế hoạch"),
    (0, "Tổ chức tuyên truyền, phổ biến về cải cách hành chính trên trang thông tin điện tử", "Tin, bài"),
    (0, "Kiểm tra công tác cải cách hành chính tại các phòng, đơn vị trực thuộc", "Báo cáo kết quả kiểm tra"),
    (0, "Xây dựng báo cáo cải cách hành chính định kỳ quý, 6 tháng, năm", "Báo cáo"),
    (0, "Tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm 2022", "Báo cáo tự đánh giá"),
    (0, "Khắc phục các tồn tại, hạn chế theo kết quả Chỉ số cải cách hành chính năm 2021", "Kế hoạch khắc phục"),
    (0, "Tổ chức đối thoại với doanh nghiệp, người dân về thủ tục hành chính", "Hội nghị đối thoại"),
    (0, "Khảo sát mức độ hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan", "Báo cáo kết quả khảo sát"),
    (1, "Xây dựng Kế hoạch kiểm tra, rà soát văn bản quy phạm pháp luật năm 2022", "Kế hoạch"),
    (1, "Rà soát, hệ thống hóa văn bản quy phạm pháp luật thuộc lĩnh vực quản lý", "Báo cáo rà soát"),
    (1, "Tham mưu xây dựng văn bản quy phạm pháp luật theo Chương trình năm 2022", "Dự thảo văn bản"),
    (1, "Theo dõi tình hình thi hành pháp luật trong lĩnh vực quản lý", "Báo cáo"),
    (1, "Tổ chức phổ biến, giáo dục pháp luật cho cán bộ, công chức", "Hội nghị phổ biến"),
    (1, "Kiểm tra việc thực hiện văn bản quy phạm pháp luật tại đơn vị trực thuộc", "Kết luận kiểm tra"),
    (2, "Rà soát, đơn giản hóa thủ tục hành chính thuộc thẩm quyền giải quyết", "Phương án đơn giản hóa"),
    (2, "Công bố, công khai danh mục thủ tục hành chính được sửa đổi, bổ sung", "Quyết định công bố"),
    (2, "Xây dựng quy trình nội bộ giải quyết thủ tục hành chính", "Quy trình nội bộ"),
    (2, "Thực hiện tiếp nhận, trả kết quả qua dịch vụ bưu chính công ích", "Báo cáo"),
    (2, "Triển khai số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", "Kết quả số hóa"),
    (2, "Tiếp nhận, xử lý phản ánh, kiến nghị về quy định hành chính", "Báo cáo"),
    (2, "Thực hiện phiếu xin lỗi đối với hồ sơ giải quyết trễ hạn", "Phiếu xin lỗi"),
    (2, "Rà soát, chuẩn hóa dữ liệu thủ tục hành chính trên Cổng Dịch vụ công", "Dữ liệu được chuẩn hóa"),
    (2, "Đánh giá chất lượng giải quyết thủ tục hành chính theo Bộ chỉ số 766", "Báo cáo đánh giá"),
    (3, "Rà soát chức năng, nhiệm vụ, cơ cấu tổ chức của các phòng chuyên môn", "Quyết định quy định"),
    (3, "Xây dựng, điều chỉnh Đề án vị trí việc làm", "Đề án"),
    (3, "Thực hiện tinh giản biên chế theo kế hoạch", "Báo cáo"),
    (3, "Kiện toàn tổ chức bộ máy các đơn vị sự nghiệp trực thuộc", "Quyết định kiện toàn"),
    (3, "Thực hiện cơ chế một cửa, một cửa liên thông", "Báo cáo"),
    (4, "Xây dựng Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức năm 2022", "Kế hoạch"),
    (4, "Cử cán bộ, công chức tham gia bồi dưỡng kỹ năng, nghiệp vụ", "Quyết định cử"),
    (4, "Đánh giá, xếp loại chất lượng cán bộ, công chức, viên chức năm 2022", "Kết quả đánh giá"),
    (4, "Kiểm tra việc chấp hành kỷ luật, kỷ cương hành chính", "Báo cáo kiểm tra"),
    (4, "Thực hiện quy tắc ứng xử của cán bộ, công chức tại Bộ phận một cửa", "Báo cáo"),
    (4, "Tuyển dụng công chức, viên chức theo vị trí việc làm", "Kết quả tuyển dụng"),
    (5, "Xây dựng, sửa đổi Quy chế chi tiêu nội bộ năm 2022", "Quy chế"),
    (5, "Thực hiện cơ chế tự chủ tài chính tại đơn vị sự nghiệp công lập", "Phương án tự chủ"),
    (5, "Công khai dự toán, quyết toán ngân sách theo quy định", "Thông báo công khai"),
    (5, "Thực hành tiết kiệm, chống lãng phí trong sử dụng ngân sách", "Báo cáo"),
    (5, "Rà soát, sắp xếp lại tài sản công", "Phương án sắp xếp"),
    (6, "Vận hành Hệ thống quản lý văn bản và điều hành, ký số văn bản điện tử", "Văn bản điện tử"),
    (6, "Cung cấp dịch vụ công trực tuyến toàn trình", "Dịch vụ công trực tuyến"),
    (6, "Tích hợp, kết nối hệ thống một cửa điện tử với Cổng Dịch vụ công quốc gia", "Kết nối"),
    (6, "Triển khai thanh toán trực tuyến phí, lệ phí thủ tục hành chính", "Báo cáo"),
    (6, "Bảo đảm an toàn thông tin mạng tại cơ quan", "Báo cáo"),
    (6, "Cập nhật thông tin trên Trang thông tin điện tử của cơ quan", "Tin, bài"),
    (6, "Triển khai Kế hoạch chuyển đổi số năm 2022", "Kế hoạch"),
    (6, "Khai thác, sử dụng Cơ sở dữ liệu quốc gia về dân cư trong giải quyết thủ tục hành chính", "Báo cáo"),
    (6, "Duy trì, cải tiến Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015", "Báo cáo đánh giá nội bộ"),
    (6, "Triển khai hệ thống họp trực tuyến, làm việc từ xa", "Hệ thống họp trực tuyến"),
]

# The city's targets (chỉ tiêu) and the value each must reach.
TARGETS = [
    ("Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn", "Trên 99 %"),
    ("Tỷ lệ hồ sơ nộp trực tuyến trên tổng số hồ sơ", "Tối thiểu 30 %"),
    ("Tỷ lệ hồ sơ thanh toán trực tuyến phí, lệ phí", "Tối thiểu 30 %"),
    ("Chỉ số hài lòng về sự phục vụ hành chính (SIPAS)", "Tối thiểu 86 %"),
    ("Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", "100 %"),
    ("Tỷ lệ phản ánh, kiến nghị được xử lý đúng hạn", "100 %"),
]

# Lead units inside a department, and inside a district's people's committee.
DEPARTMENT_LEADS = ["Văn phòng Sở", "Thanh tra Sở", "Phòng Tổ chức cán bộ", "Phòng Kế hoạch – Tài chính",
                    "Phòng Pháp chế", "Trung tâm Công nghệ thông tin"]
DISTRICT_LEADS = ["Phòng Nội vụ", "Văn phòng HĐND và UBND", "Phòng Tư pháp", "Phòng Tài chính – Kế hoạch",
                  "Phòng Văn hóa và Thông tin", "Ủy ban nhân dân các phường, xã"]
# The city plan's tasks are led by departments (codes of sample/units.py, named as the plan writes them).
CITY_LEADS = ["Sở Nội vụ", "Sở Tư pháp", "Sở TT&TT", "Sở Tài chính", "Sở KH&ĐT", "Văn phòng UBND Thành phố"]
