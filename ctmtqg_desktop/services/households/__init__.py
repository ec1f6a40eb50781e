"""Hộ hưởng lợi: beneficiary households and the support each received, with households
supported twice for the same content."""

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services.area import Area, DemoStep
from ctmtqg_desktop.services.households import _demo, _reports
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
from ctmtqg_desktop.store.models.dossiers import Household, HouseholdSupport

AREA = Area(
    key="households", label=N_("Households"),
    records=(Household, HouseholdSupport),
    demo=(DemoStep(30, _demo.add_households), DemoStep(35, _demo.add_supports)),
    reports=(_reports.HOUSEHOLDS_REPORT,),
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
