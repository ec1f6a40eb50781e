"""Date fields take what is typed; times are shown in local time (stored in UTC)."""

import datetime as dt
import os
import time

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from ctmtqg_desktop.domain.formats import format_datetime
from ctmtqg_desktop.gui.date_field import DateEdit, read_typed_date
from ctmtqg_desktop.gui.widgets import FormDialog, OptionalDateEdit, date_edit
from ctmtqg_desktop.i18n_tools import load_catalogs


@pytest.fixture
def field(qtbot, styled_app):
    edit = date_edit(dt.date(2023, 10, 16))
    qtbot.addWidget(edit)
    edit.show()
    qtbot.waitExposed(edit)
    return edit


def focus(qtbot, widget) -> None:
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    QApplication.processEvents()  # the select-all after the focus


def test_a_typed_date_replaces_the_shown_one(field, qtbot):
    focus(qtbot, field)
    assert field.selectedText() == "16/10/2023"
    qtbot.keyClicks(field, "30/11/2026")
    assert field.text() == "30/11/2026"
    assert field.date() == QDate(2026, 11, 30)
    qtbot.keyClick(field, Qt.Key_Tab, Qt.ShiftModifier)
    assert field.text() == "30/11/2026" and field.error() == ""


def test_eight_digits_without_separators_are_a_date(field, qtbot):
    focus(qtbot, field)
    qtbot.keyClicks(field, "30112026")
    assert field.date().toPython() == dt.date(2026, 11, 30)
    qtbot.keyClick(field, Qt.Key_Return)  # leaving the field writes it the usual way
    assert field.text() == "30/11/2026"


def test_a_far_year_is_refused_with_a_sentence_and_blocks_saving(qtbot, styled_app):
    class Form(FormDialog):
        def values(self):
            return {"day": self.day.date().toPython()}

    form = Form(None, "Thử")
    qtbot.addWidget(form)
    form.day = form.row("Ngày", date_edit(dt.date(2023, 10, 16)))
    form.done_building()
    form.show()
    focus(qtbot, form.day)
    qtbot.keyClicks(form.day, "16/10/3011")
    error = form.field_errors.label_of(form.day)  # the sentence sits under its field
    assert error is not None and error.isVisible()
    assert "16/10/3011" in error.text() and "năm" in error.text()
    assert not form.buttons.button(QDialogButtonBox.Ok).isEnabled()
    assert form.day.property("invalid")
    form.day.selectAll()
    qtbot.keyClicks(form.day, "31/02/2026")
    assert "“31/02/2026” không phải ngày hợp lệ" in error.text()
    assert not form.buttons.button(QDialogButtonBox.Ok).isEnabled()
    form.day.selectAll()
    qtbot.keyClicks(form.day, "28/02/2026")
    assert error.text() == "" and not error.isVisible() and form.message.text() == ""
    assert form.buttons.button(QDialogButtonBox.Ok).isEnabled()
    assert form.values() == {"day": dt.date(2026, 2, 28)}


def test_the_range_can_be_narrowed(qtbot, styled_app):
    edit = DateEdit(dt.date(2026, 12, 5))
    qtbot.addWidget(edit)
    edit.setMaximumDate(QDate(2026, 12, 5))
    edit.setText("06/12/2026")
    assert "05/12/2026" in edit.error()
    with pytest.raises(Exception, match="3011"):
        read_typed_date("01013011")


def test_alt_down_opens_a_calendar_that_sets_the_date(field, qtbot):
    focus(qtbot, field)
    qtbot.keyClick(field, Qt.Key_Down, Qt.AltModifier)
    assert field.popup is not None and field.popup.isVisible()
    assert field.popup.calendar.selectedDate() == QDate(2023, 10, 16)
    field.popup.calendar.clicked.emit(QDate(2023, 10, 20))
    assert field.text() == "20/10/2023" and not field.popup.isVisible()


def test_the_optional_date_takes_eight_digits_and_refuses_far_years(qtbot, styled_app):
    edit = OptionalDateEdit()
    qtbot.addWidget(edit)
    edit.setText("05032024")
    assert edit.value() == dt.date(2024, 3, 5)
    edit.setText("05/03/3024")
    assert edit.value() is None and "3024" in edit.error()


@pytest.fixture
def vietnam_time():
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Ho_Chi_Minh"
    time.tzset()
    yield
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_stored_times_are_shown_in_local_time(vietnam_time):
    # 23:30 UTC on the 4th is 06:30 on the 5th in Vietnam: the date people see is the 5th
    assert format_datetime(dt.datetime(2026, 12, 4, 23, 30)) == "06:30 05/12/2026"
    aware = dt.datetime(2026, 12, 4, 23, 30, tzinfo=dt.UTC)
    assert format_datetime(aware) == "06:30 05/12/2026"


def test_no_translation_labels_a_time_as_utc():
    for name, catalog in load_catalogs().items():
        for message in catalog:
            strings = message.string if isinstance(message.string, tuple) else (
                message.string,)
            assert not any("UTC" in text for text in strings if text), (name, message.id)
