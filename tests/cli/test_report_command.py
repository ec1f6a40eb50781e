"""``ctmtqg report KEY --period|--date`` (issue 14): the figures of the period's end,
Vietnamese default file names, periods refused with a sentence."""

from __future__ import annotations

from openpyxl import load_workbook

from ctmtqg_desktop.cli import main
from ctmtqg_desktop.services import capital


def run(capsys, workspace, *args):
    code = main([*args, "--workspace", str(workspace.folder)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_report_capital_on_a_date_gives_that_days_figures(demo_workspace, capsys, tmp_path,
                                                          monkeypatch):
    import datetime as dt

    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, demo_workspace, "report", "capital", "--date", "30/06/2023",
                         "--format", "xlsx")
    assert code == 0, err
    name = "bao-cao-ke-hoach-von-giao-phan-bo-giai-ngan-2023-06-30.xlsx"
    assert name in out and (tmp_path / name).exists()
    sheet = load_workbook(tmp_path / name).worksheets[0]
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith("Tính đến ngày 30/06/2023") for t in texts)
    total = next(r for r in sheet.iter_rows(values_only=True) if "Tổng cộng" in r)
    june = capital.year_summary(demo_workspace, 2023, as_of=dt.date(2023, 6, 30)).total
    assert total[5] == june.disbursed
    assert june.disbursed != capital.year_summary(demo_workspace, 2023).total.disbursed


def test_a_form_by_period_and_a_bad_period(demo_workspace, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, demo_workspace, "report", "form-gnbv-tt10-2022-mau01",
                         "--period", "6t/2023")
    assert code == 0, err
    assert "bao-cao-bao-cao" not in out and out.strip().endswith("-2023-06-30.pdf")
    code, _out, err = run(capsys, demo_workspace, "report", "tasks", "--period", "Q5/2023")
    assert code == 2 and "không phải là kỳ báo cáo" in err and "Traceback" not in err
    code, _out, err = run(capsys, demo_workspace, "report", "form-gnbv-tt10-2022-bieu02",
                          "--period", "Q2/2023")
    assert code == 2 and "quý II năm 2023" in err
    code, _out, err = run(capsys, demo_workspace, "report", "board")
    assert code == 2 and "không lập báo cáo" in err


def test_a_forms_parameter_is_printed_and_a_wrong_one_refused(demo_workspace, capsys,
                                                              tmp_path):
    out = tmp_path / "qd51.xlsx"
    code, _out, err = run(capsys, demo_workspace, "report", "form-ntm-qd51-2025-tu-danh-gia",
                          "--period", "2023", "--format", "xlsx", "--out", str(out),
                          "--param", "commune_group=Xã nhóm 3")
    assert code == 0, err
    texts = [c.value for sheet in load_workbook(out) for row in sheet.iter_rows() for c in row
             if isinstance(c.value, str)]
    assert any(t.startswith("Xã nhóm 3 - (Kèm theo Báo cáo") for t in texts)
    code, _out, err = run(capsys, demo_workspace, "report", "form-ntm-qd51-2025-tu-danh-gia",
                          "--period", "2023", "--param", "commune_group=nhóm 9")
    assert code == 2 and "Xã nhóm 1, Xã nhóm 2, Xã nhóm 3" in err and "nhóm 9" in err
