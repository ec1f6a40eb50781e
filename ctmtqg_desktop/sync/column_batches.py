"""A table's records checked and turned into driver parameters a column at a time.

The importer checks every value of every record it receives (``sync.columns`` and the
field rules, issue 12) and binds it through the column's bind processor. Done value by
value, in Python, that was half of an import of 100,000 changes (issue 17). Here the values
of one column across a batch of records are tested together with operations that run in C
(the set of their types, their longest length, one regular-expression scan and one Unicode
normalisation test over the column's text joined by line breaks, the date parser mapped
over them), and their driver parameters are made the same way, without a bind processor
where the value received is already in its stored form.

A value that does not pass the quick test is not refused here: its record is handed back
as "not plain", and the caller sends that record through the full checks
(``sync.apply.parse_change``), which decide, clean (text in another Unicode form) or refuse
and name the problem. The quick test only ever says "plainly good", and for a plainly good
value the parameter is exactly what ``processor(decode(value))`` gives (each plan checks
its quick parameter makers against the bind processors when it is made, and
``tests/sync/test_column_batches.py`` compares both on generated values). The same idea as
the export's ``_PlainRecords`` (``services/sync/_export.py``), with the parameters made too.
"""

from __future__ import annotations

import datetime as dt
import operator
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from itertools import repeat
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, DateTime, Integer, String, Uuid
from sqlalchemy.engine import Dialect

from ctmtqg_desktop.domain import field_rules
from ctmtqg_desktop.store.base import _UNSTORED
from ctmtqg_desktop.sync.columns import _INT32, _INT64, TableCodec, _kind

_Params = Callable[[Sequence[Any]], list[Any]]


class _NotPlain(Exception):
    """Some values of a column are not plainly good (``positions`` in the list tested)."""

    def __init__(self, positions: set[int]) -> None:
        super().__init__(len(positions))
        self.positions = positions


def _stored_form(texts: Sequence[str]) -> bool:
    """Is every text exactly what ``store.base.stored_text`` keeps (NFC, no control or
    direction characters)? Tested on the texts joined by line breaks: a line break is
    neither removed nor ever composed or reordered with its neighbours, so the joined text
    is in the stored form exactly when each text is."""
    joined = "\n".join(texts)
    return _UNSTORED.search(joined) is None and unicodedata.is_normalized("NFC", joined)


def stored_form(texts: Sequence[str]) -> bool:
    """Public name of :func:`_stored_form` (the importer tests its journal payloads)."""
    return _stored_form(texts)


_NOT_HEX = str.maketrans("", "", "0123456789abcdef")


def _canonical_uuids(values: Sequence[str]) -> bool:
    """Is every text a UUID in canonical form (``sync.columns._CANONICAL_UUID``: 36
    characters, lower-case hex digits with dashes at 8, 13, 18 and 23)? Tested on the texts
    joined: every one 36 long, so each dash position is a slice of the joined text."""
    if set(map(len, values)) != {36}:
        return False
    joined = "".join(values)
    count = len(values)
    dashes = "-" * count
    return (joined[8::36] == dashes and joined[13::36] == dashes and joined[18::36] == dashes
            and joined[23::36] == dashes and joined.count("-") == 4 * count
            and joined.replace("-", "").translate(_NOT_HEX) == "")


def _only(types: set[type], values: Sequence[Any]) -> bool:
    return set(map(type, values)) <= types


_ISOFORMAT = dt.datetime.isoformat
_DATE_ISOFORMAT = dt.date.isoformat


class ColumnPlan:
    """How one column's values are tested and bound, for one kind of database."""

    def __init__(self, name: str, column: Any, decode: Callable[[Any], Any], nullable: bool,
                 rule: field_rules.FieldRule | None, dialect: Dialect) -> None:
        self.name = name
        self.decode = decode
        self.nullable = nullable
        self.rule = rule
        kind = _kind(column)
        impl = column.type.dialect_impl(dialect)
        self.processor = impl.bind_processor(dialect)
        self.kind = ("boolean" if isinstance(kind, Boolean) else "uuid" if isinstance(kind, Uuid)
                     else "datetime" if isinstance(kind, DateTime)
                     else "date" if isinstance(kind, Date)
                     else "integer" if isinstance(kind, Integer)
                     else "text" if isinstance(kind, String) else "other")
        self.required = bool(rule is not None and rule.required)
        if self.kind == "text":
            limits = [getattr(kind, "length", None),
                      rule.max_length if rule is not None else None]
            self.longest = min((n for n in limits if n is not None), default=None)
        elif self.kind == "integer":
            bound = _INT64 if isinstance(kind, BigInteger) else _INT32
            low, high = -bound, bound - 1
            if rule is not None and rule.minimum is not None:
                low = max(low, rule.minimum)
            if rule is not None and rule.maximum is not None:
                high = min(high, rule.maximum)
            self.low, self.high = low, high
        self.params = self._choose_params()

    # -- parameters ---------------------------------------------------------------------
    def _processed(self, values: Sequence[Any]) -> list[Any]:
        """The general way: each value decoded, then bound (what Core would send)."""
        process, decode = self.processor, self.decode
        if process is None:
            return [decode(v) for v in values]
        return [process(decode(v)) for v in values]

    def _choose_params(self) -> _Params:
        """The quickest way to make this column's parameters that gives, on sample values,
        exactly what the bind processor gives (else the general way)."""
        candidates: list[_Params] = []
        samples: list[Any] = []
        if self.kind in ("text", "integer"):
            candidates = [list]
            samples = (["Thôn Kon Mong Tu", "a\tb\nc", "", "x" * 40] if self.kind == "text"
                       else [0, 1, -5, 2**31 - 1])
        elif self.kind == "boolean":
            candidates = [list, _as_ints]
            samples = [True, False]
        elif self.kind == "uuid":
            candidates = [_uuid_hex, _uuid_objects, list]
            samples = [str(uuid.UUID(int=n * 0x1234567890abcdef1234567 + 5))
                       for n in range(3)]
        elif self.kind == "datetime":
            candidates = [_sqlite_datetimes, _datetimes, list]
            samples = ["2026-12-05T08:30:00", "2026-12-05T08:30:00.000001",
                       "0999-01-02T03:04:05.123456", "2021-01-01T00:00:00.100000"]
        elif self.kind == "date":
            candidates = [list, _dates]
            samples = ["2026-12-05", "0999-01-02", "2024-02-29"]
        try:
            expected = self._processed(samples)
        except Exception:  # noqa: BLE001 — a type this module does not know: the general way
            return self._processed
        for candidate in candidates:
            try:
                if _same(candidate(list(samples)), expected):
                    return candidate
            except Exception:  # noqa: BLE001 — not this one
                continue
        return self._processed

    # -- the quick test -----------------------------------------------------------------
    def plain_params(self, values: Sequence[Any]) -> list[Any]:
        """The parameters of ``values`` when every one is plainly good; raises
        :class:`_NotPlain` naming those that are not (sent through the full checks)."""
        if None in values:
            present = [v for v in values if v is not None]
            if not self.nullable or self.required or not self._plain(present):
                raise _NotPlain(self._not_plain(values))
            made = iter(self.params(present))
            return [None if v is None else next(made) for v in values]
        if not self._plain(values):
            raise _NotPlain(self._not_plain(values))
        return self.params(values)

    def _plain(self, values: Sequence[Any]) -> bool:
        if not values:
            return True
        kind = self.kind
        if self.rule is not None and kind not in ("text", "integer"):
            return all(map(self._value_plain, values))  # a rule the group test ignores
        if kind in ("uuid", "datetime", "date") and not _only({str}, values):
            return False  # (and nothing unhashable reaches set() below)
        try:
            if kind == "text":
                return (_only({str}, values)
                        and (self.longest is None or max(map(len, values)) <= self.longest)
                        and (not self.required or all(map(str.strip, values)))
                        and _stored_form(values))
            if kind == "integer":
                return (_only({int}, values) and min(values) >= self.low
                        and max(values) <= self.high)
            if kind == "boolean":
                return _only({bool}, values)
            if kind == "uuid":
                return _canonical_uuids(values)
            if kind == "datetime":
                distinct = list(set(values))
                if max(map(len, distinct)) > 32:
                    return False
                parsed = list(map(dt.datetime.fromisoformat, distinct))
                return (list(map(_ISOFORMAT, parsed)) == distinct
                        and set(map(operator.attrgetter("tzinfo"), parsed)) == {None})
            if kind == "date":
                distinct = list(set(values))
                if set(map(len, distinct)) != {10}:
                    return False
                days = list(map(dt.date.fromisoformat, distinct))
                return list(map(_DATE_ISOFORMAT, days)) == distinct
        except ValueError:  # a date the parser refuses: found value by value
            return False
        return all(map(self._value_plain, values))  # other kinds: value by value

    def _value_plain(self, value: Any) -> bool:
        """The exact test of one value: the column's decoder and the field rule."""
        if value is None:
            return self.nullable and not self.required
        try:
            decoded = self.decode(value)
        except ValueError:
            return False
        if self.kind == "text" and decoded != value:  # another form: cleaned by the full path
            return False
        if self.kind == "other":  # its parameter made the general way must work too
            try:
                self._processed([value])
            except (ValueError, TypeError):
                return False
        return self.rule is None or self.rule.problem(value) is None

    def _not_plain(self, values: Sequence[Any]) -> set[int]:
        found = {i for i, v in enumerate(values) if not self._value_plain(v)}
        # a value each test passes but the group's did not cannot happen; if it ever did,
        # every value goes through the full checks rather than trust the group's test
        return found or set(range(len(values)))


def _same(made: list[Any], expected: list[Any]) -> bool:
    return len(made) == len(expected) and all(
        type(a) is type(b) and a == b for a, b in zip(made, expected))


def _as_ints(values: Sequence[Any]) -> list[Any]:
    return list(map(int, values))


def _uuid_hex(values: Sequence[Any]) -> list[Any]:
    return list(map(str.replace, values, repeat("-"), repeat("")))


def _uuid_objects(values: Sequence[Any]) -> list[Any]:
    return list(map(uuid.UUID, values))


def _sqlite_datetimes(values: Sequence[Any]) -> list[Any]:
    """SQLite's stored text of a canonical ISO time: a space for the ``T``, always six
    digits of microseconds (what SQLAlchemy's ``DATETIME`` writes)."""
    return [v.replace("T", " ") if len(v) == 26 else v.replace("T", " ") + ".000000"
            for v in values]


def _datetimes(values: Sequence[Any]) -> list[Any]:
    return list(map(dt.datetime.fromisoformat, values))


def _dates(values: Sequence[Any]) -> list[Any]:
    return list(map(dt.date.fromisoformat, values))


class TablePlan:
    """One table's columns (in ``names`` order: the order of the insert's parameters) for
    one kind of database."""

    def __init__(self, codec: TableCodec, names: Sequence[str], dialect: Dialect) -> None:
        decoders = {name: (decode, nullable) for name, decode, nullable in codec.columns}
        rules = field_rules.RULES.get(codec.name, {})
        self.table = codec.name
        self.names = tuple(names)
        self.keys = codec.names
        if set(self.names) != set(self.keys):
            raise ValueError(f"{codec.name}: the statement's columns are not the codec's")
        self.columns = tuple(ColumnPlan(name, codec.table.c[name], *decoders[name],
                                        rules.get(name), dialect)
                             for name in self.names)
        self.position = {name: i for i, name in enumerate(self.names)}
        self._values = operator.itemgetter(*self.names)
        #: a record's keys in the canonical (sorted) order
        self.sorted_keys = tuple(sorted(self.names))

    @property
    def strings_stored(self) -> bool:
        """Is every string value of a record :meth:`rows` passes in the stored text form
        (``store.base.stored_text``)? Yes when each column is text (tested for that form),
        or an id, a time or a date (ASCII in canonical form), or not a string; a column of
        another kind is tested by its decoder only."""
        return all(column.kind != "other" for column in self.columns)

    def rows(self, records: list[dict[str, Any]]
             ) -> tuple[list[int] | None, list[tuple[Any, ...]], dict[str, Sequence[Any]]]:
        """The records that are plainly good, their insert parameters and their values.

        Returns ``(kept, rows, values)``: ``kept`` the positions of the plainly good
        records (None when all are), ``rows`` their parameters (a tuple each, in
        :attr:`names` order), ``values`` their values as received by column name. Every
        other record goes through the full checks."""
        eq, keys = operator.eq, self.keys
        bad: set[int] = set()
        if not all(map(eq, map(dict.keys, records), repeat(keys))):
            bad = {i for i, ok in enumerate(map(eq, map(dict.keys, records), repeat(keys)))
                   if not ok}
        while True:
            kept = [i for i in range(len(records)) if i not in bad] if bad else None
            batch = records if kept is None else [records[i] for i in kept]
            if not batch:
                return kept, [], {}
            # the records as tuples of their values in column order, turned into one
            # tuple per column (both in C)
            by_column = list(zip(*map(self._values, batch)))
            try:
                made = [column.plain_params(values)
                        for column, values in zip(self.columns, by_column)]
            except _NotPlain as found:
                bad |= (found.positions if kept is None
                        else {kept[j] for j in found.positions})
                continue
            return kept, list(zip(*made)), dict(zip(self.names, by_column))
