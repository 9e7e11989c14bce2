"""The pitch detector: what it flags while the interviewer types, and what it leaves alone."""

from __future__ import annotations

import copy
import json
from importlib.resources import files

import pytest

from voc_desktop.domain.pitch import (
    FlagKind,
    PitchFlag,
    PitchRules,
    detect,
    load_rules,
)

PITCH = FlagKind.PITCH
LEADING = FlagKind.LEADING

# (text, kind expected, a fragment the flagged phrase must contain, case-insensitively)
FLAGGED = [
    ("Let me show you our new dashboard.", PITCH, "let me show you"),
    ("LET ME SHOW YOU HOW IT WORKS", PITCH, "let me show you"),
    ("Our new feature does automatic scheduling.", PITCH, "our new feature does"),
    ("Our solution\nsolves exactly that.", PITCH, "solution\nsolves"),
    ("We can offer a 10% discount if you sign this week.", PITCH, "we can offer"),
    ("we can give you a better deal", PITCH, "give you a better deal"),
    ("Could we do a quick demo of the planner?", PITCH, "quick demo"),
    ("Demoing our new planner to the shift leads.", PITCH, "demoing our"),
    ("Can I DEMO the dashboard for you?", PITCH, "can i demo"),
    ("It's on our roadmap for Q3.", PITCH, "our roadmap"),
    ("That\u2019s coming next quarter.", PITCH, "coming next quarter"),
    ("Our prices are the most competitive in the market.", PITCH, "our prices are"),
    ("Our pricing is very flexible for new accounts.", PITCH, "pricing is very flexible"),
    ("We have a special offer for early adopters.", PITCH, "special offer"),
    ("Let me pull up a few slides.", PITCH, "pull up"),
    ("With our platform you could cut scrap in half.", PITCH, "with our platform you could"),
    ("The new version will fix that jam.", PITCH, "the new version will"),
    ("We\u2019re launching a sensor module next spring.", PITCH, "launching"),
    ("Wouldn't you agree that downtime is the main issue?", LEADING, "wouldn't you agree"),
    ("Don\u2019t you think the old system is too slow?", LEADING, "don\u2019t you think"),
    ("dont you think the screens are too small", LEADING, "dont you think"),
    ("Isn't it true that\nyour team hates manual entry?", LEADING, "isn't it true"),
    ("Would you buy it if it were cheaper?", LEADING, "would you buy"),
    ("How much would you pay for faster set-up?", LEADING, "would you pay"),
    ("You'd like a faster changeover, right?", LEADING, "right?"),
    ("Surely you see the benefit.", LEADING, "surely you"),
    ("So you agree the manual step is the bottleneck?", LEADING, "so you agree"),
    ("WOULDN'T IT BE EASIER with one supplier?", LEADING, "wouldn't it be"),
    ("I'm sure you'd love an automatic report.", LEADING, "i'm sure you'd"),
    ("If we offered a cloud version, would you use it?", LEADING, "would you"),
]

NOT_FLAGGED = [
    "They said our delivery was late twice.",
    "Why do you buy from us?",
    "What would make you switch suppliers?",
    "How do you decide on the price you pay?",
    "Describe a day on the line.",
    "Who else is involved in that decision?",
    "They asked about our roadmap for the sensor line.",
    "What's on your roadmap for the next two years?",
    "Acme demoed their scheduling tool last month.",
    "Why don't you think the current tool works?",
    "Why wouldn't you agree to a longer contract?",
    "What would you pay attention to when choosing a supplier?",
    "What discounts do you get from other suppliers?",
    "They get a volume discount from their other supplier.",
    "She told us our prices are too high.",
    "Our price was 10% above Acme's last year.",
    "Our tool can't handle their volumes.",
    "Our tool could not keep up with the new line speed.",
    "Buyer: \u201cOur new platform saves us an hour a day.\u201d",
    "So the line stops twice a shift, is that right?",
    "Their new line is coming next quarter.",
    "They use slides in their morning meeting.",
    "Who do you show the weekly report to?",
    "What would you use instead if we disappeared tomorrow?",
    "What do we offer you that Acme doesn't?",
    "Let me show you what we heard today, so you can correct it.",
    "Tell me what you'd like to change.",
    "How would you pay for it, capex or opex?",
    "I'll present the findings to the product team.",
]


def assert_offsets(text: str, flags: list[PitchFlag]) -> None:
    for flag in flags:
        assert text[flag.start : flag.end] == flag.phrase


@pytest.mark.parametrize(("text", "kind", "fragment"), FLAGGED)
def test_flags_pitching_and_leading_phrases(text: str, kind: FlagKind, fragment: str) -> None:
    """Presenting or leading wording is flagged with the right kind and exact offsets."""
    flags = detect(text)
    assert any(f.kind is kind and fragment in f.phrase.lower() for f in flags), flags
    assert_offsets(text, flags)


@pytest.mark.parametrize("text", NOT_FLAGGED)
def test_leaves_listening_notes_and_open_questions_alone(text: str) -> None:
    """Ordinary notes, open questions and reported customer words raise no flag."""
    assert detect(text) == []


@pytest.mark.parametrize("text", ["", "   ", "\n\t\n"])
def test_blank_text_has_no_flags(text: str) -> None:
    """Nothing typed yet means nothing to flag."""
    assert detect(text) == []


def test_every_flag_explains_itself_in_one_sentence() -> None:
    """Each flag carries a short, readable reason rather than a code."""
    for text, _kind, _fragment in FLAGGED:
        for flag in detect(text):
            assert flag.reason[0].isupper()
            assert flag.reason.endswith(".")
            assert len(flag.reason) < 140


def test_reason_matches_the_kind_of_problem() -> None:
    """A pitch and a leading question get different explanations."""
    [pitch] = detect("Let me show you the new screen.")
    [leading] = detect("Don't you think that is too slow?")
    assert "present" in pitch.reason.lower()
    assert pitch.reason != leading.reason


def test_flags_are_sorted_and_never_overlap() -> None:
    """Several problems in one note come back in order, each counted once."""
    text = (
        "Wouldn't you agree this is slow? Let me show you our new version.\n"
        "We can give you a special discount, and it's coming next quarter."
    )
    flags = detect(text)
    assert [f.kind for f in flags][:2] == [LEADING, PITCH]
    assert len(flags) >= 4
    assert [f.start for f in flags] == sorted(f.start for f in flags)
    for earlier, later in zip(flags, flags[1:], strict=False):
        assert earlier.end <= later.start
    assert_offsets(text, flags)


def test_report_in_one_sentence_does_not_hide_a_pitch_in_the_next() -> None:
    """Reported speech only quiets its own sentence."""
    text = "They said our delivery was late. Let me show you our tracking screen."
    [flag] = detect(text)
    assert flag.phrase == "Let me show you"
    assert flag.start == text.index("Let me")


def test_unfinished_quotation_still_counts_as_the_customer_speaking() -> None:
    """While a quote is still being typed, the customer's 'our' is not a pitch."""
    assert detect('Shift lead: "our new dashboard does') == []


def test_inches_mark_is_not_taken_for_a_quotation() -> None:
    """A size such as 3" does not silence the rest of the note."""
    flags = detect('Operators want a 3" hose. Let me show you ours.')
    assert [f.phrase for f in flags] == ["Let me show you"]


def test_rules_load_from_the_packaged_json() -> None:
    """The shipped word lists parse, carry a version and are read only once."""
    resource = files("voc_desktop.resources").joinpath("pitch_rules.json")
    data = json.loads(resource.read_text(encoding="utf-8"))
    rules = load_rules()
    assert rules.version == data["version"]
    assert {rule.kind for rule in rules.rules} == {PITCH, LEADING}
    assert load_rules() is rules


def small_rules() -> dict:
    return {
        "version": 1,
        "inflections": {"slide": ["slides"]},
        "rules": [
            {
                "id": "slides",
                "kind": "pitch",
                "reason": "Slides put us on stage.",
                "patterns": ["{our|my} [new] slide"],
            }
        ],
    }


def test_custom_rules_apply_inflections_and_optional_words() -> None:
    """Rules built from a dict match the listed forms, with or without optional words."""
    rules = PitchRules.from_dict(small_rules())
    text = "Here are my new\nSLIDES and our slide."
    flags = detect(text, rules)
    assert [f.phrase for f in flags] == ["my new\nSLIDES", "our slide"]
    assert_offsets(text, flags)


def broken(path: tuple, value: object) -> dict:
    data = copy.deepcopy(small_rules())
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (["not", "an", "object"], "must be a JSON object"),
        (broken(("version",), KeyError), "'version' must be a whole number"),
        (broken(("version",), "1"), "'version' must be a whole number"),
        (broken(("version",), True), "'version' must be a whole number"),
        (broken(("rules",), []), "'rules' must be a non-empty list"),
        (broken(("colour",), "blue"), "unknown key"),
        (broken(("rules", 0, "kind"), "sales"), "'kind' must be one of"),
        (broken(("rules", 0, "reason"), "  "), "'reason' must be a sentence"),
        (broken(("rules", 0, "patterns"), []), "'patterns' must be a non-empty list"),
        (broken(("rules", 0, "patterns"), ["{our|my slide"]), "unbalanced brackets"),
        (broken(("rules", 0, "patterns"), ["our ||| slide"]), "empty choice"),
        (broken(("rules", 0, "patterns"), ["... right?"]), "must begin and end with a fixed word"),
        (broken(("rules", 0, "patterns"), ["our [slide]"]), "must begin and end with a fixed word"),
        (broken(("inflections",), ["slides"]), "'inflections' must map"),
        (broken(("max_gap_words",), 99), "'max_gap_words' must be a whole number"),
    ],
)
def test_malformed_rules_are_rejected_with_a_clear_message(data: object, message: str) -> None:
    """Bad rule data fails early and says what is wrong."""
    with pytest.raises(ValueError, match=message):
        PitchRules.from_dict(data)  # type: ignore[arg-type]


def test_duplicate_rule_ids_are_rejected() -> None:
    """Two rules with one id would make tuning the data ambiguous."""
    data = small_rules()
    data["rules"].append(copy.deepcopy(data["rules"][0]))
    with pytest.raises(ValueError, match="'slides' is used twice"):
        PitchRules.from_dict(data)
