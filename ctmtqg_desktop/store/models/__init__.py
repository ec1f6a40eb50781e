"""All mapped tables. Importing this package registers every model with ``Base.metadata``.

One module per area; a new area adds its module to the import list below.
"""

from ctmtqg_desktop.store.models.activities import Activity  # noqa: F401
from ctmtqg_desktop.store.models.attachments import Attachment  # noqa: F401
from ctmtqg_desktop.store.models.capital import (  # noqa: F401
    CapitalAllocation,
    CapitalCarryOver,
    CapitalLine,
    CapitalPayment,
    CapitalReturn,
    CounterpartRule,
    OverlapDecision,
    ProjectFunding,
    ProjectScore,
)
from ctmtqg_desktop.store.models.catalog import (  # noqa: F401
    AdminUnit,
    CapitalKind,
    CapitalSource,
    CatalogMeta,
    NtmCriterion,
    Program,
    ProgramComponent,
    ProgramPeriod,
    ProjectKind,
    UnitSuccession,
)
from ctmtqg_desktop.store.models.dossiers import (  # noqa: F401
    Dossier,
    DossierDocument,
    DossierTemplate,
    Household,
    HouseholdSupport,
)
from ctmtqg_desktop.store.models.identity import Installation, Node, Setting  # noqa: F401
from ctmtqg_desktop.store.models.journal import ChangeJournalEntry  # noqa: F401
from ctmtqg_desktop.store.models.parent import (  # noqa: F401
    Assignment,
    AssignmentRecord,
    ReferenceDelivery,
    ReferenceDispatch,
    Reorganisation,
)
from ctmtqg_desktop.store.models.projects import Project  # noqa: F401
from ctmtqg_desktop.store.models.sync import (  # noqa: F401
    SyncAck,
    SyncConflict,
    SyncEnrollment,
    SyncEvent,
    SyncIncoming,
    SyncOutgoing,
    SyncPeer,
    SyncStreamIn,
)
from ctmtqg_desktop.store.models.tasks import (  # noqa: F401
    Difficulty,
    DifficultyAnswer,
    Directive,
    Task,
    TaskProgress,
)
from ctmtqg_desktop.store.models.villages import Village  # noqa: F401
