"""Tổng quan: at a glance, what is late, what money is unspent, what has not been sent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
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
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services.overview_data import Overview, Section

if TYPE_CHECKING:
    from ctmtqg_desktop.store.workspace import Workspace


class FigureLabel(QLabel):
    """The caption under a figure, broken between words only (never "Đơn / vị")."""

    def __init__(self, text: str) -> None:
        super().__init__(text, objectName="figureLabel", wordWrap=True)
        self.setAlignment(Qt.AlignLeft | Qt.AlignTop)
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
        title = QLabel(section.title, objectName="cardTitle")
        layout.addWidget(title)
        # up to four figures side by side; more go on a second row, so that no card is
        # wider than a third of the page at 1366x768
        figures = QGridLayout()
        figures.setHorizontalSpacing(14)
        figures.setVerticalSpacing(6)
        count = len(section.figures)
        columns = count if count <= 4 else 3
        for position, figure in enumerate(section.figures):
            box = QVBoxLayout()
            value = QLabel(figure.value, objectName="figureValue")
            value.setProperty("state", figure.state)
            box.addWidget(value)
            box.addWidget(FigureLabel(figure.label))
            box.addStretch(1)
            figures.addLayout(box, position // columns, position % columns)
        for column in range(max(columns, 3)):
            figures.setColumnStretch(column, 1)
        layout.addLayout(figures)
        for text, state in section.lines:
            line = ElidingLabel(text, objectName="cardLine")
            line.setProperty("state", state)
            layout.addWidget(line)
        layout.addStretch(1)

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
    from ctmtqg_desktop.services import sync, tasks

    info = workspace.installation()
    if info is None or info.simulated_today:
        return []
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


class OverviewPage(Page):
    def build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 20)
        self.add_header(outer)
        #: the overview's title is the unit, its subtitle the officer and the role
        self.unit_title, self.unit_detail = self.title, self.subtitle
        self.demo_notice = QLabel(objectName="demoNotice", wordWrap=True)
        self.demo_notice.hide()
        self.freshness = QLabel(objectName="muted")
        outer.addWidget(self.demo_notice)
        outer.addWidget(self.freshness)
        self.first_steps = FirstStepsBox()
        self.first_steps.navigate.connect(lambda area: self.context.navigate(area))
        outer.addWidget(self.first_steps)
        scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.NoFrame)
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

    def retranslate(self) -> None:
        self.empty.setText(_("Loading…"))

    def activate(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        workspace = self.context.workspace
        if workspace is None:  # still starting: the last-known figures are shown
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
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        columns = 3
        for position, section in enumerate(sections):
            card = SectionCard(section)
            card.activated.connect(lambda area: self.context.navigate(area))
            self.grid.addWidget(card, position // columns, position % columns)
        for column in range(columns):
            self.grid.setColumnStretch(column, 1)
        self.grid.setRowStretch(len(sections) // columns + 1, 1)
        self.empty.setText("" if sections else _("No data has been entered yet."))
        self.empty.setVisible(not sections)
        if not data.from_snapshot:
            self.loading = False
            self.loaded = True
        self.shown = True
