"""Báo cáo đã ban hành: the register of the reports a unit issued (number and symbol, date,
period, signer, the exact files, the leader's sign-off that locks it), what a parent asks its
children to report, and at the parent: who reported, on time or late, and the consolidated
reports of its children (capital, tasks, completeness)."""

from typing import TYPE_CHECKING

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services.archive import _arrivals, _overview
from ctmtqg_desktop.services.archive._completeness import (
    STATES,
    Completeness,
    CompletenessRow,
    completeness,
    issue_consolidated,
    not_reported,
    state_label,
    state_text,
)
from ctmtqg_desktop.services.archive._register import (
    IssuedInfo,
    ReportFile,
    delete_report,
    find_report,
    get_report,
    issue_report,
    issued_reports,
    next_number,
    open_file,
    sign_off,
    update_report,
)
from ctmtqg_desktop.services.archive._requests import (
    RequestInfo,
    delete_request,
    list_requests,
    save_request,
)
from ctmtqg_desktop.services.archive._rules import (
    ATTACHMENT_TABLE,
    DEFAULT_SYMBOL,
    LATE,
    MISSING,
    NOT_DUE,
    ON_TIME,
    UNSIGNED,
    NumberTaken,
    ReportKind,
    ReportLocked,
    add_kind_source,
    kind_title,
    number_symbol,
    parse_period,
    period_label,
    period_phrase,
    report_kinds,
)
from ctmtqg_desktop.services.area import AfterApply, Area, OverviewSection, lazy_exports
from ctmtqg_desktop.services.report_catalog import ReportSpec
from ctmtqg_desktop.store.models.archive import IssuedReport, ReportArrival, ReportRequest

if TYPE_CHECKING:  # the same names, imported lazily below (issue 17)
    from ctmtqg_desktop.services.archive._forms import children_figures
    from ctmtqg_desktop.services.archive._reports import consolidated_capital

__getattr__, __dir__ = lazy_exports(__name__, {
    "_forms": (
        "children_figures",
    ),
    "_reports": (
        "consolidated_capital",
    ),
})


def _area_reports() -> tuple[ReportSpec, ...]:
    """The area's reports; the consolidated forms are read (YAML) when the report list is
    first asked for, not at import (issue 17: the overview's start-up process)."""
    from ctmtqg_desktop.services.archive import _forms, _reports

    return (_reports.CONSOLIDATED_CAPITAL, _reports.CONSOLIDATED_TASKS,
            _reports.COMPLETENESS_REPORT, *_forms.consolidated_forms())


AREA = Area(
    key="archive", label=N_("Issued reports"),
    records=(ReportRequest, IssuedReport, ReportArrival),
    reports=_area_reports,
    overview=(OverviewSection(48, _overview.archive_section),),
    after_apply=(AfterApply(("issued_report",), _arrivals.record_arrivals),),
)

__all__ = [
    "ATTACHMENT_TABLE",
    "DEFAULT_SYMBOL",
    "LATE",
    "MISSING",
    "NOT_DUE",
    "ON_TIME",
    "STATES",
    "UNSIGNED",
    "Completeness",
    "CompletenessRow",
    "IssuedInfo",
    "ReportFile",
    "ReportKind",
    "NumberTaken",
    "ReportLocked",
    "UserError",
    "RequestInfo",
    "add_kind_source",
    "children_figures",
    "completeness",
    "consolidated_capital",
    "delete_report",
    "delete_request",
    "find_report",
    "get_report",
    "issue_consolidated",
    "issue_report",
    "issued_reports",
    "kind_title",
    "list_requests",
    "next_number",
    "not_reported",
    "number_symbol",
    "open_file",
    "parse_period",
    "period_label",
    "period_phrase",
    "report_kinds",
    "save_request",
    "sign_off",
    "state_label",
    "state_text",
    "update_report",
    "AREA",
]
