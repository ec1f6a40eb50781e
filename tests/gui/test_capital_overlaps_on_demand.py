"""The capital page detects the overlap review only when the allocation dialog asks for its
warning (issue 17: five years of a commune's projects and supports were compared at every
visit and every line shown), and asks again after the next line is loaded: a decision taken
on the projects page in between is followed."""

from ctmtqg_desktop.gui.pages.capital._dialogs import AllocationDialog
from ctmtqg_desktop.services import projects
from tests.gui.test_capital_page import D, open_capital, select_line

LINE = "CTMTQG NTM năm 2023, vốn ĐTPT, Ngân sách trung ương"


def test_overlaps_are_detected_when_the_dialog_asks(window, qtbot, monkeypatch):
    calls = []
    detect = projects.detect
    monkeypatch.setattr(projects, "detect", lambda ws: calls.append(1) or detect(ws))
    page = open_capital(window)
    select_line(page, LINE)
    page.refresh()
    assert calls == []  # visits and lines shown compare nothing
    flagged = page.flagged_projects
    assert flagged and len(calls) == 1
    assert page.flagged_projects is flagged and len(calls) == 1  # kept for the line

    # an officer decides on the projects page that a flagged pair is not an overlap
    pair = next(f for f in detect(page.workspace) if f.is_open)
    projects.mark_not_overlap(page.workspace, pair.first.id, pair.second.id,
                              "Hai công trình ở hai vị trí khác nhau")
    page.refresh()  # the line is loaded again: the counts are asked again
    counts = page.flagged_projects
    assert len(calls) == 2
    assert counts == projects.open_counts(detect(page.workspace)) != flagged
    dialog = AllocationDialog(page, line=page.current_line, projects=page.project_choices,
                              today=D(2023, 10, 16), overlaps=page.flagged_projects)
    qtbot.addWidget(dialog)
    for index in range(dialog.project.count()):
        dialog.project.setCurrentIndex(index)
        count = counts.get(dialog.project.currentData(), 0)
        assert dialog.overlap_warning.isVisibleTo(dialog) == bool(count)
