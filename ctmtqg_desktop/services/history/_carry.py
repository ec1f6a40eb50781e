"""Chuyển tiếp việc của đơn vị trước sắp xếp: a commune created by the merger of 01/07/2025
(Nghị quyết 1677/NQ-UBTVQH15 for Kon Tum's communes) carries its predecessors' unfinished
2021-2025 work into 2026, under the 2026-2035 programme (Nghị quyết 257/2025/QH15).

What is carried (:func:`preview` lists it, :func:`carry` writes it, in one unit of work):

- a predecessor's **project** not yet accepted or settled (stage preparation or
  implementation), with its funding by source and its dossiers (and their documents);
- a predecessor's **task** not done (its latest progress update comes along, so its state
  shows);
- the **undisbursed remainder of a 2025 capital line** (assigned − returned − disbursed by
  31/12/2025, integer đồng): a 2026 line marked as carried over, *kéo dài* for investment
  capital (Luật Đầu tư công), *chuyển nguồn* for recurrent capital (Luật Ngân sách nhà nước),
  the rule quoted from the catalog's ``capital.json`` for the line's period; the remainders
  of its allocations to projects carried in the same step follow them.

Each new record gets a new id, the successor as owner, and the 2026-2035 programme or
component the catalog's mapping (``program-mapping-2021-2025-to-2026-2035.csv``) gives for
its old one, with the mapping's mark (confirmed, partial, unverified). The predecessor's
record is not touched: it stays read-only history. A :class:`CarriedRecord` links the two
and makes a second run carry nothing twice; like every record written here it is journalled
and goes up in the next package.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.domain.formats import format_date, format_number
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.services import attachments, capital, catalog, projects, tasks
from ctmtqg_desktop.store.models.attachments import Attachment
from ctmtqg_desktop.store.models.capital import (
    CapitalAllocation,
    CapitalLine,
    CapitalPayment,
    ProjectFunding,
)
from ctmtqg_desktop.store.models.catalog import CapitalKind, CapitalSource, ProgramComponent
from ctmtqg_desktop.store.models.dossiers import Dossier, DossierDocument
from ctmtqg_desktop.store.models.history import CarriedRecord
from ctmtqg_desktop.store.models.projects import Project
from ctmtqg_desktop.store.models.tasks import Directive, Task, TaskProgress
from ctmtqg_desktop.store.models.villages import Village
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace

#: the last day of the 2021-2025 plans: what was not disbursed by then may be carried
PERIOD_END = dt.date(2025, 12, 31)
#: the plan year carried records belong to
CARRY_YEAR = 2026
#: the plan year whose undisbursed capital is carried
CAPITAL_YEAR = 2025
OLD_PERIOD = "2021-2025/"
#: projects in these stages are finished (nghiệm thu, bàn giao; quyết toán): not carried
FINISHED_STAGES = ("acceptance", "settlement")

PROJECT, TASK, CAPITAL = "project", "task", "capital_line"
KIND_LABELS = {PROJECT: N_("Project"), TASK: N_("Task"), CAPITAL: N_("Capital carried over")}
#: capital modes: kéo dài (investment, Luật Đầu tư công), chuyển nguồn (recurrent, Luật NSNN)
EXTENSION, CARRY_FORWARD = "extension", "carry_forward"
MODE_LABELS = {EXTENSION: N_("extended (kéo dài)"), CARRY_FORWARD: N_("carried forward "
                                                                      "(chuyển nguồn)")}
#: the synced columns a copy never takes from its source
_OWN_COLUMNS = frozenset({"id", "owner_unit_id", "origin_node_id", "created_at", "updated_at",
                          "version", "deleted", "audience_unit_id"})


class NotAMergedSuccessor(UserError):
    template = N_("The catalog holds no unit before the merger that {unit} continues, so "
                  "there is no predecessor's work to carry over. Nothing was changed.")


class CarryIsForCommunes(UserError):
    """A parent unit does not carry over: each merged commune carries its predecessors'
    work in its own workspace, and the parent receives the carried records in the
    commune's next package (chuyển tiếp do từng xã thực hiện)."""

    template = N_("Carrying over is done by each merged commune in its own workspace; "
                  "{unit} receives the carried records in its communes' packages. Nothing "
                  "was changed.")


class NothingToCarry(UserError):
    template = N_("There is nothing left to carry over from the units before the merger "
                  "({carried} records were carried over already). Nothing was changed.")


class AlreadyCarried(UserError):
    template = N_("“{record}” of {unit} was already carried over on {date}; it is not "
                  "carried twice. Nothing was changed.")


class NotCarriable(UserError):
    template = N_("“{record}” of {unit} cannot be carried over: {reason}. Nothing was "
                  "changed.")


class UnknownRecord(UserError):
    template = N_("No record of the units before the merger has the key “{key}”. Nothing "
                  "was changed.")


# ---------------------------------------------------------------------------- mapping
@dataclass(frozen=True)
class MappingEntry:
    old_id: str
    new_id: str
    confidence: str
    legal_basis: str
    note: str


@cache
def _mapping_of(folder: Path, version: int) -> dict[str, MappingEntry]:
    # the mapping and the programmes it is checked against: not the units (issue 17:
    # reading every unit of the country was most of the overview's first computation)
    data = catalog.read_catalog(folder, parts=("programs", "program_mapping"))
    return {row["old_id"]: MappingEntry(row["old_id"], row["new_id"], row["confidence"],
                                        row.get("legal_basis", ""), row.get("note", ""))
            for row in data.program_mapping}


def program_mapping(workspace: Workspace) -> dict[str, MappingEntry]:
    """The catalog's mapping of 2021-2025 programmes and components to 2026-2035 ones,
    read from the loaded catalog's files (shipped, or kept from an update)."""
    version = catalog.loaded_version(workspace)
    folder = catalog.source_folder(workspace, version) or catalog.shipped_catalog_dir()
    return _mapping_of(folder, version)


def _mapped(mapping: dict[str, MappingEntry], program_id: str | None,
            component_id: str | None) -> MappingEntry | None:
    """The entry for the component, else its nearest mapped ancestor, else the programme."""
    key = component_id or ""
    while key.count("/") >= 2:
        if key in mapping:
            return mapping[key]
        key = key.rsplit("/", 1)[0]
    return mapping.get(program_id or "")


def _target(session: Session, new_id: str) -> tuple[str, str | None]:
    """``(program_id, component_id)`` of a mapping's 2026-2035 key."""
    component = session.get(ProgramComponent, new_id)
    if component is not None:
        return component.program_id, component.id
    return new_id, None


# ---------------------------------------------------------------------------- preview
@dataclass(frozen=True)
class CarryItem:
    """One predecessor record that may be carried, as the preview lists it."""

    kind: str
    source_id: uuid.UUID
    source_unit_id: str
    unit_title: str
    label: str
    #: stage and progress, status, or the capital figures
    detail: str
    old_key: str
    new_key: str
    new_label: str
    confidence: str
    mapping_note: str
    #: capital: the undisbursed remainder (đồng) and kéo dài / chuyển nguồn
    amount: int | None = None
    capital_mode: str = ""
    carry_rule: str = ""
    dossiers: int = 0
    #: already carried: when (else None)
    carried_on: dt.date | None = None
    #: why it cannot be carried ("" when it can)
    blocked: str = ""

    @property
    def key(self) -> str:
        return str(self.source_id)

    @property
    def pending(self) -> bool:
        return self.carried_on is None and not self.blocked

    @property
    def kind_label(self) -> str:
        """"Dự án", "Nhiệm vụ", "Vốn kéo dài", "Vốn chuyển nguồn"."""
        if self.capital_mode:
            return _("Capital, {mode}").format(mode=self.mode_label)
        return _(KIND_LABELS[self.kind])

    @property
    def confidence_label(self) -> str:
        return capital.confidence_label(self.confidence) if self.confidence else ""

    @property
    def mode_label(self) -> str:
        return _(MODE_LABELS[self.capital_mode]) if self.capital_mode else ""

    @property
    def state_text(self) -> str:
        if self.carried_on is not None:
            return _("carried over on {date}").format(date=format_date(self.carried_on))
        if self.blocked:
            return _("cannot be carried: {reason}").format(reason=self.blocked)
        return _("to carry over")


@dataclass(frozen=True)
class CarryPreview:
    unit_id: str
    unit_title: str
    predecessors: dict[str, str]
    merged_on: dt.date | None
    items: tuple[CarryItem, ...]

    @property
    def pending(self) -> tuple[CarryItem, ...]:
        return tuple(item for item in self.items if item.pending)

    @property
    def carried(self) -> tuple[CarryItem, ...]:
        return tuple(item for item in self.items if item.carried_on is not None)

    def count(self, kind: str) -> int:
        return sum(1 for item in self.pending if item.kind == kind)

    @property
    def pending_amount(self) -> int:
        return sum(item.amount or 0 for item in self.pending if item.kind == CAPITAL)

    @property
    def unverified(self) -> int:
        """Pending records whose mapping is not confirmed (partial or unverified)."""
        return sum(1 for item in self.pending if item.new_key and item.confidence != "confirmed")


def _here(workspace: Workspace) -> str:
    info = workspace.installation()
    assert info is not None  # carrying needs an initialised workspace
    return info.unit_id


def _unit_title(workspace: Workspace, unit_id: str) -> str:
    return catalog.get_unit(workspace, unit_id).full_name


def preview(workspace: Workspace) -> CarryPreview:
    """What the units this workspace's unit continues left unfinished, each with the
    2026-2035 content it maps to: changes nothing. Refuses (:class:`NotAMergedSuccessor`)
    a unit that continues no other, and a parent unit (:class:`CarryIsForCommunes`)."""
    unit_id = _here(workspace)
    info = workspace.installation()
    if info is None or info.role != "commune":
        raise CarryIsForCommunes(unit=_unit_title(workspace, unit_id))
    mapping = program_mapping(workspace)
    with UnitOfWork.read(workspace) as session:
        titles = catalog.predecessor_titles(session, unit_id)
        if not titles:
            raise NotAMergedSuccessor(unit=_unit_title(workspace, unit_id))
        items = _items(session, unit_id, titles, mapping)
        merged = catalog.merged_on(session, unit_id)
    return CarryPreview(unit_id, _unit_title(workspace, unit_id), titles, merged,
                        tuple(items))


def _items(session: Session, unit_id: str, titles: dict[str, str],
           mapping: dict[str, MappingEntry]) -> list[CarryItem]:
    owners = sorted(titles)
    carried = {row.source_id: row.carried_on for row in session.scalars(
        select(CarriedRecord).where(CarriedRecord.owner_unit_id == unit_id,
                                    CarriedRecord.deleted.is_(False)))}
    names = capital.catalog_names(session)
    items: list[CarryItem] = []

    def mapped(program_id: str | None, component_id: str | None) -> dict[str, Any]:
        old_key = component_id or program_id or ""
        entry = _mapped(mapping, program_id, component_id)
        if entry is None:
            return {"old_key": old_key, "new_key": "", "new_label": "", "confidence": "",
                    "mapping_note": "",
                    "blocked": _("the catalog maps its programme to no 2026-2035 content")}
        new_program, new_component = _target(session, entry.new_id)
        label = names.program(new_program)
        if new_component:
            label += " — " + names.component(new_component)
        return {"old_key": old_key, "new_key": entry.new_id, "new_label": label,
                "confidence": entry.confidence, "mapping_note": entry.note, "blocked": ""}

    dossier_counts: dict[uuid.UUID, int] = {}
    for project_id in session.scalars(select(Dossier.project_id).where(
            Dossier.deleted.is_(False), Dossier.owner_unit_id.in_(owners))):
        dossier_counts[project_id] = dossier_counts.get(project_id, 0) + 1
    for row in session.scalars(select(Project).where(
            Project.owner_unit_id.in_(owners), Project.deleted.is_(False),
            Project.audience_unit_id.is_(None), Project.program_id.startswith(OLD_PERIOD),
            Project.stage.not_in(FINISHED_STAGES)).order_by(Project.owner_unit_id,
                                                             Project.name)):
        items.append(CarryItem(
            PROJECT, row.id, row.owner_unit_id, titles[row.owner_unit_id], row.name,
            _("{stage}, {percent}% done").format(stage=projects.stage_label(row.stage),
                                                 percent=row.physical_progress),
            dossiers=dossier_counts.get(row.id, 0), carried_on=carried.get(row.id),
            **mapped(row.program_id, row.component_id)))
    for task in session.scalars(select(Task).where(
            Task.owner_unit_id.in_(owners), Task.deleted.is_(False),
            Task.audience_unit_id.is_(None), Task.status != "done")
            .order_by(Task.owner_unit_id, Task.sort_order, Task.text)):
        if task.program_id:
            fields = mapped(task.program_id, task.component_id)
        else:  # a task of no programme keeps none
            fields = {"old_key": "", "new_key": "", "new_label": _("(no programme)"),
                      "confidence": "", "mapping_note": "", "blocked": ""}
        detail = tasks.status_label(task.status)
        if task.deadline:
            detail += ", " + _("due {date}").format(date=format_date(task.deadline))
        items.append(CarryItem(TASK, task.id, task.owner_unit_id, titles[task.owner_unit_id],
                               task.text, detail, carried_on=carried.get(task.id), **fields))
    lines = list(session.scalars(select(CapitalLine).where(
        CapitalLine.owner_unit_id.in_(owners), CapitalLine.deleted.is_(False),
        CapitalLine.audience_unit_id.is_(None), CapitalLine.year == CAPITAL_YEAR)
        .order_by(CapitalLine.owner_unit_id, CapitalLine.program_id, CapitalLine.capital_kind,
                  CapitalLine.source)))
    figures = capital.figures_by_line(session, [line.id for line in lines], as_of=PERIOD_END)
    for line in lines:
        if line.id not in figures:
            continue
        numbers = figures[line.id][0]
        remainder = numbers.assigned - numbers.returned - numbers.disbursed
        if remainder <= 0:
            continue
        fields = mapped(line.program_id, line.component_id)
        if line.quantity is not None and not fields["blocked"]:
            fields["blocked"] = _("a contribution in labour days or in kind is not carried")
        source = session.get(CapitalSource, line.source)
        if source is not None and source.valid_to is not None and \
                source.valid_to < dt.date(CARRY_YEAR, 1, 1) and not fields["blocked"]:
            fields["blocked"] = _("its source “{source}” ended on {date}; enter the 2026 "
                                  "line with the source now in charge").format(
                source=source.name, date=format_date(source.valid_to))
        mode = EXTENSION if line.capital_kind == "DTPT" else CARRY_FORWARD
        rule = _carry_rule(session, line.capital_kind)
        items.append(CarryItem(
            CAPITAL, line.id, line.owner_unit_id, titles[line.owner_unit_id],
            capital.line_label(names, line),
            _("assigned {assigned}, disbursed {disbursed}, returned {returned} by "
              "{date}").format(assigned=format_number(numbers.assigned),
                               disbursed=format_number(numbers.disbursed),
                               returned=format_number(numbers.returned),
                               date=format_date(PERIOD_END)),
            amount=remainder, capital_mode=mode, carry_rule=rule,
            carried_on=carried.get(line.id), **fields))
    return items


def _carry_rule(session: Session, capital_kind: str) -> str:
    """The carry-over rule ``capital.json`` gives the kind for 2021-2025 (the period of the
    line carried), else its current rule."""
    kind = session.get(CapitalKind, capital_kind)
    if kind is None:
        return ""
    facts = json.loads(kind.periods or "{}").get(OLD_PERIOD.rstrip("/"), {})
    return str(facts.get("carry_over_rule") or kind.carry_over_rule)


# ---------------------------------------------------------------------------- carrying
@dataclass(frozen=True)
class CarryOutcome:
    projects: int
    tasks: int
    capital_lines: int
    dossiers: int
    amount: int
    #: predecessor record id → new record id
    new_ids: dict[uuid.UUID, uuid.UUID]

    @property
    def total(self) -> int:
        return self.projects + self.tasks + self.capital_lines


def carry(workspace: Workspace, keys: list[str] | None = None) -> CarryOutcome:
    """Carry the pending records of :func:`preview` (or only those whose id starts with
    one of ``keys``) into this unit's 2026 records, in one unit of work. Refuses with one
    sentence, changing nothing: a unit that continues no other, a record already carried
    (:class:`AlreadyCarried`), a record that cannot be carried, nothing left to carry."""
    plan = preview(workspace)
    chosen = _choose(plan, keys)
    today = workspace.today()
    with UnitOfWork(workspace) as uow:
        session = uow.session
        writer = _Writer(session, plan, today,
                         has_file=attachments.attachment_store(workspace).has)
        for item in chosen:
            if item.kind == PROJECT:
                writer.project(item)
        for item in chosen:
            if item.kind == TASK:
                writer.task(item, chosen)
        for item in chosen:
            if item.kind == CAPITAL:
                writer.capital_line(item)
        session.flush()
        outcome = writer.outcome()
        uow.commit()
    return outcome


def _choose(plan: CarryPreview, keys: list[str] | None) -> list[CarryItem]:
    if not keys:
        if not plan.pending:
            raise NothingToCarry(carried=len(plan.carried))
        return list(plan.pending)
    chosen: list[CarryItem] = []
    for key in keys:
        wanted = key.strip().lower()
        matches = [item for item in plan.items if len(wanted) >= 4 and item.key.startswith(
            wanted)]
        if len(matches) != 1:
            raise UnknownRecord(key=key)
        item = matches[0]
        if item.carried_on is not None:
            raise AlreadyCarried(record=item.label, unit=item.unit_title,
                                 date=format_date(item.carried_on))
        if item.blocked:
            raise NotCarriable(record=item.label, unit=item.unit_title, reason=item.blocked)
        if item not in chosen:
            chosen.append(item)
    return chosen


def _copy(row: Any, owner: str, **values: Any) -> Any:
    """A new record of ``row``'s class with its content columns, a new id and ``owner``."""
    model = type(row)
    new = model()
    for attribute in inspect(model).column_attrs:
        if attribute.key not in _OWN_COLUMNS:
            setattr(new, attribute.key, getattr(row, attribute.key))
    new.id = uuid.uuid4()
    new.owner_unit_id = owner
    new.audience_unit_id = None
    new.deleted = False
    for key, value in values.items():
        setattr(new, key, value)
    return new


class _Writer:
    """The writes of one :func:`carry`, inside its unit of work."""

    def __init__(self, session: Session, plan: CarryPreview, today: dt.date, *,
                 has_file: Callable[[str], bool]) -> None:
        self.session = session
        self.has_file = has_file
        self.plan = plan
        self.owner = plan.unit_id
        self.today = today
        self.new_ids: dict[uuid.UUID, uuid.UUID] = {}
        self.counts = {PROJECT: 0, TASK: 0, CAPITAL: 0, "dossier": 0}
        self.amount = 0
        self.own_owners = set(plan.predecessors)

    def _link(self, item: CarryItem, table: str, source_id: uuid.UUID, target_id: uuid.UUID,
              *, note: str = "") -> None:
        self.session.add(CarriedRecord(
            source_table=table, source_id=source_id, source_unit_id=item.source_unit_id,
            target_id=target_id, carried_on=self.today, old_program_key=item.old_key,
            new_program_key=item.new_key, confidence=item.confidence or "unverified",
            capital_mode=item.capital_mode if table == CAPITAL else "",
            amount=item.amount if table == CAPITAL else None, note=note,
            owner_unit_id=self.owner))
        self.new_ids[source_id] = target_id

    def _program(self, item: CarryItem) -> tuple[str | None, str | None]:
        if not item.new_key:
            return None, None
        return _target(self.session, item.new_key)

    def _from(self, item: CarryItem) -> str:
        return _("Carried over from {unit} (before the merger)").format(unit=item.unit_title)

    def project(self, item: CarryItem) -> None:
        old = self.session.get(Project, item.source_id)
        assert old is not None
        program_id, component_id = self._program(item)
        note = ""
        location = old.location
        if old.village_id is not None:
            # the old unit's village is its history, not one of the successor's villages
            village = self.session.get(Village, old.village_id)
            if village is not None:
                note = _("village before the merger: {village}").format(village=village.name)
                location = location or village.name
        description = "\n".join(text for text in (old.description, self._from(item)) if text)
        new = _copy(old, self.owner, program_id=program_id, component_id=component_id,
                    village_id=None, location=location, description=description)
        self.session.add(new)
        self.session.flush()
        self._link(item, PROJECT, old.id, new.id, note=note)
        self.counts[PROJECT] += 1
        for funding in self.session.scalars(select(ProjectFunding).where(
                ProjectFunding.project_id == old.id, ProjectFunding.deleted.is_(False))):
            self.session.add(_copy(funding, self.owner, project_id=new.id))
        for dossier in self.session.scalars(select(Dossier).where(
                Dossier.project_id == old.id, Dossier.deleted.is_(False))):
            copy = _copy(dossier, self.owner, project_id=new.id)
            self.session.add(copy)
            self.session.flush()
            self._link(item, "dossier", dossier.id, copy.id)
            self.counts["dossier"] += 1
            for document in self.session.scalars(select(DossierDocument).where(
                    DossierDocument.dossier_id == dossier.id,
                    DossierDocument.deleted.is_(False))):
                new_document = _copy(document, self.owner, dossier_id=copy.id)
                self.session.add(new_document)
                # its scans too, when this workspace holds their files (same content digest)
                for scan in self.session.scalars(select(Attachment).where(
                        Attachment.parent_table == DossierDocument.__tablename__,
                        Attachment.parent_id == document.id, Attachment.deleted.is_(False))):
                    if self.has_file(scan.digest):
                        self.session.add(_copy(scan, self.owner, parent_id=new_document.id))

    def task(self, item: CarryItem, chosen: list[CarryItem]) -> None:
        old = self.session.get(Task, item.source_id)
        assert old is not None
        program_id, component_id = self._program(item)
        directive_id = old.directive_id
        if directive_id is not None:
            directive = self.session.get(Directive, directive_id)
            if directive is None or directive.owner_unit_id in self.own_owners:
                directive_id = None  # the old unit's own directive stays its history
        new = _copy(old, self.owner, program_id=program_id, component_id=component_id,
                    directive_id=directive_id,
                    project_id=self.new_ids.get(old.project_id) if old.project_id else None,
                    parent_task_id=self.new_ids.get(old.parent_task_id)
                    if old.parent_task_id else None)
        self.session.add(new)
        self.session.flush()
        latest = self.session.scalars(select(TaskProgress).where(
            TaskProgress.task_id == old.id, TaskProgress.deleted.is_(False))
            .order_by(TaskProgress.reported_on.desc())).first()
        if latest is not None:
            narrative = " ".join(t for t in (self._from(item) + ".", latest.narrative) if t)
            self.session.add(_copy(latest, self.owner, task_id=new.id, narrative=narrative))
            self.session.flush()
        tasks.refresh(self.session, new)
        self._link(item, TASK, old.id, new.id)
        self.counts[TASK] += 1

    def capital_line(self, item: CarryItem) -> None:
        old = self.session.get(CapitalLine, item.source_id)
        assert old is not None and item.amount is not None
        program_id, component_id = self._program(item)
        assert program_id is not None
        capital.validate_line_values(self.session, year=CARRY_YEAR, program_id=program_id,
                                     component_id=component_id,
                                     capital_kind=old.capital_kind, source=old.source)
        names = capital.catalog_names(self.session)
        note = _("{mode} from the {year} plan of {unit} (before the merger), line “{line}”: "
                 "{amount} đồng not disbursed by {date}. Rule: {rule}").format(
            mode=item.mode_label, year=old.year, unit=item.unit_title, line=item.label,
            amount=format_number(item.amount), date=format_date(PERIOD_END),
            rule=item.carry_rule)
        new = CapitalLine(owner_unit_id=self.owner)
        capital.apply_line_values(
            self.session, new, names, year=CARRY_YEAR, program_id=program_id,
            component_id=component_id, capital_kind=old.capital_kind, source=old.source,
            amount=item.amount, decision_number=old.decision_number,
            decision_date=old.decision_date, decision_body=old.decision_body, note=note)
        self.session.add(new)
        self.session.flush()
        self._link(item, CAPITAL, old.id, new.id)
        self.counts[CAPITAL] += 1
        self.amount += item.amount
        # the undisbursed part of its allocations to projects carried now follows them
        for allocation in self.session.scalars(select(CapitalAllocation).where(
                CapitalAllocation.line_id == old.id, CapitalAllocation.deleted.is_(False))):
            target = self.new_ids.get(allocation.project_id)
            if target is None:
                continue
            paid = sum(p.amount for p in self.session.scalars(select(CapitalPayment).where(
                CapitalPayment.allocation_id == allocation.id,
                CapitalPayment.deleted.is_(False), CapitalPayment.paid_on <= PERIOD_END)))
            left = allocation.amount - paid
            if left > 0:
                self.session.add(CapitalAllocation(
                    owner_unit_id=self.owner, line_id=new.id, project_id=target, amount=left,
                    decision_number=allocation.decision_number,
                    decision_date=allocation.decision_date, note=self._from(item)))

    def outcome(self) -> CarryOutcome:
        return CarryOutcome(self.counts[PROJECT], self.counts[TASK], self.counts[CAPITAL],
                            self.counts["dossier"], self.amount, dict(self.new_ids))


# ---------------------------------------------------------------------------- register
@dataclass(frozen=True)
class CarriedInfo:
    source_table: str
    source_id: uuid.UUID
    source_unit_id: str
    target_id: uuid.UUID
    carried_on: dt.date
    old_program_key: str
    new_program_key: str
    confidence: str
    capital_mode: str
    amount: int | None
    #: the new record as lists name it (project name, task text, capital line)
    label: str = ""
    #: the 2026-2035 programme or component by name
    new_program_label: str = ""


def _label_of(session: Session, names: Any, table: str,
              ident: uuid.UUID) -> str:
    if table == PROJECT:
        project = session.get(Project, ident)
        return project.name if project else ""
    if table == TASK:
        task = session.get(Task, ident)
        return task.text if task else ""
    if table == CAPITAL:
        line = session.get(CapitalLine, ident)
        return capital.line_label(names, line) if line else ""
    if table == "dossier":
        dossier = session.get(Dossier, ident)
        project = session.get(Project, dossier.project_id) if dossier else None
        return project.name if project else ""
    return ""


#: the order of the register: projects with their dossiers, tasks, capital
_ORDER = {PROJECT: 0, "dossier": 1, TASK: 2, CAPITAL: 3}


def carried_records(workspace: Workspace) -> list[CarriedInfo]:
    """What this unit carried over, the earliest first."""
    unit_id = _here(workspace)
    with UnitOfWork.read(workspace) as session:
        names = capital.catalog_names(session)

        def program_label(key: str) -> str:
            if not key:
                return ""
            program_id, component_id = _target(session, key)
            label = names.program(program_id)
            return label + " — " + names.component(component_id) if component_id else label

        rows = sorted(session.scalars(select(CarriedRecord).where(
            CarriedRecord.owner_unit_id == unit_id, CarriedRecord.deleted.is_(False))),
            key=lambda r: (r.carried_on, _ORDER.get(r.source_table, 9), r.created_at))
        return [CarriedInfo(r.source_table, r.source_id, r.source_unit_id, r.target_id,
                            r.carried_on, r.old_program_key, r.new_program_key, r.confidence,
                            r.capital_mode, r.amount,
                            _label_of(session, names, r.source_table, r.target_id),
                            program_label(r.new_program_key))
                for r in rows]
