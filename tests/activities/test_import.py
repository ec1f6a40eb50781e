"""Activities from a commune's workbook: the template and its guide, all rows or none with
each bad row and column named in Vietnamese, the kinds without diacritics, a stopped import,
the command line."""

import datetime as dt

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from ctmtqg_desktop.cli import main
from ctmtqg_desktop.services import activities, villages
from ctmtqg_desktop.services.activities import import_activities, write_activities_template
from ctmtqg_desktop.services.workbook_import import ImportStopped, WorkbookRejected
from ctmtqg_desktop.store.models.activities import Activity

HEADERS = ["Loại hoạt động", "Tên hoạt động", "Cuộc vận động/phong trào", "Chương trình",
           "Từ ngày", "Đến ngày", "Địa điểm/thôn", "Đơn vị tổ chức", "Số người tham gia",
           "Trong đó phụ nữ", "Người dân tộc thiểu số", "Người thuộc hộ nghèo", "Nội dung",
           "Kết quả", "Kiến nghị", "Kinh phí (đồng)"]
CAMPAIGN = "Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh"


def fill(path, rows):
    """The template with ``rows`` (dicts header -> value) in place of its example row."""
    write_activities_template(path)
    book = load_workbook(path)
    sheet = book.worksheets[0]
    sheet.delete_rows(4)
    where = {cell.value: cell.column for cell in sheet[3]}
    for offset, row in enumerate(rows):
        for header, value in row.items():
            sheet.cell(row=4 + offset, column=where[header], value=value)
    book.save(path)


def row(**changes):
    values = {"Loại hoạt động": "Tập huấn, bồi dưỡng",
              "Tên hoạt động": "Tập huấn kỹ thuật chăn nuôi bò",
              "Từ ngày": "12/04/2023", "Số người tham gia": 45, "Trong đó phụ nữ": 20}
    values.update(changes)
    return values


def count(workspace) -> int:
    with workspace.session_factory() as session:
        return session.execute(select(func.count()).select_from(Activity)).scalar()


def cli(workspace, *args):
    extra = [] if workspace.uses_sqlite else ["--database-url", workspace.database_url]
    return main([*map(str, args), "--workspace", str(workspace.folder), *extra])


def test_the_template_has_the_columns_and_a_guide(tmp_path):
    path = tmp_path / "mau.xlsx"
    write_activities_template(path)
    book = load_workbook(path)
    assert book.sheetnames == ["Dữ liệu", "Hướng dẫn"]
    assert [c.value for c in book.worksheets[0][3]] == HEADERS
    guide = " ".join(str(c.value) for r in book["Hướng dẫn"].iter_rows() for c in r
                     if c.value)
    assert "không nhập dòng nào" in guide and "họp Ban Chỉ đạo" in guide
    assert "bắt buộc" in guide and "không bắt buộc" in guide
    for header in HEADERS:
        assert header in guide


def test_the_templates_example_row_imports(new_workspace, tmp_path):
    workspace = new_workspace()
    path = tmp_path / "mau.xlsx"
    write_activities_template(path)
    assert import_activities(workspace, path).added == 1


def test_a_good_workbook_imports_every_row(new_workspace, tmp_path):
    workspace = new_workspace()
    village = villages.save_village(workspace, name="Thôn Kon Stiu")
    path = tmp_path / "hoat-dong.xlsx"
    fill(path, [
        row(**{"Cuộc vận động/phong trào": CAMPAIGN, "Chương trình": "dtts",
               "Đến ngày": dt.datetime(2023, 4, 13), "Địa điểm/thôn": "thon kon stiu",
               "Đơn vị tổ chức": "UBND xã", "Người dân tộc thiểu số": 30,
               "Người thuộc hộ nghèo": 12, "Nội dung": "Hướng dẫn làm chuồng trại\nPhòng bệnh",
               "Kết quả": "45 hộ nắm được kỹ thuật", "Kinh phí (đồng)": "12.500.000"}),
        row(**{"Loại hoạt động": "Họp Ban Chỉ đạo", "Tên hoạt động": "Họp Ban Chỉ đạo quý I",
               "Từ ngày": dt.datetime(2023, 3, 30), "Địa điểm/thôn": "Hội trường UBND xã",
               "Số người tham gia": 15, "Trong đó phụ nữ": None,
               "Kiến nghị": "Đẩy nhanh giải ngân", "Kinh phí (đồng)": 0}),
        row(**{"Loại hoạt động": "kiem tra giam sat", "Tên hoạt động": "Giám sát công trình",
               "Chương trình": "NTM", "Số người tham gia": None, "Trong đó phụ nữ": None}),
    ])
    seen = []
    result = import_activities(workspace, path, progress=lambda d, t: seen.append((d, t)))
    assert (result.added, result.in_villages, result.participants) == (3, 1, 60)
    assert seen[-1] == (6, 6)
    infos = {a.title: a for a in (activities.get_activity(workspace, i)
                                  for i in activities.activity_ids(workspace))}
    training = infos["Tập huấn kỹ thuật chăn nuôi bò"]
    assert training.kind == "training" and training.campaign == CAMPAIGN
    assert training.program_id == "2021-2025/DTTS"
    assert (training.start_on, training.end_on) == (dt.date(2023, 4, 12), dt.date(2023, 4, 13))
    assert training.village_id == village.id and training.place == ""
    assert (training.participants, training.women, training.ethnic_minority,
            training.poor) == (45, 20, 30, 12)
    # the shared reader normalises a cell to one line (workbook_import); Alt+Enter is lost
    assert training.content == "Hướng dẫn làm chuồng trại Phòng bệnh"
    assert training.cost == 12_500_000 and training.organiser == "UBND xã"
    meeting = infos["Họp Ban Chỉ đạo quý I"]
    assert meeting.kind == "steering_meeting" and meeting.place == "Hội trường UBND xã"
    assert meeting.village_id is None and meeting.program_id is None
    assert meeting.women == 0 and meeting.cost == 0
    assert meeting.recommendations == "Đẩy nhanh giải ngân"
    supervision = infos["Giám sát công trình"]
    assert supervision.kind == "inspection" and supervision.program_id == "2021-2025/NTM"
    assert supervision.participants == 0 and supervision.cost is None
    # found by the list's folded search like an activity typed in the form
    assert activities.activity_ids(workspace, {"text": "chuong trai"}) == [training.id]
    assert activities.summary(workspace).total.count == 3


@pytest.mark.parametrize("label, kind", [
    ("truyen thong", "communication"), ("TẬP HUẤN", "training"),
    ("tap huan/boi duong", "training"), ("Kiểm tra, giám sát", "inspection"),
    ("hop ban chi dao", "steering_meeting"), ("Phong trao thi dua", "emulation"),
    ("khac", "other")])
def test_kind_labels_without_diacritics_are_accepted(new_workspace, tmp_path, label, kind):
    workspace = new_workspace()
    path = tmp_path / "loai.xlsx"
    fill(path, [row(**{"Loại hoạt động": label})])
    assert import_activities(workspace, path).added == 1
    assert activities.get_activity(workspace, activities.activity_ids(workspace)[0]).kind \
        == kind


def test_a_bad_workbook_imports_nothing_and_names_rows_and_columns(new_workspace, tmp_path,
                                                                  capsys):
    workspace = new_workspace()
    path = tmp_path / "sai.xlsx"
    fill(path, [
        row(),  # good
        row(**{"Loại hoạt động": "hội thảo", "Từ ngày": "31/02/2023"}),
        row(**{"Tên hoạt động": None, "Số người tham gia": "nhiều"}),
        row(**{"Trong đó phụ nữ": 50, "Người thuộc hộ nghèo": 46, "Đến ngày": "01/04/2023",
               "Chương trình": "XYZ", "Kinh phí (đồng)": -5}),
    ])
    with pytest.raises(WorkbookRejected) as caught:
        import_activities(workspace, path)
    message = str(caught.value)
    assert "không có gì bị thay đổi" in message
    assert "Dòng 5, cột “Loại hoạt động”" in message and "hội thảo" in message
    assert "Dòng 5, cột “Từ ngày”" in message
    assert "Dòng 6, cột “Tên hoạt động”" in message
    assert "Dòng 6, cột “Số người tham gia”" in message
    assert "Dòng 7, cột “Trong đó phụ nữ”: 50 nhiều hơn" in message
    assert "Dòng 7, cột “Người thuộc hộ nghèo”" in message
    assert "Dòng 7, cột “Đến ngày”: ngày kết thúc (01/04/2023)" in message
    assert "Dòng 7, cột “Chương trình”" in message
    assert "Dòng 7, cột “Kinh phí (đồng)”" in message
    assert "Dòng 4" not in message
    assert count(workspace) == 0
    code = cli(workspace, "activities", "import-xlsx", path)
    err = capsys.readouterr().err
    assert code == 1 and "Dòng 7" in err and "Traceback" not in err
    assert count(workspace) == 0


def test_a_stopped_import_writes_nothing(new_workspace, tmp_path):
    workspace = new_workspace()
    path = tmp_path / "dung.xlsx"
    fill(path, [row(**{"Tên hoạt động": f"Tuyên truyền lần {n}"}) for n in range(1, 6)])
    seen = []
    # stopped while the rows are written: the transaction is rolled back
    with pytest.raises(ImportStopped) as stopped:
        import_activities(workspace, path, progress=lambda d, t: seen.append((d, t)),
                          stop_requested=lambda: len(seen) >= 7)
    assert str(stopped.value) == "Người dùng đã dừng; không có gì bị thay đổi."
    assert count(workspace) == 0
    assert import_activities(workspace, path, stop_requested=lambda: False).added == 5


def test_the_cli_writes_the_template_and_imports(new_workspace, tmp_path, capsys):
    workspace = new_workspace()
    template = tmp_path / "mau.xlsx"
    assert cli(workspace, "activities", "template", "--out", template) == 0
    assert "Đã ghi tệp mẫu" in capsys.readouterr().out
    fill(template, [row(), row(**{"Tên hoạt động": "Tuyên truyền giảm nghèo",
                                  "Loại hoạt động": "truyen thong"})])
    assert cli(workspace, "activities", "import-xlsx", template) == 0
    assert "Đã nhập: thêm 2 hoạt động" in capsys.readouterr().out
    assert cli(workspace, "activities", "list", "--search", "giam ngheo") == 0
    assert "Tuyên truyền giảm nghèo" in capsys.readouterr().out
    assert cli(workspace, "activities", "import-xlsx", tmp_path / "khong-co.xlsx") != 0
    err = capsys.readouterr().err
    assert err.strip() and "Traceback" not in err


def test_a_tcvn3_workbook_is_refused_then_converted_on_request(new_workspace, tmp_path):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from ctmtqg_desktop.domain import legacy_text
    from ctmtqg_desktop.services.workbook_import import WorkbookLegacyEncoding

    # the inverse of the TCVN3 table, to type the workbook as an old commune file is typed
    back = {}
    for code in range(0x80, 0x100):
        decoded = legacy_text.decode_tcvn3(chr(code))
        if decoded != chr(code) and len(decoded) == 1:
            back.setdefault(decoded, chr(code))

    def tcvn3(text):
        return "".join(back.get(ch, ch) for ch in text) if isinstance(text, str) else text

    workspace = new_workspace()
    path = tmp_path / "tcvn3.xlsx"
    book = Workbook()
    sheet = book.active
    for line in (["Loại hoạt động", "Tên hoạt động", "Từ ngày", "Số người tham gia"],
                 ["Truyền thông", "Tuyên truyền giảm nghèo bền vững", "14/10/2023", 80]):
        sheet.append([tcvn3(value) for value in line])
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.font = Font(name=".VnTime")
    book.save(path)
    with pytest.raises(WorkbookLegacyEncoding) as caught:
        import_activities(workspace, path)
    assert "--legacy-encoding tcvn3" in str(caught.value)
    assert count(workspace) == 0
    assert import_activities(workspace, path, legacy_encoding="tcvn3").added == 1
    saved = activities.get_activity(workspace, activities.activity_ids(workspace)[0])
    assert saved.title == "Tuyên truyền giảm nghèo bền vững" and saved.kind == "communication"


def test_the_same_workbook_imported_twice_is_refused_the_second_time(new_workspace,
                                                                     tmp_path):
    workspace = new_workspace()
    path = tmp_path / "hoat-dong.xlsx"
    fill(path, [row(), row(**{"Tên hoạt động": "Tập huấn kỹ thuật trồng cà phê"})])
    assert import_activities(workspace, path).added == 2
    with pytest.raises(WorkbookRejected) as again:
        import_activities(workspace, path)
    message = str(again.value)
    assert "Dòng 4, cột “Tên hoạt động”: hoạt động này (cùng loại, tên và ngày bắt đầu) đã có" \
        in message and "Dòng 5" in message
    assert count(workspace) == 2
    # the same activity twice in one file (written without diacritics the second time)
    twice = tmp_path / "trung.xlsx"
    fill(twice, [row(**{"Tên hoạt động": "Họp dân thôn 3", "Từ ngày": "05/05/2023"}),
                 row(**{"Tên hoạt động": "hop dan thon 3", "Từ ngày": "05/05/2023",
                        "Loại hoạt động": "tap huan, boi duong"})])
    with pytest.raises(WorkbookRejected) as caught:
        import_activities(workspace, twice)
    assert "Dòng 5, cột “Tên hoạt động”: trùng hoạt động ở dòng 4" in str(caught.value)
    assert count(workspace) == 2
