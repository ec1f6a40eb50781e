"""Villages (thôn, làng) of the commune: listed, added and edited by the commune itself."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select

from ctmtqg_desktop.domain.errors import BadArgument, RecordNotFound
from ctmtqg_desktop.domain.text import fold, normalize
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.store.models.villages import Village
from ctmtqg_desktop.store.uow import UnitOfWork
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


def _info(row: Village) -> VillageInfo:
    return VillageInfo(row.id, row.name, row.ethnic_groups, row.households, row.population,
                       row.extremely_disadvantaged, row.owner_unit_id)


def list_villages(workspace: Workspace, *, unit_id: str | None = None) -> list[VillageInfo]:
    """The live villages of ``unit_id`` (default: this installation's unit), in order."""
    unit_id = unit_id or workspace.installation().unit_id
    with workspace.session_factory() as session:
        rows = session.scalars(select(Village).where(Village.owner_unit_id == unit_id,
                                                     Village.deleted.is_(False))
                               .order_by(Village.sort_order, Village.name))
        return [_info(row) for row in rows]


def save_village(workspace: Workspace, *, name: str, ethnic_groups: str = "",
                 households: int = 0, population: int = 0,
                 extremely_disadvantaged: bool = False,
                 village_id: uuid.UUID | None = None) -> VillageInfo:
    """Add a village, or change one (``village_id``); names are unique within the commune."""
    name = normalize(name)
    if not name:
        raise BadArgument(detail=_("The village name is empty."))
    if households < 0 or population < 0:
        raise BadArgument(detail=_("Households and population cannot be negative."))
    with UnitOfWork(workspace) as uow:
        unit_id = uow.context.unit_id
        existing = uow.session.scalars(select(Village).where(
            Village.owner_unit_id == unit_id, Village.deleted.is_(False))).all()
        if any(fold(v.name) == fold(name) and v.id != village_id for v in existing):
            raise BadArgument(detail=_("The commune already has a village named “{name}”.")
                              .format(name=name))
        if village_id is None:
            row = Village(name=name, sort_order=len(existing) + 1)
            uow.session.add(row)
        else:
            row = uow.session.get(Village, village_id)
            if row is None or row.deleted:
                raise RecordNotFound(kind=_("Village"), ident=str(village_id))
            row.name = name
        row.ethnic_groups = normalize(ethnic_groups)
        row.households = households
        row.population = population
        row.extremely_disadvantaged = extremely_disadvantaged
        uow.commit()
        return _info(row)


def delete_village(workspace: Workspace, village_id: uuid.UUID) -> None:
    with UnitOfWork(workspace) as uow:
        row = uow.session.get(Village, village_id)
        if row is None or row.deleted:
            raise RecordNotFound(kind=_("Village"), ident=str(village_id))
        row.deleted = True
        uow.commit()
