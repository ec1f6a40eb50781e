"""The parent unit's demo: child units with demo-sized data, as if their packages had come.

``ctmtqg demo --role parent --children 12`` sets up huyện Đắk Hà (2023, as the commune demo)
and gives it twelve children; ``ctmtqg demo --children 100`` does the same in an existing
parent workspace. For each child: an installation known to the parent (keys made from the
seed, so fingerprints are stable), its enrollment, the packages "received" (numbers, dates:
most recent, some late, one child never reported), and its records — villages, projects,
tasks and progress, difficulties, capital lines, allocations and payments, dossiers with
their documents, households — owned by the child, written by its installation with its own
versions, and journalled as imported records are (so the parent can relay them). Then the
parent acts: it answers some difficulties, assigns a directive and its tasks to half of the
children, sets a counterpart-ratio rule, and some children have acknowledged it.

Everything is drawn from a seeded generator (names in ``resources/demo/parent-children.json``)
so the children's records are the same at every run. When more children are asked for than
the unit has in the catalog, demo communes are added to this workspace's catalog only (codes
starting with 99, marked as demo data).

:func:`fill_child` writes one child's records into any open unit of work; the benchmark and
the tests use it in the children's own workspaces before making real packages.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ctmtqg_desktop.domain import schedules
from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.domain.hlc import HybridLogicalClock
from ctmtqg_desktop.domain.text import fold
from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.resource_paths import resource_path
from ctmtqg_desktop.services import capital, dossiers, tasks
from ctmtqg_desktop.store.base import SyncedRecord, utc_now
from ctmtqg_desktop.store.models.capital import CapitalAllocation, CapitalLine, CapitalPayment
from ctmtqg_desktop.store.models.catalog import AdminUnit, CatalogMeta
from ctmtqg_desktop.store.models.dossiers import Dossier, DossierDocument, Household
from ctmtqg_desktop.store.models.identity import Node
from ctmtqg_desktop.store.models.journal import ChangeJournalEntry
from ctmtqg_desktop.store.models.projects import Project
from ctmtqg_desktop.store.models.sync import SyncEnrollment, SyncIncoming, SyncPeer, SyncStreamIn
from ctmtqg_desktop.store.models.tasks import Difficulty, Task, TaskProgress
from ctmtqg_desktop.store.models.villages import Village
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace
from ctmtqg_desktop.sync.identity import PublicIdentity

DATA_FILE = "parent-children.json"
#: today's world: Tỉnh Quảng Ngãi (51@2025-07-01) and its communes on the 2026-2035 programme
DATA_FILES = {2023: DATA_FILE, 2026: "parent-children-2026.json"}
DEMO_YEARS = tuple(DATA_FILES)
DEFAULT_CHILDREN = 12


class ParentDemoNeedsParent(UserError):
    template = N_("Child units with demo data can only be added to a parent unit's "
                  "workspace; this one works for a commune.")


class ParentDemoAlreadyFilled(UserError):
    template = N_("This workspace already holds records of child units; the demo only fills "
                  "a parent workspace that has none.")


def demo_data(year: int | None = None) -> dict[str, Any]:
    """The demo's names and patterns: 2023 (huyện Đắk Hà, Kon Tum; the default) or 2026."""
    name = DATA_FILES.get(year or 2023, DATA_FILE)
    return json.loads(resource_path("demo", name).read_text(encoding="utf-8"))


def demo_today_of(year: int) -> dt.date:
    """The fixed working date of the 2026 demo (the 2023 one is the commune demo's)."""
    return dt.date.fromisoformat(demo_data(year)["today"])


# ---------------------------------------------------------------------------- one child
@dataclass(frozen=True)
class TemplateChoice:
    id: str
    documents: tuple[str, ...]


def template_choices(workspace: Workspace) -> dict[str, TemplateChoice]:
    """``{project kind: newest template (id, document codes)}`` installed in ``workspace``."""
    result = {}
    for info in dossiers.list_templates(workspace):
        if not info.latest:
            continue
        spec = dossiers.load_spec(workspace, info.id)
        result[spec.kind] = TemplateChoice(info.id, tuple(d.code for d in spec.documents))
    return result


class Stamper:
    """Stamps records as their author's installation wrote them (for records that arrive
    "by sync" in the demo): owner, node, times and a version from the node's own clock."""

    def __init__(self, node_id: uuid.UUID, owner: str, written_at: dt.datetime,
                 rng: random.Random) -> None:
        self.node_id = node_id
        self.owner = owner
        self.at = written_at
        wall = int(written_at.replace(tzinfo=dt.UTC).timestamp() * 1000)
        self.clock = HybridLogicalClock(node_id.hex, now_ms=lambda: wall)
        self.rng = rng

    def __call__(self, record: SyncedRecord) -> SyncedRecord:
        record.id = record.id or uuid.UUID(int=self.rng.getrandbits(128), version=4)
        record.owner_unit_id = self.owner
        record.origin_node_id = self.node_id
        record.created_at = record.updated_at = self.at
        record.version = self.clock.tick()
        record.deleted = False
        return record


class _ChildFiller:
    """Writes one child unit's demo records, area by area, from one seeded generator (the
    areas are filled in a fixed order, so the same seed gives the same records)."""

    def __init__(self, session: Session, *, today: dt.date, rng: random.Random,
                 data: dict[str, Any],
                 stamp: Callable[[SyncedRecord], SyncedRecord] | None, scale: float) -> None:
        self.session, self.today, self.rng, self.data = session, today, rng, data
        self.stamp, self.scale = stamp, scale
        self.year = today.year
        self.counts: dict[str, int] = {}

    def add(self, record: SyncedRecord) -> SyncedRecord:
        if record.id is None:
            record.id = uuid.UUID(int=self.rng.getrandbits(128), version=4)
        if self.stamp is not None:
            self.stamp(record)
        self.session.add(record)
        name = record.__tablename__
        self.counts[name] = self.counts.get(name, 0) + 1
        return record

    def some(self, low: int, high: int) -> int:
        return max(1, round(self.rng.randint(low, high) * self.scale))

    def day_between(self, start: dt.date, end: dt.date) -> dt.date:
        if end <= start:
            return start
        return start + dt.timedelta(days=self.rng.randrange((end - start).days + 1))

    def villages(self) -> list[Village]:
        rng, data = self.rng, self.data
        villages: list[Village] = []
        for name in rng.sample(data["villages"], min(len(data["villages"]), self.some(8, 12))):
            population = rng.randint(250, 900)
            villages.append(self.add(Village(
                name=name, ethnic_groups=rng.choice(data["ethnic_groups"]),
                households=population // 4, population=population,
                extremely_disadvantaged=rng.random() < 0.4, sort_order=len(villages) + 1)))
        self.session.flush()
        return villages

    def projects(self, villages: list[Village]) -> list[Project]:
        rng, data, today, year = self.rng, self.data, self.today, self.year
        projects: list[Project] = []
        for index in range(self.some(9, 14)):
            pattern = data["projects"][index % len(data["projects"])]
            village = rng.choice(villages)
            started = self.day_between(dt.date(year - 1, 6, 1), today - dt.timedelta(days=30))
            stage = rng.choice(("preparation", "implementation", "implementation",
                                "acceptance", "settlement"))
            projects.append(self.add(Project(
                name=pattern["name"].format(village=village.name.lower()
                                            if village.name.startswith("Thôn") else village.name),
                program_id=pattern["program"], component_id=pattern["component"],
                kind=pattern["kind"], village_id=village.id, location=village.name,
                investor="UBND xã", approval_number=f"{rng.randint(10, 250)}/QĐ-UBND",
                approval_date=started, approval_body="UBND xã", start_date=started,
                end_date=started + dt.timedelta(days=rng.randint(90, 300)), stage=stage,
                physical_progress={"preparation": 0, "implementation": rng.randint(10, 80),
                                   "acceptance": 100, "settlement": 100}[stage],
                beneficiary_households=rng.randint(10, 160), description="")))
        self.session.flush()
        return projects

    def capital(self, projects: list[Project]) -> None:
        """The year's lines, allocations to projects of the programme, payments (each layer
        flushed before the next: the rows refer to each other by foreign key)."""
        rng, session, today = self.rng, self.session, self.today
        year_start = dt.date(self.year, 1, 1)
        names = capital.catalog_names(session)
        lines = []
        for spec in self.data["capital"]:
            amount = rng.randrange(spec["low"], spec["high"], 1_000_000)
            decided = self.day_between(year_start, year_start + dt.timedelta(days=90))
            line = self.add(CapitalLine(
                year=self.year, program_id=spec["program"], capital_kind=spec["kind"],
                source=spec["source"], amount=amount,
                decision_number=f"{rng.randint(100, 999)}/QĐ-UBND", decision_date=decided,
                decision_body=self.data.get("decision_body", "UBND huyện"), note=""))
            line.search_folded = capital.line_search_text(names, line)
            lines.append((line, spec, decided))
        session.flush()
        allocations = []
        for line, spec, decided in lines:
            candidates = [p for p in projects if p.program_id == spec["program"]] or projects
            left = line.amount
            for project in rng.sample(candidates, min(len(candidates), rng.randint(1, 2))):
                share = left * rng.randint(35, 95) // 100
                if share <= 0:
                    continue
                left -= share
                allocations.append((self.add(CapitalAllocation(
                    line_id=line.id, project_id=project.id, amount=share, decision_number="",
                    decision_date=decided, note="")), decided))
        session.flush()
        for allocation, decided in allocations:
            paid_total = allocation.amount * rng.randint(10, 95) // 100
            payments = self.some(1, 4)
            for _number in range(payments):
                part = paid_total // payments
                if part <= 0:
                    continue
                self.add(CapitalPayment(
                    allocation_id=allocation.id, paid_on=self.day_between(decided, today),
                    amount=part, voucher=f"GRV-{rng.randint(1000, 9999)}", note=""))
        session.flush()

    def tasks(self) -> None:
        """The commune's own tasks, some late, with their progress."""
        rng, session, today, year = self.rng, self.session, self.today, self.year
        texts = self.data["tasks"]
        for index in range(self.some(10, 14)):
            text = texts[index % len(texts)].format(year=year, next_year=year + 1)
            deadline = today + dt.timedelta(days=rng.randint(-60, 90))
            task = self.add(Task(text=text, section="", sort_order=index + 1,
                                 lead_agency="UBND xã", coordinators="",
                                 schedule_kind=schedules.ONCE, deadline=deadline,
                                 schedule_day=0, schedule_month=1, expected_output="",
                                 target_kind="none"))
            session.flush()
            steps = rng.randint(1, 3) if deadline < today else rng.randint(0, 2)
            dates = sorted(self.day_between(deadline - dt.timedelta(days=60),
                                            min(today, deadline)) for _step in range(steps))
            history = []
            for step, reported in enumerate(dates):
                finished = deadline < today and step == steps - 1 and rng.random() < 0.7
                status = "done" if finished else "in_progress"
                history.append(self.add(TaskProgress(
                    task_id=task.id, reported_on=reported, status=status,
                    percent=100 if status == "done" else rng.randint(10, 90),
                    narrative="")))
            history.sort(key=lambda p: p.reported_on)
            session.flush()
            for key, value in tasks.derived_values(session, task, history).items():
                setattr(task, key, value)

    def difficulties(self) -> None:
        """Difficulties sent up."""
        rng, today = self.rng, self.today
        for item in rng.sample(self.data["difficulties"], self.some(1, 3)):
            raised = self.day_between(today - dt.timedelta(days=80),
                                      today - dt.timedelta(days=3))
            resolved = rng.random() < 0.2
            difficulty = self.add(Difficulty(
                kind="difficulty", raised_on=raised, title=item["title"],
                content=item["content"], proposal=item["proposal"],
                program_id=item["program"], status="resolved" if resolved else "sent",
                sent_on=raised + dt.timedelta(days=2),
                resolved_on=min(raised + dt.timedelta(days=20), today) if resolved else None))
            difficulty.search_text = fold(" ".join([difficulty.title, difficulty.content,
                                                    difficulty.proposal]))

    def dossiers(self, projects: list[Project], templates: dict[str, TemplateChoice]) -> None:
        """Dossiers of the projects that have a template."""
        rng = self.rng
        started = [p for p in projects if p.kind in templates]
        for project in rng.sample(started, min(len(started), self.some(3, 6))):
            template = templates[project.kind]
            dossier = self.add(Dossier(project_id=project.id, template_id=template.id,
                                       started_on=project.start_date or self.today,
                                       current_stage="approval", locked=False, note=""))
            self.session.flush()
            done_share = rng.random()
            for code in template.documents:
                status = "signed" if rng.random() < done_share else rng.choice(
                    ("missing", "missing", "drafting"))
                self.add(DossierDocument(dossier_id=dossier.id, document_code=code,
                                         status=status, number="", signer="", note="",
                                         form_values=""))

    def households(self, villages: list[Village], households: int) -> None:
        rng, data = self.rng, self.data
        for _number in range(max(1, round(households * self.scale))):
            head = f"{rng.choice(data['family_names'])} {rng.choice(data['given_names'])}"
            self.add(Household(
                head_name=head, head_name_folded=fold(head),
                id_number=f"{rng.randrange(10**11, 10**12)}",
                birth_year=rng.randint(1950, 2000), village_id=rng.choice(villages).id,
                ethnicity=rng.choice(("Xơ Đăng", "Ba Na", "Kinh")),
                poverty_status=rng.choice(("poor", "near_poor", "recently_out", "none")),
                ethnic_minority=rng.random() < 0.8, members=rng.randint(2, 8), note=""))
        self.session.flush()

    def activities(self, villages: list[Village]) -> None:
        """Campaigns, training, supervision, drawn last so that the records above stay those
        of earlier versions of the demo."""
        from ctmtqg_desktop.services import activities

        rng, today, year = self.rng, self.today, self.year
        activity_data = activities.demo_data()
        for item in rng.sample(activity_data["activities"], self.some(5, 9)):
            factor = rng.uniform(0.6, 1.4)
            written = dt.date.fromisoformat(item["start"])
            shift = year - written.year  # the demo file's year moved to the demo's year
            start = written.replace(year=written.year + shift)
            if start > today:
                continue
            end = dt.date.fromisoformat(item["end"]) if item.get("end") else None
            if item.get("program") and self.data.get("activity_program"):
                item = dict(item, program=self.data["activity_program"], component=None)
            item = dict(item, start=start.isoformat(),
                        end=end.replace(year=end.year + shift).isoformat() if end else None,
                        people=[round(n * factor) for n in item["people"]],
                        village=None, place=item.get("place") or rng.choice(villages).name,
                        project=None)
            self.add(activities.build_activity(item, activity_data["campaigns"], villages={},
                                               projects={}))
        self.session.flush()


def fill_child(session: Session, *, unit_id: str, today: dt.date, rng: random.Random,
               data: dict[str, Any], templates: dict[str, TemplateChoice],
               stamp: Callable[[SyncedRecord], SyncedRecord] | None = None,
               households: int = 180, scale: float = 1.0) -> dict[str, int]:
    """Write one child unit's demo-sized records into ``session`` (an open unit of work).

    ``stamp``: records arrive from the child's installation (the demo of a parent unit);
    without it they are the workspace's own local writes (a child's workspace). ``scale``
    shrinks the data for quick tests. Returns the count of records by kind."""
    filler = _ChildFiller(session, today=today, rng=rng, data=data, stamp=stamp, scale=scale)
    villages = filler.villages()
    projects = filler.projects(villages)
    filler.capital(projects)
    filler.tasks()
    filler.difficulties()
    filler.dossiers(projects, templates)
    filler.households(villages, households)
    filler.activities(villages)
    return filler.counts


# ---------------------------------------------------------------------------- keys
def demo_keys(rng: random.Random) -> tuple[Ed25519PrivateKey, X25519PrivateKey]:
    return (Ed25519PrivateKey.from_private_bytes(rng.randbytes(32)),
            X25519PrivateKey.from_private_bytes(rng.randbytes(32)))


def _public(node_id: uuid.UUID, keys) -> PublicIdentity:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    sign, box = keys
    return PublicIdentity(node_id, sign.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw),
                          box.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


# ---------------------------------------------------------------------------- the parent
@dataclass(frozen=True)
class ParentDemoResult:
    children: tuple[str, ...]
    records: int
    synthetic_units: int


def _child_units(session: Session, parent: str, count: int, data: dict[str, Any], today: dt.date
                 ) -> tuple[list[str], int]:
    """The first ``count`` child units of ``parent`` in the catalog (by code), completed by
    demo communes when the unit has fewer."""
    real = [u for u in session.scalars(select(AdminUnit).where(
        AdminUnit.parent_id == parent, AdminUnit.retired.is_(False)).order_by(AdminUnit.code))
        if (u.valid_from is None or u.valid_from <= today)
        and (u.valid_to is None or today <= u.valid_to)]
    # the demo's own choice first (2026: Kon Tum's former communes, now of Quảng Ngãi)
    preferred = {key: order for order, key in enumerate(data.get("preferred_children", []))}
    real.sort(key=lambda u: (preferred.get(u.id, len(preferred)), u.code))
    chosen = [u.id for u in real[:count]]
    parent_row = session.get(AdminUnit, parent)
    added = 0
    for index in range(len(chosen), count):
        code = f"{data['synthetic_prefix']}{index + 1:03d}"
        if session.get(AdminUnit, code) is None:
            name = data["synthetic_name"].format(number=f"{index + 1:03d}")
            session.add(AdminUnit(id=code, code=code, name=name, name_folded=fold(name),
                                  kind="commune", parent_id=parent, valid_from=None,
                                  valid_to=parent_row.valid_to if parent_row else None,
                                  confidence="unverified", retired=False,
                                  source="demo: đơn vị mẫu để đo tốc độ, không có thật"))
            added += 1
        chosen.append(code)
    session.flush()
    return chosen, added


def _add_child(session: Session, info: Any, index: int, unit: str, *, seed: int,
               data: dict[str, Any], now: dt.datetime, catalog_version: int, today: dt.date,
               templates: dict[str, TemplateChoice], households: int, scale: float) -> int:
    """One child unit as the parent's workspace holds it after its packages: its peer row,
    enrollment, installation, records and the register of its packages. Returns the count
    of its records."""
    child_rng = random.Random(f"{seed}-{unit}")
    node_id = uuid.UUID(int=child_rng.getrandbits(128), version=4)
    keys = demo_keys(child_rng)
    public = _public(node_id, keys)
    officer = data["officers"][index % len(data["officers"])]
    enrollment_id = uuid.UUID(int=child_rng.getrandbits(128), version=4)
    session.add(SyncPeer(unit_id=unit, relation="child", added_at=now,
                         catalog_version=catalog_version if index != 1 else None))
    session.add(SyncEnrollment(id=enrollment_id, child_unit_id=unit,
                               issued_at=now, issued_by_node_id=info.node_id,
                               file_name=f"{unit}.ctenroll"))
    if index == 1:  # issued, never set up: "never reported"
        return 0
    # most report weekly; some are late
    late = index % 7 == 3
    last_day = today - dt.timedelta(days=child_rng.randint(35, 70) if late
                                    else child_rng.randint(0, 12))
    received = dt.datetime.combine(last_day, dt.time(9, 30))
    session.add(Node(id=node_id, unit_id=unit, label=officer, is_local=False,
                     created_at=received, sign_public_key=public.sign_key_b64,
                     box_public_key=public.box_key_b64, fingerprint=public.fingerprint,
                     status="trusted", first_seen_at=received - dt.timedelta(days=200),
                     last_seen_at=received, enrollment_id=enrollment_id,
                     app_version="0.1.0"))
    session.flush()
    before = session.execute(select(func.coalesce(func.max(ChangeJournalEntry.seq),
                                                  0))).scalar()
    stamp = Stamper(node_id, unit, received - dt.timedelta(hours=2), child_rng)
    counts = fill_child(session, unit_id=unit, today=last_day, rng=child_rng, data=data,
                        templates=templates, stamp=stamp, households=households,
                        scale=scale)
    after = session.execute(select(func.max(ChangeJournalEntry.seq))).scalar()
    packages = child_rng.randint(3, 12)
    sequence = sum(counts.values()) + child_rng.randint(0, 40)
    previous = None
    for number in range(1, packages + 1):
        digest = hashlib.sha256(f"{node_id}-{number}".encode()).hexdigest()
        when = received - dt.timedelta(days=7 * (packages - number))
        session.add(SyncIncoming(
            sha256=digest, package_id=uuid.UUID(int=child_rng.getrandbits(128),
                                                version=4),
            sender_node_id=node_id, sender_unit_id=unit,
            recipient_unit_id=info.unit_id, number=number,
            first_seq=1 + sequence * (number - 1) // packages,
            last_seq=sequence * number // packages, previous_sha256=previous,
            status="applied", reason="", file_name=f"ctmtqg-{unit}-{number:05d}.ctsync",
            stored_path=None, received_at=when, processed_at=when,
            local_first_seq=before + 1 if number == packages else None,
            local_last_seq=after if number == packages else None,
            schema_revision="", app_version="0.1.0"))
        previous = digest
    session.add(SyncStreamIn(sender_node_id=node_id, sender_unit_id=unit,
                             applied_through=sequence, last_number=packages,
                             last_sha256=previous, last_applied_at=received))
    return sum(counts.values())


def build(workspace: Workspace, *, children: int = DEFAULT_CHILDREN, seed: int = 2023,
          households: int = 180, scale: float = 1.0, year: int | None = None,
          progress: Callable[[int, int], None] | None = None) -> ParentDemoResult:
    """Give this parent workspace ``children`` child units with demo data (see the module);
    ``year`` 2026: the province of today and the 2026-2035 programme."""
    info = workspace.installation()
    if info.role != "parent":
        raise ParentDemoNeedsParent()
    data = demo_data(year)
    today = workspace.today()
    rng = random.Random(seed)
    dossiers.ensure_shipped_templates(workspace)
    templates = template_choices(workspace)
    with UnitOfWork(workspace, remote=True) as uow:
        session = uow.session
        if session.execute(select(func.count()).select_from(Task).where(
                Task.owner_unit_id != info.unit_id)).scalar():
            raise ParentDemoAlreadyFilled()
        units, added = _child_units(session, info.unit_id, children, data, today)
        catalog_version = int(session.get(CatalogMeta, "catalog_version").value)
        now = utc_now()
        total = 0
        for index, unit in enumerate(units):
            total += _add_child(session, info, index, unit, seed=seed, data=data, now=now,
                                catalog_version=catalog_version, today=today,
                                templates=templates, households=households, scale=scale)
            if progress:
                progress(index + 1, len(units))
        uow.commit()
    _parent_acts(workspace, units, data, rng)
    return ParentDemoResult(tuple(units), total, added)


def _parent_acts(workspace: Workspace, units: list[str], data: dict[str, Any],
                 rng: random.Random) -> None:
    """What the district did meanwhile: answers, a directive for half of its children, a
    counterpart-ratio rule; some children have acknowledged it."""
    from ctmtqg_desktop.services import capital
    from ctmtqg_desktop.services.parent import _dispatch as parent_dispatch
    from ctmtqg_desktop.store.models.sync import SyncAck

    today = workspace.today()
    open_items = parent_dispatch.children_difficulties(workspace, unanswered_only=True)
    for item, text in zip(sorted(open_items, key=lambda d: (d.owner_unit_id, d.title))[::3],
                          data["answers"] * 10):
        parent_dispatch.answer(workspace, item.id, content=text,
                               document_ref=f"Công văn số {rng.randint(1000, 1999)}/UBND-TCKH",
                               answered_on=today)
    reporting = [u for i, u in enumerate(units) if i != 1]
    directive = data["directive"]
    parent_dispatch.assign_directive(
        workspace, children=reporting[::2], title=directive["title"],
        number_symbol=directive["number_symbol"], doc_type=directive["doc_type"],
        issued_on=today - dt.timedelta(days=5), summary=directive["summary"],
        program_ids=(), task_drafts=[
            parent_dispatch.TaskDraft(item["text"], schedules.Schedule(
                schedules.ONCE, deadline=today + dt.timedelta(days=item["days"])))
            for item in directive["tasks"]])
    rule = data.get("counterpart_rule")
    if rule:
        capital.save_rule(workspace, program_id=rule["program_id"],
                          capital_kind=rule["capital_kind"], ratio_bp=rule["ratio_bp"],
                          legal_basis=rule["legal_basis"],
                          valid_from=dt.date.fromisoformat(rule["valid_from"]),
                          confidence="unverified")
    else:
        capital.save_rule(workspace, program_id="2021-2025/DTTS", capital_kind="DTPT",
                          ratio_bp=1000, legal_basis="Nghị quyết số 21/2022/NQ-HĐND tỉnh Kon "
                          "Tum (tỷ lệ chưa xác minh)", valid_from=dt.date(2022, 1, 1),
                          confidence="unverified")
    with UnitOfWork(workspace) as uow:
        session = uow.session
        last = session.execute(select(func.max(ChangeJournalEntry.seq))).scalar()
        nodes = dict(session.execute(select(Node.unit_id, Node.id).where(
            Node.unit_id.in_(units), Node.status == "trusted")).all())
        for index, unit in enumerate(reporting):
            if unit not in nodes or index % 3 == 2:
                continue
            session.add(SyncAck(recipient_unit_id=unit, node_id=nodes[unit], through_seq=last,
                                package_number=1, package_sha256=None,
                                acknowledged_at=utc_now()))
        uow.commit()


def init_today_commune(folder: Path, database_url: str | None = None, *,
                       seed: int = 2026) -> Workspace:
    """Today's demo commune in an empty workspace folder: Xã Đăk Hà (23500@2025-07-01) of
    tỉnh Quảng Ngãi, its officer and fixed working date, filled by :func:`build_commune`.
    What ``ctmtqg demo`` and the application's ``--demo`` (the README's run command) make."""
    from ctmtqg_desktop.services import workspaces

    data = demo_data(2026)
    workspace = workspaces.init_workspace(
        folder, database_url, unit=data["commune_unit"], role="commune",
        officer_name=data["commune_officer"], simulated_today=demo_today_of(2026))
    build_commune(workspace, seed=seed)
    return workspace


def build_commune(workspace: Workspace, *, seed: int = 2026, households: int = 120) -> int:
    """The 2026 commune demo: this commune's own records (villages, projects, the 2026 plan of
    the 2026-2035 programme, tasks, difficulties, dossiers, households, activities), written
    locally as its officer would. Ids are drawn from a generator seeded with the unit, so
    two communes' demos never share a record id. Returns the number of records."""
    from ctmtqg_desktop.services.demo import DemoNeedsEmptyWorkspace

    info = workspace.installation()
    assert info is not None  # the demo fills an initialised workspace
    data = demo_data(2026)
    dossiers.ensure_shipped_templates(workspace)
    templates = template_choices(workspace)
    with UnitOfWork(workspace) as uow:
        if uow.session.execute(select(func.count()).select_from(Village)).scalar():
            raise DemoNeedsEmptyWorkspace(path=str(workspace.folder))
        counts = fill_child(uow.session, unit_id=info.unit_id, today=workspace.today(),
                            rng=random.Random(f"{seed}-{info.unit_id}"), data=data,
                            templates=templates, households=households)
        total = sum(counts.values())
        uow.commit()
    with UnitOfWork(workspace, remote=True) as uow:  # as received: authored by the old units
        total += _predecessors_history(uow.session, info.unit_id, templates, seed)
        uow.commit()
    return total


#: the days the predecessors' history is written as of (two years of 2021-2025)
HISTORY_DAYS = (dt.date(2024, 12, 20), dt.date(2025, 6, 25))


def _predecessors_history(session: Session, unit_id: str,
                          templates: dict[str, TemplateChoice], seed: int) -> int:
    """The 2024 and first-half 2025 records of the units this commune continues (Xã Đăk
    Hà 23500@2025-07-01: thị trấn Đắk Hà, xã Hà Mòn, xã Đắk La, NQ 1677/NQ-UBTVQH15), owned
    by the old units and written by their installations, as the province passes them down:
    the history a merged commune sees, read-only, in the lists and reports of those years
    (small: a quarter of a commune's demo, one household each)."""
    data = demo_data()
    count = 0
    for old, title in sorted(capital.predecessor_titles(session, unit_id).items()):
        rng = random.Random(f"{seed}-{old}-history")
        node_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        written = dt.datetime.combine(HISTORY_DAYS[0], dt.time(8, 0)) - dt.timedelta(days=200)
        session.add(Node(id=node_id, unit_id=old, label=title[:120], is_local=False,
                         created_at=written, first_seen_at=written, status="relayed"))
        session.flush()
        for day in HISTORY_DAYS:
            stamp = Stamper(node_id, old, dt.datetime.combine(day, dt.time(16, 0)), rng)
            counts = fill_child(session, unit_id=old, today=day, rng=rng, data=data,
                                templates=templates, stamp=stamp, households=1, scale=0.25)
            count += sum(counts.values())
    return count


__all__ = ["build", "build_commune", "fill_child", "Stamper", "template_choices", "demo_data",
           "demo_today_of", "DEMO_YEARS"]
