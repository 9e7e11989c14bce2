"""A finding's visit in context: the whole visit, the finding marked, nothing unescaped."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from support.archive_ui import settled, shown

from voc_desktop.domain.findings import Finding, FindingFilter, FindingOrder
from voc_desktop.ui.archive.visit import VisitInContext, show_visit, visit_html
from voc_desktop.ui.common.theme import colour


def _visit_of(lens, **where) -> list[Finding]:
    first = lens.find(FindingFilter(**where), FindingOrder.OLDEST, 0, 1)[0]
    return lens.find(FindingFilter(visit_id=first.visit_id), FindingOrder.OLDEST, 0, 5000)


def test_every_finding_of_the_visit_shows_under_its_question(qtbot, lens):
    """The dialog holds every piece of the visit, each question once, in the order asked."""
    visit = _visit_of(lens, query="engineer", kinds=("quote",))
    dialog = VisitInContext(lens, visit[0])
    qtbot.addWidget(dialog)
    settled(qtbot, dialog)
    text = dialog.browser.toPlainText()
    for f in visit:
        assert " ".join(f.text.split())[:40] in " ".join(text.split())
    questions = list(dict.fromkeys(f.question for f in visit
                                   if f.question and f.kind in ("answer", "probe")))
    assert len(questions) > 5
    at = [text.index(q) for q in questions]
    assert at == sorted(at)
    assert all(text.count(q + " ·") == 1 for q in questions)
    assert visit[0].account in dialog.windowTitle()


def test_the_opened_finding_is_marked_and_scrolled_into_view(qtbot, lens):
    """A finding far down the visit is highlighted and the view scrolls down to it."""
    visit = _visit_of(lens, query="engineer", kinds=("quote",))
    late = [f for f in visit if f.kind == "action"][-1]
    dialog = show_visit(None, lens, late)
    qtbot.addWidget(dialog)
    assert not dialog.isVisible()  # it opens once the visit is read, never empty
    qtbot.waitUntil(dialog.isVisible)
    dialog.resize(800, 500)
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.browser.verticalScrollBar().value() > 0)
    html = visit_html(dialog.findings, late.item_id)
    assert html.count(f"background-color:{colour('hit')}") == 1
    marked = html.split(f"background-color:{colour('hit')}")[1].split("</p>")[0]
    assert late.text[:30] in marked
    first_quote = next(f for f in visit if f.kind == "quote")
    dialog.show_finding(first_quote)
    assert dialog.finding == first_quote


def test_kinds_are_labelled_probes_indented_quotes_with_speaker(lens):
    """Why-probes sit indented, quotes name who said them, learnings show read-back."""
    visit = _visit_of(lens, query="engineer", kinds=("quote",))
    html = visit_html(visit)
    probe = next(f for f in visit if f.kind == "probe")
    quote = next(f for f in visit if f.kind == "quote" and f.speaker)
    corrected = next(f for f in visit if f.kind == "learning" and f.detail)
    assert "margin-left:36px" in html.split(probe.text[:30])[0].rsplit("<p", 1)[1]
    after_quote = html.split(quote.text[:30])[1].split("</p>")[0]
    assert quote.speaker in after_quote
    assert "Corrected to:" in html and corrected.detail[:30] in html
    assert ">Confirmed<" in html and "Action items" in html


def test_all_text_is_escaped(lens):
    """Markup typed into a visit shows as text, never as markup."""
    f = lens.find(FindingFilter(kinds=("quote",)), FindingOrder.OLDEST, 0, 1)[0]
    bad = replace(f, text="<b>bold</b> & <script>x</script>", speaker="<i>Ann</i>",
                  account="A&B <Co>", question="Is <this> ok?")
    html = visit_html([bad], bad.item_id)
    assert "<script>" not in html and "<b>bold" not in html and "<i>Ann" not in html
    assert "&lt;script&gt;" in html and "A&amp;B &lt;Co&gt;" in html
    assert "Is &lt;this&gt; ok?" in html


def test_escape_closes_and_steps_move_through_the_list(qtbot, lens):
    """F3 shows the next hit the list gives; Esc closes the dialog."""
    hits = lens.find(FindingFilter(query="changeover"), FindingOrder.RELEVANCE, 0, 10)
    at = [0]

    def step(delta: int):
        if not 0 <= at[0] + delta < len(hits):
            return None
        at[0] += delta
        return hits[at[0]]

    dialog = shown(qtbot, VisitInContext(lens, hits[0], step=step), (800, 600))
    qtbot.keyClick(dialog.browser, Qt.Key.Key_F3)
    settled(qtbot, dialog)
    assert dialog.finding == hits[1]
    qtbot.keyClick(dialog.browser, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    settled(qtbot, dialog)
    assert dialog.finding == hits[0]
    assert not dialog.go(-1)
    qtbot.keyClick(dialog.browser, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
