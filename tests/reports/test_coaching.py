"""The report's coaching self-check reads the notes with the coach's own detector."""

from __future__ import annotations

from voc_desktop.domain.coaching.pitch import detect
from voc_desktop.domain.guide import Bucket, Guide, Question, Section
from voc_desktop.domain.visit import Entry, EntryKind, Visit
from voc_desktop.reports.coaching import coaching_for

GUIDE = Guide("5c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f", "Plant visit", 1, "", (
    Section("ops", "Their day", Bucket.OPERATIONS, "", (
        Question("ops-day", "Walk me through a normal day."),
        Question("ops-stop", "What happens when the line stops?"),
    )),
))
VISIT = Visit("v1", "a1", "g1", "Understand the changeovers", "2026-12-01")


def note(number: int, text: str, kind: EntryKind = EntryKind.ANSWER,
         question: str = "ops-day") -> Entry:
    return Entry(f"e{number}", "v1", kind, text, question_key=question, position=number)


def test_self_check_lists_what_the_coach_flags() -> None:
    """Each pitch, promise and leading note shows in the self-check as the coach flags it."""
    entries = [note(1, "Walked the buyer through the pricing page."),
               note(2, "Promised we'd add a Salesforce export by spring.", question="ops-stop"),
               note(3, "Asked if automating the audit would help.", EntryKind.OBSERVATION),
               note(4, "The customer said our pricing is high.", EntryKind.OBSERVATION)]
    coaching = coaching_for(GUIDE, entries, [], VISIT)
    expected = [(flag.phrase, flag.reason) for e in entries for flag in detect(e.text)]
    assert [(f.phrase, f.reason) for f in coaching.flags] == expected
    assert [(f.where, f.kind) for f in coaching.flags] == [
        ("Answer to 1.1", "Pitch"), ("Answer to 1.2", "Promise"),
        ("Observation at 1.1", "Leading question")]
    assert "3 notes read like a pitch, a promise or a leading question." in coaching.facts


def test_self_check_names_notes_in_another_language() -> None:
    """A German note is counted as unread, not as clean; a quote in any language is not."""
    entries = [note(1, "Wir haben ihnen die neue Version gezeigt und Rabatt versprochen."),
               note(2, "\u00abDas ist uns zu teuer\u00bb, sagte der Einkauf.", EntryKind.QUOTE),
               note(3, "Line 3 stops twice per shift for a changeover.", EntryKind.OBSERVATION)]
    coaching = coaching_for(GUIDE, entries, [], VISIT)
    assert coaching.unread == ("German",)
    assert ("1 note looks German; coaching covers English, so they were not checked."
            in coaching.facts)
