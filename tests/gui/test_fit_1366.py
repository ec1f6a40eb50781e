"""Nothing is cut at 1366x768 (issue 15), where geometry can be asserted: the chart's month
labels are above the fold, capital's search box shows its placeholder, the task name
column is wide enough for a task's first words, and every status bar text fits its label."""

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QLabel, QScrollArea

from ctmtqg_desktop.gui.screenshots import wait_until_idle
from tests.gui.test_capital_page import open_capital
from tests.gui.test_tasks_page import open_tasks


def test_the_chart_month_labels_are_visible_without_scrolling(window):
    page = open_capital(window)
    page.tabs.setCurrentIndex(1)
    wait_until_idle(window)
    chart = page.chart
    scroll = next(s for s in page.findChildren(QScrollArea) if s.isAncestorOf(chart))
    viewport = scroll.viewport()
    bottom = chart.mapTo(viewport, QPoint(0, chart.height())).y()
    assert scroll.verticalScrollBar().value() == 0
    assert bottom <= viewport.height(), (bottom, viewport.height())
    labels_height = chart.fontMetrics().height() + 6
    assert chart.height() >= 240 + labels_height // 2  # a chart, not a sliver


def test_capital_search_box_shows_its_placeholder(window):
    page = open_capital(window)
    wait_until_idle(window)
    box = page.search
    shown = box.fontMetrics().horizontalAdvance(box.placeholderText())
    assert box.isVisible() and box.width() >= shown + 30, (box.width(), shown)


def test_the_task_name_column_shows_the_first_words_of_a_task(window):
    page = open_tasks(window)
    wait_until_idle(window)
    metrics = page.table.fontMetrics()
    assert page.table.columnWidth(0) >= metrics.horizontalAdvance(
        "Kiểm tra, giám sát hằng quý việc"), page.table.columnWidth(0)
    assert page.splitter.widget(1).width() >= page.splitter.widget(1).minimumSizeHint().width()


def _status_texts_fit(window) -> None:
    wait_until_idle(window)
    labels = [label for label in window.statusBar().findChildren(QLabel)
              if label.isVisible() and label.text()]
    assert labels
    for label in labels:
        needed = label.fontMetrics().horizontalAdvance(label.text())
        margins = label.contentsMargins()
        assert label.contentsRect().width() >= needed, (label.text(), label.width(), needed,
                                                        margins)


def test_status_bar_texts_fit_for_a_commune(window):
    _status_texts_fit(window)


def test_status_bar_texts_fit_for_a_parent(parent_window):
    _status_texts_fit(parent_window)


def test_every_overview_card_is_above_the_fold(window):
    """The commune overview's eight cards fit at 1366x768 (issue 15: the second row was cut
    at the bottom): no card ends below the visible part, nothing scrolls, and a card that
    leaves out warning lines says how many (all of them stay in its tooltip)."""
    from ctmtqg_desktop.gui.pages.overview import SectionCard

    window.show_area("overview")
    page = window.current_page()
    wait_until_idle(window)
    viewport = page.cards_scroll.viewport()
    cards = page.cards()
    assert len(cards) == 8
    for card in cards:
        assert isinstance(card, SectionCard)
        bottom = card.mapTo(viewport, QPoint(0, card.height())).y()
        assert bottom <= viewport.height(), (card.section.title, bottom, viewport.height())
        assert card.height() >= card.layout().totalHeightForWidth(card.width())
        shown = [line for line in card.lines if line.isVisible()]
        if len(shown) < len(card.lines):
            assert card.more.isVisible()
            assert f"{len(card.lines) - len(shown)} dòng nữa" in card.more.text()
            assert card.lines[-1].full_text in card.more.toolTip()
    assert page.cards_scroll.verticalScrollBar().maximum() == 0
    # a taller window shows more of the lines
    hidden = sum(not line.isVisible() for card in cards for line in card.lines)
    window.resize(1366, 1000)
    wait_until_idle(window)
    assert sum(not line.isVisible() for card in page.cards() for line in card.lines) < hidden


def _shows_whole(view, column: int) -> None:
    """Every row shown in ``column`` fits its width (the text and the cell's padding)."""
    model, metrics = view.model(), view.fontMetrics()
    first = view.rowAt(0)
    last = view.rowAt(view.viewport().height() - 1)
    last = model.rowCount() - 1 if last < 0 else last
    for row in range(first, last + 1):
        text = str(model.index(row, column).data() or "")
        assert metrics.horizontalAdvance(text) + 8 <= view.columnWidth(column), (
            text, view.columnWidth(column))


def test_the_capital_grid_shows_whole_source_names(window):
    page = open_capital(window)
    wait_until_idle(window)
    _shows_whole(page.line_view, 1)
    # the grid's short name, the catalog's full name in the line's title
    texts = {page.line_view.model().index(r, 1).data()
             for r in range(page.line_view.model().rowCount())}
    assert "NS trung ương" in texts


def test_the_task_lead_and_status_columns_are_not_cut(window):
    page = open_tasks(window)
    wait_until_idle(window)
    model = page.table.model()
    metrics = page.table.fontMetrics()
    for row in range(model.rowCount()):
        status = str(model.index(row, 4).data()).split(" · ")[0]
        assert metrics.horizontalAdvance(status) + 8 <= page.table.columnWidth(4), status
        lead = str(model.index(row, 1).data())
        if lead.startswith("UBND xã"):
            assert metrics.horizontalAdvance(lead) + 8 <= page.table.columnWidth(1), lead


def test_the_sync_folder_field_shows_its_placeholder(window):
    window.show_area("sync")
    page = window.current_page()
    wait_until_idle(window)
    box = page.exchange.folder
    shown = box.fontMetrics().horizontalAdvance(box.placeholderText())
    assert box.isVisible() and box.width() >= shown + 30, (box.width(), shown)
    assert box.toolTip()


def test_the_project_name_column_has_the_room(window):
    """Dự án, công trình: the name column takes what the figures leave; the warnings column
    is as wide as its words ("trùng lặp?"), the rest being in the tooltip."""
    window.show_area("projects")
    wait_until_idle(window)
    page = window.current_page()
    view, header = page.view, page.view.horizontalHeader()
    metrics = view.fontMetrics()
    assert view.columnWidth(1) >= metrics.horizontalAdvance("Bê tông hóa đường") + 8, \
        view.columnWidth(1)
    others = [view.columnWidth(c) for c in range(header.count()) if c != 1]
    assert view.columnWidth(1) > max(others)
    warnings = view.columnWidth(header.count() - 1)
    needed = max(metrics.horizontalAdvance("trùng lặp?"),
                 header.fontMetrics().horizontalAdvance("Cảnh báo"))
    assert needed <= warnings <= needed + 20, (warnings, needed)  # no more than its words
