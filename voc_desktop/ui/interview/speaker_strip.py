"""Who said a note: one small toggle per attendee, numbered as their keys (Alt+1 …), and
"The room" for what the group said or no one in particular."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolButton, QWidget

from voc_desktop.domain.visit import ROOM
from voc_desktop.ui.common.flow_layout import FlowLayout

MAX_KEYED = 9  # Alt+1 … Alt+9 name the first nine attendees; Alt+0 is the room


class SpeakerStrip(QWidget):
    """Shows and changes a note's speakers. `people` is (contact id, label) in attendee
    order; `changed` carries the new speakers, () for the room. `right` is kept to the
    right end of the line, wrapping with it."""

    changed = Signal(tuple)

    def __init__(self, people: list[tuple[str, str]], current: tuple[str, ...],
                 right: QWidget | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("speakerStrip")
        self.people = people
        self.current: tuple[str, ...] = tuple(c for c in current
                                              if c in {p for p, _ in people})
        # wraps on a narrow window rather than widening the card past the screen
        layout = FlowLayout(self, spacing=2)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        said = QLabel("said by")
        said.setObjectName("speakerLabel")
        layout.addWidget(said)
        self.buttons: dict[str, QToolButton] = {}
        for n, (contact_id, label) in enumerate(people, start=1):
            key = f"Alt+{n}" if n <= MAX_KEYED else ""
            button = self._button(f"{n} {label}" if key else label,
                                  f"{label} said this ({key})" if key else f"{label} said this")
            button.clicked.connect(lambda _c=False, c=contact_id: self.toggle(c))
            self.buttons[contact_id] = button
            layout.addWidget(button)
        self.room = self._button(f"0 {ROOM}", "Said by the room, or no one in particular "
                                              "(Alt+0)")
        self.room.clicked.connect(lambda _c=False: self.set_room())
        layout.addWidget(self.room)
        if right is not None:  # the note's tags share the line, at its right edge
            layout.add_right(right)
        self._show()

    def _button(self, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setCheckable(True)
        button.setAutoRaise(True)
        # the keys name speakers; Tab keeps moving between the text and its tags
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return button

    def _show(self) -> None:
        for contact_id, button in self.buttons.items():
            button.setChecked(contact_id in self.current)
        self.room.setChecked(not self.current)

    def show_speakers(self, speakers: tuple[str, ...]) -> None:
        """What the workspace holds, shown without announcing a change."""
        self.current = tuple(speakers)
        self._show()

    def toggle(self, contact_id: str) -> None:
        if contact_id not in self.buttons:
            return
        now = self.current
        self.current = (tuple(c for c in now if c != contact_id) if contact_id in now
                        else (*now, contact_id))
        self._show()
        self.changed.emit(self.current)

    def toggle_number(self, n: int) -> bool:
        """Alt+n: the n-th attendee (1-based) on or off; 0 is the room. False when there
        is no such attendee."""
        if n == 0:
            self.set_room()
            return True
        if not 1 <= n <= len(self.people):
            return False
        self.toggle(self.people[n - 1][0])
        return True

    def set_room(self) -> None:
        changed = bool(self.current)
        self.current = ()
        self._show()
        if changed:
            self.changed.emit(self.current)

    def labels(self) -> list[str]:
        """Who is named now, as the strip shows them."""
        names = dict(self.people)
        return [names[c] for c in self.current] or [ROOM]
