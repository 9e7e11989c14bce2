"""The summarize-back step: read each key learning aloud and record the customer's verdict."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QHideEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from voc_desktop.domain.visit import (
    KeyLearning,
    SummaryStatus,
    VisitStatus,
    can_complete,
    pending_points,
)
from voc_desktop.services import closing
from voc_desktop.services import interview as interview_service
from voc_desktop.services import visits as visit_service
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.workspace.workspace import Change, Workspace
from voc_desktop.ui.common import shortcuts
from voc_desktop.ui.common.bus import ChangeBus
from voc_desktop.ui.common.flow_layout import flow_row
from voc_desktop.ui.common.look import (
    ERROR_STYLE,
    HINT_STYLE,
    apply_readable_style,
    heading_label,
    make_primary,
    text_label,
)
from voc_desktop.ui.interview.summary_point import PointRow

COACHING = "Read each point aloud and let the customer confirm, correct or reject it."
EMPTY_TEXT = (
    "No key learnings were marked during this visit, so there is nothing to read back yet. "
    "Write the main points in your own words below and read them to the customer, or skip "
    "the read-back and note why.")


class SummarizePage(QWidget):
    """One row per key learning; every point needs a verdict before the visit completes."""

    completed = Signal(str)
    back_to_questions = Signal(str)

    def __init__(self, ws: Workspace, bus: ChangeBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.visit_id: str | None = None
        self.learnings: list[KeyLearning] = []
        self.rows: list[PointRow] = []
        self.current = -1
        self.visit_open = False
        self.summarizing = False
        self.customer_view = False
        self._context = ("", "")
        self._window_state = Qt.WindowState.WindowNoState
        apply_readable_style(self)

        self.heading = heading_label("Read back what we learned", "$page")
        self.context_label = text_label("", HINT_STYLE)
        self.coaching = coaching = text_label(COACHING)
        self.counter_label = text_label("", "font-size: $large; font-weight: 600; color: $text;")
        self.counter_label.setWordWrap(False)  # the heading beside it wraps instead
        self.empty_label = text_label(EMPTY_TEXT, "background: $alt_base; border-radius: 6px; "
                                      "padding: 16px; color: $text;")
        self.add_edit = QLineEdit()
        self.add_edit.setPlaceholderText("A key learning in your words; Enter adds it")
        self.add_edit.returnPressed.connect(self.add_point)
        self.add_edit.hide()
        self.add_button = self._button("Add a point…", "Write a key learning to read back",
                                       shortcuts.WRITE_LEARNING, self.open_add_point)
        self.adding_box = QWidget()
        adding = QHBoxLayout(self.adding_box)
        adding.setContentsMargins(0, 0, 0, 0)
        adding.addWidget(self.add_edit, 1)
        adding.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignRight)
        for key, slot in ((shortcuts.CONFIRM_POINT,
                           lambda: self._verdict(SummaryStatus.CONFIRMED)),
                          (shortcuts.CORRECT_POINT, self.open_correction),
                          (shortcuts.REJECT_POINT, lambda: self._verdict(SummaryStatus.REJECTED))):
            shortcuts.bind("Read-back", key, self, slot)
        self.customer_button = self._button("Show to the customer", "Full screen, large type, "
                                            "only this visit's points", shortcuts.CUSTOMER_VIEW,
                                            self.toggle_customer_view)

        # the note, the points and the add field flow from the top; the space stays below
        self.rows_box = QWidget()
        self.rows_layout = QVBoxLayout(self.rows_box)
        self.rows_layout.setContentsMargins(0, 0, 8, 0)
        self.rows_layout.setSpacing(10)
        self.rows_layout.addWidget(self.empty_label)
        self.rows_layout.addWidget(self.adding_box)
        self.rows_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.rows_box)

        self.skip_edit = QLineEdit()
        self.skip_edit.setPlaceholderText(
            "Why is the read-back skipped? e.g. the customer had to leave early")
        self.skip_edit.returnPressed.connect(self.skip)
        self.skip_go = QPushButton("Skip and complete")
        self.skip_go.setToolTip("Record the reason and complete the visit (Enter)")
        self.skip_go.clicked.connect(self.skip)
        self.skip_box = QWidget()
        skip_row = QHBoxLayout(self.skip_box)
        skip_row.setContentsMargins(0, 0, 0, 0)
        skip_row.addWidget(self.skip_edit, 1)
        skip_row.addWidget(self.skip_go)
        self.skip_box.hide()

        self.error_label = text_label("", ERROR_STYLE)
        self.error_label.hide()

        self.back_button = self._button("Back to questions", "Return to the interview",
                                        shortcuts.BACK_TO_QUESTIONS, self.go_back)
        self.skip_button = self._button("Skip read-back…", "Complete without reading back",
                                        shortcuts.SKIP_READ_BACK, self.open_skip)
        self.complete_button = self._button("Complete visit", "Finish the visit",
                                            shortcuts.COMPLETE_VISIT, self.complete)
        make_primary(self.complete_button)
        self.complete_button.setMinimumHeight(36)
        bottom = flow_row(self.back_button, self.skip_button, self.customer_button,
                          right=(self.complete_button,))

        header = QHBoxLayout()
        header.addWidget(self.heading, 1)
        header.addWidget(self.counter_label, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(10)
        layout.addLayout(header)
        layout.addWidget(self.context_label)
        layout.addWidget(coaching)
        layout.addSpacing(6)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.skip_box)
        layout.addWidget(self.error_label)
        layout.addWidget(bottom)

        bus.changed.connect(self._on_change)

    def _button(self, text: str, what: str, key: QKeySequence,
                slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(shortcuts.tip(what, key))
        button.clicked.connect(slot)
        shortcuts.bind("Read-back", key, self, lambda: button.isEnabled() and slot())
        return button

    # showing

    def show_visit(self, visit_id: str) -> None:
        self.visit_id = visit_id
        self.current = -1
        self.skip_box.hide()
        self.skip_edit.clear()
        self.add_edit.clear()
        self.show_error("")
        self.refresh()
        self.add_edit.setVisible(not self.rows)
        if self.rows:
            self._focus_pending(-1)
        else:
            self.open_add_point()

    def _on_change(self, change: Change) -> None:
        if self.visit_id is None or not change.tables & {"key_learnings", "visits", "entries"}:
            return
        if change.visit_id in (None, self.visit_id):
            self.refresh()

    def refresh(self) -> None:
        if self.visit_id is None:
            return
        try:
            record = visit_service.load_visit(self.ws, self.visit_id)
        except ServiceError as exc:
            self.show_error(str(exc))
            return
        self._context = (record.account.name, record.visit.objective)
        self._show_context()
        learnings = list(record.learnings)
        if [kl.id for kl in learnings] != [kl.id for kl in self.learnings]:
            self._rebuild(learnings)
        else:
            for row, learning in zip(self.rows, learnings, strict=True):
                row.set_learning(learning)
        self.learnings = learnings
        self.visit_open = record.visit.status is not VisitStatus.COMPLETED
        self.summarizing = record.visit.status is VisitStatus.SUMMARIZING
        self._update_controls()

    def _update_controls(self) -> None:
        learnings = self.learnings
        answered = len(learnings) - len(pending_points(learnings))
        self.counter_label.setText(f"{answered} of {len(learnings)} points answered")
        self.counter_label.setVisible(bool(learnings))
        self.empty_label.setVisible(not learnings)
        for row in self.rows:
            row.setEnabled(self.visit_open)
        for button in (self.add_button, self.skip_button):
            button.setEnabled(self.visit_open)
        self.back_button.setEnabled(self.summarizing)
        self.complete_button.setEnabled(self.visit_open and can_complete(learnings))

    def _rebuild(self, learnings: list[KeyLearning]) -> None:
        current_id = self.learnings[self.current].id if 0 <= self.current < len(self.rows) \
            else None
        for row in self.rows:
            self.rows_layout.removeWidget(row)
            row.deleteLater()
        self.rows = []
        for number, learning in enumerate(learnings, start=1):
            row = PointRow(number, learning, customer_view=self.customer_view)
            row.focused.connect(self._select)
            row.step.connect(self._step)
            row.correction_saved.connect(self._save_correction)
            row.verdict.connect(self._row_verdict)
            self.rows_layout.insertWidget(self.rows_layout.indexOf(self.adding_box), row)
            row.show()  # a layout shows new children only later; focus needs them shown now
            self.rows.append(row)
        ids = [kl.id for kl in learnings]
        self.current = ids.index(current_id) if current_id in ids else -1
        self._mark_current()

    def _select(self, row: PointRow) -> None:
        if row in self.rows:
            self.current = self.rows.index(row)
            self._mark_current()
            self._update_controls()

    def _mark_current(self) -> None:
        for i, row in enumerate(self.rows):
            row.set_current(i == self.current)

    def _step(self, delta: int) -> None:
        if self.rows:
            target = max(0, min(len(self.rows) - 1, self.current + delta))
            self.rows[target].setFocus()

    def _focus_pending(self, after: int) -> None:
        """Move to the next point still waiting for a verdict, or to Complete when none is."""
        count = len(self.learnings)
        for offset in range(1, count + 1):
            i = (after + offset) % count
            if self.learnings[i].status is SummaryStatus.PENDING:
                self.rows[i].setFocus()
                self._select(self.rows[i])
                return
        if 0 <= after < count:
            self._select(self.rows[after])
        self.complete_button.setFocus()

    def toggle_customer_view(self) -> None:
        """The read-back as the customer sees it: full screen, large type, this visit's
        points only, no struck-through words; the verdict keys work as before. Again (or
        Escape) returns to the interviewer's view."""
        on = not self.customer_view
        self.customer_view = on
        for row in self.rows:
            row.set_customer_view(on)
        for widget in (self.coaching, self.back_button, self.skip_button, self.skip_box):
            widget.setVisible(not on and (widget is not self.skip_box
                                          or bool(self.skip_edit.text())))
        self.customer_button.setText("Back to my view (Esc)" if on else "Show to the customer")
        self._show_context()
        window = self.window()
        if on:
            self._window_state = window.windowState()
            window.showFullScreen()
        else:
            window.setWindowState(self._window_state)
        self._focus_pending(self.current - 1 if self.current >= 0 else -1)

    def _show_context(self) -> None:
        # the customer sees their own name, not the objective written for the team
        account, objective = self._context
        self.context_label.setText(account if self.customer_view else f"{account} · {objective}")

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        # a key no point, field or button took: Escape leaves the customer's view
        if event.key() == Qt.Key.Key_Escape and self.customer_view:
            self.toggle_customer_view()
            return
        super().keyPressEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt override)
        if self.customer_view:  # the visit completed, or the interview resumed
            self.toggle_customer_view()
        super().hideEvent(event)

    # verdicts

    def _call(self, action: Callable[[], object]) -> object | None:
        """Run one service call; its refusal shows inline. The bus redraws after a write."""
        try:
            result = action()
        except ServiceError as exc:
            self.show_error(str(exc))
            return None
        self.show_error("")
        return result

    def _verdict(self, status: SummaryStatus, correction: str = "") -> bool:
        index = self.current
        if not (self.visit_open and 0 <= index < len(self.learnings)):
            return False
        learning_id = self.learnings[index].id
        if not self._call(lambda: closing.set_point_status(self.ws, learning_id, status,
                                                           correction)):
            return False
        self.rows[index].editor.hide()
        self._focus_pending(index)
        return True

    def _row_verdict(self, row: PointRow, status: SummaryStatus) -> None:
        self._select(row)
        if status is SummaryStatus.CORRECTED:
            self.open_correction()
        else:
            self._verdict(status)

    def open_correction(self) -> None:
        if self.visit_open and 0 <= self.current < len(self.rows):
            self.rows[self.current].open_correction()

    def _save_correction(self, row: PointRow, text: str) -> None:
        self._select(row)
        self._verdict(SummaryStatus.CORRECTED, text)

    # adding points, skipping, leaving

    def open_add_point(self) -> None:
        self.add_edit.show()
        self.add_edit.setFocus()

    def add_point(self) -> None:
        visit_id, text = self.visit_id or "", self.add_edit.text()
        learning = self._call(lambda: interview_service.add_key_learning(self.ws, visit_id,
                                                                         text))
        if isinstance(learning, KeyLearning):
            self.add_edit.clear()
            ids = [kl.id for kl in self.learnings]
            if learning.id in ids:
                self._select(self.rows[ids.index(learning.id)])
            self.add_edit.setFocus()  # several points are often written one after another

    def open_skip(self) -> None:
        self.skip_box.show()
        self.skip_edit.setFocus()

    def skip(self) -> None:
        visit_id, reason = self.visit_id or "", self.skip_edit.text()
        if not reason.strip():
            self.show_error("Write down why the read-back is skipped; the report shows it.")
            self.skip_edit.setFocus()
        elif self._call(lambda: closing.skip_summary(self.ws, visit_id, reason)):
            self.completed.emit(visit_id)

    def complete(self) -> None:
        visit_id = self.visit_id or ""
        if self._call(lambda: closing.complete_visit(self.ws, visit_id)):
            self.completed.emit(visit_id)

    def go_back(self) -> None:
        visit_id = self.visit_id or ""
        if self._call(lambda: closing.resume_interview(self.ws, visit_id)):
            self.back_to_questions.emit(visit_id)

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))
