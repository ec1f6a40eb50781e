"""The reference catalog: load it from data files, keep it current, look things up.

Sources: ``resources/catalog`` (shipped) or an update folder sent down by the parent unit,
each with a ``manifest.json`` naming its files and its ``catalog_version``. A workspace loads
a newer catalog over an older one (rows are upserted; rows that disappear are marked
retired, never deleted, because records may refer to them). Units and programmes are looked
up by code and validity date, never by name.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ctmtqg_desktop.domain.errors import AmbiguousUnit, CatalogInvalid, UnitNotFound
from ctmtqg_desktop.domain.formats import format_date
from ctmtqg_desktop.domain.text import fold, normalize, search_terms
from ctmtqg_desktop.domain.unit_refs import UnitRef, Validity
from ctmtqg_desktop.i18n import _, pgettext
from ctmtqg_desktop.resource_paths import resource_path
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
    UnitSuccession,
)
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace

UNIT_KINDS = ("province", "city", "district", "town", "commune", "ward")
CONFIDENCE = ("confirmed", "partial", "unverified")
COMPONENT_LEVELS = ("project", "subproject", "content")


def shipped_catalog_dir() -> Path:
    return resource_path("catalog")


# ---------------------------------------------------------------------------- reading
@dataclass
class CatalogData:
    """A catalog read and validated from files, ready to install."""

    version: int
    title: str
    units: list[dict] = field(default_factory=list)
    successions: list[dict] = field(default_factory=list)
    periods: list[dict] = field(default_factory=list)
    programs: list[dict] = field(default_factory=list)
    components: list[dict] = field(default_factory=list)
    capital_kinds: list[dict] = field(default_factory=list)
    capital_sources: list[dict] = field(default_factory=list)
    criteria: list[dict] = field(default_factory=list)
    project_kinds: list[dict] = field(default_factory=list)


class _Reader:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def fail(self, file: str, line: int, reason: str):
        raise CatalogInvalid(file=file, line=line, reason=reason)

    def text(self, name: str) -> str:
        path = self.folder / name
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.fail(name, 0, _("the file is missing"))
        except UnicodeDecodeError:
            self.fail(name, 0, _("the file is not UTF-8 text"))

    def json(self, name: str) -> dict:
        try:
            return json.loads(self.text(name))
        except json.JSONDecodeError as error:
            self.fail(name, error.lineno, error.msg)

    def csv(self, name: str, required: tuple[str, ...]) -> list[tuple[int, dict]]:
        reader = csv.DictReader(io.StringIO(self.text(name)))
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            self.fail(name, 1, _("missing columns: {columns}").format(columns=", ".join(missing)))
        rows = []
        for row in reader:
            line = reader.line_num
            clean = {k: normalize(v) for k, v in row.items() if k is not None}
            for column in required:
                if column in ("parent_id", "valid_from", "valid_to"):
                    continue
                if not clean.get(column):
                    self.fail(name, line, _("the column {column} is empty").format(column=column))
            rows.append((line, clean))
        return rows

    def date(self, file: str, line: int, text: str | None) -> dt.date | None:
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            self.fail(file, line, _("“{text}” is not a date (YYYY-MM-DD)").format(text=text))


def read_catalog(folder: Path | None = None) -> CatalogData:
    """Read and validate a catalog folder; a bad file is refused with its name and line."""
    reader = _Reader(folder or shipped_catalog_dir())
    manifest = reader.json("manifest.json")
    files = manifest.get("files") or {}
    version = manifest.get("catalog_version")
    if not isinstance(version, int) or version < 1:
        reader.fail("manifest.json", 1, _("catalog_version must be a positive whole number"))
    data = CatalogData(version=version, title=manifest.get("title", ""))

    if "units" in files:
        name = files["units"]
        columns = ("id", "code", "name", "kind", "parent_id", "valid_from", "valid_to",
                   "confidence")
        seen: set[str] = set()
        for line, row in reader.csv(name, columns):
            if row["id"] in seen:
                reader.fail(name, line, _("the unit key {key} appears twice").format(key=row["id"]))
            if row["kind"] not in UNIT_KINDS:
                reader.fail(name, line, _("unknown unit kind “{kind}”").format(kind=row["kind"]))
            if row["confidence"] not in CONFIDENCE:
                reader.fail(name, line, _("unknown confidence “{value}”").format(
                    value=row["confidence"]))
            seen.add(row["id"])
            data.units.append({
                "id": row["id"], "code": row["code"], "name": row["name"],
                "name_folded": fold(row["name"]), "kind": row["kind"],
                "parent_id": row["parent_id"] or None,
                "valid_from": reader.date(name, line, row["valid_from"]),
                "valid_to": reader.date(name, line, row["valid_to"]),
                "confidence": row["confidence"], "source": row.get("source", ""),
                "_line": line,
            })
        for unit in data.units:
            if unit["parent_id"] and unit["parent_id"] not in seen:
                reader.fail(name, unit["_line"], _("the parent unit {key} is not in the file")
                            .format(key=unit["parent_id"]))
        for unit in data.units:
            del unit["_line"]

    if "unit_successions" in files:
        name = files["unit_successions"]
        known = {u["id"] for u in data.units}
        for line, row in reader.csv(name, ("old_unit_id", "new_unit_id", "effective_on")):
            for key in (row["old_unit_id"], row["new_unit_id"]):
                if key not in known:
                    reader.fail(name, line, _("unknown unit key {key}").format(key=key))
            data.successions.append({
                "old_unit_id": row["old_unit_id"], "new_unit_id": row["new_unit_id"],
                "effective_on": reader.date(name, line, row["effective_on"]),
                "legal_basis": row.get("legal_basis", ""),
            })

    if "programs" in files:
        _read_programs(reader, files["programs"], data)

    if "capital" in files:
        capital = reader.json(files["capital"])
        for kind in capital.get("capital_kinds", []):
            data.capital_kinds.append({
                "code": kind["code"], "name": normalize(kind["name"]),
                "legal_basis": kind.get("legal_basis", ""),
                "carry_over_rule": kind.get("carry_over_rule", ""),
                "confidence": kind.get("confidence", "unverified"),
            })
        for source in capital.get("capital_sources", []):
            data.capital_sources.append({
                "code": source["code"], "name": normalize(source["name"]),
                "group": source["group"], "budget_level": source.get("budget_level", ""),
                "counterpart": bool(source.get("counterpart")),
                "sort_order": int(source.get("sort_order", 0)),
            })

    if "project_kinds" in files:
        name = files["project_kinds"]
        for kind in reader.json(name).get("project_kinds", []):
            if kind.get("group") not in ("investment", "recurrent"):
                reader.fail(name, 0, _("project kind {code} has an unknown group").format(
                    code=kind.get("code")))
            data.project_kinds.append({
                "code": kind["code"], "name": normalize(kind["name"]), "group": kind["group"],
                "legal_basis": kind.get("legal_basis", ""),
                "confidence": kind.get("confidence", "unverified"),
                "sort_order": int(kind.get("sort_order", 0)),
            })

    if "ntm_criteria" in files:
        name = files["ntm_criteria"]
        for line, row in reader.csv(name, ("period", "number", "name", "group", "confidence")):
            if not row["number"].isdigit():
                reader.fail(name, line, _("the criterion number must be a whole number"))
            data.criteria.append({
                "id": f"{row['period']}/{int(row['number']):02d}", "period_id": row["period"],
                "number": int(row["number"]), "name": row["name"], "group": row["group"],
                "confidence": row["confidence"], "legal_basis": row.get("legal_basis", ""),
            })
    return data


def _read_programs(reader: _Reader, name: str, data: CatalogData) -> None:
    document = reader.json(name)
    for period in document.get("periods", []):
        for key in ("code", "name", "valid_from", "programs"):
            if key not in period:
                reader.fail(name, 0, _("a period lacks “{key}”").format(key=key))
        data.periods.append({
            "id": period["code"], "name": normalize(period["name"]),
            "valid_from": reader.date(name, 0, period["valid_from"]),
            "valid_to": reader.date(name, 0, period.get("valid_to")),
        })
        for order, program in enumerate(period["programs"], 1):
            program_id = f"{period['code']}/{program['code']}"
            data.programs.append({
                "id": program_id, "period_id": period["code"], "code": program["code"],
                "name": normalize(program["name"]),
                "short_name": normalize(program.get("short_name") or program["name"]),
                "abbreviation": program.get("abbreviation", program["code"]),
                "legal_basis": program.get("legal_basis", ""),
                "host_agency": program.get("host_agency", ""), "sort_order": order,
            })

            def walk(nodes: list[dict], parent_id: str | None, prefix: str,
                     program_id: str = program_id) -> None:
                for position, node in enumerate(nodes, 1):
                    if node.get("level") not in COMPONENT_LEVELS:
                        reader.fail(name, 0, _("component {code} has an unknown level")
                                    .format(code=node.get("code")))
                    key = f"{prefix}/{node['code']}"
                    data.components.append({
                        "id": key, "program_id": program_id, "parent_id": parent_id,
                        "level": node["level"], "code": node["code"],
                        "name": normalize(node["name"]), "name_folded": fold(node["name"]),
                        "confidence": node.get("confidence", "unverified"),
                        "sort_order": position,
                    })
                    walk(node.get("children", []), key, key)

            walk(program.get("components", []), None, program_id)


# ---------------------------------------------------------------------------- installing
def loaded_catalog_version(session: Session) -> int:
    value = session.get(CatalogMeta, "catalog_version")
    return int(value.value) if value else 0


def shipped_catalog_version() -> int:
    manifest = json.loads((shipped_catalog_dir() / "manifest.json").read_text(encoding="utf-8"))
    return int(manifest["catalog_version"])


def _upsert(session: Session, model, rows: list[dict], key: str, *, retire: bool) -> None:
    existing = {getattr(r, key): r for r in session.scalars(select(model))}
    incoming = set()
    for row in rows:
        incoming.add(row[key])
        record = existing.get(row[key])
        if record is None:
            session.add(model(**row))
        else:
            for column, value in row.items():
                setattr(record, column, value)
            if retire:
                record.retired = False
    if retire:
        for identifier, record in existing.items():
            if identifier not in incoming:
                record.retired = True


def install_catalog(session: Session, data: CatalogData) -> None:
    """Upsert every table of ``data`` and record its version (inside the caller's transaction)."""
    if data.units:
        # two passes, so that a parent always exists before a row points at it
        without_parent = [{k: v for k, v in u.items() if k != "parent_id"} for u in data.units]
        _upsert(session, AdminUnit, without_parent, "id", retire=True)
        session.flush()
        parents = {u["id"]: u["parent_id"] for u in data.units}
        for unit in session.scalars(select(AdminUnit)):
            if unit.id in parents:
                unit.parent_id = parents[unit.id]
        session.flush()
    if data.successions:
        session.execute(delete(UnitSuccession))
        session.add_all(UnitSuccession(**row) for row in data.successions)
    _upsert(session, ProgramPeriod, data.periods, "id", retire=False)
    session.flush()
    _upsert(session, Program, data.programs, "id", retire=False)
    session.flush()
    components = sorted(data.components, key=lambda c: c["id"].count("/"))
    _upsert(session, ProgramComponent, components, "id", retire=False)
    _upsert(session, CapitalKind, data.capital_kinds, "code", retire=False)
    _upsert(session, CapitalSource, data.capital_sources, "code", retire=False)
    session.flush()
    _upsert(session, NtmCriterion, data.criteria, "id", retire=False)
    _upsert(session, ProjectKind, data.project_kinds, "code", retire=False)
    for key, value in (("catalog_version", str(data.version)), ("title", data.title),
                       ("loaded_at", dt.datetime.now().isoformat(timespec="seconds"))):
        meta = session.get(CatalogMeta, key)
        if meta is None:
            session.add(CatalogMeta(key=key, value=value))
        else:
            meta.value = value


def update_catalog(workspace: Workspace, folder: Path | None = None) -> tuple[int, int]:
    """Load the catalog in ``folder`` (default: shipped) if it is newer. Returns (old, new)."""
    data = read_catalog(folder)
    with UnitOfWork(workspace) as uow:
        before = loaded_catalog_version(uow.session)
        if data.version <= before:
            return before, before
        install_catalog(uow.session, data)
        uow.commit()
    return before, data.version


def catalog_is_current(workspace: Workspace) -> bool:
    with workspace.session_factory() as session:
        return loaded_catalog_version(session) >= shipped_catalog_version()


# ---------------------------------------------------------------------------- looking up
def unit_kind_label(kind: str) -> str:
    labels = {
        "province": pgettext("unit kind", "province"),
        "city": pgettext("unit kind", "city"),
        "district": pgettext("unit kind", "district"),
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


def _unit_infos(session: Session, rows: list[AdminUnit]) -> list[UnitInfo]:
    """Plain copies of ``rows`` with their ancestors' names (parents read once each)."""
    result = []
    for row in rows:
        ancestors, parent_id = [], row.parent_id
        while parent_id:
            parent = session.get(AdminUnit, parent_id)
            if parent is None:
                break
            ancestors.append(f"{unit_kind_label(parent.kind)} {parent.name}")
            parent_id = parent.parent_id
        result.append(UnitInfo(row.id, row.code, row.name, row.kind, row.parent_id,
                               row.valid_from, row.valid_to, row.confidence, tuple(ancestors)))
    return result


def get_unit(workspace: Workspace, unit_id: str) -> UnitInfo:
    with workspace.session_factory() as session:
        row = session.get(AdminUnit, unit_id)
        if row is None:
            raise UnitNotFound(code=unit_id, when="")
        return _unit_infos(session, [row])[0]


def resolve_unit(workspace: Workspace, ref: UnitRef) -> UnitInfo:
    """The unit a code (and optional date) names; ambiguity is an error, never a guess."""
    with workspace.session_factory() as session:
        rows = list(session.scalars(select(AdminUnit).where(AdminUnit.code == ref.code)))
        infos = _unit_infos(session, rows)
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
    with workspace.session_factory() as session:
        statement = select(AdminUnit).where(AdminUnit.retired.is_(False))
        if kinds:
            statement = statement.where(AdminUnit.kind.in_(kinds))
        ranked = []
        for row in session.scalars(statement):
            rank = _match_rank(terms, row.name_folded, row.code)
            if rank is not None:
                ranked.append((rank, row.name_folded, row.id, row))
        ranked.sort(key=lambda item: item[:3])
        infos = _unit_infos(session, [item[3] for item in ranked])
    if on is not None:
        infos = [u for u in infos if u.valid_on(on)]
    return infos[:limit]


def child_units(workspace: Workspace, parent_id: str, *, on: dt.date | None = None
                ) -> list[UnitInfo]:
    with workspace.session_factory() as session:
        rows = list(session.scalars(select(AdminUnit).where(AdminUnit.parent_id == parent_id)
                                    .order_by(AdminUnit.name_folded)))
        infos = _unit_infos(session, rows)
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
    with workspace.session_factory() as session:
        rows = list(session.scalars(select(UnitSuccession).where(
            (UnitSuccession.old_unit_id == unit_id) | (UnitSuccession.new_unit_id == unit_id))))
        infos = [SuccessionInfo(r.old_unit_id, r.new_unit_id, r.effective_on, r.legal_basis)
                 for r in rows]
    return ([s for s in infos if s.new_unit_id == unit_id],
            [s for s in infos if s.old_unit_id == unit_id])


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

    def walk(self):
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
    with workspace.session_factory() as session:
        statement = select(Program).order_by(Program.period_id, Program.sort_order)
        if period_id:
            statement = statement.where(Program.period_id == period_id)
        return [ProgramInfo(p.id, p.code, p.name, p.short_name, p.abbreviation, p.period_id)
                for p in session.scalars(statement)]


def program_tree(workspace: Workspace) -> list[ComponentNode]:
    """Every period's programmes, each with its projects, sub-projects and contents."""
    with workspace.session_factory() as session:
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


def capital_sources(workspace: Workspace) -> list[CapitalSourceInfo]:
    with workspace.session_factory() as session:
        return [CapitalSourceInfo(s.code, s.name, s.group, s.counterpart)
                for s in session.scalars(select(CapitalSource).order_by(CapitalSource.sort_order))]


def capital_kinds(workspace: Workspace) -> list[tuple[str, str]]:
    with workspace.session_factory() as session:
        return [(k.code, k.name) for k in session.scalars(select(CapitalKind))]


@dataclass(frozen=True)
class CriterionInfo:
    number: int
    name: str
    group: str
    confidence: str


def ntm_criteria(workspace: Workspace, period_id: str = "2021-2025") -> list[CriterionInfo]:
    with workspace.session_factory() as session:
        return [CriterionInfo(c.number, c.name, c.group, c.confidence)
                for c in session.scalars(select(NtmCriterion).where(
                    NtmCriterion.period_id == period_id).order_by(NtmCriterion.number))]


def all_units(workspace: Workspace) -> list[UnitInfo]:
    """Every unit of the catalog (retired ones left out), parents before children."""
    with workspace.session_factory() as session:
        rows = list(session.scalars(select(AdminUnit).where(AdminUnit.retired.is_(False))
                                    .order_by(AdminUnit.kind, AdminUnit.name_folded)))
        return _unit_infos(session, rows)


def all_successions(workspace: Workspace) -> list[SuccessionInfo]:
    with workspace.session_factory() as session:
        return [SuccessionInfo(r.old_unit_id, r.new_unit_id, r.effective_on, r.legal_basis)
                for r in session.scalars(select(UnitSuccession))]


@dataclass(frozen=True)
class ProjectKindInfo:
    code: str
    name: str
    group: str
    legal_basis: str


def project_kinds(workspace: Workspace) -> list[ProjectKindInfo]:
    with workspace.session_factory() as session:
        return [ProjectKindInfo(k.code, k.name, k.group, k.legal_basis)
                for k in session.scalars(select(ProjectKind).order_by(ProjectKind.sort_order))]
