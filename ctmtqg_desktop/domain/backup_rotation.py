"""Which automatic backups to keep (luân phiên bản sao lưu): 7 daily, 4 weekly, 12 monthly.

The rule keeps, among the automatic backups, the newest of each of the 7 most recent days
that have one, the newest of each of the 4 most recent ISO weeks that have one and the newest
of each of the 12 most recent months that have one (the "grandfather-father-son" scheme;
periods without a backup do not count, so a laptop left in a drawer for a month never loses
its last backups). Backups taken before an import, an upgrade or a restore are also kept
for :data:`EVENT_DAYS` days whatever the rule says (the newest :data:`EVENT_LIMIT` of them:
a parent unit importing packages one by one all day must not fill its disk with copies), so
the state before the latest risky changes is always there. Backups a user made by hand are
never removed automatically, and the newest backup is always kept. Pure: the dates are
given, nothing reads a clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

DAILY = 7
WEEKLY = 4
MONTHLY = 12
EVENT_DAYS = 7
EVENT_LIMIT = 10

#: reasons of backups that record a risky moment rather than a day
EVENT_REASONS = frozenset({"before-import", "before-migration", "before-restore"})
#: reasons of backups that the rotation never removes
MANUAL_REASONS = frozenset({"manual"})


@dataclass(frozen=True)
class Stamp:
    """What the rotation needs to know of one backup."""

    key: str
    created_at: dt.datetime
    reason: str


def _day(moment: dt.datetime) -> Hashable:
    return moment.date()


def _week(moment: dt.datetime) -> Hashable:
    year, week, _weekday = moment.isocalendar()
    return (year, week)


def _month(moment: dt.datetime) -> Hashable:
    return (moment.year, moment.month)


def _newest_per_period(ordered: list[Stamp], period: Callable[[dt.datetime], Hashable],
                       count: int) -> set[str]:
    kept: set[str] = set()
    seen: list[Hashable] = []
    for stamp in ordered:  # newest first
        which = period(stamp.created_at)
        if which in seen:
            continue
        if len(seen) >= count:
            break
        seen.append(which)
        kept.add(stamp.key)
    return kept


def keep(stamps: Iterable[Stamp], now: dt.datetime, *, daily: int = DAILY,
         weekly: int = WEEKLY, monthly: int = MONTHLY,
         event_days: int = EVENT_DAYS, event_limit: int = EVENT_LIMIT) -> set[str]:
    """The keys of the backups to keep; every other automatic backup may be removed."""
    everything = sorted(stamps, key=lambda s: s.created_at, reverse=True)
    kept = {s.key for s in everything if s.reason in MANUAL_REASONS}
    automatic = [s for s in everything if s.reason not in MANUAL_REASONS]
    if everything:
        kept.add(everything[0].key)
    kept |= _newest_per_period(automatic, _day, daily)
    kept |= _newest_per_period(automatic, _week, weekly)
    kept |= _newest_per_period(automatic, _month, monthly)
    recent = now - dt.timedelta(days=event_days)
    events = [s for s in automatic if s.reason in EVENT_REASONS and s.created_at >= recent]
    kept |= {s.key for s in events[:event_limit]}  # newest first
    return kept
