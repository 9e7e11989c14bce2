"""Triangulation by who said it, on an archive with known speakers: each role's column
holds only its words, the room holds the rest, and the filters and agreement follow."""

from __future__ import annotations

import pytest
from support.archive_rows import uid
from support.spoken_archive import QUESTION, spoken_world

from voc_desktop.domain.findings import FindingFilter
from voc_desktop.services.archive.triangulation import find_question, triangulation_data
from voc_desktop.services.archive.workspace import ArchiveWorkspace
from voc_desktop.services.errors import ServiceError


@pytest.fixture
def spoken(archive, make_bundle) -> ArchiveWorkspace:
    archive.import_bundles([make_bundle(spoken_world())])
    lens = ArchiveWorkspace(archive)
    lens.refresh()
    return lens


def _said(data: dict) -> dict[str, dict[str, list[str]]]:
    return {r["visit_id"]: {role: [f["text"] for f in said] for role, said in r["said"].items()}
            for r in data["rows"]}


def test_each_column_holds_only_that_roles_words(spoken):
    """The buyer's and the user's words part at Northwind, a note both said stands under
    both, a quote under its speaker, and the note from before speakers under the room."""
    data = triangulation_data(spoken, FindingFilter(question_key=QUESTION))
    said = _said(data)
    assert said[uid("v-north")] == {"economic_buyer": ["Counting costs us a day a week."],
                                    "user": ["I count the cold room twice."]}
    assert said[uid("v-kest")] == {
        "economic_buyer": ["Counting eats the weekend."],
        "user": ["Counting eats the weekend.", "The scanner drops out in the freezer."]}
    assert said[uid("v-bay")] == {"user": ["The scanner needs gloves off."]}
    assert said[uid("v-old")] == {"room": ["Stock is counted by hand."]}
    assert [(c["role"], c["visits"]) for c in data["columns"]] == [
        ("economic_buyer", 2), ("user", 3), ("room", 1)]
    assert data["visits"] == 4


def test_both_roles_and_the_period_narrow_the_visits(spoken):
    """"Where both spoke" keeps visits where buyer and user each said something; a period
    keeps the visits inside it."""
    both = triangulation_data(spoken, FindingFilter(question_key=QUESTION,
                                                    spoke=("economic_buyer", "user")))
    assert {r["visit_id"] for r in both["rows"]} == {uid("v-north"), uid("v-kest")}
    assert both["visits"] == 2
    later = triangulation_data(spoken, FindingFilter(question_key=QUESTION,
                                                     date_from="2026-05-01"))
    assert {r["visit_id"] for r in later["rows"]} == {uid("v-kest"), uid("v-bay")}


def test_agreement_by_theme_counts_who_said_it(spoken):
    """Stock counts were said by buyers and users; cost by buyers alone and the scanner by
    users alone; what the room said agrees with no one."""
    agreement = triangulation_data(spoken, FindingFilter(question_key=QUESTION))["agreement"]
    assert agreement["shared"] == [{"theme": "stock counts",
                                    "roles": ["economic_buyer", "user"]}]
    assert agreement["only"] == {"economic_buyer": ["cost"], "user": ["scanner"]}


def test_a_question_is_found_by_key_or_words_and_a_miss_says_so(spoken):
    """The key or words of the question find it; words that match nothing are an error."""
    assert find_question(spoken, QUESTION) == QUESTION
    with pytest.raises(ServiceError, match="No answered question"):
        find_question(spoken, "zebra crossings")


def test_the_csv_says_who_said_each_note_by_role(spoken, tmp_path):
    """Each row of the question's CSV names the roles of who said it, the room for the note
    from before speakers were kept, and its kind as the app names it."""
    import csv

    from voc_desktop.services.archive.exports import export_triangulation_csv

    path = tmp_path / "roles.csv"
    export_triangulation_csv(spoken, FindingFilter(question_key=QUESTION), path)
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = {r["text"]: r for r in csv.DictReader(f)}
    assert rows["Counting eats the weekend."]["said_by"] == "Economic buyer; User"
    assert rows["I count the cold room twice."]["said_by"] == "User"
    assert rows["I count the cold room twice."]["kind"] == "Why?"
    assert rows["Stock is counted by hand."]["said_by"] == "The room"
    assert rows["The scanner drops out in the freezer."]["kind"] == "Quote"
