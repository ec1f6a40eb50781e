"""The overview's start-up process imports only what the figures need (issue 17): the areas'
``__init__`` load their reports, workbooks, demo, printing and sync machinery on first use
(``area.lazy_exports``), and the sync card counts what waits without the package writer or
the keys. Every name an area exports still resolves, to the same object as before; the
report list and the demo steps are the same; the capital card's alerts read the lines once
and give the same warnings."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

from ctmtqg_desktop.services import area, capital

#: modules of reports, printing, workbooks, forms, demo, keys and sync packages: main's
#: start-up process imported every one of them to compute the overview
NOT_FOR_THE_FIGURES = (
    "reportlab", "openpyxl", "cryptography", "sqlalchemy.dialects.postgresql",
    "ctmtqg_desktop.reports.document",
    "ctmtqg_desktop.services.report_forms._build", "ctmtqg_desktop.services.report_forms._forms",
    "ctmtqg_desktop.services.archive._forms", "ctmtqg_desktop.services.archive._reports",
    "ctmtqg_desktop.services.sync._enrollment", "ctmtqg_desktop.services.sync._import",
    "ctmtqg_desktop.services.sync._references", "ctmtqg_desktop.services.sync._status",
    "ctmtqg_desktop.sync.identity", "ctmtqg_desktop.sync.package_writer",
    "ctmtqg_desktop.sync.package_reader",
    "ctmtqg_desktop.services.workbook_import", "ctmtqg_desktop.services.households._workbook",
    "ctmtqg_desktop.services.capital._workbook", "ctmtqg_desktop.services.tasks._workbook",
    "ctmtqg_desktop.services.activities._workbook", "ctmtqg_desktop.services.backups",
    "ctmtqg_desktop.services.parent._dispatch", "ctmtqg_desktop.services.parent._detail",
    "ctmtqg_desktop.services.workspaces._restore",
)

_LOADED = """
import json, sys
{before}
print(json.dumps(sorted(sys.modules)))
"""


def _loaded(before: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", _LOADED.format(before=before)],
                         capture_output=True, text=True, check=True, timeout=300).stdout
    return set(json.loads(out.splitlines()[-1]))


def _demo_and_report_modules(loaded: set[str]) -> list[str]:
    return sorted(name for name in loaded if name.startswith("ctmtqg_desktop.services.")
                  and name.rsplit(".", 1)[-1] in ("_demo", "_reports", "_print"))


def test_the_figures_process_imports_nothing_the_figures_do_not_need(demo_workspace):
    if not demo_workspace.uses_sqlite:
        return  # the PostgreSQL dialect is the workspace's own there
    loaded = _loaded("from ctmtqg_desktop.services import overview_early\n"
                     "document = overview_early.compute_document("
                     f"{str(demo_workspace.folder)!r}, None)\n"
                     "assert 'figures' in document, document")
    assert [name for name in NOT_FOR_THE_FIGURES if name in loaded] == []
    assert _demo_and_report_modules(loaded) == []
    # and what the figures need is there: the areas' cards and their data
    assert {"ctmtqg_desktop.services.capital._status", "ctmtqg_desktop.services.sync._export",
            "ctmtqg_desktop.services.dossiers._records"} <= loaded


def test_the_report_list_and_the_demo_load_their_modules_when_asked_for():
    loaded = _loaded("from ctmtqg_desktop.services import area\n"
                     "area.installed()\n"
                     "assert area.reports() and area.demo_steps()")
    reports = _demo_and_report_modules(loaded)
    assert "ctmtqg_desktop.services.capital._reports" in reports
    assert "ctmtqg_desktop.services.capital._demo" in reports
    assert "ctmtqg_desktop.services.households._demo" in reports


def test_every_name_an_area_exports_resolves_to_its_module_s_object():
    packages = {a.key for a in area.installed()} | {"backups"}
    checked = 0
    for key in sorted(packages):
        package = importlib.import_module(f"ctmtqg_desktop.services.{key}")
        for name in package.__all__:
            value = getattr(package, name)  # AttributeError: missing from lazy_exports
            assert name in dir(package)
            module = getattr(value, "__module__", None)
            if isinstance(module, str) and module.startswith(package.__name__ + "._"):
                assert getattr(importlib.import_module(module), value.__name__) is value
            checked += 1
    assert checked > 300


def test_a_name_no_area_exports_is_an_attribute_error():
    from ctmtqg_desktop.services import capital as package

    try:
        package.no_such_name  # noqa: B018
    except AttributeError as error:
        assert "no_such_name" in str(error)
    else:
        raise AssertionError("an unknown name resolved")


def test_the_capital_card_reads_the_lines_once_and_warns_the_same(demo_workspace):
    lines = capital.list_lines(demo_workspace)
    year = demo_workspace.today().year
    summary = capital.year_summary(demo_workspace, year)
    expected = capital.alerts(demo_workspace)
    assert expected  # the demo has warnings of several kinds
    assert capital.alerts(demo_workspace, lines=lines, summary=summary) == expected
    # a summary of another year is not this year's: the alerts read this year's again
    other = capital.year_summary(demo_workspace, year - 1)
    assert other.by_program != summary.by_program
    assert capital.alerts(demo_workspace, lines=lines, summary=other) == expected



def test_the_projects_card_kept_in_memory_follows_a_write(demo_workspace):
    from ctmtqg_desktop.services import overview, projects

    def card():
        found = overview.compute(demo_workspace, save=False)
        return next(s for s in found.sections if s.area == "projects")

    before = card()
    assert card() == before  # read again from memory: the same card
    flag = next(f for f in projects.detect(demo_workspace) if f.is_open)
    projects.mark_not_overlap(demo_workspace, flag.first.id, flag.second.id,
                              "Hai công trình ở hai thôn khác nhau, không trùng nội dung.")
    after = card()
    counts = [int(f.value) for f in (before.figures[2], after.figures[2])]
    assert counts[1] == counts[0] - 1  # the overlap to review is gone at once
