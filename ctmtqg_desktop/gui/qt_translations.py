"""Qt's own words (dialog buttons, text-field menus, file dialogs) in Vietnamese.

PySide6 ships no Vietnamese catalog for Qt itself, so standard buttons would say "Cancel"
and "&Yes". This translator answers Qt's lookups from our gettext catalogs for the
messages listed here (extracted and checked like every other message), and the default
locale is Vietnamese so that numbers in spin boxes show 1.020 and calendars name months in
Vietnamese.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, QTranslator

from ctmtqg_desktop.i18n import N_, _

QT_MESSAGES = {
    # QPlatformTheme: standard buttons of QDialogButtonBox and QMessageBox
    N_("OK"), N_("Save"), N_("Save All"), N_("Open"), N_("&Yes"), N_("Yes to &All"),
    N_("&No"), N_("N&o to All"), N_("Abort"), N_("Retry"), N_("Ignore"), N_("Close"),
    N_("Cancel"), N_("Discard"), N_("Help"), N_("Apply"), N_("Reset"),
    N_("Restore Defaults"), N_("Don't Save"), N_("Close without Saving"), N_("&OK"),
    N_("&Save"), N_("&Cancel"), N_("&Close"), N_("Show Details..."), N_("Hide Details..."),
    # QLineEdit / QTextEdit context menus
    N_("&Undo"), N_("&Redo"), N_("Cu&t"), N_("&Copy"), N_("&Paste"), N_("Delete"),
    N_("Select All"), N_("Copy &Link Location"),
    # QFileDialog (Qt's own dialog, used where the system has none)
    N_("Look in:"), N_("File &name:"), N_("Files of type:"), N_("&Open"), N_("&Choose"),
    N_("Back"), N_("Forward"), N_("Parent Directory"), N_("Create New Folder"),
    N_("List View"), N_("Detail View"), N_("Name"), N_("Size"), N_("Type"),
    N_("Date Modified"), N_("My Computer"), N_("All Files (*)"), N_("New Folder"),
    N_("Directory:"), N_("%1 already exists.\nDo you want to replace it?"),
}


class GettextQtTranslator(QTranslator):
    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: D102
        if source_text in QT_MESSAGES:
            return _(source_text)
        return None


def install(app) -> GettextQtTranslator:
    QLocale.setDefault(QLocale(QLocale.Vietnamese, QLocale.Vietnam))
    translator = GettextQtTranslator(app)
    app.installTranslator(translator)
    return translator
