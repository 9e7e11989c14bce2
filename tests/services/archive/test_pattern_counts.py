"""Patterns by who said it, on an archive with known speakers: counts per unit (accounts,
visits) for each role and the room, header counts that follow the said-by filter, and the
command line printing the numbers the page shows."""

from __future__ import annotations

import json

import pytest
from support.spoken_archive import spoken_world

from voc_desktop.cli import main
from voc_desktop.domain.findings import FindingFilter, PatternGroup
from voc_desktop.services.archive.workspace import ArchiveWorkspace


@pytest.fixture
def spoken(archive, make_bundle) -> ArchiveWorkspace:
    archive.import_bundles([make_bundle(spoken_world())])
    lens = ArchiveWorkspace(archive)
    lens.refresh()
    return lens


def _rows(lens, flt=None, group=PatternGroup.ROLE):
    flt = flt or FindingFilter()
    return {r.theme: r for r in lens.pattern_rows(flt, group)}


def test_counts_per_role_that_said_it_in_accounts_and_visits(spoken):
    """Stock counts: the buyer said it at two visits of two accounts, the user likewise, the
    room at the old visit; the scanner only users (two accounts) and the room (Baywater's
    observation)."""
    rows = _rows(spoken)
    assert rows["stock counts"].by_group == {"economic_buyer": (2, 2), "user": (2, 2),
                                             "room": (1, 1)}
    assert (rows["stock counts"].accounts, rows["stock counts"].visits) == (2, 3)
    assert rows["scanner"].by_group == {"user": (2, 2), "room": (1, 1)}
    assert rows["cost"].by_group == {"economic_buyer": (1, 1)}
    assert [c.label for c in spoken.group_values(FindingFilter(), PatternGroup.ROLE)] == [
        "Economic buyer", "User", "The room"]


def test_said_by_narrows_themes_and_the_scope_counts(spoken):
    """Said by the buyer: only the themes a buyer said, and the header counts the visits
    and accounts where they said them; the room is its own choice."""
    buyer = FindingFilter(said_by=("economic_buyer",))
    assert set(_rows(spoken, buyer, PatternGroup.VERTICAL)) == {"stock counts", "cost"}
    assert spoken.scope(buyer) == (2, 2)
    room = FindingFilter(said_by=("room",))
    assert set(_rows(spoken, room, PatternGroup.VERTICAL)) == {"stock counts", "scanner"}
    assert spoken.scope(room) == (2, 2)
    assert spoken.scope(FindingFilter()) == (3, 4)
    assert spoken.most_accounts(FindingFilter()) == 2
    found = spoken.find(FindingFilter(said_by=("room",), kinds=("answer", "observation")))
    assert {f.text for f in found} == {"Stock is counted by hand.",
                                       "Pallets stacked three high by the door."}


def test_patterns_json_prints_the_numbers_of_the_table(spoken, archive, tmp_path, capsys):
    """`voc archive patterns --by role --said-by user --json` gives the same per-role counts,
    scope and columns as the service the page reads."""
    flt = FindingFilter(said_by=("user",), include_outside_icp=False)
    archive.close()
    code = main(["--data-dir", str(tmp_path / "data"), "archive", "patterns",
                 str(archive.folder.path), "--index", str(archive.index_path), "--by", "role",
                 "--said-by", "user", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["unit"] == "accounts"
    with ArchiveWorkspace.open(archive.folder.path, index=archive.index_path) as lens:
        assert (data["accounts"], data["visits"]) == lens.scope(flt)
        expected = {r.theme: {k: list(v) for k, v in r.by_group.items()}
                    for r in lens.pattern_rows(flt, PatternGroup.ROLE)}
        assert [c["label"] for c in data["columns"]] == [
            c.label for c in lens.group_values(flt, PatternGroup.ROLE)]
    assert {t["theme"]: {k: [g["accounts"], g["visits"]] for k, g in t["groups"].items()}
            for t in data["themes"]} == expected
    assert set(expected) == {"stock counts", "scanner"}


def test_patterns_json_ranks_by_confirmed_accounts_as_the_page_does(spoken, archive, tmp_path,
                                                                   capsys):
    """`--order confirmed --json` lists each theme's confirmed accounts beside its raw count,
    most confirmed first (then most accounts), as the page's Confirmed header sorts them."""
    archive.close()
    code = main(["--data-dir", str(tmp_path / "data"), "archive", "patterns",
                 str(archive.folder.path), "--index", str(archive.index_path), "--order",
                 "confirmed", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["order"] == "confirmed"
    assert [(t["theme"], t["accounts"], t["confirmed_accounts"]) for t in data["themes"]] == [
        ("scanner", 2, 2), ("stock counts", 2, 1), ("cost", 1, 1)]


def test_confirmed_accounts_stand_beside_the_raw_counts_and_follow_the_filters(spoken):
    """A theme counts as confirmed at an account when the customer confirmed (or corrected)
    a key learning of it there: stock counts were raised at two accounts but confirmed at
    Northwind alone (Northwind's old point was rejected); the scanner at both that raised
    it, Kestrel's in corrected words. Filters narrow the confirmed counts as they do the raw
    ones."""
    rows = _rows(spoken)
    assert {t: (r.accounts, r.confirmed) for t, r in rows.items()} == {
        "stock counts": (2, 1), "cost": (1, 1), "scanner": (2, 2)}
    assert rows["stock counts"].confirmed_share == 0.5
    users = _rows(spoken, FindingFilter(said_by=("user",)), PatternGroup.VERTICAL)
    assert {t: r.confirmed for t, r in users.items()} == {"stock counts": 1, "scanner": 2}
    pharma = _rows(spoken, FindingFilter(verticals=("Pharma",)), PatternGroup.VERTICAL)
    assert {t: r.confirmed for t, r in pharma.items()} == {"stock counts": 0, "scanner": 1}
    spring = _rows(spoken, FindingFilter(date_to="2026-04-30"), PatternGroup.VERTICAL)
    assert {t: r.confirmed for t, r in spring.items()} == {"stock counts": 1, "cost": 1}


def test_an_index_from_before_confirmed_themes_counts_them_after_opening(archive, make_bundle):
    """An index made before themes knew what customers confirmed is upgraded on open: every
    visit is derived again, and the confirmed accounts are counted as in a new index."""
    from voc_desktop.services.archive.keeper import Archive

    archive.import_bundles([make_bundle(spoken_world())])
    conn = archive.index.conn
    conn.execute("DROP INDEX idx_visit_themes_tag_in_icp_account_id_vertical_segment_stage_"
                 "visit_date_visit_id_confirmed")
    conn.execute("ALTER TABLE visit_themes DROP COLUMN confirmed")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm0006_confirmed_themes'")
    folder, index = archive.folder.path, archive.index_path
    archive.close()
    with Archive.open(folder, index=index) as after:
        lens = ArchiveWorkspace(after)
        assert lens.stale() == 4
        lens.refresh()
        assert {t: r.confirmed for t, r in _rows(lens).items()} == {
            "stock counts": 1, "cost": 1, "scanner": 2}
