"""The household list at a large commune's size, against a bare query, in the same run.

    .venv/bin/python benchmarks/households_list.py [--households 5000] [--runs 7]

Builds the demo workspace, adds households up to ``--households`` (with supports, so that the
duplicate check has work to do), then times what the "Hộ hưởng lợi" tab does: the ids of a
filtered, sorted list (SQL) and the first page of rows (200, what ``LazyTableModel`` reads
first). The baseline is the bare ``SELECT id FROM household`` on the same database. Prints
medians and ratios; a ratio is what the list costs over touching the table at all.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import select, text

from ctmtqg_desktop.domain.text import fold
from ctmtqg_desktop.services import demo, households, workspaces
from ctmtqg_desktop.store.models.dossiers import Household, HouseholdSupport
from ctmtqg_desktop.store.uow import UnitOfWork


def median_seconds(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ctmtqg-bench-")) / "ws"
    workspace = workspaces.init_workspace(folder, unit="23524", role="commune",
                                          simulated_today=demo.demo_today())
    demo.build_demo(workspace)
    rng = random.Random(5)
    villages = [v for v, _n in households.village_choices(workspace)]
    with workspace.session_factory() as session:
        project_ids = list(session.scalars(text("SELECT id FROM project")))
        existing = session.execute(text("SELECT count(*) FROM household")).scalar()
    with UnitOfWork(workspace) as uow:
        for number in range(existing, args.households):
            name = f"Nguyễn Văn Thử {number}"
            household = Household(id=uuid.uuid4(), head_name=name, head_name_folded=fold(name),
                                  id_number=f"0621{number:08d}", village_id=rng.choice(villages),
                                  ethnicity="Kinh", poverty_status=rng.choice(
                                      ["poor", "near_poor", "recently_out", "none"]),
                                  ethnic_minority=False, members=4)
            uow.session.add(household)
            if number % 3 == 0:
                uow.session.add(HouseholdSupport(
                    id=uuid.uuid4(), household_id=household.id,
                    project_id=uuid.UUID(str(rng.choice(project_ids))), content="livestock",
                    amount=10_000_000))
        uow.commit()

    def bare():
        with workspace.session_factory() as session:
            return list(session.scalars(select(Household.id)))

    def listing(query, sort):
        ids = households.household_ids(workspace, query, sort, False)
        households.household_rows(workspace, ids[:200])
        return ids

    total = len(bare())
    baseline = median_seconds(bare, args.runs)
    print(f"households: {total}; runs: {args.runs}")
    print(f"{'what':58} {'seconds':>8} {'ratio':>7}")
    print(f"{'baseline: SELECT id FROM household':58} {baseline:8.4f} {1:7.2f}x")
    for label, query, sort in (
            ("whole list by name + first page of rows", {}, "name"),
            ("search 'nguyen thu 12' + first page", {"text": "nguyen thu 12"}, "name"),
            ("poor households by village + first page", {"status": "poor"}, "village"),
            ("sorted by number of supports + first page", {}, "supports"),
            ("supported twice (duplicate check) + first page", {"duplicates": True}, "name")):
        seconds = median_seconds(lambda q=query, s=sort: listing(q, s), args.runs)
        print(f"{label:58} {seconds:8.4f} {seconds / baseline:7.2f}x")
    workspace.dispose()


if __name__ == "__main__":
    main()
