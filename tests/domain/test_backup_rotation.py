"""The rotation rule on its own: a year and a half of dates, no files."""

import datetime as dt

from ctmtqg_desktop.domain.backup_rotation import Stamp, keep


def stamps(days, reason="daily", start=dt.datetime(2024, 1, 1, 20, 0)):
    return [Stamp(f"{reason}-{n}", start + dt.timedelta(days=n), reason) for n in range(days)]


def test_a_year_and_a_half_of_daily_backups_keeps_at_most_23():
    everything = stamps(550)
    now = everything[-1].created_at
    kept = keep(everything, now)
    by_key = {s.key: s for s in everything}
    days = sorted(by_key[k].created_at.date() for k in kept)
    assert len(days) <= 7 + 4 + 12
    assert days[-7:] == [now.date() - dt.timedelta(days=n) for n in range(6, -1, -1)]
    months = {(d.year, d.month) for d in days}
    assert len(months) == 12  # the newest of each of the 12 newest months
    newest_of_month = {}
    for s in everything:
        key = (s.created_at.year, s.created_at.month)
        newest_of_month[key] = max(newest_of_month.get(key, s.created_at.date()),
                                   s.created_at.date())
    assert all(newest_of_month[m] in days for m in sorted(months))


def test_gaps_do_not_count_and_the_newest_is_always_kept():
    # used on 3 days, then left in a drawer for 3 months: nothing old is lost for the gap
    early = stamps(3)
    late = [Stamp("late", early[-1].created_at + dt.timedelta(days=95), "daily")]
    kept = keep(early + late, late[0].created_at)
    assert kept == {"daily-0", "daily-1", "daily-2", "late"}
    assert keep([], dt.datetime(2024, 1, 1)) == set()


def test_manual_backups_stay_and_event_backups_stay_a_week():
    now = dt.datetime(2024, 6, 30, 12, 0)
    manual = [Stamp("manual", dt.datetime(2020, 1, 1), "manual")]
    events = [Stamp(f"import-{h}", now - dt.timedelta(hours=h), "before-import")
              for h in (1, 2, 3, 24 * 8)]
    daily = stamps(400, start=dt.datetime(2023, 5, 27, 20, 0))  # to 29/06/2024 20:00
    kept = keep(manual + events + daily, now)
    assert {"manual", "import-1", "import-2", "import-3"} <= kept
    assert "import-192" not in kept  # eight days old, and not the newest of its day


def test_a_day_of_imports_keeps_the_newest_ten_event_backups():
    now = dt.datetime(2024, 6, 30, 18, 0)
    imports = [Stamp(f"import-{n}", now - dt.timedelta(minutes=5 * n), "before-import")
               for n in range(60)]
    kept = keep(imports, now)
    assert kept == {f"import-{n}" for n in range(10)}
