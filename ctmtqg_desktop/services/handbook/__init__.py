"""Sổ tay: the offline handbook, one page per programme component or project kind."""

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services.area import Area
from ctmtqg_desktop.services.handbook._pages import (
    WORKSPACE_FOLDER,
    HandbookPage,
    install_page,
    load_pages,
    page_for_kind,
    page_path,
    parse_page,
    search,
)

AREA = Area(key="handbook", label=N_("Handbook"))

__all__ = [
    "HandbookPage",
    "WORKSPACE_FOLDER",
    "install_page",
    "load_pages",
    "page_for_kind",
    "page_path",
    "parse_page",
    "search",
    "AREA",
]
