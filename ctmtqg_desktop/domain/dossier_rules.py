"""Completeness of a dossier (tính đầy đủ của hồ sơ) and the warnings about its order.

A document counts as done when it is signed (đã ký) or its signed copy is scanned (đã quét).
A stage's completeness is the share of its *required* documents that are done; the overall
completeness is the same over every stage. A stage has started when the commune says it has
reached it or when any of its documents is being drafted or done; a started stage while an
earlier stage still lacks a required document is warned about (the law expects, for example,
the approval decision before the work is contracted: Nghị định 27/2022/NĐ-CP art. 21-22).
"""

from __future__ import annotations

from dataclasses import dataclass

from ctmtqg_desktop.domain.dossier_templates import STAGES, TemplateSpec

DONE_STATUSES = ("signed", "scanned")


@dataclass(frozen=True)
class StageProgress:
    stage: str
    required: int
    required_done: int
    optional: int
    optional_done: int
    started: bool

    @property
    def ratio(self) -> float:
        return self.required_done / self.required if self.required else 1.0

    @property
    def complete(self) -> bool:
        return self.required_done == self.required


@dataclass(frozen=True)
class OrderWarning:
    """A later stage has started while a required document of an earlier one is not done."""

    started_stage: str
    missing_stage: str
    document_code: str
    document_name: str
    status: str


@dataclass(frozen=True)
class Completeness:
    stages: tuple[StageProgress, ...]
    warnings: tuple[OrderWarning, ...]

    @property
    def required(self) -> int:
        return sum(s.required for s in self.stages)

    @property
    def required_done(self) -> int:
        return sum(s.required_done for s in self.stages)

    @property
    def ratio(self) -> float:
        return self.required_done / self.required if self.required else 1.0

    @property
    def complete(self) -> bool:
        return self.required_done == self.required

    @property
    def percent(self) -> int:
        """Whole percent, rounded down so that 99.6% never shows as a complete 100%."""
        return int(self.ratio * 100)

    def stage(self, stage: str) -> StageProgress | None:
        return next((s for s in self.stages if s.stage == stage), None)


def completeness(template: TemplateSpec, statuses: dict[str, str], *,
                 current_stage: str = "preparation") -> Completeness:
    """``statuses`` maps a document code to its status (a missing key is "missing")."""
    reached = STAGES.index(current_stage) if current_stage in STAGES else 0
    progress: list[StageProgress] = []
    for stage in template.stages:
        documents = template.stage_documents(stage)
        required = [d for d in documents if d.required]
        optional = [d for d in documents if not d.required]
        touched = any(statuses.get(d.code, "missing") != "missing" for d in documents)
        progress.append(StageProgress(
            stage=stage, required=len(required),
            required_done=sum(statuses.get(d.code) in DONE_STATUSES for d in required),
            optional=len(optional),
            optional_done=sum(statuses.get(d.code) in DONE_STATUSES for d in optional),
            started=touched or STAGES.index(stage) <= reached))
    warnings: list[OrderWarning] = []
    for later in progress:
        if not later.started:
            continue
        for earlier in template.stages:
            if STAGES.index(earlier) >= STAGES.index(later.stage):
                break
            for document in template.stage_documents(earlier):
                status = statuses.get(document.code, "missing")
                if document.required and status not in DONE_STATUSES:
                    warnings.append(OrderWarning(later.stage, earlier, document.code,
                                                 document.name, status))
    # one warning per missing document: the latest stage that started is the one to name
    latest: dict[str, OrderWarning] = {}
    for warning in warnings:
        latest[warning.document_code] = warning
    return Completeness(tuple(progress), tuple(latest.values()))


def missing_required(template: TemplateSpec, statuses: dict[str, str]) -> list[str]:
    """Names of the required documents not yet done, in template order."""
    return [d.name for d in template.documents
            if d.required and statuses.get(d.code) not in DONE_STATUSES]
