"""No internal code or clumsy word reaches the user: every option of ctmtqg-desktop --help
says what it does, and the catalogs hold none of the words users tripped on."""

import argparse

from ctmtqg_desktop.gui.app import _parser
from ctmtqg_desktop.i18n import pgettext
from ctmtqg_desktop.i18n_tools import load_catalogs


def test_every_option_of_the_window_program_has_a_description():
    parser = _parser()
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        assert action.help, action.option_strings or action.dest
    text = parser.format_help()
    assert "thư mục dữ liệu làm việc" in text and "PostgreSQL" in text


def test_words_users_tripped_on_are_gone():
    shown = " ".join(str(m.string) for catalog in load_catalogs().values() for m in catalog
                     if m.id)
    for word in ("(nút)", "của ta ", "0601_activities", "construction_special"):
        assert word not in shown, word


def test_an_activity_date_error_names_the_date_not_a_transfer():
    assert pgettext("activity dates", "To") == "Đến ngày"
