"""The task progress report: xlsx read back with openpyxl, PDF text extracted with pypdf."""

import datetime as dt

from openpyxl import load_workbook
from pypdf import PdfReader

from ctmtqg_desktop.cli import main
from ctmtqg_desktop.services import tasks
from ctmtqg_desktop.services.tasks._reports import report_groups


def run(workspace, *args):
    extra = [] if workspace.uses_sqlite else ["--database-url", workspace.database_url]
    return main([*map(str, args), "--workspace", str(workspace.folder), *extra])


def test_xlsx_report_has_a_row_per_task_grouped_by_programme(demo_workspace, tmp_path):
    out = tmp_path / "tien-do.xlsx"
    assert run(demo_workspace, "report", "tasks", "--format", "xlsx", "--out", out) == 0
    sheet = load_workbook(out).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    flat = [v for row in values for v in row if v is not None]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat and "UBND XÃ ĐẮK LA" in flat
    assert "BÁO CÁO" in flat
    assert any(str(v).startswith("Tiến độ thực hiện nhiệm vụ các chương trình mục tiêu quốc "
                                 "gia của xã Đắk La") for v in flat)
    header = next(i for i, row in enumerate(values, 1) if row[0] == "STT")
    assert values[header - 1][:4] == ["STT", "Nhiệm vụ", "Văn bản chỉ đạo", "Chủ trì"]
    body = values[header:]
    groups = [row[0] for row in body if row[0] and isinstance(row[0], str)
              and row[1] is None and ":" in row[0]]
    assert groups[:3] == [g.title for g in report_groups(demo_workspace)][:3]
    assert groups[0].startswith("DTTS: ") and any(g.startswith("NTM: ") for g in groups)
    task_rows = [row for row in body if isinstance(row[0], int)]
    assert len(task_rows) == len(tasks.task_ids(demo_workspace, {}))
    assert [row[0] for row in task_rows] == list(range(1, len(task_rows) + 1))
    texts = {row[1] for row in task_rows}
    assert "Thực hiện đầy đủ chế độ báo cáo theo quy định của pháp luật về đầu tư công, quản " \
           "lý, tổ chức thực hiện các chương trình mục tiêu quốc gia và các quy định khác có " \
           "liên quan." in texts
    money = next(row for row in task_rows if row[1].startswith("Giải ngân 100%"))
    assert money[5] == "100% của 4.350.000.000 đồng" and money[7] == 0.59
    assert money[4] == dt.datetime(2024, 1, 31) and money[8] == dt.datetime(2023, 9, 30)
    assert money[9].startswith("Giải ngân đến hết quý III")
    late = next(row for row in task_rows if row[1].startswith("Rà soát, đề xuất phân bổ"))
    assert late[6] == "Đang thực hiện (quá hạn)"
    first = header + 1 + body.index(money)
    assert sheet.cell(row=first, column=8).number_format == "0.0%"
    assert sheet.cell(row=first, column=5).number_format == "dd/mm/yyyy"
    assert sheet.freeze_panes == f"A{header + 1}"
    assert int(sheet.page_setup.paperSize) == 9 and sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows.replace("$", "") == f"{header}:{header}"
    assert sheet.column_dimensions["B"].width >= 50
    assert sheet.cell(row=header, column=1).font.b


def test_pdf_report_in_the_official_layout_with_vietnamese_text(demo_workspace, tmp_path):
    out = tmp_path / "tien-do.pdf"
    assert run(demo_workspace, "report", "tasks", "--format", "pdf", "--out", out) == 0
    reader = PdfReader(str(out))
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "UBND XÃ ĐẮK LA", "Đắk La, ngày 16 tháng 10 năm 2023", "BÁO CÁO",
                     "Nơi nhận"):
        assert expected in text, expected
    for task_text in ("Kiện toàn Ban Chỉ đạo các chương trình mục tiêu quốc gia xã",
                      "Tích cực theo dõi, giám sát việc triển khai thực hiện các chương trình",
                      "Vận động nhân dân đóng góp ngày công, hiện vật làm đường giao thông"):
        assert task_text in flat, task_text
    assert "Đang thực hiện (quá hạn)" in flat
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # A4 landscape
    fonts = {str(f["/BaseFont"]) for p in reader.pages
             for f in p["/Resources"]["/Font"].values()}
    assert any("Liberation" in f for f in fonts)


def test_the_tasks_report_as_of_30_06_2023_shows_that_day(demo_workspace, tmp_path):
    """Issue 14: statuses, percents and what was overdue as they stood at the period's end,
    from the progress updates reported by then."""
    import datetime as dt

    from openpyxl import load_workbook

    from ctmtqg_desktop.services import report_catalog
    from ctmtqg_desktop.services.report_catalog import ReportOptions

    intros = []
    for day in (dt.date(2023, 6, 30), None):
        out = tmp_path / f"tasks-{day}.xlsx"
        report_catalog.build_report(demo_workspace, "tasks", "xlsx", out,
                                    ReportOptions(date=day))
        sheet = load_workbook(out).worksheets[0]
        intros += [c.value for row in sheet.iter_rows() for c in row
                   if isinstance(c.value, str) and c.value.startswith("Tính đến ngày")]
    assert intros[0].startswith("Tính đến ngày 30/06/2023:")
    assert intros[1].startswith("Tính đến ngày 16/10/2023:")
    assert intros[0] != intros[1].replace("16/10/2023", "30/06/2023")
