"""Danh mục: the reference catalog (units and their successions, programmes and their
components, capital kinds and sources, criteria), loaded from data files and kept current."""

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services.area import Area
from ctmtqg_desktop.store.models.catalog import (
    AdminUnit,
    CapitalKind,
    CapitalSource,
    CatalogMeta,
    NtmCriterion,
    Program,
    ProgramComponent,
    ProgramPeriod,
    ProjectKind,
    UnitSuccession,
)

AREA = Area(
    key="catalog", label=N_("Catalog"),
    records=(CatalogMeta, AdminUnit, UnitSuccession, ProgramPeriod, Program, ProgramComponent,
             CapitalKind, CapitalSource, NtmCriterion, ProjectKind),
)
