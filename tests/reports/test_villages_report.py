"""The shared layout, through the villages report: xlsx read back, PDF text extracted."""

from openpyxl import load_workbook
from pypdf import PdfReader

from ctmtqg_desktop.cli import main


def test_xlsx_report_reads_back_with_styles_and_print_settings(demo_workspace, tmp_path):
    out = tmp_path / "thon.xlsx"
    assert main(["report", "villages", "--format", "xlsx", "--out", str(out),
                 "--workspace", str(demo_workspace.folder)]) == 0
    sheet = load_workbook(out).active
    assert sheet["A1"].value == "ỦY BAN NHÂN DÂN HUYỆN ĐẮK HÀ"
    assert sheet["A2"].value == "UBND XÃ ĐẮK LA" and sheet["A2"].font.b
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    flat = [v for row in values for v in row if v is not None]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat
    assert "Độc lập - Tự do - Hạnh phúc" in flat
    assert "Đắk La, ngày 16 tháng 10 năm 2023" in flat
    header = next(i for i, row in enumerate(values, 1) if row[0] == "STT")
    assert values[header - 1][:4] == ["STT", "Thôn", "Dân tộc", "Số hộ"]
    first = values[header]
    assert first[1] == "Thôn 1A" and first[3] == 214
    assert sheet.cell(row=header + 1, column=4).number_format == "#,##0"
    total = next(row for row in values if row[1] == "Tổng cộng")
    assert total[3] == 1797 and total[4] == 7056
    assert sheet.freeze_panes == f"A{header + 1}"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.page_setup.orientation == "portrait"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows.replace("$", "") == f"{header}:{header}"
    assert sheet.column_dimensions["B"].width >= len("Làng Kon Mong Tu")


def test_pdf_report_has_the_official_header_and_vietnamese_text(demo_workspace, tmp_path):
    out = tmp_path / "thon.pdf"
    assert main(["report", "villages", "--format", "pdf", "--out", str(out),
                 "--workspace", str(demo_workspace.folder)]) == 0
    reader = PdfReader(str(out))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "UBND XÃ ĐẮK LA", "Đắk La, ngày 16 tháng 10 năm 2023",
                     "Làng Kon Mong Tu", "Xơ Đăng, Ba Na", "Nơi nhận", "1.797"):
        assert expected in text
    fonts = {str(f) for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    assert reader.pages[0].mediabox.width < reader.pages[0].mediabox.height  # A4 portrait
    assert fonts
