"""States and kinds are declared once (domain.labels.Labelled): each enum names exactly the
values its table stores, and each label is the translated msgid."""

import pytest

from ctmtqg_desktop.domain.labels import Labelled
from ctmtqg_desktop.services.activities._records import ActivityKind
from ctmtqg_desktop.services.difficulties._records import DifficultyStatus
from ctmtqg_desktop.services.dossiers._records import DocumentStatus, DossierStage
from ctmtqg_desktop.services.households._records import PovertyStatus
from ctmtqg_desktop.services.projects._records import ProjectStage
from ctmtqg_desktop.services.tasks._rules import TaskStatus
from ctmtqg_desktop.store.models.activities import ACTIVITY_KINDS
from ctmtqg_desktop.store.models.dossiers import (
    DOCUMENT_STATUSES,
    DOSSIER_STAGES,
    POVERTY_STATUSES,
)
from ctmtqg_desktop.store.models.projects import PROJECT_STAGES
from ctmtqg_desktop.store.models.tasks import TASK_STATUSES


@pytest.mark.parametrize("enum, stored", [
    (TaskStatus, TASK_STATUSES), (ActivityKind, ACTIVITY_KINDS),
    (ProjectStage, PROJECT_STAGES), (DossierStage, DOSSIER_STAGES),
    (DocumentStatus, DOCUMENT_STATUSES), (PovertyStatus, POVERTY_STATUSES),
    (DifficultyStatus, ("new", "sent", "answered", "resolved")),
])
def test_each_enum_names_the_values_its_table_stores(enum, stored):
    assert enum.values() == tuple(stored)
    assert all(member == member.value for member in enum)  # stored as the same strings


def test_a_label_is_translated_and_an_unknown_value_shows_itself():
    assert TaskStatus.DONE.label == "đã hoàn thành"
    assert TaskStatus.label_of("in_progress") == "đang thực hiện"
    assert ActivityKind.label_of("no-such-kind") == "no-such-kind"
    assert issubclass(TaskStatus, Labelled) and TaskStatus("done") is TaskStatus.DONE
