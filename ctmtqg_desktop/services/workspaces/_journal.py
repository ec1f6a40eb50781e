"""Reading the change journal for people: what was written, when, by which installation."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import select

from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import area
from ctmtqg_desktop.store.models.journal import ChangeJournalEntry
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace

SORT_KEYS = {"seq": ChangeJournalEntry.seq, "table": ChangeJournalEntry.table_name,
             "operation": ChangeJournalEntry.operation}
_SUMMARY_FIELDS = ("name", "title", "text", "number", "code")


@dataclass(frozen=True)
class JournalRow:
    seq: int
    recorded_at: dt.datetime
    table_label: str
    operation_label: str
    summary: str
    local: bool


def operation_label(operation: str) -> str:
    return {"insert": _("added"), "update": _("changed"), "delete": _("deleted")}.get(
        operation, operation)


def journal_ids(workspace: Workspace, query: dict, sort_key: str | None,
                descending: bool) -> list[int]:
    column = SORT_KEYS.get(sort_key or "seq", ChangeJournalEntry.seq)
    order = column.desc() if descending else column.asc()
    statement = select(ChangeJournalEntry.seq).order_by(order, ChangeJournalEntry.seq.desc())
    if query.get("table"):
        statement = statement.where(ChangeJournalEntry.table_name == query["table"])
    with UnitOfWork.read(workspace) as session:
        return list(session.scalars(statement))


def journal_rows(workspace: Workspace, seqs: list[int]) -> dict[int, JournalRow]:
    labels = {m.__tablename__: _(m.__label__) if m.__label__ else m.__tablename__
              for m in area.synced_records()}
    node = workspace.installation().node_id
    with UnitOfWork.read(workspace) as session:
        entries = session.scalars(select(ChangeJournalEntry).where(
            ChangeJournalEntry.seq.in_(seqs)))
        rows = {}
        for entry in entries:
            payload = json.loads(entry.payload)
            summary = next((str(payload[f]) for f in _SUMMARY_FIELDS if payload.get(f)),
                           str(entry.record_id)[:8])
            rows[entry.seq] = JournalRow(entry.seq, entry.recorded_at,
                                         labels.get(entry.table_name, entry.table_name),
                                         operation_label(entry.operation), summary,
                                         entry.origin_node_id == node)
        return rows
