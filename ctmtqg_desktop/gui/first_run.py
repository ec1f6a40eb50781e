"""First run: which unit this installation serves, as which role, and who the officer is.

Type to search ("kon braih" finds "Kon Braih"); units with the same name show their parent
and validity. Only units in force today are listed (since 01/07/2025: provinces and
communes, wards, special zones; Luật 72/2025/QH15); "also show units that no longer exist"
lists the dissolved ones for history, and choosing one says when it ended and what it
continues as, and asks again before setting up. Or open the enrollment file the parent unit
issued: it names the unit, brings the parent's keys and catalog, and shows the parent's
fingerprint to compare by phone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QListWidgetItem,
    QMessageBox,
)

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.gui.forms.ui_first_run import Ui_FirstRunDialog
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import catalog, sync
from ctmtqg_desktop.services.workspaces import ROLE_UNIT_KINDS
from ctmtqg_desktop.store.workspace import Workspace


@dataclass(frozen=True)
class FirstRunChoice:
    unit_id: str
    unit_code: str
    valid_on: dt.date | None
    role: str
    officer_name: str
    #: set up from this enrollment file (its unit and role) instead of the chosen unit
    enrollment_path: Path | None = None


class FirstRunDialog(QDialog):
    def __init__(self, workspace: Workspace, parent=None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.ui = Ui_FirstRunDialog()
        self.ui.setupUi(self)
        self.ui.title.setObjectName("dialogTitle")
        self.enrollment: sync.EnrollmentPreview | None = None
        self.ended: str | None = None
        self.ui.fromEnrollment.clicked.connect(self._open_enrollment)
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self._search)
        self.ui.unitSearch.textChanged.connect(lambda _t: self._timer.start())
        self.ui.unitList.currentItemChanged.connect(self._chosen)
        self.ui.unitList.itemActivated.connect(lambda _i: self.accept())
        self.ui.roleCommune.toggled.connect(self._search)
        self.today = dt.date.today()
        self.show_history = QCheckBox(self.ui.unitBox)
        self.show_history.setObjectName("showHistory")
        self.ui.unitLayout.insertWidget(self.ui.unitLayout.indexOf(self.ui.unitList) + 1,
                                        self.show_history)
        self.show_history.toggled.connect(self._search)
        self.ui.buttons.accepted.connect(self.accept)
        self.ui.buttons.rejected.connect(self.reject)
        self.retranslate()
        self._search()
        self.ui.unitSearch.setFocus()

    def retranslate(self) -> None:
        ui = self.ui
        self.setWindowTitle(_("Set up CTMTQG Desktop"))
        ui.title.setText(_("Welcome. Which unit does this computer work for?"))
        ui.intro.setText(_("Choose your commune, ward or special zone (or, for a parent unit, "
                           "your province). This is asked once; the data stays on this "
                           "computer until you send it to the parent unit."))
        ui.unitBox.setTitle(_("Unit"))
        ui.unitSearch.setPlaceholderText(_("Type the name without diacritics if you like, "
                                           "e.g. “kon braih”, or the code 23497"))
        self.show_history.setText(_("Also show units that no longer exist (before "
                                    "01/07/2025), to work on their history"))
        ui.roleBox.setTitle(_("Role"))
        ui.roleCommune.setText(_("Commune: enter data and send it to the parent unit"))
        ui.roleParent.setText(_("Parent unit: receive and aggregate the data of child units"))
        ui.officerLabel.setText(_("&Officer's name"))
        ui.enrollmentBox.setTitle(_("Set up from an enrollment file"))
        ui.enrollmentNote.setText(_("The parent unit can give you an enrollment file that sets "
                                    "everything up at once: your unit, the parent unit's keys "
                                    "and the latest catalog."))
        ui.fromEnrollment.setText(_("Open enrollment file…"))
        ui.buttons.button(QDialogButtonBox.Ok).setText(_("Start"))
        ui.buttons.button(QDialogButtonBox.Cancel).setText(_("Cancel"))

    @property
    def role(self) -> str:
        return "commune" if self.ui.roleCommune.isChecked() else "parent"

    def _search(self) -> None:
        kinds = ROLE_UNIT_KINDS[self.role]
        on = None if self.show_history.isChecked() else self.today
        found = catalog.search_units(self.workspace, self.ui.unitSearch.text(), kinds=kinds,
                                     on=on, limit=300)
        self.ui.unitList.clear()
        for unit in found:
            text = unit.full_name
            if unit.validity_text:
                text += f" ({unit.validity_text})"
            item = QListWidgetItem(text)
            item.setData(Qt.UserRole, unit)
            self.ui.unitList.addItem(item)
        if len(found) == 1:
            self.ui.unitList.setCurrentRow(0)
        self._chosen()

    def _chosen(self, *_args) -> None:
        item = self.ui.unitList.currentItem()
        unit = item.data(Qt.UserRole) if item else None
        self.ended = catalog.ended_notice(self.workspace, unit, self.today) if unit else None
        text = (_("Chosen: {unit}").format(unit=unit.full_name) if unit
                else _("No unit chosen yet."))
        if self.ended:
            text += "\n" + self.ended
        self.ui.unitChosen.setText(text)
        # the palette's "late" colour (ui/style.qss: QLabel#cardLine[state="late"])
        self.ui.unitChosen.setObjectName("cardLine")
        self.ui.unitChosen.setProperty("state", "late" if self.ended else "normal")
        self.ui.unitChosen.style().unpolish(self.ui.unitChosen)
        self.ui.unitChosen.style().polish(self.ui.unitChosen)
        self.ui.buttons.button(QDialogButtonBox.Ok).setEnabled(unit is not None)

    def confirm_ended_unit(self, notice: str) -> bool:
        text = _("{notice}\n\nSet up this computer for the old unit anyway, to work on its "
                 "history?").format(notice=notice)
        answer = QMessageBox.question(self, _("This unit no longer exists"), text)
        return bool(answer == QMessageBox.StandardButton.Yes)

    def accept(self) -> None:
        if self.enrollment is None and self.ui.unitList.currentItem() is not None and \
                self.ended and not self.confirm_ended_unit(self.ended):
            return
        super().accept()

    # -- enrollment ---------------------------------------------------------------------
    def pick_enrollment_file(self) -> Path | None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Open enrollment file…"), "",
            _("Enrollment files (*.ctenroll);;All files (*)"))
        return Path(name) if name else None

    def preset_enrollment(self, path: Path) -> None:
        """The file was opened from Windows Explorer: the enrollment button uses it without
        asking for a file (the officer still types their name first)."""
        self.pick_enrollment_file = lambda: path  # type: ignore[method-assign]
        self.ui.message.setText(_("Enrollment file {file} opened: type your name, then set "
                                  "up this computer from it.").format(file=path.name))

    def confirm_enrollment(self, preview: sync.EnrollmentPreview) -> bool:
        text = _("This enrollment file from {parent} sets up this computer for {child}.\n\n"
                 "Call {parent} and ask them to read their fingerprint. It must be exactly:\n\n"
                 "{fingerprint}\n\nSet up this computer?").format(
            parent=preview.parent_unit_name, child=preview.child_unit_name,
            fingerprint=preview.parent_fingerprint)
        return QMessageBox.question(self, _("Set up from an enrollment file"), text) == \
            QMessageBox.Yes

    def _open_enrollment(self) -> None:
        path = self.pick_enrollment_file()
        if path is None:
            return
        try:
            preview = sync.read_enrollment(path)
        except UserError as error:
            self.ui.message.setText(str(error))
            return
        if not self.confirm_enrollment(preview):
            return
        self.enrollment = preview
        self.accept()

    def choice(self) -> FirstRunChoice | None:
        if self.enrollment is not None:
            preview = self.enrollment
            return FirstRunChoice(preview.child_unit_id, preview.child_unit_id.split("@")[0],
                                  None, "", self.ui.officerName.text().strip(), preview.path)
        item = self.ui.unitList.currentItem()
        if item is None:
            return None
        unit: catalog.UnitInfo = item.data(Qt.UserRole)
        return FirstRunChoice(unit.id, unit.code, unit.valid_from or unit.valid_to, self.role,
                              self.ui.officerName.text().strip())

    @classmethod
    def ask(cls, workspace: Workspace, parent=None, *,
            enrollment_file: Path | None = None) -> FirstRunChoice | None:
        dialog = cls(workspace, parent)
        if enrollment_file is not None:
            dialog.preset_enrollment(enrollment_file)
        if dialog.exec() != QDialog.Accepted:
            return None
        return dialog.choice()
