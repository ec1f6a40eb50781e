"""The overview's start-up process (issue 17, ``services/overview_early``): a real second
process on a real workspace gives exactly the figures of ``overview.compute``; it writes
nothing to a workspace it would have to prepare; it refuses in a sentence, never a
traceback; importing it costs nothing heavy, and the overview's path imports no reportlab,
openpyxl or PostgreSQL dialect."""

from __future__ import annotations

import json
import subprocess
import sys

from ctmtqg_desktop.services import overview, overview_early
from ctmtqg_desktop.services.overview_data import load_snapshot


def _early(workspace) -> overview_early.EarlyResult:
    process = overview_early.start(str(workspace.folder), workspace.database_url)
    assert process is not None
    return overview_early.collect(process)


def test_the_process_gives_exactly_the_figures_of_overview_compute(demo_workspace):
    snapshot = demo_workspace.folder / "cache" / "overview.json"
    snapshot.unlink(missing_ok=True)
    result = _early(demo_workspace)
    assert result.error is None and result.overview is not None, result.reason
    expected = overview.compute(demo_workspace, save=False)
    got = result.overview
    assert not got.from_snapshot  # live: computed from the records at this start
    assert got.header == expected.header
    assert got.sections == expected.sections  # every card: title, figures, lines, order
    assert len(got.sections) >= 8
    kept = load_snapshot(demo_workspace.folder)  # the process also kept the copy
    assert kept is not None and kept.sections == expected.sections


def test_nothing_is_computed_or_written_before_the_window_sets_the_workspace_up(tmp_path):
    folder = tmp_path / "new"
    assert overview_early.compute_document(str(folder), None) == {"absent": "no database"}
    assert not folder.exists()
    process = overview_early.start(str(folder), None)
    result = overview_early.collect(process)
    assert result.overview is None and result.error is None
    assert result.reason == "absent: no database"
    assert not folder.exists()


def test_a_refusal_is_its_vietnamese_sentence(demo_workspace, monkeypatch):
    from ctmtqg_desktop.domain.errors import BadArgument

    def refused(workspace, **options):
        raise BadArgument(detail="số liệu thử")

    monkeypatch.setattr(overview, "compute", refused)
    document = overview_early.compute_document(str(demo_workspace.folder),
                                               demo_workspace.database_url)
    assert set(document) == {"error"}
    assert "số liệu thử" in document["error"] and "Traceback" not in document["error"]


def _process(code: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def test_a_crash_or_a_strange_answer_gives_no_figures():
    crashed = overview_early.collect(_process("raise SystemExit(3)"))
    assert crashed.overview is None and crashed.error is None
    assert crashed.reason.startswith("exit 3")
    garbled = overview_early.collect(_process("print('not json')"))
    assert garbled.overview is None and garbled.reason == "unreadable output"
    other = overview_early.collect(_process(
        "print('{\"figures\": {\"format\": 99}}')"))
    assert other.overview is None and other.reason == "unreadable figures"
    said = overview_early.collect(_process(
        "import json; print(json.dumps({'error': 'Không đọc được'}))"))
    assert said.error == "Không đọc được" and said.overview is None


def test_a_process_that_does_not_answer_is_stopped():
    hung = _process("import time; time.sleep(60)")
    result = overview_early.collect(hung, timeout=0.5)
    assert result.reason == "timeout" and hung.poll() is not None


_MODULES = """
import json, sys
{before}
heavy = ("sqlalchemy", "reportlab", "openpyxl", "sqlalchemy.dialects.postgresql")
print(json.dumps([name for name in heavy if name in sys.modules]))
"""


def _imported(before: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", _MODULES.format(before=before)],
                         capture_output=True, text=True, check=True, timeout=300).stdout
    return json.loads(out.splitlines()[-1])


def test_the_window_can_start_the_process_before_importing_anything_heavy():
    assert _imported("import ctmtqg_desktop.services.overview_early") == []


def test_the_overview_path_imports_no_report_writer_and_no_postgresql_dialect(demo_workspace):
    if not demo_workspace.uses_sqlite:
        return  # the PostgreSQL dialect is the workspace's own there
    before = ("from ctmtqg_desktop.services import overview_early\n"
              f"document = overview_early.compute_document({str(demo_workspace.folder)!r}, "
              "None)\nassert 'figures' in document, document")
    assert _imported(before) == ["sqlalchemy"]


def test_the_carry_over_mapping_is_read_without_the_units():
    from ctmtqg_desktop.services import catalog

    whole = catalog.read_catalog()
    part = catalog.read_catalog(parts=("programs", "program_mapping"))
    assert part.program_mapping == whole.program_mapping and whole.program_mapping
    assert part.units == [] and whole.units


def test_the_report_forms_are_read_when_the_report_list_is_asked_for():
    code = ("import ctmtqg_desktop.services.areas\n"
            "from ctmtqg_desktop.services.report_forms import _forms\n"
            "print(_forms._shipped.cache_info().currsize)\n"
            "from ctmtqg_desktop.services import area\n"
            "print(sum(spec.key.startswith('form-') for spec in area.reports()))\n"
            "print(_forms._shipped.cache_info().currsize)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=300).stdout.split()
    assert out[0] == "0"  # importing every area (the start-up process) reads no form
    assert int(out[1]) >= 1 and out[2] == "1"  # the report list has them all the same
