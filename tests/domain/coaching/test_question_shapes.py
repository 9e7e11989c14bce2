"""The guide check on the shapes people really write: open-stem hypotheticals, pitches
naming the product without "our", presupposed problems, and doubles that no conjunction
list finds; and the open questions it must leave alone."""

from __future__ import annotations

import pytest

from voc_desktop.domain.coaching.guide_check import CheckKind, check_question

PITCHING = CheckKind.PITCHING
LEADING = CheckKind.LEADING
HYPOTHETICAL = CheckKind.HYPOTHETICAL
DOUBLE = CheckKind.DOUBLE_BARRELLED
CLOSED = CheckKind.CLOSED

BAD = [
    ("What would it take for you to switch suppliers?", HYPOTHETICAL, "What would it take"),
    ("How would your team react if the audit were automatic?", HYPOTHETICAL, "react"),
    ("Picture a world where stock counts itself. What changes?", HYPOTHETICAL, "Picture"),
    ("Imagine real-time alerts: how would you use them?", HYPOTHETICAL, "Imagine"),
    ("How would things change if approvals were instant?", HYPOTHETICAL, "change"),
    ("Would your drivers use a mobile version?", HYPOTHETICAL, "Would your drivers use"),
    ("Have you seen the new AutoSync feature?", PITCHING, "Have you seen"),
    ("How would TrackPro help your drivers?", PITCHING, "TrackPro"),
    ("Did you know the SAP connector removes double entry?", PITCHING, "Did you know"),
    ("The XR-200 is twice as fast as Siemens; have you compared them?", PITCHING, "XR-200"),
    ("Our customers save 20% on fuel; how much do you spend?", PITCHING, "customers save"),
    ("How badly does the paperwork slow you down?", LEADING, "How badly"),
    ("I guess the audit is painful?", LEADING, "I guess"),
    ("Why do you put up with the manual entry?", LEADING, "put up with"),
    ("Since the changeover is so slow, how do you cope?", LEADING, "so slow"),
    ("How do you order as well as store the parts?", DOUBLE, "as well as"),
    ("How do you plan and track maintenance?", DOUBLE, "plan and track"),
    ("How do you plan the menu and order ingredients?", DOUBLE, "plan the menu and order"),
    ("What do you think about the price and the delivery times?", DOUBLE, "the price and"),
    ("Tell me about your suppliers. How do you choose them?", DOUBLE, "How do you choose"),
    ("What do you like and dislike about the tool?", DOUBLE, "like and dislike"),
]

GOOD = [
    "How do you use the app on the night shift?",
    "What do you like about the mobile app?",
    "How does our product compare with the alternatives you've tried?",
    "Who pays for spare parts and service?",
    "How do you handle orders that arrive late and are urgent?",
    "Imagine a day when the printer stops: who do you call first?",
    "If you had to cut one step from your process, which would it be?",
    "How do you choose between repairing and replacing a machine?",
    "What happens if a delivery is late?",
    "What's the most frustrating part of your week?",
    "Thinking about the last audit, what took the most time?",
]


@pytest.mark.parametrize(("text", "kind", "fragment"), BAD)
def test_the_shapes_people_write_are_flagged(text: str, kind: CheckKind, fragment: str) -> None:
    """Each weak question gets a finding of its kind whose words hold the fragment."""
    findings = check_question(text)
    assert any(f.kind is kind and fragment.lower() in f.phrase.lower() for f in findings), (
        findings)
    for finding in findings:
        assert text[finding.start:finding.end] == finding.phrase


@pytest.mark.parametrize("text", GOOD)
def test_open_questions_about_their_world_are_left_alone(text: str) -> None:
    """Using, comparing, recalling and choosing stay quiet, even when they name our product."""
    assert check_question(text) == ()


@pytest.mark.parametrize("text", [
    "Have you seen our new route optimiser?",
    "Are you aware that we now offer 24/7 support?",
    "Did you know the Pro plan includes unlimited users?",
])
def test_a_pitch_is_not_also_called_closed(text: str) -> None:
    """Its advice would turn it into an open pitch, so only the pitching finding is given."""
    kinds = [f.kind for f in check_question(text)]
    assert kinds == [PITCHING]
    assert "how or what" not in check_question(text)[0].reason
