"""Acting downward: what a parent unit gives its child units, and what each acknowledged.

* **Answers** to a child's difficulty (trả lời khó khăn, kiến nghị): a record owned by the
  parent for that child (:func:`difficulties.answer_difficulty`).
* **Assigned tasks** (giao nhiệm vụ): a directive (văn bản chỉ đạo) and its tasks, for
  several children at once. Each child receives its own copy of the directive and tasks,
  owned by the parent and addressed to it (``audience_unit_id``), with the child as the
  lead: each child reports its own progress on its own copy, and no child sees another's.
* **Assigned capital** (giao kế hoạch vốn): one plan line per child, owned by the parent and
  addressed to it; the child allocates, disburses, carries over or returns from it but never
  changes it (:func:`capital.lines_of`).
* **Dossier templates and handbook pages**: queued for one child or every child, carried in
  the ``references.json`` entry of the packages (:mod:`sync_references`).
* **Counterpart-ratio rules** (:mod:`counterpart`, ``*``) and **catalog updates**
  (:func:`install_catalog_update`), which the packages already carry to every child.

Everything goes out in the next package for each child; :func:`sent_items` says, per item,
which children have acknowledged it (one of their installations confirmed our journal past
the record's latest change, or a package that carried the document).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from ctmtqg_desktop.domain import field_rules, schedules
from ctmtqg_desktop.domain.errors import BadArgument, UserError
from ctmtqg_desktop.domain.formats import format_date
from ctmtqg_desktop.domain.text import fold, normalize
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.services import capital, catalog, difficulties, sync, tasks
from ctmtqg_desktop.services.parent._reorganisation import UnitMap
from ctmtqg_desktop.store.base import EVERY_CHILD, utc_now
from ctmtqg_desktop.store.models.capital import CapitalLine, CounterpartRule
from ctmtqg_desktop.store.models.identity import Node
from ctmtqg_desktop.store.models.journal import ChangeJournalEntry as J
from ctmtqg_desktop.store.models.parent import (
    Assignment,
    AssignmentRecord,
    ReferenceDelivery,
    ReferenceDispatch,
)
from ctmtqg_desktop.store.models.sync import SyncAck, SyncPeer
from ctmtqg_desktop.store.models.tasks import DifficultyAnswer, Directive, Task
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace


class NotAChild(UserError):
    exit_code = 2
    template = N_("{unit} is not a child unit of {parent} on {date}; nothing was sent.")


class NoChildChosen(UserError):
    exit_code = 2
    template = N_("Choose at least one child unit.")


class AssignmentInvalid(UserError):
    exit_code = 2
    template = N_("{field}: {reason}")


class NeedsParentRole(UserError):
    template = N_("Only a parent unit's workspace assigns work to child units; this one "
                  "works for {unit}.")


# ---------------------------------------------------------------------------- helpers
def _check_children(workspace: Workspace, children: Sequence[str]) -> list[str]:
    info = workspace.installation()
    with UnitOfWork.read(workspace) as session:
        units = UnitMap.load(session)
    if info.role != "parent":
        raise NeedsParentRole(unit=units.title(info.unit_id))
    chosen = list(dict.fromkeys(children))
    if not chosen:
        raise NoChildChosen()
    day = workspace.today()
    valid = set(units.children_on(info.unit_id, day))
    for child in chosen:
        if child not in valid:
            raise NotAChild(unit=units.title(child), parent=units.title(info.unit_id),
                            date=format_date(day))
    return chosen


def _record_assignment(session, kind: str, title: str,
                       records: list[tuple[str, uuid.UUID, str]]) -> uuid.UUID:
    assignment = Assignment(id=uuid.uuid4(), kind=kind, title=title[:500],
                            created_at=utc_now())
    session.add(assignment)
    session.flush()
    for table, ident, child in records:
        session.add(AssignmentRecord(assignment_id=assignment.id, table_name=table,
                                     record_id=ident, child_unit_id=child))
    return assignment.id


# ---------------------------------------------------------------------------- answers
def answer(workspace: Workspace, difficulty_id: uuid.UUID, *, content: str,
           document_ref: str = "", answered_by: str = "",
           answered_on: dt.date | None = None) -> difficulties.AnswerInfo:
    """Trả lời khó khăn, kiến nghị of a child unit (see :func:`difficulties.answer_difficulty`)."""
    return difficulties.answer_difficulty(workspace, difficulty_id, content=content,
                                          document_ref=document_ref,
                                          answered_by=answered_by, answered_on=answered_on)


def children_difficulties(workspace: Workspace, *, unit_id: str | None = None,
                          unanswered_only: bool = False) -> list[difficulties.DifficultyInfo]:
    """The difficulties child units sent up (all, or one child's), newest first."""
    info = workspace.installation()
    items = [d for d in difficulties.list_difficulties(workspace)
             if d.owner_unit_id != info.unit_id]
    if unit_id:
        items = [d for d in items if d.owner_unit_id == unit_id]
    if unanswered_only:
        items = [d for d in items if not d.answers and d.status != "resolved"]
    return items


# ---------------------------------------------------------------------------- tasks
@dataclass(frozen=True)
class TaskDraft:
    """One task of a directive to assign: the text and its deadline or schedule."""

    text: str
    schedule: schedules.Schedule = field(default_factory=schedules.Schedule)
    expected_output: str = ""
    program_id: str | None = None
    target_kind: str = "none"
    target_quantity: int | None = None
    target_unit: str = ""


@dataclass(frozen=True)
class AssignmentInfo:
    id: uuid.UUID
    kind: str
    title: str
    children: tuple[str, ...]
    records: int


def _check_rules(row: object) -> None:
    """The receivers' field rules (``domain/field_rules``) on a record this service built,
    before it is written: a value they would refuse must not reach the journal, where it
    would block this unit's every export (``RecordBreaksRule``)."""
    table = row.__table__  # type: ignore[attr-defined]
    field_rules.check(table.name, {c.key: getattr(row, c.key) for c in table.columns})


def assign_directive(workspace: Workspace, *, children: Sequence[str], title: str,
                     number_symbol: str = "", doc_type: str = "",
                     issued_on: dt.date | None = None, summary: str = "",
                     program_ids: Sequence[str] = (),
                     task_drafts: Sequence[TaskDraft]) -> AssignmentInfo:
    """Giao nhiệm vụ: the directive and its tasks to each of ``children``, one unit of work.

    Each child gets its own copy (owned by this unit, addressed to the child, the child as
    lead), so that it reports its own progress and sees nobody else's."""
    chosen = _check_children(workspace, children)
    title = normalize(title)
    if not title:
        raise AssignmentInvalid(field=_("Subject"), reason=_("the title (trích yếu) is empty"))
    drafts = [d for d in task_drafts if normalize(d.text)]
    if not drafts:
        raise AssignmentInvalid(field=_("Tasks"), reason=_("write at least one task"))
    for draft in drafts:
        tasks.check_schedule(draft.schedule)
        if draft.target_kind != "none" and not draft.target_quantity:
            raise AssignmentInvalid(field=_("Target"), reason=_(
                "a measurable target needs a quantity greater than zero"))
    info = workspace.installation()
    records: list[tuple[str, uuid.UUID, str]] = []
    with UnitOfWork(workspace) as uow:
        session = uow.session
        tasks.check_programs(session, list(program_ids) + [d.program_id for d in drafts
                                                            if d.program_id])
        from ctmtqg_desktop.store.models.catalog import AdminUnit

        body = tasks.unit_body(session.get(AdminUnit, info.unit_id))
        for child in chosen:
            directive = Directive(
                number_symbol=normalize(number_symbol), doc_type=normalize(doc_type),
                issued_on=issued_on, issuing_body=body, issuing_unit_id=info.unit_id,
                title=title, summary=tasks.normalize_block(summary),
                program_ids="\n".join(tasks.split_lines(program_ids)), related_documents="",
                audience_unit_id=child)
            directive.search_text = fold(" ".join([directive.number_symbol, directive.doc_type,
                                                   body, title, directive.summary]))
            _check_rules(directive)
            session.add(directive)
            session.flush()
            records.append(("directive", directive.id, child))
            for order, draft in enumerate(drafts, 1):
                schedule = draft.schedule
                row = Task(
                    directive_id=directive.id, text=tasks.normalize_block(draft.text),
                    section="", sort_order=order, lead_unit_id=child, lead_agency="",
                    coordinators="", program_id=draft.program_id, component_id=None,
                    schedule_kind=schedule.kind,
                    deadline=schedule.deadline if schedule.kind == schedules.ONCE else None,
                    schedule_day=schedule.day if schedule.recurring else 0,
                    schedule_month=schedule.month if schedule.recurring else 1,
                    schedule_start=schedule.start if schedule.recurring else None,
                    schedule_end=schedule.end if schedule.recurring else None,
                    expected_output=tasks.normalize_block(draft.expected_output),
                    target_kind=draft.target_kind,
                    target_quantity=draft.target_quantity if draft.target_kind != "none"
                    else None,
                    target_unit=normalize(draft.target_unit) if draft.target_kind ==
                    "quantity" else ("đồng" if draft.target_kind == "amount" else ""),
                    audience_unit_id=child)
                _check_rules(row)
                session.add(row)
                tasks.refresh(session, row, [])
                session.flush()
                records.append(("task", row.id, child))
        label = tasks.directive_label(normalize(doc_type), normalize(number_symbol), issued_on,
                                      body)
        ident = _record_assignment(session, "tasks", f"{label}: {title}", records)
        uow.commit()
    return AssignmentInfo(ident, "tasks", title, tuple(chosen), len(records))


# ---------------------------------------------------------------------------- capital
def assign_capital(workspace: Workspace, *, amounts: dict[str, int], year: int,
                   program_id: str, capital_kind: str, source: str,
                   component_id: str | None = None, decision_number: str = "",
                   decision_date: dt.date | None = None, decision_body: str = "",
                   note: str = "") -> AssignmentInfo:
    """Giao kế hoạch vốn: one plan line per child (``{child: amount in đồng}``), owned by
    this unit and addressed to the child, by one decision, in one unit of work."""
    chosen = _check_children(workspace, list(amounts))
    for child in chosen:
        amount = amounts[child]
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise AssignmentInvalid(field=_("Amount"), reason=_(
                "the amount for each child unit must be more than 0 đồng"))
    info = workspace.installation()
    records: list[tuple[str, uuid.UUID, str]] = []
    with UnitOfWork(workspace) as uow:
        session = uow.session
        capital.validate_line_values(session, year=year, program_id=program_id,
                                     component_id=component_id, capital_kind=capital_kind,
                                     source=source)
        names = capital.catalog_names(session)
        if not normalize(decision_body):
            from ctmtqg_desktop.store.models.catalog import AdminUnit

            decision_body = tasks.unit_body(session.get(AdminUnit, info.unit_id))
        for child in chosen:
            row = CapitalLine(audience_unit_id=child)
            session.add(row)
            capital.apply_line_values(session, row, names, year=year, program_id=program_id,
                                      component_id=component_id, capital_kind=capital_kind,
                                      source=source, amount=amounts[child],
                                      decision_number=decision_number,
                                      decision_date=decision_date,
                                      decision_body=decision_body, note=note)
            _check_rules(row)
            session.flush()
            records.append(("capital_line", row.id, child))
        title = _("Capital plan {year}: {program}, {source}").format(
            year=str(year), program=names.program(program_id), source=names.source(source))
        if decision_number:
            title += " — " + _("Decision No. {number}").format(number=normalize(
                decision_number))
        ident = _record_assignment(session, "capital", title, records)
        uow.commit()
    return AssignmentInfo(ident, "capital", title, tuple(chosen), len(records))


# ---------------------------------------------------------------------------- documents
@dataclass(frozen=True)
class QueuedReference:
    kind: str
    key: str
    title: str
    audiences: tuple[str, ...]


def send_reference(workspace: Workspace, path: str | Path, *, kind: str,
                   children: Sequence[str] = ()) -> QueuedReference:
    """Queue a dossier template (``kind="dossier_template"``) or a handbook page
    (``"handbook_page"``) file for ``children`` (none: every child). The file is checked
    completely first; a template is also installed here, so that the parent's own desk
    knows it (and its required documents count on the board)."""
    if kind not in (sync.TEMPLATE, sync.PAGE):
        raise BadArgument(detail=_("Unknown kind of document “{kind}”.").format(kind=kind))
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise BadArgument(detail=_("“{name}” is not UTF-8 text.").format(name=path.name)) \
            from None
    except OSError as error:
        raise BadArgument(detail=_("“{name}” could not be read: {reason}").format(
            name=path.name, reason=error.strerror or str(error))) from None
    item = sync.check_item(kind, path.name, text)
    audiences = _check_children(workspace, children) if children else [EVERY_CHILD]
    if kind == sync.TEMPLATE:
        from ctmtqg_desktop.services import dossiers

        dossiers.install_template(workspace, text, name=path.name, origin="file")
    with UnitOfWork(workspace) as uow:
        for audience in audiences:
            sync.queue(uow.session, item, audience)
        uow.commit()
    if kind == sync.PAGE:
        from ctmtqg_desktop.services import handbook

        installed = {p.code: p.version for p in handbook.load_pages(workspace)}
        page = handbook.parse_page(text, file=path.name, origin="package")
        if installed.get(page.code, 0) < page.version:
            handbook.install_page(workspace, text, name=path.name)
    return QueuedReference(kind, item.key, item.title, tuple(audiences))


def install_catalog_update(workspace: Workspace, folder: str | Path) -> tuple[int, int]:
    """Load a catalog update folder (``manifest.json`` and its files) if it is newer, and keep
    its files so that the next package to each child whose catalog is older carries it.
    Returns (version before, version after)."""
    folder = Path(folder)
    data = catalog.read_catalog(folder)
    before, after = catalog.update_catalog(workspace, folder)
    if after > before:
        catalog.keep_copy(workspace, catalog.pack(folder), data.version)
    return before, after


# ---------------------------------------------------------------------------- sent items
#: kinds of items sent down, in the order shown
SENT_KINDS = ("tasks", "capital", "answer", "template", "handbook", "counterpart", "catalog")


def sent_kind_label(kind: str) -> str:
    return {"tasks": _("Assigned tasks"), "capital": _("Assigned capital"),
            "answer": _("Answer to a difficulty"), "template": _("Dossier template"),
            "handbook": _("Handbook page"), "counterpart": _("Counterpart-ratio rule"),
            "catalog": _("Catalog update")}.get(kind, kind)


@dataclass(frozen=True)
class SentItem:
    key: str
    kind: str
    title: str
    created_at: dt.datetime | None
    recipients: tuple[str, ...]
    acknowledged: tuple[str, ...]
    #: recipients it waits for until their application is updated (a template their
    #: installations' data version cannot read is held back from their packages)
    needs_update: tuple[str, ...] = ()

    @property
    def kind_label(self) -> str:
        return sent_kind_label(self.kind)

    @property
    def complete(self) -> bool:
        return set(self.recipients) <= set(self.acknowledged)

    @property
    def waiting(self) -> tuple[str, ...]:
        return tuple(r for r in self.recipients if r not in self.acknowledged)


def _acks(session) -> tuple[dict[str, int], dict[str, int]]:
    """``{unit: highest journal sequence confirmed}``, ``{unit: highest package number}``
    over the unit's trusted installations."""
    node_units = dict(session.execute(select(Node.id, Node.unit_id).where(
        Node.status == "trusted")).all())
    through: dict[str, int] = {}
    numbers: dict[str, int] = {}
    for ack in session.scalars(select(SyncAck)):
        if node_units.get(ack.node_id) != ack.recipient_unit_id:
            continue
        unit = ack.recipient_unit_id
        through[unit] = max(through.get(unit, 0), ack.through_seq)
        numbers[unit] = max(numbers.get(unit, 0), ack.package_number)
    return through, numbers


def sent_items(workspace: Workspace) -> list[SentItem]:
    """Everything sent down, newest first, with the children that acknowledged it."""
    info = workspace.installation()
    day = workspace.today()
    with UnitOfWork.read(workspace) as session:
        units = UnitMap.load(session)
        lineage = units.lineage(info.unit_id)
        children = tuple(units.children_on(info.unit_id, day))
        through, numbers = _acks(session)
        latest = dict(session.execute(
            select(J.record_id, func.max(J.seq))
            .where(J.owner_unit_id.in_(sorted(lineage)), J.audience_unit_id.is_not(None))
            .group_by(J.record_id)).all())
        items: list[SentItem] = []

        def acked(records: list, child: str) -> bool:
            return all(latest.get(r, 0) <= through.get(child, 0) for r in records)

        assignments = list(session.scalars(select(Assignment).order_by(
            Assignment.created_at.desc())))
        members: dict[uuid.UUID, dict[str, list]] = {}
        for row in session.scalars(select(AssignmentRecord)):
            members.setdefault(row.assignment_id, {}).setdefault(row.child_unit_id, []).append(
                row.record_id)
        for assignment in assignments:
            by_child = members.get(assignment.id, {})
            items.append(SentItem(
                f"assignment:{assignment.id}", assignment.kind, assignment.title,
                assignment.created_at, tuple(by_child),
                tuple(c for c, records in by_child.items() if acked(records, c))))
        for answer_row, title in session.execute(
                select(DifficultyAnswer, _difficulty_title())
                .where(DifficultyAnswer.owner_unit_id.in_(sorted(lineage)),
                       DifficultyAnswer.deleted.is_(False))):
            child = answer_row.audience_unit_id
            items.append(SentItem(
                f"answer:{answer_row.id}", "answer", title or "", answer_row.created_at,
                (child,), (child,) if acked([answer_row.id], child) else ()))
        for rule in session.scalars(select(CounterpartRule).where(
                CounterpartRule.owner_unit_id.in_(sorted(lineage)),
                CounterpartRule.audience_unit_id == EVERY_CHILD,
                CounterpartRule.deleted.is_(False))):
            title = _("{program}, {kind}: {ratio}% ({basis})").format(
                program=rule.program_id.split("/")[-1], kind=rule.capital_kind,
                ratio=f"{rule.ratio_bp / 100:g}".replace(".", ","), basis=rule.legal_basis)
            items.append(SentItem(f"counterpart:{rule.id}", "counterpart", title,
                                  rule.created_at, children,
                                  tuple(c for c in children if acked([rule.id], c))))
        deliveries = {(d.reference_id, d.recipient_unit_id): d.first_number
                      for d in session.scalars(select(ReferenceDelivery))}
        data_versions = sync.installation_data_versions(session)
        versions = sync.DataVersions()
        for dispatch in session.scalars(select(ReferenceDispatch).order_by(
                ReferenceDispatch.created_at.desc())):
            recipients = children if dispatch.audience_unit_id == EVERY_CHILD else \
                (dispatch.audience_unit_id,)
            done = tuple(c for c in recipients if (dispatch.id, c) in deliveries and
                         numbers.get(c, 0) >= deliveries[(dispatch.id, c)])
            kind = "template" if dispatch.kind == sync.TEMPLATE else "handbook"
            needed = versions.needed(dispatch.kind, dispatch.content, dispatch.file_name)
            items.append(SentItem(f"reference:{dispatch.id}", kind,
                                  f"{dispatch.title} ({dispatch.item_key})", dispatch.created_at,
                                  tuple(recipients), done, tuple(
                                      c for c in recipients if c not in done and
                                      versions.oldest_below(data_versions.get(c, []), needed))))
        version = catalog.loaded_catalog_version(session)
        if version > catalog.shipped_catalog_version():
            reported = dict(session.execute(select(SyncPeer.unit_id,
                                                   SyncPeer.catalog_version)).all())
            items.append(SentItem(
                f"catalog:{version}", "catalog",
                _("Catalog version {version}").format(version=version), None, children,
                tuple(c for c in children if (reported.get(c) or 0) >= version)))
    items.sort(key=lambda i: (i.created_at or dt.datetime.max), reverse=True)
    return items


def _difficulty_title():
    from ctmtqg_desktop.store.models.tasks import Difficulty

    return select(Difficulty.title).where(
        Difficulty.id == DifficultyAnswer.difficulty_id).scalar_subquery()


def assignment_records(workspace: Workspace, assignment_id: uuid.UUID) -> dict[str, int]:
    """``{child: records}`` of one assignment (for tests and the detail panel)."""
    with UnitOfWork.read(workspace) as session:
        return dict(session.execute(
            select(AssignmentRecord.child_unit_id, func.count())
            .where(AssignmentRecord.assignment_id == assignment_id)
            .group_by(AssignmentRecord.child_unit_id)).all())


__all__ = ["answer", "assign_capital", "assign_directive", "children_difficulties",
           "install_catalog_update", "send_reference", "sent_items", "TaskDraft"]
