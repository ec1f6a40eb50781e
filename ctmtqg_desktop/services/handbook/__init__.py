"""Sổ tay: the offline handbook, one page per programme component or project kind."""

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services.area import Area

AREA = Area(key="handbook", label=N_("Handbook"))
