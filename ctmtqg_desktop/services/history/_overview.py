"""The overview's card for a merged commune that still has predecessors' work to carry."""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.domain.formats import format_number
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services.history._carry import CAPITAL, PROJECT, TASK, preview
from ctmtqg_desktop.services.overview_data import DUE_SOON, Section
from ctmtqg_desktop.store.workspace import Workspace


def carry_section(workspace: Workspace) -> Section | None:
    """"Việc của đơn vị trước sắp xếp chưa chuyển tiếp": counts, opening the carry page;
    None for a unit formed by no merger, or when everything is carried."""
    info = workspace.installation()
    if info is None or info.role != "commune":  # a parent's page list has no carry page
        return None
    try:
        plan = preview(workspace)
    except (UserError, SQLAlchemyError):
        return None
    if not plan.pending:
        return None
    lines = [(_("{projects} projects, {tasks} tasks not finished").format(
        projects=plan.count(PROJECT), tasks=plan.count(TASK)), DUE_SOON)]
    if plan.count(CAPITAL):
        lines.append((_("{amount} đồng of 2025 capital not disbursed").format(
            amount=format_number(plan.pending_amount)), DUE_SOON))
    lines.append((_("Carry them into 2026: page Carry over"), DUE_SOON))
    return Section(_("Work of the units before the merger not yet carried over"), "carry",
                   (), tuple(lines), order=-5)
