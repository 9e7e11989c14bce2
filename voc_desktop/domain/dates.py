"""Dates as people type them: "1 Jan 1999", "January 1, 1999", "2026-03-14", "14.3.2026",
"14/3/26", "today", "tomorrow". Day before month when digits alone are typed, as in most
of the places interviewers work; the ISO form is always understood."""

from __future__ import annotations

import re
from datetime import date, timedelta

MONTHS = {name: number for number, names in enumerate((
    ("jan", "january", "januar", "janvier"), ("feb", "february", "februar", "fév", "fev"),
    ("mar", "march", "märz", "mars"), ("apr", "april", "avr"), ("may", "mai"),
    ("jun", "june", "juni", "juin"), ("jul", "july", "juli", "juil"),
    ("aug", "august", "août", "aout"), ("sep", "sept", "september"),
    ("oct", "october", "okt", "oktober"), ("nov", "november"),
    ("dec", "december", "dez", "dezember", "déc")), start=1) for name in names}
WORDS = {"today": 0, "tomorrow": 1, "yesterday": -1}
FAR_DAYS = 365  # a visit further than this from today is asked about once
EXAMPLE = "e.g. 14 Mar 2026, 2026-03-14 or 14.3.2026"


def _year(text: str, today: date) -> int:
    year = int(text)
    return year + (2000 if year < 70 else 1900) if len(text) <= 2 else year


def parse_date(text: str, today: date) -> date | None:
    """The date `text` names, or None when it names none."""
    words = text.strip().lower().replace(",", " ").replace("  ", " ")
    if not words:
        return None
    if words in WORDS:
        return today + timedelta(days=WORDS[words])
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", words):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{1,2})\s*[./-]\s*(\d{1,2})(?:\s*[./-]\s*(\d{2}|\d{4}))?\.?",
                             words):
            return date(_year(m[3], today) if m[3] else today.year, int(m[2]), int(m[1]))
        parts = re.findall(r"[^\W\d_]+|\d+", words)
        names = [p for p in parts if not p.isdigit()]
        numbers = [p for p in parts if p.isdigit()]
        if len(names) == 1 and names[0].rstrip(".") in MONTHS and 1 <= len(numbers) <= 2:
            month = MONTHS[names[0].rstrip(".")]
            day = int(numbers[0])
            year = _year(numbers[1], today) if len(numbers) == 2 else today.year
            return date(year, month, day)
    except ValueError:  # 31 February and the like
        return None
    return None


def is_far(when: date, today: date) -> bool:
    """More than a year from today: typed by mistake more often than planned."""
    return abs((when - today).days) > FAR_DAYS
