"""The capital reports on the demo, through the CLI: ``ctmtqg report capital|portfolio|
capital-proposal --format xlsx|pdf``; xlsx read back, PDF text extracted; amounts 1.234.567."""

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from ctmtqg_desktop.cli import main
from ctmtqg_desktop.services import projects as portfolio
from ctmtqg_desktop.services.projects import _reports as capital_reports
from ctmtqg_desktop.services.report_catalog import ReportOptions


def run(workspace, key, fmt, out):
    assert main(["report", key, "--format", fmt, "--out", str(out),
                 "--workspace", str(workspace.folder)]) == 0
    return out


def pdf_text(path) -> str:
    """The PDF's text with line breaks inside table cells joined."""
    text = "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)
    return " ".join(text.split())


def sheet_values(sheet) -> list[list]:
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_capital_report_as_pdf(demo_workspace, tmp_path):
    text = pdf_text(run(demo_workspace, "capital", "pdf", tmp_path / "von.pdf"))
    for expected in ("BÁO CÁO", "UBND XÃ ĐẮK LA", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Tình hình giao, phân bổ chi tiết và giải ngân kế hoạch vốn",
                     "đã qua 79,2% thời gian của năm", "7.398.000.000", "6.720.000.000",
                     "3.037.000.000", "41,1%", "CTMTQG DTTS&MN", "2.400.000.000",
                     "III. VỐN ĐỐI ỨNG", "60.000.000", "Nghị quyết 21/2022/NQ-HĐND",
                     "IV. KÉO DÀI", "88/QĐ-UBND", "V. CẢNH BÁO", "chưa phân bổ chi tiết",
                     "Nơi nhận"):
        assert expected in text, expected
    assert "Công trình quyết toán thấp hơn kế hoạch vốn" in text  # the return's reason


def test_capital_report_as_xlsx_lists_every_list(demo_workspace, tmp_path):
    book = load_workbook(run(demo_workspace, "capital", "xlsx", tmp_path / "von.xlsx"))
    assert book.sheetnames == ["Kế hoạch vốn", "Phân bổ", "Giải ngân", "Theo nguồn vốn",
                               "Vốn đối ứng", "Quy tắc tỷ lệ vốn đối ứng", "Kéo dài, hoàn trả",
                               "Cảnh báo"]
    rules = sheet_values(book["Quy tắc tỷ lệ vốn đối ứng"])
    assert any(row[0] == "DTTS" and row[2] == 0.1 and row[6] == "mặc định của phần mềm"
               for row in rules)
    lines = sheet_values(book["Kế hoạch vốn"])
    header = next(i for i, row in enumerate(lines) if row[0] == "STT")
    assert lines[header][:3] == ["STT", "Chương trình, loại vốn, nguồn vốn, quyết định giao",
                                 "Kế hoạch giao"]
    total = next(row for row in lines if row[1] == "Tổng cộng")
    assert total[2:6] == [7_398_000_000, 6_720_000_000, 678_000_000, 3_037_000_000]
    first_line = next(i for i, row in enumerate(lines) if i > header and isinstance(row[2], int))
    assert book["Kế hoạch vốn"].cell(row=first_line + 1, column=3).number_format == "#,##0"
    payments = sheet_values(book["Giải ngân"])
    paid = [row for row in payments if isinstance(row[3], int) and row[1] != "Tổng cộng"]
    assert len(paid) == 26 and sum(row[3] for row in paid) == 3_037_000_000
    counterparts = sheet_values(book["Vốn đối ứng"])
    dtts = next(row for row in counterparts if row[0] == "CTMTQG DTTS&MN" and
                row[4] == 210_000_000)
    assert dtts[5:7] == [150_000_000, 60_000_000]


def test_portfolio_report_as_pdf_and_xlsx(demo_workspace, tmp_path):
    text = pdf_text(run(demo_workspace, "portfolio", "pdf", tmp_path / "dm.pdf"))
    for expected in ("sắp xếp theo thứ tự ưu tiên", "Nhà văn hóa thôn 7", "Điểm ưu tiên",
                     "tính khả thi 35%, hiệu quả 30%, khả năng giải ngân 35%",
                     "II. RÀ SOÁT TRÙNG LẶP", "Không trùng lặp", "Chưa rà soát",
                     "Chậm giải ngân"):
        assert expected in text, expected
    book = load_workbook(run(demo_workspace, "portfolio", "xlsx", tmp_path / "dm.xlsx"))
    assert book.sheetnames == ["Danh mục dự án", "Tiêu chí chấm điểm", "Tổng mức đầu tư theo "
                               "nguồn", "Rà soát trùng lặp"]
    rows = sheet_values(book["Danh mục dự án"])
    header = next(i for i, row in enumerate(rows) if row[0] == "Hạng")
    first = rows[header + 1]
    assert first[:3] == ["1", "Nhà văn hóa thôn 7", "CTMTQG NTM"]
    assert first[12] == pytest.approx(91.0)
    criteria = sheet_values(book["Tiêu chí chấm điểm"])
    assert any(row[2] == "Đã có quyết định phê duyệt dự án, phương án" and row[3] == 30
               for row in criteria)


def test_the_adjustment_proposal_as_pdf_has_the_projects_and_amounts(demo_workspace, tmp_path):
    text = pdf_text(run(demo_workspace, "capital-proposal", "pdf", tmp_path / "tt.pdf"))
    for expected in ("TỜ TRÌNH", "Số: /TTr-UBND",
                     "Về việc đề xuất điều chỉnh kế hoạch vốn năm 2023",
                     "Kính gửi: UBND huyện Đắk Hà",
                     "Sửa chữa nhà rông văn hóa truyền thống làng Đăk Lấp", "250.000.000",
                     "600.000.000", "Nâng cấp nhà văn hóa làng Đăk Lấp", "100.000.000",
                     "nuôi lợn đen địa phương thôn 5", "300.000.000",
                     "Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo năm 2023", "60.000.000",
                     "180.000.000",
                     "Tổng số vốn đề nghị điều chỉnh: 500.000.000 đồng",
                     "Bằng chữ: Năm trăm triệu đồng", "kính trình UBND huyện Đắk Hà"):
        assert expected in text, expected


def test_the_adjustment_proposal_as_xlsx_reads_back(demo_workspace, tmp_path):
    plan = portfolio.propose_adjustment(demo_workspace, 2023)
    plan = portfolio.revise_plan(demo_workspace, plan, [200_000_000, 90_000_000, 60_000_000,
                                                        100_000_000])
    out = capital_reports.write_proposal(demo_workspace, plan, "xlsx", tmp_path / "tt.xlsx",
                                         ReportOptions(year=2023))
    book = load_workbook(out)
    rows = sheet_values(book["Tờ trình đề xuất"])
    header = next(i for i, row in enumerate(rows) if row[0] == "STT")
    body = {row[1]: row for row in rows[header + 1:] if isinstance(row[0], int)}
    house = body["Sửa chữa nhà rông văn hóa truyền thống làng Đăk Lấp"]
    assert house[4:8] == [350_000_000, None, 200_000_000, 550_000_000] or \
        house[4:8] == [350_000_000, 0, 200_000_000, 550_000_000]
    housing = body["Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo năm 2023"]
    assert (housing[5], housing[7]) == (60_000_000, 180_000_000)
    total = next(row for row in rows if row[1] == "Tổng cộng")
    assert total[5:7] == [60_000_000, 450_000_000]
    flat = [str(v) for row in rows for v in row if v is not None]
    assert any("450.000.000 đồng (Bằng chữ: Bốn trăm năm mươi triệu đồng)" in v for v in flat)
    assert book["Tờ trình đề xuất"].cell(row=header + 2, column=5).number_format == "#,##0"
    moves = sheet_values(book["Điều chuyển theo dòng vốn"])
    assert [row[4] for row in moves if isinstance(row[0], int)] == [200_000_000, 90_000_000,
                                                                    60_000_000, 100_000_000]
