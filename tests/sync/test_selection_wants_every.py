"""``Selection.wants_every`` (issue 17) lets the export skip testing each change against the
recipient's receipts: it may say so only when every change from ``start`` on is wanted,
never when one of them came from the recipient (it would echo back)."""

from __future__ import annotations

import itertools
import random
import uuid

from ctmtqg_desktop.sync.selection import UP, Floor, Selection


def _selection(floors) -> Selection:
    return Selection(UP, "23524", uuid.uuid4(), "615", frozenset(), tuple(floors))


def test_wants_every_only_when_each_change_from_start_is_wanted():
    chance = random.Random(17)
    said = {True: 0, False: 0}
    for _case in range(2000):
        floors = []
        for _node in range(chance.randint(1, 3)):
            through = chance.randint(0, 30)
            ranges = []
            for _range in range(chance.randint(0, 3)):
                first = chance.randint(1, 60)
                ranges.append((first, first + chance.randint(0, 8)))
            floors.append(Floor.make(uuid.uuid4(), through, ranges))
        selection = _selection(floors)
        every = selection.wants_every()
        wanted = [selection.wants(seq) for seq in range(selection.start, 80)]
        if every:
            assert all(wanted), floors
        said[every] += 1
    assert said[True] > 100 and said[False] > 100, said


def test_a_change_that_came_from_the_recipient_is_not_wanted_by_every():
    floor = Floor.make(uuid.uuid4(), 10, [(12, 14)])
    selection = _selection([floor])
    assert not selection.wants_every()
    assert [seq for seq in range(11, 17) if selection.wants(seq)] == [11, 15, 16]
    # a second installation that acknowledged less and sent nothing wants them all
    other = Floor.make(uuid.uuid4(), 5, [])
    assert _selection([floor, other]).wants_every()
    assert all(_selection([]).wants(seq) for seq in itertools.islice(itertools.count(1), 5))
    assert _selection([]).wants_every()
