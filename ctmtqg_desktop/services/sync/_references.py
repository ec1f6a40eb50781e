"""Dossier templates and handbook pages travelling down in packages (``references.json``).

Since Nghị định 38/2023/NĐ-CP (amending Nghị định 27/2022/NĐ-CP) the Provincial People's
Council sets the sample dossiers (bộ hồ sơ mẫu), and the host agencies keep the handbook
(sổ tay hướng dẫn) current; both are data the parent unit sends down. They are not synced
records: a parent chooses them (:class:`ReferenceDispatch`, for one child or ``*``), each
package to a child carries those the child has not yet acknowledged, and the child checks
them with the same parsers as shipped files before anything is written
(``docs/sync-format.md``, section 7b).

On the receiving side, templates are installed beside the older versions inside the
import's transaction; handbook pages are written to the workspace's ``handbook/`` folder
under staging names before the transaction and renamed into place once it has committed
(``services/sync/_staged.py``). A unit that has children of its own passes what it received
on to every child.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import dossiers, handbook
from ctmtqg_desktop.store.atomic_files import write_text_atomic
from ctmtqg_desktop.store.base import EVERY_CHILD, stored_text, utc_now
from ctmtqg_desktop.store.models.catalog import ProjectKind
from ctmtqg_desktop.store.models.dossiers import DossierTemplate
from ctmtqg_desktop.store.models.identity import Node
from ctmtqg_desktop.store.models.parent import ReferenceDelivery, ReferenceDispatch
from ctmtqg_desktop.store.models.sync import SyncAck, SyncIncoming
from ctmtqg_desktop.store.schema import ordered_revisions
from ctmtqg_desktop.store.workspace import Workspace
from ctmtqg_desktop.sync.errors import BadReferences

TEMPLATE, PAGE = "dossier_template", "handbook_page"
#: the lists of the entry, by kind
_SECTIONS = {TEMPLATE: "dossier_templates", PAGE: "handbook_pages"}
_MAX_ITEMS = 500
_MAX_NAME = 200

__all__ = ["BadReferences", "ReferenceItem", "ReferenceData", "check_item", "pack", "unpack",
           "install", "write_pages", "pages_to_write", "outgoing", "held_back",
           "DataVersions", "installation_data_versions",
           "record_delivery", "received_sentence"]


@dataclass(frozen=True)
class ReferenceItem:
    """One template or page, checked: its kind, file name, text and what it says it is."""

    kind: str
    file_name: str
    text: str
    key: str
    title: str
    digest: str


@dataclass(frozen=True)
class ReferenceData:
    items: tuple[ReferenceItem, ...]

    def of_kind(self, kind: str) -> list[ReferenceItem]:
        return [item for item in self.items if item.kind == kind]


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_item(kind: str, file_name: str, text: str) -> ReferenceItem:
    """Parse a template or page with the same checks as a shipped file (raises the parser's
    Vietnamese error with the file, line and reason)."""
    if kind == TEMPLATE:
        spec = dossiers.read_template_text(text, name=file_name)
        return ReferenceItem(kind, file_name, text, spec.key, spec.title, digest_of(text))
    page = handbook.parse_page(text, file=file_name, origin="package")
    return ReferenceItem(kind, file_name, text, f"{page.code}@{page.version}", page.title,
                         digest_of(text))


def pack(items: list[ReferenceItem]) -> dict:
    document: dict[str, list] = {section: [] for section in _SECTIONS.values()}
    for item in items:
        document[_SECTIONS[item.kind]].append({"name": item.file_name, "text": item.text})
    return document


def unpack(document: object) -> ReferenceData:
    """Check the entry's structure and every document in it; raise :class:`BadReferences`."""
    if not isinstance(document, dict) or set(document) != set(_SECTIONS.values()):
        raise BadReferences(detail=_("the entry does not have the expected lists"))
    items = []
    for kind, section in _SECTIONS.items():
        entries = document[section]
        if not isinstance(entries, list) or len(entries) > _MAX_ITEMS:
            raise BadReferences(detail=_("the entry does not have the expected lists"))
        for entry in entries:
            if not isinstance(entry, dict) or set(entry) != {"name", "text"} or \
                    not isinstance(entry["name"], str) or not isinstance(entry["text"], str) \
                    or not entry["name"] or len(entry["name"]) > _MAX_NAME \
                    or any(c in entry["name"] for c in "/\\\0") or ".." in entry["name"] \
                    or stored_text(entry["name"]) != entry["name"]:
                raise BadReferences(detail=_("a document has no valid name or text"))
            try:
                items.append(check_item(kind, entry["name"], entry["text"]))
            except UserError as error:
                raise BadReferences(detail=str(error)) from error
    return ReferenceData(tuple(items))


# ---------------------------------------------------------------------------- receiving
def install(session: Session, data: ReferenceData, *, pass_on: bool) -> list[str]:
    """Install the templates (inside the import's transaction); queue everything for our own
    children when ``pass_on``. Returns sentences about templates kept as they were."""
    notes = []
    kinds = set(session.scalars(select(ProjectKind.code)))
    for item in data.of_kind(TEMPLATE):
        spec = dossiers.read_template_text(item.text, name=item.file_name)
        row = session.get(DossierTemplate, spec.key)
        if row is not None:
            if row.digest != item.digest:
                notes.append(_("The dossier template {key} received differs from the one "
                               "installed here under the same version; the installed one "
                               "was kept.").format(key=spec.key))
            continue
        if spec.kind not in kinds:
            notes.append(_("The dossier template {key} is for a kind of project that is not "
                           "in the catalog ({kind}); it was not installed.").format(
                key=spec.key, kind=spec.kind))
            continue
        session.add(DossierTemplate(
            id=spec.key, code=spec.code, version=spec.version, province=spec.province,
            kind=spec.kind, title=spec.title, confidence=spec.confidence,
            source_name=item.file_name, origin="package", content=item.text,
            digest=item.digest, installed_at=utc_now()))
    if pass_on:
        for item in data.items:
            queue(session, item, EVERY_CHILD, origin="parent")
    session.flush()
    return notes


def pages_to_write(workspace: Workspace, data: ReferenceData) -> list[tuple[Path, str]]:
    """``(path, text)`` of the handbook pages newer than the installed ones."""
    pages = data.of_kind(PAGE)
    if not pages:
        return []
    installed = {p.code: p.version for p in handbook.load_pages(workspace)}
    files = []
    for item in pages:
        page = handbook.parse_page(item.text, file=item.file_name, origin="package")
        if installed.get(page.code, 0) >= page.version:
            continue
        files.append((handbook.page_path(workspace, page), item.text))
        installed[page.code] = page.version
    return files


def write_pages(workspace: Workspace, data: ReferenceData) -> int:
    """Write the handbook pages that are newer than the installed ones; returns how many."""
    files = pages_to_write(workspace, data)
    for path, text in files:
        write_text_atomic(path, text)
    return len(files)


def received_sentence(data: ReferenceData, notes: list[str]) -> str:
    parts = [_("Received {templates} dossier templates and {pages} handbook pages.").format(
        templates=len(data.of_kind(TEMPLATE)), pages=len(data.of_kind(PAGE)))]
    return " ".join(parts + notes)


# ---------------------------------------------------------------------------- sending
def queue(session: Session, item: ReferenceItem, audience: str, *,
          origin: str = "local") -> ReferenceDispatch:
    """Send ``item`` to ``audience`` (a child unit or ``*``) from the next package on; the
    same document for the same audience is queued once."""
    row = session.scalars(select(ReferenceDispatch).where(
        ReferenceDispatch.kind == item.kind, ReferenceDispatch.item_key == item.key,
        ReferenceDispatch.audience_unit_id == audience)).first()
    if row is not None:
        return row
    row = ReferenceDispatch(kind=item.kind, item_key=item.key, title=item.title[:300],
                            file_name=item.file_name, content=item.text, digest=item.digest,
                            audience_unit_id=audience, origin=origin, created_at=utc_now())
    session.add(row)
    return row


def acknowledged_numbers(session: Session, recipient: str) -> dict:
    """``{node id: last package number it applied}`` for the recipient's trusted nodes
    (None for a trusted node that has acknowledged nothing yet)."""
    nodes = list(session.scalars(select(Node.id).where(Node.unit_id == recipient,
                                                      Node.status == "trusted")))
    acks = dict(session.execute(select(SyncAck.node_id, SyncAck.package_number).where(
        SyncAck.recipient_unit_id == recipient)).all())
    return {node: acks.get(node) for node in nodes}


def installation_data_versions(session: Session, units: list[str] | None = None
                               ) -> dict[str, list[str]]:
    """``{unit: [data version of the latest package each of its installations sent us]}``
    (one query; an installation never heard from is unknown and not listed)."""
    query = select(SyncIncoming.sender_unit_id, SyncIncoming.sender_node_id,
                   SyncIncoming.number, SyncIncoming.schema_revision)
    if units is not None:
        query = query.where(SyncIncoming.sender_unit_id.in_(units))
    latest: dict[tuple[str, uuid.UUID], tuple[int, str]] = {}
    for unit, node, number, revision in session.execute(query):
        if (unit, node) not in latest or number > latest[(unit, node)][0]:
            latest[(unit, node)] = (number, revision)
    found: dict[str, list[str]] = {}
    for (unit, _node), (_number, revision) in latest.items():
        found.setdefault(unit, []).append(revision)
    return found


class DataVersions:
    """Which data versions come before which (the migration history) and what a document
    needs (``domain/dossier_templates.FIELD_TYPE_SINCE``), each template parsed once."""

    def __init__(self) -> None:
        self.order = {revision: index for index, revision in enumerate(ordered_revisions())}
        self._needed: dict[str, str] = {}

    def needed(self, kind: str, text: str, name: str) -> str:
        """The newest data version a receiver needs to read the document ("" for any)."""
        if kind != TEMPLATE:
            return ""
        digest = digest_of(text)
        if digest not in self._needed:
            wanted = dossiers.read_template_text(text, name=name).data_versions_needed()
            self._needed[digest] = max(wanted, key=lambda r: self.order.get(r, len(
                self.order)), default="")
        return self._needed[digest]

    def oldest_below(self, reported: list[str], needed: str) -> str | None:
        """The oldest of ``reported`` that comes before ``needed`` (None: all can read it;
        a data version we do not know is newer than ours)."""
        if not needed or needed not in self.order:
            return None
        older = [r for r in reported if r in self.order and self.order[r] < self.order[needed]]
        return min(older, key=self.order.__getitem__, default=None)


def _choose(session: Session, recipient: str
            ) -> tuple[list[tuple[int, ReferenceItem]], list[ReferenceItem]]:
    """(what the next package carries, what is held back because an installation of the
    recipient reported a data version that cannot read it)."""
    rows = list(session.scalars(select(ReferenceDispatch).where(
        ReferenceDispatch.audience_unit_id.in_((recipient, EVERY_CHILD)))
        .order_by(ReferenceDispatch.id)))
    if not rows:
        return [], []
    deliveries = {d.reference_id: d.first_number for d in session.scalars(
        select(ReferenceDelivery).where(ReferenceDelivery.recipient_unit_id == recipient))}
    numbers = acknowledged_numbers(session, recipient)
    reported = installation_data_versions(session, [recipient]).get(recipient, [])
    versions = DataVersions()
    chosen, held, seen = [], [], set()
    for row in rows:
        if (row.kind, row.item_key) in seen:  # addressed to the child and to every child
            continue
        first = deliveries.get(row.id)
        if first is None or not numbers or any(n is None or n < first
                                               for n in numbers.values()):
            item = ReferenceItem(row.kind, row.file_name, row.content, row.item_key,
                                 row.title, row.digest)
            seen.add((row.kind, row.item_key))
            needed = versions.needed(row.kind, row.content, row.file_name)
            if versions.oldest_below(reported, needed) is not None:
                held.append(item)
                continue
            chosen.append((row.id, item))
    return chosen, held


def outgoing(session: Session, recipient: str) -> list[tuple[int, ReferenceItem]]:
    """What the next package to ``recipient`` carries: each document addressed to it (or to
    every child) until every known installation of it has acknowledged a package that
    carried it (resent until acknowledged, like the changes); a template that the
    recipient's reported data version cannot read is held back (:func:`held_back`)."""
    return _choose(session, recipient)[0]


def held_back(session: Session, recipient: str, unit_name: str) -> list[str]:
    """One sentence per document held back from ``recipient`` until its installations are
    updated: an older installation would refuse the whole package for it."""
    return [_("The dossier template “{title}” (version {version}) was not sent to {unit}: its "
              "computer runs an older version of the application, which cannot read this "
              "template. It will be sent once the unit has updated the application and sent a "
              "package.").format(title=item.title, version=item.key.rpartition("@")[2],
                                 unit=unit_name)
            for item in _choose(session, recipient)[1]]


def record_delivery(session: Session, reference_ids: list[int], recipient: str,
                    number: int) -> None:
    """Note the first package to ``recipient`` that carried each of ``reference_ids``."""
    now = utc_now()
    for ident in reference_ids:
        if session.get(ReferenceDelivery, (ident, recipient)) is None:
            session.add(ReferenceDelivery(reference_id=ident, recipient_unit_id=recipient,
                                          first_number=number, first_sent_at=now))
