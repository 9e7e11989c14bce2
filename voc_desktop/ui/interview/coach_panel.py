"""The coaching column beside the interview: the listening rules, live warnings about
pitching, why-probe suggestions, and the key learnings gathered so far."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from voc_desktop.domain.coaching.pitch import PitchFlag
from voc_desktop.domain.coaching.probes import ladder_hint
from voc_desktop.domain.visit import KeyLearning
from voc_desktop.ui.common import shortcuts
from voc_desktop.ui.common.shortcuts import tip
from voc_desktop.ui.common.theme import colour

LISTENING_RULES = (
    ("Come to learn", "They know their world better than you do."),
    ("Listen, mostly", "Let them talk; silence is fine."),
    ("Look around", "Note the floor, the screens, the whiteboard; take photos."),
    ("Ask why", "Follow an answer with why — and then why again."),
    ("Present nothing", "No pitch, no demo, no roadmap, no leading questions."),
    ("Check what you heard", "At the end, read back what you learned."),
)


def _box(title: str) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName("coachBox")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(12, 10, 12, 10)
    layout.setSpacing(6)
    heading = QLabel(title)
    heading.setObjectName("coachHeading")
    layout.addWidget(heading)
    return frame, layout


class CoachPanel(QWidget):
    write_learning_requested = Signal()
    learning_activated = Signal(str)  # the learning's source entry id, if any

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(230)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)

        rules, rules_layout = _box("While you listen")
        text = "".join(f"<p style='margin:0 0 4px 0'><b>{i}. {t}</b> — {d}</p>"
                       for i, (t, d) in enumerate(LISTENING_RULES, 1))
        self.rules = QLabel(text)
        self.rules.setWordWrap(True)
        self.rules.setObjectName("listeningRules")
        rules_layout.addWidget(self.rules)
        layout.addWidget(rules)

        coach, coach_layout = _box("Coach")
        self.flags = QLabel()
        self.flags.setObjectName("pitchFlags")
        self.flags.setWordWrap(True)
        self.flags.setTextFormat(Qt.TextFormat.RichText)
        self.suggestion = QLabel()
        self.suggestion.setObjectName("probeSuggestion")
        self.suggestion.setWordWrap(True)
        self.ladder = QLabel()
        self.ladder.setObjectName("ladderDepth")
        self.ladder.setWordWrap(True)
        self.probes = QLabel()
        self.probes.setObjectName("questionProbes")
        self.probes.setWordWrap(True)
        for w in (self.flags, self.suggestion, self.ladder, self.probes):
            coach_layout.addWidget(w)
        layout.addWidget(coach)

        learned, learned_layout = _box("Key learnings")
        self.learnings = QListWidget()
        self.learnings.setObjectName("keyLearnings")
        self.learnings.setAccessibleName("Key learnings of this visit")
        self.learnings.setWordWrap(True)
        self.learnings.setMinimumHeight(110)
        self.learnings.itemActivated.connect(
            lambda item: self.learning_activated.emit(item.data(Qt.ItemDataRole.UserRole) or ""))
        self.write = QPushButton("Write a key learning…")
        self.write.setToolTip(tip("Write a key learning in your own words",
                                  shortcuts.WRITE_LEARNING))
        self.write.clicked.connect(self.write_learning_requested)
        learned_layout.addWidget(self.learnings, 1)
        learned_layout.addWidget(self.write)
        layout.addWidget(learned, 1)
        self.show_flags([])
        self.show_suggestion(None)

    def show_flags(self, flags: list[PitchFlag], notice: str | None = None) -> None:
        """The flags of the note being written; ``notice`` says when the coaching cannot
        read it (a note in another language), rather than praising it for silence."""
        if not flags:
            if notice:
                self.flags.setText(
                    f"<span style='color:{colour('warning')}'>{_escape(notice)}</span>")
            else:
                self.flags.setText(f"<span style='color:{colour('success')}'>✓ Listening, "
                                   "not presenting.</span>")
            return
        items = "".join(
            f"<p style='margin:0 0 6px 0'><b style='color:{colour('warning')}'>⚠ "
            f"{f.kind.label}</b> “{_escape(f.phrase)}”<br>{_escape(f.reason)}</p>"
            for f in flags)
        self.flags.setText(items)

    def show_suggestion(self, suggestion: str | None) -> None:
        if suggestion:
            key = shortcuts.WHY_PROBE.toString()
            self.suggestion.setText(f"<b>Ask why</b> ({key}): <i>{_escape(suggestion)}</i>")
            self.suggestion.show()
        else:
            self.suggestion.hide()

    def show_probes(self, probes: tuple[str, ...]) -> None:
        """The guide's own follow-ups for the question on screen."""
        # plain lines rather than a list: a list's indent upsets the label's height for its
        # width, and the last probe was cut off in a narrow coach
        items = "".join(f"<br>• {_escape(p)}" for p in probes)
        self.probes.setText(f"<b>Probes for this question</b>{items}" if probes else "")
        self.probes.setVisible(bool(probes))

    def show_ladders(self, current_depth: int, deepest: int) -> None:
        self.ladder.setText(f"This note: {ladder_hint(current_depth)}. "
                            f"Deepest ladder in this visit: {deepest}.")

    def show_learnings(self, learnings: list[KeyLearning]) -> None:
        self.learnings.clear()
        for kl in learnings:
            item = QListWidgetItem(f"★ {kl.text}")
            item.setData(Qt.ItemDataRole.UserRole, kl.source_entry_id)
            self.learnings.addItem(item)
        if not learnings:
            key = shortcuts.KEY_LEARNING.toString()
            item = QListWidgetItem(f"None yet. Mark a note with {key}.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.learnings.addItem(item)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
