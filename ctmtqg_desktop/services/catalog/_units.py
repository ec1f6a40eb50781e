"""Looking things up in the reference catalog: units (by code and validity date, never by
name) and their successions, programmes and their components, capital kinds and sources,
criteria and project kinds. Loading the catalog is ``_loading``'s.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ctmtqg_desktop.domain.errors import AmbiguousUnit, UnitNotFound, UserError
from ctmtqg_desktop.domain.formats import format_date
from ctmtqg_desktop.domain.text import search_terms
from ctmtqg_desktop.domain.unit_refs import UnitRef, Validity
from ctmtqg_desktop.i18n import N_, _, pgettext
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
    UnitAttributeHistory,
    UnitKeyCorrection,
    UnitSuccession,
)
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace

#: municipality: thành phố trực thuộc trung ương; special_zone: đặc khu (from 01/07/2025,
#: Luật Tổ chức chính quyền địa phương số 72/2025/QH15); district_town: thị xã (a
#: district-level town until 30/06/2025, e.g. thị xã Đức Phổ); town: thị trấn (commune level)
UNIT_KINDS = ("province", "municipality", "city", "district", "district_town", "town",
              "commune", "ward", "special_zone")
CONFIDENCE = ("confirmed", "partial", "unverified")
#: component: hợp phần (2026-2035); project: dự án; subproject: tiểu dự án; content: nội dung
COMPONENT_LEVELS = ("component", "project", "subproject", "content")


# ---------------------------------------------------------------------------- looking up
def unit_kind_label(kind: str) -> str:
    labels = {
        "province": pgettext("unit kind", "province"),
        "municipality": pgettext("unit kind", "municipality"),
        "special_zone": pgettext("unit kind", "special zone"),
        "city": pgettext("unit kind", "city"),
        "district": pgettext("unit kind", "district"),
        "district_town": pgettext("unit kind", "district-level town"),
        "town": pgettext("unit kind", "town"),
        "commune": pgettext("unit kind", "commune"),
        "ward": pgettext("unit kind", "ward"),
    }
    return labels.get(kind, kind)


@dataclass(frozen=True)
class UnitInfo:
    """A unit as the user sees it: ``Xã Đắk La`` under ``huyện Đắk Hà, tỉnh Kon Tum``."""

    id: str
    code: str
    name: str
    kind: str
    parent_id: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    confidence: str
    ancestors: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        label = unit_kind_label(self.kind)
        return f"{label[:1].upper()}{label[1:]} {self.name}"

    @property
    def full_name(self) -> str:
        return ", ".join((self.title, *self.ancestors))

    @property
    def validity_text(self) -> str:
        if self.valid_from and self.valid_to:
            return _("from {start} to {end}").format(start=format_date(self.valid_from),
                                                     end=format_date(self.valid_to))
        if self.valid_to:
            return _("until {end}").format(end=format_date(self.valid_to))
        if self.valid_from:
            return _("from {start}").format(start=format_date(self.valid_from))
        return ""

    def valid_on(self, day: dt.date) -> bool:
        return Validity(self.valid_from, self.valid_to).contains(day)


def kinds_on(session: Session, day: dt.date) -> dict[str, str]:
    """``{unit: kind}`` on ``day`` for the units whose kind changed without a new unit
    (``unit_attribute_history``: Đồng Nai a tỉnh until 29/04/2026, a thành phố trực thuộc
    trung ương from 30/04/2026); other units keep the kind in ``admin_unit``."""
    return {row.unit_id: row.value for row in session.scalars(
        select(UnitAttributeHistory).where(
            UnitAttributeHistory.attribute == "kind", UnitAttributeHistory.valid_from <= day,
            (UnitAttributeHistory.valid_to.is_(None)) | (UnitAttributeHistory.valid_to >= day)))}


def _unit_infos(session: Session, rows: list[AdminUnit], *,
                on: dt.date | None = None) -> list[UnitInfo]:
    """Plain copies of ``rows`` with their ancestors' names (parents read once each);
    ``on``: with each unit's kind on that day (:func:`kinds_on`)."""
    kinds = kinds_on(session, on) if on is not None else {}
    result = []
    for row in rows:
        ancestors, parent_id = [], row.parent_id
        while parent_id:
            parent = session.get(AdminUnit, parent_id)
            if parent is None:
                break
            ancestors.append(f"{unit_kind_label(kinds.get(parent.id, parent.kind))} "
                             f"{parent.name}")
            parent_id = parent.parent_id
        result.append(UnitInfo(row.id, row.code, row.name, kinds.get(row.id, row.kind),
                               row.parent_id, row.valid_from, row.valid_to, row.confidence,
                               tuple(ancestors)))
    return result


def get_unit(workspace: Workspace, unit_id: str, *, on: dt.date | None = None) -> UnitInfo:
    """The unit (``on``: as it was on that day: its kind then)."""
    with UnitOfWork.read(workspace) as session:
        row = session.get(AdminUnit, unit_id)
        if row is None:
            raise UnitNotFound(code=unit_id, when="")
        return _unit_infos(session, [row], on=on)[0]


def unit_title_on(workspace: Workspace, unit_id: str, on: dt.date | None) -> str:
    """``tỉnh Đồng Nai``: the unit as a sentence (a report's subject) names it on ``on``,
    with its kind that day (``unit_attribute_history``: Đồng Nai a tỉnh on 15/01/2026, a
    thành phố trực thuộc trung ương from 30/04/2026); its name is the key's (a renamed unit
    is a new key in the catalog). The one lookup every report's subject uses."""
    unit = get_unit(workspace, unit_id, on=on)
    return f"{unit_kind_label(unit.kind)} {unit.name}"


def resolve_unit(workspace: Workspace, ref: UnitRef) -> UnitInfo:
    """The unit a code (and optional date) names; ambiguity is an error, never a guess."""
    # official codes keep their leading zeros: "1" is Hà Nội's "01", "4" a commune's "00004"
    codes = {ref.code, ref.code.zfill(2), ref.code.zfill(5)}
    with UnitOfWork.read(workspace) as session:
        rows = list(session.scalars(select(AdminUnit).where(AdminUnit.code.in_(codes))))
        infos = _unit_infos(session, rows)
        if len({u.code for u in infos}) > 1:  # "1" and "01": the code as typed wins
            infos = [u for u in infos if u.code == ref.code] or infos
    if ref.on is not None:
        infos = [u for u in infos if u.valid_on(ref.on)]
    if not infos:
        when = _(" on {date}").format(date=format_date(ref.on)) if ref.on else ""
        raise UnitNotFound(code=ref.code, when=when)
    if len(infos) > 1:
        candidates = "; ".join(f"{u.full_name} ({u.validity_text})" for u in infos)
        raise AmbiguousUnit(code=ref.code, candidates=candidates)
    return infos[0]


def _match_rank(terms: list[str], folded_name: str, code: str) -> int | None:
    """How well a unit matches the query's words: lower is better, None is no match."""
    if not terms:
        return 3
    words = folded_name.split(" ")
    if " ".join(terms) == folded_name or terms == [code]:
        return 0
    if all(any(w.startswith(t) for w in words) or code.startswith(t) for t in terms):
        return 1
    if all(t in folded_name or code.startswith(t) for t in terms):
        return 2
    return None


def search_units(workspace: Workspace, query: str, *, kinds: tuple[str, ...] = (),
                 on: dt.date | None = None, limit: int = 200) -> list[UnitInfo]:
    """Units whose name or code matches ``query``, diacritics ignored ("dak ha" → Đắk Hà).

    Whole-name and whole-word matches come first, then partial ones; each group by name.
    """
    terms = search_terms(query)
    with UnitOfWork.read(workspace) as session:
        statement = select(AdminUnit).where(AdminUnit.retired.is_(False))
        if kinds:
            statement = statement.where(AdminUnit.kind.in_(kinds))
        ranked = []
        for row in session.scalars(statement):
            rank = _match_rank(terms, row.name_folded, row.code)
            if rank is not None:
                ranked.append((rank, row.name_folded, row.id, row))
        ranked.sort(key=lambda item: item[:3])
        infos = _unit_infos(session, [item[3] for item in ranked], on=on)
    if on is not None:
        infos = [u for u in infos if u.valid_on(on)]
    return infos[:limit]


def child_units(workspace: Workspace, parent_id: str, *, on: dt.date | None = None
                ) -> list[UnitInfo]:
    with UnitOfWork.read(workspace) as session:
        rows = list(session.scalars(select(AdminUnit).where(AdminUnit.parent_id == parent_id)
                                    .order_by(AdminUnit.name_folded)))
        infos = _unit_infos(session, rows, on=on)
    return [u for u in infos if on is None or u.valid_on(on)]


@dataclass(frozen=True)
class SuccessionInfo:
    old_unit_id: str
    new_unit_id: str
    effective_on: dt.date
    legal_basis: str


def successions(workspace: Workspace, unit_id: str) -> tuple[list[SuccessionInfo],
                                                             list[SuccessionInfo]]:
    """(units this one continued from, units this one continued as)."""
    with UnitOfWork.read(workspace) as session:
        rows = list(session.scalars(select(UnitSuccession).where(
            (UnitSuccession.old_unit_id == unit_id) | (UnitSuccession.new_unit_id == unit_id))))
        infos = [SuccessionInfo(r.old_unit_id, r.new_unit_id, r.effective_on, r.legal_basis)
                 for r in rows]
    return ([s for s in infos if s.new_unit_id == unit_id],
            [s for s in infos if s.old_unit_id == unit_id])


def predecessor_titles(session: Session, unit_id: str) -> dict[str, str]:
    """``{old unit: "Xã Đắk La"}``: the units ``unit_id`` continues (the catalog's
    successions, followed back: a commune created by the merger of 01/07/2025, NQ
    1677/NQ-UBTVQH15, continues its predecessor communes, and theirs for a unit merged
    twice). Their records held here are the new unit's history: shown in the lists and
    reports of their years, labelled with the old unit (:func:`history_label`), and
    read-only (:func:`refuse_history`). The one place every area looks this up."""
    found: dict[str, str] = {}
    todo = [unit_id]
    while todo and len(found) < 500:
        olds = [old for old in session.scalars(select(UnitSuccession.old_unit_id).where(
            UnitSuccession.new_unit_id.in_(todo))) if old not in found and old != unit_id]
        for ident, kind, name in session.execute(select(
                AdminUnit.id, AdminUnit.kind, AdminUnit.name).where(AdminUnit.id.in_(olds))):
            label = unit_kind_label(kind)
            found[ident] = f"{label[:1].upper()}{label[1:]} {name}"
        todo = [old for old in olds if old in found]
    return found


def merged_on(session: Session, unit_id: str) -> dt.date | None:
    """The day ``unit_id`` began by continuing other units (01/07/2025 for a merged
    commune), or None: a period that ends before it belongs to the predecessors' years."""
    return session.scalar(select(func.min(UnitSuccession.effective_on)).where(
        UnitSuccession.new_unit_id == unit_id))


def history_label(text: str, old_unit_title: str) -> str:
    """A predecessor's record as a list or a report names it: "… — Xã Đắk La (trước sắp
    xếp)"."""
    return _("{label} — {unit} (before the merger)").format(label=text, unit=old_unit_title)


class HistoryReadOnly(UserError):
    template = N_("“{record}” belongs to {unit} before the merger: it is this unit's history "
                  "and can only be read here. Nothing was changed.")


def _here(workspace: Workspace) -> str:
    info = workspace.installation()
    assert info is not None  # records are read and written in an initialised workspace
    return info.unit_id


def own_history(session: Session, workspace: Workspace) -> dict[str, str]:
    """:func:`predecessor_titles` of the workspace's own unit."""
    return predecessor_titles(session, _here(workspace))


def history_units(workspace: Workspace) -> dict[str, str]:
    """:func:`own_history` in its own read: what a screen needs to offer a merged unit's
    history ("… của đơn vị trước sắp xếp") only when there is some."""
    with UnitOfWork.read(workspace) as session:
        return own_history(session, workspace)


def refuse_history(session: Session, workspace: Workspace, owner_unit_id: str,
                   record: str) -> None:
    """Refuse (:class:`HistoryReadOnly`) a change to a record a predecessor of the
    workspace's unit owns (its history, read-only after the merger)."""
    unit_id = _here(workspace)
    if owner_unit_id == unit_id:
        return
    titles = predecessor_titles(session, unit_id)
    if owner_unit_id in titles:
        raise HistoryReadOnly(record=record, unit=titles[owner_unit_id])


def successor_on(workspace: Workspace, unit_id: str, day: dt.date) -> UnitInfo | None:
    """The unit ``unit_id`` continues as on ``day`` (following successions: Đắk La 23524 →
    Đăk Hà 23500@2025-07-01), or None when it has none in force (a district, abolished on
    01/07/2025 by Luật 72/2025/QH15)."""
    with UnitOfWork.read(workspace) as session:
        current, seen = unit_id, {unit_id}
        while True:
            rows = list(session.scalars(select(UnitSuccession).where(
                UnitSuccession.old_unit_id == current, UnitSuccession.effective_on <= day)))
            if not rows:
                break
            # the latest succession; a unit split among several new ones (Trà Bùi 21142 →
            # Cà Đam and Tây Trà Bồng) follows the first by key, as UnitMap does
            latest = max(r.effective_on for r in rows)
            current = min(r.new_unit_id for r in rows if r.effective_on == latest)
            if current in seen:
                break
            seen.add(current)
        if current == unit_id:
            return None
        row = session.get(AdminUnit, current)
        return _unit_infos(session, [row])[0] if row is not None else None


class UnitEnded(UserError):
    """The unit chosen no longer exists on the working date (sắp xếp đơn vị hành chính)."""

    exit_code = 2
    template = N_("{unit} existed until {end}; {successor_sentence}{hint} Nothing was "
                  "changed.")


def ended_notice(workspace: Workspace, unit: UnitInfo, day: dt.date) -> str | None:
    """A Vietnamese sentence when ``unit`` no longer exists on ``day``: its end and what it
    continues as; None while it is in force."""
    if unit.valid_to is None or day <= unit.valid_to:
        return None
    successor = successor_on(workspace, unit.id, day)
    if successor is None:
        return _("{unit} existed until {end} and has no successor in the catalog (the district "
                 "level ended on 01/07/2025, Luật 72/2025/QH15).").format(
            unit=unit.full_name, end=format_date(unit.valid_to))
    return _("{unit} existed until {end}; since {start} it continues as {successor} ({key})."
             ).format(unit=unit.full_name, end=format_date(unit.valid_to),
                      start=format_date(successor.valid_from or unit.valid_to),
                      successor=successor.full_name, key=successor.id)


def require_in_force(workspace: Workspace, unit: UnitInfo, day: dt.date, *,
                     history_hint: bool = True) -> None:
    """Refuse a unit that ended before ``day`` (named without a date), saying its successor."""
    if unit.valid_to is None or day <= unit.valid_to:
        return
    successor = successor_on(workspace, unit.id, day)
    if successor is None:
        sentence = _("it has no successor in the catalog (the district level ended on "
                     "01/07/2025, Luật 72/2025/QH15).")
    else:
        sentence = _("since {start} it continues as {successor}: use {key}.").format(
            start=format_date(successor.valid_from or unit.valid_to),
            successor=successor.full_name, key=successor.id)
    example = f"{unit.code}@{(unit.valid_from or unit.valid_to).isoformat()}"
    hint = (" " + _("To work on its history, name the date explicitly, e.g. {example}.").format(
        example=example)) if history_hint else ""
    raise UnitEnded(unit=unit.full_name, end=unit.valid_to, successor_sentence=sentence,
                    hint=hint)


@dataclass(frozen=True)
class ComponentNode:
    """A programme or one of its components, with its children, for trees and pickers."""

    id: str
    code: str
    name: str
    level: str
    confidence: str
    children: tuple[ComponentNode, ...] = ()
    legal_basis: str = ""
    period_id: str = ""

    def walk(self) -> Iterator[ComponentNode]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class ProgramInfo:
    id: str
    code: str
    name: str
    short_name: str
    abbreviation: str
    period_id: str


def programs(workspace: Workspace, *, period_id: str | None = None) -> list[ProgramInfo]:
    with UnitOfWork.read(workspace) as session:
        statement = select(Program).order_by(Program.period_id, Program.sort_order)
        if period_id:
            statement = statement.where(Program.period_id == period_id)
        return [ProgramInfo(p.id, p.code, p.name, p.short_name, p.abbreviation, p.period_id)
                for p in session.scalars(statement)]


def program_tree(workspace: Workspace) -> list[ComponentNode]:
    """Every period's programmes, each with its projects, sub-projects and contents."""
    with UnitOfWork.read(workspace) as session:
        programs_rows = list(session.scalars(select(Program).order_by(Program.period_id,
                                                                      Program.sort_order)))
        components = list(session.scalars(select(ProgramComponent).order_by(
            ProgramComponent.sort_order)))
    by_parent: dict[str | None, list[ProgramComponent]] = {}
    roots: dict[str, list[ProgramComponent]] = {}
    for component in components:
        if component.parent_id:
            by_parent.setdefault(component.parent_id, []).append(component)
        else:
            roots.setdefault(component.program_id, []).append(component)

    def build(component: ProgramComponent) -> ComponentNode:
        return ComponentNode(component.id, component.code, component.name, component.level,
                             component.confidence,
                             tuple(build(c) for c in by_parent.get(component.id, [])))

    return [
        ComponentNode(p.id, p.code, p.name, "program", "confirmed",
                      tuple(build(c) for c in roots.get(p.id, [])), p.legal_basis, p.period_id)
        for p in programs_rows
    ]


def component_choices(workspace: Workspace) -> list[tuple[str, str]]:
    """``(id, "DA3/TDA2: name")`` of every programme's projects, sub-projects and contents,
    for the component combos of the forms."""
    choices = []
    for program in program_tree(workspace):
        for node in program.walk():
            if node.level != "program":
                path = "/".join(node.id.split("/")[2:])
                choices.append((node.id, f"{path}: {node.name}"))
    return choices


def component_path_label(component_id: str) -> str:
    """``DTTS › DA3 › TDA2`` short path of a component key, for lists."""
    parts = component_id.split("/")
    return " › ".join(parts[1:]) if len(parts) > 1 else component_id


@dataclass(frozen=True)
class CapitalSourceInfo:
    code: str
    name: str
    group: str
    counterpart: bool


def capital_sources(workspace: Workspace, *, period_id: str | None = None
                    ) -> list[CapitalSourceInfo]:
    """Every capital source, or those offered for ``period_id`` (a source lists its periods:
    the district budget, NSĐP cấp huyện, only 2021-2025)."""
    with UnitOfWork.read(workspace) as session:
        rows = list(session.scalars(select(CapitalSource).order_by(CapitalSource.sort_order)))
    if period_id is not None:
        rows = [s for s in rows if not json.loads(s.periods or "{}")
                or period_id in json.loads(s.periods)]
    return [CapitalSourceInfo(s.code, s.name, s.group, s.counterpart) for s in rows]


def period_of_year(workspace: Workspace, year: int) -> str | None:
    """The programme period a plan year belongs to (2023 → 2021-2025, 2026 → 2026-2035)."""
    day = dt.date(year, 7, 1)
    with UnitOfWork.read(workspace) as session:
        for period in session.scalars(select(ProgramPeriod).order_by(ProgramPeriod.valid_from)):
            if Validity(period.valid_from, period.valid_to).contains(day):
                return period.id
    return None


def period_years(workspace: Workspace) -> dict[str, tuple[int, int]]:
    """``{period id: (first year, last year)}`` of the programme periods (2021-2025 →
    (2021, 2025); 2026-2035 → (2026, 2035)): which programmes a plan year or a project of
    a year may use (Nghị quyết 257/2025/QH15 merges the three from 2026)."""
    with UnitOfWork.read(workspace) as session:
        return {p.id: (p.valid_from.year, p.valid_to.year if p.valid_to else 9999)
                for p in session.scalars(select(ProgramPeriod))}


def programs_of_year(programs: list[ProgramInfo], years: dict[str, tuple[int, int]],
                     year: int) -> list[ProgramInfo]:
    """The programmes of the period ``year`` falls in (all of them when none matches)."""
    found = [p for p in programs
             if years.get(p.period_id, (0, 9999))[0] <= year <= years.get(p.period_id,
                                                                           (0, 9999))[1]]
    return found or list(programs)


@dataclass(frozen=True)
class CapitalKindRule:
    code: str
    name: str
    legal_basis: str
    carry_over_rule: str
    confidence: str


def capital_kind_rule(workspace: Workspace, code: str, year: int) -> CapitalKindRule | None:
    """The law a capital kind follows in ``year``'s period (vốn ĐTPT: Luật Đầu tư công
    39/2019/QH14 for 2021-2025, 58/2024/QH15 from 2026; vốn sự nghiệp: Luật NSNN)."""
    period = period_of_year(workspace, year)
    with UnitOfWork.read(workspace) as session:
        kind = session.get(CapitalKind, code)
    if kind is None:
        return None
    facts = json.loads(kind.periods or "{}").get(period or "", {})
    return CapitalKindRule(code, kind.name, facts.get("legal_basis", kind.legal_basis),
                           facts.get("carry_over_rule", kind.carry_over_rule),
                           facts.get("confidence", kind.confidence))


def capital_kinds(workspace: Workspace) -> list[tuple[str, str]]:
    with UnitOfWork.read(workspace) as session:
        return [(k.code, k.name) for k in session.scalars(select(CapitalKind))]


@dataclass(frozen=True)
class CriterionInfo:
    number: int
    name: str
    group: str
    confidence: str


def ntm_criteria(workspace: Workspace, period_id: str = "2021-2025") -> list[CriterionInfo]:
    with UnitOfWork.read(workspace) as session:
        return [CriterionInfo(c.number, c.name, c.group, c.confidence)
                for c in session.scalars(select(NtmCriterion).where(
                    NtmCriterion.period_id == period_id).order_by(NtmCriterion.number))]


def corrected_unit_keys(workspace: Workspace) -> dict[str, str]:
    """``{wrong key: right key}`` this workspace was re-keyed for (migration 0701_today):
    records that named an inferred 2025 code now name the official one."""
    with UnitOfWork.read(workspace) as session:
        meta = session.get(CatalogMeta, "unit_keys_corrected")
    if meta is None:
        return {}
    return {wrong: entry["right_key"] for wrong, entry in json.loads(meta.value).items()}


def key_corrections(workspace: Workspace) -> dict[str, str]:
    """Every ``{wrong key: right key}`` the catalog knows (for packages of peers that have not
    upgraded yet)."""
    with UnitOfWork.read(workspace) as session:
        return {c.wrong_key: c.right_key for c in session.scalars(select(UnitKeyCorrection))}


def all_units(workspace: Workspace) -> list[UnitInfo]:
    """Every unit of the catalog (retired ones left out), parents before children."""
    with UnitOfWork.read(workspace) as session:
        rows = list(session.scalars(select(AdminUnit).where(AdminUnit.retired.is_(False))
                                    .order_by(AdminUnit.kind, AdminUnit.name_folded)))
        return _unit_infos(session, rows)


def all_successions(workspace: Workspace) -> list[SuccessionInfo]:
    with UnitOfWork.read(workspace) as session:
        return [SuccessionInfo(r.old_unit_id, r.new_unit_id, r.effective_on, r.legal_basis)
                for r in session.scalars(select(UnitSuccession))]


@dataclass(frozen=True)
class ProjectKindInfo:
    code: str
    name: str
    group: str
    legal_basis: str


def project_kinds(workspace: Workspace) -> list[ProjectKindInfo]:
    with UnitOfWork.read(workspace) as session:
        return [ProjectKindInfo(k.code, k.name, k.group, k.legal_basis)
                for k in session.scalars(select(ProjectKind).order_by(ProjectKind.sort_order))]
