"""The two roles an installation can have, and what a user calls them."""

from __future__ import annotations

from ctmtqg_desktop.i18n import _

ROLES = ("commune", "parent")
#: which unit kinds may take which role (a district or province aggregates; a commune reports)
ROLE_UNIT_KINDS = {
    "commune": ("commune", "ward", "town"),
    "parent": ("district", "city", "province"),
}


def role_label(role: str) -> str:
    return {"commune": _("commune (reports to the parent unit)"),
            "parent": _("parent unit (aggregates its child units)")}.get(role, role)
