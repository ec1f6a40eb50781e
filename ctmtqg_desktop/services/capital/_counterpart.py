"""Vốn đối ứng: counterpart-ratio rules as data, and the check of each programme's plan.

The Provincial People's Council sets how much local-budget capital (ngân sách tỉnh, huyện,
xã) must match the central budget's capital of each programme (Kon Tum: Nghị quyết
21/2022/NQ-HĐND for the DTTS programme; the tiers are unverified). Rules are synced records:

* a parent unit (district, province) writes them with ``audience_unit_id = "*"``, so that they
  flow down to every child unit in its packages;
* a unit may also keep its own rule (audience None) when the paper resolution reached it
  first;
* the application ships defaults (``resources/capital/counterpart-rules.json``), used for a
  programme and capital kind that no record covers, and marked as such.

For a year, the rule of a programme and capital kind is the record valid in that year from
the parent (preferred), else the unit's own, else the shipped default; among several, the
latest ``valid_from`` wins. The check shows, per programme and capital kind: the central
capital assigned, the ratio, the counterpart required, the counterpart assigned (lines whose
source is a counterpart source of the catalog) and the shortfall.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from ctmtqg_desktop.domain.capital import counterpart_required
from ctmtqg_desktop.domain.errors import BadArgument
from ctmtqg_desktop.domain.text import normalize
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services.capital import _rules as capital_rules
from ctmtqg_desktop.services.capital._records import lines_of
from ctmtqg_desktop.store.base import EVERY_CHILD
from ctmtqg_desktop.store.models.capital import CapitalLine, CounterpartRule
from ctmtqg_desktop.store.models.catalog import CapitalKind, CapitalSource, Program
from ctmtqg_desktop.store.uow import UnitOfWork, get_or_refuse
from ctmtqg_desktop.store.workspace import Workspace

#: where the rule in force came from
FROM_PARENT, OWN, DEFAULT = "parent", "own", "default"


@dataclass(frozen=True)
class RuleInfo:
    id: uuid.UUID | None
    program_id: str
    capital_kind: str
    ratio_bp: int
    legal_basis: str
    valid_from: dt.date
    valid_to: dt.date | None
    confidence: str
    origin: str
    owner_unit_id: str
    audience_unit_id: str | None
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.ratio_bp / 10000

    def valid_in(self, year: int) -> bool:
        return self.valid_from <= dt.date(year, 12, 31) and (
            self.valid_to is None or self.valid_to >= dt.date(year, 1, 1))


def origin_label(origin: str) -> str:
    return {FROM_PARENT: _("sent by the parent unit"), OWN: _("entered by this unit"),
            DEFAULT: _("application default")}.get(origin, origin)


def confidence_label(confidence: str) -> str:
    return {"confirmed": _("confirmed"), "partial": _("partly confirmed"),
            "unverified": _("not yet verified")}.get(confidence, confidence)


def rule_records(workspace: Workspace) -> list[RuleInfo]:
    """Live rule records this unit uses: its own, and those its parents addressed to it."""
    unit_id = workspace.installation().unit_id
    with UnitOfWork.read(workspace) as session:
        rows = session.scalars(select(CounterpartRule).where(
            CounterpartRule.deleted.is_(False),
            or_(CounterpartRule.owner_unit_id == unit_id,
                CounterpartRule.audience_unit_id.in_([EVERY_CHILD, unit_id])))
            .order_by(CounterpartRule.program_id, CounterpartRule.capital_kind,
                      CounterpartRule.valid_from))
        return [RuleInfo(r.id, r.program_id, r.capital_kind, r.ratio_bp, r.legal_basis,
                         r.valid_from, r.valid_to, r.confidence,
                         OWN if r.owner_unit_id == unit_id else FROM_PARENT, r.owner_unit_id,
                         r.audience_unit_id, r.note) for r in rows]


def default_rules() -> list[RuleInfo]:
    return [RuleInfo(None, d.program_id, d.capital_kind, d.ratio_bp, d.legal_basis,
                     d.valid_from, d.valid_to, d.confidence, DEFAULT, "", None, d.source)
            for d in capital_rules.counterpart_defaults()]


def effective_rules(workspace: Workspace, year: int) -> dict[tuple[str, str], RuleInfo]:
    """``{(programme, capital kind): rule}`` in force for ``year``."""
    preference = {FROM_PARENT: 0, OWN: 1, DEFAULT: 2}
    chosen: dict[tuple[str, str], RuleInfo] = {}
    for rule in rule_records(workspace) + default_rules():
        if not rule.valid_in(year):
            continue
        key = (rule.program_id, rule.capital_kind)
        current = chosen.get(key)
        if current is None or (preference[rule.origin], -rule.valid_from.toordinal()) < (
                preference[current.origin], -current.valid_from.toordinal()):
            chosen[key] = rule
    return chosen


def _check_rule(session, *, program_id: str, capital_kind: str, ratio_bp: int,
                legal_basis: str, valid_from: dt.date, valid_to: dt.date | None,
                confidence: str) -> str:
    if not isinstance(ratio_bp, int) or not 0 <= ratio_bp <= 10000:
        raise BadArgument(detail=_("The counterpart ratio must be between 0% and 100%."))
    if valid_to is not None and valid_to < valid_from:
        raise BadArgument(detail=_("The end of validity is before its start."))
    if confidence not in capital_rules.CONFIDENCE:
        raise BadArgument(detail=_("Unknown confidence “{value}”.").format(value=confidence))
    legal_basis = normalize(legal_basis)
    if not legal_basis:
        raise BadArgument(detail=_("Write the legal basis of the counterpart ratio."))
    if session.get(Program, program_id) is None:
        raise BadArgument(detail=_("Unknown programme “{program}”.").format(program=program_id))
    if session.get(CapitalKind, capital_kind) is None:
        raise BadArgument(detail=_("Unknown capital kind “{kind}”.").format(kind=capital_kind))
    return legal_basis


def _write_rule(row: CounterpartRule, *, role: str, program_id: str, capital_kind: str,
                ratio_bp: int, legal_basis: str, valid_from: dt.date,
                valid_to: dt.date | None, confidence: str, note: str) -> None:
    row.program_id = program_id
    row.capital_kind = capital_kind
    row.ratio_bp = ratio_bp
    row.legal_basis = legal_basis
    row.valid_from = valid_from
    row.valid_to = valid_to
    row.confidence = confidence
    row.note = normalize(note)
    # a parent unit's rule is for every child unit; a unit's own travels up only
    row.audience_unit_id = EVERY_CHILD if role == "parent" else None


def save_rule(workspace: Workspace, *, program_id: str, capital_kind: str, ratio_bp: int,
              legal_basis: str, valid_from: dt.date, valid_to: dt.date | None = None,
              confidence: str = "unverified", note: str = "",
              rule_id: uuid.UUID | None = None) -> RuleInfo:
    """Write a rule. A parent unit's rule is addressed to every child unit (``*``)."""
    role = workspace.installation().role
    with UnitOfWork(workspace) as uow:
        session = uow.session
        legal_basis = _check_rule(session, program_id=program_id, capital_kind=capital_kind,
                                  ratio_bp=ratio_bp, legal_basis=legal_basis,
                                  valid_from=valid_from, valid_to=valid_to,
                                  confidence=confidence)
        if rule_id is None:
            row = CounterpartRule()
            session.add(row)
        else:
            row = get_or_refuse(session, CounterpartRule, rule_id,
                                kind=_("Counterpart-ratio rule"), owner=uow.context.unit_id)
        _write_rule(row, role=role, program_id=program_id, capital_kind=capital_kind,
                    ratio_bp=ratio_bp, legal_basis=legal_basis, valid_from=valid_from,
                    valid_to=valid_to, confidence=confidence, note=note)
        uow.commit()
        return RuleInfo(row.id, program_id, capital_kind, ratio_bp, legal_basis, valid_from,
                        valid_to, confidence, OWN, row.owner_unit_id, row.audience_unit_id,
                        row.note)


def delete_rule(workspace: Workspace, rule_id: uuid.UUID) -> None:
    with UnitOfWork(workspace) as uow:
        row = get_or_refuse(uow.session, CounterpartRule, rule_id,
                            kind=_("Counterpart-ratio rule"), owner=uow.context.unit_id)
        row.deleted = True
        uow.commit()


def adopt_defaults(workspace: Workspace) -> int:
    """Copy the shipped defaults into rule records this unit owns (a parent unit then sends
    them down), all in one unit of work; rules it already has for the same programme, kind
    and start are kept."""
    existing = {(r.program_id, r.capital_kind, r.valid_from) for r in rule_records(workspace)
                if r.origin == OWN}
    role = workspace.installation().role
    added = 0
    with UnitOfWork(workspace) as uow:
        for rule in default_rules():
            if (rule.program_id, rule.capital_kind, rule.valid_from) in existing:
                continue
            values = dict(program_id=rule.program_id, capital_kind=rule.capital_kind,
                          ratio_bp=rule.ratio_bp, legal_basis=rule.legal_basis,
                          valid_from=rule.valid_from, valid_to=rule.valid_to,
                          confidence=rule.confidence)
            values["legal_basis"] = _check_rule(uow.session, **values)
            row = CounterpartRule()
            uow.session.add(row)
            _write_rule(row, role=role, note=rule.note, **values)
            added += 1
        uow.commit()
    return added


# ---------------------------------------------------------------------------- the check
@dataclass(frozen=True)
class CounterpartCheck:
    program_id: str
    program_label: str
    capital_kind: str
    kind_name: str
    #: NSTW capital assigned for the programme and kind in the year
    central: int
    rule: RuleInfo | None
    required: int
    #: counterpart capital assigned (sources marked "counterpart" in the catalog)
    assigned: int

    @property
    def shortfall(self) -> int:
        return max(0, self.required - self.assigned)

    @property
    def state(self) -> str:
        return "late" if self.shortfall > 0 else "normal"


def check(workspace: Workspace, year: int) -> list[CounterpartCheck]:
    """Per programme and capital kind of ``year``: required, assigned and shortfall."""
    unit_id = workspace.installation().unit_id
    in_force = effective_rules(workspace, year)
    with UnitOfWork.read(workspace) as session:
        sources = {s.code: s for s in session.scalars(select(CapitalSource))}
        programs = {p.id: p for p in session.scalars(select(Program))}
        kinds = {k.code: k.name for k in session.scalars(select(CapitalKind))}
        sums = session.execute(
            select(CapitalLine.program_id, CapitalLine.capital_kind, CapitalLine.source,
                   func.sum(CapitalLine.amount))
            .where(CapitalLine.deleted.is_(False), lines_of(unit_id),
                   CapitalLine.year == year)
            .group_by(CapitalLine.program_id, CapitalLine.capital_kind,
                      CapitalLine.source)).all()
    central: dict[tuple[str, str], int] = {}
    counterpart: dict[tuple[str, str], int] = {}
    for program_id, kind, source, amount in sums:
        info = sources.get(source)
        key = (program_id, kind)
        if info is not None and info.group == "central":
            central[key] = central.get(key, 0) + int(amount)
        elif info is not None and info.counterpart:
            counterpart[key] = counterpart.get(key, 0) + int(amount)
    keys = set(central) | set(counterpart) | {k for k in in_force if k in central}
    result = []
    for key in keys:
        program_id, kind = key
        rule = in_force.get(key)
        base = central.get(key, 0)
        required = counterpart_required(base, rule.ratio_bp) if rule else 0
        program = programs.get(program_id)
        result.append(CounterpartCheck(
            program_id, program.abbreviation if program else program_id, kind,
            kinds.get(kind, kind), base, rule, required, counterpart.get(key, 0)))
    order = {p.id: p.sort_order for p in programs.values()}
    return sorted(result, key=lambda c: (order.get(c.program_id, 99), c.capital_kind))
