"""The consolidated report (xlsx and PDF read back), the parent demo (deterministic), the
board's figures on it, and the command line of the parent's desk."""

from __future__ import annotations

import json

from openpyxl import load_workbook
from pypdf import PdfReader

from ctmtqg_desktop.cli import main
from ctmtqg_desktop.domain.formats import format_number
from ctmtqg_desktop.services import report_catalog
from ctmtqg_desktop.services.parent import _board as parent_board
from ctmtqg_desktop.services.parent import _demo as parent_demo
from ctmtqg_desktop.services.workspaces import _workspaces as workspaces
from tests.parent.conftest import DAY, set_today


def run(capsys, workspace, *args):
    code = main([*args, "--workspace", str(workspace.folder)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_consolidated_report_one_row_per_child_and_a_total(parent_demo_workspace,
                                                               tmp_path):
    workspace = parent_demo_workspace
    board = parent_board.compute(workspace)
    # the district's eleven children are on the board; six have sent their data
    assert len(board.rows) == 11 and sum(1 for r in board.rows if r.assigned) == 5
    assert board.total.assigned == sum(r.assigned for r in board.rows)
    out = tmp_path / "tong-hop.xlsx"
    report_catalog.build_report(workspace, "board", "xlsx", out)
    book = load_workbook(out)
    assert book.sheetnames == ["Nhiệm vụ", "Kế hoạch vốn", "Hồ sơ", "Khó khăn, kiến nghị",
                               "Hoạt động"]
    sheet = book["Kế hoạch vốn"]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "UBND HUYỆN ĐẮK HÀ" in cells and "BÁO CÁO" in cells
    assert "II. KẾ HOẠCH VỐN NĂM 2023: GIAO, PHÂN BỔ, GIẢI NGÂN" in cells
    rows = [r for r in sheet.iter_rows(values_only=True) if isinstance(r[0], int)]
    assert [r[1] for r in rows] == [r.name for r in board.rows]
    assert [r[3] for r in rows] == [r.assigned for r in board.rows]
    total = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "Tổng cộng")
    assert total[3] == board.total.assigned and total[5] == board.total.disbursed
    assert abs(total[6] - board.total.rate) < 1e-9
    assert sheet.freeze_panes is not None and sheet.print_title_rows
    # the activities: by kind, in all, participants, of whom women, ethnic minority
    sheet = book["Hoạt động"]
    values = [r for r in sheet.iter_rows(values_only=True)]
    heading = next(r for r in values if r[0] == "STT")
    assert list(heading[3:]) == ["Truyền thông", "Tập huấn, bồi dưỡng", "Kiểm tra, giám sát",
                                 "Họp Ban Chỉ đạo", "Phong trào thi đua", "Khác",
                                 "Tổng số hoạt động", "Người tham gia", "Trong đó: phụ nữ",
                                 "Trong đó: người dân tộc thiểu số"]
    assert "V. HOẠT ĐỘNG NĂM 2023: TRUYỀN THÔNG, TẬP HUẤN, KIỂM TRA GIÁM SÁT" in \
        [r[0] for r in values]
    rows = [r for r in values if isinstance(r[0], int)]
    assert [r[1] for r in rows] == [r.name for r in board.rows]
    kinds = list(parent_board.ACTIVITY_FIELDS)
    for line, child in zip(rows, board.rows):
        assert list(line[3:]) == [child.activities_of(k) for k in kinds] + [
            child.activities, child.activity_participants, child.activity_women,
            child.activity_ethnic]
        assert sum(line[3:9]) == line[9]
    total = next(r for r in values if r[1] == "Tổng cộng")
    assert total[9] == board.total.activities == sum(r[9] for r in rows) > 0
    assert total[10] == board.total.activity_participants == sum(r[10] for r in rows) > 0
    assert total[11] == sum(r[11] for r in rows) and total[12] == sum(r[12] for r in rows)
    pdf = tmp_path / "tong-hop.pdf"
    report_catalog.build_report(workspace, "board", "pdf", pdf,
                                report_catalog.ReportOptions(date=DAY, year=2023))
    reader = PdfReader(str(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BÁO CÁO", "Tổng cộng",
                     "I. NHIỆM VỤ ĐƯỢC GIAO", "IV. KHÓ KHĂN", board.rows[0].name,
                     "V. HOẠT ĐỘNG NĂM 2023"):
        assert expected in text, expected
    # the last part: after its heading, a child's line and the total of the participants
    part = text[text.index("V. HOẠT ĐỘNG NĂM 2023"):]
    assert "Phong" in part and board.rows[-1].name in part
    assert format_number(board.total.activity_participants) in part
    assert format_number(board.total.assigned) in text


def test_the_parent_demo_is_deterministic(new_workspace):
    dumps = []
    for _run in range(2):
        workspace = new_workspace(unit="615", role="parent")
        set_today(workspace)
        result = parent_demo.build(workspace, children=3, households=2, scale=0.3)
        assert len(result.children) == 3 and result.synthetic_units == 0
        document = json.loads(workspaces.dump(workspace, metadata=True))
        dumps.append({table: [r for r in rows if r["owner_unit_id"] != "615"]
                      for table, rows in document["tables"].items()})
    assert dumps[0] == dumps[1] and dumps[0]["task"]


def test_more_children_than_the_catalog_has_get_demo_units(new_workspace):
    workspace = new_workspace(unit="615", role="parent")
    set_today(workspace)
    result = parent_demo.build(workspace, children=13, households=1, scale=0.1)
    assert result.synthetic_units == 2 and result.children[-1] == "99013"
    board = parent_board.compute(workspace)
    assert len(board.rows) == 13 and board.row("99013").name == "Xã Minh họa 013"
    never = [r for r in board.rows if r.report_state == "never"]
    assert len(never) == 1 and never[0].assigned == 0


def test_the_parent_commands(parent_demo_workspace, capsys, tmp_path):
    workspace = parent_demo_workspace
    code, out, _err = run(capsys, workspace, "children", "list")
    assert code == 0 and "chưa gửi lần nào" in out and "Xã Đắk La" in out
    code, out, _err = run(capsys, workspace, "children", "list", "--state", "late")
    lines = [line for line in out.splitlines()[2:-1] if line.strip()]
    assert code == 0 and lines and all("chưa gửi lần nào" in line or "ngày không gửi gói" in line
                                       for line in lines)
    code, out, _err = run(capsys, workspace, "board", "--behind", "--sort", "rate")
    assert code == 0 and "Tổng cộng" in out and "đường tiến độ ngày 16/10/2023 là 79,2%" in out
    board = parent_board.compute(workspace)
    behind = parent_board.total_of(parent_board.filter_rows(board, {"behind": True}, "rate",
                                                            False), board.on_track)
    assert "Hoạt động (người)" in out and behind.activities > 0
    total_line = next(line for line in out.splitlines() if line.startswith("Tổng cộng"))
    assert f"{behind.activities} ({format_number(behind.activity_participants)})" in total_line
    code, out, _err = run(capsys, workspace, "report", "board", "--format", "xlsx", "--out",
                          str(tmp_path / "b.xlsx"))
    assert code == 0 and (tmp_path / "b.xlsx").exists()
    code, out, _err = run(capsys, workspace, "send", "tasks", "--to", "23524,23521",
                          "--title", "Rà soát danh sách hộ nghèo", "--number", "90/KH-UBND",
                          "--task", "Gửi danh sách rà soát;30/11/2023", "--task",
                          "Báo cáo kết quả")
    assert code == 0 and "2 đơn vị cấp dưới (6 bản ghi)" in out
    code, out, _err = run(capsys, workspace, "send", "capital", "--year", "2023", "--program",
                          "2021-2025/NTM", "--kind", "DTPT", "--source", "NSTW", "--amount",
                          "23524=1.500.000.000", "--decision", "77/QĐ-UBND")
    assert code == 0 and "Đã giao 1 dòng kế hoạch vốn" in out
    code, out, _err = run(capsys, workspace, "send", "capital", "--year", "2023", "--program",
                          "2021-2025/NTM", "--kind", "DTPT", "--source", "NSTW", "--amount",
                          "23524:12")
    assert code == 2 and "MÃ=SỐ_TIỀN" in _err and "Traceback" not in _err
    code, out, _err = run(capsys, workspace, "send", "list")
    assert code == 0 and "Giao nhiệm vụ" in out and "0/2" in out
    code, out, err = run(capsys, workspace, "send", "answer", "ffffffff", "--content", "x")
    assert code == 2 and "Không có khó khăn" in err
    code, out, _err = run(capsys, workspace, "children", "reorganise")
    assert code == 0 and "Xã Đăk Hà" in out and "01/07/2025" in out
    code, out, err = run(capsys, workspace, "children", "reorganise", "--apply")
    assert code == 1 and "01/07/2025" in err
    code, out, err = run(capsys, workspace, "children", "import", str(tmp_path / "nothing"))
    assert code == 2 and "không tồn tại" in err
    (tmp_path / "empty").mkdir()
    code, out, err = run(capsys, workspace, "children", "import", str(tmp_path / "empty"))
    assert code == 2 and "Không tìm thấy tệp gói đồng bộ" in err
