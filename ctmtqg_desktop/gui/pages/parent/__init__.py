"""Đơn vị cấp dưới: the parent unit's child units and its monitoring board."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ctmtqg_desktop.gui.pages.base import Page, PageContext, PageSpec
from ctmtqg_desktop.i18n import N_

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget


def ask_answer(parent: QWidget, **values: Any) -> Any:
    """The parent unit's answer to a child unit's difficulty (``AnswerDialog.ask``, with
    ``save``: saved while the form is open), for the difficulties page."""
    from ctmtqg_desktop.gui.pages.parent._dialogs import AnswerDialog

    return AnswerDialog.ask(parent, **values)  # type: ignore[no-untyped-call]


def _children_page(context: PageContext) -> Page:
    from ctmtqg_desktop.gui.pages.parent._children import ChildrenPage

    return ChildrenPage(context)


CHILDREN_PAGE = PageSpec(
    "children", N_("Child units"), _children_page,
    N_("The child units, their installations and their last package."),
    roles=("parent",), icon="children")


def _board_page(context: PageContext) -> Page:
    from ctmtqg_desktop.gui.pages.parent._board import BoardPage

    return BoardPage(context)


BOARD_PAGE = PageSpec(
    "board", N_("Monitoring board"), _board_page,
    N_("Allocation, disbursement and tasks by child unit: who is behind."),
    roles=("parent",), icon="board")
