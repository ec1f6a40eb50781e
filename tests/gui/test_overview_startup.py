"""Start-up without cached figures (issue 17): the window paints the overview's skeleton at
once, the figures are computed on the task runner (the GUI thread stays free), then the
cards show exactly the figures computed from the records. The computation is held at a
gate until the test has seen the window shown: deterministic, no timer."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QApplication, QLabel

from ctmtqg_desktop.gui.pages.overview import SectionCard, SkeletonCard


def _figures(sections) -> dict:
    return {s.title: [(f.label, f.value) for f in s.figures] for s in sections}


def test_the_window_is_shown_before_the_figures_and_the_cards_get_them_after(
        qtbot, styled_app, demo_workspace, monkeypatch):
    from ctmtqg_desktop.services import overview

    snapshot = demo_workspace.folder / "cache" / "overview.json"
    snapshot.unlink(missing_ok=True)  # a first start: no figures kept
    real = overview.compute
    started, gate = threading.Event(), threading.Event()
    threads = []

    def held(workspace, **options):
        threads.append(threading.current_thread())
        started.set()
        assert gate.wait(120)
        return real(workspace, **options)

    monkeypatch.setattr(overview, "compute", held)
    try:
        _start(qtbot, demo_workspace, snapshot, real, started, gate, threads)
    finally:
        gate.set()  # a failed check must not leave the worker waiting


def _start(qtbot, demo_workspace, snapshot, real, started, gate, threads) -> None:
    from ctmtqg_desktop.gui.background import TaskRunner
    from ctmtqg_desktop.gui.main_window import MainWindow

    window = MainWindow(runner=TaskRunner())  # the real runner: a worker thread
    qtbot.addWidget(window)
    window.resize(1366, 768)
    assert not window.show_last_known(demo_workspace.folder)
    window.show()
    qtbot.waitExposed(window)
    page = window.pages["overview"]
    assert len(page.findChildren(SkeletonCard)) == 9 and not page.shown

    window.attach(demo_workspace)  # opens the overview; its figures go to the runner
    assert started.wait(60)
    # the figures are being computed, off the GUI thread, and the window is up meanwhile
    assert threads[0] is not threading.main_thread()
    assert window.isVisible() and not page.loaded and not page.findChildren(SectionCard)
    QApplication.processEvents()  # the event loop runs while the computation waits
    assert any(card.isVisible() for card in page.findChildren(SkeletonCard))
    assert page.freshness.text() == "Đang tính số liệu…"
    assert page.unit_title.text() == "Xã Đắk La"  # the skeleton names the unit at once
    assert not snapshot.exists()

    with qtbot.waitSignal(page.figures_shown, timeout=120_000,
                          check_params_cb=lambda live: live):
        gate.set()
    assert page.loaded and not page.loading
    expected = _figures(real(demo_workspace, save=False).sections)
    shown = _figures(card.section for card in page.cards())
    assert shown == expected and "Thôn, làng" in shown
    # the labels on the screen are the figures (not only the card's data)
    villages = next(c for c in page.cards() if c.section.title == "Thôn, làng")
    values = [label.text() for label in villages.findChildren(QLabel)
              if label.objectName() == "figureValue"]
    assert values == [value for _label, value in expected["Thôn, làng"]]
    assert not [c for c in page.findChildren(SkeletonCard) if c.isVisible()]
    assert snapshot.exists()  # the next start shows these at once
