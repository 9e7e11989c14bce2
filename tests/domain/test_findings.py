"""Search words as FTS5 queries, snippets, themes and routing rules."""

from __future__ import annotations

import pytest

from voc_desktop.domain.findings import (
    HIT_END,
    HIT_START,
    FindingFilter,
    fts_query,
    split_snippet,
    team_for_bucket,
    theme_key,
)


@pytest.mark.parametrize(("words", "query"), [
    ("changeover", '"changeover"*'),
    ("changeover ", '"changeover"'),
    ("line changeover", '"line" "changeover"*'),
    ('"line 3" seals', '"line 3" "seals"*'),
    ("seals OR paperwork", '"seals" OR "paperwork"*'),
    ("changeover -validation", '"changeover" NOT "validation"'),
    ("-validation", ""),
    ('("*:^', ""),
    ("Bäckerei's ovens", '"Bäckerei s" "ovens"*'),
    ("NEAR(a b) AND", '"NEAR a" "b" "AND"*'),
    ("", ""),
])
def test_words_become_a_safe_query(words, query):
    """Words, phrases, OR and exclusions become FTS5 syntax; operators and punctuation a
    person types are searched as words, never run as syntax."""
    assert fts_query(words) == query


def test_snippet_markers_become_offsets():
    """Hit markers are taken out of a snippet and returned as positions."""
    text, marks = split_snippet(f"a {HIT_START}seal{HIT_END} and {HIT_START}x{HIT_END}")
    assert text == "a seal and x"
    assert [text[s:e] for s, e in marks] == ["seal", "x"]


def test_themes_ignore_case_and_spacing():
    """'Line  3' and 'line 3' are one theme."""
    assert theme_key("  Line  3 ") == theme_key("line 3") == "line 3"


def test_learnings_are_routed_by_bucket():
    """Buying goes to sales, competition to marketing; unknown buckets to nobody."""
    assert team_for_bucket("buying") == "sales"
    assert team_for_bucket("competition") == "marketing"
    assert team_for_bucket("end_customer") == "executive"
    assert team_for_bucket("") == team_for_bucket("mystery") == ""


def test_filter_describes_itself_for_a_report():
    """A filter reads as label/value lines, leaving out what it does not restrict."""
    flt = FindingFilter(verticals=("Food",), stages=("at_risk",), date_from="2026-07-01",
                        include_outside_icp=False)
    assert flt.describe() == [("Vertical", "Food"), ("Lifecycle stage", "at risk"),
                              ("Period", "2026-07-01 to today"),
                              ("Profile", "Accounts inside the ideal customer profile only")]
