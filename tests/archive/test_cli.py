"""``ctmtqg archive`` for both roles, and ``ctmtqg report`` refusing a parent's report to a
commune."""

from __future__ import annotations

import datetime as dt

from ctmtqg_desktop.cli import main
from ctmtqg_desktop.services import archive
from tests.parent.conftest import set_today


def _args(workspace) -> list[str]:
    args = ["--workspace", str(workspace.folder)]
    if workspace.database_url and not workspace.database_url.startswith("sqlite"):
        args += ["--database-url", workspace.database_url]
    return args


def test_a_commune_issues_signs_and_cannot_delete(new_workspace, capsys, tmp_path):
    commune = new_workspace(unit="23524")
    set_today(commune, dt.date(2023, 7, 10))
    ws = _args(commune)
    assert main(["archive", "kinds", *ws]) == 0
    kinds = capsys.readouterr().out
    assert "capital:" in kinds and "board" not in kinds
    assert main(["archive", "issue", "--kind", "tasks", "--period", "6t/2023", *ws]) == 0
    out = capsys.readouterr().out
    assert "1/BC-UBND" in out and "SHA-256" in out and out.count(".pdf") == 1
    assert main(["archive", "sign", "1/BC-UBND/2023", "--approver", "Nguyễn Văn Bình",
                 *ws]) == 0
    assert "Nguyễn Văn Bình" in capsys.readouterr().out
    assert main(["archive", "delete", "1/bc-ubnd/2023", *ws]) == 1
    err = capsys.readouterr().err
    assert "Nguyễn Văn Bình" in err and "Traceback" not in err
    assert main(["archive", "list", *ws]) == 0
    listed = capsys.readouterr().out
    assert "1/BC-UBND" in listed and "10/07/2023" in listed
    assert main(["archive", "open", "1/BC-UBND/2023", "--out", str(tmp_path / "o"), *ws]) == 0
    assert list((tmp_path / "o").glob("*.pdf"))
    assert main(["archive", "issue", "--kind", "tasks", "--period", "q5/2023", *ws]) == 2
    assert "q5/2023" in capsys.readouterr().err
    # a parent's report is refused with a sentence, and nothing is written
    out_file = tmp_path / "board.pdf"
    assert main(["report", "board", "--out", str(out_file), *ws]) == 2
    assert "board" in capsys.readouterr().err and not out_file.exists()
    assert main(["archive", "request", "--kind", "tasks", "--period", "2023", "--due",
                 "15/01/2024", *ws]) == 1
    capsys.readouterr()


def test_a_parent_asks_and_sees_who_has_not_reported(new_workspace, capsys):
    parent = new_workspace(unit="615", role="parent", name="Phòng Tài chính - Kế hoạch")
    set_today(parent, dt.date(2023, 7, 20))
    ws = _args(parent)
    assert main(["archive", "request", "--kind", "capital", "--period", "6t/2023", "--due",
                 "15/07/2023", *ws]) == 0
    capsys.readouterr()
    assert main(["archive", "completeness", *ws]) == 0
    out = capsys.readouterr().out
    assert "Xã Đắk La" in out and out.count(archive.state_label("missing")) >= 11
    assert main(["archive", "issue", "--kind", "capital", "--period", "6t/2023", *ws]) == 0
    out = capsys.readouterr().out
    assert "1/BC-UBND" in out and "Xã Hà Mòn" in out


def _help(args: list[str], capsys) -> str:
    import pytest

    with pytest.raises(SystemExit) as ended:
        main(["report", "--help", *args])
    assert ended.value.code == 0
    return capsys.readouterr().out


def test_report_help_lists_the_reports_of_the_workspaces_role(new_workspace, capsys):
    commune = new_workspace(unit="23524")
    parent = new_workspace(unit="615", role="parent", name="Phòng Tài chính - Kế hoạch")
    said = _help(_args(commune), capsys)
    assert "board" not in said and "completeness" not in said
    assert "form-gnbv-tt10-2022-bieu02" in said and "capital" in said
    said = _help(_args(parent), capsys)
    assert "board" in said and "completeness" in said
    # the parent's form is its consolidation of the children's issued forms
    assert "form-gnbv-tt10-2022-bieu02" in said


def test_a_commune_issues_an_official_form_from_the_command_line(new_workspace, capsys):
    commune = new_workspace(unit="23524")
    set_today(commune, dt.date(2023, 7, 10))
    ws = _args(commune)
    assert main(["archive", "kinds", *ws]) == 0
    assert "form-gnbv-tt10-2022-bieu02:" in capsys.readouterr().out
    assert main(["archive", "issue", "--kind", "form-gnbv-tt10-2022-bieu02", "--period",
                 "6t/2023", *ws]) == 0
    out = capsys.readouterr().out
    assert "1/BC-UBND" in out and out.count(".xlsx") == 1 and out.count(".pdf") == 1
    report = archive.issued_reports(commune)[0]
    assert report.kind == "form-gnbv-tt10-2022-bieu02" and report.figures
    # a period the form does not offer is refused with a sentence, nothing issued
    assert main(["archive", "issue", "--kind", "form-gnbv-tt10-2022-bieu02", "--period",
                 "q3/2023", *ws]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert len(archive.issued_reports(commune)) == 1
