"""Kế hoạch vốn: capital assigned, allocated in detail and disbursed by year, programme and
source; counterpart funds, carry-overs and returns; the pace and the warnings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services.area import Area, DemoStep, OverviewSection, lazy_exports
from ctmtqg_desktop.services.capital import _overview, _records
from ctmtqg_desktop.store.models.capital import (
    CapitalAllocation,
    CapitalCarryOver,
    CapitalLine,
    CapitalPayment,
    CapitalReturn,
    CounterpartRule,
)

if TYPE_CHECKING:  # the same names, imported lazily below (issue 17)
    from ctmtqg_desktop.services.capital._allocations import (
        AllocationInfo,
        ProjectChoice,
        allocate_in_session,
        allocations,
        delete_allocation,
        paid_total,
        project_choices,
        save_allocation,
    )
    from ctmtqg_desktop.services.capital._counterpart import (
        OWN,
        RuleInfo,
        adopt_defaults,
        check,
        confidence_label,
        default_rules,
        delete_rule,
        effective_rules,
        origin_label,
        rule_records,
        save_rule,
    )
    from ctmtqg_desktop.services.capital._payments import (
        PaymentInfo,
        delete_payment,
        payment_ids,
        payments_by_id,
        save_payment,
    )
    from ctmtqg_desktop.services.capital._records import (
        ALERT_DAYS,
        INVESTMENT_DEADLINE_MONTHS,
        RECURRENT_DEADLINE_MONTHS,
        LineInfo,
        LineInput,
        apply_line_values,
        capital_settings,
        catalog_names,
        delete_line,
        figures_by_line,
        get_line,
        line_ids,
        line_label,
        line_search_text,
        lines_by_id,
        list_lines,
        plan_years,
        predecessor_titles,
        save_line,
        short_kind,
        short_source,
        validate_line_values,
    )
    from ctmtqg_desktop.services.capital._rules import CapitalRules, rules, scoring
    from ctmtqg_desktop.services.capital._status import YearSummary, alerts, year_summary
    from ctmtqg_desktop.services.capital._transfers import (
        carry_over,
        carry_overs,
        return_capital,
        returns,
    )
    from ctmtqg_desktop.services.capital._workbook import import_lines, write_template
    from ctmtqg_desktop.services.report_catalog import ReportSpec

__getattr__, __dir__ = lazy_exports(__name__, {
    "_allocations": (
        "AllocationInfo", "ProjectChoice", "allocate_in_session", "allocations",
        "delete_allocation", "paid_total", "project_choices", "save_allocation",
    ),
    "_counterpart": (
        "OWN", "RuleInfo", "adopt_defaults", "check", "confidence_label", "default_rules",
        "delete_rule", "effective_rules", "origin_label", "rule_records", "save_rule",
    ),
    "_payments": (
        "PaymentInfo", "delete_payment", "payment_ids", "payments_by_id", "save_payment",
    ),
    "_records": (
        "ALERT_DAYS", "INVESTMENT_DEADLINE_MONTHS", "RECURRENT_DEADLINE_MONTHS", "LineInfo",
        "LineInput", "apply_line_values", "capital_settings", "catalog_names",
        "delete_line", "figures_by_line", "get_line", "line_ids", "line_label",
        "line_search_text", "lines_by_id", "list_lines", "plan_years", "predecessor_titles",
        "save_line", "short_kind", "short_source", "validate_line_values",
    ),
    "_rules": (
        "CapitalRules", "rules", "scoring",
    ),
    "_status": (
        "YearSummary", "alerts", "year_summary",
    ),
    "_transfers": (
        "carry_over", "carry_overs", "return_capital", "returns",
    ),
    "_workbook": (
        "import_lines", "write_template",
    ),
})


def _area_reports() -> tuple[ReportSpec, ...]:
    """The area's reports, imported when the report list is first asked for (issue 17)."""
    from ctmtqg_desktop.services.capital import _reports

    return (_reports.CAPITAL_REPORT,)


def _area_demo() -> tuple[DemoStep, ...]:
    """The area's demo steps, imported when a demo is built (issue 17)."""
    from ctmtqg_desktop.services.capital import _demo

    return (DemoStep(40, _demo.add_capital),)


AREA = Area(
    key="capital", label=N_("Capital plans"),
    records=(CapitalLine, CapitalAllocation, CapitalPayment, CapitalCarryOver, CapitalReturn,
             CounterpartRule),
    reports=_area_reports,
    overview=(OverviewSection(20, _overview.capital_section),),
    demo=_area_demo,
    settings=(_records.INVESTMENT_DEADLINE_MONTHS, _records.RECURRENT_DEADLINE_MONTHS,
              _records.ALERT_DAYS, _records.ALLOCATION_GRACE_DAYS, _records.STALLED_DAYS),
)

__all__ = [
    "LineInput",
    "ALERT_DAYS",
    "INVESTMENT_DEADLINE_MONTHS",
    "RECURRENT_DEADLINE_MONTHS",
    "AllocationInfo",
    "CapitalRules",
    "LineInfo",
    "OWN",
    "PaymentInfo",
    "ProjectChoice",
    "RuleInfo",
    "YearSummary",
    "adopt_defaults",
    "alerts",
    "allocate_in_session",
    "allocations",
    "apply_line_values",
    "capital_settings",
    "carry_over",
    "carry_overs",
    "catalog_names",
    "check",
    "confidence_label",
    "default_rules",
    "delete_allocation",
    "delete_line",
    "delete_payment",
    "delete_rule",
    "effective_rules",
    "figures_by_line",
    "get_line",
    "import_lines",
    "line_ids",
    "line_label",
    "line_search_text",
    "lines_by_id",
    "list_lines",
    "predecessor_titles",
    "origin_label",
    "paid_total",
    "payment_ids",
    "payments_by_id",
    "plan_years",
    "project_choices",
    "return_capital",
    "returns",
    "rule_records",
    "rules",
    "save_allocation",
    "save_line",
    "save_payment",
    "save_rule",
    "scoring",
    "short_kind",
    "short_source",
    "validate_line_values",
    "write_template",
    "year_summary",
    "AREA",
]
