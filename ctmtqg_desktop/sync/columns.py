"""Read a record's JSON values back into column values, strictly.

A package's record is the sender's row encoded by :mod:`ctmtqg_desktop.store.codec`
(UUIDs as canonical strings, dates and times as ISO 8601, the rest as JSON). Every value is
checked against its column before it goes near the database: the JSON type, text length,
integer range, NULL where the column allows it, and the canonical spelling (so that the
journal payload written here is byte-identical to the sender's). Anything else is a reason
to refuse the whole package, never something to store and find broken later.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    Numeric,
    String,
    Table,
    Uuid,
)
from sqlalchemy.types import TypeDecorator

from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.store.base import stored_text

_INT32 = 2**31
_INT64 = 2**63


def _text(length: int | None) -> Callable[[Any], Any]:
    def decode(value: Any) -> Any:
        if not isinstance(value, str):
            raise ValueError(_("text expected"))
        if length is not None and len(value) > length:
            raise ValueError(_("longer than {length} characters").format(length=length))
        # the store's one form (NFC, no control or direction characters): the importer
        # journals the record with these values, so the journal is what is stored
        return stored_text(value)

    return decode


def _integer(bound: int) -> Callable[[Any], Any]:
    def decode(value: Any) -> Any:
        if type(value) is not int:
            raise ValueError(_("whole number expected"))
        if not -bound <= value < bound:
            raise ValueError(_("number out of range"))
        return value

    return decode


def _boolean(value: Any) -> Any:
    if type(value) is not bool:
        raise ValueError(_("true or false expected"))
    return value


_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _uuid(value: Any) -> Any:
    if not isinstance(value, str) or not _CANONICAL_UUID.fullmatch(value):
        raise ValueError(_("identifier expected"))
    return uuid.UUID(value)


def _datetime(value: Any) -> Any:
    if not isinstance(value, str) or len(value) > 32:
        raise ValueError(_("date and time expected"))
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is not None or parsed.isoformat() != value:
        raise ValueError(_("date and time expected"))
    return parsed


def _date(value: Any) -> Any:
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError(_("date expected"))
    parsed = dt.date.fromisoformat(value)
    if parsed.isoformat() != value:
        raise ValueError(_("date expected"))
    return parsed


def _number(value: Any) -> Any:
    if type(value) not in (int, float):
        raise ValueError(_("number expected"))
    return value


def _scalar(value: Any) -> Any:
    if not isinstance(value, (str, int, float, bool)):
        raise ValueError(_("plain value expected"))
    return value


def _kind(column: Column[Any]) -> Any:
    """The column's type as the database sees it (a store text column is a String)."""
    kind = column.type
    return kind.impl_instance if isinstance(kind, TypeDecorator) else kind


def decoder_for(column: Column[Any]) -> Callable[[Any], Any]:
    kind = _kind(column)
    if isinstance(kind, Boolean):
        return _boolean
    if isinstance(kind, Uuid):
        return _uuid
    if isinstance(kind, DateTime):
        return _datetime
    if isinstance(kind, Date):
        return _date
    if isinstance(kind, BigInteger):
        return _integer(_INT64)
    if isinstance(kind, Integer):
        return _integer(_INT32)
    if isinstance(kind, (Float, Numeric)):
        return _number
    if isinstance(kind, String):  # also Text
        return _text(getattr(kind, "length", None))
    return _scalar


@dataclass(frozen=True)
class TableCodec:
    """How to read one table's records from JSON."""

    name: str
    table: Any
    columns: tuple[tuple[str, Callable[[Any], Any], bool], ...]
    names: frozenset[str]

    @classmethod
    def for_table(cls, table: Table) -> TableCodec:
        columns = tuple((c.name, decoder_for(c), bool(c.nullable)) for c in table.columns)
        return cls(table.name, table, columns, frozenset(c.name for c in table.columns))

    def decode(self, record: dict[str, Any]) -> dict[str, Any]:
        """Column values of ``record`` (every column present, nothing else)."""
        if record.keys() != self.names:
            missing = sorted(self.names - record.keys())
            extra = sorted(record.keys() - self.names)
            if missing:
                raise ValueError(_("missing fields: {names}").format(names=", ".join(missing)))
            raise ValueError(_("unknown fields: {names}").format(names=", ".join(extra[:5])))
        values: dict[str, Any] = {}
        for name, decode, nullable in self.columns:
            raw = record[name]
            if raw is None:
                if not nullable:
                    raise ValueError(_("{field} cannot be empty").format(field=name))
                values[name] = None
                continue
            try:
                values[name] = decode(raw)
            except ValueError as error:
                raise ValueError(f"{name}: {error}") from error
        return values

    def describe(self) -> dict[str, str]:
        """``{column: type}`` for the manifest (so a reader knows the columns)."""
        described = {}
        for column in self.table.columns:
            kind = _kind(column)
            if isinstance(kind, Boolean):
                text = "boolean"
            elif isinstance(kind, Uuid):
                text = "uuid"
            elif isinstance(kind, DateTime):
                text = "datetime"
            elif isinstance(kind, Date):
                text = "date"
            elif isinstance(kind, (Integer, BigInteger)):
                text = "integer"
            elif isinstance(kind, (Float, Numeric)):
                text = "number"
            elif isinstance(kind, String) and getattr(kind, "length", None):
                text = f"string({kind.length})"
            else:
                text = "string"
            described[column.name] = text + ("" if column.nullable else " not null")
        return described
