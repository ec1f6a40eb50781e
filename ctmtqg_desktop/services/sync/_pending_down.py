"""What every child unit still needs, counted for all of them in a few grouped statements
(issue 17: the parent's sync status, one grouped count per child took 3.9 s at 800 children
and would take tens of seconds at the country's 3,321).

A child's selection (:class:`~ctmtqg_desktop.sync.selection.Selection`, direction down) is
three disjoint sets of journal rows:

* its own records (``owner = child``: written by its other installations, relayed here);
* this unit's records addressed to it (``owner = us, audience = child``);
* the records for every child (``audience = '*'``, owned by us or by our ancestors).

Which of them it still needs depends only on the row's sequence number: after an
installation's acknowledgement and outside the journal ranges that came from that
installation (:meth:`Selection.wants`). So each child's sequence numbers are cut, in Python,
into the few intervals it wants (split at the last package sent to it: unsent or only
unconfirmed), and one statement counts the rows of every child's intervals, grouped by child,
table, operation and unsent. On PostgreSQL the intervals go as four arrays in one statement,
each part read for each interval through its index (``LATERAL``); on SQLite as a ``VALUES``
list, at most :data:`SEGMENTS_PER_STATEMENT` a statement (the drivers' parameter limits).
The ``(owner_unit_id, seq)`` index reads only the wanted rows of a child's own records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import BigInteger, DateTime, Integer, String, bindparam, text
from sqlalchemy.orm import Session

from ctmtqg_desktop.store.base import EVERY_CHILD
from ctmtqg_desktop.sync.selection import Selection

#: intervals per statement (four parameters each: under SQLite's 32,766 and PostgreSQL's
#: 65,535 parameters)
SEGMENTS_PER_STATEMENT = 2000
#: "no upper end" for the last interval (journal sequence numbers are 64-bit)
_NO_END = 2**62

#: child → [(table, operation, unsent, rows, earliest recorded_at)]
Counts = dict[str, list[tuple[str, str, bool, int, dt.datetime | None]]]


def wanted_intervals(selection: Selection, sent_through: int
                     ) -> list[tuple[int, int, bool]]:
    """``(first, last, unsent)`` intervals of sequence numbers the recipient still needs,
    exactly :meth:`Selection.wants` (and ``seq >= selection.start``), split where a row
    becomes unsent (after ``sent_through``)."""
    points = {1, selection.start, sent_through + 1}
    for floor in selection.floors:
        points.add(floor.through + 1)
        for first, last in floor.ranges:
            points.update((first, last + 1))
    cuts = sorted(p for p in points if p >= 1)
    intervals: list[tuple[int, int, bool]] = []
    for index, start in enumerate(cuts):
        end = cuts[index + 1] - 1 if index + 1 < len(cuts) else _NO_END
        if start < selection.start or not selection.wants(start):
            continue  # constant between two cuts: the first number stands for all
        unsent = start > sent_through
        if intervals and intervals[-1][1] == start - 1 and intervals[-1][2] == unsent:
            intervals[-1] = (intervals[-1][0], end, unsent)
        else:
            intervals.append((start, end, unsent))
    return intervals


def count_down(session: Session, local_unit: str, ancestors: Iterable[str],
               intervals: dict[str, list[tuple[int, int, bool]]]) -> Counts:
    """Rows of each child's intervals (``intervals``: child → :func:`wanted_intervals`)."""
    flat = [(unit, first, last, unsent) for unit, found in intervals.items()
            for first, last, unsent in found]
    broadcast_owners = sorted({local_unit, *ancestors})
    counts: Counts = {}
    if session.get_bind().dialect.name == "postgresql":
        rows: Iterable[Any] = _count_postgresql(session, local_unit, broadcast_owners, flat)
    else:
        rows = (row for start in range(0, len(flat), SEGMENTS_PER_STATEMENT)
                for row in _count_values(session, local_unit, broadcast_owners,
                                         flat[start:start + SEGMENTS_PER_STATEMENT]))
    for unit, table, operation, unsent, found, first_at in rows:
        counts.setdefault(unit, []).append((table, operation, bool(unsent), int(found),
                                            first_at))
    return counts


#: the three disjoint parts of a child's selection, for one interval ``s`` (see the module;
#: the same three as :func:`_count_values` joins)
_PARTS = (
    # the child's own records, through (owner_unit_id, seq)
    "SELECT j.table_name, j.operation, j.recorded_at FROM change_journal j"
    " WHERE j.owner_unit_id = s.unit AND j.seq BETWEEN s.first_seq AND s.last_seq",
    # ours, addressed to the child
    "SELECT j.table_name, j.operation, j.recorded_at FROM change_journal j"
    " WHERE j.audience_unit_id = s.unit AND j.owner_unit_id = :local"
    " AND j.seq BETWEEN s.first_seq AND s.last_seq",
    # for every child, from us or relayed from our ancestors
    "SELECT j.table_name, j.operation, j.recorded_at FROM change_journal j"
    " WHERE j.audience_unit_id = :every AND j.owner_unit_id = ANY(:owners)"
    " AND j.seq BETWEEN s.first_seq AND s.last_seq",
)
_COLUMNS = {"unit": String, "table_name": String, "operation": String, "unsent": Integer,
            "found": BigInteger, "first_at": DateTime}


def _count_postgresql(session: Session, local_unit: str, owners: list[str],
                      flat: list[tuple[str, int, int, bool]]) -> Iterable[Any]:
    """PostgreSQL: every interval in one statement, as four arrays, and each part read for
    each interval through its index (``LATERAL``). As a join of a ``VALUES`` list the
    planner hashed the whole journal for the children's own records (0.5 s a statement at
    3,321 children, 355,000 journal rows; issue 17)."""
    parts = " UNION ALL ".join(_PARTS)
    # a few thousand index probes: the JIT compiler's estimate of them made it compile for
    # longer (0.17 s) than the statement runs; for this transaction only
    session.execute(text("SET LOCAL jit = off"))
    statement = text(
        "SELECT s.unit, w.table_name, w.operation, s.unsent, count(*) AS found,"
        " min(w.recorded_at) AS first_at"
        " FROM unnest(CAST(:units AS TEXT[]), CAST(:firsts AS BIGINT[]),"
        " CAST(:lasts AS BIGINT[]), CAST(:unsents AS INTEGER[]))"
        " AS s(unit, first_seq, last_seq, unsent)"
        f" CROSS JOIN LATERAL ({parts}) AS w"
        " GROUP BY s.unit, w.table_name, w.operation, s.unsent"
    ).columns(**_COLUMNS)
    return session.execute(statement, {
        "local": local_unit, "every": EVERY_CHILD, "owners": owners,
        "units": [unit for unit, _first, _last, _unsent in flat],
        "firsts": [first for _unit, first, _last, _unsent in flat],
        "lasts": [last for _unit, _first, last, _unsent in flat],
        "unsents": [int(unsent) for _unit, _first, _last, unsent in flat]})


def _count_values(session: Session, local_unit: str, owners: list[str],
                  chunk: list[tuple[str, int, int, bool]]) -> Iterable[Any]:
    """SQLite: the intervals as a ``VALUES`` list (at most :data:`SEGMENTS_PER_STATEMENT`),
    joined to each part (SQLite reads each interval's rows through the index)."""
    rows = ", ".join(f"(:u{i}, CAST(:f{i} AS BIGINT), CAST(:l{i} AS BIGINT), :s{i})"
                     for i in range(len(chunk)))
    params: dict[str, object] = {"local": local_unit, "every": EVERY_CHILD, "owners": owners}
    for i, (unit, first, last, unsent) in enumerate(chunk):
        params.update({f"u{i}": unit, f"f{i}": first, f"l{i}": last, f"s{i}": int(unsent)})
    statement = text(
        f"WITH segment(unit, first_seq, last_seq, unsent) AS (VALUES {rows}), "
        "wanted(unit, table_name, operation, unsent, recorded_at) AS ("
        " SELECT s.unit, j.table_name, j.operation, s.unsent, j.recorded_at"
        " FROM segment s JOIN change_journal j ON j.owner_unit_id = s.unit"
        " AND j.seq BETWEEN s.first_seq AND s.last_seq"
        " UNION ALL"
        " SELECT s.unit, j.table_name, j.operation, s.unsent, j.recorded_at"
        " FROM segment s JOIN change_journal j ON j.audience_unit_id = s.unit"
        " AND j.owner_unit_id = :local AND j.seq BETWEEN s.first_seq AND s.last_seq"
        " UNION ALL"
        " SELECT s.unit, j.table_name, j.operation, s.unsent, j.recorded_at"
        " FROM segment s JOIN change_journal j ON j.audience_unit_id = :every"
        " AND j.owner_unit_id IN :owners AND j.seq BETWEEN s.first_seq AND s.last_seq)"
        " SELECT unit, table_name, operation, unsent, count(*) AS found,"
        " min(recorded_at) AS first_at FROM wanted"
        " GROUP BY unit, table_name, operation, unsent"
    ).bindparams(bindparam("owners", expanding=True)).columns(**_COLUMNS)
    return session.execute(statement, params)
