"""The two roles an installation can have, and what a user calls them."""

from __future__ import annotations

from ctmtqg_desktop.i18n import _

ROLES = ("commune", "parent")
#: which unit kinds may take which role (a province, or before 01/07/2025 a district,
#: aggregates; a commune, ward or special zone reports)
ROLE_UNIT_KINDS = {
    "commune": ("commune", "ward", "town", "special_zone"),
    "parent": ("district", "district_town", "city", "province", "municipality"),
}


def role_label(role: str) -> str:
    return {"commune": _("commune (reports to the parent unit)"),
            "parent": _("parent unit (aggregates its child units)")}.get(role, role)
