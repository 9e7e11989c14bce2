"""One key learning as it is read back to the customer, and the tag naming their verdict.

The visit page shows the same tag beside each point once the visit is completed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from voc_desktop.domain.visit import KeyLearning, SummaryStatus
from voc_desktop.ui.common import shortcuts
from voc_desktop.ui.common.flow_layout import flow_row
from voc_desktop.ui.common.look import heading_label, text_label
from voc_desktop.ui.common.theme import styled

BADGE_STYLES = {  # the words, then the theme's background and text colours
    SummaryStatus.PENDING: ("Waiting", "soft_neutral", "text"),
    SummaryStatus.CONFIRMED: ("Confirmed", "soft_success", "success"),
    SummaryStatus.CORRECTED: ("Corrected", "soft_warning", "warning"),
    SummaryStatus.REJECTED: ("Rejected", "soft_error", "error"),
}
NATIVE = QKeySequence.SequenceFormat.NativeText
VERDICTS = (
    (SummaryStatus.CONFIRMED, "Confirm", "The customer confirms this point",
     shortcuts.CONFIRM_POINT),
    (SummaryStatus.CORRECTED, "Correct…", "Write the customer's corrected wording",
     shortcuts.CORRECT_POINT),
    (SummaryStatus.REJECTED, "Reject", "The customer says this is not right",
     shortcuts.REJECT_POINT),
)
ROW_STYLE = "QFrame#point { border: %s; border-radius: 8px; background: %s; }"


def status_badge(status: SummaryStatus, label: QLabel | None = None) -> QLabel:
    """A small coloured tag naming the customer's verdict on a point."""
    label = label or QLabel()
    text, background, colour = BADGE_STYLES[status]
    label.setText(text)
    styled(label, f"background: ${background}; color: ${colour}; border-radius: 4px; "
                  "padding: 3px 10px; font-weight: bold; font-size: $small;")
    return label


class PointRow(QFrame):
    """One key learning as read aloud: its number, its words, and the verdict so far."""

    focused = Signal(object)
    step = Signal(int)
    correction_saved = Signal(object, str)
    verdict = Signal(object, object)  # the row, and a SummaryStatus (CORRECTED opens the editor)

    def __init__(self, number: int, learning: KeyLearning, parent: QWidget | None = None,
                 customer_view: bool = False) -> None:
        super().__init__(parent)
        self.learning = learning
        self.customer_view = customer_view
        self.setObjectName("point")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.number_label = heading_label(f"{number}.", "$question")
        self.number_label.setFixedWidth(36)
        self.number_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.text_label = text_label()
        self.correction_label = text_label()
        self.badge = QLabel()
        self.badge.setAccessibleName("Customer's verdict")
        self.editor = QLineEdit()
        self.editor.setAccessibleName("The customer's corrected wording")
        self.editor.setPlaceholderText("The customer's wording; Enter saves, Escape cancels")
        self.editor.returnPressed.connect(
            lambda: self.correction_saved.emit(self, self.editor.text()))
        shortcuts.bind("Read-back", QKeySequence(Qt.Key.Key_Escape), self.editor,
                       self.close_correction, context=Qt.ShortcutContext.WidgetShortcut)
        self.editor.hide()
        buttons = []
        for status, text, what, key in VERDICTS:
            button = QPushButton(f"{text} ({key.toString(NATIVE)})")
            button.setToolTip(shortcuts.tip(what, key))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard uses the shortcuts
            button.clicked.connect(lambda _=False, s=status: self.verdict.emit(self, s))
            buttons.append(button)
        self.buttons = flow_row(*buttons)

        words = QVBoxLayout()
        words.setSpacing(6)
        words.addWidget(self.text_label)
        words.addWidget(self.correction_label)
        words.addWidget(self.editor)
        words.addWidget(self.buttons)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 12, 14, 12)
        layout.setSpacing(12)
        layout.addWidget(self.number_label)
        layout.addLayout(words, 1)
        layout.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        self.setAccessibleName(f"Point {number}")
        self.set_customer_view(customer_view)
        self.set_current(False)

    @property
    def text_size(self) -> str:
        return "$customer" if self.customer_view else "$question"

    def set_customer_view(self, on: bool) -> None:
        """Large type for the customer to read, and no strike-through on a rejected point."""
        self.customer_view = on
        styled(self.number_label, f"font-size: {self.text_size}; font-weight: 600;")
        self.number_label.setFixedWidth(72 if on else 36)
        self.set_learning(self.learning)

    def set_learning(self, learning: KeyLearning) -> None:
        self.learning = learning
        self.text_label.setText(learning.text)
        corrected = learning.status is SummaryStatus.CORRECTED
        self.correction_label.setText(f"Customer's wording: {learning.correction}")
        self.correction_label.setVisible(corrected)
        struck = "text-decoration: line-through; color: $muted;" \
            if learning.status is SummaryStatus.REJECTED and not self.customer_view else ""
        styled(self.text_label, f"font-size: {self.text_size}; {struck}")
        status_badge(learning.status, self.badge)

    def set_current(self, current: bool) -> None:
        border, bg = ("3px solid $focus", "$accent_soft") if current else ("1px solid $border",
                                                                         "$base")
        styled(self, ROW_STYLE % (border, bg))
        self.buttons.setVisible(current)

    def open_correction(self) -> None:
        if self.editor.isHidden():  # a second Alt+2 must not wipe what is being typed
            self.editor.setText(self.learning.correction or self.learning.text)
            self.editor.show()
        self.editor.setFocus()

    def close_correction(self) -> None:
        self.editor.hide()
        self.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.step.emit(-1 if event.key() == Qt.Key.Key_Up else 1)
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt override)
        super().focusInEvent(event)
        self.focused.emit(self)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        self.setFocus()
        super().mousePressEvent(event)
