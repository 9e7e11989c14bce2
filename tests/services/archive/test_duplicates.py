"""Duplicate accounts: suggested from names and shared contacts, merged by a lead as a file
of the archive folder, and applied the same by every lead's index whatever the order the
merge files reach it in."""

from __future__ import annotations

import pytest
from support.archive_rows import account, attendee, contact, entry, uid, visit

from voc_desktop.domain.findings import FindingFilter, FindingOrder
from voc_desktop.services.archive.duplicates import normalised_name
from voc_desktop.services.archive.keeper import Archive
from voc_desktop.services.archive.workspace import ArchiveWorkspace
from voc_desktop.services.errors import ServiceError
from voc_desktop.sync.account_merges import MERGES, mapping, read_merges, write_merge


def twin_world() -> dict[str, list[dict]]:
    """One customer typed in on three laptops, and one other customer."""
    return {
        "accounts": [account("nc-1", "Nordic Cans A/S", vertical="Packaging"),
                     account("nc-2", "nordic cans", vertical="Packaging"),
                     account("nc-3", "NC Packaging"),
                     account("other", "Kestrel Labs")],
        "contacts": [contact("ann-1", "nc-1", "Ann Berg"), contact("ann-3", "nc-3", "ann berg"),
                     contact("lee", "other", "Lee Park")],
        "visits": [visit(f"v-{k}", k, visit_date=f"2026-0{n}-10")
                   for n, k in enumerate(("nc-1", "nc-2", "nc-3", "other"), start=1)],
        "attendees": [attendee("a-1", "v-nc-1", "ann-1"), attendee("a-3", "v-nc-3", "ann-3")],
        "entries": [entry(f"e-{k}", f"v-{k}", f"Words at {k}.", tags='["cans"]')
                    for k in ("nc-1", "nc-2", "nc-3", "other")],
    }


@pytest.fixture
def twins(archive, make_bundle) -> ArchiveWorkspace:
    archive.import_bundles([make_bundle(twin_world())])
    lens = ArchiveWorkspace(archive)
    lens.refresh()
    return lens


def test_names_compare_without_case_punctuation_or_legal_form():
    """'Nordic Cans A/S', 'nordic cans' and 'Nordic Cans Ltd.' read as one name."""
    assert normalised_name("Nordic Cans A/S") == normalised_name("nordic cans") == \
        normalised_name("Nordic Cans Ltd.") == "nordic cans"
    assert normalised_name("Kestrel Labs") != normalised_name("Nordic Cans")


def test_likely_duplicates_are_suggested_with_their_reasons(twins):
    """The two Nordic Cans by name, NC Packaging by the contact it shares; not Kestrel."""
    found = {(s.account_id, s.other_id): s.reasons for s in twins.duplicates()}
    assert found == {(uid("nc-1"), uid("nc-2")): ("the same name",),
                     (uid("nc-1"), uid("nc-3")): ("both know Ann Berg",)}


def test_a_merge_folds_one_account_into_another_everywhere(twins):
    """After merging, the duplicate's visits count for the account they joined, its
    findings carry that account, and it is no longer suggested or listed."""
    assert twins.scope(FindingFilter()) == (4, 4)
    twins.merge_accounts(uid("nc-2"), uid("nc-1"), by="Ana")
    assert twins.scope(FindingFilter()) == (3, 4)
    found = twins.find(FindingFilter(accounts=(uid("nc-1"),)), FindingOrder.OLDEST)
    assert {f.item_id for f in found} == {uid("e-nc-1"), uid("e-nc-2")}
    assert {f.account for f in found} == {"Nordic Cans A/S"}
    assert uid("nc-2") not in {c.value for c in twins.choices().accounts}
    assert all(uid("nc-2") not in (s.account_id, s.other_id) for s in twins.duplicates())
    with pytest.raises(ServiceError, match="itself"):
        twins.merge_accounts(uid("nc-1"), uid("nc-1"))
    with pytest.raises(ServiceError, match="other way round"):
        twins.merge_accounts(uid("nc-1"), uid("nc-2"))


def _findings(lens: ArchiveWorkspace) -> list[tuple[str, str, str]]:
    return sorted((f.item_id, f.account_id, f.account)
                  for f in lens.find(FindingFilter(), FindingOrder.OLDEST, 0, 1000))


def test_two_indexes_apply_the_merges_alike_in_either_order(twins, archive, tmp_path):
    """Lead A merges nc-2 into nc-1, lead B nc-3 into nc-1 and, by mistake, nc-2 into
    Kestrel later. One index sees A's file first, another B's first, a third only the end:
    all three hold the same merges and the same findings, and the earliest merge of nc-2
    stands."""
    folder = archive.folder.path
    other = ArchiveWorkspace(Archive.open(folder, index=tmp_path / "lead-b.sqlite3"))
    try:
        other.refresh()
        first = write_merge(folder, uid("nc-2"), uid("nc-1"), "2026-07-01T10:00:00.000Z", "A")
        twins.refresh()  # A's index sees A's merge alone first
        (folder / MERGES / first).rename(tmp_path / first)  # B's index has not got it yet
        write_merge(folder, uid("nc-3"), uid("nc-1"), "2026-07-02T10:00:00.000Z", "B")
        write_merge(folder, uid("nc-2"), uid("other"), "2026-07-03T10:00:00.000Z", "B")
        other.refresh()  # B's index: B's merges first
        (tmp_path / first).rename(folder / MERGES / first)
        twins.refresh()
        other.refresh()
        fresh = ArchiveWorkspace(Archive.open(folder, index=tmp_path / "fresh.sqlite3"))
        try:
            fresh.refresh()
            expected = {uid("nc-2"): uid("nc-1"), uid("nc-3"): uid("nc-1")}
            for lens in (twins, other, fresh):
                assert lens.store.account_merges() == expected
            assert _findings(twins) == _findings(other) == _findings(fresh)
            assert twins.scope(FindingFilter()) == other.scope(FindingFilter()) == (2, 4)
        finally:
            fresh.close()
    finally:
        other.close()


def test_chains_and_loops_resolve_to_one_account():
    """a→b→c ends at c; a loop a→b→a ends at the smaller id."""
    from voc_desktop.sync.account_merges import AccountMerge

    chain = [AccountMerge("1", "a", "b", "t1", ""), AccountMerge("2", "b", "c", "t2", "")]
    assert mapping(chain) == {"a": "c", "b": "c"}
    loop = [AccountMerge("1", "a", "b", "t1", ""), AccountMerge("2", "b", "a", "t2", "")]
    assert mapping(loop) == {"b": "a"}


def test_a_damaged_merge_file_is_left_out(tmp_path):
    """A merge file that is not one, or whose name does not match its content, is ignored."""
    write_merge(tmp_path, "x", "y", "2026-07-01T10:00:00.000Z", "A")
    (tmp_path / MERGES / "m-bad.json").write_text("{not json")
    named = write_merge(tmp_path, "p", "q", "2026-07-01T10:00:00.000Z", "A")
    (tmp_path / MERGES / named).rename(tmp_path / MERGES / "m-renamed.json")
    assert [(m.account_id, m.into_id) for m in read_merges(tmp_path)] == [("x", "y")]


def test_the_command_line_lists_duplicates_and_merges(twins, archive, tmp_path, capsys):
    """`voc archive duplicates --json` prints the suggestions the service makes, and
    `voc archive merge` writes the merge that the index then holds."""
    import json

    from voc_desktop.cli import main

    expected = [(s.account_id, s.other_id) for s in twins.duplicates()]
    folder, index = archive.folder.path, archive.index_path
    archive.close()
    base = ["--data-dir", str(tmp_path / "data"), "archive"]
    assert main([*base, "duplicates", str(folder), "--index", str(index), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert [(d["account_id"], d["other_id"]) for d in printed] == expected
    assert main([*base, "merge", str(folder), "--index", str(index), uid("nc-2"),
                 uid("nc-1"), "--by", "Ana"]) == 0
    assert [(m.account_id, m.into_id, m.by) for m in read_merges(folder)] == [
        (uid("nc-2"), uid("nc-1"), "Ana")]
    assert main([*base, "merge", str(folder), "--index", str(index), "no such",
                 uid("nc-1")]) != 0
    assert "No one account 'no such'" in capsys.readouterr().err


def test_a_pack_for_an_account_carries_its_merged_duplicates(twins, archive, tmp_path):
    """A pack for Nordic Cans A/S after the merge holds the duplicate's account and
    visits too, so every laptop it reaches has the customer whole."""
    twins.merge_accounts(uid("nc-2"), uid("nc-1"), by="Ana")
    summary = archive.write_pack(tmp_path / "pack.vocbundle", [uid("nc-1")])
    assert summary.counts["accounts"] == 2
    assert set(summary.accounts) == {"Nordic Cans A/S"}
