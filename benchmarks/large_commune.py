"""A big commune for the desk benchmarks: five years (2022-2026) of a commune merged in 2025
from three predecessors, on a laptop's SQLite.

    .venv/bin/python benchmarks/large_commune.py [--size 1.0] [--folder DIR]

At ``--size 1`` (the default) it holds about 3,000 households, 6,000 supports, 200 projects,
2,000 payments, 500 tasks with their progress history, 300 dossiers with about 3,000
documents (every signed one with its scanned copy attached: a one-page PDF in the
workspace's attachment store), on top of the demo commune (xã Đăk Mar, catalog, directives,
templates).
``--size 0.05`` makes the same shape twenty times smaller (``scripts/run-benchmarks-small``).

How it is made: the demo workspace (:func:`services.demo.build_demo`, its working date moved
to 5 Dec 2026), then, year by year, the records a commune's officers write, through the
parent demo's filler (:class:`services.parent._demo._ChildFiller`: the same records a real
child unit sends, written here as the workspace's own local writes, so each is journalled as
a save in the desk is) with the year's working date, plus households' supports and extra
payments. One unit of work per year. Deterministic (seeded).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TODAY = dt.date(2026, 12, 5)
YEARS = (2022, 2023, 2024, 2025, 2026)
UNIT = "23524"

#: the five years' totals at --size 1 (the issue's "big commune")
TARGET = {"households": 3000, "supports": 6000, "projects": 200, "payments": 2000,
          "tasks": 500, "dossiers": 300}


def _set_today(workspace, day: dt.date) -> None:
    from sqlalchemy import update

    from ctmtqg_desktop.store.models.identity import Installation
    from ctmtqg_desktop.store.uow import UnitOfWork

    with UnitOfWork(workspace) as uow:
        uow.session.execute(update(Installation).values(simulated_today=day))
        uow.commit()
    workspace.installation(refresh=True)


def _fill_year(session, filler, year: int, size: float, villages: list, all_projects: list,
               templates: dict, rng: random.Random) -> None:
    from sqlalchemy import select

    from ctmtqg_desktop.store.models.capital import CapitalAllocation, CapitalLine, CapitalPayment
    from ctmtqg_desktop.store.models.dossiers import Household, HouseholdSupport

    per_year = {key: max(1, round(value * size / len(YEARS))) for key, value in TARGET.items()}
    filler.today = TODAY if year == TODAY.year else dt.date(year, 11, 30)
    filler.year = year
    # projects: the filler makes 9-14 each call, times its scale
    filler.scale = per_year["projects"] / 11.5
    projects = filler.projects(villages)
    all_projects.extend(projects)
    before = filler.counts.get("capital_payment", 0)
    filler.scale = 1.0
    filler.capital(projects)
    # payments up to the year's share: more instalments on the year's allocations
    allocations = list(session.scalars(select(CapitalAllocation).join(
        CapitalLine, CapitalLine.id == CapitalAllocation.line_id).where(CapitalLine.year == year)))
    made = filler.counts.get("capital_payment", 0) - before
    for _number in range(max(0, per_year["payments"] - made)):
        allocation = rng.choice(allocations)
        filler.add(CapitalPayment(
            allocation_id=allocation.id, paid_on=filler.day_between(
                dt.date(year, 3, 1), filler.today),
            amount=rng.randrange(5, 200) * 1_000_000, voucher=f"GRV-{rng.randint(1000, 9999)}",
            note=""))
    session.flush()
    filler.scale = per_year["tasks"] / 12
    filler.tasks()
    filler.scale = 1.0
    filler.difficulties()
    filler.scale = per_year["dossiers"] / 4.5
    filler.dossiers(all_projects, templates)
    filler.scale = 1.0
    known = set(session.scalars(select(Household.id)))
    filler.households(villages, per_year["households"])
    household_ids = sorted(set(session.scalars(select(Household.id))) - known)
    for _number in range(per_year["supports"]):
        filler.add(HouseholdSupport(
            household_id=rng.choice(household_ids), project_id=rng.choice(all_projects).id,
            content=rng.choice(("livestock", "seedlings", "housing_repair", "domestic_water",
                                "vocational_training")),
            amount=rng.randrange(2, 40) * 1_000_000,
            received_on=filler.day_between(dt.date(year, 2, 1), filler.today), note=""))
    filler.scale = 1.0
    filler.activities(villages)
    session.flush()


def build(folder: Path, size: float = 1.0, *, progress=print):
    """Make the big commune's workspace in ``folder``; returns it (open)."""
    from sqlalchemy import select

    from ctmtqg_desktop.services import demo, workspaces
    from ctmtqg_desktop.services.parent import _demo as parent_demo
    from ctmtqg_desktop.store.models.villages import Village
    from ctmtqg_desktop.store.uow import UnitOfWork

    workspace = workspaces.init_workspace(folder, unit=UNIT, role="commune",
                                          officer_name="Cán bộ xã",
                                          simulated_today=demo.demo_today())
    demo.build_demo(workspace)
    _set_today(workspace, TODAY)
    data = parent_demo.demo_data()
    templates = parent_demo.template_choices(workspace)
    rng = random.Random(2026)
    all_projects: list = []
    villages: list = []
    for index, year in enumerate(YEARS):
        started = time.perf_counter()
        with UnitOfWork(workspace) as uow:
            session = uow.session
            filler = parent_demo._ChildFiller(session, today=TODAY, rng=rng, data=data,
                                              stamp=None, scale=1.0)
            if index == 0:
                # the villages of the two predecessors merged into the demo commune in 2025
                filler.today, filler.year = dt.date(year, 1, 15), year
                filler.villages()
            villages = list(session.scalars(select(Village)))
            if all_projects:
                all_projects = [session.merge(p, load=False) for p in all_projects]
            _fill_year(session, filler, year, size, villages, all_projects, templates, rng)
            uow.commit()
        progress(f"  {year}: {sum(filler.counts.values()):,} records "
                 f"({time.perf_counter() - started:.1f} s)")
    started = time.perf_counter()
    scans = attach_scans(workspace, rng)
    progress(f"  scans: {scans:,} attachments ({time.perf_counter() - started:.1f} s)")
    return workspace


def _scan_pdf(title: str, number: int) -> bytes:
    """A one-page PDF standing for a signed document's scanned copy (a few kilobytes, each
    one different, so the content-addressed store keeps one file per document)."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, invariant=1)
    page.setFont("Helvetica", 12)
    page.drawString(72, 770, f"Scan {number:05d}")
    page.drawString(72, 750, title[:90])
    page.showPage()
    page.save()
    return out.getvalue()


def attach_scans(workspace, rng: random.Random) -> int:
    """Attach a scanned copy to every signed dossier document (tệp scan bản đã ký), the way
    the dossiers page does (store, then an ``attachment`` record in one unit of work)."""
    from sqlalchemy import select

    from ctmtqg_desktop.services import attachments
    from ctmtqg_desktop.store.models.dossiers import DossierDocument
    from ctmtqg_desktop.store.uow import UnitOfWork

    store = attachments.attachment_store(workspace)
    with UnitOfWork(workspace) as uow:
        signed = list(uow.session.execute(select(
            DossierDocument.id, DossierDocument.document_code).where(
            DossierDocument.status == "signed").order_by(DossierDocument.id)))
        for number, (document_id, code) in enumerate(signed, start=1):
            stored = store.add_bytes(_scan_pdf(f"{code} {rng.randrange(10**6)}", number),
                                     name=f"scan-{code}-{number:05d}.pdf")
            attachments.add_attachment_record(uow.session, stored,
                                              parent_table="dossier_document",
                                              parent_id=document_id,
                                              caption="Bản scan đã ký")
        uow.commit()
    return len(signed)


def counts(workspace) -> dict[str, int]:
    from sqlalchemy import text

    tables = ("household", "household_support", "project", "capital_payment", "task",
              "task_progress", "dossier", "dossier_document", "attachment", "change_journal")
    with workspace.engine.connect() as connection:
        return {t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar() or 0
                for t in tables}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=float, default=1.0)
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="ctmtqg-large-")) / "ws"
    started = time.perf_counter()
    workspace = build(folder, args.size)
    print(f"built in {time.perf_counter() - started:.0f} s: {folder}")
    for table, number in counts(workspace).items():
        print(f"  {table:20} {number:8,}")
    workspace.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
