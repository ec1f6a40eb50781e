"""Tổng quan: at a glance, what is late, what money is unspent, what has not been sent."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain.formats import format_datetime
from ctmtqg_desktop.gui.pages.base import Page
from ctmtqg_desktop.i18n import _, ngettext
from ctmtqg_desktop.services.overview_data import Overview, Section

if TYPE_CHECKING:
    import subprocess

    from ctmtqg_desktop.services.overview_early import EarlyResult
    from ctmtqg_desktop.store.workspace import Workspace

log = logging.getLogger("ctmtqg.gui")


class FigureLabel(QLabel):
    """The caption under a figure, broken between words only (never "Đơn / vị")."""

    def __init__(self, text: str) -> None:
        super().__init__(text, objectName="figureLabel", wordWrap=True)
        self.setAlignment(Qt.AlignLeft | Qt.AlignVCenter)
        metrics = self.fontMetrics()
        longest_word = max((metrics.horizontalAdvance(word) for word in text.split()),
                           default=0)
        self.setMinimumWidth(max(longest_word + 4, 56))


class ElidingLabel(QLabel):
    """A card's line of warning: one line cut with "…" to the card's width, the whole text in
    the tooltip (the area's own page shows it in full)."""

    def __init__(self, text: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.full_text = text
        self.setToolTip(text)
        self.setAccessibleName(text)
        self.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Fixed)
        self.setMinimumWidth(40)
        super().setText(text)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().setText(self.fontMetrics().elidedText(self.full_text, Qt.ElideRight,
                                                      max(event.size().width() - 2, 10)))
        super().resizeEvent(event)


class SectionCard(QFrame):
    """One area's figures; clicking it opens the area."""

    activated = Signal(str)

    def __init__(self, section: Section) -> None:
        super().__init__(objectName="card")
        self.section = section
        self.setCursor(Qt.PointingHandCursor)
        self.setFocusPolicy(Qt.StrongFocus)
        layout = QVBoxLayout(self)
        # wrapped, so that a long title does not widen its column: the three columns stay
        # equal, the width :meth:`OverviewPage.fit_cards` sizes the captions for
        title = QLabel(section.title, objectName="cardTitle", wordWrap=True)
        layout.addWidget(title)
        # one figure a line, its value before its caption: the eight cards fit the window
        # at 1366x768 (three rows) where big figures over wrapped captions did not
        figures = QGridLayout()
        figures.setHorizontalSpacing(10)
        figures.setVerticalSpacing(2)
        for position, figure in enumerate(section.figures):
            value = QLabel(figure.value, objectName="figureValue")
            value.setProperty("state", figure.state)
            value.setProperty("compact", True)
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            figures.addWidget(value, position, 0)
            figures.addWidget(FigureLabel(figure.label), position, 1)
        figures.setColumnStretch(1, 1)
        layout.addLayout(figures)
        self.lines: list[ElidingLabel] = []
        for text, state in section.lines:
            line = ElidingLabel(text, objectName="cardLine")
            line.setProperty("state", state)
            layout.addWidget(line)
            self.lines.append(line)
        #: stands for the lines left out when the card is fitted to a short window
        self.more = QLabel()
        self.more.setObjectName("figureLabel")
        self.more.hide()
        layout.addWidget(self.more)
        layout.addStretch(1)

    def show_lines(self, shown: int, width: int) -> int:
        """Show the first ``shown`` warning lines (and, when some are left out, one line
        saying how many: all of them are on the area's page); the card's height then, at
        ``width`` (captions wrap)."""
        for index, line in enumerate(self.lines):
            line.setVisible(index < shown)
        hidden = len(self.lines) - shown
        if hidden:
            self.more.setText(ngettext("… {count} more line on the page {area}",
                                       "… {count} more lines on the page {area}",
                                       hidden).format(count=hidden, area=self.section.title))
            self.more.setToolTip("\n".join(line.full_text for line in self.lines[shown:]))
        self.more.setVisible(bool(hidden))
        layout = self.layout()
        assert layout is not None
        layout.invalidate()
        if layout.hasHeightForWidth():
            return layout.totalHeightForWidth(width)
        return layout.totalSizeHint().height()

    def fit(self, height: int, width: int) -> None:
        """Leave out the last warning lines until the card is at most ``height`` tall at
        ``width`` (its title and figures always stay), and take that height."""
        shown = len(self.lines)
        needed = self.show_lines(shown, width)
        while shown and needed > height:
            shown -= 1
            needed = self.show_lines(shown, width)
        self.setFixedHeight(max(height, needed))

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt API)
        self.activated.emit(self.section.area)
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() in (Qt.Key_Return, Qt.Key_Enter, Qt.Key_Space):
            self.activated.emit(self.section.area)
            return
        super().keyPressEvent(event)


@dataclass(frozen=True)
class FirstStep:
    text: str
    done: bool
    #: the area where the step is taken
    area: str


def first_steps(workspace: Workspace) -> list[FirstStep]:
    """What a new workspace still has to do before it is in use (the overview lists these
    until all are done): a commune sets up from the parent's enrollment file, enters its
    first task and sends its first package; a parent unit issues enrollment files. A demo
    workspace has none (it is for practice)."""
    info = workspace.installation()
    if info is None or info.simulated_today:
        return []
    from ctmtqg_desktop.services import sync, tasks

    choices = sync.recipients(workspace)
    if info.role == "parent":
        enrolled = any(c.relation == "child" for c in choices)
        return [FirstStep(_("Issue an enrollment file to each child unit (page Child units, "
                            "or the command: enroll CODE --out FILE)."), enrolled, "children")]
    return [
        FirstStep(_("Know the parent unit's key: set this computer up from the enrollment "
                    "file it sent, or receive its first package on the Synchronisation page "
                    "and compare the fingerprint by phone."),
                  any(c.relation == "parent" and c.known_nodes for c in choices), "sync"),
        FirstStep(_("Enter the first task (page Tasks, Ctrl+N)."),
                  bool(tasks.task_ids(workspace, {})), "tasks"),
        FirstStep(_("Send the first package to the parent unit (page Synchronisation)."),
                  sync.last_package_sent(workspace) is not None, "sync"),
    ]


class FirstStepsBox(QFrame):
    """The first steps of a new workspace, each with a button to the page where it is
    taken; hidden once every step is done."""

    navigate = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("notice")
        self.layout_ = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setObjectName("noticeTitle")
        self.layout_.addWidget(self.title)
        self.rows: list[tuple[QLabel, QPushButton]] = []
        self.hide()

    def set_steps(self, steps: list[FirstStep]) -> None:
        while self.rows:
            label, _button = self.rows.pop()
            row = label.parentWidget()
            if row is not None:
                row.hide()  # at once: deleteLater waits for the event loop
                self.layout_.removeWidget(row)
                row.deleteLater()
        self.title.setText(_("First steps"))
        for number, step in enumerate(steps, 1):
            row = QWidget(self)
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            mark = "✓" if step.done else f"{number}."
            label = QLabel(f"{mark} {step.text}", row, wordWrap=True)
            label.setEnabled(not step.done)
            button = QPushButton(_("Open"), row)
            if step.done:
                button.hide()
            button.clicked.connect(lambda _c=False, area=step.area: self.navigate.emit(area))
            line.addWidget(label, 1)
            line.addWidget(button)
            self.layout_.addWidget(row)
            row.show()  # now, not when the event loop next runs
            self.rows.append((label, button))
        self.setVisible(any(not step.done for step in steps))


class SkeletonCard(QFrame):
    """A card's place while the figures are computed (no figures kept from an earlier
    start): the window paints the overview's layout at once, the cards fill in after."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("card")
        self.setProperty("skeleton", True)
        layout = QVBoxLayout(self)
        self.title = QLabel("…")
        self.title.setObjectName("cardTitle")
        layout.addWidget(self.title)
        self.note = QLabel()
        self.note.setObjectName("muted")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.setMinimumHeight(120)


class OverviewPage(Page):
    #: emitted each time figures are shown: True for the figures just computed from the
    #: records, False for the last-known copy (tests and the start-up probe wait on it)
    figures_shown = Signal(bool)
    #: the start-up process's result (``overview_early.EarlyResult``), from its reader thread
    early_arrived = Signal(object)

    def build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 20)
        self.add_header(outer)
        #: the overview's title is the unit, its subtitle the officer and the role
        self.unit_title, self.unit_detail = self.title, self.subtitle
        self.demo_notice = QLabel(objectName="demoNotice", wordWrap=True)
        self.demo_notice.hide()
        self.freshness = QLabel(objectName="muted")
        # one line for both, so that the cards keep the height of the window (1366x768)
        notices = QHBoxLayout()
        notices.addWidget(self.demo_notice, 1)
        notices.addWidget(self.freshness, 0, Qt.AlignmentFlag.AlignVCenter)
        outer.addLayout(notices)
        self.first_steps = FirstStepsBox()
        self.first_steps.navigate.connect(lambda area: self.context.navigate(area))
        outer.addWidget(self.first_steps)
        scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.NoFrame)
        self.cards_scroll: QScrollArea = scroll
        scroll.viewport().installEventFilter(self)
        self.cards_host = QWidget()
        self.grid = QGridLayout(self.cards_host)
        self.grid.setSpacing(14)
        self.grid.setContentsMargins(0, 8, 0, 0)
        scroll.setWidget(self.cards_host)
        outer.addWidget(scroll, 1)
        self.empty = QLabel(wordWrap=True, objectName="muted")
        outer.addWidget(self.empty)
        self.loaded = False  # live figures shown
        self.shown = False  # any figures (live or last-known) shown
        #: the start-up process's figures: None, "waiting" for them, or "shown" (the page's
        #: first refresh then only reads the first steps)
        self._early: str | None = None
        #: refreshes asked for while waiting for them
        self._early_requests = 0
        #: work put off until they arrive (it would compete with their process for the CPU)
        self._after_early: list[Callable[[], None]] = []
        self.early_arrived.connect(self._early_result)

    def retranslate(self) -> None:
        self.empty.setText(_("Loading…"))
        for card in self.cards_host.findChildren(SkeletonCard):
            card.note.setText(_("Computing the figures from the records…"))

    def show_skeleton(self, count: int = 9) -> None:
        """The overview's layout with placeholder cards, before any figures are known (a
        first start, or the last-known copy deleted): painted at once, filled in by
        :meth:`show_overview` when the figures computed on the task runner arrive."""
        self._clear_cards()
        columns = 3
        for position in range(count):
            card = SkeletonCard()
            card.note.setText(_("Computing the figures from the records…"))
            self.grid.addWidget(card, position // columns, position % columns)
        for column in range(columns):
            self.grid.setColumnStretch(column, 1)
        self.grid.setRowStretch(count // columns + 1, 1)
        self.freshness.setText(_("Computing the figures…"))
        self.empty.hide()

    def _clear_cards(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()

    def activate(self) -> None:
        self.refresh()

    def await_early(self, process: subprocess.Popen[bytes]) -> None:
        """Take the live figures from the start-up process (``services.overview_early``)
        instead of computing them here: its result is read on a thread of its own (the
        task runner stays free) and shown as soon as it arrives. If it gives no figures,
        the page computes them as usual."""
        from ctmtqg_desktop.services.overview_early import collect

        self._early, self._early_requests = "waiting", 0

        def wait() -> None:
            result = collect(process)
            try:
                self.early_arrived.emit(result)
            except RuntimeError:  # the page was closed meanwhile
                pass

        threading.Thread(target=wait, name="overview-early", daemon=True).start()

    def opened_elsewhere(self) -> None:
        """The window opened on another page: the start-up figures already shown are not
        reused when the overview is next opened (records may have changed by then)."""
        if self._early == "shown":
            self._early = None

    def awaiting_early(self) -> bool:
        """Whether the start-up process's figures are still awaited."""
        return self._early == "waiting"

    def after_early(self, work: Callable[[], None]) -> None:
        """Run ``work`` once the start-up process's figures have arrived (at once if none
        are awaited): start-up work that is not urgent waits, so that the two processes do
        not share the CPU."""
        if self._early == "waiting":
            self._after_early.append(work)
        else:
            work()

    def _early_result(self, result: EarlyResult) -> None:
        requests, self._early = self._early_requests, None
        waiting, self._after_early = self._after_early, []
        try:
            self._show_early(result, requests)
        finally:
            for work in waiting:
                work()

    def _show_early(self, result: EarlyResult, requests: int) -> None:
        if requests > 1:
            # the user went to another page and back while waiting: something may have
            # changed since the figures were computed, so compute them again
            log.info("start-up figures not shown: the overview was opened again meanwhile")
            self.refresh()
        elif not requests and self.context.workspace is not None:
            # the window opened on another page, where the user may already have changed
            # records: the overview computes its figures when it is next opened
            log.info("start-up figures not shown: the window opened on another page")
        elif result.overview is not None:
            self.show_overview(result.overview)
            if requests:  # the workspace is open: only the first steps are left to read
                self._refresh_steps()
            else:
                self._early = "shown"
        elif result.error is not None:
            self._failed(result.error)
        else:
            log.info("overview computed in the window: %s", result.reason)
            if requests:
                self.refresh()

    def _refresh_steps(self) -> None:
        workspace = self.context.workspace
        if workspace is None:
            return
        self.context.runner.run(lambda: first_steps(workspace),
                                on_done=self.first_steps.set_steps, on_error=self._failed)

    def refresh(self) -> None:
        workspace = self.context.workspace
        if workspace is None:  # still starting: the last-known figures are shown
            return
        if self._early == "waiting":  # the start-up process is computing them
            self._early_requests += 1
            return
        if self._early == "shown":  # computed from the records at this start, moments ago
            self._early = None
            self._refresh_steps()
            return
        self.loading = True

        def compute():
            from ctmtqg_desktop.services import overview

            return overview.compute(workspace), first_steps(workspace)

        def done(result: tuple[Overview, list[FirstStep]]) -> None:
            data, steps = result
            self.first_steps.set_steps(steps)
            self.show_overview(data)

        self.context.runner.run(compute, on_done=done, on_error=self._failed)

    def cards(self) -> list[SectionCard]:
        found = (self.grid.itemAt(i) for i in range(self.grid.count()))
        return [widget for widget in (item.widget() if item else None for item in found)
                if isinstance(widget, SectionCard)]

    def fit_cards(self) -> None:
        """Share the visible height between the rows of cards, each row getting what its
        cards need with every line shown if the height allows, else its share of what is
        left; a card leaves out the warning lines beyond its row's height
        (:meth:`SectionCard.fit`). In a window too short even for the figures, the cards
        scroll."""
        cards = self.cards()
        if not cards:
            return
        rows: dict[int, list[SectionCard]] = {}
        for card in cards:
            position = self.grid.getItemPosition(self.grid.indexOf(card))
            rows.setdefault(int(position[0]), []).append(card)  # type: ignore[index]
        margins = self.grid.contentsMargins()
        viewport = self.cards_scroll.viewport()
        available = (viewport.height() - margins.top() - margins.bottom()
                     - self.grid.verticalSpacing() * (len(rows) - 1))
        columns = max(len(row_cards) for row_cards in rows.values())
        width = (viewport.width() - margins.left() - margins.right()
                 - self.grid.horizontalSpacing() * (columns - 1)) // columns
        least = {row: max(card.show_lines(0, width) for card in row_cards)
                 for row, row_cards in rows.items()}
        most = {row: max(card.show_lines(len(card.lines), width) for card in row_cards)
                for row, row_cards in rows.items()}
        given = dict(least)
        left = available - sum(least.values())
        waiting = sorted(rows, key=lambda row: most[row] - least[row])
        while waiting and left > 0:  # the rows that need least are served first
            row = waiting.pop(0)
            extra = min(most[row] - least[row], left // (len(waiting) + 1))
            given[row] += extra
            left -= extra
        for row, row_cards in rows.items():
            for card in row_cards:
                card.fit(given[row], width)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.cards_scroll.viewport() and event.type() == QEvent.Type.Resize:
            self.fit_cards()
        return super().eventFilter(watched, event)

    def _failed(self, message: str) -> None:
        self.loading = False
        self.empty.setText(message)
        self.empty.show()

    def show_overview(self, data: Overview) -> None:
        header, sections = data.header, data.sections
        self.unit_title.setText(header.unit_title)
        detail = header.unit_full_name + " · " + header.role_label
        if header.officer_name:
            detail += " · " + _("Officer: {name}").format(name=header.officer_name)
        self.unit_detail.setText(detail)
        if header.simulated_today:
            self.demo_notice.setText(_("Demo data: the working date is fixed at {date}")
                                     .format(date=header.simulated_today))
            self.demo_notice.show()
        when = format_datetime(data.computed_at.astimezone())  # computed in local time
        self.freshness.setText(
            _("Figures as of {time}; updating…").format(time=when) if data.from_snapshot
            else _("Figures computed at {time}.").format(time=when))
        self._clear_cards()
        columns = 3
        for position, section in enumerate(sections):
            card = SectionCard(section)
            card.activated.connect(lambda area: self.context.navigate(area))
            self.grid.addWidget(card, position // columns, position % columns)
        for column in range(columns):
            self.grid.setColumnStretch(column, 1)
        self.grid.setRowStretch(len(sections) // columns + 1, 1)
        self.fit_cards()
        self.empty.setText("" if sections else _("No data has been entered yet."))
        self.empty.setVisible(not sections)
        if not data.from_snapshot:
            self.loading = False
            self.loaded = True
        self.shown = True
        self.figures_shown.emit(not data.from_snapshot)
