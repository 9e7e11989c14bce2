"""The pre-visit brief: what earlier visits left for the next one, on screen and as a PDF."""

from __future__ import annotations

import dataclasses
import io
from datetime import date, timedelta

import pytest
from support.report_visits import MARKUP, long_answer, pdf_pages, squeeze

from voc_desktop.domain.accounts import Account, Consent, Contact, LifecycleStage, Role
from voc_desktop.domain.guide import Bucket, Guide, Question, Section
from voc_desktop.domain.visit import (
    ActionItem,
    ActionStatus,
    Attendee,
    Entry,
    EntryKind,
    KeyLearning,
    SummaryStatus,
    Team,
    Visit,
    VisitStatus,
)
from voc_desktop.reports.brief import (
    FIRST_VISIT,
    MAX_EARLIER,
    MAX_QUESTIONS,
    PastVisit,
    VisitBrief,
    build_brief,
    earlier_visits,
)
from voc_desktop.reports.brief_pdf import write_brief_pdf

TODAY = date(2026, 6, 1)
ROLE_ONLY = ("Ruth", "Okoro", "Kwame", "Mensah")  # demo contacts never to be named
HIDDEN = "Wilhelmina Quist"  # quoted by role only in the built visits below

# --- building visits without a workspace --------------------------------------------------

ACCOUNT = Account("acc", "Nordlys Dairy", vertical="Dairy", segment="Mid-market",
                  lifecycle_stage=LifecycleStage.ACTIVE, in_icp=False,
                  icp_note="Single plant, seasonal volumes")
GUIDE = Guide("g", "Short guide", 1, "", (
    Section("s1", "How they work", Bucket.OPERATIONS, questions=tuple(
        Question(f"q{i}", f"Question number {i}?") for i in range(1, 13))),))


def person(key: str, name: str, *roles: Role, by_name: bool = True) -> Contact:
    return Contact(key, "acc", name, title=f"Title of {key}", roles=roles,
                   consent=Consent(True, by_name, "verbal"))


BUYER = person("buyer", "Ole Berg", Role.ECONOMIC_BUYER)
HIDDEN_USER = person("hidden", HIDDEN, Role.USER, by_name=False)
CHIEF = person("chief", "Inga Lund", Role.DECISION_MAKER, Role.INFLUENCER)


def visit(key: str, day: str, status: VisitStatus = VisitStatus.COMPLETED, **kw) -> Visit:
    started = f"{day}T09:00:00.000Z" if status is not VisitStatus.PLANNED else None
    return Visit(key, "acc", "gv", kw.pop("objective", f"Objective of {key}"), day,
                 interviewers=("Kari Holm",), status=status, started_at=started,
                 lifecycle_stage=LifecycleStage.ACTIVE, **kw)


def past(key: str, day: str, met: tuple[tuple[Contact, tuple[Role, ...]], ...] = (),
         learnings: tuple[tuple[str, SummaryStatus, str], ...] = (),
         actions: tuple[tuple[Team, str, str | None, bool], ...] = (),
         entries: tuple[Entry, ...] = (), **kw) -> PastVisit:
    return PastVisit(
        visit(key, day, **kw),
        tuple((Attendee(f"{key}-{c.id}", key, c.id, roles), c) for c, roles in met),
        tuple(KeyLearning(f"{key}-kl{n}", key, text, status=status, correction=fix, position=n)
              for n, (text, status, fix) in enumerate(learnings)),
        tuple(ActionItem(f"{key}-a{n}", key, text, team,
                         ActionStatus.DONE if done else ActionStatus.OPEN, due, n)
              for n, (team, text, due, done) in enumerate(actions)),
        GUIDE, entries)


def answer(key: str, question: str, text: str = "An answer", **kw) -> Entry:
    return Entry(f"{key}-{question}", key, kw.pop("kind", EntryKind.ANSWER), text,
                 question_key=question, **kw)


def make(earlier: tuple[PastVisit, ...] = (), coming=((BUYER, ()),), **kw) -> VisitBrief:
    planned = visit("next", "2026-06-10", VisitStatus.PLANNED, **kw)
    return build_brief(visit=planned, account=ACCOUNT,
                       attendees=[(Attendee(f"n-{c.id}", "next", c.id, r), c)
                                  for c, r in coming],
                       earlier=earlier, people=(BUYER, HIDDEN_USER, CHIEF), today=TODAY)


def everything(brief: VisitBrief) -> str:
    """Every text the model holds, as one string."""
    return repr(dataclasses.asdict(brief))


def render(brief: VisitBrief) -> list[str]:
    out = io.BytesIO()
    assert write_brief_pdf(brief, out) == []
    return pdf_pages(out.getvalue())


# --- the sample workspace -----------------------------------------------------------------

@pytest.fixture(scope="module")
def sample(demo_ws):
    """The brief of the sample's planned visit, and that visit."""
    from voc_desktop.services.brief import brief

    planned = demo_ws.visits.list(status=VisitStatus.PLANNED)[0]
    return brief(demo_ws, planned.id), planned


def test_sample_planned_visit_builds_on_the_brightway_visit(demo_ws, sample):
    """The planned visit is at Brightway, and its brief holds that account's one earlier
    visit with every verdict, the correction beside what was read back."""
    b, planned = sample
    assert b.account == "Brightway Regional Logistics" and b.planned and not b.status_note
    assert b.iso_date == planned.visit_date
    earlier = [v for v in demo_ws.visits.list(account_id=planned.account_id)
               if v.status is VisitStatus.COMPLETED]
    assert [e.iso_date for e in b.earlier] == [earlier[0].visit_date] and len(earlier) == 1
    verdicts = [p.verdict for p in b.earlier[0].points]
    assert verdicts == ["confirmed", "confirmed", "corrected", "confirmed", "rejected"]
    fixed = b.earlier[0].points[2]
    assert fixed.text.startswith("We would miss the speed at peak")
    assert fixed.read_back.startswith("Not much any more")
    fields = {f.label: f.value for f in b.fields}
    assert fields["Profile"].startswith("Outside the ideal customer profile: Under 50 staff")
    assert fields["Stage"] == "At risk"


def test_sample_open_questions_actions_people_and_roles(sample):
    """Skipped questions come before the ones never asked; only open actions are listed,
    overdue ones marked; everyone met counts once; Brightway met every key role."""
    b, _ = sample
    assert [q.state for q in b.questions] == ["skipped"] * 2 + ["not asked"] * 3
    assert b.questions[0].text == "What keeps you from winning more of your market?"
    assert [g.team for g in b.actions] == ["Sales", "Product", "Executive / strategy"]
    items = [i for g in b.actions for i in g.items]
    assert not any("Send a technician" in i.text for i in items)  # done
    assert [i.overdue for i in items] == [True, False, False]
    assert [(p.name, p.visits, p.coming) for p in b.people][:2] == [
        ("Grace Adeyemi", 1, False), ("Tomasz Wójcik", 1, True)]
    assert b.gaps == () and b.gaps_note.startswith("Every key role has been met")
    assert [(c.name, c.named, c.met_before) for c in b.coming] == [
        ("Tomasz Wójcik", True, 1), ("User", False, 0)]


def test_sample_brief_is_one_page_and_names_only_who_agreed(sample):
    """The sample brief fits one page with header and "Page 1 of 1"; people quoted by role
    only, or with no consent at all, are named neither in the model nor in the PDF."""
    b, _ = sample
    pages = render(b)
    text = squeeze(pages[0])
    assert len(pages) == 1
    for part in (b.header, "Pre-visit brief", "Page 1 of 1", b.confidential,
                 "We had read back: Not much any more", "Never met" if b.gaps else
                 "Every key role has been met", "overdue", "Grace Adeyemi"):
        assert squeeze(part) in text, part
    for name in ROLE_ONLY:
        assert name not in everything(b) and name not in pages[0]


def test_sample_open_actions_name_who_owns_them(sample):
    """Each open action of the brief names who will do it, in the model and the PDF."""
    b, _ = sample
    items = [i for g in b.actions for i in g.items]
    assert [i.owner for i in items] == ["David Osei (sales)", "Jonas Berg (product)",
                                        "Maria Jensen (executive)"]
    text = squeeze(render(b)[0])
    for owner in ("David Osei (sales)", "Jonas Berg (product)", "Maria Jensen (executive)"):
        assert squeeze(f"owner {owner}") in text, owner


def test_sample_first_visit_has_nothing_earlier(demo_ws):
    """The first Halvorsen visit: nothing learned yet, and every key role still a gap,
    marked where this visit's attendees covered it."""
    from voc_desktop.services.brief import brief

    halvorsen = [v for v in demo_ws.visits.list() if v.objective.startswith("Understand")][0]
    b = brief(demo_ws, halvorsen.id)
    assert b.first_visit and b.history_note == FIRST_VISIT and b.people == ()
    assert b.status_note.startswith("This visit has taken place")
    assert [(g.role, g.covered) for g in b.gaps] == [
        (Role.ECONOMIC_BUYER, False), (Role.DECISION_MAKER, True), (Role.INFLUENCER, False),
        (Role.USER, True)]
    assert b.gaps[3].text == "Never met: a user (one came to this visit)"
    assert "no open questions" in b.questions_note and b.actions == ()
    assert squeeze(FIRST_VISIT) in squeeze(render(b)[0])


# --- the rules, on visits built by hand ---------------------------------------------------

def test_role_gaps_count_the_roles_played_on_the_day():
    """A gap is a key role no earlier attendee played on the day, whatever the contact's
    usual roles; a planned attendee in that role is noted."""
    earlier = (past("v1", "2026-01-10", met=((CHIEF, (Role.DECISION_MAKER,)),
                                             (HIDDEN_USER, (Role.INFLUENCER,)))),)
    b = make(earlier, coming=((HIDDEN_USER, (Role.USER,)),))
    assert [g.text for g in b.gaps] == [
        "Never met: an economic buyer", "Never met: a user (one is planned for this visit)"]
    assert [g.covered for g in b.gaps] == [False, True]
    assert squeeze("Never met: a user (one is planned for this visit)") in squeeze(
        render(b)[0])


def test_corrections_rejections_and_a_skipped_read_back():
    """What stands is the correction, with what was read back beside it; a rejected point
    reads "rejected"; a skipped read-back gives its reason."""
    b = make((past("v1", "2026-02-01", learnings=(
        ("They buy on price", SummaryStatus.CORRECTED, "They buy on service"),
        ("They plan a second plant", SummaryStatus.REJECTED, ""),
        ("Volumes peak in May", SummaryStatus.CONFIRMED, ""))),
        past("v0", "2026-01-01", learnings=(("Unread point", SummaryStatus.PENDING, ""),),
             summary_skip_reason="The meeting was cut short")))
    newest, oldest = b.earlier
    assert [(p.text, p.verdict, p.read_back) for p in newest.points] == [
        ("They buy on service", "corrected", "They buy on price"),
        ("They plan a second plant", "rejected", ""),
        ("Volumes peak in May", "confirmed", "")]
    assert oldest.points[0].verdict == "not read back"
    assert oldest.note == "The read-back was skipped: The meeting was cut short"
    text = squeeze(render(b)[0])
    for part in ("They buy on service", "corrected", "We had read back: They buy on price",
                 "rejected", "The read-back was skipped"):
        assert squeeze(part) in text, part


def test_open_actions_across_visits_by_team_and_due_date():
    """Open items from every earlier visit, grouped by team in the usual order, soonest due
    first; done items are left out and overdue is judged against today."""
    b = make((
        past("v2", "2026-04-01", actions=((Team.PRODUCT, "Fix the export", "2026-07-01", False),
                                          (Team.SALES, "Send the offer", None, False))),
        past("v1", "2026-01-01", actions=((Team.PRODUCT, "Old bug", "2026-05-01", False),
                                          (Team.PRODUCT, "Done thing", "2026-02-01", True)))))
    assert [(g.team, [i.text for i in g.items]) for g in b.actions] == [
        ("Sales", ["Send the offer"]), ("Product", ["Old bug", "Fix the export"])]
    old_bug = b.actions[1].items[0]
    assert old_bug.overdue and old_bug.due == "1 May 2026" and old_bug.raised == "1 January 2026"
    assert not b.actions[1].items[1].overdue and b.actions[0].items[0].due == ""
    assert "Done thing" not in everything(b)


def test_open_questions_are_the_last_visits_unanswered_ones():
    """Only the latest visit counts: skipped questions first, then those never asked, at
    most eight; an empty answer is no answer, and a note beside a question is one."""
    last = past("v2", "2026-03-01", skipped_questions=("q9",), entries=(
        answer("v2", "q1"), answer("v2", "q2", ""), answer("v2", "q3", "", kind=EntryKind.QUOTE),
        answer("v2", "q4", "Said something", kind=EntryKind.OBSERVATION)))
    older = past("v1", "2026-01-01", entries=(answer("v1", "q5"),))
    b = make((last, older))
    texts = [q.text for q in b.questions]
    assert len(texts) == MAX_QUESTIONS and texts[0] == "Question number 9?"
    assert b.questions[0].state == "skipped" and b.questions[1].state == "not asked"
    assert texts[1:] == [f"Question number {i}?" for i in (2, 5, 6, 7, 8, 10, 11)]
    assert b.questions_note == "1 more not answered at the last visit."


def test_newest_first_and_older_visits_still_count_for_people():
    """Earlier visits are shown newest first, at most five; the older ones still count for
    who was met and for the role gaps."""
    visits = tuple(past(f"v{n}", f"2026-0{n}-01", met=((BUYER, ()),)) for n in range(1, 8))
    b = make(visits[::2] + visits[1::2])  # any order in
    assert [v.iso_date for v in b.earlier] == [f"2026-0{n}-01" for n in (7, 6, 5, 4, 3)]
    assert len(b.earlier) == MAX_EARLIER and b.history_note == "2 older visits not shown."
    assert b.people[0].visits == 7 and b.people[0].last_met == "1 July 2026"
    assert Role.ECONOMIC_BUYER not in [g.role for g in b.gaps]


def test_earlier_visits_are_completed_ones_before_this_one():
    """Only completed visits to the same account before this one count; on the same day,
    one that started earlier does, and a later one does not."""
    this = visit("this", "2026-05-10", VisitStatus.IN_PROGRESS)
    candidates = [
        visit("older", "2026-04-01"), visit("morning", "2026-05-10"),
        dataclasses.replace(visit("afternoon", "2026-05-10"),
                            started_at="2026-05-10T15:00:00.000Z"),
        visit("later", "2026-06-01"), visit("open", "2026-04-02", VisitStatus.SUMMARIZING),
        dataclasses.replace(visit("elsewhere", "2026-04-03"), account_id="other"), this]
    this = dataclasses.replace(this, started_at="2026-05-10T12:00:00.000Z")
    assert [v.id for v in earlier_visits(this, candidates)] == ["morning", "older"]
    planned = visit("plan", "2026-05-10", VisitStatus.PLANNED)
    assert [v.id for v in earlier_visits(planned, candidates)][:2] == ["afternoon", "morning"]


def test_a_role_only_name_is_replaced_in_every_text():
    """A name written into a learning, a correction, an action, a skip reason or the
    objective shows as the person's role, in the model and in the PDF."""
    first = HIDDEN.split()[0]
    b = make((past("v1", "2026-02-01", met=((HIDDEN_USER, ()),),
                   objective=f"Meet {HIDDEN}",
                   learnings=((f"{first} runs line 2", SummaryStatus.CORRECTED,
                               f"{HIDDEN} runs line 3"),),
                   actions=((Team.SALES, f"Call {first} back", "2026-09-01", False),),
                   summary_skip_reason=f"{first} had to leave"),),
             coming=((HIDDEN_USER, ()),), objective=f"See {first} again")
    text = everything(b) + "\n".join(render(b))
    for part in (*HIDDEN.split(), HIDDEN):
        assert part not in text
    assert "[User] runs line 3" in everything(b)
    assert b.people[0].name == "User" and b.people[0].title == "" and not b.people[0].named


def test_a_long_history_runs_over_with_numbered_pages():
    """When the history does not fit one page it flows on in two columns, every page with
    its header and "Page N of M", and nothing is lost."""
    long = "the line stops when the film tears and operators rethread it by hand " * 3
    visits = tuple(past(f"v{n}", f"2026-0{n}-01", met=((BUYER, ()), (CHIEF, ())),
                        learnings=tuple((f"Point {n}.{k}: {long}", SummaryStatus.CONFIRMED, "")
                                        for k in range(8)),
                        actions=tuple((Team.PRODUCT, f"Action {n}.{k}", None, False)
                                      for k in range(4)))
                   for n in range(1, 6))
    b = make(visits)
    pages = render(b)
    assert len(pages) > 1
    for number, page in enumerate(pages, 1):
        assert f"Page {number} of {len(pages)}" in page and squeeze(b.header) in squeeze(page)
    text = squeeze("".join(pages))
    for n in range(1, 6):
        for k in range(8):
            assert squeeze(f"Point {n}.{k}:") in text
        assert squeeze(f"Action {n}.3") in text


def test_markup_characters_print_as_written():
    """Characters that mean something to the PDF's markup print as typed."""
    b = make((past("v1", "2026-02-01", learnings=((MARKUP, SummaryStatus.CONFIRMED, ""),)),),
             objective=MARKUP)
    assert squeeze(MARKUP) in squeeze(render(b)[0])


def test_dates_and_stage_in_the_facts():
    """The facts give the visit's date in words, and the account's stage with the visit's
    own where they differ."""
    b = build_brief(visit=dataclasses.replace(visit("x", "2026-06-10", VisitStatus.PLANNED),
                                              lifecycle_stage=LifecycleStage.RENEWAL),
                    account=ACCOUNT, attendees=[], earlier=(), today=TODAY)
    fields = {f.label: f.value for f in b.fields}
    assert fields["Date"] == "10 June 2026" and b.visit_date == "10 June 2026"
    assert fields["Stage"] == "Active (this visit: renewal)"
    assert fields["Profile"] == "Outside the ideal customer profile: Single plant, seasonal volumes"
    assert b.file_stem == "2026-06-10 Nordlys Dairy brief"
    assert date.fromisoformat(b.iso_date) - TODAY == timedelta(days=9)


def test_a_huge_objective_runs_over_instead_of_failing():
    """An objective pasted in at great length breaks across pages with everything after it."""
    b = make(objective=long_answer())
    pages = render(b)
    text = squeeze("".join(pages))
    assert len(pages) > 1 and squeeze("START") in text and squeeze("END") in text
    assert squeeze("Who is coming") in text and f"Page {len(pages)} of {len(pages)}" in pages[-1]
