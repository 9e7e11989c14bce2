"""The Routing page: action items and learnings by team, status and period, and digests."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from support.archive_ui import settled
from support.archive_workspace import sample_visit_day

from voc_desktop.services.archive.act_on import act_on
from voc_desktop.ui.archive import routing_page
from voc_desktop.ui.archive.finding_list import FINDING_ROLE
from voc_desktop.ui.archive.page_export import FILTERS
from voc_desktop.ui.archive.routing_page import ACTIONS, LEARNINGS, RoutingPage, routing_hint
from voc_desktop.ui.archive.scope_bar import period_bound


@pytest.fixture
def page(qtbot, lens):
    """The Routing page on the sample archive, shown."""
    shown = RoutingPage(lens)
    qtbot.addWidget(shown)
    shown.resize(1366, 768)
    shown.show()
    qtbot.waitExposed(shown)
    settled(qtbot, shown)
    yield shown
    shown.close()


def findings(page: RoutingPage):
    model = page.model
    return [model.index(r, 0).data(FINDING_ROLE) for r in range(model.rowCount())]


def test_opens_on_open_action_items_of_all_teams(qtbot, page):
    """At first every team's open action items show, by team."""
    found = findings(page)
    assert len(found) == 10
    assert {f.kind for f in found} == {"action"} and {f.status for f in found} == {"open"}
    teams = [f.team for f in found]
    assert teams == sorted(teams)
    assert not page.digest_button.isEnabled()
    assert page.count_line.text() == "10 open action items for all teams"


def test_team_and_status_filters_give_the_teams_rows(qtbot, page):
    """A team and a status show exactly that team's items with that status."""
    page.choose(team="customer_service", kinds=ACTIONS, status="Done")
    settled(qtbot, page)
    found = findings(page)
    assert len(found) == 2
    assert all(f.team == "customer_service" and f.status == "done" for f in found)
    assert page.count_line.text() == "2 done action items for Customer service"
    assert page.digest_button.isEnabled()
    page.choose(team="sales", kinds=LEARNINGS, status="Corrected")
    settled(qtbot, page)
    found = findings(page)
    assert len(found) == 1 and found[0].kind == "learning" and found[0].status == "corrected"
    assert found[0].bucket == "buying"  # a buying learning goes to Sales
    page.choose(status="Any status")
    settled(qtbot, page)
    assert len(findings(page)) == 5


def test_team_list_counts_open_and_done(qtbot, page):
    """Each team shows its open and done action items and its learnings."""
    texts = {page.teams.item(i).text().split("\n")[0]: page.teams.item(i).text()
             for i in range(page.teams.count())}
    assert texts["Sales"] == "Sales\n3 open · 0 done\n5 learnings"
    assert texts["Customer service"] == "Customer service\n1 open · 2 done\n0 learnings"
    assert texts["All teams"].startswith("All teams\n10 open · 3 done")


def test_status_choices_follow_the_kind(qtbot, page):
    """Learnings offer read-back statuses; action items offer open and done."""
    page.choose(kinds=LEARNINGS)
    settled(qtbot, page)
    labels = [page.status.itemText(i) for i in range(page.status.count())]
    assert labels == ["Any status", "Confirmed", "Corrected", "Rejected", "Not read back"]
    page.choose(kinds=ACTIONS)
    settled(qtbot, page)
    assert [page.status.itemText(i) for i in range(page.status.count())] == [
        "Open", "Done", "Any status"]


def test_period_and_words_narrow_the_list(qtbot, page):
    """A typed period and search words keep only the matching items."""
    page.choose(status="Any status")
    settled(qtbot, page)
    last = sample_visit_day("last")
    qtbot.keyClicks(page.date_from, f"{last:%Y-%m}")
    settled(qtbot, page)
    found = findings(page)
    assert found and all(f.visit_date >= f"{last:%Y-%m}-01" for f in found)
    assert len(found) < 13
    page.date_from.clear()
    qtbot.keyClicks(page.words, "recipe")
    settled(qtbot, page)
    qtbot.waitUntil(lambda: page.model.filter.query == "recipe")
    assert findings(page) and all("recipe" in f.text.lower() for f in findings(page))


def test_hint_says_how_learnings_are_routed(qtbot, page):
    """The hint names where each part of the guide's learnings go."""
    assert "→ Sales" in routing_hint() and "→ Product" in routing_hint()


def test_period_fields_understand_years_quarters_months_and_days(qtbot):
    """Typed periods become the first or last day they cover; nonsense is refused."""
    assert period_bound("2026", end=False) == "2026-01-01"
    assert period_bound("2026", end=True) == "2026-12-31"
    assert period_bound("2026-Q3", end=False) == "2026-07-01"
    assert period_bound("2026-q3", end=True) == "2026-09-30"
    assert period_bound("2024-02", end=True) == "2024-02-29"
    assert period_bound("2026-07-15", end=True) == "2026-07-15"
    assert period_bound("", end=True) == ""
    assert period_bound("2026-13", end=False) is None
    assert period_bound("soon", end=False) is None


def test_enter_opens_the_visit(qtbot, page, monkeypatch):
    """Enter on an item opens its visit in context."""
    opened = []
    monkeypatch.setattr(routing_page, "open_visit",
                        lambda parent, lens, finding: opened.append(finding) or True)
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(0, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    settled(qtbot, page)
    assert opened == [findings(page)[0]]


def test_csv_export_writes_the_list(qtbot, tmp_path, page):
    """The page's CSV holds the rows the list shows."""
    rows = page.export_csv(tmp_path / "routing.csv")
    assert rows == page.model.rowCount() == 10


def test_team_digest_is_written_as_docx(qtbot, page, tmp_path, monkeypatch):
    """Ctrl+D writes the chosen team's digest; the Word filter makes it a .docx."""
    offered = {}

    def fake(parent, caption, directory, filters, selected):
        offered.update(directory=directory, filters=filters)
        return str(tmp_path / "sales digest"), FILTERS[next(k for k in FILTERS
                                                           if k.value == "docx")]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
    page.choose(team="sales")
    settled(qtbot, page)
    with qtbot.waitSignal(page.exporter.finished, timeout=30000) as done:
        qtbot.keyClick(page, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
        settled(qtbot, page)
    assert done.args == [tmp_path / "sales digest.docx"]
    assert (tmp_path / "sales digest.docx").read_bytes().startswith(b"PK")
    assert "Sales" in offered["directory"] or "sales" in offered["directory"]
    page.exporter.result_box.close()


def test_no_digest_without_a_team(qtbot, page, monkeypatch):
    """With all teams shown there is no digest to write, and no dialog is asked."""
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a: asked.append(a) or ("", "")))
    assert page.team_digest() is False
    assert asked == []


def test_act_on_this_ranks_the_teams_themes_and_follows_the_period(qtbot, page):
    """'Act on this' shows the chosen team's themes in the order the service ranks them,
    with the raw and the confirmed account counts; a period before any visit empties it."""
    from voc_desktop.services.archive.act_on import act_on

    page.choose(team="product")
    settled(qtbot, page)
    page.views.setCurrentWidget(page.act_view)
    settled(qtbot, page)
    ranking = act_on(page.lens, page.act_filter())
    text = page.act_view.toPlainText()
    assert ranking and text.startswith(f"1. {ranking[0].theme}")
    assert f"raised at {ranking[0].accounts} account" in text
    assert f"confirmed by customers at {ranking[0].confirmed_accounts}" in text
    positions = [text.index(f". {t.theme}") for t in ranking if t.theme]
    assert positions == sorted(positions)
    page.date_to.setText("2001")
    settled(qtbot, page)
    assert page.act_view.toPlainText().startswith("Nothing to act on here")


def test_overdue_actions_are_flagged_in_the_list(qtbot, page):
    """An open action item past its due date says so in the Due column, in the error colour."""
    from datetime import date

    from voc_desktop.ui.archive.finding_list import ROUTING_COLUMNS, Column
    from voc_desktop.ui.common.theme import current

    today = date.today().isoformat()
    at = ROUTING_COLUMNS.index(Column.DUE)
    rows = [(r, page.model.finding(r)) for r in range(page.model.rowCount())]
    late = [(r, f) for r, f in rows if f.due_date and f.due_date < today and f.status == "open"]
    assert late, "the sample has an overdue action"
    for r, f in rows:
        shown = page.model.index(r, at).data()
        assert shown.endswith("· overdue") == ((r, f) in late)
    r, _ = late[0]
    assert page.model.index(r, at).data(Qt.ItemDataRole.ForegroundRole) == \
        current().qcolor("error")


def test_a_column_that_says_the_same_on_every_row_is_hidden(qtbot, page):
    """With one status chosen the Status column is left out, as Team is for one team; with
    any status it shows."""
    from voc_desktop.ui.archive.finding_list import ROUTING_COLUMNS, Column

    status = ROUTING_COLUMNS.index(Column.STATUS)
    page.choose("", status="Open")
    settled(qtbot, page)
    assert page.table.isColumnHidden(status)
    page.choose("", status="Any status")
    settled(qtbot, page)
    assert not page.table.isColumnHidden(status)


def test_the_list_and_the_ranking_name_who_owns_each_action(qtbot, page):
    """The Routing list has an Owner column beside what is to be done, and what to act on
    names the owner of each open action."""
    from voc_desktop.ui.archive.act_on_view import act_on_html

    model = page.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    at = headers.index("Owner")
    assert headers[at - 1] == "What was said or learned"
    page.choose(team="sales", kinds=ACTIONS, status="Open")
    settled(qtbot, page)
    owners = {model.index(r, at).data() for r in range(model.rowCount())}
    assert owners == {"David Osei (sales)"}
    shown = act_on_html(act_on(page.lens, page.act_filter()))
    assert "owner David Osei (sales)" in shown


def test_act_on_lists_a_themes_first_items_and_says_how_many_more(lens):
    """Under a theme raised thousands of times the view lists the first few of each and
    counts the rest, so laying it out never holds up the window."""
    from dataclasses import replace

    from voc_desktop.domain.findings import FindingFilter
    from voc_desktop.services.archive.act_on import ActTheme
    from voc_desktop.ui.archive.act_on_view import SHOWN, act_on_html

    learning = lens.find(FindingFilter(kinds=("learning",)), limit=1)[0]
    many = tuple(replace(learning, text=f"learning number {n}", detail="")
                 for n in range(SHOWN + 5))
    html = act_on_html([ActTheme("changeover", 3, 2, many, (), 0)])
    assert f"learning number {SHOWN - 1} <" in html
    assert f"learning number {SHOWN} <" not in html
    assert "and 5 more confirmed learnings; the team digest lists every one" in html
