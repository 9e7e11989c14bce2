"""The guide check: which question wordings it flags, which it leaves alone, and the gaps."""

from __future__ import annotations

import copy
import json

import pytest

from voc_desktop import assets
from voc_desktop.domain.coaching.guide_check import (
    CheckKind,
    check_guide,
    check_question,
    load_question_rules,
)
from voc_desktop.domain.coaching.pitch import detect, load_rules
from voc_desktop.domain.coaching.question_rules import QuestionRules
from voc_desktop.domain.guide import Bucket, Guide, Question, Section
from voc_desktop.domain.guide_file import load_default_guide

PITCHING = CheckKind.PITCHING
LEADING = CheckKind.LEADING
HYPOTHETICAL = CheckKind.HYPOTHETICAL
DOUBLE = CheckKind.DOUBLE_BARRELLED
CLOSED = CheckKind.CLOSED

# Shipped questions that ask two things at once. Each is worth splitting (a customer
# answers one half), so the check names them; the rest of the shipped guide is clean.
SHIPPED_DOUBLES = {"buy-sign-pay", "use-miss", "ind-competitors", "end-needs"}

GOOD = [
    "Walk me through the last time a changeover went wrong.",
    "Who else has a say before a decision like this is made?",
    "What happens when the printer stops?",
    "Why did you choose the current supplier?",
    "How do you decide when to replace a machine?",
    "Tell me about the last time you switched suppliers.",
    "Describe the person who uses the labels every day.",
    "When did a customer last ask you for something you could not do?",
    "Where does work wait or get stuck?",
    "What would make you reconsider who you buy from?",
    # one ask with two objects, not two questions
    "What do you make and sell?",
    "Who pays for spare parts and service?",
    "How do your operators and planners share the schedule?",
    "Who installs it and does the training?",
    "How do you handle orders that arrive late and are urgent?",
    # a bare "and why?" is the why-probe the method asks for
    "Which competitor do you watch most closely, and why?",
    "What does a good week look like, and why?",
    "What happened? Why?",
    # the second clause sits inside the one ask
    "Tell me about the last order that went wrong and how you found out.",
    "What's the difference between how you buy now and how you bought five years ago?",
    # polite requests start like yes/no questions but ask for a story
    "Could you show us where that happens?",
    "Would you mind walking us through your last order?",
    "Before we start, could you tell us about your role?",
    "Do you mind showing us the line?",
    # closing invitations and the summary check-back are meant to be answered briefly
    "Is there anything else we should have asked?",
    "Would you like to add anything before we finish?",
    "Here is what we learned today: did we get it right?",
    "Is that a fair summary of what you told us?",
    # "would" and "if" about their own world, not about something of ours
    "If it disappeared tomorrow, what would you miss?",
    "What would you use instead if we disappeared tomorrow?",
    "Which machine would you replace first?",
    "What would have to be true for you to switch?",
    "If you had to cut one step from your process, which would it be?",
    "Imagine a day when the printer stops: who do you call first?",
    "If there was a problem with the printer, who would you call?",
    "How would you pay for it, capex or opex?",
    # "why" before the negative and "we" inside a question about us are not a pitch
    "Why wouldn't you agree to a longer contract?",
    "What do we provide that others don't?",
    "How well do we deliver on time?",
    "What did the operators say when they first saw the new line?",
    "Thinking about last year, what changed most in how you buy?",
    "How do you feel about the changeover?",
]

# (question, kind that must be found, a fragment of the flagged phrase, lower case)
BAD = [
    ("Would you buy a faster printer?", HYPOTHETICAL, "would you buy"),
    ("Don't you think our labels are better?", LEADING, "don't you think"),
    ("Is the price too high?", CLOSED, "is the"),
    ("How often does it break and who fixes it?", DOUBLE, "and who"),
    ("Let me show you our new portal \u2014 would that help?", PITCHING, "let me show you"),
    ("Let me show you our new portal \u2014 would that help?", HYPOTHETICAL, "would that help"),
    ("If we offered a discount, would you switch?", HYPOTHETICAL, "if we offered"),
    ("Do you like the product?", CLOSED, "do you"),
    ("DO YOU LIKE THE PRODUCT?", CLOSED, "do you"),
    ("Do you ever have to stop the line for a changeover?", CLOSED, "do you ever"),
    ("Have you ever lost an order because of a late delivery?", CLOSED, "have you ever"),
    ("Are you happy with the current supplier?", CLOSED, "are you"),
    ("Can you remember the last time it broke?", CLOSED, "can you"),
    ("Do you know who signs off a purchase?", CLOSED, "do you"),
    ("Do you prefer labels on rolls or on sheets?", CLOSED, "do you"),
    ("Would you say the price is fair?", CLOSED, "would you"),
    ("Is there anything that slows you down?", CLOSED, "is there"),
    ("Thinking about last year, did you change suppliers?", CLOSED, "did you"),
    ("Our supplier is late a lot, is that normal?", CLOSED, "is that"),
    ("Isn't the changeover too slow?", LEADING, "isn't the"),
    ("Isn\u2019t the changeover too slow?", LEADING, "isn\u2019t the"),
    ("Wouldn't it be easier to have one supplier?", LEADING, "wouldn't it be"),
    ("Surely the downtime costs you a lot?", LEADING, "surely the"),
    ("You'd want remote support, right?", LEADING, "right?"),
    ("The printer jams a lot, doesn't it?", LEADING, "doesn't it?"),
    ("How frustrating is the manual entry?", LEADING, "how frustrating"),
    ("How much would you pay for faster set-up?", HYPOTHETICAL, "would you pay"),
    ("Would you be interested in a service contract?", HYPOTHETICAL, "be interested"),
    ("Would you switch suppliers for a lower price?", HYPOTHETICAL, "would you switch"),
    ("How would you use a cloud portal if we had one?", HYPOTHETICAL, "if we had"),
    ("Imagine a printer that never jams: what would that be worth to you?", HYPOTHETICAL,
     "imagine a printer"),
    ("If there were a tool that planned changeovers, what would you do with the time?",
     HYPOTHETICAL, "if there were a tool"),
    ("Would that help your operators?", HYPOTHETICAL, "would that help"),
    ("What would you want us to build?", HYPOTHETICAL, "want us to build"),
    ("So, would you recommend us to a colleague?", HYPOTHETICAL, "would you recommend us"),
    ("We offer next-day delivery. How important is that to you?", PITCHING, "we offer"),
    ("We provide 24/7 support; how do you handle breakdowns today?", PITCHING, "we provide"),
    ("What do you think of our new dashboard?", PITCHING, "our new"),
    ("Our labels are far more reliable; how do yours hold up?", PITCHING, "more reliable"),
    ("Let's talk about our price list.", PITCHING, "talk about our price"),
    ("Can we book a demo with your team?", PITCHING, "demo"),
    ("How often does it break? Who fixes it?", DOUBLE, "who fixes it?"),
    ("How and why did you pick this supplier?", DOUBLE, "and why"),
    ("What do you still do by hand, and what have you automated?", DOUBLE, "and what"),
    ("Who decides on the purchase and do you have a budget for it?", DOUBLE, "and do you"),
    ("What did you try before, and why did it not work?", DOUBLE, "and why"),
    ("How do you decide what to buy and when to buy it?", DOUBLE, "and when"),
]


def guide_of(*sections: Section) -> Guide:
    return Guide("0b8f3c1e-5d2a-4c6b-9e7f-1a2b3c4d5e6f", "Test guide", 1, "", sections)


def section(key: str, bucket: Bucket, *texts: str) -> Section:
    questions = tuple(Question(f"{key}-{i}", text) for i, text in enumerate(texts, start=1))
    return Section(key, key.title(), bucket, "", questions)


def test_lists_are_big_enough_to_mean_something() -> None:
    """The suite holds at least 25 good and 20 bad questions, each listed once."""
    assert len(set(GOOD)) == len(GOOD) >= 25
    assert len({text for text, _, _ in BAD}) >= 20


@pytest.mark.parametrize("text", GOOD)
def test_open_neutral_questions_are_left_alone(text: str) -> None:
    """A good interview question gets no finding at all."""
    assert check_question(text) == ()


@pytest.mark.parametrize(("text", "kind", "fragment"), BAD)
def test_weak_questions_are_flagged_with_the_right_kind(text: str, kind: CheckKind,
                                                        fragment: str) -> None:
    """A weak question is flagged with its kind, and the phrase sits where it says."""
    findings = check_question(text)
    assert any(f.kind is kind and fragment in f.phrase.lower() for f in findings), findings
    for finding in findings:
        assert text[finding.start:finding.end] == finding.phrase


def test_shipped_guide_is_clean_but_for_its_double_questions() -> None:
    """The default guide covers every bucket; only its two-in-one questions are flagged."""
    result = check_guide(load_default_guide())
    assert result.uncovered == ()
    flagged = {q.key: [f.kind for f in q.findings] for q in result.questions}
    assert set(flagged) <= SHIPPED_DOUBLES
    assert all(kinds == [DOUBLE] for kinds in flagged.values())
    assert len(result.all) == load_default_guide().question_count


def test_a_closed_opener_is_not_repeated_when_a_sharper_finding_covers_it() -> None:
    """A question such as 'Would you buy…' is reported as hypothetical only, not as yes/no."""
    assert [f.kind for f in check_question("Would you buy a faster printer?")] == [HYPOTHETICAL]
    assert [f.kind for f in check_question("Isn't the changeover too slow?")] == [LEADING]
    assert [f.kind for f in check_question("Is the price too high?")] == [CLOSED]


def test_findings_come_most_serious_first_and_once_per_kind() -> None:
    """Pitching comes before leading, and two leading phrases give one finding."""
    findings = check_question("Don't you think our labels are better, right?")
    assert [f.kind for f in findings] == [PITCHING, LEADING]
    assert findings[1].phrase == "Don't you think"


def test_pitch_rules_are_reused_with_their_own_reasons() -> None:
    """Pitching and leading phrases come from the visit's pitch detector, reason and all."""
    text = "Can we book a demo with your team?"
    [flag] = detect(text)
    [finding] = check_question(text)
    assert (finding.kind, finding.reason, finding.phrase) == (PITCHING, flag.reason, flag.phrase)
    [buy] = check_question("Would you buy a faster printer?")
    assert buy.reason == detect("Would you buy a faster printer?")[0].reason


def test_reasons_are_one_plain_sentence_that_says_what_to_do() -> None:
    """Every reason is a single sentence, and the kinds explain themselves differently."""
    reasons: dict[CheckKind, set[str]] = {}
    for text, _kind, _fragment in BAD:
        for finding in check_question(text):
            reasons.setdefault(finding.kind, set()).add(finding.reason)
    assert set(reasons) == set(CheckKind)
    for reason in set().union(*reasons.values()):
        assert reason.lstrip("\u201c")[0].isupper() and reason.endswith(".")
        assert len(reason) < 160
        assert ". " not in reason[:-1], reason
    assert reasons[CLOSED] == {
        "A yes/no question gets a yes or a no; ask how, what or why instead.",
        "\u201cDo you ever\u2026\u201d gets a yes or a no and a generality; ask them to tell "
        "you about the last time it happened.",
    }


@pytest.mark.parametrize("text", ["", "   ", "?", "???", "and how", "Why?", "\u2014", "Do"])
def test_odd_texts_never_raise(text: str) -> None:
    """Fragments and punctuation give a result, never an error."""
    assert isinstance(check_question(text), tuple)


def test_questions_are_numbered_and_flagged_ones_listed_apart() -> None:
    """`all` holds every question in order; `questions` only those with findings."""
    guide = guide_of(
        section("ops", Bucket.OPERATIONS, "What happens when the printer stops?",
                "Do you like the product?"),
        section("buy", Bucket.BUYING, "Who else has a say?", "Would you buy a faster printer?"),
    )
    result = check_guide(guide)
    assert [(q.number, q.key, q.section_key) for q in result.all] == [
        (1, "ops-1", "ops"), (2, "ops-2", "ops"), (3, "buy-1", "buy"), (4, "buy-2", "buy")]
    assert [(q.number, q.text) for q in result.questions] == [
        (2, "Do you like the product?"), (4, "Would you buy a faster printer?")]
    assert [q.flagged for q in result.all] == [False, True, False, True]
    assert not result.ok


def test_uncovered_buckets_and_tiers_are_named_in_order() -> None:
    """Buckets and tiers without a section with questions are listed with a sentence each."""
    guide = guide_of(
        section("ops", Bucket.OPERATIONS, "What happens when the printer stops?"),
        section("use", Bucket.USAGE, "Where does it slow you down?"),
        Section("buy", "Buying", Bucket.BUYING),  # a section without questions asks nothing
    )
    result = check_guide(guide)
    assert [g.bucket for g in result.uncovered] == [
        Bucket.BUYING, Bucket.COMPETITION, Bucket.INDUSTRY, Bucket.END_CUSTOMER]
    reasons = {g.bucket: g.reason for g in result.uncovered}
    assert reasons[Bucket.BUYING] == "No section asks how they buy, who decides and who pays."
    assert "their customers" in reasons[Bucket.END_CUSTOMER]
    assert result.questions == () and not result.ok


def test_a_good_guide_over_every_bucket_is_ok() -> None:
    """Open questions across all four buckets and both tiers leave nothing to report."""
    guide = guide_of(*(section(b.value.replace("_", "-"), b, "Walk me through how that works.")
                       for b in Bucket))
    result = check_guide(guide)
    assert result.ok and result.questions == () and result.uncovered == ()
    assert check_guide(guide) == result  # the check is pure: same guide, same answer


def shipped_rules() -> dict:
    return json.loads(assets.path("question_rules.json").read_text(
        encoding="utf-8"))


def test_rules_load_from_the_packaged_json() -> None:
    """The shipped rules parse, and the pitch rule they re-kind exists."""
    rules = load_question_rules()
    assert rules.version >= 1 and rules.phrases
    assert set(rules.uncovered) == set(Bucket)
    kinds = {kind for kind, _ in rules.pitch}
    assert {PITCHING, LEADING, HYPOTHETICAL} <= kinds


def test_edited_rules_change_what_is_found() -> None:
    """A new phrase rule in the data is applied without touching code."""
    data = shipped_rules()
    data["phrase_rules"].append({"id": "jargon", "kind": "leading", "reason": "Jargon.",
                                 "patterns": ["{synergy|synergies}"]})
    rules = QuestionRules.from_dict(data, load_rules())
    [finding] = check_question("Where do you see synergies?", rules)
    assert (finding.kind, finding.phrase, finding.reason) == (LEADING, "synergies", "Jargon.")
    assert check_question("Where do you see synergies?") == ()


@pytest.mark.parametrize(("edit", "message"), [
    (lambda d: d["pitch_rule_kinds"].update({"no-such-rule": "hypothetical"}),
     "no pitch rule 'no-such-rule'"),
    (lambda d: d["pitch_rule_kinds"].update({"would-you-buy": "rude"}), "is not a kind"),
    (lambda d: d["uncovered"].pop("industry"), "'industry' is missing"),
    (lambda d: d.update({"colour": "red"}), "unknown key(s) ['colour']"),
    (lambda d: d["phrase_rules"][0].update({"unles_clause_has": []}), "unknown key(s)"),
    (lambda d: d["phrase_rules"].append(dict(d["phrase_rules"][0])), "is used twice"),
    (lambda d: d["closed"].update({"auxiliaries": []}), "'auxiliaries' must be a non-empty"),
    (lambda d: d["phrase_rules"][0].update({"patterns": ["[new] thing"]}), "must begin"),
])
def test_malformed_rules_are_rejected_with_a_clear_message(edit, message: str) -> None:
    """A broken rules file names the place that is wrong."""
    data = copy.deepcopy(shipped_rules())
    edit(data)
    with pytest.raises(ValueError, match="question rules") as caught:
        QuestionRules.from_dict(data, load_rules())
    assert message in str(caught.value)
