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
table, operation and unsent. The intervals go as a ``VALUES`` list, at most
:data:`SEGMENTS_PER_STATEMENT` a statement (the drivers' parameter limits): 3,321 children are
a handful of statements. The ``(owner_unit_id, seq)`` index reads only the wanted rows of a
child's own records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

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
    for start in range(0, len(flat), SEGMENTS_PER_STATEMENT):
        chunk = flat[start:start + SEGMENTS_PER_STATEMENT]
        rows = ", ".join(f"(:u{i}, CAST(:f{i} AS BIGINT), CAST(:l{i} AS BIGINT), :s{i})"
                         for i in range(len(chunk)))
        params: dict[str, object] = {"local": local_unit, "every": EVERY_CHILD,
                                     "owners": broadcast_owners}
        for i, (unit, first, last, unsent) in enumerate(chunk):
            params.update({f"u{i}": unit, f"f{i}": first, f"l{i}": last, f"s{i}": int(unsent)})
        statement = text(
            f"WITH segment(unit, first_seq, last_seq, unsent) AS (VALUES {rows}), "
            "wanted(unit, table_name, operation, unsent, recorded_at) AS ("
            # the child's own records, through (owner_unit_id, seq)
            " SELECT s.unit, j.table_name, j.operation, s.unsent, j.recorded_at"
            " FROM segment s JOIN change_journal j ON j.owner_unit_id = s.unit"
            " AND j.seq BETWEEN s.first_seq AND s.last_seq"
            " UNION ALL"
            # ours, addressed to the child
            " SELECT s.unit, j.table_name, j.operation, s.unsent, j.recorded_at"
            " FROM segment s JOIN change_journal j ON j.audience_unit_id = s.unit"
            " AND j.owner_unit_id = :local AND j.seq BETWEEN s.first_seq AND s.last_seq"
            " UNION ALL"
            # for every child, from us or relayed from our ancestors
            " SELECT s.unit, j.table_name, j.operation, s.unsent, j.recorded_at"
            " FROM segment s JOIN change_journal j ON j.audience_unit_id = :every"
            " AND j.owner_unit_id IN :owners AND j.seq BETWEEN s.first_seq AND s.last_seq)"
            " SELECT unit, table_name, operation, unsent, count(*) AS found,"
            " min(recorded_at) AS first_at FROM wanted"
            " GROUP BY unit, table_name, operation, unsent"
        ).bindparams(bindparam("owners", expanding=True)).columns(
            unit=String, table_name=String, operation=String, unsent=Integer,
            found=BigInteger, first_at=DateTime)
        for unit, table, operation, unsent, found, first_at in session.execute(statement,
                                                                               params):
            counts.setdefault(unit, []).append((table, operation, bool(unsent), int(found),
                                                first_at))
    return counts

