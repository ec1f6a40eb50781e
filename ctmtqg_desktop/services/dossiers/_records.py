"""Hồ sơ: a project's dossier, started from a template version, kept complete stage by stage.

A dossier is started for a project from the newest template of the project's kind (or a
chosen one) and keeps that version. Its checklist has one line per template document with
its status (missing, drafting, signed, scanned), number, dates, signer, attached scans and
photos, and the values of its form. Completeness is computed per stage and overall
(:mod:`ctmtqg_desktop.domain.dossier_rules`); starting a later stage while a required
document of an earlier one is not done gives a warning; a settled dossier can be locked,
after which nothing in it changes.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import func, select

from ctmtqg_desktop.domain import dossier_rules, field_rules
from ctmtqg_desktop.domain.dossier_rules import Completeness
from ctmtqg_desktop.domain.dossier_templates import STAGES, TemplateSpec
from ctmtqg_desktop.domain.errors import BadArgument, RecordNotFound, UserError
from ctmtqg_desktop.domain.forms import check_form
from ctmtqg_desktop.domain.labels import Labelled
from ctmtqg_desktop.domain.text import fold, normalize, search_terms
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.services import attachments, catalog
from ctmtqg_desktop.services.dossiers import _templates as dossier_templates
from ctmtqg_desktop.store.codec import canonical_json
from ctmtqg_desktop.store.models.attachments import Attachment
from ctmtqg_desktop.store.models.catalog import ProjectKind
from ctmtqg_desktop.store.models.dossiers import DOCUMENT_STATUSES, Dossier, DossierDocument
from ctmtqg_desktop.store.models.projects import Project
from ctmtqg_desktop.store.models.villages import Village
from ctmtqg_desktop.store.uow import UnitOfWork, get_or_refuse
from ctmtqg_desktop.store.workspace import Workspace

DOCUMENT_TABLE = "dossier_document"
STAGES_ORDER = STAGES
#: dossier list filters
STATES = ("all", "incomplete", "complete", "warnings", "locked")  # DossierState, below


class DossierLocked(UserError):
    template = N_("The dossier of “{project}” is locked (settled on {date}); nothing in it can "
                  "be changed.")


class DossierExists(UserError):
    template = N_("The project “{project}” already has a dossier (started on {date}).")


class DossierNotSettled(UserError):
    template = N_("The dossier cannot be locked yet: {count} required documents are not signed "
                  "or scanned ({names}).")


class ScanMissing(UserError):
    template = N_("“{document}” cannot be marked as scanned: attach the scanned file first.")


class FormInvalid(UserError):
    exit_code = 2
    template = N_("The form “{document}” was not saved: {problems}")

    def __init__(self, *, document: str, problems: dict[str, str]) -> None:
        super().__init__(document=document, problems=" ".join(problems.values()))
        self.problems = problems


class DossierStage(Labelled):
    """The stage of a project a dossier's documents belong to."""
    PREPARATION = "preparation", N_("Preparation")
    APPROVAL = "approval", N_("Approval")
    IMPLEMENTATION = "implementation", N_("Implementation")
    ACCEPTANCE = "acceptance", N_("Acceptance")
    SETTLEMENT = "settlement", N_("Settlement")


class DocumentStatus(Labelled):
    """Where one required document of a dossier stands."""
    MISSING = "missing", N_("Missing")
    DRAFTING = "drafting", N_("Drafting")
    SIGNED = "signed", N_("Signed")
    SCANNED = "scanned", N_("Scanned")


class DossierState(Labelled):
    """The dossier list's filter."""
    ALL = "all", N_("All dossiers")
    INCOMPLETE = "incomplete", N_("Incomplete")
    COMPLETE = "complete", N_("Complete")
    WARNINGS = "warnings", N_("With warnings")
    LOCKED = "locked", N_("Locked (settled)")


def stage_label(stage: str) -> str:
    return DossierStage.label_of(stage)


def status_label(status: str) -> str:
    return DocumentStatus.label_of(status)


def state_label(state: str) -> str:
    return DossierState.label_of(state)


@dataclass(frozen=True)
class StageInfo:
    stage: str
    required: int
    required_done: int
    started: bool

    @property
    def percent(self) -> int:
        return int(self.required_done * 100 / self.required) if self.required else 100


@dataclass(frozen=True)
class DossierSummary:
    id: uuid.UUID
    project_id: uuid.UUID
    project_name: str
    project_kind: str
    kind_name: str
    village_name: str
    program_id: str
    template_id: str
    template_title: str
    template_version: int
    started_on: dt.date
    current_stage: str
    locked: bool
    locked_on: dt.date | None
    required: int
    required_done: int
    percent: int
    #: required documents not done in a stage that has started
    missing_in_started: int
    warnings: int
    stages: tuple[StageInfo, ...]
    #: a predecessor's dossier (history before the merger, read-only): the old unit; the
    #: project's name carries the label "— Xã Đắk La (trước sắp xếp)"
    history_of: str = ""

    @property
    def complete(self) -> bool:
        return self.required_done == self.required


@dataclass(frozen=True)
class DocumentLine:
    id: uuid.UUID
    code: str
    name: str
    stage: str
    required: bool
    legal_basis: str
    prepared_by: str
    signed_by: str
    confidence: str
    has_form: bool
    status: str
    number: str
    document_date: dt.date | None
    signed_on: dt.date | None
    signer: str
    note: str
    attachments: int
    form_filled: bool

    @property
    def done(self) -> bool:
        return self.status in dossier_rules.DONE_STATUSES


@dataclass(frozen=True)
class DossierDetail:
    summary: DossierSummary
    documents: tuple[DocumentLine, ...]
    warnings: tuple[str, ...]
    template: TemplateSpec


# ---------------------------------------------------------------------------- reading
def _unit(workspace: Workspace) -> str:
    return workspace.installation().unit_id


def _summary(dossier: Dossier, project: Project, spec: TemplateSpec, kind_name: str,
             village: str, statuses: dict[str, str]) -> tuple[DossierSummary, Completeness]:
    result = dossier_rules.completeness(spec, statuses, current_stage=dossier.current_stage)
    stages = tuple(StageInfo(s.stage, s.required, s.required_done, s.started)
                   for s in result.stages)
    missing = sum(s.required - s.required_done for s in result.stages if s.started)
    return DossierSummary(
        id=dossier.id, project_id=project.id, project_name=project.name,
        project_kind=project.kind, kind_name=kind_name, village_name=village,
        program_id=project.program_id, template_id=dossier.template_id,
        template_title=spec.title, template_version=spec.version,
        started_on=dossier.started_on, current_stage=dossier.current_stage,
        locked=dossier.locked, locked_on=dossier.locked_on, required=result.required,
        required_done=result.required_done, percent=result.percent,
        missing_in_started=missing, warnings=len(result.warnings), stages=stages), result


def _statuses(session, dossier_ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, str]]:
    found: dict[uuid.UUID, dict[str, str]] = {i: {} for i in dossier_ids}
    rows = session.execute(select(DossierDocument.dossier_id, DossierDocument.document_code,
                                  DossierDocument.status)
                           .where(DossierDocument.dossier_id.in_(dossier_ids),
                                  DossierDocument.deleted.is_(False)))
    for dossier_id, code, status in rows:
        found[dossier_id][code] = status
    return found


def list_dossiers(workspace: Workspace, *, query: str = "", kind: str | None = None,
                  state: str = "all", ids: list[uuid.UUID] | None = None,
                  history: bool = False) -> list[DossierSummary]:
    """The unit's live dossiers with their completeness, filtered; sorted by project name.
    ``history``: also the dossiers of the units it continues (a merged commune's
    predecessors), labelled with the old unit and read-only."""
    if state not in STATES:
        raise BadArgument(detail=_("Unknown dossier filter “{state}”.").format(state=state))
    terms = search_terms(query)
    dossier_templates.ensure_shipped_templates(workspace)
    with UnitOfWork.read(workspace) as session:
        titles = catalog.own_history(session, workspace) if history else {}
        statement = (select(Dossier, Project).join(Project, Project.id == Dossier.project_id)
                     .where(Dossier.owner_unit_id.in_([_unit(workspace), *titles]),
                            Dossier.deleted.is_(False)))
        if kind:
            statement = statement.where(Project.kind == kind)
        if ids is not None:
            statement = statement.where(Dossier.id.in_(ids))
        pairs = list(session.execute(statement))
        kinds = dict(session.execute(select(ProjectKind.code, ProjectKind.name)).all())
        villages = dict(session.execute(select(Village.id, Village.name)).all())
        statuses = _statuses(session, [d.id for d, _p in pairs])
    result = []
    specs: dict[str, TemplateSpec] = {}  # a handful of templates for hundreds of dossiers
    for dossier, project in pairs:
        village = villages.get(project.village_id, "")
        if terms and not all(t in fold(f"{project.name} {village} {project.location}")
                             for t in terms):
            continue
        spec = specs.get(dossier.template_id)
        if spec is None:
            spec = specs[dossier.template_id] = dossier_templates.load_spec(
                workspace, dossier.template_id)
        summary, _c = _summary(dossier, project, spec, kinds.get(project.kind, project.kind),
                               village, statuses[dossier.id])
        if state == "incomplete" and (summary.complete or summary.locked):
            continue
        if state == "complete" and not summary.complete:
            continue
        if state == "warnings" and not summary.warnings:
            continue
        if state == "locked" and not summary.locked:
            continue
        if dossier.owner_unit_id in titles:
            old_unit = titles[dossier.owner_unit_id]
            summary = replace(summary, history_of=old_unit, project_name=catalog.history_label(
                summary.project_name, old_unit))
        result.append(summary)
    result.sort(key=lambda s: fold(s.project_name))
    return result


def warning_sentences(spec: TemplateSpec, completeness: Completeness) -> tuple[str, ...]:
    return tuple(_("The stage “{stage}” has started but “{document}” ({earlier}) is still "
                   "{status}.").format(stage=stage_label(w.started_stage),
                                       document=w.document_name,
                                       earlier=stage_label(w.missing_stage),
                                       status=status_label(w.status).lower())
                 for w in completeness.warnings)


def get_dossier(workspace: Workspace, dossier_id: uuid.UUID) -> DossierDetail:
    with UnitOfWork.read(workspace) as session:
        dossier = get_or_refuse(session, Dossier, dossier_id, kind=_("Dossier"))
        project = session.get(Project, dossier.project_id)
        kind = session.get(ProjectKind, project.kind)
        village = session.get(Village, project.village_id) if project.village_id else None
        rows = list(session.scalars(select(DossierDocument).where(
            DossierDocument.dossier_id == dossier_id, DossierDocument.deleted.is_(False))))
        counts = dict(session.execute(
            select(Attachment.parent_id, func.count()).where(
                Attachment.parent_table == DOCUMENT_TABLE,
                Attachment.parent_id.in_([r.id for r in rows]),
                Attachment.deleted.is_(False)).group_by(Attachment.parent_id)).all())
        # a predecessor's dossier opens as history: labelled, and the screen read-only
        old_unit = catalog.own_history(session, workspace).get(dossier.owner_unit_id, "")
    spec = dossier_templates.load_spec(workspace, dossier.template_id)
    by_code = {row.document_code: row for row in rows}
    statuses = {code: row.status for code, row in by_code.items()}
    summary, result = _summary(dossier, project, spec, kind.name if kind else project.kind,
                               village.name if village else "", statuses)
    if old_unit:
        summary = replace(summary, history_of=old_unit, project_name=catalog.history_label(
            summary.project_name, old_unit))
    lines = []
    for document in spec.documents:
        row = by_code.get(document.code)
        if row is None:
            continue
        lines.append(DocumentLine(
            id=row.id, code=document.code, name=document.name, stage=document.stage,
            required=document.required, legal_basis=document.legal_basis,
            prepared_by=document.prepared_by, signed_by=document.signed_by,
            confidence=document.confidence, has_form=document.form is not None,
            status=row.status, number=row.number, document_date=row.document_date,
            signed_on=row.signed_on, signer=row.signer, note=row.note,
            attachments=counts.get(row.id, 0), form_filled=bool(row.form_values)))
    return DossierDetail(summary, tuple(lines), warning_sentences(spec, result), spec)


def dossier_for_project(workspace: Workspace, project_id: uuid.UUID) -> uuid.UUID | None:
    with UnitOfWork.read(workspace) as session:
        return session.execute(select(Dossier.id).where(
            Dossier.project_id == project_id, Dossier.deleted.is_(False))).scalar()


@dataclass(frozen=True)
class ProjectChoice:
    id: uuid.UUID
    name: str
    kind: str
    kind_name: str
    template_id: str | None


def projects_without_dossier(workspace: Workspace) -> list[ProjectChoice]:
    """The unit's projects that have no dossier yet, with the template one would use."""
    with UnitOfWork.read(workspace) as session:
        started = select(Dossier.project_id).where(Dossier.deleted.is_(False))
        rows = list(session.execute(
            select(Project.id, Project.name, Project.kind, ProjectKind.name)
            .join(ProjectKind, ProjectKind.code == Project.kind)
            .where(Project.owner_unit_id == _unit(workspace), Project.deleted.is_(False),
                   Project.id.not_in(started))))
    result = []
    for project_id, name, kind, kind_name in rows:
        try:
            template_id = dossier_templates.template_for_kind(workspace, kind).id
        except dossier_templates.NoTemplateForKind:
            template_id = None
        result.append(ProjectChoice(project_id, name, kind, kind_name, template_id))
    return sorted(result, key=lambda p: fold(p.name))


# ---------------------------------------------------------------------------- writing
def _live_dossier(session, dossier_id: uuid.UUID) -> Dossier:
    dossier = get_or_refuse(session, Dossier, dossier_id, kind=_("Dossier"))
    return dossier


def _editable(session, dossier: Dossier, workspace: Workspace) -> None:
    project = session.get(Project, dossier.project_id)
    # a predecessor's dossier is history (read-only after the merger)
    catalog.refuse_history(session, workspace, dossier.owner_unit_id,
                           project.name if project is not None else _("Dossier"))
    if dossier.locked:
        project = session.get(Project, dossier.project_id)
        raise DossierLocked(project=project.name, date=dossier.locked_on)


def _document(session, document_id: uuid.UUID) -> tuple[DossierDocument, Dossier]:
    row = get_or_refuse(session, DossierDocument, document_id, kind=_("Dossier document"))
    return row, _live_dossier(session, row.dossier_id)


def start_dossier(workspace: Workspace, project_id: uuid.UUID, *,
                  template_id: str | None = None, started_on: dt.date | None = None
                  ) -> DossierDetail:
    """Start the dossier of a project: one checklist line per document of the template."""
    dossier_templates.ensure_shipped_templates(workspace)
    with UnitOfWork.read(workspace) as session:
        project = get_or_refuse(session, Project, project_id, kind=_("Project"))
        kind = project.kind
    template_id = template_id or dossier_templates.template_for_kind(workspace, kind).id
    spec = dossier_templates.load_spec(workspace, template_id)
    if spec.kind != kind:
        raise BadArgument(detail=_("The template “{template}” is for another kind of project.")
                          .format(template=spec.title))
    with UnitOfWork(workspace) as uow:
        session = uow.session
        existing = session.scalars(select(Dossier).where(
            Dossier.project_id == project_id, Dossier.deleted.is_(False))).first()
        if existing is not None:
            raise DossierExists(project=project.name, date=existing.started_on)
        dossier = Dossier(id=uuid.uuid4(), project_id=project_id, template_id=template_id,
                          started_on=started_on or workspace.today(),
                          current_stage=spec.stages[0])
        session.add(dossier)
        session.flush()
        for document in spec.documents:
            session.add(DossierDocument(dossier_id=dossier.id, document_code=document.code))
        uow.commit()
        dossier_id = dossier.id
    return get_dossier(workspace, dossier_id)


@dataclass(frozen=True)
class Saved:
    """What a change left: the dossier as it is now and the warnings it raised."""

    detail: DossierDetail
    warnings: tuple[str, ...]


def _new_warnings(before: tuple[str, ...], after: DossierDetail) -> tuple[str, ...]:
    return tuple(w for w in after.warnings if w not in before)


def update_document(workspace: Workspace, document_id: uuid.UUID, *, status: str,
                    number: str = "", document_date: dt.date | None = None,
                    signed_on: dt.date | None = None, signer: str = "",
                    note: str = "") -> Saved:
    """Change one checklist line; returns the warnings a later stage now raises."""
    if status not in DOCUMENT_STATUSES:
        raise BadArgument(detail=_("Unknown document status “{status}”.").format(status=status))
    field_rules.check("dossier_document", {  # what a receiver of the sync package refuses
        "number": normalize(number), "signer": normalize(signer), "note": normalize(note)})
    if signed_on and document_date and signed_on < document_date:
        raise BadArgument(detail=_("The signing date is before the document's date."))
    today = workspace.today()
    for value in (document_date, signed_on):
        if value and value > today:
            raise BadArgument(detail=_("A date cannot be after the working date ({today}).")
                              .format(today=today.strftime("%d/%m/%Y")))
    with UnitOfWork.read(workspace) as session:
        row, dossier = _document(session, document_id)
        dossier_id = dossier.id
    before = get_dossier(workspace, dossier_id).warnings
    with UnitOfWork(workspace) as uow:
        row, dossier = _document(uow.session, document_id)
        _editable(uow.session, dossier, workspace)
        spec = dossier_templates.load_spec(workspace, dossier.template_id)
        name = spec.document(row.document_code).name
        if status == "scanned":
            scans = uow.session.execute(select(func.count()).where(
                Attachment.parent_table == DOCUMENT_TABLE, Attachment.parent_id == row.id,
                Attachment.deleted.is_(False))).scalar()
            if not scans:
                raise ScanMissing(document=name)
        row.status = status
        row.number = normalize(number)
        row.document_date = document_date
        row.signed_on = signed_on
        row.signer = normalize(signer)
        row.note = normalize(note)
        uow.commit()
    after = get_dossier(workspace, dossier_id)
    return Saved(after, _new_warnings(before, after))


def set_stage(workspace: Workspace, dossier_id: uuid.UUID, stage: str) -> Saved:
    """Say which stage the dossier has reached; warns about earlier required documents."""
    if stage not in STAGES:
        raise BadArgument(detail=_("Unknown stage “{stage}”.").format(stage=stage))
    before = get_dossier(workspace, dossier_id).warnings
    with UnitOfWork(workspace) as uow:
        dossier = _live_dossier(uow.session, dossier_id)
        _editable(uow.session, dossier, workspace)
        dossier.current_stage = stage
        uow.commit()
    after = get_dossier(workspace, dossier_id)
    return Saved(after, _new_warnings(before, after))


def lock_dossier(workspace: Workspace, dossier_id: uuid.UUID) -> DossierDetail:
    """Khóa hồ sơ đã quyết toán: only when every required document is signed or scanned."""
    detail = get_dossier(workspace, dossier_id)
    statuses = {line.code: line.status for line in detail.documents}
    missing = dossier_rules.missing_required(detail.template, statuses)
    if missing:
        names = "; ".join(missing[:3]) + ("; …" if len(missing) > 3 else "")
        raise DossierNotSettled(count=len(missing), names=names)
    with UnitOfWork(workspace) as uow:
        dossier = _live_dossier(uow.session, dossier_id)
        _editable(uow.session, dossier, workspace)
        dossier.locked = True
        dossier.locked_on = workspace.today()
        dossier.current_stage = "settlement"
        uow.commit()
    return get_dossier(workspace, dossier_id)


# ---------------------------------------------------------------------------- forms
def form_values(workspace: Workspace, document_id: uuid.UUID) -> dict:
    with UnitOfWork.read(workspace) as session:
        row, _dossier = _document(session, document_id)
        return json.loads(row.form_values) if row.form_values else {}


def save_form(workspace: Workspace, document_id: uuid.UUID, raw_values: dict) -> dict:
    """Check and save a filled form (all fields or none); a missing document becomes
    "drafting". Returns the stored values."""
    with UnitOfWork(workspace) as uow:
        row, dossier = _document(uow.session, document_id)
        _editable(uow.session, dossier, workspace)
        spec = dossier_templates.load_spec(workspace, dossier.template_id)
        document = spec.document(row.document_code)
        if document is None or document.form is None:
            raise BadArgument(detail=_("This document has no form to fill in."))
        values, problems = check_form(document.form, raw_values)
        if problems:
            raise FormInvalid(document=document.name, problems=problems)
        row.form_values = canonical_json(values) if values else ""
        if row.status == "missing" and values:
            row.status = "drafting"
        uow.commit()
        return values


# ---------------------------------------------------------------------------- files
def attach(workspace: Workspace, document_id: uuid.UUID, path: str | Path, *,
           caption: str = "") -> attachments.AttachmentInfo:
    """Attach a scan or a photo to a checklist line (refused once the dossier is locked)."""
    with UnitOfWork.read(workspace) as session:
        _row, dossier = _document(session, document_id)
        _editable(session, dossier, workspace)
    return attachments.attach_file(workspace, path, parent_table=DOCUMENT_TABLE,
                                   parent_id=document_id, caption=caption)


def document_attachments(workspace: Workspace, document_id: uuid.UUID
                         ) -> list[attachments.AttachmentInfo]:
    return attachments.list_attachments(workspace, DOCUMENT_TABLE, document_id)


def remove_attachment(workspace: Workspace, attachment_id: uuid.UUID) -> None:
    with UnitOfWork.read(workspace) as session:
        attachment = session.get(Attachment, attachment_id)
        if attachment is None or attachment.parent_table != DOCUMENT_TABLE:
            raise RecordNotFound(kind=_("Attachment"), ident=str(attachment_id))
        row, dossier = _document(session, attachment.parent_id)
        _editable(session, dossier, workspace)
        scans_left = session.execute(select(func.count()).where(
            Attachment.parent_table == DOCUMENT_TABLE, Attachment.parent_id == row.id,
            Attachment.deleted.is_(False))).scalar() - 1
        if row.status == "scanned" and scans_left < 1:
            spec = dossier_templates.load_spec(workspace, dossier.template_id)
            raise BadArgument(detail=_("“{document}” is marked as scanned: change its status "
                                       "before removing its last file.").format(
                document=spec.document(row.document_code).name))
    attachments.remove_attachment(workspace, attachment_id)


class DossierIdUnknown(UserError):
    exit_code = 2
    template = N_("No dossier has an id starting with “{prefix}”. “ctmtqg dossier list” shows "
                  "the ids.")


class DossierIdAmbiguous(UserError):
    exit_code = 2
    template = N_("Several dossiers have an id starting with “{prefix}”; write more of it.")


def find_dossier(workspace: Workspace, prefix: str) -> uuid.UUID:
    """The dossier whose id starts with ``prefix`` (as ``ctmtqg dossier list`` shows it)."""
    wanted = prefix.strip().lower()
    if len(wanted) < 4:
        raise DossierIdUnknown(prefix=prefix)
    with UnitOfWork.read(workspace) as session:
        ids = [i for i in session.scalars(select(Dossier.id).where(
            Dossier.owner_unit_id == _unit(workspace), Dossier.deleted.is_(False)))
            if str(i).startswith(wanted)]
    if not ids:
        raise DossierIdUnknown(prefix=prefix)
    if len(ids) > 1:
        raise DossierIdAmbiguous(prefix=prefix)
    return ids[0]
