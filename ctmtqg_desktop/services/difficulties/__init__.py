"""Khó khăn, kiến nghị: difficulties and proposals sent to the parent unit, and its answers."""

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services.area import Area, OverviewSection
from ctmtqg_desktop.services.difficulties import _overview, _records
from ctmtqg_desktop.services.difficulties._records import (
    LINK_KINDS,
    STATUSES,
    AnswerInfo,
    DifficultyInfo,
    answer_difficulty,
    kind_label,
    link_kind_label,
    links_text,
    list_difficulties,
    resolve_difficulty,
    save_difficulty,
    status_label,
)
from ctmtqg_desktop.store.models.tasks import Difficulty, DifficultyAnswer

AREA = Area(
    key="difficulties", label=N_("Difficulties and proposals"),
    records=(Difficulty, DifficultyAnswer),
    overview=(OverviewSection(60, _overview.difficulties_section),),
    before_export=(_records.mark_sent_before_export,),
)

__all__ = [
    "AnswerInfo",
    "DifficultyInfo",
    "LINK_KINDS",
    "STATUSES",
    "answer_difficulty",
    "kind_label",
    "link_kind_label",
    "links_text",
    "list_difficulties",
    "resolve_difficulty",
    "save_difficulty",
    "status_label",
    "AREA",
]
