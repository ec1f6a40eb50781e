"""Văn bản chỉ đạo: the directives that assign tasks, with their scans; listing, saving and
deleting them."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from ctmtqg_desktop.domain import field_rules
from ctmtqg_desktop.domain.formats import format_date, format_number
from ctmtqg_desktop.domain.text import fold, normalize, search_terms
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import attachments as attachment_service
from ctmtqg_desktop.services.tasks._derived import refresh
from ctmtqg_desktop.services.tasks._rules import (
    TaskInputInvalid,
    check_programs,
    normalize_block,
    of_unit,
    split_lines,
    unit_body,
)
from ctmtqg_desktop.store.models.attachments import Attachment
from ctmtqg_desktop.store.models.catalog import AdminUnit
from ctmtqg_desktop.store.models.tasks import Directive, Task
from ctmtqg_desktop.store.uow import UnitOfWork, check_owner, get_or_refuse
from ctmtqg_desktop.store.workspace import Workspace

DIRECTIVE_TABLE = "directive"


# ---------------------------------------------------------------------------- directives
@dataclass(frozen=True)
class DirectiveInfo:
    id: uuid.UUID
    number_symbol: str
    doc_type: str
    issued_on: dt.date | None
    issuing_body: str
    issuing_unit_id: str | None
    title: str
    summary: str
    program_ids: tuple[str, ...]
    related_documents: tuple[str, ...]
    task_count: int = 0
    attachments: tuple[attachment_service.AttachmentInfo, ...] = ()
    owner_unit_id: str = ""

    @property
    def label(self) -> str:
        return directive_label(self.doc_type, self.number_symbol, self.issued_on,
                               self.issuing_body)


def directive_label(doc_type: str, number_symbol: str, issued_on: dt.date | None,
                    issuing_body: str) -> str:
    """``Kế hoạch số 729/KH-UBND ngày 17/03/2023`` (or the body when the number is unknown)."""
    parts = [doc_type or _("Official document")]
    if number_symbol:
        parts.append(_("No. {number}").format(number=number_symbol))
    if issued_on:
        parts.append(_("of {date}").format(date=format_date(issued_on)))
    if not number_symbol and issuing_body:
        parts.append(_("of {body}").format(body=issuing_body))
    return " ".join(parts)


def _directive_info(row: Directive, count: int = 0, files=()) -> DirectiveInfo:
    return DirectiveInfo(row.id, row.number_symbol, row.doc_type, row.issued_on,
                         row.issuing_body, row.issuing_unit_id, row.title, row.summary,
                         tuple(split_lines(row.program_ids)),
                         tuple(split_lines(row.related_documents)),
                         count, tuple(files), row.owner_unit_id or "")


def list_directives(workspace: Workspace, *, text: str = "",
                    with_files: bool = False) -> list[DirectiveInfo]:
    """The unit's directives, newest first; ``text``: every word in the number, kind, body,
    title or summary (diacritics ignored); ``with_files``: with their attachments."""
    unit_id = workspace.installation().unit_id
    with UnitOfWork.read(workspace) as session:
        counts = dict(session.execute(
            select(Task.directive_id, func.count()).where(
                Task.deleted.is_(False), Task.directive_id.is_not(None))
            .group_by(Task.directive_id)).all())
        statement = select(Directive).where(
            Directive.deleted.is_(False), of_unit(Directive, unit_id))
        for term in search_terms(text):
            statement = statement.where(Directive.search_text.contains(term, autoescape=True))
        rows = list(session.scalars(statement.order_by(
            Directive.issued_on.is_(None), Directive.issued_on.desc(),
            Directive.number_symbol)))
        files: dict[uuid.UUID, list] = {}
        if with_files and rows:
            for item in session.scalars(select(Attachment).where(
                    Attachment.parent_table == DIRECTIVE_TABLE,
                    Attachment.parent_id.in_([r.id for r in rows]),
                    Attachment.deleted.is_(False)).order_by(Attachment.created_at)):
                files.setdefault(item.parent_id, []).append(attachment_service._info(item))
        return [_directive_info(row, counts.get(row.id, 0), files.get(row.id, ()))
                for row in rows]


def delete_directive(workspace: Workspace, directive_id: uuid.UUID) -> None:
    """Tombstone a directive that gave no task (with its attachment records); one that did
    is refused: its tasks would lose where they come from."""
    with UnitOfWork(workspace) as uow:
        session = uow.session
        row = get_or_refuse(session, Directive, directive_id, kind=_("Directive"))
        check_owner(row, uow.context.unit_id, TaskInputInvalid(
            field=_("Directive"),
            reason=_("it was entered by another unit; only that unit can change it")))
        count = session.execute(select(func.count()).where(
            Task.directive_id == row.id, Task.deleted.is_(False))).scalar()
        if count:
            raise TaskInputInvalid(field=_("Directive"), reason=_(
                "{count} task(s) come from it; delete them or link them to another "
                "directive first").format(count=format_number(count)))
        row.deleted = True
        for item in session.scalars(select(Attachment).where(
                Attachment.parent_table == DIRECTIVE_TABLE, Attachment.parent_id == row.id,
                Attachment.deleted.is_(False))):
            item.deleted = True
        uow.commit()


def get_directive(workspace: Workspace, directive_id: uuid.UUID) -> DirectiveInfo:
    with UnitOfWork.read(workspace) as session:
        row = get_or_refuse(session, Directive, directive_id, kind=_("Directive"))
        count = session.execute(select(func.count()).where(
            Task.directive_id == row.id, Task.deleted.is_(False))).scalar()
    files = attachment_service.list_attachments(workspace, DIRECTIVE_TABLE, directive_id)
    return _directive_info(row, count, files)


def save_directive(workspace: Workspace, *, directive_id: uuid.UUID | None = None,
                   number_symbol: str = "", doc_type: str = "",
                   issued_on: dt.date | None = None, issuing_body: str = "",
                   issuing_unit_id: str | None = None, title: str = "", summary: str = "",
                   program_ids: Sequence[str] = (), related_documents: Sequence[str] | str = (),
                   attach: Sequence[str | Path] = (),
                   detach: Sequence[uuid.UUID] = ()) -> DirectiveInfo:
    """Add or change a directive, with the scans in ``attach`` and without the attachments
    ``detach`` (ids of its own), in one transaction."""
    title = normalize(title)
    if not title:
        raise TaskInputInvalid(field=_("Subject"), reason=_("the title (trích yếu) is empty"))
    if not normalize(issuing_body) and not issuing_unit_id:
        raise TaskInputInvalid(field=_("Issuing body"), reason=_("say who issued it"))
    if issued_on and issued_on > workspace.today() + dt.timedelta(days=366):
        raise TaskInputInvalid(field=_("Date"), reason=_("the date is too far in the future"))
    field_rules.check("directive", {  # what a receiver of the sync package would refuse
        "number_symbol": normalize(number_symbol), "issuing_body": normalize(issuing_body),
        "title": title, "summary": normalize_block(summary)})
    # store the files first: a file over the size limit stops everything, nothing written
    stored = [attachment_service.attachment_store(workspace).add_file(path) for path in attach]
    with UnitOfWork(workspace) as uow:
        session = uow.session
        check_programs(session, program_ids)
        if issuing_unit_id and session.get(AdminUnit, issuing_unit_id) is None:
            raise TaskInputInvalid(field=_("Issuing body"), reason=_(
                "unknown unit “{unit}”").format(unit=issuing_unit_id))
        if directive_id is None:
            row = Directive()
            session.add(row)
        else:
            row = get_or_refuse(session, Directive, directive_id, kind=_("Directive"))
            check_owner(row, uow.context.unit_id, TaskInputInvalid(
                field=_("Directive"),
                reason=_("it was entered by another unit; only that unit can change it")))
        for ident in detach:
            item = session.get(Attachment, ident)
            if item is None or item.deleted or item.parent_table != DIRECTIVE_TABLE or \
                    item.parent_id != directive_id:
                raise TaskInputInvalid(field=_("Scan or PDF"), reason=_(
                    "the file to remove is not attached to this directive"))
            item.deleted = True
        row.number_symbol = normalize(number_symbol)
        row.doc_type = normalize(doc_type)
        row.issued_on = issued_on
        row.issuing_body = normalize(issuing_body)
        if not row.issuing_body and issuing_unit_id:
            row.issuing_body = unit_body(session.get(AdminUnit, issuing_unit_id))
        row.issuing_unit_id = issuing_unit_id
        row.title = title
        row.summary = normalize_block(summary)
        row.program_ids = "\n".join(split_lines(program_ids))
        row.related_documents = "\n".join(split_lines(related_documents))
        row.search_text = fold(" ".join([row.number_symbol, row.doc_type, row.issuing_body,
                                         row.title, row.summary]))
        session.flush()
        for item in stored:
            attachment_service.add_attachment_record(session, item, parent_table=DIRECTIVE_TABLE,
                                                     parent_id=row.id)
        if directive_id is not None:
            for task in session.scalars(select(Task).where(Task.directive_id == row.id)):
                refresh(session, task)
        uow.commit()
        directive_id = row.id
    return get_directive(workspace, directive_id)
