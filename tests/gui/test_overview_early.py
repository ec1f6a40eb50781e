"""The overview takes its start-up figures from the second process (issue 17): shown as
live, exactly ``overview.compute``'s, without computing them again in the window; when the
process gives none the page computes them itself; its refusal is shown as a sentence; and
the whole start (a real ``ctmtqg_desktop.gui`` process) paints before importing SQLAlchemy,
reportlab or openpyxl."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from PySide6.QtWidgets import QLabel

from ctmtqg_desktop.gui.pages.overview import SectionCard


def _figures(sections) -> dict:
    return {s.title: ([(f.label, f.value, f.state) for f in s.figures], list(s.lines))
            for s in sections}


def _window(qtbot, workspace):
    from ctmtqg_desktop.gui.background import TaskRunner
    from ctmtqg_desktop.gui.main_window import MainWindow

    window = MainWindow(runner=TaskRunner())  # the real runner: a worker thread
    qtbot.addWidget(window)
    window.resize(1366, 768)
    (workspace.folder / "cache" / "overview.json").unlink(missing_ok=True)
    assert not window.show_last_known(workspace.folder)
    window.show()
    qtbot.waitExposed(window)
    return window, window.overview_page()


def _counting(monkeypatch):
    from ctmtqg_desktop.services import overview

    calls = []
    real = overview.compute

    def counted(workspace, **options):
        calls.append(workspace)
        return real(workspace, **options)

    monkeypatch.setattr(overview, "compute", counted)
    return calls, real


def test_the_process_figures_are_shown_as_live_and_not_computed_again(
        qtbot, styled_app, demo_workspace, monkeypatch):
    from ctmtqg_desktop.services import overview_early

    calls, real = _counting(monkeypatch)
    window, page = _window(qtbot, demo_workspace)
    process = overview_early.start(str(demo_workspace.folder), demo_workspace.database_url)
    with qtbot.waitSignal(page.figures_shown, timeout=120_000,
                          check_params_cb=lambda live: live):
        page.await_early(process)
        assert page.awaiting_early()
    assert page.loaded and not page.awaiting_early()
    expected = real(demo_workspace, save=False)
    assert _figures(card.section for card in page.cards()) == _figures(expected.sections)
    tasks = next(c for c in page.cards() if c.section.area == "tasks")
    values = [label.text() for label in tasks.findChildren(QLabel)
              if label.objectName() == "figureValue"]
    assert values == [f.value for f in next(s for s in expected.sections
                                            if s.area == "tasks").figures]
    assert page.freshness.text().startswith("Số liệu tính lúc")  # live, not "as of"

    window.attach(demo_workspace)  # the overview's first refresh: no second computation
    window.runner.wait(60_000)
    qtbot.wait(50)
    assert calls == [] and page.loaded
    assert page.first_steps.isHidden()  # the demo has none; they were read all the same
    page.refresh()  # a later visit computes again, as always
    qtbot.waitUntil(lambda: len(calls) == 1, timeout=120_000)


def test_without_figures_from_the_process_the_page_computes_them(
        qtbot, styled_app, demo_workspace, monkeypatch):
    calls, real = _counting(monkeypatch)
    window, page = _window(qtbot, demo_workspace)
    crashed = subprocess.Popen([sys.executable, "-c", "raise SystemExit(1)"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    page.await_early(crashed)
    window.attach(demo_workspace)  # the refresh waits for the process's answer
    with qtbot.waitSignal(page.figures_shown, timeout=120_000,
                          check_params_cb=lambda live: live):
        pass
    assert len(calls) == 1 and page.loaded
    expected = real(demo_workspace, save=False)
    assert _figures(card.section for card in page.cards()) == _figures(expected.sections)


def test_the_process_refusal_is_shown_as_its_sentence(qtbot, styled_app, demo_workspace):
    window, page = _window(qtbot, demo_workspace)
    refused = subprocess.Popen(
        [sys.executable, "-c",
         "import json; print(json.dumps({'error': 'Không tính được số liệu: thử.'}))"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    page.await_early(refused)
    qtbot.waitUntil(lambda: not page.awaiting_early(), timeout=60_000)
    assert page.empty.isVisibleTo(page) and page.empty.text() == "Không tính được số liệu: thử."
    assert not page.loaded and not page.findChildren(SectionCard)


def test_a_visit_elsewhere_while_waiting_discards_the_process_figures(
        qtbot, styled_app, demo_workspace, monkeypatch):
    from ctmtqg_desktop.services import overview_early

    calls, _real = _counting(monkeypatch)
    window, page = _window(qtbot, demo_workspace)
    # a real answer, which arrives only once the event loop runs again (a queued signal):
    # after the visits below
    process = overview_early.start(str(demo_workspace.folder), demo_workspace.database_url)
    page.await_early(process)
    window.attach(demo_workspace)  # first refresh: waits
    window.show_area("difficulties")
    window.show_area("overview")  # second refresh while waiting: the figures may be old
    assert page.awaiting_early() and calls == []
    qtbot.waitUntil(lambda: len(calls) == 1, timeout=120_000)  # computed again here
    qtbot.waitUntil(lambda: page.loaded, timeout=120_000)


def test_the_window_paints_before_the_data_layer_is_imported(demo_workspace, tmp_path):
    """A real start, as a user's: ``python -m ctmtqg_desktop.gui`` with no cached figures
    (the start-up probe writes its report and quits)."""
    if not demo_workspace.uses_sqlite:
        return  # the same code path; one start is enough
    (demo_workspace.folder / "cache" / "overview.json").unlink(missing_ok=True)
    report = tmp_path / "report.json"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CTMTQG_BENCH_T0=repr(time.time()),
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    subprocess.run([sys.executable, "-m", "ctmtqg_desktop.gui", "--workspace",
                    str(demo_workspace.folder), "--startup-report", str(report)],
                   env=env, check=True, timeout=300, capture_output=True)
    measured = json.loads(report.read_text(encoding="utf-8"))
    assert measured["heavy_at_paint"] == []  # no SQLAlchemy, reportlab, openpyxl, YAML
    # nor what the window builds after its first frame (sixth pass): the menus' entries and
    # the backup timer, the keyboard rules, the logging set up with the workspace
    assert measured["first_frame"]["deferred"] == []
    assert measured["first_frame"]["menu_entries"] == 0
    assert measured["first_paint"] <= measured["live_shown"]
    assert measured["live_cpu_children"] > 0  # the figures came from the second process
    assert (demo_workspace.folder / "cache" / "overview.json").exists()


def test_start_up_figures_are_not_reused_when_the_window_opened_on_another_page(
        qtbot, styled_app, demo_workspace, monkeypatch):
    from ctmtqg_desktop.gui import settings as gui_settings
    from ctmtqg_desktop.services import overview_early

    calls, _real = _counting(monkeypatch)
    window, page = _window(qtbot, demo_workspace)
    process = overview_early.start(str(demo_workspace.folder), demo_workspace.database_url)
    with qtbot.waitSignal(page.figures_shown, timeout=120_000):
        page.await_early(process)  # shown before the workspace is open
    gui_settings.use_workspace(f"{demo_workspace.folder.resolve()}|{demo_workspace.location}")
    gui_settings.save(gui_settings.LAST_PAGE, "difficulties")  # where the user left off
    window.attach(demo_workspace)
    assert window.current_page() is window.pages["difficulties"]
    window.runner.wait(60_000)
    window.show_area("overview")  # records may have changed meanwhile: computed again
    qtbot.waitUntil(lambda: len(calls) == 1, timeout=120_000)


def test_the_bundled_executable_runs_the_process_with_its_flag(tmp_path, capsys):
    """In the PyInstaller bundle ``sys.executable`` is the window's executable: the process
    is started as ``ctmtqg-desktop --overview-process …`` and answers as the module does."""
    from ctmtqg_desktop.gui.app import main

    assert main(["--overview-process", "--workspace", str(tmp_path / "none")]) == 0
    assert json.loads(capsys.readouterr().out) == {"absent": "no database"}
    assert not (tmp_path / "none").exists()


def test_keyboard_rules_installed_after_the_first_paint_reach_the_views_already_shown(
        qtbot, qapp):
    """The start installs the keyboard rules after the first paint: the navigation, polished
    before, gets them too (Tab leaves it)."""
    from PySide6.QtWidgets import QListWidget

    from ctmtqg_desktop.gui import keyboard

    view = QListWidget()
    qtbot.addWidget(view)
    view.show()
    view.setTabKeyNavigation(True)  # as if polished before any rules were installed
    rules = keyboard.install(qapp)
    try:
        assert not view.tabKeyNavigation()
    finally:
        qapp.removeEventFilter(rules)
        rules.deleteLater()
