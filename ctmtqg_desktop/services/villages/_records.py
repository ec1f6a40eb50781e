"""Villages (thôn, làng) of the commune: listed, added and edited by the commune itself."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select

from ctmtqg_desktop.domain import field_rules
from ctmtqg_desktop.domain.errors import BadArgument
from ctmtqg_desktop.domain.text import fold, normalize
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import backups, catalog
from ctmtqg_desktop.services.workbook_import import ImportColumn, ImportOutcome
from ctmtqg_desktop.store.models.villages import Village
from ctmtqg_desktop.store.uow import UnitOfWork, get_or_refuse
from ctmtqg_desktop.store.workspace import Workspace


@dataclass(frozen=True)
class VillageInfo:
    id: uuid.UUID
    name: str
    ethnic_groups: str
    households: int
    population: int
    extremely_disadvantaged: bool
    owner_unit_id: str
    #: a predecessor's village (history, read-only): the old unit ("Xã Đắk La"), else ""
    history_of: str = ""

    @property
    def label(self) -> str:
        """The name as a list shows it: "Thôn 1 — Xã Đắk La (trước sắp xếp)" for history."""
        return catalog.history_label(self.name, self.history_of) if self.history_of \
            else self.name


def _info(row: Village, history_of: str = "") -> VillageInfo:
    return VillageInfo(row.id, row.name, row.ethnic_groups, row.households, row.population,
                       row.extremely_disadvantaged, row.owner_unit_id, history_of)


def list_villages(workspace: Workspace, *, unit_id: str | None = None,
                  history: bool = False) -> list[VillageInfo]:
    """The live villages of ``unit_id`` (default: this installation's unit), in order.

    ``history``: also the villages of the units it continues (a commune created by the
    merger of 01/07/2025, NQ 1677/NQ-UBTVQH15: its predecessors' thôn of 2021-2025), after
    its own, by old unit, labelled with it (:attr:`VillageInfo.history_of`) and read-only."""
    unit_id = unit_id or workspace.installation().unit_id
    with UnitOfWork.read(workspace) as session:
        titles = catalog.predecessor_titles(session, unit_id) if history else {}
        rows = list(session.scalars(select(Village).where(
            Village.owner_unit_id.in_([unit_id, *titles]), Village.deleted.is_(False))
            .order_by(Village.sort_order, Village.name)))
        rows.sort(key=lambda r: (r.owner_unit_id != unit_id,
                                 fold(titles.get(r.owner_unit_id, ""))))
        return [_info(row, titles.get(row.owner_unit_id, "")) for row in rows]


def save_village(workspace: Workspace, *, name: str, ethnic_groups: str = "",
                 households: int = 0, population: int = 0,
                 extremely_disadvantaged: bool = False,
                 village_id: uuid.UUID | None = None) -> VillageInfo:
    """Add a village, or change one (``village_id``); names are unique within the commune."""
    name = normalize(name)
    if not name:
        raise BadArgument(detail=_("The village name is empty."))
    # the village's field rules: a form, the command line, an import and a receiver of the
    # sync package refuse the same values (issue 12)
    field_rules.check("village", {"name": name, "ethnic_groups": normalize(ethnic_groups),
                                  "households": households, "population": population})
    with UnitOfWork(workspace) as uow:
        unit_id = uow.context.unit_id
        existing = uow.session.scalars(select(Village).where(
            Village.owner_unit_id == unit_id, Village.deleted.is_(False))).all()
        if any(fold(v.name) == fold(name) and v.id != village_id for v in existing):
            raise BadArgument(detail=_("The commune already has a village named “{name}”.")
                              .format(name=name), form_field="name")  # shown under the name
        if village_id is None:
            row = Village(name=name, sort_order=len(existing) + 1)
            uow.session.add(row)
        else:
            row = get_or_refuse(uow.session, Village, village_id, kind=_("Village"))
            catalog.refuse_history(uow.session, workspace, row.owner_unit_id, row.name)
            row.name = name
        row.ethnic_groups = normalize(ethnic_groups)
        row.households = households
        row.population = population
        row.extremely_disadvantaged = extremely_disadvantaged
        uow.commit()
        return _info(row)


def delete_village(workspace: Workspace, village_id: uuid.UUID) -> None:
    with UnitOfWork(workspace) as uow:
        row = get_or_refuse(uow.session, Village, village_id, kind=_("Village"))
        catalog.refuse_history(uow.session, workspace, row.owner_unit_id, row.name)
        row.deleted = True
        uow.commit()


# ---------------------------------------------------------------------------- Excel
def _import_columns() -> list[ImportColumn]:
    from ctmtqg_desktop.i18n import N_
    from ctmtqg_desktop.services import workbook_import as wb

    return [
        wb.ImportColumn("name", N_("Village name"), wb.text, example="Thôn 1A",
                        rule=field_rules.rule("village", "name"),
                        help=N_("as the commune writes it; names are unique in the commune")),
        wb.ImportColumn("ethnic_groups", N_("Ethnic groups"), wb.text, required=False,
                        example="Kinh, Xơ Đăng", width=24,
                        rule=field_rules.rule("village", "ethnic_groups")),
        wb.ImportColumn("households", N_("Households"), wb.whole_number, required=False,
                        example=214, width=12, rule=field_rules.rule("village", "households")),
        wb.ImportColumn("population", N_("Population"), wb.whole_number, required=False,
                        example=812, width=12, rule=field_rules.rule("village", "population")),
        wb.ImportColumn("extremely_disadvantaged", N_("Extremely disadvantaged village"),
                        wb.yes_no, required=False, example="không",
                        help=N_("“có” for a thôn đặc biệt khó khăn (Quyết định 612/QĐ-UBDT)"),
                        width=16),
    ]


def write_villages_template(path) -> None:
    from ctmtqg_desktop.services import workbook_import as wb

    wb.write_template(path, _import_columns(), title=_("List of villages"),
                      guide=[_("One row per village. Existing villages with the same name "
                               "are updated; new names are added.")])


def import_villages(workspace: Workspace, path, *,
                    legacy_encoding: str | None = None,
                    skip_unknown_columns: bool = False) -> ImportOutcome:
    """Add or update the villages listed in a workbook; all rows or none. A village is the
    row of the same name (diacritics and case ignored); importing the same workbook twice
    changes nothing the second time (every row is counted as unchanged)."""
    from ctmtqg_desktop.services import workbook_import as wb

    rows, problems = wb.read_rows_with_problems(path, _import_columns(),
                                                legacy_encoding=legacy_encoding,
                                                skip_unknown_columns=skip_unknown_columns)
    seen: dict[str, int] = {}
    for row in rows:
        if not row.values.get("name"):
            continue
        key = fold(row.values["name"])
        if key in seen:
            problems.append(wb.RowProblem(row.row, _("Village name"), _(
                "the same village is already on row {row}").format(row=seen[key])))
        seen[key] = row.row
    wb.reject(path, problems)
    backups.before_import(workspace)  # issue 18: a backup before every import
    tally = wb.Tally()
    with UnitOfWork(workspace) as uow:
        unit_id = uow.context.unit_id
        existing = {fold(v.name): v for v in uow.session.scalars(select(Village).where(
            Village.owner_unit_id == unit_id, Village.deleted.is_(False)))}
        order = len(existing)
        for row in rows:
            values = row.values
            village = existing.get(fold(values["name"]))
            new = village is None
            if village is None:
                order += 1
                village = Village(name=values["name"], sort_order=order)
                uow.session.add(village)
            village.ethnic_groups = values.get("ethnic_groups") or ""
            village.households = values.get("households") or 0
            village.population = values.get("population") or 0
            village.extremely_disadvantaged = bool(values.get("extremely_disadvantaged"))
            tally.count(uow.session, village, new=new)
        uow.commit()
    return tally.outcome()
