"""A combo box that shows its chosen item whole in a narrow panel (issue 15: at 1366x768
the project form's combos showed "ND06: Nâng cao chấ" and "Công trình quy mô nl")."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QSizePolicy,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
)


class WrappingCombo(QComboBox):
    """A combo that shows its chosen item whole, on as many lines as the item needs (a
    component "ND11: Tăng cường công tác giám sát, …" is wider than the screen, the panel is
    about 350 pixels wide: issue 15, "ND06: Nâng cao chấ" was all one saw). The open list
    is as wide as its widest item (within the screen), and the chosen item is the tooltip."""

    def __init__(self) -> None:
        super().__init__()
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(8)
        policy = self.sizePolicy()
        policy.setHeightForWidth(True)
        policy.setVerticalPolicy(QSizePolicy.Policy.Minimum)
        self.setSizePolicy(policy)
        self.currentIndexChanged.connect(self._chosen)

    def _chosen(self, *_args: object) -> None:
        self.setToolTip(self.currentText())
        self.updateGeometry()

    def _option(self, width: int, height: int) -> QStyleOptionComboBox:
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        option.rect = QRect(0, 0, width, height)
        return option

    def text_rect(self, width: int | None = None, height: int | None = None) -> QRect:
        """Where the chosen item's text goes in a combo of that size (the current one by
        default)."""
        option = self._option(self.width() if width is None else width,
                              self.height() if height is None else height)
        return self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                           QStyle.SubControl.SC_ComboBoxEditField, self)

    def text_height(self, width: int) -> int:
        """The height of the chosen item's text wrapped to ``width`` pixels."""
        return self.fontMetrics().boundingRect(
            QRect(0, 0, max(width, 1), 100_000), Qt.TextFlag.TextWordWrap,
            self.currentText() or " ").height()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt API)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt API)
        base = super().sizeHint().height()
        field = self.text_rect(width, base)
        return base - self.fontMetrics().height() + max(
            self.text_height(field.width()), self.fontMetrics().height())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        hint = super().sizeHint()
        hint.setHeight(self.heightForWidth(max(self.width(), hint.width())))
        return hint

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        text = option.currentText
        option.currentText = ""
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.text_rect().adjusted(1, 0, -1, 0),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                             | Qt.TextFlag.TextWordWrap), text)

    def showPopup(self) -> None:  # noqa: N802 (Qt API)
        metrics = self.view().fontMetrics()
        widest = max((metrics.horizontalAdvance(self.itemText(i))
                      for i in range(self.count())), default=0) + 48
        screen = self.screen().availableGeometry().width() if self.screen() else widest
        self.view().setMinimumWidth(min(widest, screen - 16))
        self.view().setTextElideMode(Qt.TextElideMode.ElideMiddle)
        super().showPopup()
