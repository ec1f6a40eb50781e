"""Text stored before the one-form rule is put in that form, once (issue 12).

Since the store's text columns apply ``store.base.stored_text`` (Unicode NFC, no C0/C1
control characters but tab and line breaks, no NUL, no bidirectional overrides), text is
cleaned when it is written; a workspace made before then may still hold text typed in NFD, a
terminal escape or a right-to-left override, and its change journal the same text in the
records it sends. This revision cleans every text column of every table (the catalog's
too) and every JSON record kept as text (the change journal's payloads, the kept and
overridden versions of sync conflicts) so that, as ``ctmtqg check`` requires, each live
record equals its latest journal entry. Versions do not change: a receiver already stored
the same text in the same form on arrival (``sync.columns``).

The cleaning rule is frozen here (a later change of ``stored_text`` must not change what
this revision did). Nothing is removed: only characters that no form shows are dropped.

Revision ID: 0901_stored_text
Revises: 0801_archive
Create Date: 2026-12-06
"""

import json
import re
import unicodedata
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0901_stored_text"
down_revision = "0903_report_figures"
branch_labels = None
depends_on = None

#: frozen copy of ``store.base._UNSTORED``
_UNSTORED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
                       "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
#: (table, column) holding a JSON record as text: cleaned value by value
_JSON_COLUMNS = {("change_journal", "payload"), ("sync_conflict", "kept_payload"),
                 ("sync_conflict", "overridden_payload")}


def _stored(value: str) -> str:
    return unicodedata.normalize("NFC", _UNSTORED.sub("", value))


def _clean_json(data: Any) -> Any:
    if isinstance(data, str):
        return _stored(data)
    if isinstance(data, dict):
        return {_stored(key): _clean_json(item) for key, item in data.items()}
    if isinstance(data, list):
        return [_clean_json(item) for item in data]
    return data


def _json_needs_cleaning(text: str) -> bool:
    # canonical JSON escapes C0 controls as \u00XX; C1, bidi and NFD text appear as is
    return "\\u" in text or _stored(text) != text


def _cleaned(table: str, column: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if (table, column) in _JSON_COLUMNS:
        if not _json_needs_cleaning(value):
            return value
        try:
            data = json.loads(value)
        except ValueError:
            return _stored(value)
        return json.dumps(_clean_json(data), sort_keys=True, separators=(",", ":"),
                          ensure_ascii=False)
    return _stored(value)


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    for table in inspector.get_table_names():
        if table == "alembic_version":
            continue
        keys = inspector.get_pk_constraint(table).get("constrained_columns") or []
        texts = [c["name"] for c in inspector.get_columns(table)
                 if isinstance(c["type"], sa.String) and c["name"] not in keys]
        if not keys or not texts:
            continue
        selected = ", ".join(f'"{name}"' for name in keys + texts)
        updates = []  # few: collected while the table is read in pages, written after
        result = bind.execute(sa.text(f'SELECT {selected} FROM "{table}"')
                              .execution_options(stream_results=True, yield_per=2000))
        for row in result:
            values = row._mapping
            changed = {name: _cleaned(table, name, values[name]) for name in texts}
            changed = {name: value for name, value in changed.items()
                       if value != values[name]}
            if changed:
                updates.append((changed, {name: values[name] for name in keys}))
        for changed, key in updates:
            assignments = ", ".join(f'"{name}" = :set_{index}'
                                    for index, name in enumerate(changed))
            where = " AND ".join(f'"{name}" = :key_{index}' for index, name in enumerate(key))
            parameters = {f"set_{index}": value
                          for index, value in enumerate(changed.values())}
            parameters.update({f"key_{index}": value
                               for index, value in enumerate(key.values())})
            bind.execute(sa.text(f'UPDATE "{table}" SET {assignments} WHERE {where}'),
                         parameters)


def downgrade() -> None:
    """Nothing to undo: the cleaned text is what every later version writes."""
