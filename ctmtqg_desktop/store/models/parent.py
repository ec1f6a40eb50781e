"""The parent unit's desk: what it sends down besides records, what it assigned, and the
reorganisations of units it applied.

These tables are local bookkeeping, not synced records (like the sync tables):

* :class:`ReferenceDispatch`: a dossier template (bộ hồ sơ mẫu, Nghị định 27/2022/NĐ-CP as
  amended by Nghị định 38/2023/NĐ-CP: set by the Provincial People's Council) or a handbook
  page (sổ tay hướng dẫn) to send down to one child unit or to every child (``*``); it
  travels in the ``references.json`` entry of the packages (``docs/sync-format.md``) until
  the child acknowledges a package that carried it (:class:`ReferenceDelivery`).
* :class:`Assignment` and :class:`AssignmentRecord`: one act of assigning (giao nhiệm vụ,
  giao kế hoạch vốn) to several children at once, and the records it wrote (owned by the
  parent, each addressed to one child), so the desk can show the act and who has received
  it. The records themselves travel through the change journal like any other.
* :class:`Reorganisation`: a reorganisation of administrative units (sắp xếp đơn vị hành
  chính, e.g. Nghị quyết 1677/NQ-UBTVQH15) applied to this workspace.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ctmtqg_desktop.store.base import Base, StoredString, StoredText, UnitKey

#: kinds of reference documents sent down
REFERENCE_KINDS = ("dossier_template", "handbook_page")


class ReferenceDispatch(Base):
    """A dossier template or handbook page to send to a child unit (or ``*``: every one)."""

    __tablename__ = "parent_reference"
    __table_args__ = (UniqueConstraint("kind", "item_key", "audience_unit_id"),)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    #: dossier_template or handbook_page
    kind: Mapped[str] = mapped_column(StoredString(20))
    #: ``code@version`` of the template or of the page
    item_key: Mapped[str] = mapped_column(StoredString(80), index=True)
    title: Mapped[str] = mapped_column(StoredString(300), default="")
    #: the file name it travels under (``production_support.62.v2.yaml``)
    file_name: Mapped[str] = mapped_column(StoredString(200))
    #: the document itself (YAML), exactly as validated
    content: Mapped[str] = mapped_column(StoredText)
    digest: Mapped[str] = mapped_column(StoredString(64))
    #: a child unit's key, or ``*`` for every child
    audience_unit_id: Mapped[str] = mapped_column(UnitKey, index=True)
    #: local (chosen here) or parent (received from our parent unit and passed on)
    origin: Mapped[str] = mapped_column(StoredString(20), default="local")
    created_at: Mapped[dt.datetime] = mapped_column()


class ReferenceDelivery(Base):
    """The first of our packages to a child unit that carried a reference document."""

    __tablename__ = "parent_reference_delivery"
    reference_id: Mapped[int] = mapped_column(ForeignKey("parent_reference.id"),
                                              primary_key=True)
    recipient_unit_id: Mapped[str] = mapped_column(UnitKey, primary_key=True)
    #: our package number (in the stream to that unit) that first carried it; the child has
    #: it once one of its installations acknowledges this number or a later one
    first_number: Mapped[int] = mapped_column()
    first_sent_at: Mapped[dt.datetime] = mapped_column()


class Assignment(Base):
    """Giao nhiệm vụ / giao vốn: one act of the parent unit for several children."""

    __tablename__ = "parent_assignment"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    #: tasks (a directive and its tasks) or capital (capital plan lines)
    kind: Mapped[str] = mapped_column(StoredString(20), index=True)
    #: what the user calls it (the directive's label, the decision's number)
    title: Mapped[str] = mapped_column(StoredString(500))
    created_at: Mapped[dt.datetime] = mapped_column()


class AssignmentRecord(Base):
    """A record an assignment wrote, and the child it is addressed to."""

    __tablename__ = "parent_assignment_record"
    assignment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parent_assignment.id"),
                                                     primary_key=True)
    table_name: Mapped[str] = mapped_column(StoredString(64), primary_key=True)
    record_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    child_unit_id: Mapped[str] = mapped_column(UnitKey, index=True)


class Reorganisation(Base):
    """Sắp xếp đơn vị hành chính applied here: old units that continue as a new one from a
    date (the catalog's successions), and, when this workspace's own unit was succeeded,
    the unit it served before."""

    __tablename__ = "parent_reorganisation"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    new_unit_id: Mapped[str] = mapped_column(UnitKey, index=True)
    #: the old units' keys, one per line
    old_unit_ids: Mapped[str] = mapped_column(StoredText)
    effective_on: Mapped[dt.date] = mapped_column()
    legal_basis: Mapped[str] = mapped_column(StoredText, default="")
    applied_at: Mapped[dt.datetime] = mapped_column()
    #: this workspace's unit before the reorganisation, when it moved to its successor
    moved_from_unit_id: Mapped[str | None] = mapped_column(UnitKey)
