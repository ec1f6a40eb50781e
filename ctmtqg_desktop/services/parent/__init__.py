"""Đơn vị cấp dưới: the parent unit's desk: its child units, the records it sends down, the
monitoring board and the consolidated report, reorganisations of units."""

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services.area import Area, OverviewSection
from ctmtqg_desktop.services.parent import _children, _overview, _reports
from ctmtqg_desktop.store.models.parent import (
    Assignment,
    AssignmentRecord,
    ReferenceDelivery,
    ReferenceDispatch,
    Reorganisation,
)

AREA = Area(
    key="parent", label=N_("Child units"),
    records=(Assignment, AssignmentRecord, ReferenceDispatch, ReferenceDelivery, Reorganisation),
    reports=(_reports.BOARD_REPORT,),
    overview=(OverviewSection(5, _overview.children_section),),
    settings=(_children.STALE_DAYS,),
)
