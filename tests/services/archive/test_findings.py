"""The archive workspace's findings: derived from imported visits, searched and counted."""

from __future__ import annotations

import json

import pytest
from support.archive_rows import (
    account,
    action_item,
    attendee,
    contact,
    entry,
    erasure,
    guide_version,
    key_learning,
    uid,
    visit,
)

from voc_desktop.domain.findings import FindingFilter, FindingOrder, PatternGroup
from voc_desktop.domain.guide_file import guide_to_json, load_default_guide
from voc_desktop.services.archive.workspace import ArchiveWorkspace

GUIDE = guide_to_json(load_default_guide())


def _tags(*names: str) -> str:
    return json.dumps(list(names))


def world() -> dict[str, list[dict]]:
    """Three accounts (one outside the profile), four visits, tagged answers and quotes."""
    return {
        "guide_versions": [guide_version(body=GUIDE)],
        "accounts": [account("food", "Nordmühle", vertical="Food", segment="SMB",
                             lifecycle_stage="active"),
                     account("pharma", "Kestrel Labs", vertical="Pharma", segment="Enterprise",
                             lifecycle_stage="renewal"),
                     account("odd", "Tiny Kiosk", vertical="Food", segment="SMB",
                             lifecycle_stage="prospect", in_icp=0, icp_note="one till")],
        "contacts": [contact("ruth", "food", "Ruth Okoro", roles='["user"]'),
                     contact("sam", "food", "Samir Haddad", roles='["economic_buyer"]',
                             consent_quote_by_name=0),
                     contact("lee", "pharma", "Lee Park", roles='["influencer"]'),
                     contact("kim", "odd", "Kim Berg", roles='["user"]')],
        "visits": [visit("v1", "food", visit_date="2026-02-10", interviewers='["Ana"]',
                         lifecycle_stage="active"),
                   visit("v2", "food", visit_date="2026-05-03", interviewers='["Bo"]',
                         lifecycle_stage="active"),
                   visit("v3", "pharma", visit_date="2026-05-20", interviewers='["Ana"]',
                         lifecycle_stage="renewal"),
                   visit("v4", "odd", visit_date="2026-08-01", interviewers='["Ana"]',
                         lifecycle_stage="prospect")],
        "attendees": [attendee("a1", "v1", "ruth", roles='["user"]'),
                      attendee("a2", "v2", "sam", roles='["economic_buyer"]'),
                      attendee("a3", "v3", "lee", roles='["influencer"]'),
                      attendee("a4", "v4", "kim", roles='["user"]')],
        "entries": [
            entry("e1", "v1", "Changeover on line 3 takes forty minutes.",
                  question_key="ops-day", tags=_tags("Changeover", "line 3"), position=1),
            entry("e2", "v1", "Why? The seals are swapped by hand.", kind="probe",
                  question_key="ops-day", parent_id=uid("e1"), position=2),
            entry("e3", "v2", "Samir Haddad signs off anything over ten thousand.",
                  question_key="buy-decision", tags=_tags("approval"), position=1),
            entry("e4", "v2", "We lose a shift every changeover.", kind="quote",
                  question_key="buy-decision", speaker_id=uid("sam"),
                  tags=_tags("changeover "), position=2),
            entry("e5", "v3", "Validation paperwork doubles every changeover.",
                  question_key="ops-day", tags=_tags("changeover", "validation"), position=1),
            entry("e6", "v4", "The kiosk has one changeover a year.",
                  question_key="ops-day", tags=_tags("changeover"), position=1),
        ],
        "key_learnings": [
            key_learning("k1", "v1", "Changeovers cost forty minutes a line.",
                         source_entry_id=uid("e1"), status="corrected",
                         correction="Fifty minutes on line 3."),
            key_learning("k2", "v2", "Budget sign-off sits with the owner.",
                         source_entry_id=uid("e3"), status="confirmed"),
        ],
        "action_items": [action_item("x1", "v1", text="Send the changeover study",
                                     team="product", due_date="2026-03-01"),
                         action_item("x2", "v3", text="Book a validation call", team="sales",
                                     status="done")],
    }


@pytest.fixture
def lens(archive, make_bundle):
    archive.import_bundles([make_bundle(world())])
    opened = ArchiveWorkspace(archive)
    opened.refresh()
    return opened


def _ids(found) -> set[str]:
    return {f.item_id for f in found}


def test_import_queues_visits_and_refresh_derives_them(archive, make_bundle):
    """An import only queues its visits; a refresh derives them and empties the queue."""
    archive.import_bundles([make_bundle(world())])
    lens = ArchiveWorkspace(archive)
    assert lens.stale() == 4
    assert lens.count(FindingFilter()) == 0
    assert lens.refresh() == 4
    assert lens.stale() == 0
    assert lens.count(FindingFilter()) == 6 + 2 + 2


def test_search_finds_words_with_marked_snippets(lens):
    """Words are found wherever they stand, and the snippet marks where."""
    found = lens.find(FindingFilter(query="seals"))
    assert [f.item_id for f in found] == [uid("e2")]
    start, end = found[0].marks[0]
    assert found[0].snippet[start:end].lower() == "seals"
    assert lens.count(FindingFilter(query="changeover")) == 6  # "Changeovers" too
    assert lens.count(FindingFilter(query='"line 3"')) == 2
    assert lens.count(FindingFilter(query="changeover -validation")) == 4
    assert lens.count(FindingFilter(query="seals OR paperwork")) == 2
    assert lens.count(FindingFilter(query="chang")) == 6  # the last word as a prefix
    assert lens.count(FindingFilter(query='("*:')) == 0


@pytest.mark.parametrize(("flt", "expected"), [
    (FindingFilter(verticals=("Pharma",)), {"e5", "x2"}),
    (FindingFilter(segments=("Enterprise",)), {"e5", "x2"}),
    (FindingFilter(stages=("prospect",)), {"e6"}),
    (FindingFilter(roles=("economic_buyer",)), {"e3", "e4", "k2"}),
    (FindingFilter(buckets=("buying",)), {"e3", "e4", "k2"}),
    # k1 was drawn from e1 and carries its themes
    (FindingFilter(tags=("changeover",)), {"e1", "e4", "e5", "e6", "k1"}),
    (FindingFilter(interviewers=("Bo",)), {"e3", "e4", "k2"}),
    (FindingFilter(date_from="2026-05-01", date_to="2026-05-31"), {"e3", "e4", "k2", "e5",
                                                                   "x2"}),
    (FindingFilter(statuses=("corrected",)), {"e1", "k1"}),
    (FindingFilter(kinds=("quote",)), {"e4"}),
    (FindingFilter(teams=("product",)), {"x1", "k1"}),
    (FindingFilter(query="changeover", include_outside_icp=False), {"e1", "e4", "e5", "k1",
                                                                     "x1"}),
])
def test_each_filter_narrows_the_findings(lens, flt, expected):
    """Every filter keeps exactly the findings it names."""
    assert _ids(lens.find(flt, limit=100)) == {uid(k) for k in expected}
    assert lens.count(flt) == len(expected)


def test_account_filter(lens):
    """Filtering by account keeps that account's findings only."""
    found = lens.find(FindingFilter(accounts=(uid("pharma"),)))
    assert {f.account for f in found} == {"Kestrel Labs"}


def test_people_who_may_not_be_named_appear_by_role(lens):
    """A contact without quote-by-name consent is replaced by their role in text and as
    the speaker, and their name finds nothing."""
    quote = lens.find(FindingFilter(kinds=("quote",)))[0]
    assert quote.speaker == "Economic buyer"
    answer = lens.find(FindingFilter(query="signs"))[0]
    assert "Samir" not in answer.text and "[Economic buyer]" in answer.text
    assert lens.count(FindingFilter(query="Haddad")) == 0


def test_learnings_are_routed_by_their_question_bucket(lens):
    """A learning from an operations question goes to product, from buying to sales."""
    teams = {f.item_id: f.team for f in lens.find(FindingFilter(kinds=("learning",)))}
    assert teams == {uid("k1"): "product", uid("k2"): "sales"}


def test_patterns_count_distinct_accounts_and_leave_outside_profile_out(lens):
    """A theme counts accounts and visits once each; tags differing in case or spacing are
    one theme; accounts outside the profile count only when asked."""
    inside = FindingFilter(include_outside_icp=False)
    rows = {r.theme: r for r in lens.pattern_rows(inside, PatternGroup.VERTICAL)}
    assert (rows["changeover"].accounts, rows["changeover"].visits) == (2, 3)
    assert rows["changeover"].by_group == {"Food": (1, 2), "Pharma": (1, 1)}
    everyone = {r.theme: r for r in lens.pattern_rows(FindingFilter(), PatternGroup.VERTICAL)}
    assert everyone["changeover"].by_group["Food"] == (2, 3)
    assert lens.scope(inside) == (2, 3) and lens.scope(FindingFilter()) == (3, 4)


def test_patterns_per_role_and_trend_per_quarter(lens):
    """Per role, a theme counts the accounts where someone of that role said it: Samir's
    quote for the buyers; the answers no one was named for count for the room."""
    rows = {r.theme: r for r in lens.pattern_rows(FindingFilter(include_outside_icp=False),
                                                  PatternGroup.ROLE)}
    assert rows["changeover"].by_group == {"economic_buyer": (1, 1), "room": (2, 2)}
    trend = lens.trend(FindingFilter(), ["changeover"])["changeover"]
    assert [(p.quarter, p.visits, p.all_visits) for p in trend] == [
        ("2026-Q1", 1, 1), ("2026-Q2", 2, 2), ("2026-Q3", 1, 1)]


def test_triangulation_sets_answers_side_by_side(lens):
    """One question's answers come per visit with the roles present; no one was named as
    saying them, so no role agrees or differs with another (the room is no role)."""
    flt = FindingFilter(question_key="ops-day")
    assert lens.triangulation_count(flt) == 3
    rows = lens.triangulation(flt, 0, 10, "account")
    assert [(r.account, r.roles) for r in rows] == [
        ("Kestrel Labs", ("influencer",)), ("Nordmühle", ("user",)),
        ("Tiny Kiosk", ("user",))]
    assert [f.kind for f in rows[1].answers] == ["answer", "probe"]
    agreement = lens.agreement(flt)
    assert (agreement.shared, agreement.only) == ((), ())
    assert all(not f.said_by for r in rows for f in r.answers)
    assert lens.questions()[0].key == "ops-day"


def test_a_changed_entry_is_found_by_its_new_words(lens, archive, make_bundle):
    """A later revision of an entry replaces its finding and themes after a refresh."""
    changed = entry("e1", "v1", "Changeover now takes twelve minutes.", revision=2,
                    question_key="ops-day", tags=_tags("speed"), position=1)
    archive.import_bundles([make_bundle({"entries": [changed]}, sequence=2, previous=1)])
    assert lens.stale() == 1
    lens.refresh()
    assert lens.count(FindingFilter(query="twelve")) == 1
    assert lens.count(FindingFilter(query="\"takes forty\"")) == 0
    assert "speed" in dict(lens.themes())


def test_an_erased_person_disappears_from_the_findings(lens, archive, make_bundle):
    """After an erasure, the person's quotes are no longer found."""
    archive.import_bundles([make_bundle({"erasures": [erasure("sam", "food")]}, sequence=2,
                                        previous=1)])
    lens.refresh()
    assert lens.count(FindingFilter(kinds=("quote",))) == 0


def test_rebuilt_index_has_the_same_findings(lens, archive):
    """Findings derived after a rebuild equal those before it."""
    before = [f for f in lens.find(FindingFilter(), FindingOrder.OLDEST, 0, 100)]
    archive.rebuild()
    again = ArchiveWorkspace(archive)
    again.refresh()
    assert again.find(FindingFilter(), FindingOrder.OLDEST, 0, 100) == before


def test_an_index_from_before_findings_gets_them(tmp_path, make_bundle, archive):
    """An index made before findings existed is upgraded on open, and every visit it holds
    is queued and then found."""
    from voc_desktop.services.archive.keeper import Archive

    archive.import_bundles([make_bundle(world())])
    conn = archive.index.conn
    # what an index looked like before: the findings' tables, the speakers, confirmed
    # themes and action owners that came after them, and their migrations gone
    for table in ("findings_fts", "findings", "finding_tags", "visit_themes",
                  "visit_theme_roles", "visit_theme_speakers", "guide_questions",
                  "stale_visits"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("ALTER TABLE entries DROP COLUMN speaker_ids")
    conn.execute("ALTER TABLE action_items DROP COLUMN owner")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name IN "
                 "('m0002_findings', 'm0004_speakers', 'm0006_confirmed_themes', "
                 "'m0007_action_owners')")
    folder, index = archive.folder.path, archive.index_path
    archive.close()
    with Archive.open(folder, index=index) as after:
        lens = ArchiveWorkspace(after)
        assert lens.stale() == 4
        lens.refresh()
        assert lens.count(FindingFilter(query="seals")) == 1


def test_theme_filter_with_words_takes_themes_literally(lens):
    """With search words, a theme filter still matches whole themes only: '_' and '%' in a
    theme are not wildcards."""
    assert _ids(lens.find(FindingFilter(query="changeover", tags=("line 3",)))) == {
        uid("e1"), uid("k1")}  # the learning drawn from e1 carries its themes
    assert lens.count(FindingFilter(query="changeover", tags=("line_3",))) == 0
    assert lens.count(FindingFilter(query="changeover", tags=("%",))) == 0
    assert lens.count(FindingFilter(query="changeover", tags=("changeover",))) == \
        lens.count(FindingFilter(tags=("changeover",)))


def test_a_tag_holding_a_hidden_name_becomes_no_theme(lens, archive, make_bundle):
    """Tags naming someone shown by role only, in any form, give no theme, neither by
    their name nor by their role; the other tags of the note still do."""
    changed = entry("e3", "v2", "Samir Haddad signs off anything over ten thousand.",
                    revision=2, question_key="buy-decision", position=1,
                    tags=_tags("samir", "HADDAD\u2019s budget", "approval"))
    archive.import_bundles([make_bundle({"entries": [changed]}, sequence=2, previous=1)])
    lens.refresh()
    themes = dict(lens.themes())
    assert "approval" in themes
    assert not [t for t in themes if "samir" in t or "haddad" in t or "buyer" in t
                or "[" in t]
