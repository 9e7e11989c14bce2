"""One visit from the archive as it was recorded, opened from a finding in any list.

A finding read alone can mislead: a "yes" means little without the question, and a quote
reads differently after the why-probes that led to it. So every list opens the whole visit
with the finding it came from highlighted and scrolled into view: the account and who was in
the room, every answer under its question with its why-probes, quotes and observations, then
the key learnings as the customer heard them read back, then the action items by team.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from voc_desktop.domain.accounts import LifecycleStage, Role
from voc_desktop.domain.findings import (
    Finding,
    FindingFilter,
    FindingKind,
    FindingOrder,
    status_label,
)
from voc_desktop.domain.guide import Bucket
from voc_desktop.domain.visit import Team
from voc_desktop.services.archive.workspace import ArchiveWorkspace
from voc_desktop.ui.archive.lens_reader import LensReader
from voc_desktop.ui.common.look import HINT_STYLE, apply_readable_style, text_label
from voc_desktop.ui.common.theme import colour

NEXT_HIT = QKeySequence("F3")
PREVIOUS_HIT = QKeySequence("Shift+F3")
VISIT_LIMIT = 5000  # more than any real visit records; a cap keeps a damaged index in check

_STATUS_COLOURS = {"confirmed": "success", "corrected": "warning", "rejected": "error",
                   "pending": "muted", "open": "accent", "done": "success"}

# Step through a list's hits: +1 next, -1 previous; None at either end.
Step = Callable[[int], Finding | None]


def _label(enum: type, value: str) -> str:
    try:
        return enum(value).label
    except ValueError:
        return value


def _e(text: str) -> str:
    return html.escape(text or "").replace("\n", "<br>")


@dataclass
class _Question:
    text: str
    bucket: str
    items: list[Finding] = field(default_factory=list)


def _grouped(findings: Sequence[Finding]) -> tuple[list[Finding], list[_Question],
                                                   list[Finding], dict[str, list[Finding]]]:
    """(notes taken outside any question, questions in the order asked, learnings, actions by
    team)."""
    loose: list[Finding] = []
    questions: dict[str, _Question] = {}
    learnings: list[Finding] = []
    actions: dict[str, list[Finding]] = {}
    for f in findings:
        if f.kind == FindingKind.LEARNING:
            learnings.append(f)
        elif f.kind == FindingKind.ACTION:
            actions.setdefault(f.team, []).append(f)
        elif f.question_key:
            questions.setdefault(f.question_key, _Question(f.question or f.question_key,
                                                           f.bucket)).items.append(f)
        else:
            loose.append(f)
    return loose, list(questions.values()), learnings, actions


def _roles_present(findings: Sequence[Finding]) -> list[str]:
    seen = {r for f in findings for r in f.roles}
    known = [r.value for r in Role if r.value in seen]
    return known + sorted(seen - set(known))


def _item(f: Finding, opened: str) -> str:
    """One recorded piece, its kind named, the opened one marked and anchored."""
    kind_label = f"<span style='color:{colour('muted')}'>{_e(f.kind_label)}</span>"
    tags = (f" <span style='color:{colour('muted')}'>· {_e(', '.join(f.tags))}</span>" if f.tags
            else "")
    if f.kind == FindingKind.QUOTE:
        body = (f"<i>“{_e(f.text)}”</i><br><span style='color:{colour('muted')}'>— "
                f"{_e(f.who)}</span>")
        style = f"margin-left:28px; margin-right:28px; background-color:{colour('quote_bg')};"
    elif f.kind == FindingKind.PROBE:
        body = f"{kind_label}&nbsp; {_e(f.text)}"
        style = "margin-left:36px;"
    elif f.kind == FindingKind.OBSERVATION:
        body = f"{kind_label}&nbsp; <i>{_e(f.text)}</i>"
        style = f"margin-left:12px; background-color:{colour('observation_bg')};"
    elif f.kind == FindingKind.ATTACHMENT:
        body = f"<span style='color:{colour('muted')}'>Photo</span>&nbsp; {_e(f.text)}"
        style = "margin-left:12px;"
    else:
        body = f"{kind_label}&nbsp; {_e(f.text)}"
        style = "margin-left:12px;"
    return _marked(f, opened, style, body + tags)


def _marked(f: Finding, opened: str, style: str, body: str) -> str:
    if f.item_id == opened:
        style += f" background-color:{colour('hit')};"
    return (f"<p style='{style} margin-top:4px; margin-bottom:4px;'>"
            f"<a name='{_anchor(f.item_id)}'></a>{body}</p>")


def _anchor(item_id: str) -> str:
    return "f-" + "".join(c for c in item_id if c.isalnum() or c == "-")


def _status(status: str) -> str:
    hue = colour(_STATUS_COLOURS.get(status, "muted"))
    return f"<b style='color:{hue}'>{_e(status_label(status) or 'No status')}</b>"


def visit_html(findings: Sequence[Finding], opened: str = "") -> str:
    """The whole visit as HTML, every piece of text escaped; `opened` is the item marked."""
    if not findings:
        return "<p>This visit has nothing recorded in the archive.</p>"
    first = findings[0]
    loose, questions, learnings, actions = _grouped(findings)
    facts = [first.visit_date, first.vertical, first.segment, _label(LifecycleStage, first.stage)]
    out = [f"<h2>{_e(first.account)}</h2>",
           f"<p>{' · '.join(_e(x) for x in facts if x)}"
           + ("" if first.in_icp else f" · <span style='color:{colour('error')}'>outside the ideal "
              "customer profile</span>") + "</p>",
           f"<p><b>Interviewers:</b> {_e(', '.join(first.interviewers) or 'not recorded')}"
           f"<br><b>In the room:</b> "
           f"{_e(', '.join(_label(Role, r) for r in _roles_present(findings)) or 'not recorded')}"
           "</p>"]
    if loose:
        out.append("<h3>Seen and noted during the visit</h3>")
        out += [_item(f, opened) for f in loose]
    if questions:
        out.append("<h3>Questions and answers</h3>")
    for q in questions:
        bucket = _label(Bucket, q.bucket)
        out.append(f"<h4 style='margin-top:14px'>{_e(q.text)}"
                   + (f" <span style='color:{colour('muted')}; font-weight:normal'>"
                      f"· {_e(bucket)}</span>"
                      if bucket else "") + "</h4>")
        out += [_item(f, opened) for f in q.items]
    if learnings:
        out.append("<h3>Key learnings, as read back</h3>")
    for f in learnings:
        body = f"{_status(f.status)}&nbsp; {_e(f.text)}"
        if f.detail:
            body += (f"<br><span style='color:{colour('warning')}'>Corrected to:</span> "
                     f"{_e(f.detail)}")
        if f.question:
            body += f"<br><span style='color:{colour('muted')}'>From: {_e(f.question)}</span>"
        out.append(_marked(f, opened, "margin-left:12px;", body))
    if actions:
        out.append("<h3>Action items</h3>")
    for team, items in sorted(actions.items(), key=lambda kv: _label(Team, kv[0])):
        out.append(f"<h4>{_e(_label(Team, team) or 'No team')}</h4>")
        for f in items:
            facts = [f"owner {f.owner}"] if f.owner else []
            facts += [f"due {f.due_date}"] if f.due_date else []
            due = (f" <span style='color:{colour('muted')}'>· {_e(' · '.join(facts))}</span>"
                   if facts else "")
            out.append(_marked(f, opened, "margin-left:12px;",
                               f"{_status(f.status)}&nbsp; {_e(f.text)}{due}"))
    return "\n".join(out)


class VisitInContext(QDialog):
    """The visit a finding came from, read-only. Esc closes; F3 and Shift+F3 step through the
    list it was opened from, when there is one."""

    def __init__(self, lens: ArchiveWorkspace, finding: Finding, parent: QWidget | None = None,
                 step: Step | None = None) -> None:
        super().__init__(parent)
        self.lens = lens
        self.step = step
        self.finding = finding
        self.findings: list[Finding] = []
        # the visit is read on a worker; the dialog opens once it is in, never empty
        self.reader = LensReader(lens, self)
        self.finished.connect(lambda _=0: self.reader.close())
        self.resize(900, 680)
        apply_readable_style(self)
        # who and when stay in sight however far down the visit the finding is
        self.heading = text_label("", "font-weight: 600;")
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.document().setDefaultStyleSheet("h2 { margin-bottom: 2px; }")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.browser, 1)
        if step is not None:
            self.previous_button = QPushButton("◀ Previous hit")
            self.next_button = QPushButton("Next hit ▶")
            self.previous_button.setToolTip("Previous hit in the list (Shift+F3)")
            self.next_button.setToolTip("Next hit in the list (F3)")
            for button in (self.previous_button, self.next_button):
                button.setAutoDefault(False)
            self.previous_button.clicked.connect(lambda: self.go(-1))
            self.next_button.clicked.connect(lambda: self.go(1))
            buttons.addButton(self.previous_button, QDialogButtonBox.ButtonRole.ActionRole)
            buttons.addButton(self.next_button, QDialogButtonBox.ButtonRole.ActionRole)
            QShortcut(NEXT_HIT, self, lambda: self.go(1))
            QShortcut(PREVIOUS_HIT, self, lambda: self.go(-1))
            layout.addWidget(text_label("F3 next hit · Shift+F3 previous hit · Esc closes",
                                        HINT_STYLE))
        layout.addWidget(buttons)
        self.show_finding(finding)

    def show_finding(self, finding: Finding) -> None:
        """Show the finding's visit with it marked. A visit not shown yet is read on a worker
        first; until it arrives the dialog shows what it showed."""
        if self.findings and self.findings[0].visit_id == finding.visit_id:
            self._show(finding, self.findings)
            return
        self.reader.ask(lambda lens: lens.find(FindingFilter(visit_id=finding.visit_id),
                                               FindingOrder.OLDEST, 0, VISIT_LIMIT),
                        lambda found: self._show(finding, found))

    def _show(self, finding: Finding, findings: list[Finding]) -> None:
        self.findings = findings
        self.finding = finding
        self.setWindowTitle(f"{finding.account}, {finding.visit_date} — visit in context")
        self.heading.setText(" · ".join(x for x in (
            finding.account, finding.visit_date, finding.vertical,
            _label(LifecycleStage, finding.stage)) if x)
            + ("" if finding.in_icp else " · outside the ideal customer profile"))
        self.browser.setHtml(visit_html(self.findings, finding.item_id))
        if self.wants_open and not self.isVisible():
            self.open()
            self.browser.setFocus()
        self.scroll_to_opened()
        # the document lays itself out for the widget's width only once shown
        QTimer.singleShot(0, self, self.scroll_to_opened)

    def scroll_to_opened(self) -> None:
        self.browser.scrollToAnchor(_anchor(self.finding.item_id))
        # a little above the finding too, so its question and what led to it show
        bar = self.browser.verticalScrollBar()
        if bar.value() > 0:
            bar.setValue(bar.value() - self.browser.viewport().height() // 4)

    wants_open = False

    def open_when_read(self) -> None:
        """Open (window-modal) as soon as the visit is read: at once if it is."""
        self.wants_open = True
        if self.findings and not self.isVisible():
            self.open()
            self.browser.setFocus()

    def go(self, delta: int) -> bool:
        found = self.step(delta) if self.step else None
        if found is None:
            return False
        self.show_finding(found)
        return True


def show_visit(parent: QWidget | None, lens: ArchiveWorkspace, finding: Finding,
               step: Step | None = None) -> VisitInContext:
    """Open the finding's visit in context over `parent`; it deletes itself when closed."""
    dialog = VisitInContext(lens, finding, parent, step)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open_when_read()
    return dialog
