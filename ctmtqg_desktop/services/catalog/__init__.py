"""Danh mục: the reference catalog (units and their successions, programmes and their
components, capital kinds and sources, criteria), loaded from data files and kept current."""

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services.area import Area
from ctmtqg_desktop.services.catalog._loading import (
    catalog_is_current,
    loaded_catalog_version,
    read_catalog,
    shipped_catalog_dir,
    shipped_catalog_version,
    update_catalog,
)
from ctmtqg_desktop.services.catalog._units import (
    ComponentNode,
    SuccessionInfo,
    UnitInfo,
    all_successions,
    all_units,
    capital_kinds,
    capital_sources,
    component_choices,
    corrected_unit_keys,
    get_unit,
    key_corrections,
    ntm_criteria,
    program_tree,
    programs,
    project_kinds,
    resolve_unit,
    search_units,
    successions,
    unit_kind_label,
)
from ctmtqg_desktop.services.catalog._updates import (
    install_if_newer,
    keep_copy,
    loaded_version,
    pack,
    source_folder,
    unpack,
)
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
    UnitKeyCorrection,
    UnitSuccession,
)

AREA = Area(
    key="catalog", label=N_("Catalog"),
    records=(CatalogMeta, AdminUnit, UnitSuccession, ProgramPeriod, Program, ProgramComponent,
             CapitalKind, CapitalSource, NtmCriterion, ProjectKind, UnitKeyCorrection),
)

__all__ = [
    "shipped_catalog_dir",
    "successions",
    "ComponentNode",
    "SuccessionInfo",
    "UnitInfo",
    "all_successions",
    "all_units",
    "capital_kinds",
    "capital_sources",
    "catalog_is_current",
    "get_unit",
    "install_if_newer",
    "keep_copy",
    "loaded_catalog_version",
    "loaded_version",
    "ntm_criteria",
    "pack",
    "component_choices",
    "corrected_unit_keys",
    "key_corrections",
    "program_tree",
    "programs",
    "project_kinds",
    "read_catalog",
    "resolve_unit",
    "search_units",
    "shipped_catalog_version",
    "source_folder",
    "unit_kind_label",
    "unpack",
    "update_catalog",
    "AREA",
]
