"""The panel of one required document of a dossier: its state, its files with thumbnails,
and its form."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.domain.formats import format_date, parse_date
from ctmtqg_desktop.gui.drafts import PanelDraftKeeper
from ctmtqg_desktop.gui.palette import ERROR_STYLE
from ctmtqg_desktop.gui.widgets import apply_rules
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import attachments, dossiers
from ctmtqg_desktop.store.models.dossiers import DOCUMENT_STATUSES

THUMBNAIL = QSize(96, 96)


def _html(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def thumbnail(path: Path) -> QIcon:
    """A small picture of an image file, read at the reduced size (cheap on big scans)."""
    reader = QImageReader(str(path))
    size = reader.size()
    if size.isValid() and (size.width() > THUMBNAIL.width() or size.height() >
                           THUMBNAIL.height()):
        reader.setScaledSize(size.scaled(THUMBNAIL, Qt.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        return QIcon()
    return QIcon(QPixmap.fromImage(image))


class DocumentPanel(QWidget):
    """The chosen checklist line: what it is, its status and dates, its files and form."""

    save_requested = Signal(dict)
    edit_form = Signal()
    print_form = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        host = QWidget()
        layout = QVBoxLayout(host)
        self.name = QLabel(objectName="cardTitle", wordWrap=True)
        self.facts = QLabel(wordWrap=True, textFormat=Qt.RichText)
        self.facts.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.name)
        layout.addWidget(self.facts)
        form = QFormLayout()
        self.status = QComboBox()
        for status in DOCUMENT_STATUSES:
            self.status.addItem("", status)
        self.number = QLineEdit()
        self.document_date = QLineEdit()
        self.signed_on = QLineEdit()
        self.signer = QLineEdit()
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(44)
        apply_rules("dossier_document", number=self.number, signer=self.signer)
        apply_rules("dossier_document", note=self.note)  # its counter (issue 15)
        self.labels = [QLabel() for _i in range(6)]
        for label, widget in zip(self.labels, (self.status, self.number, self.document_date,
                                               self.signed_on, self.signer, self.note)):
            form.addRow(label, widget)
        for edit in (self.document_date, self.signed_on):
            edit.textChanged.connect(self._check_dates)
        layout.addLayout(form)
        self.date_error = QLabel(wordWrap=True)
        self.date_error.setStyleSheet(ERROR_STYLE)
        self.date_error.hide()
        layout.addWidget(self.date_error)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(objectName="primary")
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.files_title = QLabel(objectName="cardTitle")
        layout.addWidget(self.files_title)
        self.files = QListWidget()
        self.files.setViewMode(QListView.IconMode)
        self.files.setIconSize(THUMBNAIL)
        self.files.setGridSize(QSize(128, 132))
        self.files.setResizeMode(QListView.Adjust)
        self.files.setMovement(QListView.Static)
        self.files.setWordWrap(True)
        self.files.setFixedHeight(150)
        layout.addWidget(self.files)
        file_buttons = QHBoxLayout()
        self.attach_button = QPushButton()
        self.open_button = QPushButton()
        self.remove_button = QPushButton()
        for button in (self.attach_button, self.open_button, self.remove_button):
            file_buttons.addWidget(button)
        file_buttons.addStretch(1)
        layout.addLayout(file_buttons)
        self.form_title = QLabel(objectName="cardTitle")
        layout.addWidget(self.form_title)
        form_buttons = QHBoxLayout()
        self.fill_button = QPushButton()
        self.print_button = QPushButton()
        self.blank_button = QPushButton()
        self.fill_button.clicked.connect(self.edit_form)
        self.print_button.clicked.connect(lambda: self.print_form.emit(False))
        self.blank_button.clicked.connect(lambda: self.print_form.emit(True))
        for button in (self.fill_button, self.print_button, self.blank_button):
            form_buttons.addWidget(button)
        form_buttons.addStretch(1)
        layout.addLayout(form_buttons)
        layout.addStretch(1)
        scroll.setWidget(host)
        outer.addWidget(scroll)
        self.line: dossiers.DocumentLine | None = None
        self.locked = False
        # a draft of the document's record as it is typed (issue 15), offered under the
        # document's name when the same document is shown again
        self.drafts = PanelDraftKeeper(self, "DocumentPanel", dict(
            status=self.status, number=self.number, document_date=self.document_date,
            signed_on=self.signed_on, signer=self.signer, note=self.note), layout, 2)

    def retranslate(self) -> None:
        for label, text in zip(self.labels, (_("Status"), _("Number and symbol"),
                                             _("Document date"), _("Signed on"), _("Signed by"),
                                             _("Note"))):
            label.setText(text)
        for index in range(self.status.count()):
            self.status.setItemText(index, dossiers.status_label(self.status.itemData(index)))
        for edit in (self.document_date, self.signed_on):
            edit.setPlaceholderText(_("dd/mm/yyyy"))
        self.number.setPlaceholderText(_("e.g. 15/BB-UBND"))
        self.save_button.setText(_("Save the document"))
        self.form_title.setText(_("Form"))
        self.fill_button.setText(_("Fill in the form…"))
        self.print_button.setText(_("Print the filled form…"))
        self.blank_button.setText(_("Print a blank form…"))
        self.files_title.setText(_("Scans and photos"))
        self.attach_button.setText(_("Attach files…"))
        self.open_button.setText(_("Open"))
        self.remove_button.setText(_("Remove"))
        self.drafts.retranslate()

    def show_line(self, line: dossiers.DocumentLine, *, locked: bool) -> None:
        with self.drafts.loading(str(line.id)):
            self._fill(line, locked=locked)
        if locked:  # nothing can be changed: nothing to restore
            self.drafts.bar.hide()

    def _fill(self, line: dossiers.DocumentLine, *, locked: bool) -> None:
        self.line = line
        self.locked = locked
        self.name.setText(line.name)
        required = _("Required") if line.required else _("Optional")
        confidence = {"confirmed": _("confirmed"), "partial": _("partly confirmed"),
                      "unverified": _("not yet verified")}.get(line.confidence, line.confidence)
        rows = [(_("Stage"), dossiers.stage_label(line.stage) + " · " + required),
                (_("Legal basis"), line.legal_basis), (_("Prepared by"), line.prepared_by),
                (_("Signed by"), line.signed_by or "—"), (_("Template data"), confidence)]
        self.facts.setText("<br>".join(f"<b>{_html(k)}:</b> {_html(v)}" for k, v in rows))
        self.status.setCurrentIndex(max(self.status.findData(line.status), 0))
        self.number.setText(line.number)
        self.document_date.setText(format_date(line.document_date))
        self.signed_on.setText(format_date(line.signed_on))
        self.signer.setText(line.signer)
        self.note.setPlainText(line.note)
        for widget in (self.status, self.number, self.document_date, self.signed_on,
                       self.signer, self.note, self.save_button, self.attach_button,
                       self.remove_button, self.fill_button):
            widget.setEnabled(not locked)
        for widget in (self.form_title, self.fill_button, self.print_button, self.blank_button):
            widget.setVisible(line.has_form)
        self.fill_button.setText(_("Open the form…") if locked else _("Fill in the form…"))
        self.fill_button.setEnabled(True)
        self.print_button.setEnabled(line.form_filled)
        self._check_dates()

    def _date(self, edit: QLineEdit):
        text = edit.text().strip()
        return parse_date(text) if text else None

    def _check_dates(self) -> bool:
        try:
            self._date(self.document_date)
            self._date(self.signed_on)
        except UserError as error:
            self.date_error.setText(str(error))
            self.date_error.show()
            self.save_button.setEnabled(False)
            return False
        self.date_error.hide()
        self.save_button.setEnabled(not self.locked)
        return True

    def values(self) -> dict:
        return dict(status=self.status.currentData(), number=self.number.text(),
                    document_date=self._date(self.document_date),
                    signed_on=self._date(self.signed_on), signer=self.signer.text(),
                    note=self.note.toPlainText())

    def save(self) -> bool:
        if self.line is None or self.locked:
            return False
        if self._check_dates():
            self.save_requested.emit(self.values())
        return True

    def show_files(self, files: list[tuple[attachments.AttachmentInfo, Path]]) -> None:
        self.files.clear()
        for info, path in files:
            item = QListWidgetItem(info.original_name)
            item.setData(Qt.UserRole, info)
            item.setToolTip(f"{info.original_name} ({info.caption})" if info.caption
                            else info.original_name)
            if info.is_image and path.is_file():
                item.setIcon(thumbnail(path))
            else:
                item.setIcon(self.style().standardIcon(self.style().StandardPixmap.SP_FileIcon))
            self.files.addItem(item)

    def chosen_file(self) -> attachments.AttachmentInfo | None:
        item = self.files.currentItem()
        return item.data(Qt.UserRole) if item else None
