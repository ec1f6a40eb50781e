"""Chuyển tiếp sau sắp xếp: a commune created by the merger of 01/07/2025 carries its
predecessors' unfinished 2021-2025 projects, tasks and undisbursed 2025 capital (kéo dài,
chuyển nguồn) into its own 2026 records under the 2026-2035 programme; the predecessors'
records stay as read-only history."""

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services.area import Area, OverviewSection
from ctmtqg_desktop.services.history._carry import (
    CAPITAL,
    CARRY_FORWARD,
    EXTENSION,
    MODE_LABELS,
    PERIOD_END,
    PROJECT,
    TASK,
    AlreadyCarried,
    CarriedInfo,
    CarryIsForCommunes,
    CarryItem,
    CarryOutcome,
    CarryPreview,
    MappingEntry,
    NotAMergedSuccessor,
    NotCarriable,
    NothingToCarry,
    UnknownRecord,
    carried_records,
    carry,
    preview,
    program_mapping,
)
from ctmtqg_desktop.services.history._overview import carry_section
from ctmtqg_desktop.store.models.history import CarriedRecord

AREA = Area(
    key="history", label=N_("Carry over after the merger"),
    records=(CarriedRecord,),
    overview=(OverviewSection(-5, carry_section),),
)

__all__ = [
    "AREA",
    "CAPITAL",
    "CARRY_FORWARD",
    "EXTENSION",
    "MODE_LABELS",
    "PERIOD_END",
    "PROJECT",
    "TASK",
    "AlreadyCarried",
    "CarryIsForCommunes",
    "CarriedInfo",
    "CarriedRecord",
    "CarryItem",
    "CarryOutcome",
    "CarryPreview",
    "MappingEntry",
    "NotAMergedSuccessor",
    "NotCarriable",
    "NothingToCarry",
    "UnknownRecord",
    "carried_records",
    "carry",
    "carry_section",
    "preview",
    "program_mapping",
]
