"""The coach column names each kind of flag, and says when it cannot read a note."""

from __future__ import annotations

from voc_desktop.domain.coaching.language import language_notice
from voc_desktop.domain.coaching.pitch import detect
from voc_desktop.ui.interview.coach_panel import CoachPanel


def test_each_kind_is_named_with_its_words(qtbot) -> None:
    """A pitch, a promise and a leading question each get their own heading and words."""
    panel = CoachPanel()
    qtbot.addWidget(panel)
    note = ("Demoed the scheduler. Promised a 10% discount if they sign this quarter. "
            "Asked if automating the audit would help.")
    panel.show_flags(detect(note), language_notice(note))
    shown = panel.flags.text()
    for heading in ("Sounds like a pitch", "Sounds like a promise", "Leading question"):
        assert heading in shown
    assert "Promised a 10% discount" in shown


def test_a_note_in_another_language_is_not_praised(qtbot) -> None:
    """A German note gets no tick for listening; the coach says it only reads English."""
    panel = CoachPanel()
    qtbot.addWidget(panel)
    note = "Wir haben ihnen die neue Version gezeigt und einen Rabatt versprochen."
    panel.show_flags(detect(note), language_notice(note))
    assert "Listening" not in panel.flags.text()
    assert "Coaching covers English; this note looks German." in panel.flags.text()
    panel.show_flags([], None)
    assert "Listening, not presenting" in panel.flags.text()
