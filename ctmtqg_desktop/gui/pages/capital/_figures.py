"""The figures of the capital page: a labelled figure box and the colour of a state."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QVBoxLayout,
)

from ctmtqg_desktop.gui.pages.base import STATE_STYLE


def _styled(label: QLabel, state: str) -> None:
    label.setStyleSheet(STATE_STYLE.get(state, ""))


class FigureBox(QFrame):
    """A figure with its caption (as on the overview cards), coloured by state."""

    def __init__(self) -> None:
        super().__init__(objectName="card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self.value = QLabel(objectName="figureValue")
        self.value.setStyleSheet("font-size: 15pt;")
        self.caption = QLabel(objectName="figureLabel", wordWrap=True)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)

    def show_figure(self, caption: str, value: str, state: str = "normal") -> None:
        self.caption.setText(caption)
        self.value.setText(value)
        self.value.setStyleSheet("font-size: 15pt;" + STATE_STYLE.get(state, ""))
