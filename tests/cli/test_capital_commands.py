"""``ctmtqg capital …`` and ``ctmtqg portfolio …`` on the demo: Vietnamese output, exit codes."""

from ctmtqg_desktop.cli import main


def run(capsys, workspace, *args):
    code = main([*args, "--workspace", str(workspace.folder)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_lines_status_alerts_and_counterpart(demo_workspace, capsys):
    code, out, _err = run(capsys, demo_workspace, "capital", "lines", "--year", "2023",
                          "--program", "NTM")
    assert code == 0
    assert "CTMTQG NTM năm 2023, vốn ĐTPT, Ngân sách trung ương" in out
    assert "2.400.000.000" in out and "DTTS" not in out
    code, out, _err = run(capsys, demo_workspace, "capital", "status")
    assert code == 0 and "Năm 2023: giao 7.398.000.000 đồng" in out
    assert "đường tiến độ 79,2%" in out and "Theo nguồn vốn" in out
    code, out, _err = run(capsys, demo_workspace, "capital", "alerts")
    assert code == 0 and out.splitlines()[0].startswith("!! ")
    code, out, _err = run(capsys, demo_workspace, "capital", "counterpart")
    assert code == 0 and "60.000.000" in out and "mặc định của phần mềm" in out


def test_rank_overlaps_and_adjustment(demo_workspace, capsys):
    code, out, _err = run(capsys, demo_workspace, "portfolio", "rank")
    assert code == 0 and out.splitlines()[2].startswith("1 ")
    assert "Nhà văn hóa thôn 7" in out.splitlines()[2]
    code, out, _err = run(capsys, demo_workspace, "portfolio", "rank", "--weights", "0,100,0")
    assert code == 0 and "Nhà văn hóa thôn 7" not in out.splitlines()[2]
    code, _out, err = run(capsys, demo_workspace, "portfolio", "rank", "--weights", "1,2")
    assert code == 2 and "ba số nguyên" in err and "Traceback" not in err
    code, out, _err = run(capsys, demo_workspace, "portfolio", "overlaps")
    assert code == 0 and "Kon Mong Tu" in out and "không trùng lặp:" in out
    code, out, _err = run(capsys, demo_workspace, "portfolio", "adjustment")
    assert code == 0 and "Tổng cộng: 500.000.000 đồng" in out


def test_template_and_import(demo_workspace, capsys, tmp_path):
    template = tmp_path / "mau.xlsx"
    code, out, _err = run(capsys, demo_workspace, "capital", "template", "--out", str(template))
    assert code == 0 and template.exists()
    # the template's example row is a valid line: importing it adds one line
    code, out, _err = run(capsys, demo_workspace, "capital", "import-xlsx", str(template))
    assert code == 0 and "Đã nhập dòng kế hoạch vốn: thêm 1," in out
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"not a workbook")
    code, _out, err = run(capsys, demo_workspace, "capital", "import-xlsx", str(broken))
    assert code == 1 and "Traceback" not in err and "hong.xlsx" in err
