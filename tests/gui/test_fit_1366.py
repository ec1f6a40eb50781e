"""Nothing is cut at 1366x768 (issue 15), where geometry can be asserted: the chart's month
labels are above the fold, capital's search box shows its placeholder, the task name
column is wide enough for a task's first words, every status bar text fits its label, the
task and project lists wrap what their columns cannot hold on one line, and the project
form's combos show the whole choice."""

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QTextLayout, QTextOption
from PySide6.QtWidgets import QLabel, QScrollArea, QStyle, QStyleOptionComboBox

from ctmtqg_desktop.gui.screenshots import wait_until_idle
from ctmtqg_desktop.gui.wrapping_combo import WrappingCombo
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


@pytest.mark.parametrize("which", ["window", "dak_ha_window"])
def test_overview_captions_are_not_cut(which, request):
    """The three columns of cards are equally wide, and every figure's caption has the
    height its wrapped lines need: a long card title widened the first column, the others
    were narrower than the width their captions were measured at, and the capital card's
    two-line captions were cut at the bottom (Xã Đăk Hà at 1366x768)."""
    from ctmtqg_desktop.gui.pages.overview import FigureLabel

    window = request.getfixturevalue(which)
    window.show_area("overview")
    page = window.current_page()
    wait_until_idle(window)
    widths = {card.width() for card in page.cards()}
    assert max(widths) - min(widths) <= 1, widths
    captions = [label for card in page.cards() for label in card.findChildren(FigureLabel)]
    assert captions
    wrapped = 0
    for label in captions:
        needed = label.heightForWidth(label.width())
        assert label.height() >= needed, (label.text(), label.width(), label.height(), needed)
        wrapped += needed > label.fontMetrics().height() + 4
    if which == "dak_ha_window":
        assert wrapped, "no caption wraps: the test would not see a cut one"


@pytest.mark.parametrize("which", ["window", "dak_ha_window"])
def test_the_disbursement_by_project_shows_the_projects_names(which, request):
    """The projects' names take the table's width: the programme column shows only when the
    projects belong to several (2023: three programmes; from 2026 one, named by the filter),
    and was taking 150 px of the 600 while the names were cut after a word."""
    window = request.getfixturevalue(which)
    page = open_capital(window)
    page.tabs.setCurrentIndex(1)
    wait_until_idle(window)
    table = page.project_rates
    programmes = {table.item(r, 1).text() for r in range(table.rowCount())}
    assert table.rowCount() and table.isColumnHidden(1) == (len(programmes) == 1)
    if which == "dak_ha_window":
        assert programmes == {"CTMTQG 2026-2035"}
        assert table.columnWidth(0) >= 220, table.columnWidth(0)
    else:
        assert len(programmes) > 1


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
    """Rows have two lines; a status and its state ("đang thực hiện", "quá hạn") each fit
    the status column (issue 15: "đang thực hiệ…" on late rows), a commune's own lead
    whole, and every deadline ("Thường xuyên", a date) fits its column."""
    page = open_tasks(window)
    wait_until_idle(window)
    view = page.table
    model = view.model()
    metrics = view.fontMetrics()
    seen = set()
    for row in range(model.rowCount()):
        status = str(model.index(row, 4).data())
        assert _wraps_whole(view, row, 4), (status, view.columnWidth(4))
        seen.add(status.replace("\n", " "))
        lead = str(model.index(row, 1).data())
        if lead.startswith("UBND xã"):
            assert metrics.horizontalAdvance(lead) + 8 <= view.columnWidth(1), lead
    assert "đang thực hiện quá hạn" in seen  # the demo has late rows


def test_the_task_deadlines_are_not_cut(window):
    """A deadline, a date or a schedule ("Thường xuyên"; issue 15: "Thường x…"), and a
    percentage ("100%") fit their columns on the row's two lines, and the task names keep
    their room."""
    page = open_tasks(window)
    wait_until_idle(window)
    view = page.table
    model = view.model()
    for row in range(model.rowCount()):
        due = str(model.index(row, 3).data())
        assert _wraps_whole(view, row, 3), (due, view.columnWidth(3))
    dues = {str(model.index(row, 3).data()) for row in range(model.rowCount())}
    assert "Thường xuyên" in dues
    for row in range(model.rowCount()):  # and the percentage ("100%" was "10…")
        assert _wraps_whole(view, row, 5), (model.index(row, 5).data(), view.columnWidth(5))
    assert "100%" in {model.index(row, 5).data() for row in range(model.rowCount())}
    assert view.columnWidth(0) >= view.fontMetrics().horizontalAdvance(
        "Kiểm tra, giám sát hằng quý việc")


def test_the_sync_folder_field_shows_its_placeholder(window):
    window.show_area("sync")
    page = window.current_page()
    wait_until_idle(window)
    box = page.exchange.folder
    shown = box.fontMetrics().horizontalAdvance(box.placeholderText())
    assert box.isVisible() and box.width() >= shown + 30, (box.width(), shown)
    assert box.toolTip()


def _lines_of(view, row: int) -> int:
    """How many lines of text a row of ``view`` shows."""
    return (view.rowHeight(row) - 6) // view.fontMetrics().lineSpacing()


def _wraps_whole(view, row: int, column: int) -> bool:
    """The cell's text, wrapped at its words, fits the cell: no word wider than the column
    and no more lines than the row shows (the cell's padding counted)."""
    text = str(view.model().index(row, column).data() or "")
    width = view.columnWidth(column) - 8
    box = view.fontMetrics().boundingRect(QRect(0, 0, width, 100_000),
                                          int(Qt.AlignLeft | Qt.TextWordWrap), text)
    lines = box.height() // view.fontMetrics().lineSpacing()
    return box.width() <= width and lines <= _lines_of(view, row)


def _words_shown(view, row: int, column: int) -> int:
    """How many words of the cell's text are shown: the words of the lines the row has
    room for, less the last line's last word when more follows (the "…" takes its place)."""
    text = str(view.model().index(row, column).data() or "")
    layout = QTextLayout(text, view.font())
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    shown = ""
    for _line in range(_lines_of(view, row)):
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(view.columnWidth(column) - 8)
        shown = text[:line.textStart() + line.textLength()]
    layout.endLayout()
    if len(shown) >= len(text):
        return len(text.split())
    return max(len(shown.split()) - 1, 0)


def test_the_project_name_column_has_the_room(window):
    """Dự án, công trình: rows of two lines, the name column takes what the figures leave
    and shows at least the first five words of every name (issue 15: "Bê tông hóa đường …",
    four words), the whole name in the tooltip; each warning ("chậm giải ngân", "trùng
    lặp?") whole: see the next test."""
    window.show_area("projects")
    wait_until_idle(window)
    page = window.current_page()
    view, header, model = page.view, page.view.horizontalHeader(), page.view.model()
    others = [view.columnWidth(c) for c in range(header.count()) if c != 1]
    assert view.columnWidth(1) > max(others)
    for row in range(model.rowCount()):
        name = str(model.index(row, 1).data())
        assert _words_shown(view, row, 1) >= min(5, len(name.split())), (
            name, view.columnWidth(1), view.rowHeight(row))
        assert name in model.index(row, 1).data(Qt.ToolTipRole)


def test_the_project_warnings_are_whole(window):
    """Each warning ("chậm giải ngân", "trùng lặp?"; issue 15: "chậm gi…") is whole, one a
    line, in a column no wider than the widest single warning (the name keeps the room)."""
    window.show_area("projects")
    wait_until_idle(window)
    page = window.current_page()
    view, header, model = page.view, page.view.horizontalHeader(), page.view.model()
    warnings = header.count() - 1
    seen = set()
    for row in range(model.rowCount()):
        assert _wraps_whole(view, row, warnings), (model.index(row, warnings).data(),
                                                   view.columnWidth(warnings))
        seen.update(str(model.index(row, warnings).data() or "").splitlines())
    assert {"chậm giải ngân", "trùng lặp?"} <= seen
    # no wider than the widest single warning: the name keeps the room
    needed = max(view.fontMetrics().horizontalAdvance(text) for text in seen)
    assert view.columnWidth(warnings) <= max(
        needed, header.fontMetrics().horizontalAdvance("Cảnh báo")) + 20


def _combo_shows_its_text(combo) -> None:
    """The chosen item is shown whole: on one line within the edit field of a plain combo,
    wrapped within the field's height when the combo wraps its text."""
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(QStyle.CC_ComboBox, option,
                                         QStyle.SC_ComboBoxEditField, combo)
    metrics, text = combo.fontMetrics(), combo.currentText()
    if isinstance(combo, WrappingCombo):
        box = metrics.boundingRect(QRect(0, 0, field.width() - 2, 100_000),
                                   int(Qt.AlignLeft | Qt.TextWordWrap), text)
        assert box.width() <= field.width() - 2 and box.height() <= field.height(), (
            text, field, box)
    else:
        assert metrics.horizontalAdvance(text) <= field.width() - 2, (text, field.width())


def test_the_project_form_combos_show_the_whole_choice(window, qtbot):
    """The project form sits in a narrow panel; its combos show the chosen programme,
    component ("ND06: Nâng cao chất lượng đời sống văn hóa …"), kind ("Công trình quy mô
    nhỏ, …"), village and stage whole (issue 15: "ND06: Nâng cao chấ"), even the longest
    component, and the open list is as wide as its widest item."""
    window.show_area("projects")
    wait_until_idle(window)
    form = window.current_page().form
    combos = (form.program, form.component, form.kind, form.village, form.stage)
    assert form.component.currentText().startswith("ND06: Nâng cao chất lượng")
    assert form.kind.currentText().startswith("Công trình quy mô nhỏ")
    for combo in combos:
        _combo_shows_its_text(combo)
    for combo in combos:
        assert combo.toolTip() == combo.currentText()  # and whole on hovering
    metrics = form.component.fontMetrics()
    longest = max(range(form.component.count()),
                  key=lambda i: metrics.horizontalAdvance(form.component.itemText(i)))
    form.component.setCurrentIndex(longest)
    qtbot.waitUntil(lambda: form.component.height() >= form.component.heightForWidth(
        form.component.width()), timeout=3000)
    _combo_shows_its_text(form.component)
    assert metrics.horizontalAdvance(form.component.currentText()) > 2 * form.component.width()
    form.component.showPopup()
    try:
        view = form.component.view()
        widest = max(view.fontMetrics().horizontalAdvance(form.component.itemText(i))
                     for i in range(form.component.count()))
        screen = form.component.screen().availableGeometry().width()
        assert view.width() >= min(widest, screen - 60), (view.width(), widest)
    finally:
        form.component.hidePopup()


def test_the_dossier_list_shows_the_whole_project_to_start(window):
    """Hồ sơ: the side panel's project to start a dossier for is shown whole ("Bê tông hóa
    đường giao thông nội làng K" was cut)."""
    window.show_area("dossiers")
    wait_until_idle(window)
    combo = window.current_page().list_screen.new_project
    assert combo.count() and combo.isVisible()
    for index in range(combo.count()):
        combo.setCurrentIndex(index)
        wait_until_idle(window)
        _combo_shows_its_text(combo)


def test_every_activity_filter_shows_its_whole_label(window):
    """The activities page's filters at 1366x768: "Mọi cuộc vận động, phong trào" was cut by
    its arrow; each combo's shown text fits its text area."""
    from PySide6.QtWidgets import QComboBox

    window.show_area("activities")
    page = window.current_page()
    wait_until_idle(window)
    for combo in (page.kind, page.program, page.campaign, page.year, page.village):
        assert isinstance(combo, QComboBox) and combo.isVisible()
        option = QStyleOptionComboBox()
        combo.initStyleOption(option)
        room = combo.style().subControlRect(QStyle.CC_ComboBox, option,
                                            QStyle.SC_ComboBoxEditField, combo).width()
        text = combo.currentText()
        assert combo.fontMetrics().horizontalAdvance(text) <= room, (text, room)
