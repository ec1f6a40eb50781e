"""Hybrid logical clock: record versions that order edits across offline installations.

A version is ``WWWWWWWWWWWWW.CCCCC.NODE``: wall-clock milliseconds (13 digits), a counter for
events within the same millisecond or when the wall clock lags what we have seen (5 digits),
and the authoring node's id (32 hex digits) as the final tie-breaker. Versions compare as
plain strings, so the newest edit wins the same way in Python, SQLite and PostgreSQL, and a
laptop whose clock runs behind still produces versions newer than everything it received
(Kulkarni et al., "Logical Physical Clocks", 2014).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

_WALL_DIGITS = 13
_COUNTER_DIGITS = 5
_COUNTER_LIMIT = 10**_COUNTER_DIGITS


@dataclass(frozen=True, order=True)
class Version:
    wall_ms: int
    counter: int
    node: str

    def encode(self) -> str:
        return f"{self.wall_ms:0{_WALL_DIGITS}d}.{self.counter:0{_COUNTER_DIGITS}d}.{self.node}"

    @classmethod
    def decode(cls, text: str) -> Version:
        wall, counter, node = text.split(".", 2)
        if len(wall) != _WALL_DIGITS or len(counter) != _COUNTER_DIGITS or not node:
            raise ValueError(f"not a version: {text!r}")
        return cls(int(wall), int(counter), node)


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


class HybridLogicalClock:
    """Issues strictly increasing versions for one node and absorbs versions it receives."""

    def __init__(self, node: str, *, last: str | None = None,
                 now_ms: Callable[[], int] = _now_ms) -> None:
        self.node = node
        self._now_ms = now_ms
        previous = Version.decode(last) if last else None
        self._wall = previous.wall_ms if previous else 0
        self._counter = previous.counter if previous else 0

    def _advance(self, seen_wall: int, seen_counter: int) -> None:
        physical = self._now_ms()
        wall = max(self._wall, seen_wall, physical)
        if wall == self._wall and wall == seen_wall:
            counter = max(self._counter, seen_counter) + 1
        elif wall == self._wall:
            counter = self._counter + 1
        elif wall == seen_wall:
            counter = seen_counter + 1
        else:
            counter = 0
        if counter >= _COUNTER_LIMIT:  # a burst of 100.000 events in one ms: borrow a ms
            wall, counter = wall + 1, 0
        self._wall, self._counter = wall, counter

    def tick(self) -> str:
        """The version for a local edit happening now."""
        self._advance(0, 0)
        return Version(self._wall, self._counter, self.node).encode()

    def observe(self, remote_version: str) -> None:
        """Absorb a version received from another node, so later local edits are newer."""
        remote = Version.decode(remote_version)
        self._advance(remote.wall_ms, remote.counter)

    @property
    def last(self) -> str:
        return Version(self._wall, self._counter, self.node).encode()
