"""Issue 13: a commune dissolved on 30/06/2025 (Đắk La 23524) whose district was abolished
sends its late records straight to the province that continues its old province (Kon Tum
62 → Quảng Ngãi 51@2025-07-01): accepted as history with the ended-sender notice, as a
district's late package is (``UnitTree.relation`` follows the old tree down, not one step
only)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from ctmtqg_desktop.services.parent import _reorganisation as reorganisation
from ctmtqg_desktop.services.sync import _export as sync_export
from ctmtqg_desktop.services.sync import _import as sync_import
from ctmtqg_desktop.services.sync import _trust as sync_trust
from ctmtqg_desktop.services.sync._nodes import unit_tree
from ctmtqg_desktop.store.models.tasks import Task
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.sync.authority import CHILD, PARENT
from tests.parent.conftest import fill, set_today

PROVINCE, DISTRICT, COMMUNE = "62", "615", "23524"
QUANG_NGAI = "51@2025-07-01"


def test_the_old_tree_below_a_continued_unit_is_a_child(network):
    province = network.parent(PROVINCE, "Sở Tài chính")
    with UnitOfWork.read(province) as session:
        tree = unit_tree(session)
    assert tree.relation(QUANG_NGAI, DISTRICT) == CHILD  # one step (before)
    assert tree.relation(QUANG_NGAI, COMMUNE) == CHILD  # two steps (now)
    assert tree.relation(COMMUNE, QUANG_NGAI) == PARENT
    assert tree.relation(QUANG_NGAI, "23500@2025-07-01") == CHILD
    assert tree.relation("23500@2025-07-01", COMMUNE) is None  # no sideways relation
    assert tree.relation(PROVINCE, COMMUNE) is None  # a live grandchild goes by its district


def test_a_dissolved_communes_late_package_to_the_province_is_history(network, tmp_path):
    province = network.parent(PROVINCE, "Sở Tài chính")
    district = network.enroll(province, DISTRICT, "Phòng Tài chính - Kế hoạch")
    commune = network.enroll(district, COMMUNE, "Cán bộ xã Đắk La", sqlite=True)
    for workspace in (province, district, commune):
        set_today(workspace, dt.date(2025, 7, 15))
    reorganisation.apply(province)
    fill(commune, "dak-la-late")
    # the commune never received the province's key: the officer chooses no encryption
    package = sync_export.export_package(commune, tmp_path / "mail", to=QUANG_NGAI,
                                         encrypt=False).path
    first = sync_import.import_packages(province, [package]).files[0]
    # an installation the province never enrolled waits for its fingerprint check (before
    # the change it was refused: "not a unit we exchange with")
    assert first.outcome == "quarantined", first.message
    _node, (outcome,) = sync_trust.accept_node(province, str(commune.installation().node_id))
    assert outcome.ok and outcome.outcome == "applied", outcome.message
    assert outcome.sender_ended_on == dt.date(2025, 6, 30)
    assert "23500@2025-07-01" in outcome.sender_notice and "lịch sử" in outcome.message
    with UnitOfWork.read(province) as session:
        assert session.execute(select(func.count()).select_from(Task).where(
            Task.owner_unit_id == COMMUNE)).scalar()
