"""The overview's "Đồng bộ" card: what has not been sent, since when, and what waits.

Architecture principle "tell the truth about state": the card says how many changes have
not gone to the parent unit yet and when the last package was made, amber after a week
without a package while changes wait, red after a month; packages waiting and installations
waiting for a fingerprint check are counted too.
"""

from __future__ import annotations

from sqlalchemy import func, select

from ctmtqg_desktop.domain.formats import format_date, format_number
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services.overview import DUE_SOON, LATE, NORMAL, Figure, Section
from ctmtqg_desktop.services.sync._export import pending
from ctmtqg_desktop.services.sync._nodes import unit_tree
from ctmtqg_desktop.store.base import utc_now
from ctmtqg_desktop.store.models.identity import Node
from ctmtqg_desktop.store.models.sync import SyncConflict, SyncIncoming
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace

DUE_SOON_DAYS, LATE_DAYS = 7, 30


def sync_section(workspace: Workspace) -> Section | None:
    info = workspace.installation()
    with UnitOfWork.read(workspace) as session:
        has_parent = unit_tree(session).parent(info.unit_id) is not None
        waiting = session.execute(select(func.count()).select_from(SyncIncoming).where(
            SyncIncoming.status.in_(("held", "quarantined", "alert")))).scalar()
        alerts = session.execute(select(func.count()).select_from(SyncIncoming).where(
            SyncIncoming.status == "alert")).scalar()
        unchecked = session.execute(select(func.count()).select_from(Node).where(
            Node.status == "pending")).scalar()
        overridden = session.execute(select(func.count()).select_from(SyncConflict).where(
            SyncConflict.reviewed.is_(False))).scalar()
    figures, lines = [], []
    if has_parent:
        summary = pending(workspace)
        state = NORMAL
        if summary.unsent_total:
            age = (utc_now() - summary.last_package_at).days if summary.last_package_at \
                else None
            if age is None or age >= DUE_SOON_DAYS:
                state = LATE if age is not None and age >= LATE_DAYS else DUE_SOON
        figures.append(Figure(_("Changes not yet sent"), format_number(summary.unsent_total),
                              state))
        if summary.last_package_at is None:
            lines.append((_("No package has been sent to {unit} yet.").format(
                unit=summary.recipient_name), state))
        else:
            lines.append((_("Last package for {unit}: {date}.").format(
                unit=summary.recipient_name, date=format_date(summary.last_package_at)), state))
    figures.append(Figure(_("Packages waiting"), format_number(waiting),
                          LATE if alerts else (DUE_SOON if waiting else NORMAL)))
    if unchecked:
        figures.append(Figure(_("Installations to check"), format_number(unchecked), DUE_SOON))
    if overridden:
        lines.append((_("{count} overridden values to review.").format(count=overridden),
                      DUE_SOON))
    return Section(_("Synchronisation"), "sync", tuple(figures), tuple(lines), order=90)
