"""Widgets of the capital and projects pages: money entry, rate bars with the on-track
marker, and the disbursement chart (drawn with QPainter: PySide6-Essentials has no QtCharts).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ctmtqg_desktop.domain.formats import format_percent
from ctmtqg_desktop.gui.lazy_table import DUE_SOON_COLOR
from ctmtqg_desktop.gui.palette import (
    GOOD_COLOR,
    GRID_COLOR,
    MUTED_COLOR,
    STATE_COLORS,
    TRACK_COLOR,
    colour,
)
from ctmtqg_desktop.i18n import _


class RateBar(QWidget):
    """A labelled bar: the rate reached (colour of its state), 100% at the right end, and a
    vertical mark at the on-track line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = ""
        self.rate: float = 0.0
        self.on_track: float | None = None
        self.state = "normal"
        self.detail = ""
        self.setMinimumHeight(40)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)

    def set_values(self, label: str, rate: float | None, on_track: float | None, state: str,
                   detail: str = "") -> None:
        self.label = label
        self.rate = rate or 0.0
        self.on_track = on_track
        self.state = state
        self.detail = detail
        tip = _("{label}: {rate} disbursed").format(label=label, rate=format_percent(self.rate))
        if on_track is not None:
            tip += "; " + _("on-track line {track}").format(track=format_percent(on_track))
        self.setToolTip(tip + (". " + detail if detail else ""))
        self.setAccessibleName(tip)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(320, 42)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        width = self.width()
        metrics = painter.fontMetrics()
        text_height = metrics.height()
        value_text = format_percent(self.rate)
        painter.setPen(colour("ink"))
        elided = metrics.elidedText(self.label, Qt.ElideRight,
                                    width - metrics.horizontalAdvance(value_text) - 12)
        painter.drawText(QRectF(0, 0, width, text_height), Qt.AlignLeft | Qt.AlignVCenter,
                         elided)
        painter.setPen(STATE_COLORS.get(self.state, GOOD_COLOR))
        bold = QFont(painter.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.drawText(QRectF(0, 0, width, text_height), Qt.AlignRight | Qt.AlignVCenter,
                         value_text)
        top = text_height + 4
        bar = QRectF(0, top, width - 1, 14)
        painter.setPen(QPen(GRID_COLOR))
        painter.setBrush(colour("panel"))
        painter.drawRoundedRect(bar, 3, 3)
        fill = QRectF(bar.left(), bar.top(), bar.width() * max(0.0, min(1.0, self.rate)),
                      bar.height())
        painter.setPen(Qt.NoPen)
        painter.setBrush(STATE_COLORS.get(self.state, GOOD_COLOR))
        painter.drawRoundedRect(fill, 3, 3)
        if self.on_track is not None:
            x = bar.left() + bar.width() * max(0.0, min(1.0, self.on_track))
            painter.setPen(QPen(TRACK_COLOR, 2))
            painter.drawLine(QPointF(x, bar.top() - 3), QPointF(x, bar.bottom() + 3))
        painter.end()


class DisbursementChart(QWidget):
    """Cumulative disbursement of a year as a share of the capital assigned, month by month,
    against the on-track line (0% on 1/1 to 100% on 31/12) and the forecast to 31/12."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.year = 0
        self.assigned = 0
        self.points: list[tuple[float, float]] = []  # (x in months 0-12, share)
        self.today_x: float | None = None
        self.forecast: float | None = None
        self.title = ""
        self.setMinimumSize(360, 240)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)

    def set_data(self, *, year: int, assigned: int, monthly: list[tuple[int, int]],
                 today_fraction: float | None, forecast_rate: float | None) -> None:
        """``monthly``: cumulative amount at each month's end (the last may be today)."""
        self.year = year
        self.assigned = assigned
        self.today_x = None if today_fraction is None else today_fraction * 12
        points = [(0.0, 0.0)]
        for month, amount in monthly:
            x = float(month)
            if self.today_x is not None and x > self.today_x:
                x = self.today_x
            points.append((x, amount / assigned if assigned else 0.0))
        self.points = points
        self.forecast = forecast_rate
        last = points[-1][1] if points else 0.0
        self.title = _("Disbursement in {year}").format(year=str(year))
        self.setAccessibleName(self.title + ": " + format_percent(last))
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(520, 300)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        metrics = painter.fontMetrics()
        line = metrics.height()
        left = metrics.horizontalAdvance("100%") + 12
        top = line * 3 + 10
        right = 14
        bottom = line + 10
        plot = QRectF(left, top, max(10, self.width() - left - right),
                      max(10, self.height() - top - bottom))
        bold = QFont(painter.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(TRACK_COLOR)
        painter.drawText(QRectF(0, 2, self.width(), line), Qt.AlignHCenter, self.title)
        painter.setFont(QFont(self.font()))
        # grid and axes
        for step in range(0, 11, 2):
            y = plot.bottom() - plot.height() * step / 10
            painter.setPen(QPen(GRID_COLOR, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(MUTED_COLOR)
            painter.drawText(QRectF(0, y - line / 2, left - 6, line),
                             Qt.AlignRight | Qt.AlignVCenter, f"{step * 10}%")
        for month in range(1, 13):
            x_mid = plot.left() + plot.width() * (month - 0.5) / 12
            painter.drawText(QRectF(x_mid - 20, plot.bottom() + 3, 40, line), Qt.AlignHCenter,
                             _("M{month}").format(month=month))
        painter.setPen(QPen(MUTED_COLOR, 1))
        painter.drawRect(plot)

        def at(x: float, share: float) -> QPointF:
            return QPointF(plot.left() + plot.width() * x / 12,
                           plot.bottom() - plot.height() * max(0.0, min(1.05, share)))

        # on-track line: 0% on 1/1 to 100% on 31/12
        pen = QPen(TRACK_COLOR, 1.5, Qt.DashLine)
        painter.setPen(pen)
        painter.drawLine(at(0, 0), at(12, 1))
        # forecast: from today's point to 31/12
        if self.points and self.today_x is not None and self.forecast is not None \
                and self.today_x < 12:
            painter.setPen(QPen(DUE_SOON_COLOR, 2, Qt.DotLine))
            painter.drawLine(at(*self.points[-1]), at(12, self.forecast))
        # disbursed so far
        if len(self.points) > 1:
            path = QPainterPath(at(*self.points[0]))
            for x, share in self.points[1:]:
                path.lineTo(at(x, share))
            painter.setPen(QPen(GOOD_COLOR, 2.5))
            painter.setBrush(Qt.NoBrush)
            painter.drawPath(path)
            painter.setBrush(GOOD_COLOR)
            for x, share in self.points[1:]:
                painter.drawEllipse(at(x, share), 2.5, 2.5)
        if self.today_x is not None and self.today_x < 12:
            painter.setPen(QPen(MUTED_COLOR, 1, Qt.DotLine))
            x = plot.left() + plot.width() * self.today_x / 12
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            painter.drawText(QRectF(x - 40, plot.top() - line - 1, 80, line), Qt.AlignHCenter,
                             _("today"))
        # legend
        legend_y = line + 4
        items = [(GOOD_COLOR, Qt.SolidLine, _("Disbursed (cumulative)")),
                 (TRACK_COLOR, Qt.DashLine, _("On-track line")),
                 (DUE_SOON_COLOR, Qt.DotLine, _("Forecast to 31/12"))]
        x = plot.left()
        for color, style, text in items:
            painter.setPen(QPen(color, 2, style))
            painter.drawLine(QPointF(x, legend_y + line / 2), QPointF(x + 22, legend_y + line / 2))
            painter.setPen(colour("ink"))
            painter.drawText(QPointF(x + 27, legend_y + metrics.ascent()), text)
            x += 27 + metrics.horizontalAdvance(text) + 18
        painter.end()


