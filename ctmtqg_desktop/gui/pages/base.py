"""What every page of the main window has: its context, strings in one place, loading state."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.gui.background import TaskRunner
from ctmtqg_desktop.gui.palette import DUE_SOON_COLOR, LATE_COLOR
from ctmtqg_desktop.i18n import _

if TYPE_CHECKING:  # the store (SQLAlchemy) is imported only once the window has painted
    from ctmtqg_desktop.store.workspace import Workspace


@dataclass
class PageContext:
    workspace: Workspace
    runner: TaskRunner
    #: open another area by key ("tasks", "capital", …)
    navigate: Callable[[str], None]
    #: a short message in the status bar
    notify: Callable[[str], None]
    role: str


#: the roles that see a page unless it says otherwise
BOTH = ("commune", "parent")


@dataclass(frozen=True)
class PageSpec:
    """An entry of the main window's navigation. ``create(context)`` builds the page the
    first time it is shown; it imports the page's module then, so that the window paints
    before any page (and the data layer behind it) is loaded."""
    key: str
    label: str  # msgid
    create: Callable[[PageContext], Page]
    description: str  # msgid: what the area is for
    roles: tuple[str, ...] = BOTH
    icon: str = ""


class Page(QWidget):
    """A main-window page. Subclasses build widgets in ``build`` and set every visible
    string in ``retranslate``; ``activate`` runs each time the page is shown."""

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.loading = False
        self.build()
        self.retranslate()

    def build(self) -> None:
        raise NotImplementedError

    def retranslate(self) -> None:
        pass

    def activate(self) -> None:
        pass

    def focus_search(self) -> bool:
        """Put the cursor in the page's search field (Ctrl+F); False if it has none."""
        return False

    def save(self) -> bool:
        """Save what is being edited (Ctrl+S); False if there is nothing to save."""
        return False

    #: the attributes a page's "add" button goes by, in the order they are looked for
    NEW_BUTTONS = ("add_button", "new_button", "add_line_button")

    def new_record(self) -> bool:
        """Start a new record (Ctrl+N on every page): what the page's add button does;
        False when the page has none (or it is disabled or hidden just now)."""
        for name in self.NEW_BUTTONS:
            button = getattr(self, name, None)
            if button is not None and button.isEnabled() and button.isVisibleTo(self):
                button.click()
                return True
        return False

    def add_header(self, outer: QBoxLayout, *actions: QWidget, wrap: bool = True,
                   subtitle: bool = True) -> None:
        """The page's title and subtitle (``self.title``, ``self.subtitle``, texts set in
        ``retranslate``) with its main actions on the right, aligned with the subtitle. Every
        page makes its header here."""
        top = QHBoxLayout()
        titles = QVBoxLayout()
        self.title = QLabel(objectName="pageTitle")
        titles.addWidget(self.title)
        if subtitle:
            self.subtitle = QLabel(objectName="subtitle", wordWrap=wrap)
            titles.addWidget(self.subtitle)
        top.addLayout(titles, 1)
        for action in actions:
            top.addWidget(action, 0, Qt.AlignBottom)
        outer.addLayout(top)

    @property
    def workspace(self) -> Workspace:
        return self.context.workspace


#: a message's style by its state (``late``: refused or behind, ``due_soon``: a warning)
STATE_STYLE = {"late": f"color: {LATE_COLOR.name()};",
               "due_soon": f"color: {DUE_SOON_COLOR.name()};", "normal": ""}


class WorkingPage(Page):
    """A page with a message line and a busy bar at its foot (``add_footer``) that runs its
    writes and reports in the background (``work``)."""

    busy: QProgressBar
    message: QLabel

    def add_footer(self, outer: QBoxLayout, *extra: QWidget) -> None:
        """The message line, the busy bar, then ``extra`` (a Cancel button…)."""
        bottom = QHBoxLayout()
        self.message = QLabel(wordWrap=True)
        self.message.setObjectName("formMessage")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.busy = QProgressBar(maximum=0)
        self.busy.setMaximumWidth(160)
        self.busy.hide()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.busy)
        for widget in extra:
            bottom.addWidget(widget)
        outer.addLayout(bottom)

    def work(self, work: Callable[[], object], done: Callable[[object], None]) -> None:
        """Run ``work`` in the background with the busy bar shown, then ``done(result)``; a
        refusal is shown in the message line."""
        self.busy.show()
        self.loading = True

        def finished(result: object) -> None:
            self.busy.hide()
            self.loading = False
            done(result)

        self.context.runner.run(work, on_done=finished, on_error=self._failed)

    def write_report(self, work: Callable[[], object]) -> None:
        """Write a report in the background and say where it was written."""
        self.work(work, lambda written: self.show_message(
            _("Report written: {path}").format(path=written)))

    def _failed(self, message: str) -> None:
        self.loading = False
        self.busy.hide()
        self.show_message(message, "late")

    def show_message(self, text: str, state: str = "normal") -> None:
        self.message.setText(text)
        self.message.setStyleSheet(STATE_STYLE.get(state, ""))
        if text and state == "normal":
            self.context.notify(text)
