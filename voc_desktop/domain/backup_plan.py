"""Which backups to keep: many recent ones, one a day for two weeks, one a week for two months.

A pure rule over timestamps, so it can be checked against any history without files.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta


@dataclass(frozen=True)
class KeepPolicy:
    recent_hours: int = 24
    recent_count: int = 10  # of the backups within recent_hours, the newest this many
    days: int = 14  # the newest backup of each of the last this many calendar days
    weeks: int = 8  # the newest backup of each of the last this many calendar weeks


DEFAULT_POLICY = KeepPolicy()


def backups_to_keep(stamps: Sequence[datetime], now: datetime, *,
                    policy: KeepPolicy = DEFAULT_POLICY,
                    protected: Collection[int] = ()) -> set[int]:
    """Indexes into `stamps` of the backups to keep; the others may be deleted.

    The newest backup is always kept, whatever its age, and so is every index in
    `protected`. A backup dated after `now` (the clock was put back) counts as recent.
    Days and weeks are those of the timestamps as given (the caller picks the zone).
    """
    if not stamps:
        return set()
    order = sorted(range(len(stamps)), key=lambda i: stamps[i], reverse=True)
    keep = {order[0], *protected}
    recent_since = now - timedelta(hours=policy.recent_hours)
    recent = [i for i in order if stamps[i] >= recent_since]
    keep.update(recent[:policy.recent_count])
    today = now.date()
    keep.update(_newest_per_bucket(
        order, stamps, lambda d: (today - d).days, policy.days))
    keep.update(_newest_per_bucket(
        order, stamps, lambda d: (_week_start(today) - _week_start(d)).days // 7,
        policy.weeks))
    return keep


def _newest_per_bucket(order: list[int], stamps: Sequence[datetime],
                       age_of: Callable[[date], int], count: int) -> set[int]:
    """The newest backup in each bucket whose age (0 = the current one) is below count."""
    kept: set[int] = set()
    seen: set[int] = set()
    for i in order:  # newest first, so the first of each bucket is its newest
        age = max(0, age_of(stamps[i].date()))
        if age < count and age not in seen:
            seen.add(age)
            kept.add(i)
    return kept


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())
