"""Records to plain JSON values and back: the one encoding used by the journal, sync and dump.

Encoding: UUID → canonical string, date/datetime → ISO 8601, everything else as JSON.
Canonical JSON (sorted keys, no spaces, UTF-8) makes equal records byte-identical.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from sqlalchemy import Date, DateTime, Uuid, inspect


def encode_value(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value


def record_to_dict(record: Any, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every column of a mapped record (by column name), encoded."""
    mapper = inspect(record).mapper
    return {
        column.key: encode_value(getattr(record, attr.key))
        for attr in mapper.column_attrs
        for column in attr.columns
        if column.key not in exclude
    }


def row_to_dict(table: Any, row: Any, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """Like :func:`record_to_dict` for a Core row of ``table``."""
    mapping = row._mapping
    return {c.name: encode_value(mapping[c]) for c in table.columns if c.name not in exclude}


def decode_values(table: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Turn encoded JSON values back into column values for ``table``; unknown keys dropped."""
    values: dict[str, Any] = {}
    for column in table.columns:
        if column.name not in data:
            continue
        raw = data[column.name]
        if raw is not None:
            if isinstance(column.type, Uuid):
                raw = uuid.UUID(raw)
            elif isinstance(column.type, DateTime):
                raw = dt.datetime.fromisoformat(raw)
            elif isinstance(column.type, Date):
                raw = dt.date.fromisoformat(raw)
        values[column.name] = raw
    return values


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
