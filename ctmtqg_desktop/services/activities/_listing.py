"""The activity log as a list: its rows, filters and sort in SQL, and the filter choices."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import extract, func, select
from sqlalchemy.orm import Session

from ctmtqg_desktop.domain.text import fold, search_terms
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import catalog
from ctmtqg_desktop.services.activities._records import (
    KINDS,
    NO_PROGRAM,
    kind_label,
    shipped_campaigns,
)
from ctmtqg_desktop.store.models.activities import Activity
from ctmtqg_desktop.store.models.catalog import Program, ProgramComponent
from ctmtqg_desktop.store.models.projects import Project
from ctmtqg_desktop.store.models.villages import Village
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace


# ---------------------------------------------------------------------------- the list
@dataclass(frozen=True)
class ActivityRow:
    """One line of the activity list."""

    id: uuid.UUID
    kind: str
    title: str
    campaign: str
    program_label: str
    start_on: dt.date
    end_on: dt.date | None
    where: str
    organiser: str
    participants: int
    women: int
    ethnic_minority: int
    poor: int
    cost: int | None
    #: a predecessor's activity (history before the merger, read-only): the old unit; its
    #: title carries the label "— Xã Đắk La (trước sắp xếp)"
    history_of: str = ""


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def history_for(session: Session, query: dict[str, Any], unit_id: str) -> dict[str, str]:
    """The predecessors whose activities the list shows: with ``history`` asked, or for a
    ``year`` before the unit's merger (2021-2025 for a commune merged on 01/07/2025)."""
    if not query.get("history"):
        merged = catalog.merged_on(session, unit_id)
        if merged is None or not query.get("year") or int(query["year"]) > merged.year:
            return {}
    return catalog.predecessor_titles(session, unit_id)


def _filtered(statement, query: dict[str, Any], unit_id: str,
              history: dict[str, str] | None = None):
    """``query`` keys: ``text`` (every word, diacritics ignored), ``kind``, ``program`` (a
    key or :data:`NO_PROGRAM`), ``campaign`` (exact, case and diacritics ignored), ``year``,
    ``date_from``/``date_to`` (the activity overlaps the range), ``village`` (an id),
    ``history`` (also the predecessors' activities, see :func:`history_for`)."""
    statement = statement.where(Activity.owner_unit_id.in_([unit_id, *(history or {})]),
                                Activity.deleted.is_(False))
    if query.get("kind"):
        statement = statement.where(Activity.kind == query["kind"])
    program = query.get("program")
    if program == NO_PROGRAM:
        statement = statement.where(Activity.program_id.is_(None))
    elif program:
        statement = statement.where(Activity.program_id == program)
    if query.get("campaign"):
        # campaigns are free text: match the folded name (in Python, the list is short)
        wanted = fold(query["campaign"])
        statement = statement.where(Activity.campaign.in_(
            [c for c in query.get("_campaigns", ()) if fold(c) == wanted] or [query["campaign"]]))
    year = query.get("year")
    date_from = query.get("date_from")
    date_to = query.get("date_to")
    if year:
        date_from = max(date_from, dt.date(int(year), 1, 1)) if date_from else \
            dt.date(int(year), 1, 1)
        date_to = min(date_to, dt.date(int(year), 12, 31)) if date_to else \
            dt.date(int(year), 12, 31)
    if date_from:
        statement = statement.where(func.coalesce(Activity.end_on, Activity.start_on)
                                    >= date_from)
    if date_to:
        statement = statement.where(Activity.start_on <= date_to)
    if query.get("village"):
        village = query["village"]
        statement = statement.where(Activity.village_id == (
            village if isinstance(village, uuid.UUID) else uuid.UUID(str(village))))
    for term in search_terms(query.get("text")):
        statement = statement.where(Activity.search_text.like(f"%{_escape_like(term)}%",
                                                              escape="\\"))
    return statement


def _with_campaigns(session: Session, query: dict[str, Any], unit_id: str) -> dict[str, Any]:
    if not query.get("campaign"):
        return query
    names = session.scalars(select(Activity.campaign).where(
        Activity.owner_unit_id == unit_id, Activity.deleted.is_(False)).distinct()).all()
    return {**query, "_campaigns": names}


def activity_ids(workspace: Workspace, query: dict[str, Any] | None = None,
                 sort_key: str | None = None, descending: bool = False) -> list[uuid.UUID]:
    """Ids of the unit's activities matching ``query`` (see :func:`_filtered`), sorted in SQL;
    by default newest first."""
    query = query or {}
    unit_id = workspace.installation().unit_id
    key = sort_key or "date"
    if sort_key is None:
        descending = True
    columns = {
        "date": [Activity.start_on],
        "kind": [Activity.kind, Activity.start_on],
        "title": [Activity.title],
        "campaign": [Activity.campaign, Activity.start_on],
        "program": [Activity.program_id, Activity.start_on],
        "place": [Activity.place, Activity.start_on],
        "participants": [Activity.participants],
        "cost": [func.coalesce(Activity.cost, -1)],
    }.get(key, [Activity.start_on])
    with UnitOfWork.read(workspace) as session:
        statement = _filtered(select(Activity.id), _with_campaigns(session, query, unit_id),
                              unit_id, history_for(session, query, unit_id))
        if key == "place":  # a village's name or the place typed
            statement = statement.outerjoin(Village, Village.id == Activity.village_id)
            columns = [func.coalesce(Village.name, Activity.place), Activity.start_on]
        order = [c.desc() if descending else c for c in columns]
        return list(session.scalars(statement.order_by(*order, Activity.id)))


def activity_rows(workspace: Workspace, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, ActivityRow]:
    """The list lines of ``ids`` (one query for the page)."""
    if not ids:
        return {}
    with UnitOfWork.read(workspace) as session:
        programs = {p.id: p.code for p in session.scalars(select(Program))}
        history = catalog.own_history(session, workspace)
        result = {}
        for row in session.execute(
                select(Activity.id, Activity.owner_unit_id, Activity.kind, Activity.title,
                       Activity.campaign,
                       Activity.program_id, Activity.start_on, Activity.end_on,
                       Activity.place, Village.name.label("village"), Activity.organiser,
                       Activity.participants, Activity.participants_women,
                       Activity.participants_ethnic, Activity.participants_poor,
                       Activity.cost)
                .outerjoin(Village, Village.id == Activity.village_id)
                .where(Activity.id.in_(list(ids)))):
            history_of = history.get(row.owner_unit_id, "")
            result[row.id] = ActivityRow(
                row.id, row.kind,
                catalog.history_label(row.title, history_of) if history_of else row.title,
                row.campaign,
                programs.get(row.program_id, row.program_id) if row.program_id
                else _("Common"),
                row.start_on, row.end_on, row.village or row.place, row.organiser,
                row.participants, row.participants_women, row.participants_ethnic,
                row.participants_poor, row.cost, history_of)
        return result


@dataclass(frozen=True)
class FilterOptions:
    kinds: tuple[tuple[str, str], ...]
    programs: tuple[tuple[str, str], ...]
    #: campaigns used in the workspace, then those of the directive not used yet
    campaigns: tuple[str, ...]
    villages: tuple[tuple[uuid.UUID, str], ...]
    years: tuple[int, ...]
    projects: tuple[tuple[uuid.UUID, str], ...] = ()
    #: (key, program key, label) of the components of every programme
    components: tuple[tuple[str, str, str], ...] = ()
    organisers: tuple[str, ...] = ()


def campaign_suggestions(workspace: Workspace) -> list[str]:
    """Campaign names for the form: those used before (most used first), then the
    directive's campaigns and movements not used yet."""
    unit_id = workspace.installation().unit_id
    with UnitOfWork.read(workspace) as session:
        used = [name for name, _count in session.execute(
            select(Activity.campaign, func.count(Activity.id)).where(
                Activity.owner_unit_id == unit_id, Activity.deleted.is_(False),
                Activity.campaign != "")
            .group_by(Activity.campaign)
            .order_by(func.count(Activity.id).desc(), Activity.campaign))]
    folded = {fold(name) for name in used}
    return used + [c.name for c in shipped_campaigns() if fold(c.name) not in folded]


def filter_options(workspace: Workspace) -> FilterOptions:
    """What the filters and the form offer: kinds, programmes, campaigns, villages, years in
    use, projects, components and organisers typed before."""
    unit_id = workspace.installation().unit_id
    with UnitOfWork.read(workspace) as session:
        programs = tuple((p.id, f"{p.code}: {p.short_name}") for p in session.scalars(
            select(Program).where(Program.retired.is_(False))
            .order_by(Program.period_id, Program.sort_order)))
        program_keys = [key for key, _label in programs]
        components = tuple((c.id, c.program_id, f"{c.code}. {c.name}") for c in session.scalars(
            select(ProgramComponent).where(ProgramComponent.program_id.in_(program_keys),
                                           ProgramComponent.retired.is_(False))
            .order_by(ProgramComponent.program_id, ProgramComponent.sort_order)))
        villages = tuple(session.execute(select(Village.id, Village.name).where(
            Village.owner_unit_id == unit_id, Village.deleted.is_(False))
            .order_by(Village.sort_order, Village.name)).all())
        owners = [unit_id, *catalog.predecessor_titles(session, unit_id)]  # and history's
        years = tuple(sorted({int(y) for y in session.scalars(
            select(extract("year", Activity.start_on)).where(
                Activity.owner_unit_id.in_(owners), Activity.deleted.is_(False)).distinct())},
            reverse=True))
        projects = tuple(session.execute(select(Project.id, Project.name).where(
            Project.owner_unit_id == unit_id, Project.deleted.is_(False))
            .order_by(Project.name)).all())
        organisers = tuple(session.scalars(select(Activity.organiser).where(
            Activity.owner_unit_id == unit_id, Activity.deleted.is_(False),
            Activity.organiser != "").distinct().order_by(Activity.organiser)))
    return FilterOptions(tuple((k, kind_label(k)) for k in KINDS), programs,
                         tuple(campaign_suggestions(workspace)),
                         tuple((i, n) for i, n in villages), years,
                         tuple((i, n) for i, n in projects), components, organisers)
