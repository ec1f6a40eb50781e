"""Helpers of the capital area's tests: a working date, projects, lines, counts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from ctmtqg_desktop.services import capital, projects
from ctmtqg_desktop.store.models.identity import Installation
from ctmtqg_desktop.store.models.journal import ChangeJournalEntry
from ctmtqg_desktop.store.workspace import Workspace


def set_today(workspace: Workspace, day: dt.date) -> None:
    """Fix the workspace's working date (as the demo does) so that figures are stable."""
    with workspace.engine.begin() as connection:
        connection.execute(Installation.__table__.update().values(simulated_today=day))
    workspace.installation(refresh=True)


def journal_count(workspace: Workspace) -> int:
    with workspace.session_factory() as session:
        return session.execute(select(func.count()).select_from(ChangeJournalEntry)).scalar()


def count(workspace: Workspace, model) -> int:
    with workspace.session_factory() as session:
        return session.execute(select(func.count()).select_from(model)).scalar()


def project(workspace: Workspace, name: str, *, program: str = "2021-2025/NTM",
            kind: str = "construction_special", **values) -> projects.ProjectInfo:
    return projects.save_project(workspace, name=name, program_id=program, kind=kind,
                                 **values)


def line(workspace: Workspace, amount: int, *, year: int = 2023,
         program: str = "2021-2025/NTM", kind: str = "DTPT", source: str = "NSTW",
         **values) -> capital.LineInfo:
    values.setdefault("decision_number", "56/QĐ-UBND")
    values.setdefault("decision_date", dt.date(year, 2, 10))
    return capital.save_line(workspace, year=year, program_id=program, capital_kind=kind,
                             source=source, amount=amount, **values)
