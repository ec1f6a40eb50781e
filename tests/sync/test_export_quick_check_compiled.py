"""The export's quick test is written as one function per table (issue 17): for every synced
table, every column and many broken values, it says what the test it replaced said (a call
per column and per rule, kept here as the reference), and never passes a record the
receiver's full checks (``_refusal``) refuse; its field-rule statements say what
``FieldRule.problem`` says for every rule."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import Boolean, Date, DateTime, Integer, String, Uuid

from ctmtqg_desktop.domain import field_rules
from ctmtqg_desktop.services import area
from ctmtqg_desktop.services.sync import _export as sync_export
from ctmtqg_desktop.sync.columns import _CANONICAL_UUID, TableCodec
from ctmtqg_desktop.sync.selection import OutgoingChange

CODECS = {m.__tablename__: TableCodec.for_table(m.__table__) for m in area.synced_records()}


def _kind(column):
    return getattr(column.type, "impl_instance", column.type)


def _reference_good(codec: TableCodec, record: dict[str, Any]) -> bool:
    """The quick test as it was before it was compiled (a call per column and rule)."""
    if record.keys() != codec.names:
        return False
    for column in codec.table.columns:
        name, decode, nullable = next(c for c in codec.columns if c[0] == column.name)
        value, kind = record[name], _kind(column)
        if value is None:
            if not nullable:
                return False
        elif isinstance(kind, Uuid):
            if not (type(value) is str and _CANONICAL_UUID.fullmatch(value)):
                return False
        elif isinstance(kind, String):
            if not (type(value) is str and len(value) <= (kind.length or float("inf"))):
                return False
        else:
            try:
                decode(value)
            except ValueError:
                return False
    if not record.get("deleted"):
        for name, rule in field_rules.RULES.get(codec.name, {}).items():
            if name in record and rule.problem(record[name]) is not None:
                return False
    return True


def _good_value(table: str, column) -> Any:
    kind = _kind(column)
    rule = field_rules.RULES.get(table, {}).get(column.name)
    if isinstance(kind, Uuid):
        return str(uuid.uuid4())
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, DateTime):
        return "2026-12-05T08:30:00"
    if isinstance(kind, Date):
        return "2026-12-05"
    if isinstance(kind, Integer):
        return rule.minimum if rule is not None and rule.minimum is not None else 1
    if isinstance(kind, String):
        return "Thôn 1"[:kind.length or 6]
    return 1


def _bad_values(column) -> list[Any]:
    kind = _kind(column)
    length = getattr(kind, "length", None) or 20_000
    return [None, "", "  ", "x" * length, "x" * (length + 1), "x" * 20_001, -1, 0, 2**31,
            2**31 - 1, -(2**31) - 1, 2**63, 10**15 + 1, 1.5, True, 1, "120",
            "2026-13-01", "2026-12-05 08:30:00", "2026-12-05T08:30:00+07:00", "2026-12-05",
            str(uuid.uuid4()).upper(), str(uuid.uuid4()), ["x"], {"x": 1}]


def _change(table: str) -> OutgoingChange:
    return OutgoingChange(1, table, str(uuid.uuid4()), "insert", "v", str(uuid.uuid4()),
                          "23524", "{}", None)


@pytest.mark.parametrize("table", sorted(CODECS))
def test_the_compiled_test_says_what_the_reference_says_and_never_passes_a_refusal(table):
    codec = CODECS[table]
    plain = sync_export._PlainRecords({table: codec})
    labels = sync_export.table_labels()
    good = {column.name: _good_value(table, column) for column in codec.table.columns}
    good["deleted"] = False
    assert plain.good(table, dict(good)) == _reference_good(codec, good)
    tried = 0
    for column in codec.table.columns:
        for deleted in (False, True):
            for value in _bad_values(column):
                record = dict(good, deleted=deleted)
                record[column.name] = value
                verdict = plain.good(table, record)
                assert verdict == _reference_good(codec, record), (column.name, value)
                if verdict:
                    assert sync_export._refusal(CODECS, labels, _change(table),
                                                record) is None, (column.name, value)
                tried += 1
    missing = dict(good)
    missing.pop(next(iter(sorted(codec.names))))
    assert not plain.good(table, missing) and not plain.good(table, dict(good, extra=1))
    assert tried > 100


@pytest.mark.parametrize("rule_key", sorted(f"{table}.{name}"
                                            for table, rules in field_rules.RULES.items()
                                            for name in rules))
def test_the_rule_statements_say_what_the_rule_says(rule_key):
    table, name = rule_key.split(".", 1)
    rule = field_rules.RULES[table][name]
    lines = ["def ok(record):"]
    sync_export._rule_source(lines, name, rule)
    lines.append("    return True")
    namespace: dict[str, Any] = {}
    exec("\n".join(lines) + "\n", namespace)
    length = rule.max_length or 5
    low = rule.minimum if rule.minimum is not None else 0
    high = rule.maximum if rule.maximum is not None else 10
    for value in (None, "", "  ", "\t", "x", "x" * length, "x" * (length + 1), -1, 0, 1,
                  low - 1, low, high, high + 1, True, False, 1.5, 10**16, ["x"]):
        assert namespace["ok"]({name: value}) == (rule.problem(value) is None), value
