"""Hộ hưởng lợi: the beneficiary households and their support, shown as a tab of the
dossiers page (the households area has no page of its own)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from ctmtqg_desktop.gui.pages.base import Page


def households_tab(page: Page) -> QWidget:
    """The households tab, for the page that shows it."""
    from ctmtqg_desktop.gui.pages.households._tab import HouseholdsTab

    return HouseholdsTab(page)
