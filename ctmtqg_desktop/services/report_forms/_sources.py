"""The named data sources of ``resources/report_forms/data-sources.yaml``, computed from the
unit's records as of a report's period end.

A reference is ``name{param=value, ...}`` (README of the forms); :func:`parse_ref` splits it
and :class:`Records` answers it. The unit's records are read once per report (a commune
holds hundreds of rows) and filtered here. "As of" follows the sources' dates: capital
decisions, allocations, payments, returns and carry-overs by their dates; supports by
``received_on``; activities by ``start_on``; directives by ``issued_on``; difficulties by
``raised_on`` (their status from the answers given by then); a task's status and percent
from the progress updates reported by then. A project's stage and physical progress, a
household's poverty status, ethnic-minority flag, village and members, and a village's
households, population and "extremely disadvantaged" flag are rebuilt from the change
journal (the full record after each change) as last written by the date; a record the
journal holds nothing that old of (typed later, or before the journal) counts with today's
values, and the form says so (:attr:`Records.today_values_used`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from sqlalchemy import and_, or_, select

from ctmtqg_desktop.domain.formats import format_date
from ctmtqg_desktop.domain.report_periods import Period
from ctmtqg_desktop.services import activities, difficulties, households, projects, tasks
from ctmtqg_desktop.store.codec import decode_values
from ctmtqg_desktop.store.models.activities import Activity
from ctmtqg_desktop.store.models.capital import (
    CapitalAllocation,
    CapitalCarryOver,
    CapitalLine,
    CapitalPayment,
    CapitalReturn,
    CounterpartRule,
    ProjectFunding,
)
from ctmtqg_desktop.store.models.catalog import (
    CapitalSource,
    NtmCriterion,
    Program,
    ProgramComponent,
    ProjectKind,
)
from ctmtqg_desktop.store.models.dossiers import Household, HouseholdSupport
from ctmtqg_desktop.store.models.journal import ChangeJournalEntry
from ctmtqg_desktop.store.models.projects import Project
from ctmtqg_desktop.store.models.tasks import (
    Difficulty,
    DifficultyAnswer,
    Directive,
    Task,
    TaskProgress,
)
from ctmtqg_desktop.store.models.villages import Village
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace

#: what a household and a village are counted by, as of a date (from the journal)
_HOUSEHOLD_FIELDS = ("poverty_status", "ethnic_minority", "village_id", "members")
_VILLAGE_FIELDS = ("name", "ethnic_groups", "households", "population",
                   "extremely_disadvantaged")

_REF = re.compile(r"^\s*([a-z_.]+)\s*(?:\{(.*)\})?\s*$", re.S)


@dataclass(frozen=True)
class Ref:
    name: str
    params: tuple[tuple[str, str], ...]


def _split_params(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in text:
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    if current.strip():
        parts.append(current)
    return [p.strip() for p in parts if p.strip()]


def parse_ref(text: str) -> Ref:
    """``capital.disbursed{component=$row.id, year=2021..$period.year}``; raises ValueError."""
    found = _REF.match(str(text))
    if not found:
        raise ValueError(text)
    params = []
    for part in _split_params(found.group(2) or ""):
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            raise ValueError(text)
        params.append((key.strip(), value.strip()))
    return Ref(found.group(1), tuple(params))


@dataclass
class Scope:
    """What a reference's variables stand for: the period, the current row, ``$value``."""
    period: Period
    as_of: dt.date
    row: dict[str, Any] = field(default_factory=dict)
    value: Any = None
    #: parameters applied to every source (a column's ``params``)
    extra: dict[str, Any] = field(default_factory=dict)


def _resolve(value: str, scope: Scope) -> Any:
    value = value.strip()
    if value.startswith("[") and value.endswith("]"):
        return [_resolve(v, scope) for v in value[1:-1].split(",") if v.strip()]
    if ".." in value:
        low, high = value.split("..", 1)
        return range(int(_resolve(low, scope)), int(_resolve(high, scope)) + 1)
    variables = {"$period.start": scope.period.start, "$period.end": scope.as_of,
                 "$period.year": scope.period.year, "$value": scope.value}
    if value in variables:
        return variables[value]
    if value.startswith("$row."):
        return scope.row.get(value[5:])
    if value in ("true", "false"):
        return value == "true"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return dt.date.fromisoformat(value)
    if re.fullmatch(r"\d+", value):
        return int(value)
    return value


def _under(key: str | None, wanted: Any) -> bool:
    """A catalog key matches itself and its children (``2021-2025/GNBV/DA3`` matches
    ``.../DA3/TDA1``); a list matches any of its keys."""
    if wanted is None:
        return True
    if isinstance(wanted, (list, tuple)):
        return any(_under(key, w) for w in wanted)
    return key is not None and (key == wanted or key.startswith(str(wanted) + "/"))


def _is(value: Any, wanted: Any) -> bool:
    if wanted is None:
        return True
    if isinstance(wanted, (list, tuple, range)):
        return value in wanted
    return bool(value == wanted)


def _window(day: dt.date | None, params: dict[str, Any], *, undated_counts: bool = True
            ) -> bool:
    start, end = params.get("from"), params.get("as_of")
    if day is None:
        return undated_counts and start is None
    return (start is None or day >= start) and (end is None or day <= end)


def _mine(model: Any, unit_ids: tuple[str, ...]) -> Any:
    return and_(model.deleted.is_(False),
                or_(and_(model.owner_unit_id.in_(unit_ids), model.audience_unit_id.is_(None)),
                    model.audience_unit_id.in_((*unit_ids, "*"))))


class Records:
    """The unit's records and the catalog, read once, answering data-source references."""

    def __init__(self, workspace: Workspace, unit_id: str | tuple[str, ...]) -> None:
        """``unit_id``: the unit, or the unit and the units it continues (a merged commune's
        2021-2025 review covers its predecessors' records)."""
        unit_ids = (unit_id,) if isinstance(unit_id, str) else tuple(unit_id)
        self.today = workspace.today()
        self.workspace = workspace
        #: the journal's versions of households and villages, read when first needed
        self._histories: dict[str, dict[uuid.UUID, list[tuple[dt.date, dict[str, Any]]]]] = {}
        #: the tables (household, village) of which a record counted with today's values in
        #: a report as of an earlier date (the journal held nothing that old)
        self.today_values_used: set[str] = set()
        with UnitOfWork.read(workspace) as session:
            def rows(model: Any) -> list[Any]:
                return list(session.scalars(select(model).where(_mine(model, unit_ids))))

            self.lines = rows(CapitalLine)
            self.allocations = rows(CapitalAllocation)
            self.payments = rows(CapitalPayment)
            self.returns = rows(CapitalReturn)
            self.carry_overs = rows(CapitalCarryOver)
            self.funding = rows(ProjectFunding)
            self.rules = rows(CounterpartRule)
            self.projects = {p.id: p for p in rows(Project)}
            self.villages = sorted(rows(Village), key=lambda v: (v.sort_order, v.name))
            self.households = {h.id: h for h in rows(Household)}
            self.supports = rows(HouseholdSupport)
            self.activities = rows(Activity)
            self.directives = rows(Directive)
            self.tasks = rows(Task)
            self.progress = rows(TaskProgress)
            self.difficulties = rows(Difficulty)
            answers = list(session.scalars(select(DifficultyAnswer).where(
                DifficultyAnswer.deleted.is_(False))))
            self.sources = {s.code: s for s in session.scalars(select(CapitalSource))}
            self.kinds = {k.code: k for k in session.scalars(select(ProjectKind))}
            self.programs = {p.id: p for p in session.scalars(select(Program))}
            self.components = list(session.scalars(select(ProgramComponent).where(
                ProgramComponent.retired.is_(False)).order_by(ProgramComponent.sort_order)))
            self.criteria = list(session.scalars(select(NtmCriterion).order_by(
                NtmCriterion.number)))
            history = session.execute(
                select(ChangeJournalEntry.record_id, ChangeJournalEntry.recorded_at,
                       ChangeJournalEntry.payload)
                .where(ChangeJournalEntry.table_name == Project.__tablename__,
                       ChangeJournalEntry.record_id.in_(list(self.projects)))
                .order_by(ChangeJournalEntry.seq)).all() if self.projects else []
            session.expunge_all()
        self.answers: dict[uuid.UUID, list[DifficultyAnswer]] = {}
        for answer in sorted(answers, key=lambda a: a.answered_on):
            self.answers.setdefault(answer.difficulty_id, []).append(answer)
        #: a project's stage and physical progress as written at each time (the journal)
        self.project_states: dict[uuid.UUID, list[tuple[dt.date, str, int]]] = {}
        for record_id, recorded_at, payload in history:
            data = json.loads(payload) if payload else {}
            if "stage" in data:
                self.project_states.setdefault(record_id, []).append(
                    (recorded_at.date(), str(data["stage"]),
                     int(data.get("physical_progress") or 0)))
        self.component_by_id = {c.id: c for c in self.components}
        self.village_names = {v.id: v.name for v in self.villages}
        self.line_by_id = {line.id: line for line in self.lines}
        self.allocation_by_id = {a.id: a for a in self.allocations}
        self.contents = _support_contents()
        #: read off the records when first needed (see :meth:`_support_facts` and the others)
        self._supports_read: list[tuple[Any, ...]] | None = None
        self._payments_read: list[tuple[uuid.UUID, dt.date | None, int]] | None = None
        self._progress_by_task: dict[uuid.UUID, list[TaskProgress]] | None = None

    # -- the entry point --------------------------------------------------------------
    def value(self, text: str, scope: Scope) -> Any:
        """The figure (or row list) a reference gives in ``scope``."""
        ref = parse_ref(text)
        params = {key: _resolve(value, scope) for key, value in ref.params}
        for key, value in scope.extra.items():
            params.setdefault(key, value)
        params.setdefault("as_of", scope.as_of)
        handler = SOURCES.get(ref.name)
        if handler is None:
            raise KeyError(ref.name)
        return handler(self, params, scope)

    # -- labels -----------------------------------------------------------------------
    def component_label(self, key: str | None) -> str:
        component = self.component_by_id.get(key or "")
        return f"{component.code}. {component.name}" if component else ""

    def top_component(self, key: str | None) -> str | None:
        component = self.component_by_id.get(key or "")
        while component is not None and component.parent_id:
            component = self.component_by_id.get(component.parent_id)
        return component.id if component else None

    # -- capital ----------------------------------------------------------------------
    def _line_matches(self, line: CapitalLine, params: dict[str, Any],
                      component: str | None) -> bool:
        source = self.sources.get(line.source)
        if "source_group" in params and not _is(source.group if source else None,
                                                params["source_group"]):
            return False
        if "counterpart" in params and bool(source and source.counterpart) != \
                params["counterpart"]:
            return False
        as_of = params.get("as_of")
        # a line assigned to the whole programme belongs to the programme, not to one of
        # its projects: component=<programme> takes it, component=<project> does not
        return (_is(line.program_id, params.get("program"))
                and _under(component or line.program_id, params.get("component"))
                and _is(line.capital_kind, params.get("kind"))
                and _is(line.source, params.get("source"))
                and _is(line.year, params.get("year"))
                and (as_of is None or line.decision_date is None or line.decision_date <= as_of))

    def assigned(self, params: dict[str, Any], _scope: Scope) -> int:
        return sum(line.amount for line in self.lines
                   if self._line_matches(line, params, line.component_id))

    def quantity(self, params: dict[str, Any], _scope: Scope) -> int:
        return sum(line.quantity or 0 for line in self.lines
                   if self._line_matches(line, params, line.component_id))

    def returned(self, params: dict[str, Any], _scope: Scope) -> int:
        return sum(item.amount for item in self.returns
                   if item.line_id in self.line_by_id
                   and self._line_matches(self.line_by_id[item.line_id], params,
                                          self.line_by_id[item.line_id].component_id)
                   and _window(item.returned_on, {"as_of": params.get("as_of")}))

    def carried_over(self, params: dict[str, Any], _scope: Scope) -> int:
        latest: dict[uuid.UUID, int] = {}
        for item in sorted(self.carry_overs, key=lambda c: c.deadline):
            line = self.line_by_id.get(item.line_id)
            if line and self._line_matches(line, params, line.component_id) and \
                    _window(item.decision_date, {"as_of": params.get("as_of")}):
                latest[item.line_id] = item.amount
        return sum(latest.values())

    def _allocation_matches(self, allocation: CapitalAllocation, params: dict[str, Any]
                            ) -> bool:
        line = self.line_by_id.get(allocation.line_id)
        project = self.projects.get(allocation.project_id)
        if line is None:
            return False
        component = (project.component_id if project else None) or line.component_id
        return (self._line_matches(line, params, component)
                and _is(allocation.project_id, params.get("project"))
                and _window(allocation.decision_date, {"as_of": params.get("as_of")}))

    def allocated(self, params: dict[str, Any], _scope: Scope) -> int:
        return sum(a.amount for a in self.allocations if self._allocation_matches(a, params))

    def disbursed(self, params: dict[str, Any], _scope: Scope) -> int:
        window = {"from": params.get("from"), "as_of": params.get("as_of")}
        undated = {**params, "as_of": None}
        #: whether each allocation matches (the same for each of its payments: a form asks
        #: some 60 times, over 2,000 payments of five years; issue 17)
        matches: dict[uuid.UUID, bool] = {}
        total = 0
        for allocation_id, paid_on, amount in self._payment_facts():
            allocation = self.allocation_by_id.get(allocation_id)
            if allocation is None or not _window(paid_on, window):
                continue
            found = matches.get(allocation_id)
            if found is None:
                found = matches[allocation_id] = self._allocation_matches(allocation, undated)
            if found:
                total += amount
        return total

    def _payment_facts(self) -> list[tuple[uuid.UUID, dt.date | None, int]]:
        """Each payment's allocation, date and amount, read off the records once (an ORM
        attribute costs some twenty times a tuple's item)."""
        if self._payments_read is None:
            self._payments_read = [(p.allocation_id, p.paid_on, p.amount)
                                   for p in self.payments]
        return self._payments_read

    def counterpart_required(self, params: dict[str, Any], scope: Scope) -> int:
        required = 0
        day = params.get("as_of") or scope.as_of
        for kind in ("DTPT", "SN"):
            if not _is(kind, params.get("kind")):
                continue
            rules = [r for r in self.rules if r.program_id == params.get("program")
                     and r.capital_kind == kind and r.valid_from <= day
                     and (r.valid_to is None or r.valid_to >= day)]
            if not rules:
                continue
            rule = max(rules, key=lambda r: r.valid_from)
            central = self.assigned({**params, "kind": kind, "source": "NSTW"}, scope)
            required += central * rule.ratio_bp // 10000
        return required

    # -- projects ---------------------------------------------------------------------
    def _project_rows(self, params: dict[str, Any], scope: Scope) -> list[dict[str, Any]]:
        found = []
        for project in self.projects.values():
            kind = self.kinds.get(project.kind)
            if not (_is(project.program_id, params.get("program"))
                    and _under(project.component_id, params.get("component"))
                    and _is(project.kind, params.get("kind"))
                    and _is(kind.group if kind else None, params.get("kind_group"))
                    and _is(project.village_id, params.get("village"))
                    and _is(self.project_state(project, params.get("as_of"))[0],
                            params.get("stage"))):
                continue
            if params.get("funded_in_year") is not None and not any(
                    a.project_id == project.id and self._allocation_matches(
                        a, {"year": params["funded_in_year"], "as_of": params.get("as_of")})
                    for a in self.allocations):
                continue
            if params.get("active_in_period") and not self._active(project, scope):
                continue
            found.append(self._project_row(project, params.get("as_of")))
        return sorted(found, key=lambda r: (r["top_component_label"], r["name"]))

    def _active(self, project: Project, scope: Scope) -> bool:
        """Approved or started by the period's end and not finished before it began, or
        funded or paid in the period."""
        begun = min((d for d in (project.approval_date, project.start_date) if d),
                    default=None)
        if begun is not None and begun > scope.as_of:
            return False
        if project.end_date is not None and project.end_date < scope.period.start:
            return any(self._paid_in(a, scope) for a in self.allocations
                       if a.project_id == project.id)
        return True

    def _paid_in(self, allocation: CapitalAllocation, scope: Scope) -> bool:
        return any(p.allocation_id == allocation.id
                   and scope.period.start <= p.paid_on <= scope.as_of for p in self.payments)

    def project_state(self, project: Project, as_of: dt.date | None) -> tuple[str, int]:
        """The project's stage and physical progress as the journal last wrote them by
        ``as_of``; today's when it holds nothing that old (a record typed later)."""
        states = [s for s in self.project_states.get(project.id, [])
                  if as_of is None or s[0] <= as_of]
        if as_of is None or not states:
            return project.stage, project.physical_progress
        return states[-1][1], states[-1][2]

    def _project_row(self, project: Project, as_of: dt.date | None = None) -> dict[str, Any]:
        kind = self.kinds.get(project.kind)
        stage, progress = self.project_state(project, as_of)
        program = self.programs.get(project.program_id)
        return {
            "id": project.id, "name": project.name,
            "program_label": program.short_name if program else project.program_id,
            "top_component_label": self.component_label(self.top_component(
                project.component_id)),
            "component_label": self.component_label(project.component_id),
            "kind_label": kind.name if kind else project.kind,
            "village_name": self.village_names.get(project.village_id, ""),
            "location": project.location, "investor": project.investor,
            "approval_number": project.approval_number,
            "approval_date": format_date(project.approval_date),
            "approval_body": project.approval_body, "start_date": project.start_date,
            "end_date": project.end_date, "stage_label": projects.stage_label(stage),
            "physical_progress": progress,
            "beneficiary_households": project.beneficiary_households,
            "description": project.description,
        }

    def funding_of(self, params: dict[str, Any], _scope: Scope) -> int:
        total = 0
        for item in self.funding:
            source = self.sources.get(item.source)
            if (_is(item.project_id, params.get("project")) and _is(item.source,
                                                                     params.get("source"))
                    and _is(source.group if source else None, params.get("source_group"))):
                total += item.amount
        return total

    # -- households and villages as of a date -----------------------------------------
    def _history(self, model: Any) -> dict[uuid.UUID, list[tuple[dt.date, dict[str, Any]]]]:
        """Each household's (or village's) versions in the journal, oldest first."""
        table = model.__tablename__
        if table not in self._histories:
            ids = list(self.households) if model is Household else [v.id for v in self.villages]
            found: dict[uuid.UUID, list[tuple[dt.date, dict[str, Any]]]] = {}
            with UnitOfWork.read(self.workspace) as session:
                for start in range(0, len(ids), 500):
                    for record_id, recorded_at, payload in session.execute(
                            select(ChangeJournalEntry.record_id, ChangeJournalEntry.recorded_at,
                                   ChangeJournalEntry.payload)
                            .where(ChangeJournalEntry.table_name == table,
                                   ChangeJournalEntry.record_id.in_(ids[start:start + 500]))
                            .order_by(ChangeJournalEntry.seq)):
                        found.setdefault(record_id, []).append(
                            (recorded_at.date(), json.loads(payload) if payload else {}))
            self._histories[table] = found
        return self._histories[table]

    def _dated(self, record: Any, model: Any, names: tuple[str, ...], as_of: dt.date | None
               ) -> Any:
        """``record`` as the journal last wrote it by ``as_of`` (None: deleted by then);
        today's record when ``as_of`` is not in the past or the journal holds nothing that
        old (then :attr:`today_values_used` says so)."""
        if as_of is None or as_of >= self.today:
            return record
        versions = [data for day, data in self._history(model).get(record.id, [])
                    if day <= as_of]
        if not versions:
            self.today_values_used.add(model.__tablename__)
            return record
        decoded = decode_values(model.__table__, versions[-1])
        if decoded.get("deleted"):
            return None
        return SimpleNamespace(id=record.id, **{
            name: decoded[name] if name in decoded else getattr(record, name)
            for name in names})

    def _households_as_of(self, scope: Scope) -> list[Any]:
        dated = (self._dated(h, Household, _HOUSEHOLD_FIELDS, scope.as_of)
                 for h in self.households.values())
        return [h for h in dated if h is not None]

    # -- households and supports ------------------------------------------------------
    def _household_ok(self, household: Household | None, params: dict[str, Any]) -> bool:
        return household is not None and (
            _is(household.poverty_status, params.get("poverty_status"))
            and _is(household.ethnic_minority, params.get("ethnic_minority"))
            and _is(household.village_id, params.get("village")))

    def _supports(self, params: dict[str, Any]) -> list[HouseholdSupport]:
        """The supports (of a live project, to a household of the unit) that match: a form
        asks some 30 times, over five years of supports (issue 17), so each support's
        columns and its project's and household's are read off the records once
        (:meth:`_support_facts`), and the parameters once per call."""
        poverty, ethnic, village = (params.get("poverty_status"),
                                    params.get("ethnic_minority"), params.get("village"))
        program, component, project = (params.get("program"), params.get("component"),
                                       params.get("project"))
        content, content_group = params.get("content"), params.get("content_group")
        return [support for (support, project_id, program_id, component_id, code, group,
                             received_on, household) in self._support_facts()
                if _is(household[0], poverty) and _is(household[1], ethnic)
                and _is(household[2], village) and _is(program_id, program)
                and _under(component_id, component) and _is(project_id, project)
                and _is(code, content) and _is(group, content_group)
                and _window(received_on, params)]

    def _support_facts(self) -> list[tuple[Any, ...]]:
        """``(support, project id, programme, component, content, content group, received
        on, (household's poverty status, ethnic minority, village))`` of each support whose
        project and household are the unit's, in the order of :attr:`supports`."""
        if self._supports_read is None:
            households_read = {h.id: (h.poverty_status, h.ethnic_minority, h.village_id)
                               for h in self.households.values()}
            facts = []
            for support in self.supports:
                project = self.projects.get(support.project_id)
                household = households_read.get(support.household_id)
                if project is None or household is None:
                    continue
                facts.append((support, support.project_id, project.program_id,
                              project.component_id, support.content,
                              self.contents.get(support.content, ("", ""))[1],
                              support.received_on, household))
            self._supports_read = facts
        return self._supports_read

    def support_rows(self, params: dict[str, Any], _scope: Scope) -> list[dict[str, Any]]:
        rows = []
        for support in self._supports(params):
            household = self.households[support.household_id]
            project = self.projects[support.project_id]
            rows.append({
                "id": support.id, "household_name": household.head_name,
                "village_name": self.village_names.get(household.village_id, ""),
                "ethnicity": household.ethnicity, "ethnic_minority": household.ethnic_minority,
                "poverty_status_label": households.poverty_label(household.poverty_status),
                "members": household.members,
                "content_label": self.contents.get(support.content, (support.content, ""))[0],
                "project_name": project.name,
                "top_component_label": self.component_label(self.top_component(
                    project.component_id)),
                "component_label": self.component_label(project.component_id),
                "amount": support.amount, "received_on": support.received_on,
                "note": support.note})
        return rows

    # -- activities, directives, tasks, difficulties ----------------------------------
    def _activities(self, params: dict[str, Any]) -> list[Activity]:
        return [a for a in self.activities
                if _is(a.kind, params.get("kind")) and _is(a.program_id, params.get("program"))
                and _under(a.component_id, params.get("component"))
                and _is(a.campaign, params.get("campaign")) and _window(a.start_on, params)]

    def activity_rows(self, params: dict[str, Any], _scope: Scope) -> list[dict[str, Any]]:
        return [{"id": a.id, "title": a.title, "kind_label": activities.kind_label(a.kind),
                 "campaign": a.campaign, "start_on": a.start_on, "end_on": a.end_on,
                 "place": a.place, "organiser": a.organiser, "participants": a.participants,
                 "participants_women": a.participants_women,
                 "participants_ethnic": a.participants_ethnic,
                 "participants_poor": a.participants_poor, "content": a.content,
                 "results": a.results, "recommendations": a.recommendations,
                 "cost": a.cost or 0}
                for a in sorted(self._activities(params), key=lambda a: (a.kind, a.start_on))]

    def participants(self, params: dict[str, Any], _scope: Scope) -> int:
        field_name = {"women": "participants_women", "ethnic": "participants_ethnic",
                      "poor": "participants_poor"}.get(params.get("of") or "", "participants")
        return sum(getattr(a, field_name) or 0 for a in self._activities(params))

    def directive_rows(self, params: dict[str, Any], _scope: Scope) -> list[dict[str, Any]]:
        program = params.get("program")
        return [{"id": d.id, "number_symbol": d.number_symbol, "doc_type": d.doc_type,
                 "issued_on": d.issued_on, "issuing_body": d.issuing_body, "title": d.title,
                 "text": " ".join(x for x in (d.number_symbol,
                                              format_date(d.issued_on) and
                                              "ngày " + format_date(d.issued_on),
                                              d.issuing_body and "của " + d.issuing_body,
                                              d.title and "- " + d.title) if x)}
                for d in sorted(self.directives, key=lambda d: d.issued_on or dt.date.min)
                if _window(d.issued_on, params)
                and (program is None or program in (d.program_ids or "").split())]

    def _task_state(self, task: Task, as_of: dt.date) -> tuple[str, int | None, str]:
        if self._progress_by_task is None:  # once, not every update for every task
            self._progress_by_task = {}
            for update in self.progress:
                self._progress_by_task.setdefault(update.task_id, []).append(update)
        updates = sorted((p for p in self._progress_by_task.get(task.id, ())
                          if p.reported_on <= as_of), key=tasks.progress_order)
        if not updates:
            return "not_started", None, ""
        last = updates[-1]
        return last.status, last.percent, last.narrative

    def task_rows(self, params: dict[str, Any], scope: Scope) -> list[dict[str, Any]]:
        as_of = params.get("as_of") or scope.as_of
        rows = []
        for task in self.tasks:
            status, percent, narrative = self._task_state(task, as_of)
            deadline = task.deadline or task.next_due_on
            overdue = status != "done" and deadline is not None and deadline < as_of
            if not (_is(task.program_id, params.get("program")) and _is(status,
                                                                         params.get("status"))
                    and (not params.get("overdue") or overdue)
                    and (params.get("due_from") is None
                         or (deadline is not None and deadline >= params["due_from"]))
                    and (params.get("due_to") is None
                         or (deadline is not None and deadline <= params["due_to"]))):
                continue
            rows.append({"id": task.id, "text": task.text, "lead_label": task.lead_label,
                         "deadline": deadline, "status_label": tasks.status_label(status),
                         "latest_percent": percent, "latest_narrative": narrative,
                         "expected_output": task.expected_output})
        return sorted(rows, key=lambda r: (r["deadline"] or dt.date.max, r["text"]))

    def difficulty_rows(self, params: dict[str, Any], scope: Scope) -> list[dict[str, Any]]:
        as_of = params.get("as_of") or scope.as_of
        rows = []
        for item in sorted(self.difficulties, key=lambda d: d.raised_on):
            given = [a for a in self.answers.get(item.id, []) if a.answered_on <= as_of]
            status = item.status if not (item.resolved_on and item.resolved_on > as_of) \
                else "answered" if given else "sent"
            if not given and item.status in ("answered", "resolved") and \
                    (item.resolved_on is None or item.resolved_on > as_of):
                status = "sent"
            if not (_is(item.kind, params.get("kind")) and _is(item.program_id,
                                                                params.get("program"))
                    and _is(status, params.get("status")) and _window(item.raised_on, params)):
                continue
            last = given[-1] if given else None
            rows.append({"id": item.id, "kind_label": difficulties.kind_label(item.kind),
                         "raised_on": item.raised_on, "title": item.title,
                         "content": item.content, "proposal": item.proposal,
                         "status_label": difficulties.status_label(status),
                         "answer": last.content if last else "",
                         "answered_by": last.answered_by if last else "",
                         "answered_on": last.answered_on if last else None,
                         "text": item.title + (": " + item.content if item.content else "")})
        return rows

    # -- catalog and villages ---------------------------------------------------------
    def component_rows(self, params: dict[str, Any], _scope: Scope) -> list[dict[str, Any]]:
        level = {"project": "project", "subproject": "subproject", "content": "content"}
        return [{"id": c.id, "code": c.code, "name": c.name, "level": c.level}
                for c in self.components if c.program_id == params.get("program")
                and (params.get("level") is None or c.level == level.get(params["level"],
                                                                          params["level"]))
                and (params.get("parent") is None or c.parent_id == params["parent"])]

    def criteria_rows(self, params: dict[str, Any], _scope: Scope) -> list[dict[str, Any]]:
        return [{"id": c.id, "number": c.number, "name": c.name, "group": c.group,
                 "confidence": c.confidence} for c in self.criteria
                if params.get("period") is None or c.period_id == str(params["period"])]

    def _villages(self, params: dict[str, Any], scope: Scope | None = None) -> list[Any]:
        """The villages (as of the scope's date) that match ``params``."""
        dated = [self._dated(v, Village, _VILLAGE_FIELDS, scope.as_of if scope else None)
                 for v in self.villages]
        return [v for v in dated if v is not None
                and _is(v.extremely_disadvantaged, params.get("extremely_disadvantaged"))
                and _is(v.id, params.get("village"))]

    def village_rows(self, params: dict[str, Any], scope: Scope) -> list[dict[str, Any]]:
        return [{"id": v.id, "name": v.name, "ethnic_groups": v.ethnic_groups,
                 "households": v.households, "population": v.population,
                 "extremely_disadvantaged": v.extremely_disadvantaged}
                for v in self._villages(params, scope)]


def _support_contents() -> dict[str, tuple[str, str]]:
    """``{code: (name, group)}`` of the support contents."""
    return {c.code: (c.name, c.group) for c in households.support_contents()}


Source = Callable[["Records", dict[str, Any], Scope], Any]


def _count(rows: Callable[[Records, dict[str, Any], Scope], Iterable[Any]]) -> Source:
    return lambda records, params, scope: len(list(rows(records, params, scope)))


SOURCES: dict[str, Source] = {
    "capital.assigned": Records.assigned,
    "capital.returned": Records.returned,
    "capital.allocated": Records.allocated,
    "capital.disbursed": Records.disbursed,
    "capital.carried_over": Records.carried_over,
    "capital.counterpart_required": Records.counterpart_required,
    "capital.quantity": Records.quantity,
    "projects": Records._project_rows,
    "projects.count": _count(Records._project_rows),
    "project.funding": Records.funding_of,
    "supports": Records.support_rows,
    "support.count": _count(lambda r, p, s: r._supports(p)),
    "support.households": lambda r, p, s: len({x.household_id for x in r._supports(p)}),
    "support.amount": lambda r, p, s: sum(x.amount for x in r._supports(p)),
    "households.count": lambda r, p, s: sum(r._household_ok(h, p)
                                            for h in r._households_as_of(s)),
    "households.members": lambda r, p, s: sum(h.members for h in r._households_as_of(s)
                                              if r._household_ok(h, p)),
    "villages": Records.village_rows,
    "villages.count": lambda r, p, s: len(r._villages(p, s)),
    "villages.households": lambda r, p, s: sum(v.households for v in r._villages(p, s)),
    "villages.population": lambda r, p, s: sum(v.population for v in r._villages(p, s)),
    "activities": Records.activity_rows,
    "activities.count": lambda r, p, s: len(r._activities(p)),
    "activities.participants": Records.participants,
    "activities.cost": lambda r, p, s: sum(a.cost or 0 for a in r._activities(p)),
    "directives": Records.directive_rows,
    "tasks": Records.task_rows,
    "tasks.count": _count(Records.task_rows),
    "difficulties": Records.difficulty_rows,
    "difficulties.count": _count(Records.difficulty_rows),
    "catalog.components": Records.component_rows,
    "ntm.criteria": Records.criteria_rows,
    "attachments.count": lambda r, p, s: 0,
}
