"""Broken values of a village record that every quick check (the export's ``_PlainRecords``,
the import's column batches) must leave to the full checks, which refuse them; one table, so
that a case added for one side is tested on the other. ``KeyError``: the field is removed."""

from __future__ import annotations

import uuid
from typing import Any

BROKEN_VALUES: dict[str, dict[str, Any]] = {
    "an id not in canonical form": {"id": str(uuid.uuid4()).upper()},
    "an id that is not text": {"origin_node_id": 12},
    "text longer than its column": {"ethnic_groups": "x" * 201},
    "a name longer than its rule and column": {"name": "x" * 121},
    "an empty required name": {"name": "  "},
    "a number as text": {"households": "120"},
    "a float for a count": {"population": 480.0},
    "a count above its rule": {"households": 100_001},
    "a negative count": {"population": -1},
    "a whole number out of range": {"sort_order": 2**31},
    "a boolean as a number": {"deleted": 0},
    "a date and time not canonical": {"created_at": "2026-12-05 08:30:00"},
    "a date and time with a zone": {"updated_at": "2026-12-05T08:30:00+07:00"},
    "an empty column that cannot be": {"owner_unit_id": None},
    "a missing field": {"population": KeyError},
    "an unknown field": {"note": "x"},
}
