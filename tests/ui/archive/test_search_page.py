"""The archive's Search page: words as you type, filters that work together, Enter opens."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import Qt
from support.archive_ui import settled, shown
from support.archive_workspace import sample_visit_day

from voc_desktop.domain.findings import FindingFilter, FindingOrder
from voc_desktop.ui.archive.search_page import SearchPage, date_bound
from voc_desktop.ui.archive.visit import VisitInContext
from voc_desktop.ui.common.theme import colour


@pytest.fixture
def page(qtbot, lens):
    """The Search page with every account, so its rows compare with the whole archive."""
    made = shown(qtbot, SearchPage(lens))
    made.include_outside.setChecked(True)
    settled(qtbot, made)
    return made


def rows(page: SearchPage) -> list:
    return [page.model.finding(r) for r in range(page.model.rowCount())]


def test_typing_searches_after_a_pause_and_counts_visits(qtbot, page, lens):
    """Typed words narrow the list once typing pauses; the label counts findings and visits."""
    everything = page.model.rowCount()
    assert everything == lens.count(FindingFilter())
    qtbot.keyClicks(page.search, "changeover")
    assert page.model.rowCount() == everything  # not on every key
    expected = lens.count(FindingFilter(query="changeover"))
    qtbot.waitUntil(lambda: page.model.rowCount() == expected)
    settled(qtbot, page)  # the visits are counted once the findings are in
    visits = {f.visit_id for f in rows(page)}
    assert page.count_label.text() == f"{expected} findings in {len(visits)} visits"
    assert all("changeover" in f.text.lower() for f in rows(page))


def test_search_syntax_phrase_or_and_exclude(qtbot, page, lens):
    """Phrases, OR and -exclusions reach the search as the placeholder promises."""
    for words in ('"label accuracy"', "changeover OR recipes", "changeover -line"):
        page.search.setText(words)
        page.apply()
        settled(qtbot, page)
        assert page.model.rowCount() == lens.count(FindingFilter(query=words)) > 0
    page.search.setText("changeover -line")
    page.apply()
    settled(qtbot, page)
    assert not any("line" in f.text.lower().split() for f in rows(page))
    page.search.setText("zzzznothing")
    page.apply()
    settled(qtbot, page)
    assert page.model.rowCount() == 0 and page.count_label.text() == "Nothing found"


def _a_value(lens, attr: str) -> str:
    """A value of a finding field that some findings have and others lack."""
    found = lens.find(FindingFilter(), FindingOrder.OLDEST, 0, 1000)
    for f in found:
        for value in (getattr(f, attr) if attr in ("roles", "interviewers")
                      else (getattr(f, attr),)):
            if value and sum(value in _field(g, attr) for g in found) < len(found):
                return value
    raise AssertionError(attr)


def _field(f, attr: str) -> tuple:
    value = getattr(f, attr)
    return value if isinstance(value, tuple) else (value,)


@pytest.mark.parametrize(("box", "attr"), [
    ("vertical", "vertical"), ("segment", "segment"), ("stage", "stage"), ("role", "roles"),
    ("bucket", "bucket"), ("account", "account_id"), ("interviewer", "interviewers"),
    ("status", "status"), ("kind", "kind")])
def test_each_filter_keeps_only_matching_rows(qtbot, page, lens, box, attr):
    """Choosing a value in one filter leaves only findings with that value."""
    everything = page.model.rowCount()
    value = _a_value(lens, attr)
    assert getattr(page, box).choose(value)
    settled(qtbot, page)
    shown_rows = rows(page)
    assert 0 < len(shown_rows) < everything
    assert all(value in _field(f, attr) for f in shown_rows)


def test_theme_dates_and_profile_filters(qtbot, page, lens):
    """Theme, the period and leaving out accounts outside the profile each narrow the list."""
    everything = page.model.rowCount()
    page.theme.setText("Changeover")  # themes compare without regard to case
    page.apply()
    settled(qtbot, page)
    assert 0 < page.model.rowCount() < everything
    assert all("changeover" in f.tags for f in rows(page))
    page.theme.clear()
    settled(qtbot, page)
    last, first = sample_visit_day("last"), sample_visit_day("first")
    page.date_from.setText(f"{last:%Y-%m}")  # a month: from its first day
    page.apply()
    settled(qtbot, page)
    assert rows(page) and all(f.visit_date >= f"{last:%Y-%m}-01" for f in rows(page))
    page.date_from.clear()
    page.date_to.setText(f"{first:%Y-%m}")  # a month: to its last day
    page.apply()
    settled(qtbot, page)
    assert rows(page) and all(f.visit_date[:7] <= f"{first:%Y-%m}" for f in rows(page))
    page.date_to.clear()
    page.apply()
    settled(qtbot, page)
    page.include_outside.setChecked(False)
    settled(qtbot, page)
    assert 0 < page.model.rowCount() < everything
    assert all(f.in_icp for f in rows(page))


def test_search_starts_inside_the_profile_and_says_what_it_leaves_out(qtbot, lens):
    """As on every page, the box starts unticked: the list holds the accounts inside the
    profile and says how many are left out; Clear filters comes back to that."""
    page = shown(qtbot, SearchPage(lens))
    assert not page.include_outside.isChecked()
    assert page.model.rowCount() == lens.count(FindingFilter(include_outside_icp=False))
    assert all(f.in_icp for f in rows(page))
    assert page.outside_line.text() == "1 account outside the profile is left out"
    page.include_outside.setChecked(True)
    settled(qtbot, page)
    assert page.model.rowCount() == lens.count(FindingFilter())
    assert page.outside_line.text() == ""
    page.clear_filters()
    settled(qtbot, page)
    assert not page.include_outside.isChecked() and page.outside_line.text()


def test_read_back_filter_offers_only_the_customers_verdicts(page):
    """The Read-back filter lists the read-back verdicts in the app's words, never an
    action item's Open or Done."""
    offered = [page.status.itemText(i) for i in range(page.status.count())]
    assert offered == ["Any", "Not read back", "Confirmed", "Corrected", "Rejected"]


def test_filters_work_together_and_clear_keeps_the_words(qtbot, page, lens):
    """Two filters and words narrow together; Ctrl+Shift+Backspace clears only filters."""
    page.search.setText("changeover")
    page.apply()
    settled(qtbot, page)
    with_words = page.model.rowCount()
    vertical = _a_value(lens, "vertical")
    page.vertical.choose(vertical)
    page.kind.choose("answer")
    settled(qtbot, page)
    assert page.model.rowCount() == lens.count(FindingFilter(
        query="changeover", verticals=(vertical,), kinds=("answer",))) > 0
    assert page.model.rowCount() < with_words
    assert all(f.vertical == vertical and f.kind == "answer" for f in rows(page))
    page.date_from.setText("2026-1x")
    page.apply()
    settled(qtbot, page)
    assert page.date_problem.isVisible() and page.current_filter().date_from == ""
    page.theme.setFocus()
    qtbot.keyClick(page.theme, Qt.Key.Key_Backspace,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    settled(qtbot, page)
    assert page.model.rowCount() == with_words
    assert page.search.text() == "changeover" and page.vertical.value() == ""
    assert not page.date_problem.isVisible()


def test_down_goes_into_results_and_return_opens_the_visit(qtbot, page, lens):
    """From the search field, Down moves into the list; Return opens the hit's visit."""
    qtbot.keyClicks(page.search, "engineer")
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    settled(qtbot, page)
    assert page.table.hasFocus() and page.table.currentIndex().row() == 0
    first = page.model.finding(0)
    assert "engineer" in first.text.lower()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    settled(qtbot, page)
    dialog = page.dialog
    assert isinstance(dialog, VisitInContext) and dialog.finding == first
    assert first.account in dialog.windowTitle()
    html = dialog.browser.toHtml()
    assert colour("hit").lstrip("#") in html.lower()
    if page.model.rowCount() > 1:
        assert dialog.go(1) and dialog.finding == page.model.finding(1)
        assert page.table.currentIndex().row() == 1
    dialog.close()


def test_double_click_opens_the_visit(qtbot, page):
    """A double-click on a row opens that finding's visit."""
    index = page.model.index(2, 0)
    rect = page.table.visualRect(index)
    # a view takes a double-click only after the press of a first click
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    settled(qtbot, page)
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.dialog is not None and page.dialog.finding == page.model.finding(2)
    page.dialog.close()


def test_export_csv_writes_the_rows_shown(qtbot, page, tmp_path):
    """The CSV holds exactly the findings the list shows, in its order."""
    page.search.setText("changeover")
    page.kind.choose("answer")
    page.apply()
    settled(qtbot, page)
    path = tmp_path / "found.csv"
    assert page.export_csv(path) == page.model.rowCount()
    with path.open(encoding="utf-8-sig", newline="") as f:
        written = list(csv.DictReader(f))
    assert [r["finding_id"] for r in written] == [f.item_id for f in rows(page)]


def test_reload_keeps_the_chosen_filters(qtbot, page, lens):
    """Reloading after a change keeps what a person chose."""
    vertical = _a_value(lens, "vertical")
    page.vertical.choose(vertical)
    settled(qtbot, page)
    before = page.model.rowCount()
    page.reload()
    settled(qtbot, page)
    assert page.vertical.value() == vertical and page.model.rowCount() == before


def test_model_behind_the_page_keeps_qt_rules(qtbot, qtmodeltester, page):
    """The page's list model passes Qt's model checks after a filtered search."""
    page.search.setText("changeover")
    page.kind.choose("answer")
    settled(qtbot, page)
    qtmodeltester.check(page.model)


@pytest.mark.parametrize(("text", "end", "expected"), [
    ("", False, ""), ("2026", False, "2026-01-01"), ("2026", True, "2026-12-31"),
    ("2026-03", True, "2026-03-31"), ("2026-03-14", False, "2026-03-14"),
    ("2026-13", False, None), ("14.3.2026", False, None), ("2026-3", False, None)])
def test_date_bounds(qtbot, text, end, expected):
    """A year, month or day becomes the first or last day it covers; others are refused."""
    assert date_bound(text, end) == expected
