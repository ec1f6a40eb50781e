"""An area that is not built yet: it says so plainly and says what it will do."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout

from ctmtqg_desktop.gui.pages.base import Page
from ctmtqg_desktop.i18n import _


class ComingSoonPage(Page):
    def __init__(self, context, spec) -> None:
        self.spec = spec
        super().__init__(context)

    def build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        self.title = QLabel(objectName="pageTitle")
        layout.addWidget(self.title)
        panel = QFrame(objectName="notice")
        inner = QVBoxLayout(panel)
        self.status = QLabel(objectName="noticeTitle")
        self.description = QLabel(wordWrap=True)
        self.description.setTextInteractionFlags(Qt.TextSelectableByMouse)
        inner.addWidget(self.status)
        inner.addWidget(self.description)
        layout.addWidget(panel)
        layout.addStretch(1)

    def retranslate(self) -> None:
        self.title.setText(_(self.spec.label))
        self.status.setText(_("This area is being built and will come in a coming version."))
        self.description.setText(_("What it will do: {description}").format(
            description=_(self.spec.description)))
