"""Dự án, công trình, hoạt động: the shared list that capital, dossiers and tasks refer to."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from ctmtqg_desktop.domain import field_rules
from ctmtqg_desktop.domain.errors import BadArgument
from ctmtqg_desktop.domain.labels import Labelled
from ctmtqg_desktop.domain.text import fold, normalize, search_terms
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.services import catalog
from ctmtqg_desktop.store.models.catalog import Program, ProgramComponent, ProjectKind
from ctmtqg_desktop.store.models.projects import PROJECT_STAGES, Project
from ctmtqg_desktop.store.models.villages import Village
from ctmtqg_desktop.store.uow import UnitOfWork, get_or_refuse
from ctmtqg_desktop.store.workspace import Workspace


class ProjectStage(Labelled):
    """Giai đoạn of a project."""
    PREPARATION = "preparation", N_("preparation")
    IMPLEMENTATION = "implementation", N_("implementation")
    ACCEPTANCE = "acceptance", N_("acceptance and handover")
    SETTLEMENT = "settlement", N_("settlement")


def stage_label(stage: str) -> str:
    return ProjectStage.label_of(stage)


@dataclass(frozen=True)
class ProjectInfo:
    id: uuid.UUID
    name: str
    program_id: str
    component_id: str | None
    kind: str
    village_id: uuid.UUID | None
    village_name: str
    location: str
    investor: str
    approval_number: str
    approval_date: dt.date | None
    approval_body: str
    start_date: dt.date | None
    end_date: dt.date | None
    stage: str
    physical_progress: int
    beneficiary_households: int
    description: str
    owner_unit_id: str
    #: a predecessor's project (read-only history): the old unit, e.g. "Xã Đắk La"
    history_of: str = ""


def _info(row: Project, villages: dict, history: dict[str, str] | None = None) -> ProjectInfo:
    history_of = (history or {}).get(row.owner_unit_id, "")
    name = catalog.history_label(row.name, history_of) if history_of else row.name
    return ProjectInfo(row.id, name, row.program_id, row.component_id, row.kind,
                       row.village_id, villages.get(row.village_id, ""), row.location,
                       row.investor, row.approval_number, row.approval_date, row.approval_body,
                       row.start_date, row.end_date, row.stage, row.physical_progress,
                       row.beneficiary_households, row.description, row.owner_unit_id,
                       history_of)


def list_projects(workspace: Workspace, *, query: str = "", program_id: str | None = None,
                  kind: str | None = None, unit_id: str | None = None,
                  history: bool = False) -> list[ProjectInfo]:
    """Live projects of a unit (default: this one), filtered; search ignores diacritics.
    ``history``: also the projects of the units it continues (a merged commune's
    predecessors), labelled with the old unit and read-only."""
    unit_id = unit_id or workspace.installation().unit_id
    terms = search_terms(query)
    with UnitOfWork.read(workspace) as session:
        titles = catalog.predecessor_titles(session, unit_id) if history else {}
        statement = select(Project).where(Project.owner_unit_id.in_([unit_id, *titles]),
                                          Project.deleted.is_(False))
        if program_id:
            statement = statement.where(Project.program_id == program_id)
        if kind:
            statement = statement.where(Project.kind == kind)
        villages = dict(session.execute(select(Village.id, Village.name)).all())
        rows = [row for row in session.scalars(statement.order_by(Project.name))
                if all(t in fold(f"{row.name} {row.location} {villages.get(row.village_id, '')}")
                       for t in terms)]
        return [_info(row, villages, titles) for row in rows]


def get_project(workspace: Workspace, project_id: uuid.UUID) -> ProjectInfo:
    with UnitOfWork.read(workspace) as session:
        row = get_or_refuse(session, Project, project_id, kind=_("Project"))
        villages = dict(session.execute(select(Village.id, Village.name)).all())
        titles = catalog.own_history(session, workspace)
        return _info(row, villages, titles)


def save_project(workspace: Workspace, *, project_id: uuid.UUID | None = None,
                 **values) -> ProjectInfo:
    """Add a project or change one; every reference is checked against the catalog."""
    name = normalize(values.get("name", ""))
    if not name:
        raise BadArgument(detail=_("The project name is empty."))
    stage = values.get("stage", "preparation")
    if stage not in PROJECT_STAGES:
        raise BadArgument(detail=_("Unknown stage “{stage}”.").format(stage=stage))
    progress = int(values.get("physical_progress", 0))
    if not 0 <= progress <= 100:
        raise BadArgument(detail=_("Physical progress must be between 0 and 100%."))
    field_rules.check("project", {  # what a receiver of the sync package would refuse
        "name": name, "beneficiary_households": int(values.get("beneficiary_households", 0) or 0),
        **{key: normalize(values[key] or "") for key in (
            "location", "investor", "approval_number", "approval_body", "description")
           if key in values}})
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        raise BadArgument(detail=_("The end date is before the start date."))
    with UnitOfWork(workspace) as uow:
        session = uow.session
        if session.get(Program, values.get("program_id")) is None:
            raise BadArgument(detail=_("Unknown programme “{program}”.").format(
                program=values.get("program_id")))
        component = values.get("component_id")
        if component and session.get(ProgramComponent, component) is None:
            raise BadArgument(detail=_("Unknown programme component “{component}”.").format(
                component=component))
        if session.get(ProjectKind, values.get("kind")) is None:
            raise BadArgument(detail=_("Unknown kind of project “{kind}”.").format(
                kind=values.get("kind")))
        if project_id is None:
            row = Project()
            session.add(row)
        else:
            row = get_or_refuse(session, Project, project_id, kind=_("Project"))
            catalog.refuse_history(session, workspace, row.owner_unit_id, row.name)
        row.name = name
        for key in ("program_id", "component_id", "kind", "village_id", "approval_date",
                    "start_date", "end_date", "stage"):
            if key in values:
                setattr(row, key, values[key])
        for key in ("location", "investor", "approval_number", "approval_body", "description"):
            if key in values:
                setattr(row, key, normalize(values[key] or ""))
        row.physical_progress = progress
        row.beneficiary_households = int(values.get("beneficiary_households", 0) or 0)
        uow.commit()
        villages = dict(session.execute(select(Village.id, Village.name)).all())
        return _info(row, villages)
