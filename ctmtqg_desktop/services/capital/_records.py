"""Kế hoạch vốn: capital plan lines, allocations in detail, payments, carry-overs, returns.

Every write is one unit of work that re-reads the line's figures inside the transaction and
checks the invariants of :mod:`ctmtqg_desktop.domain.capital` before anything is flushed, so a
refused entry changes nothing. Listings return frozen dataclasses with each line's figures
and its state (deadline, unallocated remainder, pace against the on-track line).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import and_, case, func, literal, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ctmtqg_desktop.domain import capital as rules
from ctmtqg_desktop.domain.capital import LineFigures
from ctmtqg_desktop.domain.errors import BadArgument, RecordNotFound, UserError
from ctmtqg_desktop.domain.text import fold, normalize, search_terms
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.services import settings
from ctmtqg_desktop.services.capital import _rules as capital_rules
from ctmtqg_desktop.store.models.capital import (
    CapitalAllocation,
    CapitalCarryOver,
    CapitalLine,
    CapitalPayment,
    CapitalReturn,
)
from ctmtqg_desktop.store.models.catalog import (
    CapitalKind,
    CapitalSource,
    Program,
    ProgramComponent,
)
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace

INVESTMENT_DEADLINE_MONTHS = settings.declare(
    "capital_investment_deadline_months", int, 1,
    N_("Investment capital (ĐTPT) may be disbursed until the end of this many months after "
       "the plan year (1 = until 31/01 of the next year)"), minimum=0, maximum=24)
RECURRENT_DEADLINE_MONTHS = settings.declare(
    "capital_recurrent_deadline_months", int, 0,
    N_("Recurrent capital (sự nghiệp) may be disbursed until the end of this many months "
       "after the plan year (0 = until 31/12 of the plan year)"), minimum=0, maximum=24)
ALERT_DAYS = settings.declare(
    "capital_alert_days", int, 90,
    N_("Warn this many days before a disbursement deadline"), minimum=1, maximum=365)
ALLOCATION_GRACE_DAYS = settings.declare(
    "capital_allocation_grace_days", int, 60,
    N_("Capital should be allocated in detail within this many days of the assigning "
       "decision"), minimum=0, maximum=365)
STALLED_DAYS = settings.declare(
    "capital_stalled_days", int, 90,
    N_("A project with capital but no disbursement for this many days counts as stalled"),
    minimum=15, maximum=365)

YEAR_RANGE = (2000, 2100)


@dataclass(frozen=True)
class CapitalSettings:
    investment_deadline_months: int
    recurrent_deadline_months: int
    alert_days: int
    allocation_grace_days: int
    stalled_days: int


def capital_settings(workspace: Workspace) -> CapitalSettings:
    return CapitalSettings(settings.get(workspace, INVESTMENT_DEADLINE_MONTHS),
                           settings.get(workspace, RECURRENT_DEADLINE_MONTHS),
                           settings.get(workspace, ALERT_DAYS),
                           settings.get(workspace, ALLOCATION_GRACE_DAYS),
                           settings.get(workspace, STALLED_DAYS))


# ---------------------------------------------------------------------------- names
@dataclass(frozen=True)
class CatalogNames:
    """Catalog labels needed to show lines, read once per listing."""

    programs: dict[str, str]  # id → abbreviation
    program_names: dict[str, str]  # id → short name
    components: dict[str, tuple[str, str]]  # id → (code path, name)
    kinds: dict[str, str]  # code → name
    sources: dict[str, tuple[str, str, bool]]  # code → (name, group, counterpart)

    def program(self, program_id: str) -> str:
        return self.programs.get(program_id, program_id)

    def component(self, component_id: str | None) -> str:
        if not component_id:
            return ""
        path, name = self.components.get(component_id, (component_id, ""))
        return f"{path}: {name}" if name else path

    def source(self, code: str) -> str:
        return self.sources.get(code, (code, "", False))[0]

    def kind(self, code: str) -> str:
        return self.kinds.get(code, code)


def catalog_names(session: Session) -> CatalogNames:
    programs, program_names = {}, {}
    for row in session.scalars(select(Program)):
        programs[row.id] = row.abbreviation
        program_names[row.id] = row.short_name
    components = {row.id: ("/".join(row.id.split("/")[2:]), row.name)
                  for row in session.scalars(select(ProgramComponent))}
    kinds = {row.code: row.name for row in session.scalars(select(CapitalKind))}
    sources = {row.code: (row.name, row.group, row.counterpart)
               for row in session.scalars(select(CapitalSource))}
    return CatalogNames(programs, program_names, components, kinds, sources)


def line_label(names: CatalogNames, row: CapitalLine) -> str:
    """``CTMTQG NTM năm 2023, Vốn đầu tư phát triển, Ngân sách trung ương`` (+ component)."""
    label = _("{program} year {year}, {kind}, {source}").format(
        program=names.program(row.program_id), year=str(row.year),
        kind=kind_short_name(names, row.capital_kind), source=names.source(row.source))
    if row.component_id:
        label += " (" + names.components.get(row.component_id, (row.component_id, ""))[0] + ")"
    return label


def kind_short_name(names: CatalogNames, capital_kind: str) -> str:
    """``vốn ĐTPT`` (from ``resources/capital/rules.json``), else the catalog's name."""
    return capital_rules.rules().kind_short_names.get(capital_kind) or names.kind(capital_kind)


def short_kind(capital_kind: str, name: str = "") -> str:
    return capital_rules.rules().kind_short_names.get(capital_kind) or name or capital_kind


def short_source(source: str, name: str = "") -> str:
    """``NS tỉnh`` (``resources/capital/rules.json``), else the catalog's name."""
    return capital_rules.rules().source_short_names.get(source) or name or source


def kind_group(capital_kind: str) -> str:
    """``investment`` (vốn đầu tư phát triển) or ``recurrent`` (vốn sự nghiệp)."""
    return "investment" if capital_kind in capital_rules.rules().investment_kinds \
        else "recurrent"


def default_deadline(year: int, capital_kind: str, config: CapitalSettings) -> dt.date:
    months = (config.investment_deadline_months if kind_group(capital_kind) == "investment"
              else config.recurrent_deadline_months)
    return rules.default_deadline(year, months)


# ---------------------------------------------------------------------------- figures
def _live(model):
    return model.deleted.is_(False)


def lines_of(unit_id: str):
    """The plan lines a unit works with: its own (not addressed to anyone) and the lines its
    parent unit assigned to it (giao kế hoạch vốn: owned by the parent, ``audience_unit_id``
    = the unit). A parent's lines assigned to its children are not its own plan."""
    return or_(and_(CapitalLine.owner_unit_id == unit_id,
                    CapitalLine.audience_unit_id.is_(None)),
               CapitalLine.audience_unit_id == unit_id)


def predecessor_titles(session: Session, unit_id: str) -> dict[str, str]:
    """The units ``unit_id`` continues, titled (the catalog's shared lookup)."""
    from ctmtqg_desktop.services import catalog

    return catalog.predecessor_titles(session, unit_id)


def _history_label(text: str, title: str) -> str:
    from ctmtqg_desktop.services import catalog

    return catalog.history_label(text, title)


def history_lines_of(owners: dict[str, str]) -> ColumnElement[bool]:
    """The predecessors' own plan lines (their history, read-only here)."""
    return and_(CapitalLine.owner_unit_id.in_(sorted(owners)),
                CapitalLine.audience_unit_id.is_(None))


def figures_by_line(session: Session, line_ids: list[uuid.UUID] | None = None, *,
                    as_of: dt.date | None = None
                    ) -> dict[uuid.UUID, tuple[LineFigures, dt.date | None]]:
    """``{line id: (figures, carry-over deadline or None)}`` for the given (or all) lines;
    ``as_of``: as they stood that day (decisions dated after it, payments made and capital
    returned after it are left out; an undated decision counts)."""
    def by(column: Any) -> ColumnElement[bool]:
        return true() if as_of is None else or_(column.is_(None), column <= as_of)

    lines = select(CapitalLine.id, CapitalLine.amount).where(_live(CapitalLine),
                                                             by(CapitalLine.decision_date))
    if line_ids is not None:
        if not line_ids:
            return {}
        lines = lines.where(CapitalLine.id.in_(line_ids))
    assigned = dict(session.execute(lines).all())
    keys = list(assigned)

    def sums(statement) -> dict:
        return dict(session.execute(statement).all())

    allocated = sums(select(CapitalAllocation.line_id, func.sum(CapitalAllocation.amount))
                     .where(_live(CapitalAllocation), CapitalAllocation.line_id.in_(keys),
                            by(CapitalAllocation.decision_date))
                     .group_by(CapitalAllocation.line_id))
    disbursed = sums(select(CapitalAllocation.line_id, func.sum(CapitalPayment.amount))
                     .join(CapitalPayment, CapitalPayment.allocation_id == CapitalAllocation.id)
                     .where(_live(CapitalAllocation), _live(CapitalPayment),
                            CapitalAllocation.line_id.in_(keys), by(CapitalPayment.paid_on))
                     .group_by(CapitalAllocation.line_id))
    returned = sums(select(CapitalReturn.line_id, func.sum(CapitalReturn.amount))
                    .where(_live(CapitalReturn), CapitalReturn.line_id.in_(keys),
                           by(CapitalReturn.returned_on))
                    .group_by(CapitalReturn.line_id))
    carried: dict[uuid.UUID, tuple[int, dt.date]] = {}
    for row in session.scalars(select(CapitalCarryOver).where(
            _live(CapitalCarryOver), CapitalCarryOver.line_id.in_(keys),
            by(CapitalCarryOver.decision_date))
            .order_by(CapitalCarryOver.deadline)):
        carried[row.line_id] = (row.amount, row.deadline)  # the latest deadline wins
    result = {}
    for key, amount in assigned.items():
        carry_amount, carry_deadline = carried.get(key, (0, None))
        result[key] = (LineFigures(int(amount), int(allocated.get(key) or 0),
                                   int(disbursed.get(key) or 0), int(returned.get(key) or 0),
                                   int(carry_amount)), carry_deadline)
    return result


# ---------------------------------------------------------------------------- lines
@dataclass(frozen=True)
class LineInfo:
    id: uuid.UUID
    year: int
    program_id: str
    program_label: str
    component_id: str | None
    component_label: str
    capital_kind: str
    kind_name: str
    source: str
    source_name: str
    source_group: str
    counterpart: bool
    amount: int
    quantity: int | None
    quantity_unit: str
    unit_value: int | None
    decision_number: str
    decision_date: dt.date | None
    decision_body: str
    note: str
    label: str
    figures: LineFigures
    #: last day it may be disbursed (the carry-over's deadline when there is one)
    deadline: dt.date
    carried_over: bool
    #: when the unallocated remainder was assigned (the decision date, or 1/1 of the year)
    unallocated_since: dt.date
    unallocated_days: int
    on_track: float
    deadline_state: str
    unallocated_state: str
    pace_state: str
    owner_unit_id: str = ""
    #: the child unit a parent's line is assigned to (None: the owner's own plan)
    audience_unit_id: str | None = None
    #: a predecessor's line (read-only history): the old unit's name, e.g. "Xã Đắk La"
    history_of: str = ""

    @property
    def state(self) -> str:
        return rules.worst(self.deadline_state, self.unallocated_state, self.pace_state)


def _line_info(row: CapitalLine, names: CatalogNames, figures: LineFigures,
               carry_deadline: dt.date | None, today: dt.date,
               config: CapitalSettings) -> LineInfo:
    deadline = carry_deadline or default_deadline(row.year, row.capital_kind, config)
    since = row.decision_date or dt.date(row.year, 1, 1)
    age = max(0, (today - since).days)
    on_track = rules.year_elapsed_share(row.year, today)
    source_name, group, counterpart = names.sources.get(row.source, (row.source, "", False))
    return LineInfo(
        row.id, row.year, row.program_id, names.program(row.program_id), row.component_id,
        names.component(row.component_id), row.capital_kind, names.kind(row.capital_kind),
        row.source, source_name, group, counterpart, row.amount, row.quantity,
        row.quantity_unit, row.unit_value, row.decision_number, row.decision_date,
        row.decision_body, row.note, line_label(names, row), figures, deadline,
        carry_deadline is not None, since, age, on_track,
        rules.deadline_state(deadline, today, undisbursed=figures.undisbursed,
                             lead_days=config.alert_days),
        rules.unallocated_state(figures.unallocated, age, grace_days=config.allocation_grace_days)
        if today <= deadline else (rules.LATE if figures.unallocated > 0 else rules.NORMAL),
        rules.pace_state(figures.rate, on_track) if today <= deadline else rules.NORMAL,
        row.owner_unit_id, row.audience_unit_id)


def _unit(workspace: Workspace) -> str:
    return workspace.installation().unit_id


def _line_filter(statement, workspace: Workspace, query: dict):
    unit_id = query.get("unit_id", _unit(workspace))
    with UnitOfWork.read(workspace) as session:
        history = predecessor_titles(session, unit_id)
    mine = lines_of(unit_id)
    statement = statement.where(_live(CapitalLine),
                                or_(mine, history_lines_of(history)) if history else mine)
    if query.get("year"):
        statement = statement.where(CapitalLine.year == int(query["year"]))
    if query.get("program_id"):
        statement = statement.where(CapitalLine.program_id == query["program_id"])
    if query.get("source"):
        statement = statement.where(CapitalLine.source == query["source"])
    if query.get("capital_kind"):
        statement = statement.where(CapitalLine.capital_kind == query["capital_kind"])
    for term in search_terms(query.get("text", "")):
        statement = statement.where(CapitalLine.search_folded.contains(term, autoescape=True))
    return statement


#: sort keys of the line list (the lazy table asks for ids in this order)
LINE_SORT_KEYS = ("year", "program", "kind", "source", "assigned", "allocated",
                  "unallocated", "disbursed", "rate", "decision")


def line_ids(workspace: Workspace, query: dict, sort_key: str | None = None,
             descending: bool = False) -> list[uuid.UUID]:
    """Ids of the lines matching ``query`` (year, program_id, source, capital_kind, text),
    sorted in SQL (sums by subquery) by one of :data:`LINE_SORT_KEYS`."""
    allocated = (select(CapitalAllocation.line_id.label("line_id"),
                        func.sum(CapitalAllocation.amount).label("total"))
                 .where(_live(CapitalAllocation)).group_by(CapitalAllocation.line_id).subquery())
    disbursed = (select(CapitalAllocation.line_id.label("line_id"),
                        func.sum(CapitalPayment.amount).label("total"))
                 .join(CapitalPayment, CapitalPayment.allocation_id == CapitalAllocation.id)
                 .where(_live(CapitalAllocation), _live(CapitalPayment))
                 .group_by(CapitalAllocation.line_id).subquery())
    returned = (select(CapitalReturn.line_id.label("line_id"),
                       func.sum(CapitalReturn.amount).label("total"))
                .where(_live(CapitalReturn)).group_by(CapitalReturn.line_id).subquery())
    alloc_sum = func.coalesce(allocated.c.total, 0)
    paid_sum = func.coalesce(disbursed.c.total, 0)
    returned_sum = func.coalesce(returned.c.total, 0)
    keys = {
        "year": CapitalLine.year,
        "program": CapitalLine.program_id,
        "kind": CapitalLine.capital_kind,
        "source": CapitalLine.source,
        "assigned": CapitalLine.amount,
        "allocated": alloc_sum,
        "unallocated": CapitalLine.amount - returned_sum - alloc_sum,
        "disbursed": paid_sum,
        "rate": case((CapitalLine.amount > 0, paid_sum * literal(1.0) / CapitalLine.amount),
                     else_=literal(-1.0)),
        "decision": CapitalLine.decision_date,
    }
    statement = (select(CapitalLine.id)
                 .outerjoin(allocated, allocated.c.line_id == CapitalLine.id)
                 .outerjoin(disbursed, disbursed.c.line_id == CapitalLine.id)
                 .outerjoin(returned, returned.c.line_id == CapitalLine.id))
    statement = _line_filter(statement, workspace, query)
    order = []
    if sort_key in keys:
        column = keys[sort_key]
        order.append(column.desc() if descending else column.asc())
    order += [CapitalLine.year.desc(), CapitalLine.program_id, CapitalLine.capital_kind,
              CapitalLine.source, CapitalLine.id]
    with UnitOfWork.read(workspace) as session:
        return list(session.scalars(statement.order_by(*order)))


def lines_by_id(workspace: Workspace, ids: list[uuid.UUID], *, as_of: dt.date | None = None
                ) -> dict[uuid.UUID, LineInfo]:
    """The lines, with their figures as of ``as_of`` (default: today) and their states on
    that day; a line decided after ``as_of`` is left out."""
    if not ids:
        return {}
    today = as_of or workspace.today()
    config = capital_settings(workspace)
    with UnitOfWork.read(workspace) as session:
        names = catalog_names(session)
        rows = list(session.scalars(select(CapitalLine).where(CapitalLine.id.in_(ids),
                                                              _live(CapitalLine))))
        figures = figures_by_line(session, [r.id for r in rows], as_of=as_of)
        history = predecessor_titles(session, _unit(workspace))
        found = {row.id: _line_info(row, names, *figures[row.id], today, config)
                 for row in rows if row.id in figures}
    for ident, line in found.items():
        if line.owner_unit_id in history and line.audience_unit_id is None:
            found[ident] = replace(line, history_of=history[line.owner_unit_id],
                                   label=_history_label(line.label, history[line.owner_unit_id]))
    return found


def list_lines(workspace: Workspace, *, year: int | None = None, program_id: str | None = None,
               source: str | None = None, text: str = "", unit_id: str | None = None,
               as_of: dt.date | None = None) -> list[LineInfo]:
    """The unit's live lines, newest year first, then programme, kind and source (``as_of``:
    as they stood that day)."""
    query = {"year": year, "program_id": program_id, "source": source, "text": text}
    if unit_id:
        query["unit_id"] = unit_id
    ids = line_ids(workspace, query)
    found = lines_by_id(workspace, ids, as_of=as_of)
    return [found[i] for i in ids if i in found]


def get_line(workspace: Workspace, line_id: uuid.UUID) -> LineInfo:
    found = lines_by_id(workspace, [line_id])
    unit_id = _unit(workspace)
    if line_id not in found or (unit_id not in (found[line_id].owner_unit_id,
                                                found[line_id].audience_unit_id)
                                and not found[line_id].history_of):
        raise RecordNotFound(kind=_("Capital plan line"), ident=str(line_id))
    return found[line_id]


def plan_years(workspace: Workspace) -> list[int]:
    """Years that have lines (the unit's, and its predecessors' history), and this year,
    newest first."""
    with UnitOfWork.read(workspace) as session:
        history = predecessor_titles(session, _unit(workspace))
        mine = lines_of(_unit(workspace))
        years = set(session.scalars(select(CapitalLine.year).where(
            _live(CapitalLine), or_(mine, history_lines_of(history)) if history else mine)
            .distinct()))
    years.add(workspace.today().year)
    return sorted(years, reverse=True)


def line_search_text(names: CatalogNames, row: CapitalLine) -> str:
    component = names.components.get(row.component_id or "", ("", ""))
    return fold(" ".join([names.program(row.program_id), str(row.year),
                          names.kind(row.capital_kind), row.capital_kind,
                          names.source(row.source), row.source, component[0], component[1],
                          row.decision_number, row.decision_body, row.note]))


class LineOfParent(UserError):
    template = N_("The capital plan line “{line}” was assigned by {unit}; only that unit can "
                  "change or delete it. Nothing was changed.")


def _line_in_session(session: Session, line_id: uuid.UUID, unit_id: str, *,
                     edit: bool = False) -> CapitalLine:
    """The line, locked; ``edit``: the caller changes the line itself, which only its owner
    may do (a line the parent assigned is allocated, paid, carried over or returned by the
    child, never changed by it)."""
    row = session.get(CapitalLine, line_id, with_for_update=True)
    if row is None or row.deleted or unit_id not in (
            row.owner_unit_id, row.audience_unit_id if row.audience_unit_id != "*" else None):
        raise RecordNotFound(kind=_("Capital plan line"), ident=str(line_id))
    if edit and row.owner_unit_id != unit_id:
        from ctmtqg_desktop.services.catalog import unit_kind_label
        from ctmtqg_desktop.store.models.catalog import AdminUnit

        owner = session.get(AdminUnit, row.owner_unit_id)
        raise LineOfParent(line=line_label(catalog_names(session), row),
                           unit=f"UBND {unit_kind_label(owner.kind)} {owner.name}" if owner
                           else row.owner_unit_id)
    return row


def validate_line_values(session: Session, *, year, program_id, component_id, capital_kind,
                         source) -> None:
    """Every catalog reference of a line, checked (bad input: a Vietnamese sentence)."""
    if not isinstance(year, int) or not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise BadArgument(detail=_("The plan year must be between {low} and {high}.").format(
            low=YEAR_RANGE[0], high=YEAR_RANGE[1]))
    if session.get(Program, program_id) is None:
        raise BadArgument(detail=_("Unknown programme “{program}”.").format(program=program_id))
    if component_id:
        component = session.get(ProgramComponent, component_id)
        if component is None or component.program_id != program_id:
            raise BadArgument(detail=_("“{component}” is not a component of the programme "
                                       "“{program}”.").format(component=component_id,
                                                             program=program_id))
    if session.get(CapitalKind, capital_kind) is None:
        raise BadArgument(detail=_("Unknown capital kind “{kind}”.").format(kind=capital_kind))
    if session.get(CapitalSource, source) is None:
        raise BadArgument(detail=_("Unknown capital source “{source}”.").format(source=source))


def resolve_amount(amount: int | None, quantity: int | None, unit_value: int | None) -> int:
    """The line's amount, or the value of a contribution in labour days or in kind."""
    if quantity is not None or unit_value is not None:
        if quantity is None or unit_value is None or quantity <= 0 or unit_value <= 0:
            raise BadArgument(detail=_("A contribution in labour days or in kind needs both "
                                       "the quantity and the value per unit, above 0."))
        value = rules.contribution_value(quantity, unit_value)
        if amount not in (None, value):
            raise BadArgument(detail=_("The amount {amount} đồng is not the quantity times the "
                                       "value per unit ({value} đồng).").format(
                amount=_money(amount), value=_money(value)))
        return value
    if amount is None:
        raise BadArgument(detail=_("The assigned amount is missing."))
    if amount < 0:
        raise BadArgument(detail=_("The assigned amount cannot be negative."))
    return amount


def _money(value: int | None) -> str:
    from ctmtqg_desktop.domain.formats import format_number

    return format_number(value or 0)


def apply_line_values(session: Session, row: CapitalLine, names: CatalogNames, *, year: int,
                      program_id: str, component_id: str | None, capital_kind: str,
                      source: str, amount: int, quantity: int | None = None,
                      quantity_unit: str = "", unit_value: int | None = None,
                      decision_number: str = "", decision_date: dt.date | None = None,
                      decision_body: str = "", note: str = "") -> None:
    """Write checked values into ``row`` (shared by the form, the import and the demo)."""
    row.year = year
    row.program_id = program_id
    row.component_id = component_id or None
    row.capital_kind = capital_kind
    row.source = source
    row.amount = amount
    row.quantity = quantity
    row.quantity_unit = normalize(quantity_unit)
    row.unit_value = unit_value
    row.decision_number = normalize(decision_number)
    row.decision_date = decision_date
    row.decision_body = normalize(decision_body)
    row.note = normalize(note)
    row.search_folded = line_search_text(names, row)


@dataclass(frozen=True)
class LineInput:
    """What the capital plan line form (and the CLI, the workbook import) gives
    :func:`save_line`. ``amount`` or ``quantity`` × ``unit_value`` (``resolve_amount``)."""
    year: int
    program_id: str
    capital_kind: str
    source: str
    component_id: str | None = None
    amount: int | None = None
    quantity: int | None = None
    quantity_unit: str = ""
    unit_value: int | None = None
    decision_number: str = ""
    decision_date: dt.date | None = None
    decision_body: str = ""
    note: str = ""


def save_line(workspace: Workspace, line: LineInput | None = None, *,
              line_id: uuid.UUID | None = None, **values: Any) -> LineInfo:
    """Add a line, or change one (``line_id``); a change may not leave the line below its
    allocations. The line is a :class:`LineInput`, or its fields as keywords."""
    from ctmtqg_desktop.services import workbook_import as wb
    from ctmtqg_desktop.services.capital._columns import import_columns

    line = line if line is not None else LineInput(**values)
    # the limits the capital-plan workbook declares: a form and an import refuse the same text
    wb.check_text_lengths(import_columns(), {key: getattr(line, key) for key in (
        "quantity_unit", "decision_number", "decision_body", "note", "year", "amount",
        "quantity", "unit_value")})
    value = resolve_amount(line.amount, line.quantity, line.unit_value)
    wb.check_text_lengths(import_columns(), {"amount": value})  # a computed amount too
    with UnitOfWork(workspace) as uow:
        session = uow.session
        validate_line_values(session, year=line.year, program_id=line.program_id,
                             component_id=line.component_id, capital_kind=line.capital_kind,
                             source=line.source)
        names = catalog_names(session)
        if line_id is None:
            row = CapitalLine()
            session.add(row)
        else:
            row = _line_in_session(session, line_id, uow.context.unit_id, edit=True)
            figures, _carry = figures_by_line(session, [line_id])[line_id]
            check_row = CapitalLine(year=line.year, program_id=line.program_id,
                                    capital_kind=line.capital_kind, source=line.source,
                                    component_id=line.component_id)
            rules.check_plan(line_label(names, check_row), assigned=value,
                             returned=figures.returned, allocated=figures.allocated)
        apply_line_values(session, row, names, year=line.year, program_id=line.program_id,
                          component_id=line.component_id, capital_kind=line.capital_kind,
                          source=line.source, amount=value, quantity=line.quantity,
                          quantity_unit=line.quantity_unit, unit_value=line.unit_value,
                          decision_number=line.decision_number,
                          decision_date=line.decision_date, decision_body=line.decision_body,
                          note=line.note)
        uow.commit()
        saved = row.id
    return get_line(workspace, saved)


def delete_line(workspace: Workspace, line_id: uuid.UUID) -> None:
    """Tombstone a line that has no live allocation, carry-over or return."""
    with UnitOfWork(workspace) as uow:
        session = uow.session
        row = _line_in_session(session, line_id, uow.context.unit_id, edit=True)
        count = sum(session.execute(select(func.count()).where(
            model.line_id == line_id, _live(model))).scalar()
            for model in (CapitalAllocation, CapitalCarryOver, CapitalReturn))
        if count:
            raise rules.LineHasEntries(line=line_label(catalog_names(session), row), count=count)
        row.deleted = True
        uow.commit()


