"""How the capital area's computations grow from the demo commune to a district-sized workspace.

Builds a workspace with ``--scale`` times the demo's capital (lines, allocations, payments,
projects with names that do and do not resemble each other), then times, in the same run:

* the baseline: reading every payment row once (one SQL query, no computation);
* the year summary (rates, on-track line, forecast, by programme, source and project);
* the alerts; the ranked portfolio; the overlap detection; the ids of the capital grid.

Prints seconds and the ratio to the baseline. ``python benchmarks/capital.py --scale 40``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from ctmtqg_desktop.services import capital, workspaces
from ctmtqg_desktop.services.capital import _status as capital_status
from ctmtqg_desktop.services.projects import _overlaps as overlaps
from ctmtqg_desktop.services.projects import _portfolio as portfolio
from ctmtqg_desktop.store.models.capital import (
    CapitalAllocation,
    CapitalLine,
    CapitalPayment,
)
from ctmtqg_desktop.store.models.identity import Installation
from ctmtqg_desktop.store.models.projects import Project
from ctmtqg_desktop.store.uow import UnitOfWork

PROGRAMS = ("2021-2025/NTM", "2021-2025/DTTS", "2021-2025/GNBV")
SOURCES = ("NSTW", "NSDP_TINH", "NSDP_HUYEN")
WORKS = ("Đường giao thông", "Nhà văn hóa", "Kênh mương nội đồng", "Trường mẫu giáo",
         "Hỗ trợ nuôi bò", "Hỗ trợ nhà ở", "Nước sinh hoạt", "Sân thể thao")


def build(folder: Path, scale: int) -> workspaces.Workspace:
    workspace = workspaces.init_workspace(folder, unit="23524", role="commune")
    with workspace.engine.begin() as connection:
        connection.execute(Installation.__table__.update().values(
            simulated_today=dt.date(2023, 10, 16)))
    workspace.installation(refresh=True)
    rng = random.Random(scale)
    with UnitOfWork(workspace) as uow:
        session = uow.session
        names = capital.catalog_names(session)
        projects = []
        for index in range(14 * scale):
            program = PROGRAMS[index % 3]
            project = Project(name=f"{rng.choice(WORKS)} thôn {index % 97 + 1} ({index})",
                              program_id=program, kind="construction_special",
                              stage="implementation", physical_progress=rng.randint(0, 100),
                              beneficiary_households=rng.randint(5, 200),
                              approval_number=f"{index}/QĐ-UBND")
            session.add(project)
            projects.append(project)
        session.flush()
        for index in range(10 * scale):
            line = CapitalLine()
            capital.apply_line_values(session, line, names, year=2023,
                                      program_id=PROGRAMS[index % 3], component_id=None,
                                      capital_kind="DTPT", source=SOURCES[index % 3],
                                      amount=2_000_000_000, decision_number=f"{index}/QĐ",
                                      decision_date=dt.date(2023, 2, 10))
            session.add(line)
            session.flush()
            for _share in range(3):
                project = rng.choice([p for p in projects
                                      if p.program_id == line.program_id][:50])
                allocation = CapitalAllocation(line_id=line.id, project_id=project.id,
                                               amount=500_000_000)
                session.add(allocation)
                session.flush()
                for month in range(1, rng.randint(2, 10)):
                    session.add(CapitalPayment(allocation_id=allocation.id,
                                               paid_on=dt.date(2023, month, 15),
                                               amount=40_000_000))
        uow.commit()
    return workspace


def timed(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=40,
                        help="times the demo commune (40 ≈ a district of 40 communes)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        workspace = build(Path(folder) / "ws", args.scale)
        with workspace.session_factory() as session:
            counts = {model.__tablename__: len(session.execute(select(model.id)).all())
                      for model in (Project, CapitalLine, CapitalAllocation, CapitalPayment)}

        def baseline():
            with workspace.session_factory() as session:
                session.execute(select(CapitalPayment)).all()

        base = timed(baseline, args.repeat)
        cases = {
            "year summary": lambda: capital_status.year_summary(workspace, 2023),
            "alerts": lambda: capital_status.alerts(workspace),
            "ranked portfolio": lambda: portfolio.portfolio(workspace),
            "overlap detection": lambda: overlaps.detect(workspace),
            "capital grid ids (SQL sort by rate)": lambda: capital.line_ids(
                workspace, {"year": 2023}, "rate", True),
        }
        print(f"records: {counts}")
        print(f"{'case':40} {'seconds':>8} {'ratio':>8}")
        print(f"{'baseline: read every payment':40} {base:8.3f} {1:7.1f}x")
        for name, fn in cases.items():
            seconds = timed(fn, args.repeat)
            print(f"{name:40} {seconds:8.3f} {seconds / base:7.1f}x")
        workspace.dispose()


if __name__ == "__main__":
    main()
