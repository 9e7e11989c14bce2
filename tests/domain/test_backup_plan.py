"""The keeping rule for backups: recent ones, one a day, one a week, and never the newest."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from voc_desktop.domain.backup_plan import KeepPolicy, backups_to_keep

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)  # a Wednesday


def kept(stamps, now=NOW, **kw):
    return sorted((stamps[i] for i in backups_to_keep(stamps, now, **kw)), reverse=True)


def test_nothing_to_keep_in_an_empty_folder():
    """No backups, nothing kept, no error."""
    assert backups_to_keep([], NOW) == set()


def test_the_last_day_keeps_its_ten_newest():
    """Twenty backups this morning: the ten newest stay, the ten older ones go."""
    stamps = [NOW - timedelta(minutes=30 * i) for i in range(20)]
    assert kept(stamps) == stamps[:10]


def test_yesterday_within_the_day_still_keeps_its_newest():
    """Backups each hour for 30 hours: the ten newest, plus the newest of yesterday."""
    stamps = [NOW - timedelta(hours=i) for i in range(30)]
    yesterday = max(s for s in stamps if s.date() < NOW.date())
    assert kept(stamps) == [*stamps[:10], yesterday]


def test_one_a_day_for_two_weeks():
    """Four backups a day for 20 days, none in the last day: each day of the last two weeks
    keeps exactly its newest, and older days at most that."""
    stamps = [datetime(2026, 11, 25, 9 + 2 * h, tzinfo=UTC) - timedelta(days=d)
              for d in range(20) for h in range(4)]
    now = datetime(2026, 11, 26, 20, tzinfo=UTC)  # over a day after the newest
    result = kept(stamps, now=now)
    days = {}
    for s in result:
        days.setdefault(s.date(), []).append(s)
    assert all(len(v) == 1 for v in days.values())
    for day, (stamp,) in days.items():
        assert stamp == max(s for s in stamps if s.date() == day)
    recent_days = {now.date() - timedelta(days=d) for d in range(14)}
    assert {s.date() for s in stamps} & recent_days <= set(days)


def test_one_a_week_for_eight_weeks_and_nothing_older_but_the_newest():
    """A backup every day for a year: 14 days, then one per week up to 8 weeks, no more."""
    stamps = [NOW - timedelta(days=d, hours=1) for d in range(365)]
    result = kept(stamps)
    assert len({s.date() for s in result}) == len(result)
    old = [s for s in result if (NOW - s).days >= 14]
    weeks = {s.isocalendar()[:2] for s in old}
    assert len(weeks) == len(old)  # one per calendar week
    assert min(result) >= NOW - timedelta(weeks=8, days=7)
    assert len(result) <= 10 + 14 + 8


def test_the_newest_is_kept_however_old():
    """Backups all a year old: the newest of them still stays, and only it."""
    stamps = [NOW - timedelta(days=365 + d) for d in range(5)]
    assert kept(stamps) == [stamps[0]]


def test_protected_backups_stay():
    """A backup named as protected stays even where the rule would let it go."""
    stamps = [NOW - timedelta(days=100 + d) for d in range(5)]
    assert backups_to_keep(stamps, NOW, protected=[3]) == {0, 3}


def test_a_backup_from_the_future_counts_as_recent():
    """After the clock was put back, newer-looking backups are kept, not thrown away."""
    stamps = [NOW + timedelta(hours=h) for h in range(3)] + [NOW - timedelta(hours=1)]
    assert backups_to_keep(stamps, NOW) == {0, 1, 2, 3}


def test_thinning_after_every_backup_keeps_a_bounded_spread():
    """Half-hourly backups for 120 days, thinned after each one as the app does: the kept
    set stays bounded, holds the ten newest, a backup each recent day and week, and thinning
    it again changes nothing."""
    rng = random.Random(3)
    policy = KeepPolicy()
    start = datetime(2026, 6, 1, tzinfo=UTC)
    held: list[datetime] = []
    now = start
    for _ in range(120 * 48):
        now += timedelta(minutes=30 + rng.randint(-5, 5))
        held.append(now)
        held = [held[i] for i in sorted(backups_to_keep(held, now, policy=policy))]
        assert len(held) <= policy.recent_count + policy.days + policy.weeks + 1
    newest = sorted(held, reverse=True)
    assert newest[:10] == sorted([s for s in held if s >= now - timedelta(hours=5)],
                                 reverse=True)[:10]
    days = {s.date() for s in held}
    assert all(now.date() - timedelta(days=d) in days for d in range(14))
    weeks = {s.isocalendar()[:2] for s in held}
    assert all((now - timedelta(weeks=w)).isocalendar()[:2] in weeks for w in range(8))
    assert backups_to_keep(held, now) == set(range(len(held)))


def test_random_histories_always_keep_the_newest_and_each_days_newest():
    """Any history: the newest survives, and no kept day of the last two weeks has lost
    its newest backup to an older one of the same day."""
    rng = random.Random(11)
    for _ in range(200):
        stamps = [NOW - timedelta(minutes=rng.randint(0, 90 * 24 * 60))
                  for _ in range(rng.randint(1, 60))]
        keep = backups_to_keep(stamps, NOW)
        assert stamps.index(max(stamps)) in keep
        for day in {s.date() for s in stamps if (NOW.date() - s.date()).days < 14}:
            newest = max(s for s in stamps if s.date() == day)
            assert any(stamps[i] == newest for i in keep)
