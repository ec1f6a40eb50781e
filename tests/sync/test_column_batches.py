"""The import's quick paths (issue 17) never let through what the full checks refuse, and
give exactly what the full path gives for what they pass.

* ``sync.column_batches``: a column's values tested together and bound without a bind
  processor. For generated values of every kind, on SQLite's and PostgreSQL's dialects:
  a value the column's decoder, the stored-text form or the field rule refuses is never
  passed, and the parameters of the values passed are ``processor(decode(value))``.
* ``sync.apply.Applier``: a batch's lines checked a table at a time. Each broken record
  of a table below is left to ``parse_change``, which refuses it with the same sentence as
  before; good lines give the same parameters and journal rows both ways.
* ``sync.package_reader.read_change``: the strict reader's answer for every line, quicker.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import time
import unicodedata
import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy.dialects import postgresql, sqlite

from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import area
from ctmtqg_desktop.services.sync._export import table_labels
from ctmtqg_desktop.store import schema
from ctmtqg_desktop.store.base import stored_text
from ctmtqg_desktop.sync import apply, column_batches, package_reader
from ctmtqg_desktop.sync.authority import CHILD, UnitTree
from ctmtqg_desktop.sync.columns import TableCodec
from ctmtqg_desktop.sync.errors import BadChange, PackageProblem
from ctmtqg_desktop.sync.package_format import canonical_bytes
from ctmtqg_desktop.sync.package_reader import read_change, strict_change
from ctmtqg_desktop.sync.upgrade import Upgrader
from tests.sync.broken_records import BROKEN_VALUES

DIALECTS = {"sqlite": sqlite.dialect(), "postgresql": postgresql.psycopg.dialect()}
MODELS = {m.__tablename__: m for m in area.synced_records()}
CODECS = {name: TableCodec.for_table(model.__table__) for name, model in MODELS.items()}


def _plans(dialect) -> dict[str, column_batches.TablePlan]:
    return {name: column_batches.TablePlan(codec, [c.name for c in codec.table.columns],
                                           dialect)
            for name, codec in CODECS.items()}


PLANS = {name: _plans(dialect) for name, dialect in DIALECTS.items()}

# values of every shape a hostile or broken package may carry in any column
_TEXT = st.text(alphabet=st.sampled_from(
    list("aZ09 ,.-\t\n\r\"\\") + ["ô", "ơ", "\u0302", "\u0301", "\u00e1", "\x00", "\x1b",
                                   "\x7f", "\x9b", "\u202e", "\u200e", "\u061c", "\u2066",
                                   "Å", "\u212b", "\u0958", "\U0001F600"]), max_size=12)
_UUIDS = st.uuids().flatmap(lambda u: st.sampled_from(
    [str(u), str(u).upper(), u.hex, "{" + str(u) + "}", str(u) + " ", str(u)[:-1] + "g"]))
_TIMES = st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)
                      ).flatmap(lambda d: st.sampled_from(
                          [d.isoformat(), d.isoformat(sep=" "), d.isoformat() + "Z",
                           d.isoformat() + "+07:00", d.strftime("%Y-%m-%dT%H:%M:%S.%f"),
                           d.date().isoformat(), d.isoformat()[:16]]))
_DATES = st.dates(min_value=dt.date(1, 1, 1)).flatmap(lambda d: st.sampled_from(
    [d.isoformat(), d.strftime("%Y%m%d"), d.isoformat() + "T00:00:00",
     d.strftime("%Y-W%W-1"), d.isoformat().replace("-", "/")]))
VALUES = st.one_of(st.none(), st.booleans(), st.integers(min_value=-2**64, max_value=2**64),
                   st.integers(min_value=-5, max_value=200), st.floats(allow_nan=False),
                   _TEXT, _UUIDS, _TIMES, _DATES, st.just("x" * 301), st.just("  "),
                   st.just([]), st.just({}))


def _fully_good(column: column_batches.ColumnPlan, value: Any) -> bool:
    """What the import's full path accepts as it is (``sync.columns``, the field rule,
    text already in its stored form), written out independently of the quick test."""
    if value is None:
        return column.nullable and (column.rule is None or column.rule.problem(None) is None)
    try:
        decoded = column.decode(value)
    except ValueError:
        return False
    if isinstance(decoded, str) and decoded != value:
        return False
    return column.rule is None or column.rule.problem(value) is None


def _processed(column: column_batches.ColumnPlan, value: Any) -> Any:
    if value is None:
        return None
    decoded = column.decode(value)
    return column.processor(decoded) if column.processor is not None else decoded


COLUMNS = sorted({(dialect, table, column.name)
                  for dialect, plans in PLANS.items() for table, plan in plans.items()
                  for column in plan.columns})
# one column of each kind (and each rule) per dialect: the generated test's cases
_KINDS: dict[tuple[str, str, bool, bool], tuple[str, str, str]] = {}
for _dialect, _table, _name in COLUMNS:
    _column = PLANS[_dialect][_table].columns[PLANS[_dialect][_table].position[_name]]
    _KINDS.setdefault((_dialect, _column.kind, _column.rule is not None, _column.nullable),
                      (_dialect, _table, _name))
SAMPLED = sorted(_KINDS.values())


@pytest.mark.parametrize("case", SAMPLED, ids=["-".join(c) for c in SAMPLED])
@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(values=st.lists(VALUES, min_size=1, max_size=6), good=st.lists(VALUES, max_size=3))
def test_a_column_batch_passes_only_good_values_and_binds_them_as_the_processor(case, values,
                                                                                 good):
    dialect, table, name = case
    plan = PLANS[dialect][table]
    column = plan.columns[plan.position[name]]
    values = values + [v for v in good if _fully_good(column, v)]
    try:
        made = column.plain_params(values)
    except column_batches._NotPlain as found:
        refused = {i for i, v in enumerate(values) if not _fully_good(column, v)}
        assert refused <= found.positions, (values, found.positions)
        assert found.positions <= set(range(len(values)))
        return
    for value in values:
        assert _fully_good(column, value), (name, value)
    expected = [_processed(column, v) for v in values]
    assert [(type(m), m) for m in made] == [(type(e), e) for e in expected], values


@pytest.mark.parametrize("dialect", sorted(DIALECTS))
def test_every_column_of_every_table_binds_good_values_as_the_processor(dialect):
    """Each column's quick parameters, on values of its own kind, equal the processor's."""
    samples = {"text": ["Thôn Kon Mong Tu", "", "a\tb", "Ấp 3"], "integer": [0, 7, 100],
               "boolean": [True, False], "uuid": [str(uuid.uuid4()) for _ in range(3)],
               "datetime": ["2026-12-05T08:30:00", "2026-12-05T08:30:00.000100"],
               "date": ["2026-12-05", "2024-02-29"]}
    for table, plan in PLANS[dialect].items():
        for column in plan.columns:
            values = [v for v in samples.get(column.kind, []) if _fully_good(column, v)]
            if not values:
                continue
            made = column.plain_params(values)
            assert made == [_processed(column, v) for v in values], (table, column.name)
            assert [type(m) for m in made] == [type(_processed(column, v)) for v in values]


def test_stored_form_of_joined_texts_is_each_texts_stored_form():
    """The batch test of the stored text form (one scan of the texts joined by line
    breaks) says yes exactly when every text is in the form ``stored_text`` keeps."""
    @settings(max_examples=400, deadline=None)
    @given(st.lists(_TEXT, min_size=1, max_size=5))
    def check(texts):
        assert column_batches.stored_form(texts) == all(stored_text(t) == t for t in texts)
        assert unicodedata.is_normalized("NFC", "\n".join(texts)) == all(
            unicodedata.is_normalized("NFC", t) for t in texts)

    check()


# -- the applier's quick path against parse_change ---------------------------------------
ORIGIN = uuid.uuid4()
OWNER, SENDER_UNIT, LOCAL = "23524", "23524", "615"
NOW_MS = int(time.time() * 1000)


def _village(n: int, **changes: Any) -> dict[str, Any]:
    version = f"{NOW_MS - 1000 + n:013d}.00000.{ORIGIN.hex}"
    record = {"name": f"Thôn {n}", "ethnic_groups": "Xơ Đăng, Kinh", "households": 120,
              "population": 480, "extremely_disadvantaged": False, "sort_order": n,
              "id": str(uuid.UUID(int=n + 1)), "owner_unit_id": OWNER,
              "origin_node_id": str(ORIGIN), "created_at": "2026-12-05T08:30:00.123456",
              "updated_at": "2026-12-05T08:30:00", "version": version, "deleted": False,
              "audience_unit_id": None}
    record.update(changes)
    return record


def _line(seq: int, record: dict[str, Any], *, table: str = "village", op: str = "insert",
          base: str | None = None) -> tuple[int, dict[str, Any], str]:
    """One line as the package reader gives it: number, change, text (no line break)."""
    change = {"base": base, "op": op, "record": record, "seq": seq, "table": table}
    raw = canonical_bytes(change) + b"\n"
    return seq, read_change(seq, raw), raw[:-1].decode("utf-8")


#: broken or doubtful values in one record among good ones: the quick path must leave the
#: record to parse_change, which refuses (or cleans) it as it always did
BROKEN: dict[str, dict[str, Any]] = {**BROKEN_VALUES,
    "a time with zero microseconds written": {"updated_at": "2026-12-05T08:30:00.000000"},
    "created in 1900": {"created_at": "1900-01-01T00:00:00"},
    "updated in 9999": {"updated_at": "9999-12-31T23:59:59"},
    "a version of another author": {"version": f"{NOW_MS:013d}.00000.{uuid.uuid4().hex}"},
    "a version far ahead of the clock": {
        "version": f"{NOW_MS + 5 * 86_400_000:013d}.00000.{ORIGIN.hex}"},
    "a version in Arabic-Indic digits": {
        "version": "١" * 13 + f".00000.{ORIGIN.hex}"},
    "a record of another unit": {"owner_unit_id": "23521"},
    "an author that is not declared": {"origin_node_id": str(uuid.uuid4())},
    "a list for a name": {"name": ["Thôn"]},
    "text with a control character (cleaned)": {"name": "Thôn\x1b 3"},
    "text in NFD (cleaned)": {"name": "Tho\u0302n 3"},
    "text with a direction override (cleaned)": {"ethnic_groups": "Kinh\u202e"},
}
LINE_BROKEN = {
    "a deletion not marked deleted": {"op": "delete"},
    "an unknown operation": {"op": "upsert"},
    "a base not older than the change": {"base": "9" * 13 + f".00000.{ORIGIN.hex}"},
    "a base in another form": {"base": "1"},
    "a sequence number as text": {"seq": "5"},
    "an unknown table": {"table": "villages"},
}


@pytest.fixture
def applier(new_workspace, head_revision):
    workspace = new_workspace(unit=LOCAL, role="parent")
    tree = UnitTree({"23524": "615", "23521": "615", "615": "62", "62": None})
    rules = apply.ApplyRules(
        tree=tree, relation=CHILD, local_unit=LOCAL, local_node=uuid.uuid4(),
        sender_unit=SENDER_UNIT, sender_label="xã Đắk La", node_units={ORIGIN: OWNER},
        first_seq=1, last_seq=10_000, upgrader=Upgrader(schema.head_revision(), MODELS),
        codecs=CODECS, order=list(MODELS), labels=table_labels(), unit_name=str,
        attachment_available=lambda digest: True,
        clock_limit_ms=apply.clock_limit(NOW_MS))
    with workspace.engine.connect() as connection:
        yield apply.Applier(connection, rules)
    workspace.dispose()


def _slow(applier, item):
    try:
        return applier._slow(*item)
    except PackageProblem as problem:
        return problem


def test_good_lines_give_the_same_rows_and_journal_both_ways(applier):
    items = [_line(n, _village(n, name=name))
             for n, name in enumerate(["Thôn 1", "Làng Kon Rờ Bàng", "Ấp \"Mới\"\\", "a\tb"],
                                      start=1)]
    items.append(_line(5, _village(5, audience_unit_id="23524", deleted=True), op="delete",
                       base=f"{NOW_MS - 2000:013d}.00000.{ORIGIN.hex}"))
    quick = applier._quick(items)
    assert all(row is not None for row in quick)
    slow = [applier._slow(*item) for item in items]
    assert quick == slow
    operations = ["insert"] * len(items)
    assert applier._journal_rows(quick, operations) == [
        applier.journal.row({
            "table_name": row[2], "record_id": apply._as_uuid(row[7]), "operation": "insert",
            "version": row[8], "origin_node_id": apply._as_uuid(row[9]),
            "owner_unit_id": row[10], "audience_unit_id": row[11], "payload": row[5],
            "recorded_at": applier.now, "base_version": row[4],
            "checked": None}) for row in slow]


def test_a_quick_lines_payload_is_journalled_as_the_processor_binds_it(applier):
    """The journal's payload of a quick line is bound as it is: for records whose text
    values are in the stored form (any text the quick test passes), that is what the
    payload's bind processor gives."""
    process = applier._processors["payload"]

    @settings(max_examples=200, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(_TEXT, min_size=2, max_size=2))
    @example(["", "\r\u0301"])  # JSON's "\r" then a combining mark: NFC composes "ŕ"
    @example(["", "\u0301a"])  # after JSON's quote, which composes with nothing
    def check(texts):
        name, groups = texts
        item = _line(1, _village(1, name=name + "x", ethnic_groups=groups))
        row = applier._quick([item])[0]
        if row is None:  # not plainly good: the full way, with the processor
            assert stored_text(name + "x") != name + "x" or stored_text(groups) != groups
            return
        assert row[13] == process(row[5])
        assert row == applier._slow(*item)

    check()


def test_a_payload_is_bound_as_it_is_only_when_every_string_column_is_tested(applier,
                                                                              monkeypatch):
    """A payload without an escape is bound as it is when each of its strings was tested
    for the stored form (or is an id or a time). A column of a kind the batch test does not
    know is tested by its decoder only, which lets text out of that form through (here a
    direction override, which JSON does not escape): its payload goes through the
    processor."""
    process = applier._processors["payload"]
    item = _line(1, _village(1, ethnic_groups="Kinh\u202e"))
    assert applier._quick([item])[0] is None  # a text column: tested, the full way
    plan = applier.statements["village"].plan
    monkeypatch.setattr(plan.columns[plan.position["ethnic_groups"]], "kind", "other")
    row = applier._quick([item])[0]
    assert row is not None and "\\" not in row[5] and "\u202e" in row[5]
    assert row[13] == process(row[5]) != row[5]


@pytest.mark.parametrize("case", sorted(BROKEN) + sorted(LINE_BROKEN))
def test_a_broken_line_is_left_to_the_full_checks(applier, case):
    good = [_line(n, _village(n)) for n in range(1, 4)]
    if case in BROKEN:
        record = _village(4)
        for key, value in BROKEN[case].items():
            if value is KeyError:
                del record[key]
            else:
                record[key] = value
        item = _line(4, record)
    else:
        change = {"base": None, "op": "insert", "record": _village(4), "seq": 4,
                  "table": "village", **LINE_BROKEN[case]}
        raw = canonical_bytes(change) + b"\n"
        item = (4, read_change(4, raw), raw[:-1].decode("utf-8"))
    items = good[:2] + [item] + good[2:]
    quick = applier._quick(items)
    assert quick[2] is None, case  # never passed quickly
    assert all(row is not None for i, row in enumerate(quick) if i != 2) or \
        all(row is None for row in quick), case
    outcome = _slow(applier, item)
    if "(cleaned)" in case:  # applied in the stored form, as before
        assert not isinstance(outcome, PackageProblem), outcome
        stored = json.loads(outcome[5])
        assert stored != record and stored == {k: stored_text(v) if isinstance(v, str) else v
                                                for k, v in record.items()}
    else:
        assert isinstance(outcome, PackageProblem), case


def test_the_whole_batch_names_the_first_problem_in_line_order(applier):
    """A broken record after another broken one: the first is named, as line by line."""
    items = [_line(1, _village(1)), _line(2, _village(2, households=-1)),
             _line(3, _village(3, name=" ")), _line(4, _village(4))]
    with pytest.raises(BadChange) as raised:
        applier._checked(items)
    assert raised.value.data["line"] == 2
    with pytest.raises(BadChange) as again:
        apply.parse_change(2, items[1][1], applier.rules, items[1][2])
    assert str(raised.value) == str(again.value)


def test_a_failure_while_reading_comes_after_the_lines_before_it(applier):
    """A line that cannot be read (here: a decryption failure) is raised only once the
    lines read before it are checked: a broken earlier line is the one named."""
    lines = [_line(1, _village(1)), _line(2, _village(2, households=-1))]

    def source():
        yield from lines
        raise BadChange(line=3, detail="unreadable")

    with pytest.raises(BadChange) as raised:
        applier.run(source())
    assert raised.value.data["line"] == 2


# -- the line reader ---------------------------------------------------------------------
GOOD_LINE = canonical_bytes({"base": None, "op": "insert", "record": _village(1), "seq": 1,
                             "table": "village"}) + b"\n"
LINES = {
    "canonical": GOOD_LINE,
    "a repeated record field": GOOD_LINE.replace(b'"households":120,',
                                                 b'"households":120,"households":5,'),
    "a repeated line field": GOOD_LINE.replace(b'"op":"insert",',
                                               b'"op":"insert","op":"delete",'),
    "a repeated field given the same value": GOOD_LINE.replace(
        b'"households":120,', b'"households":120,"households":120,'),
    "NaN": GOOD_LINE.replace(b'"households":120', b'"households":NaN'),
    "-Infinity": GOOD_LINE.replace(b'"households":120', b'"households":-Infinity'),
    "1.2e2": GOOD_LINE.replace(b'"households":120', b'"households":1.2e2'),
    "a float that prints back": GOOD_LINE.replace(b'"households":120', b'"households":1.5'),
    "a huge number": GOOD_LINE.replace(b'"households":120', b'"households":1e999'),
    "spaces": json.dumps(json.loads(GOOD_LINE), sort_keys=True).encode() + b"\n",
    "escapes": json.dumps(json.loads(GOOD_LINE), sort_keys=True, separators=(",", ":"),
                          ensure_ascii=True).encode() + b"\n",
    "CR LF": GOOD_LINE[:-1] + b"\r\n",
    "a space before": b" " + GOOD_LINE,
    "two objects": GOOD_LINE[:-1] + GOOD_LINE,
    "an array": b"[" + GOOD_LINE[:-1] + b"]\n",
    "not UTF-8": GOOD_LINE.replace("Xơ".encode(), b"X\xff"),
    "a lone surrogate": GOOD_LINE.replace('"Thôn 1"'.encode(), b'"\\ud800"'),
    "not JSON": b"{\n",
    "a string": b'"x"\n',
    "minus zero": GOOD_LINE.replace(b'"households":120', b'"households":-0'),
    "a leading zero": GOOD_LINE.replace(b'"households":120', b'"households":0120'),
    "a plus sign": GOOD_LINE.replace(b'"households":120', b'"households":+120'),
    "a count as a fraction": GOOD_LINE.replace(b'"households":120', b'"households":120.0'),
    "record fields out of order": GOOD_LINE.replace(b'"households":120,"id"',
                                                    b'"id"').replace(
        b'"name"', b'"households":120,"name"'),
    "line fields out of order": GOOD_LINE.replace(b'{"base":null,"op":"insert",',
                                                  b'{"op":"insert","base":null,'),
    "an escaped slash": GOOD_LINE.replace(b'"Xo', b'"Xo').replace("Đăng".encode(),
                                                                  "Đăng\\/".encode()),
    "an escaped letter": GOOD_LINE.replace("Thôn".encode(), b"\\u0054h\xc3\xb4n"),
    "an upper-case escape": GOOD_LINE.replace("Thôn 1".encode(), b"Th\\u00F4n 1"),
    "a tab escaped": GOOD_LINE.replace("Thôn 1".encode(), "Thôn\\t1".encode()),
    "a space after a colon": GOOD_LINE.replace(b'"seq":1', b'"seq": 1'),
    "a field of the record twice, kept in order": GOOD_LINE.replace(
        b'"households":120,', b'"households":120,"households":121,'),
}


def _read(reader, line: bytes) -> Any:
    try:
        return ("ok", reader(7, line))
    except BadChange as error:
        return ("refused", str(error))
    except Exception as error:  # noqa: BLE001 — compared as it is
        return ("error", type(error).__name__)


@pytest.mark.parametrize("case", sorted(LINES))
def test_the_quick_reader_answers_as_the_strict_reader(case):
    line = LINES[case]
    assert _read(read_change, line) == _read(strict_change, line), case
    if case.startswith("a repeated"):
        assert _read(read_change, line) == (
            "refused", str(BadChange(line=7, detail=_("a field appears twice"))))


@pytest.mark.parametrize("case", ["a lone surrogate", "a number too long"])
def test_a_line_python_cannot_encode_or_convert_is_refused_not_an_internal_error(case):
    """A lone surrogate (``\\ud800``) has no UTF-8 form and an integer of more digits than
    Python converts raises ValueError: both are the sender's bad line, refused by name."""
    line = (LINES["a lone surrogate"] if case == "a lone surrogate"
            else GOOD_LINE.replace(b'"households":120', b'"households":' + b"9" * 5000))
    assert line != GOOD_LINE
    for reader in (read_change, strict_change):
        verdict, _message = _read(reader, line)
        assert verdict == "refused", (case, reader.__name__)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_the_quick_reader_answers_as_the_strict_reader_for_edited_lines(data):
    """A good line with a piece cut out, doubled or replaced: both readers agree."""
    line = GOOD_LINE
    start = data.draw(st.integers(0, len(line) - 1))
    end = data.draw(st.integers(start, min(len(line), start + 12)))
    insert = data.draw(st.sampled_from([b"", line[start:end], b" ", b'"', b",", b"\\u0041",
                                        b'"households":1,', b"1.0", b"NaN", b"\xc3",
                                        b"\\ud83d", b"}", b"{"]))
    edited = line[:start] + insert + line[end:]
    assert _read(read_change, edited) == _read(strict_change, edited)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_UUIDS, st.text(alphabet="0123456789abcdefABG-{} ", min_size=30,
                                          max_size=40)), min_size=1, max_size=4))
def test_the_uuid_batch_test_is_the_canonical_pattern(texts):
    from ctmtqg_desktop.sync.columns import _CANONICAL_UUID

    assert column_batches._canonical_uuids(texts) == all(
        _CANONICAL_UUID.fullmatch(t) is not None for t in texts)


# -- the block reader --------------------------------------------------------------------
OLD_KEY, NEW_KEY = "23494@2025-07-01", "23497@2025-07-01"


def _old_reading(data: bytes, max_line: int, unit_keys: dict[str, str] | None = None
                 ) -> list[Any]:
    """What the package reader gave before it read blocks: each line by ``readline``,
    refused when longer than ``max_line`` bytes or unterminated, then ``read_change``,
    then the unit keys mapped line by line."""
    mapper = package_reader.PackageReader("changes.ctsync")
    mapper.unit_keys = dict(unit_keys or {})
    handle = io.BytesIO(data)
    found: list[Any] = []
    number = 0
    try:
        while line := handle.readline(max_line + 1):
            number += 1
            if not line.endswith(b"\n"):
                raise BadChange(line=number, detail=_("the line is too long or unterminated"))
            change, text = read_change(number, line), line[:-1].decode("utf-8")
            if mapper.unit_keys:
                change, text = mapper._mapped_change(change, text)
            found.append((number, change, text))
    except BadChange as error:
        found.append(("refused", str(error)))
    return found


def _block_reading(monkeypatch, data: bytes, max_line: int, chunk: int,
                   unit_keys: dict[str, str] | None = None) -> list[Any]:
    monkeypatch.setattr(package_reader, "MAX_LINE", max_line)
    monkeypatch.setattr(package_reader, "READ_CHUNK", chunk)
    reader = package_reader.PackageReader("changes.ctsync")
    reader.unit_keys = dict(unit_keys or {})
    reader.open_entry = lambda name: io.BytesIO(data)  # type: ignore[method-assign]
    found: list[Any] = []
    try:
        found.extend(reader.iter_change_lines())
    except BadChange as error:
        found.append(("refused", str(error)))
    return found


#: lines in the canonical form (values that their columns may refuse later)
CANONICAL_CASES = ("canonical", "a float that prints back", "a count as a fraction",
                   "a tab escaped")
OTHER_LINE = canonical_bytes({"base": None, "op": "insert", "record": _village(2), "seq": 2,
                              "table": "village"}) + b"\n"
#: whole lines as a block may hold them: each the block reader must read as read_change
BLOCK_LINES = {**{name: line for name, line in LINES.items() if line.endswith(b"\n")},
               "an empty line": b"\n",
               "two objects on one line": GOOD_LINE[:-1] + b"," + OTHER_LINE,
               "an object over two lines": OTHER_LINE[:40] + b"\n" + OTHER_LINE[40:],
               "a number": b"1\n",
               "an array of an object": b"[" + GOOD_LINE[:-1] + b"]\n",
               "an unclosed object": GOOD_LINE[:-2] + b"\n",
               "a closing bracket": b"]\n",
               "a nested depth": b"[" * 100_000 + b"\n"}


@pytest.mark.parametrize("keys", [{}, {OLD_KEY: NEW_KEY}], ids=["", "old keys mapped"])
@pytest.mark.parametrize("case", sorted(BLOCK_LINES))
def test_a_block_is_read_as_line_by_line(monkeypatch, case, keys):
    """A bad line among good ones in a block: the lines before it are given, then the same
    refusal naming the same line as reading each line on its own."""
    old = canonical_bytes({"base": None, "op": "insert", "seq": 3, "table": "village",
                           "record": _village(3, owner_unit_id=OLD_KEY)}) + b"\n"
    data = GOOD_LINE + old + OTHER_LINE + BLOCK_LINES[case] + GOOD_LINE
    expected = _old_reading(data, package_reader.MAX_LINE, keys)
    assert _block_reading(monkeypatch, data, package_reader.MAX_LINE, 1 << 20,
                          keys) == expected
    assert (NEW_KEY in expected[1][2]) == bool(keys)
    if case not in CANONICAL_CASES:
        assert expected[-1][0] == "refused", case
    # first in its block: the layout the block's pattern is made from
    data = BLOCK_LINES[case] + GOOD_LINE
    assert _block_reading(monkeypatch, data, package_reader.MAX_LINE, 1 << 20,
                          keys) == _old_reading(data, package_reader.MAX_LINE, keys)


def test_objects_spread_over_lines_that_make_canonical_elements_are_refused(monkeypatch):
    """Two lines whose text, joined by a comma, is two canonical objects (each line alone
    is not one): the block's array has as many elements as lines and re-encodes to the
    same text, but each line is compared with its own element, so it is refused."""
    first, second = b'{"a":1},{"b":2', b'"c":3}'
    array = b"[" + first + b"," + second + b"]"
    assert canonical_bytes(json.loads(array)) == array  # the whole array passes
    data = GOOD_LINE + first + b"\n" + second + b"\n"
    found = _block_reading(monkeypatch, data, package_reader.MAX_LINE, 1 << 20)
    assert found == _old_reading(data, package_reader.MAX_LINE)
    assert found[-1][0] == "refused" and len(found) == 2


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.sampled_from(sorted(BLOCK_LINES)) | st.just("good"), min_size=1,
                      max_size=8),
       tail=st.sampled_from([b"", b"{", GOOD_LINE[:-1]]),
       chunk=st.integers(1, 1500), max_line=st.integers(200, 1200))
def test_lines_across_blocks_are_read_as_line_by_line(monkeypatch, lines, tail, chunk,
                                                      max_line):
    """Any cut of the entry into blocks (``READ_CHUNK``), lines longer than ``MAX_LINE``,
    an unterminated last line: the same lines, then the same refusal, as ``readline``."""
    data = b"".join(GOOD_LINE if name == "good" else BLOCK_LINES[name]
                    for name in lines) + tail
    assert _block_reading(monkeypatch, data, max_line, chunk) == _old_reading(data, max_line)


#: records (or what a line holds in their place) whose unit keys a block maps
_UNIT_VALUES = st.sampled_from([OLD_KEY, NEW_KEY, "23524", None, 5, [OLD_KEY], {"a": 1}])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["village", "project", "extra unit", "no units",
                                           "not a record"]),
                          _UNIT_VALUES, _UNIT_VALUES), min_size=1, max_size=6))
def test_a_blocks_unit_keys_are_mapped_as_line_by_line(lines):
    """The old unit keys of a block's records are looked for in the fields ending in
    ``unit_id`` only, together when every record has the same fields: the same lines as
    mapping each line on its own (:meth:`PackageReader._mapped_change`)."""
    reader = package_reader.PackageReader("changes.ctsync")
    reader.unit_keys = {OLD_KEY: NEW_KEY}
    found = []
    for number, (kind, owner, audience) in enumerate(lines, start=1):
        record: Any = _village(number, owner_unit_id=owner, audience_unit_id=audience)
        if kind == "project":
            record = {"id": record["id"], "owner_unit_id": owner, "investor": "UBND",
                      "lead_unit_id": audience}
        elif kind == "extra unit":
            record["issuing_unit_id"] = audience
        elif kind == "no units":
            record = {"id": record["id"], "note": owner}
        elif kind == "not a record":
            record = [owner]
        change = {"base": None, "op": "insert", "record": record, "seq": number,
                  "table": "village"}
        found.append((number, change, json.dumps(change, sort_keys=True)))
    expected = [(number, *reader._mapped_change(change, text))
                for number, change, text in found]
    assert list(reader._mapped_lines(iter(found))) == expected


@settings(max_examples=500, deadline=None)
@given(st.data())
def test_a_line_matching_its_layouts_pattern_is_canonical(data):
    """The pattern of a layout (``package_reader._layout_pattern``) matches a line only
    when the strict reader accepts it; and it matches the canonical lines of its layout
    (the quick way is taken)."""
    pattern = package_reader._layout_pattern(json.loads(GOOD_LINE))
    assert pattern is not None
    for line in (GOOD_LINE, OTHER_LINE, LINES["a float that prints back"]):
        assert (pattern.fullmatch(line[:-1].decode()) is not None) == (b"1.5" not in line)
    line = GOOD_LINE
    start = data.draw(st.integers(0, len(line) - 1))
    end = data.draw(st.integers(start, min(len(line), start + 12)))
    insert = data.draw(st.sampled_from([b"", line[start:end], b" ", b'"', b",", b"\\u0041",
                                        b"\\n", b"\\/", b'"households":1,', b"1.0", b"-0",
                                        b"0", b"-", b"+", b"e2", b"NaN", b"\xc3", b"}", b"{",
                                        b"[]", b"true", b"null"]))
    edited = line[:start] + insert + line[end:]
    try:
        text = edited[:-1].decode("utf-8")
    except UnicodeDecodeError:
        return
    if edited.endswith(b"\n") and pattern.fullmatch(text) is not None:
        assert _read(strict_change, edited)[0] == "ok", edited


def test_a_field_name_is_never_read_as_a_pattern(monkeypatch):
    """A record field named with a character of regular expressions (``b.``) makes no
    pattern: a later line with ``b1`` in its place (fields out of order, not canonical)
    is refused as line by line."""
    first = b'{"base":null,"op":"insert","record":{"b.":1,"b0":2},"seq":1,"table":"x"}\n'
    second = b'{"base":null,"op":"insert","record":{"b1":1,"b0":2},"seq":2,"table":"x"}\n'
    data = first + second
    found = _block_reading(monkeypatch, data, package_reader.MAX_LINE, 1 << 20)
    assert found == _old_reading(data, package_reader.MAX_LINE)
    assert found[0][0] == 1 and found[-1][0] == "refused"
