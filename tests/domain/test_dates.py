"""Dates as people type them."""

from __future__ import annotations

from datetime import date

import pytest

from voc_desktop.domain.dates import is_far, parse_date

TODAY = date(2026, 12, 7)


@pytest.mark.parametrize("typed, meant", [
    ("1 Jan 1999", date(1999, 1, 1)), ("1 January 1999", date(1999, 1, 1)),
    ("Jan 1 1999", date(1999, 1, 1)), ("January 1, 1999", date(1999, 1, 1)),
    ("1999-01-01", date(1999, 1, 1)), ("14.3.2026", date(2026, 3, 14)),
    ("14/3/26", date(2026, 3, 14)), ("14 mar", date(2026, 3, 14)),
    ("3 Dec. 2026", date(2026, 12, 3)), ("today", TODAY), ("Tomorrow", date(2026, 12, 8)),
])
def test_the_usual_typed_forms_are_read(typed, meant):
    """Day-month-year in words or digits, ISO, a month name first, and today/tomorrow."""
    assert parse_date(typed, TODAY) == meant


@pytest.mark.parametrize("typed", ["", "next week", "31 Feb 2026", "13/13/2026", "Jan"])
def test_what_names_no_date_is_none(typed):
    """Words that name no date, or a day that does not exist, give None, never a guess."""
    assert parse_date(typed, TODAY) is None


def test_far_means_more_than_a_year_away():
    """A date over a year before or after today is far; one within the year is not."""
    assert is_far(date(1999, 1, 1), TODAY) and is_far(date(2028, 1, 1), TODAY)
    assert not is_far(date(2027, 6, 1), TODAY)
