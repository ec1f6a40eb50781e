"""Apply a package's changes inside the importer's transaction, in batches.

For each change, in the sender's order: the record must be one the sender may write
(:mod:`authority`), by an installation of its owner unit, with valid values
(:mod:`columns`). Then the merge, the same on every installation, so all end equal:

* a record not seen here is inserted; a deletion of a record never seen is refused;
* a newer version replaces the current one (a tombstone is just a newer version, so it
  wins over any older edit); an equal version changes nothing; an older one is ignored;
* when the two versions come from two installations of the unit and neither author had
  seen the other's version (the newer one's *base* is older than the one it replaces), the
  losing values are kept in ``sync_conflict`` for the user to see.

Every applied change is written to our change journal with its own version, node and base,
so that a parent relays it further. Records and journal rows are written with
``executemany`` a batch at a time, parents before children (foreign keys).
"""

from __future__ import annotations

import datetime as dt
import gc
import operator
import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice, repeat
from typing import Any, cast

from sqlalchemy import String, Table, any_, bindparam, func, insert, literal, select, union_all
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.expression import Executable

from ctmtqg_desktop.domain import field_rules
from ctmtqg_desktop.domain.hlc import Version
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.store.base import utc_now
from ctmtqg_desktop.store.codec import canonical_json, row_to_dict
from ctmtqg_desktop.store.models.journal import ChangeJournalEntry
from ctmtqg_desktop.store.models.sync import SyncConflict
from ctmtqg_desktop.sync.authority import UnitTree, may_write
from ctmtqg_desktop.sync.column_batches import TablePlan, stored_form
from ctmtqg_desktop.sync.columns import TableCodec
from ctmtqg_desktop.sync.errors import (
    BadChange,
    ClockAhead,
    MissingAttachmentFile,
    NotOwner,
    OwnerChanged,
    TombstoneForUnknown,
    UnknownTable,
)
from ctmtqg_desktop.sync.upgrade import Upgrader

BATCH = 2000
#: the lengths of the ``IN`` lists that read the versions held (SQLite)
EXISTING_CHUNKS = (16, 64, 256)
OPERATIONS = ("insert", "update", "delete")
_LINE_KEYS = frozenset({"base", "op", "record", "seq", "table"})
_JOURNAL = cast(Table, ChangeJournalEntry.__table__)


@dataclass
class ApplyRules:
    """Everything the merge needs to know about the package and this workspace."""

    tree: UnitTree
    relation: str
    local_unit: str
    local_node: uuid.UUID
    sender_unit: str
    sender_label: str
    #: every installation we know (and the package declares) → its unit
    node_units: dict[uuid.UUID, str]
    first_seq: int
    last_seq: int
    upgrader: Upgrader
    codecs: dict[str, TableCodec]
    #: table names, parents before children
    order: list[str]
    labels: dict[str, str]
    unit_name: Callable[[str], str]
    attachment_available: Callable[[str], bool]
    #: the latest wall-clock time (ms) a version may carry: a change "written" later than
    #: this comes from a computer whose clock is wrong, and accepting it would make every
    #: later edit here lose to it (the clocks of all receivers would jump ahead with it)
    clock_limit_ms: int | None = None


@dataclass
class TableTally:
    found: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OPERATIONS, 0))
    applied: int = 0
    unchanged: int = 0
    older: int = 0


@dataclass
class ApplyResult:
    tallies: dict[str, TableTally] = field(default_factory=dict)
    lines: int = 0
    conflicts: int = 0
    local_first_seq: int | None = None
    local_last_seq: int | None = None
    #: the ids of the records each journalled change wrote, by table, in journal order (as
    #: the database gives them back): what the areas' hooks recompute after the package,
    #: without reading the journal again (issue 17)
    journalled: dict[str, list[Any]] = field(default_factory=dict)


@dataclass
class _Change:
    line: int
    seq: int
    table: str
    op: str
    base: str | None
    record: dict[str, Any]
    values: dict[str, Any]
    #: the record as canonical JSON (the journal payload)
    payload: str

    @property
    def id(self) -> uuid.UUID:
        ident: uuid.UUID = self.values["id"]
        return ident

    @property
    def version(self) -> str:
        version: str = self.values["version"]
        return version

    @property
    def origin(self) -> uuid.UUID:
        origin: uuid.UUID = self.values["origin_node_id"]
        return origin


@dataclass
class _State:
    version: str
    owner: str
    origin: uuid.UUID
    deleted: bool
    #: canonical JSON of the record, when known without asking the database
    payload: str | None = None
    base: str | None = None
    in_batch: bool = False


#: a version as this application writes it: ASCII digits of fixed width (13 for the wall
#: clock, 5 for the counter) and the author's 32 lowercase hex digits. ``int()`` would read
#: Arabic-Indic or full-width digits too, and such a "version" sorts after every honest one.
_VERSION = re.compile(r"[0-9]{13}\.[0-9]{5}\.[0-9a-f]{32}", re.ASCII)


def _valid_version(text: Any) -> bool:
    return isinstance(text, str) and _VERSION.fullmatch(text) is not None


#: the earliest creation or update time a record from outside may carry (the programmes
#: began in 2021; nothing in this application is older than its first release)
EARLIEST_TIME = dt.datetime(2000, 1, 1)


_CANONICAL_ORDER = ["base", "op", "record", "seq", "table"]


def _record_json(raw: str | None, change: dict[str, Any], record: dict[str, Any],
                 upgraded: bool) -> str:
    """The record's JSON for our journal, cut from the line itself when the line has the
    canonical layout (which spares encoding 100,000 records again).

    With the keys of the line in canonical order, the record's text runs from the first
    ``,"record":{`` to the last ``},"seq":`` (neither can occur inside a string value,
    where quotes are escaped), so the cut is exactly the text that parsed into ``record``.
    An upgraded record, or a line laid out otherwise, is encoded afresh."""
    if raw is not None and not upgraded and list(change) == _CANONICAL_ORDER and \
            list(record) == sorted(record):
        start = raw.find(',"record":{')
        end = raw.rfind('},"seq":')
        if 0 < start < end:
            return raw[start + 10:end + 1]
    return canonical_json(record)


#: how far ahead of the receiver's clock a version may be (time zones, a slow clock here)
CLOCK_TOLERANCE_MS = 2 * 24 * 3600 * 1000


def clock_limit(now_ms: int) -> int:
    return now_ms + CLOCK_TOLERANCE_MS


def _check_clock(line: int, version: str, limit_ms: int) -> None:
    wall = Version.decode(version).wall_ms
    if wall <= limit_ms:
        return
    import datetime as dt

    from ctmtqg_desktop.domain.formats import format_date

    written = dt.datetime.fromtimestamp(wall / 1000, dt.UTC).date()
    ahead = -(-(wall - (limit_ms - CLOCK_TOLERANCE_MS)) // (24 * 3600 * 1000))
    raise ClockAhead(line=line, when=format_date(written), days=ahead)


def broken_rule(table: str, values: dict[str, Any], label: str) -> str | None:
    """The sentence naming the record, field and rule when a record's values (as JSON, or
    as decoded: text and whole numbers are the same) break a field rule
    (:mod:`ctmtqg_desktop.domain.field_rules`), else None. The receiver refuses such a
    record before its columns are read; the sender's export runs the same check before it
    writes a package."""
    broken = field_rules.record_problem(table, values)
    if broken is None:
        return None
    _column, found, problem = broken
    return _("{kind} “{name}”: {sentence}").format(
        kind=label, name=field_rules.record_name(table, values),
        sentence=field_rules.FieldRuleBroken(field=_(found.label), problem=problem))


def parse_change(line: int, change: dict[str, Any], rules: ApplyRules,
                 raw: str | None = None) -> _Change:
    """Check one line on its own (structure, values, ownership, author)."""
    if change.keys() != _LINE_KEYS:
        raise BadChange(line=line, detail=_("the fields of the line are wrong"))
    seq, table, op, base, record = (change["seq"], change["table"], change["op"],
                                    change["base"], change["record"])
    if type(seq) is not int or not isinstance(table, str) or op not in OPERATIONS or \
            not isinstance(record, dict) or (base is not None and not _valid_version(base)):
        raise BadChange(line=line, detail=_("the fields of the line are wrong"))
    codec = rules.codecs.get(table)
    if codec is None:
        raise UnknownTable(line=line, table=table[:64])
    upgraded = not rules.upgrader.current
    if upgraded:
        record = rules.upgrader.upgrade(table, record)
    broken = broken_rule(table, record, rules.labels.get(table, table))
    if broken is not None:  # the same rules the sender's forms, imports and export apply
        raise BadChange(line=line, detail=broken)
    try:
        values = codec.decode(record)
    except ValueError as error:
        raise BadChange(line=line, detail=str(error)) from error
    cleaned = {name: value for name, value in values.items()
               if isinstance(value, str) and value != record[name]}
    if cleaned:  # text in another form than the store's: journal the record as stored
        record = {**record, **cleaned}
        upgraded = True
    version, origin = values["version"], values["origin_node_id"]
    if not _valid_version(version) or version.rsplit(".", 1)[-1] != origin.hex:
        raise BadChange(line=line, detail=_("the version does not name its author"))
    if rules.clock_limit_ms is not None:
        _check_clock(line, version, rules.clock_limit_ms)
        latest = dt.datetime.fromtimestamp(rules.clock_limit_ms / 1000, dt.UTC).replace(
            tzinfo=None)
        for name in ("created_at", "updated_at"):
            if not EARLIEST_TIME <= values[name] <= latest:
                raise BadChange(line=line, detail=_("{field} is outside the possible dates")
                                .format(field=name))
    if base is not None and base >= version:
        raise BadChange(line=line, detail=_("the base version is not older than the change"))
    if op == "delete" and not values["deleted"]:
        raise BadChange(line=line, detail=_("a deletion must mark the record deleted"))
    owner = values["owner_unit_id"]
    if not may_write(rules.tree, relation=rules.relation, local_unit=rules.local_unit,
                     sender_unit=rules.sender_unit, owner=owner,
                     audience=values["audience_unit_id"]):
        raise NotOwner(line=line, owner=rules.unit_name(owner),
                       table=rules.labels.get(table, table), sender=rules.sender_label)
    author_unit = rules.node_units.get(origin)
    if author_unit is None:
        raise BadChange(line=line, detail=_("the installation that wrote it is not declared"))
    if author_unit != owner:
        raise NotOwner(line=line, owner=rules.unit_name(owner),
                       table=rules.labels.get(table, table),
                       sender=rules.unit_name(author_unit))
    if table == "attachment" and not values["deleted"] and \
            not rules.attachment_available(values["digest"]):
        raise MissingAttachmentFile(digest=values["digest"])
    return _Change(line, seq, table, op, base, record, values,
                   _record_json(raw, change, record, upgraded))


_MADE: dict[tuple[Any, ...], _RawStatements] = {}
#: the versions-held statement of each set of tables (PostgreSQL), built once per process
#: (was once per package)
_STATE_QUERIES: dict[tuple[Any, ...], Executable] = {}


class _RawStatements:
    """``INSERT`` and ``UPDATE`` of one table as driver SQL with positional parameters.

    Applying a package writes tens of thousands of rows; SQLAlchemy Core spends most of
    its time per row building parameters. Here each column's bind processor (the same one
    Core would use for this database) is looked up once, and rows go to the driver's
    ``executemany`` as tuples: the same values, a quarter of the time. A record that passed
    the quick test of its column batch (:mod:`column_batches`) comes with its parameters
    already made (:attr:`plan`); any other is bound value by value (:meth:`row`).
    """

    _MARKERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}

    def __init__(self, connection: Connection, table: Table,
                 codec: TableCodec | None = None) -> None:
        dialect = connection.dialect
        quote = dialect.identifier_preparer.quote
        self.marker = marker = self._MARKERS.get(dialect.paramstyle, "?")
        columns = [c for c in table.columns if not (c.primary_key and c.autoincrement is True
                                                    and c.name == "seq")]
        self.quoted_table = quote(table.name)
        self.quote = quote
        self.names = [c.name for c in columns]
        self.processors = [c.type.dialect_impl(dialect).bind_processor(dialect)
                           for c in columns]
        self.insert_sql = (f"INSERT INTO {quote(table.name)} ("
                           + ", ".join(quote(n) for n in self.names) + ") VALUES ("
                           + ", ".join(marker for _ in self.names) + ")")
        self.updated = [n for n in self.names if n != "id"]
        self.update_sql = (f"UPDATE {quote(table.name)} SET "
                           + ", ".join(f"{quote(n)} = {marker}" for n in self.updated)
                           + f" WHERE {quote('id')} = {marker}")
        self.positions = {n: i for i, n in enumerate(self.names)}
        self.update_order = [self.positions[n] for n in self.updated] + \
            [self.positions["id"]] if "id" in self.positions else []
        self.plan = TablePlan(codec, self.names, dialect) if codec is not None else None

    @classmethod
    def of(cls, connection: Connection, table: Table,
           codec: TableCodec | None = None) -> _RawStatements:
        """The statements of ``table`` for this kind of database, made once per process
        (a mass import built them again for each package)."""
        dialect = connection.dialect
        key = (dialect.name, dialect.driver, dialect.paramstyle, table, codec is not None)
        made = _MADE.get(key)
        if made is None:
            made = _MADE[key] = cls(connection, table, codec)
        return made

    def _row(self, values: dict[str, Any]) -> list[Any]:
        return [process(values[name]) if process is not None else values[name]
                for name, process in zip(self.names, self.processors)]

    def row(self, values: dict[str, Any]) -> tuple[Any, ...]:
        """The driver parameters of decoded ``values``, through the bind processors."""
        return tuple(self._row(values))

    def insert(self, connection: Connection, rows: list[tuple[Any, ...]]) -> None:
        connection.exec_driver_sql(self.insert_sql, rows)

    def update(self, connection: Connection, rows: Iterable[tuple[Any, ...]]) -> None:
        # the parameters in the statement's order (SET columns, then the id), in C
        connection.exec_driver_sql(self.update_sql,
                                   list(map(operator.itemgetter(*self.update_order), rows)))

    def states_sql(self, count: int) -> str:
        """The versions held of ``count`` records, as driver SQL (``id IN (…)``)."""
        quote = self.quote
        return (f"SELECT {quote('id')}, {quote('version')}, {quote('owner_unit_id')}, "
                f"{quote('origin_node_id')}, {quote('deleted')} FROM {self.quoted_table} "
                f"WHERE {quote('id')} IN (" + ", ".join([self.marker] * count) + ")")


def _insert_all(connection: Connection,
                batches: list[tuple[_RawStatements, list[tuple[Any, ...]]]]) -> None:
    """Each batch's ``INSERT`` as an ``executemany``, in order. With psycopg on PostgreSQL
    they all go in one pipeline: one round trip to the server for every table of the batch
    instead of one (or more) per table (issue 17: round trips were half of a mass import)."""
    dialect = connection.dialect
    if not batches:
        return
    if dialect.name != "postgresql" or dialect.driver != "psycopg":
        for statements, rows in batches:
            statements.insert(connection, rows)
        return
    dbapi = dialect.loaded_dbapi
    driver: Any = connection.connection.dbapi_connection  # psycopg's, in our transaction
    sql = ""
    try:
        with driver.pipeline(), driver.cursor() as cursor:
            for statements, rows in batches:
                sql = statements.insert_sql
                cursor.executemany(sql, rows)
    except dbapi.Error as error:  # as SQLAlchemy raises it (IntegrityError, …)
        raise DBAPIError.instance(sql, None, error, dbapi.Error, dialect=dialect) from error


#: One checked change, ready to merge, as a tuple: ``(line, seq, table, op, base, payload,
#: params, id, version, origin, owner, audience, deleted, journalled)``: ``journalled`` is
#: the payload's parameter for the journal (see :meth:`Applier._journal_rows`); ``params``
#: are its record's
#: driver parameters (in the insert's column order); ``id`` and ``origin`` are in the
#: driver's form (what the database holds and gives back: 32 hex digits on SQLite, a UUID
#: on PostgreSQL), so the versions held are compared without converting every row.
_Row = tuple[int, int, str, str, "str | None", str, tuple[Any, ...], Any, str, Any, str,
             "str | None", bool, str]


def _as_uuid(value: Any) -> uuid.UUID:
    """A UUID from its driver form (a UUID, or 32 hex digits)."""
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)


_OPERATION_SET = frozenset(OPERATIONS)
_CANONICAL_KEYS = tuple(_CANONICAL_ORDER)
#: the journal's insert columns, in the order :meth:`Applier._journal_rows` makes them
_JOURNAL_ORDER = ["table_name", "record_id", "operation", "version", "origin_node_id",
                  "owner_unit_id", "audience_unit_id", "payload", "base_version",
                  "recorded_at"]
_TAIL = slice(-32, None)
_SECOND = operator.itemgetter(1)
_TABLE_AT, _OP_AT, _ID_AT = operator.itemgetter(2), operator.itemgetter(3), \
    operator.itemgetter(7)
_TABLE = operator.itemgetter("table")
_RECORD = operator.itemgetter("record")
_SEQ_OP_BASE = operator.itemgetter("seq", "op", "base")
_SAMPLE_VERSION = "1796543132352.00000.1c15733c66c44954b1b588e44dcd48ea"


def _cut_record(raw: str | None, record: dict[str, Any]) -> str:
    """The record's text in a line whose keys are in the canonical order, as
    :func:`_record_json` cuts it."""
    if raw is not None:
        start = raw.find(',"record":{')
        end = raw.rfind('},"seq":')
        if 0 < start < end:
            return raw[start + 10:end + 1]
    return canonical_json(record)


def _until_failure(lines: Iterable[Any], failures: list[Exception]) -> Iterator[Any]:
    """``lines``, ending at the first failure to read one (kept in ``failures``), so that
    the lines read before it are still checked first."""
    try:
        yield from lines
    except Exception as error:  # noqa: BLE001 — raised by the caller after those lines
        failures.append(error)


class Applier:
    """Applies changes through ``connection`` (inside the caller's transaction)."""

    def __init__(self, connection: Connection, rules: ApplyRules,
                 start_seq: int | None = None) -> None:
        """``start_seq``: the journal's highest number, when the caller read it already
        in the transaction that holds the journal's lock (one round trip fewer)."""
        self.connection = connection
        self.rules = rules
        self.result = ApplyResult()
        self.previous_seq = rules.first_seq - 1
        self.start_seq: int = start_seq if start_seq is not None else connection.execute(
            select(func.coalesce(func.max(ChangeJournalEntry.seq), 0))).scalar_one()
        self.journal_rows = 0
        self.now = utc_now()
        self.statements = {name: _RawStatements.of(connection, codec.table, codec)
                           for name, codec in rules.codecs.items()}
        self.journal = _RawStatements.of(connection, _JOURNAL)
        self._processors = dict(zip(self.journal.names, self.journal.processors))
        self._journal_constant: dict[tuple[str, Any], Any] = {}
        self._recorded_at = self._journal_value("recorded_at", self.now)
        # a version (ASCII digits, dots and hex, checked) is bound as it is, if the
        # journal's text columns leave such text unchanged
        self._versions_as_they_are = all(
            self._journal_value(name, _SAMPLE_VERSION) == _SAMPLE_VERSION
            for name in ("version", "base_version"))
        #: installation → its unit, asked once per package for each author
        self._author_units: dict[str, str | None] = {}
        self._may_write: dict[tuple[str, str | None], bool] = {}

    def _journal_value(self, column: str, value: Any) -> Any:
        """A journal column's parameter for ``value`` (each distinct value bound once)."""
        key = (column, value)
        if key not in self._journal_constant:
            process = self._processors.get(column)
            self._journal_constant[key] = process(value) if process else value
        return self._journal_constant[key]

    def tally(self, table: str) -> TableTally:
        if table not in self.result.tallies:
            self.result.tallies[table] = TableTally()
        return self.result.tallies[table]

    def run(self, lines: Iterable[tuple[int, dict[str, Any], str]],
            on_batch: Callable[[int], None] | None = None) -> ApplyResult:
        """Reads, checks and applies the changes a batch at a time. A failure while reading
        the lines (a line not in the canonical form, a chunk that does not decrypt) is
        raised once the lines before it in the batch have been checked, as if each line
        were checked as soon as it is read: the first problem in the package is the one
        named."""
        collecting = gc.isenabled()
        gc.disable()  # see _run
        try:
            return self._run(lines, on_batch)
        finally:
            if collecting:
                gc.enable()

    def _run(self, lines: Iterable[tuple[int, dict[str, Any], str]],
             on_batch: Callable[[int], None] | None) -> ApplyResult:
        failures: list[Exception] = []
        source = _until_failure(lines, failures)
        failure: Exception | None = None
        while failure is None:
            items = list(islice(source, BATCH))
            failure = failures[0] if failures else None
            if not items:
                break
            rows = self._checked(items)
            self.result.lines += len(rows)
            if failure is not None:
                break
            self._apply(rows)
            if len(items) < BATCH:
                break
            if on_batch:
                on_batch(self.result.lines)
        if failure is not None:
            raise failure
        if on_batch:
            on_batch(self.result.lines)
        if self.journal_rows:
            self.result.local_first_seq = self.start_seq + 1
            self.result.local_last_seq = self.connection.execute(
                select(func.max(ChangeJournalEntry.seq))).scalar()
        return self.result

    # -- checking a batch ----------------------------------------------------------------
    def _checked(self, items: list[tuple[int, dict[str, Any], str]]) -> list[_Row]:
        """Every line of the batch checked, in order: those the quick test passes as they
        are, any other through :func:`parse_change` (which refuses and names the problem,
        or cleans text given in another form), then each line's place in the sequence."""
        quick = self._quick(items)
        rows: list[_Row] = []
        previous, last = self.previous_seq, self.rules.last_seq
        for (line, change, raw), row in zip(items, quick):
            if row is None:
                row = self._slow(line, change, raw)
            seq = row[1]
            if not previous < seq <= last:
                raise BadChange(line=line, detail=_("the change is out of the package's "
                                                    "sequence range or order"))
            previous = seq
            rows.append(row)
        self.previous_seq = previous
        return rows

    def _bind_payload(self, payload: str) -> Any:
        """The journal payload's driver parameter, through its column's bind processor."""
        process = self._processors.get("payload")
        return process(payload) if process is not None else payload

    def _slow(self, line: int, change: dict[str, Any], raw: str) -> _Row:
        parsed = parse_change(line, change, self.rules, raw)
        statements = self.statements[parsed.table]
        params = statements.row(parsed.values)
        values = parsed.values
        positions = statements.positions
        return (parsed.line, parsed.seq, parsed.table, parsed.op, parsed.base,
                parsed.payload, params, params[positions["id"]], parsed.version,
                params[positions["origin_node_id"]], values["owner_unit_id"],
                values["audience_unit_id"], values["deleted"],
                self._bind_payload(parsed.payload))

    def _quick(self, items: list[tuple[int, dict[str, Any], str]]) -> list[_Row | None]:
        """The lines that pass every check of :func:`parse_change` as they are, checked a
        table's batch and a column at a time; None for any other line (it goes through
        :func:`parse_change`). Never raises for a bad line: it only says "plainly good"."""
        quick: list[_Row | None] = [None] * len(items)
        if not self.rules.upgrader.current:  # an older sender's records: upgraded one by one
            return quick
        groups: dict[str, list[int]] = {}
        statements = self.statements
        changes = list(map(_SECOND, items))
        if all(map(operator.eq, map(dict.keys, changes), repeat(_LINE_KEYS))):
            tables = list(map(_TABLE, changes))
            first = tables[0]
            if type(first) is str and first in statements and tables.count(first) == len(tables):
                groups[first] = list(range(len(items)))  # the usual batch: one table
        if not groups:
            for index, change in enumerate(changes):
                if change.keys() == _LINE_KEYS:
                    table = change["table"]
                    if type(table) is str and table in statements:
                        groups.setdefault(table, []).append(index)
        for table, indexes in groups.items():
            group = items if len(indexes) == len(items) else [items[i] for i in indexes]
            for index, row in zip(indexes, self._quick_table(table, group)):
                quick[index] = row
        return quick

    def _quick_table(self, table: str, items: list[tuple[int, dict[str, Any], str]]
                     ) -> list[_Row | None]:
        """:meth:`_quick` for one table's lines: the columns (:mod:`column_batches`), then
        the other checks of :func:`parse_change` for the records whose every value is
        plainly good. A check that fails for one of them sends them all the full way (which
        names the first problem, in line order)."""
        rules = self.rules
        none: list[_Row | None] = [None] * len(items)
        statements = self.statements[table]
        plan = statements.plan
        changes = list(map(_SECOND, items))
        records = list(map(_RECORD, changes))
        if plan is None or not set(map(type, records)) <= {dict}:
            return none
        kept, params, columns = plan.rows(records)
        if kept is not None:  # the others go through the full checks
            if not kept:
                return none
            items = [items[i] for i in kept]
            changes = [changes[i] for i in kept]
            records = [records[i] for i in kept]
        seqs, ops, bases = zip(*map(_SEQ_OP_BASE, changes))
        versions, origins = columns["version"], columns["origin_node_id"]
        owners, audiences = columns["owner_unit_id"], columns["audience_unit_id"]
        deleted = columns["deleted"]
        if not (set(map(type, seqs)) <= {int} and set(map(type, ops)) <= {str}
                and set(ops) <= _OPERATION_SET and all(map(_VERSION.fullmatch, versions))):
            return none
        # the version names its author (its last 32 digits are the author's id)
        for tail, origin in set(zip(map(operator.itemgetter(_TAIL), versions), origins)):
            if tail != origin.replace("-", ""):
                return none
        if bases.count(None) != len(bases):
            based = [(base, version) for base, version in zip(bases, versions)
                     if base is not None]
            if not (set(map(type, (b for b, _v in based))) <= {str}
                    and all(_VERSION.fullmatch(b) is not None and b < v for b, v in based)):
                return none
        if "delete" in ops and not all(d for op, d in zip(ops, deleted) if op == "delete"):
            return none
        if rules.clock_limit_ms is not None:
            if int(max(versions)[:13]) > rules.clock_limit_ms:
                return none
            latest = dt.datetime.fromtimestamp(rules.clock_limit_ms / 1000, dt.UTC).replace(
                tzinfo=None)
            for name in ("created_at", "updated_at"):
                # canonical ISO times (checked) sort as the times they name
                times = columns[name]
                if dt.datetime.fromisoformat(min(times)) < EARLIEST_TIME or \
                        dt.datetime.fromisoformat(max(times)) > latest:
                    return none
        for owner, audience in set(zip(owners, audiences)):
            allowed = self._may_write.get((owner, audience))
            if allowed is None:
                allowed = self._may_write[(owner, audience)] = may_write(
                    rules.tree, relation=rules.relation, local_unit=rules.local_unit,
                    sender_unit=rules.sender_unit, owner=owner, audience=audience)
            if not allowed:
                return none
        for origin, owner in set(zip(origins, owners)):
            if origin not in self._author_units:
                self._author_units[origin] = rules.node_units.get(uuid.UUID(origin))
            if self._author_units[origin] != owner:
                return none
        if all(map(operator.eq, map(tuple, records), repeat(plan.sorted_keys))) and \
                all(map(operator.eq, map(tuple, changes), repeat(_CANONICAL_KEYS))):
            # the canonical layout (keys in order): each record's text is cut from its line
            payloads = [_cut_record(raw, record)
                        for (_line, _change, raw), record in zip(items, records)]
        else:
            payloads = [_record_json(raw, change, record, False)
                        for (_line, change, raw), record in zip(items, records)]
        values_stored = plan.strings_stored
        at_id, at_origin = statements.positions["id"], statements.positions["origin_node_id"]
        rows: list[_Row | None] = list(zip(
            [line for line, _change, _raw in items], seqs, repeat(table), ops, bases,
            payloads, params, map(operator.itemgetter(at_id), params), versions,
            map(operator.itemgetter(at_origin), params), owners, audiences, deleted,
            # the journal's payload as it is when its JSON is in the stored form. Every
            # string value is (text checked above, ids and times ASCII), and JSON's own
            # characters are ASCII that never composes with a value's first or last
            # character; but an escape's letter (``\r``, ``\n``, ``\t``) followed by a
            # combining mark composes under NFC, so a payload with a backslash is tested
            # (and bound through the column's processor, as on the full way, if it is not)
            [payload if ("\\" not in payload and values_stored) or stored_form((payload,))
             else self._bind_payload(payload) for payload in payloads]))
        if table == "attachment":  # a file the package does not bring: the full way refuses
            for index, record in enumerate(records):
                if not record["deleted"] and not rules.attachment_available(record["digest"]):
                    rows[index] = None
        if kept is None:
            return rows
        for index, row in zip(kept, rows):
            none[index] = row
        return none

    # -- one batch ----------------------------------------------------------------------
    def _existing(self, batch: list[_Row]) -> dict[tuple[str, Any], _State]:
        """The versions held of the batch's records, keyed by table and id in the driver's
        form."""
        wanted: dict[str, set[Any]] = {}
        for row in batch:
            wanted.setdefault(row[2], set()).add(row[7])
        found = {}
        if self.connection.dialect.name == "postgresql":
            # every table of the batch in one statement (one round trip, one plan per set
            # of tables)
            names = tuple(sorted(wanted))
            # in any order (``= ANY``): sorting UUIDs in Python was a tenth of this read
            params = {f"ids_{i}": list(wanted[name]) for i, name in enumerate(names)}
            for row in self.connection.execute(self._states_query(names), params):
                found[(row.table_name, row.id)] = _State(row.version, row.owner_unit_id,
                                                         row.origin_node_id, row.deleted)
            return found
        for table_name, ids in wanted.items():
            statements = self.statements[table_name]
            for chunk in self._id_chunks(sorted(ids)):
                for ident, version, owner, origin, deleted in self.connection.exec_driver_sql(
                        statements.states_sql(len(chunk)), tuple(chunk)).fetchall():
                    found[(table_name, ident)] = _State(version, owner, origin, deleted)
        return found

    def _states_query(self, names: tuple[str, ...]) -> Executable:
        """The versions held of several tables' records, ``UNION ALL`` (PostgreSQL): one
        array parameter per table (``id = ANY(:ids)``), one prepared plan."""
        key = (names, tuple(self.rules.codecs[name].table for name in names))
        statement = _STATE_QUERIES.get(key)
        if statement is None:
            from sqlalchemy.dialects import postgresql  # not imported on SQLite (start-up)

            parts = []
            for index, name in enumerate(names):
                table = self.rules.codecs[name].table
                parts.append(select(literal(name, String()).label("table_name"), table.c.id,
                                    table.c.version, table.c.owner_unit_id,
                                    table.c.origin_node_id, table.c.deleted)
                             .where(table.c.id == any_(bindparam(
                                 f"ids_{index}", type_=postgresql.ARRAY(table.c.id.type)))))
            statement = union_all(*parts) if len(parts) > 1 else parts[0]
            if len(_STATE_QUERIES) >= 256:
                _STATE_QUERIES.clear()
            _STATE_QUERIES[key] = statement
        return statement

    @staticmethod
    def _id_chunks(ids: list[Any]) -> Iterable[list[Any]]:
        """``IN`` lists of a few fixed lengths (:data:`EXISTING_CHUNKS`): an ``IN`` list of
        each length is another statement to parse and plan (issue 17)."""
        largest = EXISTING_CHUNKS[-1]
        for start in range(0, len(ids), largest):
            chunk = ids[start:start + largest]
            # padded with its last id to one of a few lengths: a few statement texts in all
            length = next(size for size in EXISTING_CHUNKS if size >= len(chunk))
            yield chunk + [chunk[-1]] * (length - len(chunk))

    def _apply(self, batch: list[_Row]) -> None:
        states = self._existing(batch)
        if not states and self._only_new(batch):
            self._insert_new(batch)
            return
        inserts: dict[str, dict[Any, tuple[Any, ...]]] = {}
        updates: dict[str, dict[Any, tuple[Any, ...]]] = {}
        journal: list[_Row] = []
        operations: list[str] = []
        conflicts: list[tuple[_Row, _State, bool]] = []
        labels = self.rules.labels
        tallies: dict[str, TableTally] = {}
        for change in batch:
            (line, _seq, table, op, base, payload, params, ident, version, origin, owner,
             _audience, deleted, _journalled) = change
            tally = tallies.get(table)
            if tally is None:
                tally = tallies[table] = self.tally(table)
            tally.found[op] += 1
            key = (table, ident)
            state = states.get(key)
            if state is None:
                if op == "delete":
                    raise TombstoneForUnknown(line=line, table=labels.get(table, table),
                                              record=str(_as_uuid(ident)))
                new = inserts.get(table)
                if new is None:
                    new = inserts[table] = {}
                new[ident] = params
                operation = "insert"
            else:
                if state.owner != owner:
                    raise OwnerChanged(line=line, table=labels.get(table, table),
                                       record=str(_as_uuid(ident)),
                                       old=self.rules.unit_name(state.owner),
                                       new=self.rules.unit_name(owner))
                if version == state.version:
                    tally.unchanged += 1
                    continue
                if version < state.version:
                    tally.older += 1
                    if state.origin != origin:
                        conflicts.append((change, state, False))
                    continue
                if state.origin != origin and (base is None or base < state.version):
                    conflicts.append((change, state, True))
                target = inserts if ident in inserts.get(table, {}) else updates
                target.setdefault(table, {})[ident] = params
                operation = "delete" if deleted and not state.deleted else "update"
            tally.applied += 1
            states[key] = _State(version, owner, origin, deleted, payload, base, in_batch=True)
            journal.append(change)
            operations.append(operation)
        self._note_journalled(journal)
        # the losers' values must be read before this batch overwrites them
        kept = [self._conflict_row(change, state, replaced)
                for change, state, replaced in conflicts]
        # new records (parents first) and the journal rows: one round trip on PostgreSQL
        new_rows = [(self.statements[table_name], list(inserts[table_name].values()))
                    for table_name in self.rules.order if inserts.get(table_name)]
        if journal:
            new_rows.append((self.journal, self._journal_rows(journal, operations)))
            self.journal_rows += len(journal)
        _insert_all(self.connection, new_rows)
        for table_name in self.rules.order:  # after the inserts: they may name new records
            rows = updates.get(table_name)
            if rows:
                self.statements[table_name].update(self.connection, rows.values())
        for row in kept:
            if row is not None:
                self._keep_conflict(row)

    @staticmethod
    def _only_new(batch: list[_Row]) -> bool:
        """None of the batch's records is held here, none comes twice and none is a
        deletion: every change is an insert (the merge below, in bulk)."""
        return len(set(zip(map(_TABLE_AT, batch), map(_ID_AT, batch)))) == len(batch) and \
            "delete" not in set(map(_OP_AT, batch))

    def _insert_new(self, batch: list[_Row]) -> None:
        """:meth:`_apply` for a batch of records new here: each inserted, parents first,
        each journalled as an insert."""
        inserts: dict[str, list[tuple[Any, ...]]] = {}
        for (table, op), count in Counter(zip(map(_TABLE_AT, batch),
                                              map(_OP_AT, batch))).items():
            tally = self.tally(table)
            tally.found[op] += count
            tally.applied += count
        for row in batch:
            rows = inserts.get(row[2])
            if rows is None:
                rows = inserts[row[2]] = []
            rows.append(row[6])
        new_rows = [(self.statements[table_name], inserts[table_name])
                    for table_name in self.rules.order if table_name in inserts]
        new_rows.append((self.journal, self._journal_rows(batch, ["insert"] * len(batch))))
        self.journal_rows += len(batch)
        self._note_journalled(batch)
        _insert_all(self.connection, new_rows)

    def _note_journalled(self, changes: list[_Row]) -> None:
        journalled = self.result.journalled
        for table, ident in zip(map(_TABLE_AT, changes), map(_ID_AT, changes)):
            ids = journalled.get(table)
            if ids is None:
                ids = journalled[table] = []
            ids.append(ident)

    def _journal_rows(self, changes: list[_Row], operations: list[str]
                      ) -> list[tuple[Any, ...]]:
        """Our journal's rows for the applied changes, as driver parameters. The record's
        id, author and units are its own parameters (the journal's columns have the same
        types); each payload's parameter was made when its line was checked."""
        (_lines, _seqs, tables, _ops, bases, _payloads, _params, ids, versions, origins,
         owners, audiences, _deleted, payloads) = zip(*changes)
        value = self._journal_value
        if not self._versions_as_they_are:
            versions = tuple(value("version", v) for v in versions)
            bases = tuple(None if b is None else value("base_version", b) for b in bases)
        tables = tuple(value("table_name", t) for t in tables)
        operations = [value("operation", o) for o in operations]
        columns = {"table_name": tables, "record_id": ids, "operation": operations,
                   "version": versions, "origin_node_id": origins, "owner_unit_id": owners,
                   "audience_unit_id": audiences, "payload": payloads,
                   "base_version": bases, "recorded_at": repeat(self._recorded_at),
                   "checked": repeat(None)}  # applied rows carry no check mark (1105)
        return list(zip(*(columns[name] for name in self.journal.names)))

    # -- conflicts -----------------------------------------------------------------------
    def _payload_of(self, table_name: str, ident: uuid.UUID, state: _State) -> str:
        if state.payload is not None:
            return state.payload
        table = self.rules.codecs[table_name].table
        row = self.connection.execute(select(table).where(table.c.id == ident)).one()
        return canonical_json(row_to_dict(table, row))

    def _base_of(self, table_name: str, ident: uuid.UUID, state: _State) -> str | None:
        """The version the author of the current version had seen before writing it."""
        if state.in_batch:
            return state.base
        entry = self.connection.execute(
            select(ChangeJournalEntry.seq, ChangeJournalEntry.base_version,
                   ChangeJournalEntry.origin_node_id)
            .where(ChangeJournalEntry.record_id == ident,
                   ChangeJournalEntry.version == state.version)
            .order_by(ChangeJournalEntry.seq.desc()).limit(1)).first()
        if entry is None:
            return None
        if entry.origin_node_id != self.rules.local_node:
            base: str | None = entry.base_version
            return base
        return self.connection.execute(
            select(func.max(ChangeJournalEntry.version))
            .where(ChangeJournalEntry.record_id == ident,
                   ChangeJournalEntry.seq < entry.seq)).scalar()

    def _conflict_row(self, change: _Row, state: _State,
                      replaced: bool) -> dict[str, Any] | None:
        (_line, _seq, table, _op, _base, incoming, _params, ident, version, origin, owner,
         _audience, _deleted, _journalled) = change
        record_id = _as_uuid(ident)
        current = self._payload_of(table, record_id, state)
        if replaced:  # the incoming edit wins; ours (or an earlier one) is overridden
            kept = (version, _as_uuid(origin), incoming)
            lost = (state.version, _as_uuid(state.origin), current)
        else:  # the incoming edit arrives late and loses, unless its author had been seen
            base = self._base_of(table, record_id, state)
            if base is not None and base >= version:
                return None
            kept = (state.version, _as_uuid(state.origin), current)
            lost = (version, _as_uuid(origin), incoming)
        return {"table_name": table, "record_id": record_id, "owner_unit_id": owner,
                "kept_version": kept[0], "kept_node_id": kept[1], "kept_payload": kept[2],
                "overridden_version": lost[0], "overridden_node_id": lost[1],
                "overridden_payload": lost[2], "detected_at": self.now, "reviewed": False}

    def _keep_conflict(self, row: dict[str, Any]) -> None:
        exists = self.connection.execute(select(SyncConflict.id).where(
            SyncConflict.table_name == row["table_name"],
            SyncConflict.record_id == row["record_id"],
            SyncConflict.overridden_version == row["overridden_version"])).first()
        if exists is None:
            self.connection.execute(insert(cast(Table, SyncConflict.__table__)), [row])
            self.result.conflicts += 1
