"""``ctmtqg report activities`` as xlsx (read back: rows, Vietnamese text, number formats,
print set-up) and PDF (extracted text), the Reports page's list, and ``ctmtqg activities``."""

import datetime as dt

from openpyxl import load_workbook
from pypdf import PdfReader

from ctmtqg_desktop.cli import main
from ctmtqg_desktop.services import activities, report_catalog


def test_the_report_is_registered_for_the_reports_page(demo_workspace):
    keys = [spec.key for spec in report_catalog.available_reports(demo_workspace)]
    assert "activities" in keys


def test_xlsx_report_grouped_by_kind_with_a_total(demo_workspace, tmp_path):
    out = tmp_path / "hoat-dong.xlsx"
    assert main(["report", "activities", "--format", "xlsx", "--out", str(out), "--year",
                 "2023", "--workspace", str(demo_workspace.folder)]) == 0
    sheet = load_workbook(out).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    flat = [v for row in values for v in row if v is not None]
    assert "UBND XÃ ĐẮK LA" in flat and "BÁO CÁO" in flat
    assert any(isinstance(v, str) and v.startswith("Kết quả hoạt động truyền thông, tập huấn, "
                                                    "kiểm tra giám sát") and "năm 2023" in v
               for v in flat)
    header = next(i for i, row in enumerate(values, 1) if row[0] == "STT")
    assert values[header - 1][1:4] == ["Hoạt động", "Cuộc vận động, phong trào", "Ngày"]
    groups = [row[0] for row in values[header:] if isinstance(row[0], str)
              and ": " in row[0] and "hoạt động" in row[0]]
    assert groups[0].startswith("Truyền thông: 5 hoạt động")
    assert any(g.startswith("Họp Ban Chỉ đạo: 4 hoạt động") for g in groups)
    body = [row for row in values[header:] if isinstance(row[0], int)]
    expected = activities.summary(demo_workspace, {"year": 2023}).total
    assert len(body) == expected.count == 19
    assert body[0][1].startswith("Tuyên truyền")
    total = next(row for row in values if row[1] == "Tổng cộng")
    assert total[6:11] == [expected.participants, expected.women, expected.ethnic_minority,
                           expected.poor, expected.cost]
    assert total[6] == sum(row[6] for row in body)
    first_body_row = header + 2  # the group heading comes first
    assert sheet.cell(row=first_body_row, column=7).number_format == "#,##0"
    assert sheet.cell(row=first_body_row, column=11).number_format == "#,##0"
    assert sheet.freeze_panes == f"A{header + 1}"
    assert int(sheet.page_setup.paperSize) == 9 and sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows.replace("$", "") == f"{header}:{header}"
    assert any("Vì người nghèo - Không để ai bị bỏ lại phía sau" in str(v) for v in flat)


def test_pdf_report_text(demo_workspace, tmp_path):
    out = tmp_path / "hoat-dong.pdf"
    assert main(["report", "activities", "--format", "pdf", "--out", str(out), "--year",
                 "2023", "--workspace", str(demo_workspace.folder)]) == 0
    reader = PdfReader(str(out))
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "UBND XÃ ĐẮK LA", "BÁO CÁO", "Tổng cộng", "Nơi nhận",
                     "Họp Ban Chỉ đạo: 4 hoạt động", "Ủy ban MTTQ", "1.085"):
        assert expected in flat, expected
    assert "Năm 2023, đơn vị đã tổ chức 19 hoạt động" in flat
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape


def test_a_year_without_activities_says_so(demo_workspace, tmp_path):
    out = tmp_path / "2021.pdf"
    assert main(["report", "activities", "--format", "pdf", "--out", str(out), "--year",
                 "2021", "--workspace", str(demo_workspace.folder)]) == 0
    text = " ".join(PdfReader(str(out)).pages[0].extract_text().split())
    assert "Năm 2021 chưa ghi nhận hoạt động nào." in text


def test_cli_list_and_add(demo_workspace, capsys, tmp_path):
    folder = str(demo_workspace.folder)
    assert main(["activities", "list", "--search", "tap huan", "--workspace", folder]) == 0
    out = capsys.readouterr().out
    assert "Tập huấn kỹ thuật chăn nuôi bò" in out and "3 hoạt động" in out
    assert main(["activities", "list", "--kind", "steering_meeting",
                 "--workspace", folder]) == 0
    assert capsys.readouterr().out.count("Họp Ban Chỉ đạo") >= 4
    photo = tmp_path / "anh.jpg"
    photo.write_bytes(b"\xff\xd8\xff")
    assert main(["activities", "add", "--kind", "communication", "--title",
                 "Tuyên truyền phòng chống tảo hôn", "--date", "14/10/2023", "--place",
                 "lang kon gung", "--participants", "1200", "--women", "650",
                 "--ethnic-minority", "900", "--cost", "1.500.000",
                 "--campaign", "Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh",
                 "--program", "2021-2025/DTTS", "--evidence", str(photo),
                 "--workspace", folder]) == 0
    assert "Đã ghi hoạt động: Tuyên truyền phòng chống tảo hôn" in capsys.readouterr().out
    ids = activities.activity_ids(demo_workspace, {"text": "tao hon"})
    saved = activities.get_activity(demo_workspace, ids[0])
    assert saved.village_name == "Làng Kon Gung" and saved.cost == 1_500_000
    assert saved.start_on == dt.date(2023, 10, 14) and len(saved.files) == 1


def test_cli_bad_arguments_are_one_vietnamese_sentence(demo_workspace, capsys):
    folder = str(demo_workspace.folder)
    before = activities.activity_ids(demo_workspace)
    for argv, words in (
            (["--kind", "training", "--title", "x", "--date", "31/02/2023"], "31/02/2023"),
            (["--kind", "training", "--title", "x", "--date", "01/02/2023",
              "--participants", "5", "--women", "7"], "nhiều hơn tổng số 5"),
            (["--kind", "training", "--title", "x", "--date", "01/02/2023",
              "--cost", "mười nghìn"], "mười nghìn"),
            (["--kind", "training", "--title", "x", "--date", "01/02/2023",
              "--program", "NTM"], "không phải mã chương trình"),
            (["--kind", "party", "--title", "x", "--date", "01/02/2023"], "party")):
        try:
            code = main(["activities", "add", *argv, "--workspace", folder])
        except SystemExit as exit_:
            code = exit_.code
        assert code == 2, argv
        err = capsys.readouterr().err
        assert words in err and "Traceback" not in err
    assert activities.activity_ids(demo_workspace) == before
