"""Reading the catalog from its data files (shipped in ``resources/catalog`` or an update
folder, each with a ``manifest.json``) and installing it over an older one; rows that
disappear are marked retired, never deleted."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ctmtqg_desktop.domain.errors import CatalogInvalid
from ctmtqg_desktop.domain.text import fold, normalize
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.resource_paths import resource_path
from ctmtqg_desktop.services.catalog._units import COMPONENT_LEVELS, CONFIDENCE, UNIT_KINDS
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
    #: keys the catalog once shipped wrongly (inferred 2025 codes) and the right ones
    key_corrections: list[dict[str, Any]] = field(default_factory=list)
    #: dated values of a unit's attribute that changed without a new unit (kind)
    attribute_history: list[dict[str, Any]] = field(default_factory=list)
    #: 2021-2025 programme or component → 2026-2035 programme or component
    program_mapping: list[dict[str, Any]] = field(default_factory=list)


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

    def json(self, name: str) -> dict[str, Any]:
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


def read_catalog(folder: Path | None = None, *,
                 parts: tuple[str, ...] | None = None) -> CatalogData:
    """Read and validate a catalog folder; a bad file is refused with its name and line.
    ``parts``: read only these files of the manifest (those a part is checked against
    included, e.g. ``("programs", "program_mapping")``); every file when None."""
    reader = _Reader(folder or shipped_catalog_dir())
    manifest = reader.json("manifest.json")
    files = manifest.get("files") or {}
    version = manifest.get("catalog_version")
    if not isinstance(version, int) or version < 1:
        reader.fail("manifest.json", 1, _("catalog_version must be a positive whole number"))
    data = CatalogData(version=version, title=manifest.get("title", ""))
    for key, read in (("units", _read_units), ("unit_successions", _read_successions),
                      ("programs", _read_programs), ("capital", _read_capital),
                      ("project_kinds", _read_project_kinds),
                      ("ntm_criteria", _read_criteria),
                      ("unit_key_corrections", _read_key_corrections),
                      ("unit_attribute_history", _read_attribute_history),
                      ("program_mapping", _read_program_mapping)):
        if key in files and (parts is None or key in parts):
            read(reader, files[key], data)
    return data


def _read_units(reader: _Reader, name: str, data: CatalogData) -> None:
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
            "former_units": row.get("former_units") or "",
            "_line": line,
        })
    for unit in data.units:
        if unit["parent_id"] and unit["parent_id"] not in seen:
            reader.fail(name, unit["_line"], _("the parent unit {key} is not in the file")
                        .format(key=unit["parent_id"]))
    for unit in data.units:
        del unit["_line"]


def _read_successions(reader: _Reader, name: str, data: CatalogData) -> None:
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


def _read_key_corrections(reader: _Reader, name: str, data: CatalogData) -> None:
    """Đính chính mã: a wrong key must be gone from the units, its right key present."""
    known = {u["id"] for u in data.units}
    for line, row in reader.csv(name, ("wrong_key", "right_key", "name", "confidence")):
        if row["wrong_key"] in known:
            reader.fail(name, line, _("the wrong key {key} is still a unit key").format(
                key=row["wrong_key"]))
        if row["right_key"] not in known:
            reader.fail(name, line, _("unknown unit key {key}").format(key=row["right_key"]))
        if row["confidence"] not in CONFIDENCE:
            reader.fail(name, line, _("unknown confidence “{value}”").format(
                value=row["confidence"]))
        data.key_corrections.append({
            "wrong_key": row["wrong_key"], "right_key": row["right_key"], "name": row["name"],
            "reason": row.get("reason", ""), "confidence": row["confidence"]})


def _read_attribute_history(reader: _Reader, name: str, data: CatalogData) -> None:
    known = {u["id"]: u for u in data.units}
    for line, row in reader.csv(name, ("unit_id", "attribute", "value", "valid_from",
                                       "confidence")):
        if row["unit_id"] not in known:
            reader.fail(name, line, _("unknown unit key {key}").format(key=row["unit_id"]))
        if row["attribute"] != "kind":
            reader.fail(name, line, _("unknown attribute “{value}”").format(
                value=row["attribute"]))
        if row["value"] not in UNIT_KINDS:
            reader.fail(name, line, _("unknown unit kind “{kind}”").format(kind=row["value"]))
        data.attribute_history.append({
            "unit_id": row["unit_id"], "attribute": row["attribute"], "value": row["value"],
            "valid_from": reader.date(name, line, row["valid_from"]),
            "valid_to": reader.date(name, line, row.get("valid_to")),
            "legal_basis": row.get("legal_basis", ""), "confidence": row["confidence"]})


def _read_program_mapping(reader: _Reader, name: str, data: CatalogData) -> None:
    known = {p["id"] for p in data.programs} | {c["id"] for c in data.components}
    for line, row in reader.csv(name, ("old_id", "new_id", "confidence")):
        for key in (row["old_id"], row["new_id"]):
            if key not in known:
                reader.fail(name, line, _("unknown programme or component {key}").format(
                    key=key))
        data.program_mapping.append({
            "old_id": row["old_id"], "new_id": row["new_id"], "confidence": row["confidence"],
            "legal_basis": row.get("legal_basis", ""), "note": row.get("note", "")})


def _periods_of(entry: dict[str, Any]) -> str:
    """A kind's or source's per-period facts (legal basis, carry-over rule, mark), as JSON."""
    periods = entry.get("periods") or {}
    if not isinstance(periods, dict):
        raise TypeError("periods")
    return json.dumps(periods, ensure_ascii=False, sort_keys=True)


def _read_capital(reader: _Reader, name: str, data: CatalogData) -> None:
    capital = reader.json(name)
    for kind in capital.get("capital_kinds", []):
        data.capital_kinds.append({
            "code": kind["code"], "name": normalize(kind["name"]),
            "legal_basis": kind.get("legal_basis", ""),
            "carry_over_rule": kind.get("carry_over_rule", ""),
            "confidence": kind.get("confidence", "unverified"),
            "periods": _periods_of(kind),
        })
    for source in capital.get("capital_sources", []):
        data.capital_sources.append({
            "code": source["code"], "name": normalize(source["name"]),
            "group": source["group"], "budget_level": source.get("budget_level", ""),
            "counterpart": bool(source.get("counterpart")),
            "sort_order": int(source.get("sort_order", 0)),
            "valid_to": reader.date(name, 0, source.get("valid_to")),
            "periods": _periods_of(source),
        })


def _read_project_kinds(reader: _Reader, name: str, data: CatalogData) -> None:
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


def _read_criteria(reader: _Reader, name: str, data: CatalogData) -> None:
    for line, row in reader.csv(name, ("period", "number", "name", "group", "confidence")):
        if not row["number"].isdigit():
            reader.fail(name, line, _("the criterion number must be a whole number"))
        data.criteria.append({
            "id": f"{row['period']}/{int(row['number']):02d}", "period_id": row["period"],
            "number": int(row["number"]), "name": row["name"], "group": row["group"],
            "confidence": row["confidence"], "legal_basis": row.get("legal_basis", ""),
        })


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
                        "legal_basis": node.get("legal_basis", ""),
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
    if data.key_corrections:
        _upsert(session, UnitKeyCorrection, data.key_corrections, "wrong_key", retire=False)
    if data.attribute_history:
        session.execute(delete(UnitAttributeHistory))
        session.add_all(UnitAttributeHistory(**row) for row in data.attribute_history)
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
    with UnitOfWork.read(workspace) as session:
        return loaded_catalog_version(session) >= shipped_catalog_version()
