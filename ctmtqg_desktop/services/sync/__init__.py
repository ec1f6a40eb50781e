"""Đồng bộ: signed packages to and from the parent unit and the child units, the
installations and their keys, enrollment, and what is waiting to be sent."""

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services.area import Area, OverviewSection
from ctmtqg_desktop.services.sync import _overview
from ctmtqg_desktop.store.models.sync import (
    SyncAck,
    SyncConflict,
    SyncEnrollment,
    SyncEvent,
    SyncIncoming,
    SyncOutgoing,
    SyncPeer,
    SyncStreamIn,
)

AREA = Area(
    key="sync", label=N_("Synchronisation"),
    records=(SyncPeer, SyncEnrollment, SyncOutgoing, SyncIncoming, SyncStreamIn, SyncAck,
             SyncEvent, SyncConflict),
    overview=(OverviewSection(90, _overview.sync_section),),
)
