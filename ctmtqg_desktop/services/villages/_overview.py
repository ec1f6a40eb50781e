"""The overview's "Thôn" card: villages, the extremely disadvantaged ones, households."""

from __future__ import annotations

from sqlalchemy import func, select

from ctmtqg_desktop.domain.formats import format_number
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services.overview_data import Figure, Section
from ctmtqg_desktop.store.models.villages import Village
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace


def villages_section(workspace: Workspace) -> Section | None:
    unit_id = workspace.installation().unit_id
    live = (Village.owner_unit_id == unit_id, Village.deleted.is_(False))
    with UnitOfWork.read(workspace) as session:
        count, households = session.execute(
            select(func.count(), func.coalesce(func.sum(Village.households), 0))
            .where(*live)).one()
        hard = session.execute(select(func.count()).where(
            *live, Village.extremely_disadvantaged.is_(True))).scalar()
    if not count:
        return None
    return Section(_("Villages"), "catalog", (
        Figure(_("Villages"), format_number(count)),
        Figure(_("Extremely disadvantaged villages"), format_number(hard)),
        Figure(_("Households"), format_number(households)),
    ), order=90)
