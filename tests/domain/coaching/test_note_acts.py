"""What the interviewer did, as the notes record it: the acts the detector hears, and the
customer's words, quotes and neutral notes it leaves alone."""

from __future__ import annotations

import copy
import json

import pytest

from voc_desktop import assets
from voc_desktop.domain.coaching import note_acts
from voc_desktop.domain.coaching.note_acts import ActRules, find_acts, load_acts
from voc_desktop.domain.coaching.note_words import Speaker, speaker, tokens
from voc_desktop.domain.coaching.pitch import FlagKind, detect

PITCH, PROMISE, LEADING = FlagKind.PITCH, FlagKind.PROMISE, FlagKind.LEADING

# (note, the kind of its first flag, the words that flag must start with)
ACTS = [
    ("Walked the buyer through the pricing page.", PITCH, "Walked the buyer through"),
    ("Told them our sensors outlast the Bosch ones.", PITCH, "Told them"),
    ("I showed the plant manager our new scheduler.", PITCH, "showed"),
    ("We demoed the route planner to the dispatchers.", PITCH, "demoed"),
    ("Showing the head chef how KitchenFlow handles allergens.", PITCH, "Showing"),
    ("Compared our uptime with Siemens'.", PITCH, "Compared our"),
    ("Suggested they switch to the cloud version.", PITCH, "Suggested"),
    ("Promised we'd add a Salesforce export by spring.", PROMISE, "Promised"),
    ("Offered them 15% off if they sign this quarter.", PROMISE, "Offered"),
    ("Assured the IT lead that SSO will be included at no cost.", PROMISE, "Assured"),
    ("Told her she'd get priority support for a year.", PROMISE, "Told her"),
    ("We'll throw in training for the night shift.", PROMISE, "We'll"),
    ("Asked if automating the audit would help.", LEADING, "Asked if"),
    ("Asked whether they'd agree the old scanners are the bottleneck.", LEADING, "Asked"),
    ("Asked how badly the paperwork slows them down.", LEADING, "Asked how badly"),
    ("Got the CFO to admit the month-end close is too slow.", LEADING, "Got the CFO"),
    ("Suggested their delays come from the ERP.", LEADING, "Suggested"),
    ("I guess the stock count is painful?", LEADING, "I guess"),
    # a verb no act lists, then praise of ours
    ("Underlined that our scanners never jam.", PITCH, "Underlined"),
    ("Hammered home that our support beats everyone's.", PITCH, "Hammered home"),
]

QUIET = [
    "The customer said our pricing is high.",
    "She mentioned the Bosch sensors fail.",
    "The buyer told us our sensors outlast the Bosch ones.",
    "They showed us their dashboard in Power BI.",
    "Showed us the paper forms they use.",
    "Walked us through their approval workflow.",
    "Siemens demoed their scheduler last month.",
    "Acme offered them a 20% discount.",
    "Their last supplier promised a fix by March and never shipped it.",
    "Maria asked whether we could add a German interface.",
    "\"Your kiosk saved us two staff,\" said the store manager.",
    "Plant manager: our dashboard is too slow to load.",
    "Asked how they plan maintenance today.",
    "Asked why they chose Siemens.",
    "Did not demo anything, as planned.",
    "Never promised a date for the export.",
    "Told them we'd send the summary by Friday.",
    "Told the buyer we would pass the request to product.",
    "Showed them the summary of what we heard.",
    "Line 3 stops twice per shift.",
    "Praised our support as the best in the region.",
    "Switched from Zebra because our scanners are faster.",
    "Stressed that we do not sell their data.",
]


@pytest.mark.parametrize(("note", "kind", "opening"), ACTS)
def test_the_interviewers_acts_are_flagged_with_their_kind(note: str, kind: FlagKind,
                                                          opening: str) -> None:
    """Past-tense, subjectless and first-person acts are flagged, with exact offsets."""
    flags = detect(note)
    assert flags, note
    assert flags[0].kind is kind
    assert flags[0].phrase.startswith(opening)
    for flag in flags:
        assert note[flag.start:flag.end] == flag.phrase
        assert flag.phrase[-1].isalnum()  # the words at fault end on a word


@pytest.mark.parametrize("note", QUIET)
def test_customer_speech_quotes_and_neutral_notes_stay_quiet(note: str) -> None:
    """What the customer said or showed, quotes, negated acts and follow-ups raise nothing."""
    assert detect(note) == []


def test_who_the_subject_is_decides() -> None:
    """The same words are the interviewer's act without a subject, the customer's with one."""
    assert [f.kind for f in detect("Promised a fix by March.")] == [PROMISE]
    assert detect("Their rep promised a fix by March.") == []
    assert [f.kind for f in detect("Told them our new version fixes that.")] == [PITCH]
    assert detect("They told us our new version fixes that.") == []


def test_a_clause_after_and_shares_its_sentences_subject() -> None:
    """ "She walked us through the line and showed the new board" is still her doing."""
    assert detect("She walked us through the line and showed the new dashboard.") == []
    assert detect("Walked the line, then showed them the new dashboard.")[0].kind is PITCH


def test_the_interviewers_own_quoted_question_still_leads() -> None:
    """A question the interviewer quotes themselves asking is theirs, quotes or not."""
    [flag] = detect("Asked \u201cwouldn't it be simpler to have one supplier?\u201d")
    assert flag.kind is LEADING


def test_speaker_reads_the_clause_before_a_verb() -> None:
    """I and we are the interviewer, no subject counts as the writer, anyone else is not."""
    subjects = load_acts().subjects
    for note, expected in [("Demoed it.", Speaker.NOBODY), ("We demoed it.", Speaker.INTERVIEWER),
                           ("Before leaving I demoed it.", Speaker.INTERVIEWER),
                           ("Acme demoed it.", Speaker.SOMEONE_ELSE),
                           ("The buyer then demoed it.", Speaker.SOMEONE_ELSE)]:
        toks = tokens(note)
        verb = next(i for i, t in enumerate(toks) if t.word == "demoed")
        assert speaker(toks, 0, verb, subjects) is expected, note


def test_quoted_positions_are_skipped() -> None:
    """An act verb inside quotation marks is the customer's word, not the interviewer's."""
    text = "Demoed the app."
    assert find_acts(text, lambda _position: False)
    assert find_acts(text, lambda _position: True) == []


def test_a_sentence_read_once_is_not_read_again() -> None:
    """While a note is typed, its unchanged sentences come from memory, not a second read."""
    note_acts.clear_sentence_cache()
    detect("Walked the buyer through the pricing page. The line stops.")
    before = note_acts.sentence_cache_info()
    flags = detect("Walked the buyer through the pricing page. The line stops twice.")
    after = note_acts.sentence_cache_info()
    assert (after.hits, after.misses) == (before.hits + 1, before.misses)
    assert flags[0].phrase == "Walked the buyer through the pricing page"


def test_the_act_words_load_from_resources_and_refuse_unknown_needs() -> None:
    """The shipped act words parse; an act with a need no check knows is refused."""
    data = json.loads(assets.read_text("coach_acts.json"))
    assert ActRules(data).acts
    broken = copy.deepcopy(data)
    broken["acts"][0]["needs"] = "mind reading"
    with pytest.raises(ValueError, match="unknown kind or need"):
        ActRules(broken)
    missing = copy.deepcopy(data)
    del missing["reasons"]["promise"]
    with pytest.raises(ValueError, match="'reasons'"):
        ActRules(missing)
