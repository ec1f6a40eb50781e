"""Hoạt động: the log of communication, training, inspection and supervision,
steering-committee meetings and emulation movements, tagged by campaign, with participants.

Every write is one unit of work and checks everything before it flushes, so a refused form
changes nothing. The list filters and sorts in SQL (``activity_ids`` / ``activity_rows`` for
the lazy table); the search is one ``LIKE`` per folded word on the derived ``search_text``,
so "tap huan" finds "Tập huấn". ``summary`` and ``year_groups`` feed the page's summary line,
the overview card and the yearly report (``services/activities_reports.py``).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlalchemy.orm import Session

from ctmtqg_desktop.domain import field_rules
from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.domain.formats import format_date, format_number
from ctmtqg_desktop.domain.labels import Labelled
from ctmtqg_desktop.domain.text import fold, normalize
from ctmtqg_desktop.i18n import N_, _, pgettext
from ctmtqg_desktop.resource_paths import resource_path
from ctmtqg_desktop.services import attachments as attachment_service
from ctmtqg_desktop.services import catalog
from ctmtqg_desktop.store.models.activities import ACTIVITY_KINDS, Activity
from ctmtqg_desktop.store.models.catalog import Program, ProgramComponent
from ctmtqg_desktop.store.models.projects import Project
from ctmtqg_desktop.store.models.villages import Village
from ctmtqg_desktop.store.uow import UnitOfWork, check_owner, get_or_refuse
from ctmtqg_desktop.store.workspace import Workspace

ATTACHMENT_TABLE = "activity"
KINDS = ACTIVITY_KINDS
#: the ``program`` filter value for activities common to every programme
NO_PROGRAM = "-"
#: whole numbers a form may hold (a commune's population is far below it)
MAX_PEOPLE = field_rules.rule("activity", "participants").maximum or 0
MAX_COST = field_rules.rule("activity", "cost").maximum or 0
MAX_TEXT = field_rules.rule("activity", "title").max_length or 0


class ActivityInputInvalid(UserError):
    """An activity form with a value that cannot be saved."""

    exit_code = 2
    template = N_("{field}: {reason}")


# ---------------------------------------------------------------------------- labels
class ActivityKind(Labelled):
    """Loại hoạt động: communication, training, inspection and supervision, a meeting of the
    steering committee, an emulation movement, other."""
    COMMUNICATION = "communication", N_("Communication")
    TRAINING = "training", N_("Training")
    INSPECTION = "inspection", N_("Inspection, supervision")
    STEERING_MEETING = "steering_meeting", N_("Steering committee meeting")
    EMULATION = "emulation", N_("Emulation movement")
    OTHER = "other", N_("Other")


def kind_label(kind: str) -> str:
    return ActivityKind.label_of(kind)


@dataclass(frozen=True)
class Campaign:
    name: str
    #: campaign (cuộc vận động) or movement (phong trào thi đua)
    kind: str
    confidence: str


@cache
def shipped_campaigns() -> tuple[Campaign, ...]:
    """The campaigns and movements of the directive (``resources/activities``)."""
    document = json.loads(resource_path("activities", "campaigns.json")
                          .read_text(encoding="utf-8"))
    return tuple(Campaign(normalize(c["name"]), c["kind"], c.get("confidence", "unverified"))
                 for c in document["campaigns"])


# ---------------------------------------------------------------------------- records
@dataclass(frozen=True)
class ActivityInfo:
    id: uuid.UUID
    kind: str
    title: str
    campaign: str
    program_id: str | None
    component_id: str | None
    project_id: uuid.UUID | None
    start_on: dt.date
    end_on: dt.date | None
    village_id: uuid.UUID | None
    place: str
    organiser: str
    participants: int
    women: int
    ethnic_minority: int
    poor: int
    content: str
    results: str
    recommendations: str
    cost: int | None
    owner_unit_id: str
    #: shown names of the links (empty when there is none)
    program_label: str = ""
    component_label: str = ""
    project_name: str = ""
    village_name: str = ""
    files: tuple[attachment_service.AttachmentInfo, ...] = ()

    @property
    def where(self) -> str:
        return self.village_name or self.place

    @property
    def dates(self) -> str:
        if self.end_on and self.end_on != self.start_on:
            return f"{format_date(self.start_on)} - {format_date(self.end_on)}"
        return format_date(self.start_on)


def _info(session: Session, row: Activity, files=()) -> ActivityInfo:
    program = session.get(Program, row.program_id) if row.program_id else None
    component = session.get(ProgramComponent, row.component_id) if row.component_id else None
    project = session.get(Project, row.project_id) if row.project_id else None
    village = session.get(Village, row.village_id) if row.village_id else None
    return ActivityInfo(
        row.id, row.kind, row.title, row.campaign, row.program_id, row.component_id,
        row.project_id, row.start_on, row.end_on, row.village_id, row.place, row.organiser,
        row.participants, row.participants_women, row.participants_ethnic,
        row.participants_poor, row.content, row.results, row.recommendations, row.cost,
        row.owner_unit_id,
        f"{program.code}: {program.short_name}" if program else "",
        f"{component.code}. {component.name}" if component else "",
        project.name if project else "", village.name if village else "", tuple(files))


def normalize_block(text: str | None) -> str:
    """Several lines kept; each line normalised; blank lines at the ends dropped."""
    lines = [normalize(line) for line in (text or "").replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


def _people_problems(total: int, women: int, ethnic: int, poor: int):
    """(column key, error) for each wrong number of people, in the form's order."""
    bad_types = False
    for key, value, label in (("participants", total, _("Participants")),
                              ("women", women, _("Women")),
                              ("ethnic_minority", ethnic, _("Ethnic-minority people")),
                              ("poor", poor, _("People of poor households"))):
        if not isinstance(value, int) or isinstance(value, bool):
            bad_types = True
            yield key, ActivityInputInvalid(field=label, reason=_("must be a whole number"))
        elif value < 0:
            yield key, ActivityInputInvalid(field=label, reason=_("cannot be negative"))
        elif value > MAX_PEOPLE:
            yield key, ActivityInputInvalid(field=label, reason=_("is too large"))
    if bad_types:
        return
    for key, value, label in (("women", women, _("Women")),
                              ("ethnic_minority", ethnic, _("Ethnic-minority people")),
                              ("poor", poor, _("People of poor households"))):
        if value > total:
            yield key, ActivityInputInvalid(field=label, reason=_(
                "{part} is more than the {total} participants in all").format(
                part=format_number(value), total=format_number(total)))


def activity_problems(*, kind: str, title: str, start_on, end_on=None,
                      participants: int = 0, women: int = 0, ethnic_minority: int = 0,
                      poor: int = 0, cost: int | None = None, campaign: str = "",
                      place: str = "", organiser: str = ""):
    """Every check :func:`save_activity` makes before it opens the database, as
    (column key, :class:`ActivityInputInvalid`) pairs in the order ``save_activity`` raises
    them: the Excel import (``services/activities_import.py``) reports them all, by row and
    column, with the same sentences."""
    title = normalize(title or "")
    if kind not in KINDS:
        yield "kind", ActivityInputInvalid(field=_("Kind"), reason=_(
            "unknown kind “{kind}”").format(kind=kind))
    if not title:
        yield "title", ActivityInputInvalid(field=_("Title"), reason=_("the title is empty"))
    elif len(title) > MAX_TEXT:
        yield "title", ActivityInputInvalid(field=_("Title"), reason=_(
            "at most 300 characters"))
    if not isinstance(start_on, dt.date):
        yield "start_on", ActivityInputInvalid(field=_("From"), reason=_(
            "the date is missing"))
    elif end_on is not None and end_on < start_on:
        yield "end_on", ActivityInputInvalid(field=pgettext("activity dates", "To"), reason=_(
            "the last day ({end}) is before the first ({start})").format(
            end=format_date(end_on), start=format_date(start_on)))
    yield from _people_problems(participants, women, ethnic_minority, poor)
    if cost is not None and (cost < 0 or cost > MAX_COST):
        yield "cost", ActivityInputInvalid(field=_("Cost"), reason=_("cannot be negative")
                                           if cost < 0 else _("is too large"))
    for key, value, label in (("campaign", campaign, _("Campaign or movement")),
                              ("place", place, _("Place")),
                              ("organiser", organiser, _("Organiser"))):
        if len(normalize(value or "")) > (field_rules.rule("activity", key).max_length or 0):
            yield key, ActivityInputInvalid(field=label, reason=_("at most 300 characters"))


def fill_row(row: Activity, *, kind: str, title: str, campaign: str,
             program_id: str | None, component_id: str | None, project: Project | None,
             start_on: dt.date, end_on: dt.date | None, village: Village | None, place: str,
             organiser: str, participants: int, women: int, ethnic_minority: int, poor: int,
             content: str, results: str, recommendations: str, cost: int | None) -> None:
    """Set a checked, normalised activity's columns and its derived ``search_text`` (the
    form's save and the Excel import write rows the same way)."""
    project_id = project.id if project is not None else None
    village_id = village.id if village is not None else None
    row.kind = kind
    row.title = title
    row.campaign = campaign
    row.program_id = program_id or None
    row.component_id = component_id or None
    row.project_id = project_id
    row.start_on = start_on
    row.end_on = end_on if end_on != start_on else None
    row.village_id = village_id
    row.place = place if village is None else ""
    row.organiser = organiser
    row.participants = participants
    row.participants_women = women
    row.participants_ethnic = ethnic_minority
    row.participants_poor = poor
    row.content = content
    row.results = results
    row.recommendations = recommendations
    row.cost = cost
    row.search_text = fold(" ".join(part for part in (
        kind_label(kind), title, campaign, place, village.name if village else "",
        organiser, project.name if project else "", content, results, recommendations)
        if part))


@dataclass(frozen=True)
class ActivityInput:
    """What the activity form (the CLI, the demo) gives :func:`save_activity`."""
    kind: str
    title: str
    start_on: dt.date
    end_on: dt.date | None = None
    campaign: str = ""
    program_id: str | None = None
    component_id: str | None = None
    project_id: uuid.UUID | None = None
    village_id: uuid.UUID | None = None
    place: str = ""
    organiser: str = ""
    participants: int = 0
    women: int = 0
    ethnic_minority: int = 0
    poor: int = 0
    content: str = ""
    results: str = ""
    recommendations: str = ""
    cost: int | None = None
    #: files to attach as evidence (photos, minutes)
    evidence: Sequence[str | Path] = ()


def _references(session: Session, activity: ActivityInput,
                unit_id: str) -> tuple[Project | None, Village | None]:
    """The programme, component, project and village named, checked."""
    if activity.program_id:
        program = session.get(Program, activity.program_id)
        if program is None:
            raise ActivityInputInvalid(field=_("Programme"), reason=_(
                "unknown programme “{program}”").format(program=activity.program_id))
    if activity.component_id:
        component = session.get(ProgramComponent, activity.component_id)
        if component is None or component.program_id != activity.program_id:
            raise ActivityInputInvalid(field=_("Programme component"), reason=_(
                "“{component}” is not a component of the chosen programme").format(
                component=activity.component_id))
    project = None
    if activity.project_id is not None:
        project = get_or_refuse(session, Project, activity.project_id, kind=_("Project"))
    village = None
    if activity.village_id is not None:
        village = session.get(Village, activity.village_id)
        if village is None or village.deleted or village.owner_unit_id != unit_id:
            raise ActivityInputInvalid(field=_("Place"), reason=_(
                "the village is not one of this commune's villages"))
    return project, village


def save_activity(workspace: Workspace, activity: ActivityInput | None = None, *,
                  activity_id: uuid.UUID | None = None, **values: Any) -> ActivityInfo:
    """Record an activity, or change one (``activity_id``), with its evidence files, in one
    transaction. Every value is checked before anything is written. The activity is an
    :class:`ActivityInput`, or its fields as keywords."""
    a = activity if activity is not None else ActivityInput(**values)
    for _key, error in activity_problems(
            kind=a.kind, title=a.title, start_on=a.start_on, end_on=a.end_on,
            participants=a.participants, women=a.women, ethnic_minority=a.ethnic_minority,
            poor=a.poor, cost=a.cost, campaign=a.campaign, place=a.place,
            organiser=a.organiser):
        raise error
    title = normalize(a.title)
    # the files go into the content-addressed store first (size limit checked); a leftover
    # after a refusal below is harmless
    store = attachment_service.attachment_store(workspace)
    stored = [store.add_file(path) for path in a.evidence]
    with UnitOfWork(workspace) as uow:
        session = uow.session
        unit_id = uow.context.unit_id
        project, village = _references(session, a, unit_id)
        if activity_id is None:
            row = Activity(kind=a.kind, title=title, start_on=a.start_on)
            session.add(row)
        else:
            row = get_or_refuse(session, Activity, activity_id, kind=_("Activity"))
            catalog.refuse_history(session, workspace, row.owner_unit_id, row.title)
            check_owner(row, unit_id, ActivityInputInvalid(
                field=_("Activity"),
                reason=_("it was recorded by another unit; only that unit can change it")))
        fill_row(row, kind=a.kind, title=title, campaign=normalize(a.campaign),
                 program_id=a.program_id, component_id=a.component_id, project=project,
                 start_on=a.start_on, end_on=a.end_on, village=village,
                 place=normalize(a.place), organiser=normalize(a.organiser),
                 participants=a.participants, women=a.women,
                 ethnic_minority=a.ethnic_minority, poor=a.poor,
                 content=normalize_block(a.content), results=normalize_block(a.results),
                 recommendations=normalize_block(a.recommendations), cost=a.cost)
        session.flush()
        for item in stored:
            attachment_service.add_attachment_record(session, item,
                                                     parent_table=ATTACHMENT_TABLE,
                                                     parent_id=row.id)
        uow.commit()
    return get_activity(workspace, row.id)


def delete_activity(workspace: Workspace, activity_id: uuid.UUID) -> None:
    """Tombstone an activity (the journal and the parent keep its history)."""
    with UnitOfWork(workspace) as uow:
        row = get_or_refuse(uow.session, Activity, activity_id, kind=_("Activity"))
        catalog.refuse_history(uow.session, workspace, row.owner_unit_id, row.title)
        check_owner(row, uow.context.unit_id, ActivityInputInvalid(
            field=_("Activity"),
            reason=_("it was recorded by another unit; only that unit can change it")))
        row.deleted = True
        uow.commit()


def get_activity(workspace: Workspace, activity_id: uuid.UUID) -> ActivityInfo:
    """The activity with its links' names and its evidence files."""
    with UnitOfWork.read(workspace) as session:
        row = get_or_refuse(session, Activity, activity_id, kind=_("Activity"))
        files = attachment_service.list_attachments(workspace, ATTACHMENT_TABLE, activity_id)
        return _info(session, row, files)


def attach_evidence(workspace: Workspace, activity_id: uuid.UUID, path: str | Path,
                    caption: str = "") -> attachment_service.AttachmentInfo:
    """Add a photo, minutes or a scan to an activity (the workspace's size limit applies)."""
    with UnitOfWork.read(workspace) as session:
        row = get_or_refuse(session, Activity, activity_id, kind=_("Activity"))
        catalog.refuse_history(session, workspace, row.owner_unit_id, row.title)
        check_owner(row, workspace.installation().unit_id, ActivityInputInvalid(
            field=_("Activity"),
            reason=_("it was recorded by another unit; only that unit can change it")))
    return attachment_service.attach_file(workspace, path, parent_table=ATTACHMENT_TABLE,
                                          parent_id=activity_id, caption=caption)


SORT_KEYS = ("date", "kind", "title", "campaign", "program", "place", "participants", "cost")


_SUMS = (func.count(Activity.id).label("n"), func.sum(Activity.participants).label("p"),
         func.sum(Activity.participants_women).label("w"),
         func.sum(Activity.participants_ethnic).label("e"),
         func.sum(Activity.participants_poor).label("poor"),
         func.sum(Activity.cost).label("c"))


