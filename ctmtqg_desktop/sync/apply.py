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
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
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


def _record_json(raw: bytes | None, change: dict[str, Any], record: dict[str, Any],
                 upgraded: bool) -> str:
    """The record's JSON for our journal, cut from the line itself when the line has the
    canonical layout (which spares encoding 100,000 records again).

    With the keys of the line in canonical order, the record's text runs from the first
    ``,"record":{`` to the last ``},"seq":`` (neither can occur inside a string value,
    where quotes are escaped), so the cut is exactly the text that parsed into ``record``.
    An upgraded record, or a line laid out otherwise, is encoded afresh."""
    if raw is not None and not upgraded and list(change) == _CANONICAL_ORDER and \
            list(record) == sorted(record):
        start = raw.find(b',"record":{')
        end = raw.rfind(b'},"seq":')
        if 0 < start < end:
            return raw[start + 10:end + 1].decode("utf-8")
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
                 raw: bytes | None = None) -> _Change:
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


class _RawStatements:
    """``INSERT`` and ``UPDATE`` of one table as driver SQL with positional parameters.

    Applying a package writes tens of thousands of rows; SQLAlchemy Core spends most of
    its time per row building parameters. Here each column's bind processor (the same one
    Core would use for this database) is looked up once, and rows go to the driver's
    ``executemany`` as tuples: the same values, a quarter of the time.
    """

    _MARKERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}

    def __init__(self, connection: Connection, table: Table) -> None:
        dialect = connection.dialect
        quote = dialect.identifier_preparer.quote
        marker = self._MARKERS.get(dialect.paramstyle, "?")
        columns = [c for c in table.columns if not (c.primary_key and c.autoincrement is True
                                                    and c.name == "seq")]
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

    @classmethod
    def of(cls, connection: Connection, table: Table) -> _RawStatements:
        """The statements of ``table`` for this kind of database, made once per process
        (a mass import built them again for each package)."""
        dialect = connection.dialect
        key = (dialect.name, dialect.driver, dialect.paramstyle, table)
        made = _MADE.get(key)
        if made is None:
            made = _MADE[key] = cls(connection, table)
        return made

    def _row(self, values: dict[str, Any]) -> list[Any]:
        return [process(values[name]) if process is not None else values[name]
                for name, process in zip(self.names, self.processors)]

    def insert(self, connection: Connection, rows: Iterable[dict[str, Any]]) -> None:
        connection.exec_driver_sql(self.insert_sql, [tuple(self._row(r)) for r in rows])

    def update(self, connection: Connection, rows: Iterable[dict[str, Any]]) -> None:
        order = [self.positions[n] for n in self.updated] + [self.positions["id"]]
        batch = []
        for values in rows:
            row = self._row(values)
            batch.append(tuple(row[i] for i in order))
        connection.exec_driver_sql(self.update_sql, batch)


def _insert_all(connection: Connection,
                batches: list[tuple[_RawStatements, list[dict[str, Any]]]]) -> None:
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
                cursor.executemany(sql, [tuple(statements._row(r)) for r in rows])
    except dbapi.Error as error:  # as SQLAlchemy raises it (IntegrityError, …)
        raise DBAPIError.instance(sql, None, error, dbapi.Error, dialect=dialect) from error


class Applier:
    """Applies changes through ``connection`` (inside the caller's transaction)."""

    def __init__(self, connection: Connection, rules: ApplyRules) -> None:
        self.connection = connection
        self.rules = rules
        self.result = ApplyResult()
        self.previous_seq = rules.first_seq - 1
        self.start_seq: int = connection.execute(
            select(func.coalesce(func.max(ChangeJournalEntry.seq), 0))).scalar_one()
        self.journal_rows = 0
        self.now = utc_now()
        self.statements = {name: _RawStatements.of(connection, codec.table)
                           for name, codec in rules.codecs.items()}
        self.journal = _RawStatements.of(connection, _JOURNAL)
        self._state_queries: dict[Any, Executable] = {}

    def tally(self, table: str) -> TableTally:
        if table not in self.result.tallies:
            self.result.tallies[table] = TableTally()
        return self.result.tallies[table]

    def run(self, lines: Iterable[tuple[int, dict[str, Any], bytes]],
            on_batch: Callable[[int], None] | None = None) -> ApplyResult:
        batch: list[_Change] = []
        for line, change, raw in lines:
            parsed = parse_change(line, change, self.rules, raw)
            if not self.previous_seq < parsed.seq <= self.rules.last_seq:
                raise BadChange(line=line, detail=_("the change is out of the package's "
                                                    "sequence range or order"))
            self.previous_seq = parsed.seq
            batch.append(parsed)
            self.result.lines += 1
            if len(batch) >= BATCH:
                self._apply(batch)
                batch = []
                if on_batch:
                    on_batch(self.result.lines)
        if batch:
            self._apply(batch)
        if on_batch:
            on_batch(self.result.lines)
        if self.journal_rows:
            self.result.local_first_seq = self.start_seq + 1
            self.result.local_last_seq = self.connection.execute(
                select(func.max(ChangeJournalEntry.seq))).scalar()
        return self.result

    # -- one batch ----------------------------------------------------------------------
    def _existing(self, batch: list[_Change]) -> dict[tuple[str, uuid.UUID], _State]:
        wanted: dict[str, set[uuid.UUID]] = {}
        for change in batch:
            wanted.setdefault(change.table, set()).add(change.id)
        found = {}
        if self.connection.dialect.name == "postgresql":
            # every table of the batch in one statement (one round trip, one plan per set
            # of tables)
            names = tuple(sorted(wanted))
            params = {f"ids_{i}": sorted(wanted[name]) for i, name in enumerate(names)}
            for row in self.connection.execute(self._states_query(names), params):
                found[(row.table_name, row.id)] = _State(row.version, row.owner_unit_id,
                                                         row.origin_node_id, row.deleted)
            return found
        for table_name, ids in wanted.items():
            statement = self._state_query(table_name)
            for params in self._id_parameters(sorted(ids)):
                for row in self.connection.execute(statement, params):
                    found[(table_name, row.id)] = _State(row.version, row.owner_unit_id,
                                                         row.origin_node_id, row.deleted)
        return found

    def _state_query(self, table_name: str) -> Executable:
        """The versions already held, one statement per table for the whole import: on
        PostgreSQL ``id = ANY(:ids)`` (one array parameter, one prepared plan), elsewhere
        ``id IN (…)`` with lists of a few fixed lengths (:data:`EXISTING_CHUNKS`): an
        ``IN`` list of each length is another statement to parse and plan (issue 17)."""
        statement = self._state_queries.get(table_name)
        if statement is None:
            table = self.rules.codecs[table_name].table
            if self.connection.dialect.name == "postgresql":
                from sqlalchemy.dialects import postgresql  # not imported on SQLite (start-up)

                condition = table.c.id == any_(bindparam(
                    "ids", type_=postgresql.ARRAY(table.c.id.type)))
            else:
                condition = table.c.id.in_(bindparam("ids", expanding=True))
            statement = select(table.c.id, table.c.version, table.c.owner_unit_id,
                               table.c.origin_node_id, table.c.deleted).where(condition)
            self._state_queries[table_name] = statement
        return statement

    def _states_query(self, names: tuple[str, ...]) -> Executable:
        """The versions held of several tables' records, ``UNION ALL`` (PostgreSQL)."""
        statement = self._state_queries.get(names)
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
            self._state_queries[names] = statement
        return statement

    def _id_parameters(self, ids: list[uuid.UUID]) -> Iterable[dict[str, list[uuid.UUID]]]:
        if self.connection.dialect.name == "postgresql":
            yield {"ids": ids}
            return
        largest = EXISTING_CHUNKS[-1]
        for start in range(0, len(ids), largest):
            chunk = ids[start:start + largest]
            # padded with its last id to one of a few lengths: a few statement texts in all
            length = next(size for size in EXISTING_CHUNKS if size >= len(chunk))
            yield {"ids": chunk + [chunk[-1]] * (length - len(chunk))}

    def _apply(self, batch: list[_Change]) -> None:
        states = self._existing(batch)
        inserts: dict[str, dict[uuid.UUID, dict[str, Any]]] = {}
        updates: dict[str, dict[uuid.UUID, dict[str, Any]]] = {}
        journal: list[dict[str, Any]] = []
        conflicts: list[tuple[_Change, _State, bool]] = []
        for change in batch:
            key = (change.table, change.id)
            tally = self.tally(change.table)
            tally.found[change.op] += 1
            state = states.get(key)
            values = change.values
            payload = change.payload
            if state is None:
                if change.op == "delete":
                    raise TombstoneForUnknown(line=change.line,
                                              table=self.rules.labels.get(change.table,
                                                                          change.table),
                                              record=str(change.id))
                inserts.setdefault(change.table, {})[change.id] = values
                operation = "insert"
            else:
                if state.owner != values["owner_unit_id"]:
                    raise OwnerChanged(line=change.line,
                                       table=self.rules.labels.get(change.table, change.table),
                                       record=str(change.id),
                                       old=self.rules.unit_name(state.owner),
                                       new=self.rules.unit_name(values["owner_unit_id"]))
                if change.version == state.version:
                    tally.unchanged += 1
                    continue
                if change.version < state.version:
                    tally.older += 1
                    if state.origin != change.origin:
                        conflicts.append((change, state, False))
                    continue
                if state.origin != change.origin and (change.base is None
                                                      or change.base < state.version):
                    conflicts.append((change, state, True))
                target = inserts if change.id in inserts.get(change.table, {}) else updates
                target.setdefault(change.table, {})[change.id] = values
                operation = "delete" if values["deleted"] and not state.deleted else "update"
            tally.applied += 1
            states[key] = _State(change.version, values["owner_unit_id"], change.origin,
                                 values["deleted"], payload, change.base, in_batch=True)
            journal.append({
                "table_name": change.table, "record_id": change.id, "operation": operation,
                "version": change.version, "origin_node_id": change.origin,
                "owner_unit_id": values["owner_unit_id"],
                "audience_unit_id": values["audience_unit_id"], "payload": payload,
                "recorded_at": self.now, "base_version": change.base, "checked": None,
            })
        # the losers' values must be read before this batch overwrites them
        kept = [self._conflict_row(change, state, replaced)
                for change, state, replaced in conflicts]
        # new records (parents first) and the journal rows: one round trip on PostgreSQL
        new_rows = [(self.statements[table_name], list(inserts[table_name].values()))
                    for table_name in self.rules.order if inserts.get(table_name)]
        if journal:
            new_rows.append((self.journal, journal))
            self.journal_rows += len(journal)
        _insert_all(self.connection, new_rows)
        for table_name in self.rules.order:  # after the inserts: they may name new records
            rows = updates.get(table_name)
            if rows:
                self.statements[table_name].update(self.connection, rows.values())
        for row in kept:
            if row is not None:
                self._keep_conflict(row)

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

    def _conflict_row(self, change: _Change, state: _State,
                      replaced: bool) -> dict[str, Any] | None:
        current = self._payload_of(change.table, change.id, state)
        incoming = change.payload
        if replaced:  # the incoming edit wins; ours (or an earlier one) is overridden
            kept = (change.version, change.origin, incoming)
            lost = (state.version, state.origin, current)
        else:  # the incoming edit arrives late and loses, unless its author had been seen
            base = self._base_of(change.table, change.id, state)
            if base is not None and base >= change.version:
                return None
            kept = (state.version, state.origin, current)
            lost = (change.version, change.origin, incoming)
        return {"table_name": change.table, "record_id": change.id,
                "owner_unit_id": change.values["owner_unit_id"],
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
