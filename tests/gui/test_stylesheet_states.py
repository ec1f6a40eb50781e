"""Selected and hover states are visible for every kind of widget (the stylesheet's rules,
drawn offscreen): an open dropdown's highlighted item was white on white."""

import re

import pytest
from PySide6.QtCore import QItemSelectionModel, QPoint
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QListWidget, QMenu, QTableView

from ctmtqg_desktop.gui import palette


def darkest(image, rect) -> int:
    return min(QColor(image.pixel(x, y)).lightness()
               for x in range(rect.left(), rect.right())
               for y in range(rect.top(), rect.bottom()))


def assert_highlighted(image, rect) -> None:
    """The row is painted in the selection colour, with dark text on it."""
    rect = rect.intersected(image.rect())
    background = QColor(image.pixel(rect.right() - 3, rect.center().y()))
    assert background.name() == palette.hex_of("selection"), background.name()
    assert darkest(image, rect) < 100  # ink, not white on a light colour


def test_an_open_dropdowns_highlighted_item_is_dark_on_the_selection_colour(
        qtbot, styled_app):
    combo = QComboBox()
    qtbot.addWidget(combo)
    combo.addItems(["Tất cả chương trình", "CTMTQG giảm nghèo bền vững",
                    "CTMTQG xây dựng nông thôn mới"])
    combo.resize(320, 30)
    combo.show()
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    view.selectionModel().setCurrentIndex(view.model().index(1, 0),
                                          QItemSelectionModel.ClearAndSelect)
    image = view.grab().toImage()
    assert_highlighted(image, view.visualRect(view.model().index(1, 0)))
    combo.hidePopup()


def test_a_selected_table_row_and_list_item_are_dark_on_the_selection_colour(
        qtbot, styled_app):
    model = QStandardItemModel(3, 2)
    for row in range(3):
        for column in range(2):
            model.setItem(row, column, QStandardItem(f"Nhiệm vụ {row}.{column}"))
    table = QTableView()
    qtbot.addWidget(table)
    table.setModel(model)
    table.resize(400, 200)
    table.show()
    table.selectRow(1)
    image = table.viewport().grab().toImage()
    assert_highlighted(image, table.visualRect(model.index(1, 0)))
    listing = QListWidget()
    qtbot.addWidget(listing)
    listing.addItems(["Thôn 1", "Thôn 2"])
    listing.resize(300, 120)
    listing.show()
    listing.setCurrentRow(1)
    image = listing.viewport().grab().toImage()
    assert_highlighted(image, listing.visualItemRect(listing.item(1)))


def test_a_menus_active_item_is_dark_on_the_selection_colour(qtbot, styled_app):
    menu = QMenu()
    qtbot.addWidget(menu)
    first = menu.addAction("Xuất Excel")
    second = menu.addAction("Nhập từ tệp Excel…")
    menu.popup(QPoint(10, 10))
    qtbot.waitUntil(menu.isVisible)
    menu.setActiveAction(second)
    image = menu.grab().toImage()
    assert_highlighted(image, menu.actionGeometry(second))
    assert QColor(image.pixel(menu.actionGeometry(first).right() - 3,
                              menu.actionGeometry(first).center().y())).name() == "#ffffff"
    menu.close()


@pytest.mark.parametrize("kind", [
    "QComboBox QAbstractItemView::item:selected", "QComboBox QAbstractItemView::item:hover",
    "QTableView::item:selected", "QTableView::item:hover", "QMenu::item:selected",
    "QMenuBar::item:selected", "QTabBar::tab:hover", "QPushButton:hover", "QToolButton:hover",
    "QLineEdit:hover", "QComboBox:hover", "QHeaderView::section:hover",
    "QListWidget#navigation::item:hover", "QCheckBox:hover", "QLineEdit[invalid=\"true\"]",
])
def test_every_widget_kind_has_its_state_in_the_stylesheet(kind):
    rules = re.sub(r"/\*.*?\*/", "", palette.stylesheet(), flags=re.S)
    selectors = {part.strip() for block in re.findall(r"([^{}]+)\{", rules)
                 for part in block.split(",")}
    assert any(selector.startswith(kind) for selector in selectors), kind
