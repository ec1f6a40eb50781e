"""Hộ hưởng lợi: beneficiary households and the support each received, with households
supported twice for the same content."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services.area import Area, DemoStep, lazy_exports
from ctmtqg_desktop.store.models.dossiers import Household, HouseholdSupport

if TYPE_CHECKING:  # the same names, imported lazily below (issue 17)
    from ctmtqg_desktop.services.households._records import (
        DuplicateSupport,
        HouseholdRow,
        add_support,
        counts,
        delete_household,
        duplicate_supports,
        get_household,
        household_ids,
        household_rows,
        household_supports,
        list_households,
        poverty_label,
        remove_support,
        save_household,
        support_contents,
        village_choices,
    )
    from ctmtqg_desktop.services.households._workbook import (
        export_households,
        import_households,
        write_households_template,
    )
    from ctmtqg_desktop.services.report_catalog import ReportSpec

__getattr__, __dir__ = lazy_exports(__name__, {
    "_records": (
        "DuplicateSupport", "HouseholdRow", "add_support", "counts", "delete_household",
        "duplicate_supports", "get_household", "household_ids", "household_rows",
        "household_supports", "list_households", "poverty_label", "remove_support",
        "save_household", "support_contents", "village_choices",
    ),
    "_workbook": (
        "export_households", "import_households", "write_households_template",
    ),
})


def _area_reports() -> tuple[ReportSpec, ...]:
    """The area's reports, imported when the report list is first asked for (issue 17)."""
    from ctmtqg_desktop.services.households import _reports

    return (_reports.HOUSEHOLDS_REPORT,)


def _area_demo() -> tuple[DemoStep, ...]:
    """The area's demo steps, imported when a demo is built (issue 17)."""
    from ctmtqg_desktop.services.households import _demo

    return (DemoStep(30, _demo.add_households), DemoStep(35, _demo.add_supports))


AREA = Area(
    key="households", label=N_("Households"),
    records=(Household, HouseholdSupport),
    demo=_area_demo,
    reports=_area_reports,
)

__all__ = [
    "DuplicateSupport",
    "HouseholdRow",
    "add_support",
    "counts",
    "delete_household",
    "duplicate_supports",
    "export_households",
    "get_household",
    "household_ids",
    "household_rows",
    "household_supports",
    "import_households",
    "list_households",
    "poverty_label",
    "remove_support",
    "save_household",
    "support_contents",
    "village_choices",
    "write_households_template",
    "AREA",
]
