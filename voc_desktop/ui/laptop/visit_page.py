"""One visit on a page: the preparation before going, or the summary once it is done."""

from __future__ import annotations

from dataclasses import replace
from html import escape

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from voc_desktop.domain.visit import (
    ROOM,
    EntryKind,
    SummaryStatus,
    VisitStatus,
    deepest_ladder,
)
from voc_desktop.services import visits as visit_service
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.visits import VisitRecord
from voc_desktop.services.workspace.workspace import Change, Workspace
from voc_desktop.ui.common import shortcuts
from voc_desktop.ui.common.bus import ChangeBus
from voc_desktop.ui.common.look import (
    ERROR_STYLE,
    HINT_STYLE,
    PRIMARY_BUTTON,
    apply_readable_style,
    centred_scroll,
    heading_label,
    text_label,
)
from voc_desktop.ui.common.theme import colour, styled
from voc_desktop.ui.interview.coach_panel import LISTENING_RULES
from voc_desktop.ui.interview.summary_point import status_badge
from voc_desktop.ui.laptop.follow_up import FollowUpPanel

WATCHED = {"visits", "attendees", "entries", "key_learnings", "contacts", "accounts"}
CONTENT_WIDTH = 920
OBJECTIVE_STYLE = ("font-size: $question; background: $accent_soft; "
                   "border-left: 4px solid $accent; padding: 10px 14px; color: $text;")


def nice_date(iso: str | None) -> str:
    day = QDate.fromString(iso or "", Qt.DateFormat.ISODate)
    return day.toString("dddd d MMMM yyyy") if day.isValid() else "No date"


def _bullets(lines: list[str]) -> QLabel:
    items = "".join(f"<li style='margin-bottom:4px'>{line}</li>" for line in lines)
    return text_label(f"<ul style='margin-left:-20px'>{items}</ul>", rich=True)


class VisitPage(QWidget):
    """A planned visit shows what to know before going; a completed one shows what came of it."""

    start_requested = Signal(str)
    export_requested = Signal(str)
    brief_requested = Signal(str)

    def __init__(self, ws: Workspace, bus: ChangeBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.visit_id: str | None = None
        self.record: VisitRecord | None = None
        self._shown: object = None
        apply_readable_style(self)

        self.body = QWidget()
        self.follow_up = FollowUpPanel(ws, bus)
        column = QWidget()
        column.setMaximumWidth(CONTENT_WIDTH)
        self.column_layout = QVBoxLayout(column)
        self.column_layout.setContentsMargins(32, 24, 32, 24)
        self.column_layout.setSpacing(18)
        self.column_layout.addWidget(self.body)
        self.column_layout.addWidget(self.follow_up)
        self.column_layout.addStretch(1)
        scroll = centred_scroll(column)

        self.start_hint = text_label("Read the history and the rules, then start when you sit "
                                     "down with the customer.", HINT_STYLE)
        self.start_button = QPushButton("Start interview")
        self.start_button.setMinimumSize(220, 44)
        # a bigger label on top of the shared primary look
        styled(self.start_button, PRIMARY_BUTTON + "QPushButton { font-size: $heading; }")
        self.start_button.setToolTip(shortcuts.tip("Open the interview for this visit",
                                                   shortcuts.START_INTERVIEW))
        self.start_button.clicked.connect(self.start)
        shortcuts.bind("A visit's page", shortcuts.START_INTERVIEW, self, self.start)
        shortcuts.bind("A visit's page", shortcuts.PRINT_BRIEF, self,
                       lambda: self.visit_id and self.brief_requested.emit(self.visit_id))
        self.error_label = text_label("", ERROR_STYLE)
        self.error_label.hide()
        self.start_bar = QFrame()
        styled(self.start_bar, "QFrame#startBar { border-top: 1px solid $border; }")
        self.start_bar.setObjectName("startBar")
        bar = QHBoxLayout(self.start_bar)
        bar.setContentsMargins(32, 12, 32, 12)
        bar.addWidget(self.start_hint, 1)
        bar.addWidget(self.start_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.start_bar)
        bus.changed.connect(self._on_change)

    # showing

    def show_visit(self, visit_id: str) -> None:
        self.visit_id = visit_id
        self._shown = None
        self.error_label.hide()
        self.refresh()
        visit = self.record.visit if self.record else None
        if visit is not None and visit.status is VisitStatus.COMPLETED:
            self.follow_up.show_visit(visit_id)
            self.follow_up.add_button.setFocus()
        else:
            self.start_button.setFocus()

    def _on_change(self, change: Change) -> None:
        if self.visit_id and change.tables & WATCHED \
                and change.visit_id in (None, self.visit_id):
            self.refresh()

    def refresh(self) -> None:
        if self.visit_id is None:
            return
        try:
            record = visit_service.load_visit(self.ws, self.visit_id)
        except ServiceError as exc:
            self.show_error(str(exc))
            return
        # the follow-up panel keeps the next contact date itself; no need to redraw for it
        shown = (replace(record.visit, next_contact_date=None, updated_at=""), record.account,
                 record.attendees, record.learnings, record.entries)
        self.record = record
        if shown == self._shown:
            return
        self._shown = shown
        completed = record.visit.status is VisitStatus.COMPLETED
        body = QWidget()
        content = QVBoxLayout(body)
        content.setContentsMargins(0, 0, 0, 0)
        content.setSpacing(14)
        self._header(content, record)
        if completed:
            self._summary(content, record)
        else:
            self._preparation(content, record)
        self.column_layout.replaceWidget(self.body, body)
        self.body.deleteLater()
        self.body = body
        self.follow_up.setVisible(completed)
        self.start_bar.setVisible(not completed)
        self.start_button.setText("Start interview" if record.visit.status
                                  is VisitStatus.PLANNED else "Continue the visit")

    def _header(self, content: QVBoxLayout, record: VisitRecord) -> None:
        visit, account = record.visit, record.account
        top = QHBoxLayout()
        top.addWidget(heading_label(account.name, "$page"), 1)
        if visit.status is not VisitStatus.COMPLETED:
            printed = QPushButton("Print the brief…")
            printed.setToolTip(shortcuts.tip("Save this visit's one-page brief as a PDF",
                                             shortcuts.PRINT_BRIEF))
            printed.clicked.connect(lambda: self.brief_requested.emit(visit.id))
            self.brief_button = printed
            top.addWidget(printed, 0, Qt.AlignmentFlag.AlignTop)
        if visit.status is VisitStatus.COMPLETED:
            export = QPushButton("Export report…")
            export.setToolTip(shortcuts.tip("Save this visit's report as a Word document or a "
                                            "PDF", shortcuts.EXPORT_REPORT))
            export.clicked.connect(lambda: self.export_requested.emit(visit.id))
            self.export_button = export
            top.addWidget(export, 0, Qt.AlignmentFlag.AlignTop)
        content.addLayout(top)
        where = f" · {visit.place}" if visit.place else ""
        content.addWidget(text_label(f"{visit.status.label} visit · {nice_date(visit.visit_date)}"
                                     f"{where}", HINT_STYLE + " font-size: $large;"))
        content.addWidget(text_label("OBJECTIVE", "color: $muted; font-weight: 600; "
                                     "letter-spacing: 1px;"))
        content.addWidget(text_label(visit.objective, OBJECTIVE_STYLE))
        form = QFormLayout()
        form.setVerticalSpacing(8)
        form.setHorizontalSpacing(18)
        profile = [account.vertical, account.segment,
                   "inside our ideal customer profile" if account.in_icp
                   else "outside our ideal customer profile"]
        form.addRow("Account", text_label(" · ".join(p for p in profile if p)))
        form.addRow("Stage", text_label(visit.lifecycle_stage.label))
        form.addRow("Interviewers", text_label(", ".join(visit.interviewers) or "Not named"))
        form.addRow("Guide", text_label(f"{record.guide.name}, version {record.guide.version}"))
        content.addLayout(form)

    def _section(self, content: QVBoxLayout, title: str) -> None:
        content.addSpacing(8)
        content.addWidget(heading_label(title, "$question"))

    # before the visit

    def _preparation(self, content: QVBoxLayout, record: VisitRecord) -> None:
        self._section(content, "Who you will meet")
        if not record.attendees:
            content.addWidget(text_label("No attendees recorded yet. Note who joins as the "
                                         "interview starts.", HINT_STYLE))
        for a in record.attendees:
            c = a.contact
            title = f" — {escape(c.title)}" if c.title else ""
            roles = ", ".join(r.label for r in a.attendee.roles) or "No role"
            content.addWidget(text_label(
                f"<b>{escape(c.name)}</b>{title}<br><span style='color:{colour('muted')}'>"
                f"{escape(roles)} · {escape(c.consent.label)}</span>", rich=True))

        from voc_desktop.services.brief import brief  # the brief loads when first needed
        from voc_desktop.ui.laptop.brief_view import BriefView

        try:
            self.brief_view: BriefView | None = BriefView(brief(self.ws, record.visit.id))
        except ServiceError as exc:
            self.brief_view = None
            content.addWidget(text_label(str(exc), ERROR_STYLE))
        else:
            content.addWidget(self.brief_view)

        self._section(content, "Before you go in")
        content.addWidget(_bullets([f"<b>{escape(t)}.</b> {escape(d)}"
                                    for t, d in LISTENING_RULES]))

    # after the visit

    def _summary(self, content: QVBoxLayout, record: VisitRecord) -> None:
        visit = record.visit
        self._section(content, "Who we met")
        people = []
        for a in record.attendees:
            shown = a.contact.display_name()
            roles = ", ".join(r.label for r in a.attendee.roles)
            # without consent to name them, the display name already is their roles
            people.append(escape(f"{shown} — {roles}" if roles and shown == a.contact.name
                                 else shown))
        content.addWidget(_bullets(people) if people else
                          text_label("No attendees were recorded.", HINT_STYLE))

        self._section(content, "What we read back")
        if visit.summary_skip_reason:
            content.addWidget(text_label(f"The read-back was skipped: "
                                         f"{visit.summary_skip_reason}", HINT_STYLE))
        for number, kl in enumerate(record.learnings, start=1):
            row = QHBoxLayout()
            row.setSpacing(12)
            badge = status_badge(kl.status)
            badge.setFixedWidth(110)
            badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
            row.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
            words = escape(kl.text)
            if kl.status is SummaryStatus.CORRECTED:
                words = (f"<s style='color:{colour('muted')}'>{words}</s><br>"
                         f"<b>Customer's wording:</b> {escape(kl.correction)}")
            elif kl.status is SummaryStatus.REJECTED:
                words = f"<s style='color:{colour('muted')}'>{words}</s>"
            row.addWidget(text_label(f"{number}. {words}", rich=True), 1)
            content.addLayout(row)
        if not record.learnings and not visit.summary_skip_reason:
            content.addWidget(text_label("No key learnings were recorded.", HINT_STYLE))

        answers = [e for e in record.entries if e.kind is EntryKind.ANSWER and e.text.strip()]
        flags = sum(len(e.flags) for e in record.entries)
        depth = deepest_ladder(record.entries)
        self._section(content, "The visit in numbers")
        numbers = [f"<b>{len(answers)}</b> of {record.guide.question_count} questions answered",
                   f"Deepest why-ladder: <b>{depth}</b> level{'s' if depth != 1 else ''}",
                   f"<b>{flags}</b> coaching flag{'s' if flags != 1 else ''} "
                   "(pitching, promising or leading)"]
        content.addWidget(_bullets(numbers))

        quotes = [e for e in record.entries if e.kind is EntryKind.QUOTE and e.text.strip()]
        if quotes:
            self._section(content, "In their words")
            for q in quotes:
                who = "; ".join(c.display_name() for c in map(record.contact, q.speakers)
                                if c) or ROOM
                content.addWidget(text_label(
                    f"<i>“{escape(q.text)}”</i><br><span style='color:{colour('muted')}'>— "
                    f"{escape(who)}</span>", rich=True))
        content.addSpacing(8)

    # acting

    def start(self) -> None:
        if self.visit_id is None or self.start_bar.isHidden() \
                or not self.start_button.isEnabled():
            return
        try:
            visit = visit_service.start_visit(self.ws, self.visit_id)
        except ServiceError as exc:
            self.show_error(str(exc))
            return
        self.start_requested.emit(visit.id)

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))
