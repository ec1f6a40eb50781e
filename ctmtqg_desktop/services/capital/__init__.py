"""Kế hoạch vốn: capital assigned, allocated in detail and disbursed by year, programme and
source; counterpart funds, carry-overs and returns; the pace and the warnings."""

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services.area import Area, DemoStep, OverviewSection
from ctmtqg_desktop.services.capital import _demo, _overview, _records, _reports
from ctmtqg_desktop.store.models.capital import (
    CapitalAllocation,
    CapitalCarryOver,
    CapitalLine,
    CapitalPayment,
    CapitalReturn,
    CounterpartRule,
)

AREA = Area(
    key="capital", label=N_("Capital plans"),
    records=(CapitalLine, CapitalAllocation, CapitalPayment, CapitalCarryOver, CapitalReturn,
             CounterpartRule),
    reports=(_reports.CAPITAL_REPORT,),
    overview=(OverviewSection(20, _overview.capital_section),),
    demo=(DemoStep(40, _demo.add_capital),),
    settings=(_records.INVESTMENT_DEADLINE_MONTHS, _records.RECURRENT_DEADLINE_MONTHS,
              _records.ALERT_DAYS, _records.ALLOCATION_GRACE_DAYS, _records.STALLED_DAYS),
)
