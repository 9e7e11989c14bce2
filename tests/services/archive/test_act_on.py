"""The act-on ranking on an archive with known outcomes: themes ranked by the accounts
raising them, confirmed accounts beside them, learnings under their note's themes, open
actions under their visit's, and overdue ones counted."""

from __future__ import annotations

import pytest
from support.archive_rows import uid
from support.spoken_archive import spoken_world

from voc_desktop.domain.findings import FindingFilter
from voc_desktop.services.archive.act_on import act_on
from voc_desktop.services.archive.workspace import ArchiveWorkspace


@pytest.fixture
def spoken(archive, make_bundle) -> ArchiveWorkspace:
    archive.import_bundles([make_bundle(spoken_world())])
    lens = ArchiveWorkspace(archive)
    lens.refresh()
    return lens


def test_learnings_inherit_the_themes_of_their_note(spoken):
    """A key learning is found under the themes of the note it was drawn from."""
    found = spoken.find(FindingFilter(kinds=("learning",), tags=("scanner",)))
    assert {f.item_id for f in found} == {uid("kl-k"), uid("kl-b")}
    assert {f.item_id for f in spoken.find(
        FindingFilter(kinds=("learning",), tags=("stock counts",)))} == {
        uid("kl-n"), uid("kl-o")}


def test_the_product_teams_ranking(spoken):
    """For Product: stock counts (2 accounts raised it, 1 confirmed), then scanner (2
    raised, 2 confirmed), then cost; the counting study is overdue, the cold-proof scanner
    not; the rejected learning is left out."""
    ranking = act_on(spoken, FindingFilter(teams=("product",)), today="2026-09-01")
    assert [(t.theme, t.accounts, t.confirmed_accounts) for t in ranking] == [
        ("scanner", 2, 2), ("stock counts", 2, 1), ("cost", 1, 1)]
    by = {t.theme: t for t in ranking}
    assert [f.item_id for f in by["scanner"].learnings] == [uid("kl-b"), uid("kl-k")]
    assert [a.text for a in by["stock counts"].actions] == ["Send the counting study",
                                                            "Try a cold-proof scanner"]
    assert by["stock counts"].overdue == 1
    assert by["cost"].overdue == 1 and by["scanner"].overdue == 0
    assert all(uid("kl-o") != f.item_id for t in ranking for f in t.learnings)


def test_the_ranking_follows_the_period_and_words(spoken):
    """A period from May keeps Kestrel's and Baywater's items; words narrow to the items
    that hold them."""
    later = act_on(spoken, FindingFilter(teams=("product",), date_from="2026-05-01"),
                   today="2026-09-01")
    assert [t.theme for t in later] == ["scanner", "stock counts"]
    assert all(f.visit_date >= "2026-05-01" for t in later for f in (*t.learnings,
                                                                      *t.actions))
    worded = act_on(spoken, FindingFilter(teams=("product",), query="gloves"))
    assert [(t.theme, len(t.learnings), len(t.actions)) for t in worded] == [
        ("scanner", 1, 0)]


def test_the_digest_opens_with_the_ranking_and_follows_the_page(spoken):
    """The digest's first part is the page's ranking; with the page showing open action
    items only, it holds no learnings and no done items."""
    from voc_desktop.services.archive.reports import build_team_digest

    everything = build_team_digest(spoken, "product")
    assert [(r.theme, r.accounts, r.confirmed_accounts, r.overdue)
            for r in everything.ranking] == [
        (t.theme, t.accounts, t.confirmed_accounts, t.overdue)
        for t in act_on(spoken, FindingFilter(teams=("product",)))]
    assert everything.learnings and everything.open_actions
    open_only = build_team_digest(spoken, "product", shown=FindingFilter(
        kinds=("action",), statuses=("open",)))
    assert open_only.learnings == () and open_only.done_actions == ()
    assert [a.text for a in open_only.open_actions] == ["Send the counting study",
                                                         "Try a cold-proof scanner"]
    assert ("Status", "Open") in open_only.scope
