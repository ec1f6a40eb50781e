"""Widgets of the parent unit's pages: the board's table model (one row per child and the
total), and the chart of the disbursement rate by child against the on-track line (drawn with
QPainter: PySide6-Essentials has no QtCharts)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ctmtqg_desktop.domain.formats import format_date, format_number, format_percent
from ctmtqg_desktop.gui.lazy_table import (
    DUE_SOON_BACKGROUND,
    DUE_SOON_COLOR,
    LATE_BACKGROUND,
    LATE_COLOR,
)
from ctmtqg_desktop.gui.palette import GOOD_COLOR, GRID_COLOR, MUTED_COLOR, TRACK_COLOR, colour
from ctmtqg_desktop.i18n import _, pgettext

RIGHT = int(Qt.AlignRight | Qt.AlignVCenter)
LEFT = int(Qt.AlignLeft | Qt.AlignVCenter)
STATE_COLORS = {"late": LATE_COLOR, "due_soon": DUE_SOON_COLOR, "normal": GOOD_COLOR}


@dataclass(frozen=True)
class BoardColumn:
    title: Callable[[], str]
    text: Callable[[Any], str]
    sort_key: str | None
    align: int = RIGHT
    state: Callable[[Any], str] | None = None
    tooltip: Callable[[Any], str] | None = None


def _last(row) -> str:
    if row.last_report_at is None:
        return _("never")
    return format_date(row.last_report_at.date())


def _report_tip(row) -> str:
    if row.report_age_days is None:
        return _("No package received from this unit yet.")
    return _("Last package received {days} days ago.").format(days=row.report_age_days)


def millions(amount: int) -> str:
    """An amount in millions of đồng for the board's narrow columns (the exact amount is in
    the tooltip and in the reports)."""
    return format_number(round(amount / 1_000_000))


def _exact(amount: int) -> str:
    return _("{amount} đồng").format(amount=format_number(amount))


def _activities_tip(row) -> str:
    from ctmtqg_desktop.services.activities import kind_label
    from ctmtqg_desktop.services.parent import ACTIVITY_FIELDS

    kinds = "; ".join(f"{kind_label(kind)}: {format_number(row.activities_of(kind))}"
                      for kind in ACTIVITY_FIELDS if row.activities_of(kind))
    text = _("{count} activities (communication, training, inspection and supervision, "
             "steering-committee meetings, emulation movements) held in the plan year up to the "
             "board's date, with {people} participants, of whom {women} women and {ethnic} "
             "ethnic-minority people.").format(
        count=format_number(row.activities), people=format_number(row.activity_participants),
        women=format_number(row.activity_women), ethnic=format_number(row.activity_ethnic))
    return text + (" " + kinds + "." if kinds else "")


def board_legend() -> dict[str, str]:
    """What the board's compact figures mean, by column (the headers' tooltips and the
    line under the table)."""
    return {
        "tasks_done": _("Tasks done: 0/5 means none of the unit's 5 tasks is done."),
        "difficulties": _("Difficulties: 2 (1) means 2 not resolved, of which 1 has no "
                          "answer yet."),
        "activities": _("Activities: 4 (120) means 4 activities with 120 participants."),
        "sent": _("Acknowledged: 3/4 means the unit has confirmed 3 of the 4 items sent "
                  "down."),
        "assigned": _("Amounts in millions of đồng; the exact amount is in the tooltip."),
    }


def board_legend_line() -> str:
    legend = board_legend()
    return " · ".join(legend[key] for key in ("tasks_done", "difficulties", "activities",
                                               "sent", "assigned"))


def board_columns() -> list[BoardColumn]:
    return [
        BoardColumn(lambda: _("Child unit"), lambda r: r.name, "name", LEFT),
        BoardColumn(lambda: pgettext("board column", "Tasks done"),
                    lambda r: f"{r.tasks_done}/{r.tasks_total}",
                    "tasks_done", RIGHT, None,
                    lambda r: _("{done} of {total} tasks done").format(
                        done=format_number(r.tasks_done), total=format_number(r.tasks_total))),
        BoardColumn(lambda: _("Overdue"), lambda r: format_number(r.tasks_overdue),
                    "tasks_overdue", RIGHT, lambda r: r.tasks_state),
        BoardColumn(lambda: pgettext("board column", "Assigned"),
                    lambda r: millions(r.assigned), "assigned", RIGHT,
                    None, lambda r: _exact(r.assigned)),
        BoardColumn(lambda: pgettext("board column", "Allocated"),
                    lambda r: millions(r.allocated), "allocated",
                    RIGHT, None,
                    lambda r: _exact(r.allocated) + "; " + _(
                        "{rate} of the capital assigned").format(
                        rate=format_percent(r.allocation_rate) or "0%")),
        BoardColumn(lambda: pgettext("board column", "Disbursed"),
                    lambda r: millions(r.disbursed), "disbursed", RIGHT,
                    None, lambda r: _exact(r.disbursed)),
        BoardColumn(lambda: _("Rate"), lambda r: format_percent(r.rate), "rate", RIGHT,
                    lambda r: r.rate_state,
                    lambda r: _("Disbursed {rate} of 100%; the on-track line is {track}.").format(
                        rate=format_percent(r.rate) or "0%", track=format_percent(r.on_track))),
        BoardColumn(lambda: _("Dossiers"), lambda r: format_percent(r.dossier_ratio),
                    "dossiers", RIGHT, None,
                    lambda r: _("{done} of {required} required documents done; {complete} of "
                                "{dossiers} dossiers complete").format(
                        done=r.documents_done, required=r.documents_required,
                        complete=r.dossiers_complete, dossiers=r.dossiers)),
        BoardColumn(lambda: pgettext("board column", "Difficulties"),
                    lambda r: f"{r.difficulties_open} ({r.difficulties_unanswered})",
                    "difficulties", RIGHT,
                    lambda r: "due_soon" if r.difficulties_unanswered else "normal",
                    lambda r: _("{open} not resolved, {unanswered} without an answer").format(
                        open=r.difficulties_open, unanswered=r.difficulties_unanswered)),
        BoardColumn(lambda: pgettext("board column", "Activities"),
                    lambda r: f"{format_number(r.activities)} "
                              f"({format_number(r.activity_participants)})",
                    "activities", RIGHT, None, _activities_tip),
        BoardColumn(lambda: pgettext("board column", "Last package"), _last, "last_report", RIGHT,
                    lambda r: r.report_level, _report_tip),
        BoardColumn(lambda: pgettext("board column", "Acknowledged"),
                    lambda r: f"{r.acknowledged}/{r.sent_down}",
                    "sent", RIGHT, lambda r: "due_soon" if r.unacknowledged else "normal",
                    lambda r: _("{count} items sent down are not yet acknowledged").format(
                        count=r.unacknowledged)),
    ]


class BoardModel(QAbstractTableModel):
    """The board's rows as shown (filtered and sorted by the service), then the total."""

    sort_requested = Signal(str, bool)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.columns = board_columns()
        self.rows: list = []
        self.total = None

    def set_rows(self, rows: list, total) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.total = total
        self.endResetModel()

    def row_at(self, row: int):
        if 0 <= row < len(self.rows):
            return self.rows[row]
        if row == len(self.rows) and self.total is not None:
            return self.total
        return None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        if parent.isValid():
            return 0
        return len(self.rows) + (1 if self.total is not None else 0)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.DisplayRole) -> Any:
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and \
                0 <= section < len(self.columns):
            return self.columns[section].title()
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole and \
                0 <= section < len(self.columns):
            return board_legend().get(self.columns[section].sort_key or "")
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        if row is None or not 0 <= index.column() < len(self.columns):
            return None
        column = self.columns[index.column()]
        is_total = not row.unit_id
        if role == Qt.DisplayRole:
            return column.text(row)
        if role == Qt.TextAlignmentRole:
            return column.align
        if role == Qt.ToolTipRole:
            return column.tooltip(row) if column.tooltip else column.text(row)
        if role == Qt.FontRole and is_total:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.UserRole:
            return row.unit_id or None
        state = column.state(row) if column.state and not is_total else None
        if role == Qt.ForegroundRole and state in ("late", "due_soon"):
            return QBrush(LATE_COLOR if state == "late" else DUE_SOON_COLOR)
        if role == Qt.BackgroundRole:
            if is_total:
                return QBrush(colour("header"))
            if state in ("late", "due_soon"):
                return QBrush(LATE_BACKGROUND if state == "late" else DUE_SOON_BACKGROUND)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.AscendingOrder) -> None:
        if 0 <= column < len(self.columns) and self.columns[column].sort_key:
            self.sort_requested.emit(self.columns[column].sort_key,
                                     order == Qt.DescendingOrder)


class RateByChildChart(QWidget):
    """One horizontal bar per child: the disbursement rate (red far behind, amber behind,
    green on pace), against the on-track line (dashed) and 100% (the right end).

    Its height grows with the number of children (a scroll area holds it); clicking a bar
    selects that child."""

    child_clicked = Signal(str)
    BAR = 18

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list = []
        self.on_track = 0.0
        self.year = 0
        self.selected: str | None = None
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.setMouseTracking(False)

    def set_rows(self, rows: list, on_track: float, year: int) -> None:
        self.rows = [r for r in rows if r.unit_id]
        self.on_track = on_track
        self.year = year
        self.setFixedHeight(self._height())
        behind = sum(1 for r in self.rows if r.behind)
        self.setAccessibleName(_("Disbursement rate by child unit: {behind} of {count} below "
                                 "the on-track line {track}").format(
            behind=behind, count=len(self.rows), track=format_percent(on_track)))
        self.update()

    def _header(self) -> int:
        return self.fontMetrics().height() * 2 + 14

    def _height(self) -> int:
        return self._header() + max(1, len(self.rows)) * self.BAR + 24

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(360, self._height())

    def _label_width(self) -> int:
        return min(260, max(90, self.width() // 4))

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt API)
        index = int((event.position().y() - self._header()) // self.BAR)
        if 0 <= index < len(self.rows):
            self.selected = self.rows[index].unit_id
            self.child_clicked.emit(self.selected)
            self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        metrics = painter.fontMetrics()
        line = metrics.height()
        labels = self._label_width()
        left = labels + 8
        right = metrics.horizontalAdvance("100,0%") + 10
        top = self._header()
        plot_width = max(20, self.width() - left - right)
        bold = QFont(painter.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(TRACK_COLOR)
        painter.drawText(QRectF(6, 4, self.width() - 12, line), Qt.AlignLeft,
                         _("Disbursement rate {year} by child unit").format(year=self.year))
        painter.setFont(QFont(self.font()))
        # legend: the on-track line
        legend_y = 6 + line + line / 2
        painter.setPen(QPen(TRACK_COLOR, 1.5, Qt.DashLine))
        painter.drawLine(QPointF(6, legend_y), QPointF(28, legend_y))
        painter.setPen(colour("ink"))
        painter.drawText(QPointF(33, legend_y + metrics.ascent() / 2 - 1),
                         _("On-track line {track}").format(track=format_percent(self.on_track)))
        bottom = top + len(self.rows) * self.BAR
        label_every = 2 if plot_width >= 6 * metrics.horizontalAdvance("100%") else 5
        for step in range(0, 11):
            x = left + plot_width * step / 10
            painter.setPen(QPen(GRID_COLOR, 1))
            painter.drawLine(QPointF(x, top), QPointF(x, bottom))
            if step % label_every == 0:
                painter.setPen(MUTED_COLOR)
                painter.drawText(QRectF(x - 24, bottom + 2, 48, line), Qt.AlignHCenter,
                                 f"{step * 10}%")
        for index, row in enumerate(self.rows):
            y = top + index * self.BAR
            if row.unit_id == self.selected:
                painter.fillRect(QRectF(0, y, self.width(), self.BAR), colour("selection"))
            painter.setPen(colour("ink"))
            name = metrics.elidedText(row.name, Qt.ElideRight, labels - 4)
            painter.drawText(QRectF(4, y, labels - 4, self.BAR), Qt.AlignRight | Qt.AlignVCenter,
                             name)
            rate = row.rate or 0.0
            color = STATE_COLORS.get(row.rate_state, GOOD_COLOR)
            painter.setPen(Qt.NoPen)
            painter.setBrush(color)
            painter.drawRect(QRectF(left, y + 3, plot_width * max(0.0, min(1.0, rate)),
                                    self.BAR - 6))
            painter.setPen(color)
            painter.drawText(QRectF(left + plot_width + 4, y, right, self.BAR),
                             Qt.AlignLeft | Qt.AlignVCenter,
                             format_percent(row.rate) if row.rate is not None else "–")
        x = left + plot_width * max(0.0, min(1.0, self.on_track))
        painter.setPen(QPen(TRACK_COLOR, 1.5, Qt.DashLine))
        painter.drawLine(QPointF(x, top - 4), QPointF(x, bottom))
        painter.end()
