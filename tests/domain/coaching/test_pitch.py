"""The pitch detector: what it flags while the interviewer types, and what it leaves alone."""

from __future__ import annotations

import copy
import dataclasses
import json
import random
import re

import pytest

from voc_desktop import assets
from voc_desktop.domain.coaching.pitch import (
    FlagKind,
    PitchFlag,
    PitchRules,
    detect,
    load_rules,
)
from voc_desktop.domain.coaching.pitch_phrases import ScanText, fold

PITCH = FlagKind.PITCH
PROMISE = FlagKind.PROMISE
LEADING = FlagKind.LEADING

# (text, kind expected, a fragment the flagged phrase must contain, case-insensitively)
FLAGGED = [
    ("Let me show you our new dashboard.", PITCH, "let me show you"),
    ("LET ME SHOW YOU HOW IT WORKS", PITCH, "let me show you"),
    ("Our new feature does automatic scheduling.", PITCH, "our new feature does"),
    ("Our solution\nsolves exactly that.", PITCH, "solution\nsolves"),
    ("We can offer a 10% discount if you sign this week.", PROMISE, "we can offer"),
    ("we can give you a better deal", PROMISE, "give you a better deal"),
    ("Could we do a quick demo of the planner?", PITCH, "quick demo"),
    ("Demoing our new planner to the shift leads.", PITCH, "demoing our"),
    ("Can I DEMO the dashboard for you?", PITCH, "can i demo"),
    ("It's on our roadmap for Q3.", PITCH, "our roadmap"),
    ("That\u2019s coming next quarter.", PROMISE, "coming next quarter"),
    ("Our prices are the most competitive in the market.", PITCH, "our prices are"),
    ("Our pricing is very flexible for new accounts.", PITCH, "pricing is very flexible"),
    ("We have a special offer for early adopters.", PROMISE, "special offer"),
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
    resource = assets.path("pitch_rules.json")
    data = json.loads(resource.read_text(encoding="utf-8"))
    rules = load_rules()
    assert rules.version == data["version"]
    assert {rule.kind for rule in rules.rules} == {PITCH, PROMISE, LEADING}
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


# --- The shortcuts in detect() change nothing -------------------------------------------
#
# detect() skips phrases whose anchor words are absent and tries the others only where a
# match could start (see voc_desktop/domain/coaching/pitch_phrases.py). These tests run the same
# rules the straightforward way, every pattern at every position, on a varied corpus and
# require identical results.


def full_scan(rules: PitchRules) -> PitchRules:
    """The same rules without the shortcuts."""
    plain = tuple(dataclasses.replace(rule, scans=()) for rule in rules.rules)
    return dataclasses.replace(rules, rules=plain, reported_speech_scans=())


FILLER = (
    "the line changeover takes too long because seals are swapped by hand night shift "
    "waits for maintenance while orders pile up at the dock planner whiteboard Acme why how"
).split()
SEPARATORS = [" ", " ", " ", "  ", "\n", ", ", "; ", ": ", " \u2013 ", "-", ". ", "? ", "! ",
              "\n\n", "\n- ", "\u2026 ", ' "', '" ', "\u201c", "\u201d ", "\u00ab", "\u00bb ",
              "'", "\u2019", "(", ") ", "_", "/"]
# Letters that case-insensitive matching pairs with plain ones, and others that it does not.
ODD_LETTERS = ["\u0130", "\u0131", "\u017f", "\u212a", "\u00e9", "\u00df", "_", "3", "10"]


def phrase_words(phrase: str, data: dict, rng: random.Random) -> list[str]:
    """Words that spell out one pattern of the phrase syntax, picked at random."""
    words: list[str] = []
    for token in re.findall(r"\{[^{}]*\}|\[[^\[\]]*\]|\S+", phrase):
        if token == "...":
            words += rng.choices(FILLER, k=rng.randint(0, 8))
            continue
        if token.startswith("[") and rng.random() < 0.5:
            continue
        inner = token[1:-1] if token[0] in "{[" else token
        for word in rng.choice(inner.split("|")).split():
            word = rng.choice([word, *data["inflections"].get(word.lower(), [])])
            words.append(word.replace("<num>", str(rng.randint(0, 99))))
    return words


def typed(word: str, rng: random.Random) -> str:
    """A word as someone might type it: any case, any apostrophe, now and then a slip."""
    word = rng.choice([word, word, word.upper(), word.capitalize()])
    word = word.replace("'", rng.choice(["'", "\u2019", "\u2018", "\u02bc", "`", ""]))
    if rng.random() < 0.05:
        at = rng.randint(0, len(word))
        word = word[:at] + rng.choice(ODD_LETTERS) + word[at:]
    if rng.random() < 0.03:
        word = word.replace("i", "\u0131").replace("s", "\u017f").replace("k", "\u212a")
    return word


def corpus(data: dict, count: int, seed: int) -> list[str]:
    """Notes built from the rules' own phrases, their cancelling words and plain filler."""
    rng = random.Random(seed)
    phrases = [p for rule in data["rules"] for p in rule["patterns"]]
    phrases += data.get("reported_speech_cues", [])
    nearby = [p for rule in data["rules"] for key in ("not_after", "not_before")
              for p in rule.get(key, [])]
    texts = [text for text, _kind, _fragment in FLAGGED] + NOT_FLAGGED
    for _ in range(count):
        words: list[str] = []
        for _ in range(rng.randint(1, 6)):
            pick = rng.random()
            if pick < 0.55:
                words += phrase_words(rng.choice(phrases), data, rng)
            elif pick < 0.7 and nearby:
                words += rng.choice(nearby).split()
            else:
                words += rng.choices(FILLER, k=rng.randint(0, 6))
        text = "".join(
            typed(word, rng) + (rng.choice(SEPARATORS) if rng.random() < 0.3 else " ")
            for word in words
        )
        texts.append(text[: rng.randint(0, len(text))] if rng.random() < 0.25 else text)
    return texts


def assert_same_as_full_scan(rules: PitchRules, texts: list[str]) -> int:
    """Compare flags, each pattern's matches and each reported-speech check; count matches."""
    slow = full_scan(rules)
    matches = 0
    for text in texts:
        assert detect(text, rules) == detect(text, slow), text
        view = ScanText(text)
        for rule in rules.rules:
            for scan in rule.scans:
                expected = [m.span() for m in scan.pattern.finditer(text)]
                assert [m.span() for m in scan.finditer(view)] == expected, (text, scan)
                matches += len(expected)
        if rules.reported_speech is not None:
            for pos, endpos in stretches(text):
                expected_cue = rules.reported_speech.search(text, pos, endpos) is not None
                found = any(s.occurs(view, pos, endpos) for s in rules.reported_speech_scans)
                assert found == expected_cue, (text, pos, endpos)
    return matches


def stretches(text: str) -> list[tuple[int, int]]:
    """Parts of a text to look for reported speech in, some ending inside a word."""
    rng = random.Random(text)
    ends = [len(text), *rng.sample(range(len(text)), min(3, len(text)))]
    return [(rng.choice([0, rng.randint(0, end)]), end) for end in ends]


def test_shortcuts_find_exactly_what_a_full_scan_finds() -> None:
    """The shipped rules flag the same phrases as trying every pattern everywhere."""
    resource = assets.path("pitch_rules.json")
    data = json.loads(resource.read_text(encoding="utf-8"))
    rules = load_rules()
    texts = corpus(data, count=300, seed=7)
    texts.append(" ".join(texts[:150]))  # one long note, with much in it
    assert assert_same_as_full_scan(rules, texts) > 300
    # The corpus reaches every rule, so no rule is compared only on silence.
    phrases_only = dataclasses.replace(rules, acts=None)
    flagged = {flag.reason for text in texts for flag in detect(text, phrases_only)}
    assert flagged == {rule.reason for rule in rules.rules}


def test_shortcuts_hold_for_unusual_phrase_syntax() -> None:
    """Numbers, leading apostrophes, odd letters and inflections with other edges."""
    data = {
        "version": 1,
        "max_gap_words": 3,
        "inflections": {
            "go": ["goin'", "gone", "'go", "go-go"],
            "show": ["\u017fhows", "shown"],
            "kit": ["\u212aits", "kits"],
            "it": ["\u0130t"],
            "deal": ["deal's", "deals"],
            "setup": ["set up", "set-up"],
            "tool": ["tool_kit"],
        },
        "reported_speech_cues": ["{said|'tis|<num> said}", "{they|\u0130t} ... {go|show}"],
        "rules": [
            {
                "id": "odd",
                "kind": "pitch",
                "reason": "Odd.",
                "skip_when_reported": True,
                "not_after": ["why", "'til"],
                "not_before": ["not", "<num>"],
                "patterns": [
                    "<num>% off", "'til ... done", "{\u017fhow|kit|it} me", "go-live {date|day}",
                    "y'all'd {like|love}", "right? {yes|no}", "{caf\u00e9|cafe} au lait",
                    "Q<num> {plan|review}", "v<num>.<num> release", "x_y thing",
                    "go [now|then] go", "our setup", "{tool|deal} ... {it|go}",
                    "{\u212aeep|\u017ftay} calm",
                ],
            },
            {
                "id": "more",
                "kind": "leading",
                "reason": "More.",
                "patterns": [
                    "{don't|do not} you {go|show}", "{we're|we are|we'd} {go|kit}",
                    "it's <num>", "a ... b ... c",
                ],
            },
        ],
    }
    rules = PitchRules.from_dict(data)
    texts = corpus(data, count=300, seed=11) + ["Keep calm and stay calm", "KEEP CALM"]
    assert assert_same_as_full_scan(rules, texts) > 200


@pytest.mark.parametrize(
    "text",
    [
        "She quoted their quotes; they thinks the users thinking of it.",
        "He saidx nothing, the customer wanted\u0130 more, then they tried",
        "Buyer: they hoped. Operators felt\u017f it was late? Nobody heard\u212a that",
    ],
)
def test_reported_speech_check_agrees_when_a_stretch_ends_inside_a_word(text: str) -> None:
    """Cut short inside "quotes", the text ends on "quote", a cue the whole text lacks."""
    rules = load_rules()
    view = ScanText(text)
    for endpos in range(len(text) + 1):
        for pos in (0, endpos // 2):
            expected = rules.reported_speech.search(text, pos, endpos) is not None
            found = any(s.occurs(view, pos, endpos) for s in rules.reported_speech_scans)
            assert found == expected, (pos, endpos)


def test_folding_agrees_with_case_insensitive_matching() -> None:
    """What the shortcuts assume of fold(), checked for every character there is."""
    chars = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF)
    folded = fold(chars)
    assert len(folded) == len(chars)  # offsets carry over
    word = re.compile(r"\w")
    assert [m.start() for m in word.finditer(folded)] == [m.start() for m in word.finditer(chars)]
    # Whatever an expression accepts for an ASCII letter folds to it, and only such
    # characters fold to ASCII.
    for match in re.finditer("[a-z]", chars, re.IGNORECASE):
        assert folded[match.start()] in "abcdefghijklmnopqrstuvwxyz"
    for index, char in enumerate(chars[128:], start=128):
        if folded[index].isascii():
            assert re.fullmatch(folded[index], char, re.IGNORECASE), hex(ord(char))
