"""End to end: a district and two communes, one of them with two installations, all set up
by enrollment files (one per installation); edits everywhere; packages delivered in random
order, some twice, one lost for good (its changes come again in later packages). Every
workspace ends with the same ``ctmtqg dump`` for the records it shares with the district.
In the suite's PostgreSQL pass the district keeps its records in PostgreSQL and the
communes' laptops keep SQLite files, as they would in the field."""

from __future__ import annotations

import json
import os
import random

from ctmtqg_desktop.cli import main
from ctmtqg_desktop.services import attachments, villages, workspaces
from ctmtqg_desktop.services.sync import _export as sync_export
from ctmtqg_desktop.services.sync import _import as sync_import
from ctmtqg_desktop.services.sync import _status as sync_status
from ctmtqg_desktop.store.models.projects import Project
from ctmtqg_desktop.store.uow import UnitOfWork
from tests.sync.conftest import COMMUNE_A, COMMUNE_B, PARENT


class Postman:
    """Collects packages and delivers them to their installations in a shuffled order."""

    def __init__(self, rng: random.Random, tmp_path) -> None:
        self.rng = rng
        self.tmp = tmp_path
        self.bag: list[tuple] = []
        self.outcomes: list[str] = []
        self.lost = None

    def post(self, source, to, recipients) -> None:
        result = sync_export.export_package(source, self.tmp / "mail", to=to)
        for target in recipients:
            self.bag.append((result.path, target))

    def deliver(self, *, duplicate: float = 0.3, lose_one: bool = False) -> None:
        bag = list(self.bag)
        self.bag.clear()
        if lose_one and self.lost is None:
            self.lost = bag.pop(self.rng.randrange(len(bag)))
        bag += [item for item in bag if self.rng.random() < duplicate]
        self.rng.shuffle(bag)
        for path, target in bag:
            report = sync_import.import_packages(target, [path])
            outcome = report.files[0]
            assert outcome.outcome in ("applied", "already_applied", "held"), outcome.message
            self.outcomes.append(outcome.outcome)


def _dump_via_cli(workspace, target, capsys) -> dict:
    code = main(["dump", "--workspace", str(workspace.folder), "--out", str(target),
                 "--metadata"])
    capsys.readouterr()
    assert code == 0
    return json.loads(target.read_text(encoding="utf-8"))


def _shared_with(document: dict, unit: str) -> dict:
    tables = {}
    for name, rows in document["tables"].items():
        tables[name] = [r for r in rows if r["owner_unit_id"] == unit or (
            r["owner_unit_id"] == PARENT and r["audience_unit_id"] in (unit, "*"))]
    return {"format": document["format"], "tables": tables}


def test_parent_and_communes_converge_whatever_the_delivery_order(network, tmp_path, capsys):
    rng = random.Random(20231016)
    parent = network.parent()
    enrollment_a = tmp_path / "dak-la.ctenroll"
    from ctmtqg_desktop.services.sync import _enrollment as enrollment

    enrollment.issue_enrollment(parent, COMMUNE_A, enrollment_a)
    laptops = bool(os.environ.get("CTMTQG_TEST_DATABASE_URL"))  # parent on PostgreSQL
    a1 = network.from_file(enrollment_a, "Máy kế toán", sqlite=laptops)
    # one enrollment file per laptop: a file already used seats no second trusted one
    enrollment_a2 = tmp_path / "dak-la-2.ctenroll"
    enrollment.issue_enrollment(parent, COMMUNE_A, enrollment_a2)
    a2 = network.from_file(enrollment_a2, "Máy địa chính", sqlite=laptops)
    b1 = network.enroll(parent, COMMUNE_B, "Máy xã Hà Mòn", sqlite=laptops)
    assert parent.uses_sqlite != laptops and all(w.uses_sqlite for w in (a1, a2, b1))
    children = {a1: COMMUNE_A, a2: COMMUNE_A, b1: COMMUNE_B}
    postman = Postman(rng, tmp_path)
    scan = tmp_path / "bien-ban.jpg"
    scan.write_bytes(bytes(rng.getrandbits(8) for _ in range(5000)))

    def edit(workspace, round_number: int) -> None:
        unit = children.get(workspace)
        if unit is None:  # the district writes for one child, for all, and for itself
            with UnitOfWork(workspace) as uow:
                for audience in (COMMUNE_A, COMMUNE_B, "*", None):
                    uow.session.add(Project(
                        name=f"Chỉ đạo vòng {round_number} cho {audience or 'huyện'}",
                        program_id="2021-2025/NTM", kind="road", audience_unit_id=audience))
                uow.commit()
            return
        own = villages.list_villages(workspace)
        for _ in range(rng.randint(1, 3)):
            choice = rng.random()
            if own and choice < 0.45:
                village = rng.choice(own)
                villages.save_village(workspace, name=village.name,
                                      households=rng.randint(10, 500),
                                      population=rng.randint(50, 2000),
                                      village_id=village.id)
            elif own and choice < 0.55:
                village = own.pop(rng.randrange(len(own)))
                villages.delete_village(workspace, village.id)
            else:
                name = f"Thôn {workspace.folder.name}-{round_number}-{rng.randint(0, 10**6)}"
                created = villages.save_village(workspace, name=name,
                                                households=rng.randint(10, 300))
                own.append(created)
                if rng.random() < 0.3:
                    attachments.attach_file(workspace, scan, parent_table="village",
                                            parent_id=created.id, caption="Biên bản")

    def post_all() -> None:
        for child in (a1, a2, b1):
            postman.post(child, None, [parent])
        postman.post(parent, COMMUNE_A, [a1, a2])
        postman.post(parent, COMMUNE_B, [b1])

    # each installation introduces itself first (its first package carries its keys)
    for child in (a1, a2, b1):
        postman.post(child, None, [parent])
    postman.deliver(duplicate=0)
    for round_number in range(1, 6):
        for workspace in (parent, a1, a2, b1):
            edit(workspace, round_number)
        if round_number == 3:  # the two installations of Đắk La edit the same village
            shared = villages.list_villages(a1)
            if shared:
                target = shared[0]
                villages.save_village(a1, name=target.name, households=777,
                                      village_id=target.id)
                villages.save_village(a2, name=target.name, households=888,
                                      village_id=target.id)
        post_all()
        postman.deliver(lose_one=(round_number == 2))
    for _quiet in range(3):  # no more edits: everything settles
        post_all()
        postman.deliver(duplicate=0.2)

    assert postman.lost is not None
    lost_path, lost_target = postman.lost
    late = sync_import.import_packages(lost_target, [lost_path]).files[0]
    assert late.outcome == "already_applied", late.message  # its changes came again

    district = _dump_via_cli(parent, tmp_path / "p.json", capsys)
    for child, unit in children.items():
        mine = _dump_via_cli(child, tmp_path / f"{child.folder.name}.json", capsys)
        assert mine == _shared_with(district, unit), child.folder
    for workspace in (parent, a1, a2, b1):
        report = workspaces.check(workspace)
        assert report.ok, report.problems
    # the lost file, the duplicates and the overlapping edit really happened
    assert postman.outcomes.count("already_applied") >= 3
    conflicts = [c for w in (parent, a1, a2) for c in sync_status.conflicts(w)]
    assert conflicts and all(c.table_label == "Thôn, làng" for c in conflicts)
    counts = {len(villages.list_villages(parent, unit_id=u)) for u in (COMMUNE_A, COMMUNE_B)}
    assert min(counts) >= 2
    with_files = attachments.list_attachments(parent, "village", [
        v.id for v in villages.list_villages(parent, unit_id=COMMUNE_A)
        + villages.list_villages(parent, unit_id=COMMUNE_B)])
    store = attachments.attachment_store(parent)
    assert all(store.verify(a.digest) for a in with_files)
