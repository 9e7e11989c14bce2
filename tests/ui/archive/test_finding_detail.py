"""The chosen row in full: Search, a pattern's evidence and Routing show every word of it,
with its kind, who said it, the read-back verdict and the customer's own wording."""

from __future__ import annotations

from support.archive_ui import settled, shown

from voc_desktop.domain.findings import FindingFilter, FindingOrder
from voc_desktop.domain.visit import ROOM
from voc_desktop.ui.archive.finding_detail import detail_html, facts_line
from voc_desktop.ui.archive.pattern_page import PatternPage
from voc_desktop.ui.archive.routing_page import RoutingPage
from voc_desktop.ui.archive.search_page import SearchPage


def _corrected(lens):
    return lens.find(FindingFilter(kinds=("learning",), statuses=("corrected",)),
                     FindingOrder.NEWEST, 0, 1)[0]


def _row_of(model, item_id: str) -> int:
    return next(r for r in range(model.rowCount()) if model.finding(r).item_id == item_id)


def test_a_corrected_learning_reads_in_the_customers_words(lens):
    """The pane leads with the customer's correction; the rejected wording follows as what
    was read back, and the verdict is named as the app names it."""
    f = _corrected(lens)
    assert f.detail and f.detail != f.text
    shown_html = detail_html(f)
    assert shown_html.index("In the customer's words: ") < shown_html.index(
        "Read back as: ")
    assert f"In the customer's words: {f.detail[:20]}" in shown_html
    assert facts_line(f).startswith("Key learning") and "read back: Corrected" in facts_line(f)


def test_search_shows_the_whole_of_the_chosen_row(qtbot, lens):
    """Moving to a row in Search fills the pane with all of its text, kind and speaker; a new
    search empties it."""
    page = shown(qtbot, SearchPage(lens))
    f = _corrected(lens)
    page.table.setCurrentIndex(page.model.index(_row_of(page.model, f.item_id), 0))
    text = page.detail.toPlainText()
    assert f.detail in text and f.text in text and "read back: Corrected" in text
    quote = next(page.model.finding(r) for r in range(page.model.rowCount())
                 if page.model.finding(r).kind == "quote")
    page.table.setCurrentIndex(page.model.index(_row_of(page.model, quote.item_id), 0))
    text = page.detail.toPlainText()
    who = quote.speaker or ROOM.lower()
    assert quote.text in text and text.startswith(f"Quote · said by {who}")
    page.search.setText("changeover")
    page.apply()
    settled(qtbot, page)
    assert page.detail.toPlainText() == ""


def test_pattern_evidence_shows_the_chosen_evidence_whole(qtbot, lens):
    """The evidence behind a cell: the chosen row's whole words beside the list."""
    page = shown(qtbot, PatternPage(lens))
    page.show_evidence(page.model.index(0, 0))
    settled(qtbot, page)
    assert page.evidence_model.rowCount()
    page.evidence.setCurrentIndex(page.evidence_model.index(0, 0))
    f = page.evidence.current_finding()
    text = page.evidence_detail.toPlainText()
    assert (f.detail or f.text) in text and text.startswith(f.kind_label)


def test_routing_shows_an_action_items_team_status_and_due_date(qtbot, lens):
    """In Routing the chosen action item shows whole, with its status, due date and team."""
    page = shown(qtbot, RoutingPage(lens))
    page.table.setCurrentIndex(page.model.index(0, 0))
    f = page.table.current_finding()
    text = page.detail.toPlainText()
    assert f.kind == "action" and f.text in text
    assert text.startswith(f"Action item · Open · due {f.due_date}")


def test_the_pane_takes_the_new_theme_colours(qtbot, lens):
    """After a change of theme the shown row is written again in the new theme's colours."""
    from voc_desktop.ui.common import theme

    page = shown(qtbot, SearchPage(lens))
    page.table.setCurrentIndex(page.model.index(0, 0))
    try:
        theme.use(theme.THEMES["dark"])
        assert theme.colour("muted").lower() in page.detail.toHtml().lower()
        theme.use(theme.THEMES["light"])
        assert theme.colour("muted").lower() in page.detail.toHtml().lower()
    finally:
        theme.use(theme.THEMES["light"])


def test_the_pane_shows_a_row_whose_page_is_still_being_read(qtbot, lens, monkeypatch):
    """A row chosen before its page of the list is read fills the pane once it arrives."""
    from voc_desktop.ui.archive import finding_list

    monkeypatch.setattr(finding_list, "PAGE", 5)  # short pages: the last row is on its own
    page = shown(qtbot, SearchPage(lens))
    last = page.model.rowCount() - 1
    assert last > 3 * 5
    page.table.setCurrentIndex(page.model.index(last, 0))
    assert page.detail.finding is None  # its page is being read
    settled(qtbot, page)
    f = page.model.finding(last)
    assert f is not None and page.table.current_finding() == f
    assert page.detail.finding == f and f.text in page.detail.toPlainText()
