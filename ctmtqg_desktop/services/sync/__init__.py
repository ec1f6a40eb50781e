"""Đồng bộ: signed packages to and from the parent unit and the child units, the
installations and their keys, enrollment, and what is waiting to be sent."""

from typing import TYPE_CHECKING

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services.area import Area, OverviewSection, lazy_exports
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

if TYPE_CHECKING:  # the same names, imported lazily below (issue 17)
    from ctmtqg_desktop.services.sync._enrollment import (
        EnrollmentPreview,
        init_from_enrollment,
        issue_enrollment,
        read_enrollment,
    )
    from ctmtqg_desktop.services.sync._export import (
        ExportResult,
        PendingSummary,
        RecipientChoice,
        UnencryptedPersonalData,
        export_message,
        export_package,
        last_package_sent,
        pending,
        recipients,
    )
    from ctmtqg_desktop.services.sync._import import import_packages, retry_waiting
    from ctmtqg_desktop.services.sync._nodes import (
        NodeInfo,
        enrollment_of,
        list_nodes,
        local_node,
        revoke_node,
        status_label,
    )
    from ctmtqg_desktop.services.sync._received import ImportOutcome, ImportReport
    from ctmtqg_desktop.services.sync._references import (
        PAGE,
        TEMPLATE,
        DataVersions,
        check_item,
        installation_data_versions,
        queue,
    )
    from ctmtqg_desktop.services.sync._status import (
        SyncStatus,
        WaitingPackage,
        conflict_ids,
        conflict_rows,
        conflicts,
        history,
        history_ids,
        history_rows,
        mark_reviewed,
        status,
        waiting_packages,
    )
    from ctmtqg_desktop.services.sync._trust import accept_new_history, accept_node

__getattr__, __dir__ = lazy_exports(__name__, {
    "_enrollment": (
        "EnrollmentPreview", "init_from_enrollment", "issue_enrollment", "read_enrollment",
    ),
    "_export": (
        "ExportResult", "PendingSummary", "RecipientChoice", "UnencryptedPersonalData",
        "export_message", "export_package", "last_package_sent", "pending", "recipients",
    ),
    "_import": (
        "import_packages", "retry_waiting",
    ),
    "_nodes": (
        "NodeInfo", "enrollment_of", "list_nodes", "local_node", "revoke_node",
        "status_label",
    ),
    "_received": (
        "ImportOutcome", "ImportReport",
    ),
    "_references": (
        "PAGE", "TEMPLATE", "DataVersions", "check_item", "installation_data_versions",
        "queue",
    ),
    "_status": (
        "SyncStatus", "WaitingPackage", "conflict_ids", "conflict_rows", "conflicts",
        "history", "history_ids", "history_rows", "mark_reviewed",
        "status", "waiting_packages",
    ),
    "_trust": (
        "accept_new_history", "accept_node",
    ),
})


AREA = Area(
    key="sync", label=N_("Synchronisation"),
    records=(SyncPeer, SyncEnrollment, SyncOutgoing, SyncIncoming, SyncStreamIn, SyncAck,
             SyncEvent, SyncConflict),
    overview=(OverviewSection(90, _overview.sync_section),),
)

__all__ = [
    "EnrollmentPreview",
    "ExportResult",
    "ImportOutcome",
    "ImportReport",
    "NodeInfo",
    "PAGE",
    "PendingSummary",
    "RecipientChoice",
    "SyncStatus",
    "TEMPLATE",
    "DataVersions",
    "installation_data_versions",
    "WaitingPackage",
    "accept_new_history",
    "accept_node",
    "check_item",
    "conflict_ids",
    "conflict_rows",
    "conflicts",
    "export_message",
    "export_package",
    "UnencryptedPersonalData",
    "history",
    "history_ids",
    "history_rows",
    "import_packages",
    "init_from_enrollment",
    "issue_enrollment",
    "last_package_sent",
    "list_nodes",
    "local_node",
    "mark_reviewed",
    "pending",
    "queue",
    "read_enrollment",
    "recipients",
    "retry_waiting",
    "revoke_node",
    "enrollment_of",
    "status",
    "status_label",
    "waiting_packages",
    "AREA",
]
