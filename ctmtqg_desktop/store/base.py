"""Declarative base and the columns every synced record carries.

Architecture principle "every record has a global identity and an owner": a synced record has
a UUID key, the unit that owns it (only that unit's nodes may change it), the node that wrote
its current version, creation and update times, a hybrid-logical-clock version, and a
tombstone instead of a physical delete. :mod:`ctmtqg_desktop.store.journal` fills these in and
journals every change; services never set them by hand.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import uuid
from collections.abc import Callable
from typing import Any, ClassVar

from sqlalchemy import MetaData, String, Text, event
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: characters no stored text keeps (issue 12): C0 controls but tab, line feed and carriage
#: return (NUL, ESC and the rest: terminal escapes, characters openpyxl refuses to write),
#: DEL and the C1 controls, and the bidirectional embeddings, overrides, isolates and marks
#: that make text read differently from what it is ("Trojan Source", CVE-2021-42574)
_UNSTORED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
                       "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def stored_text(value: str) -> str:
    """The one form in which text enters the store: Unicode NFC (Vietnamese keyboards in
    "Unicode tổ hợp" mode and some workbooks give NFD, which looks the same and compares
    different), without control characters, NUL or bidirectional overrides
    (:data:`_UNSTORED`; tab and line breaks stay). Every text column applies it to every
    value written, whatever wrote it: a form, an Excel import, a catalog update. A sync
    package's text must already be in this form (``sync.columns`` refuses any other: the
    journal keeps exactly what was signed)."""
    return unicodedata.normalize("NFC", _UNSTORED.sub("", value))


def is_stored_form(value: str) -> bool:
    """Is ``value`` exactly what :func:`stored_text` would store?"""
    return stored_text(value) == value


def stored_json_text(value: str) -> str:
    """The stored form of a JSON text whose string values are each in the stored form (a
    record's canonical JSON in the change journal): without the characters of
    :data:`_UNSTORED`, but not NFC as a whole. NFC over the JSON would compose an escape's
    letter with a combining mark that begins a value's line: the value ``"\n\u0301"``
    (stored form: a line break does not compose) is written ``"\\ń"``, which NFC
    turns into ``"\\ń"``, no longer JSON."""
    return _UNSTORED.sub("", value)


class _StoredTextType(TypeDecorator[str]):
    """A text column of the store: every value bound to it passes :func:`stored_text`
    (inserts, updates and the values it is compared with, through the ORM, Core or the
    sync importer's raw statements, which use the same bind processors); and a value
    assigned to a mapped object's attribute is turned into its stored form at once (see
    :func:`_stored_form_on_set`), so that what a service returns is what was stored."""

    #: the column's stored form of a value
    stored_form = staticmethod(stored_text)

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return self.stored_form(value) if isinstance(value, str) else value

    def process_literal_param(self, value: Any, dialect: Dialect) -> str:
        return str(self.stored_form(value) if isinstance(value, str) else value)


class StoredString(_StoredTextType):
    """``VARCHAR(n)`` holding text in its stored form; use instead of ``sqlalchemy.String``
    (``tests/store/test_text_columns.py`` fails on any mapped text column without it)."""

    impl = String
    cache_ok = True


class StoredText(_StoredTextType):
    """``TEXT`` holding text in its stored form; use instead of ``sqlalchemy.Text``."""

    impl = Text
    cache_ok = True


class StoredJSONText(StoredText):
    """``TEXT`` holding a record's canonical JSON, each of its text values already in the
    stored form (:func:`stored_json_text`): the change journal's payload, a conflict's kept
    and overridden versions."""

    stored_form = staticmethod(stored_json_text)
    cache_ok = True


#: a unit's stable key in the catalog (``23524``, ``23500@2025-07-01``)
UnitKey = StoredString(40)
#: a catalog key of a programme or component (``2021-2025/DTTS/DA3/TDA2``)
CatalogKey = StoredString(80)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    #: a ``Mapped[str]`` column without a type is a stored text column too
    type_annotation_map = {str: StoredString()}


def _stored_form_on_set(stored_form: Callable[[str], str]) -> Callable[..., Any]:
    """An attribute's ``set`` listener giving a text its column's stored form."""
    def on_set(target: Any, value: Any, oldvalue: Any, initiator: Any) -> Any:
        return stored_form(value) if isinstance(value, str) else value
    return on_set


@event.listens_for(Base, "mapper_configured", propagate=True)
def _text_attributes_take_the_stored_form(mapper: Mapper[Any], class_: type[Any]) -> None:
    """Every attribute mapped to a stored text column passes :func:`stored_text` when set
    (``Village(name=...)``, ``row.name = ...``), before anything is flushed."""
    for attribute in mapper.column_attrs:
        kinds = [column.type for column in attribute.columns
                 if isinstance(column.type, _StoredTextType)]
        if kinds:
            event.listen(getattr(class_, attribute.key), "set",
                         _stored_form_on_set(kinds[0].stored_form), retval=True)


#: ``audience_unit_id`` value for a record addressed to every child unit
EVERY_CHILD = "*"

#: columns that describe a record's life rather than its content (left out of ``dump``)
SYNC_METADATA_COLUMNS = ("origin_node_id", "created_at", "updated_at", "version")


class SyncedRecord:
    """Mixin for every table whose rows travel in sync packages.

    Only nodes of ``owner_unit_id`` may change a record. Records travel up to the parent
    (and on up the hierarchy); a parent's record travels down to the child named in
    ``audience_unit_id`` (or to every child when it is ``*``).

    Rules for subclasses: content columns only use Python-side defaults (no
    ``server_default``), so that the journal sees every value it writes; foreign keys to
    other synced records point at their UUID.
    """

    #: what the user calls these records (an English msgid, translated where shown)
    __label__: ClassVar[str] = ""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    owner_unit_id: Mapped[str] = mapped_column(UnitKey, index=True)
    origin_node_id: Mapped[uuid.UUID] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column()
    updated_at: Mapped[dt.datetime] = mapped_column()
    version: Mapped[str] = mapped_column(StoredString(64))
    deleted: Mapped[bool] = mapped_column(default=False)
    #: who a record written by a parent unit is for: a child unit's key (an answer to that
    #: child's difficulty, a task assigned to it), ``*`` (every child: rules, templates), or
    #: None (the owner's own record, which travels up only)
    audience_unit_id: Mapped[str | None] = mapped_column(UnitKey, default=None)


def utc_now() -> dt.datetime:
    """Naive UTC, the form every timestamp is stored in (SQLite has no time zones)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
