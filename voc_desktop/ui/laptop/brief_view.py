"""The pre-visit brief on screen: what earlier visits learned, what is still open, and who
was met or never met, so each contact builds on the last. The same content prints to PDF."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from voc_desktop.domain.visit import SummaryStatus
from voc_desktop.reports.brief import VisitBrief
from voc_desktop.ui.common.look import HINT_STYLE, heading_label, text_label
from voc_desktop.ui.common.theme import colour

VERDICT_COLOURS = {SummaryStatus.CONFIRMED: "success", SummaryStatus.CORRECTED: "warning",
                   SummaryStatus.REJECTED: "error", SummaryStatus.PENDING: "muted"}


def _list(lines: list[str]) -> QLabel:
    items = "".join(f"<li style='margin-bottom:4px'>{line}</li>" for line in lines)
    return text_label(f"<ul style='margin-left:-20px'>{items}</ul>", rich=True)


def _grey(text: str) -> str:
    return f"<span style='color:{colour('muted')}'>{escape(text)}</span>"


def _facts(*facts: str) -> str:
    """' owner Maria (product), due 3 May 2030' in grey after an item, without what is
    not known."""
    known = ", ".join(f for f in facts if f)
    return " " + _grey(known) if known else ""


class BriefView(QWidget):
    """Shows one brief; `sections` names the headings shown, for tests and for the eye."""

    def __init__(self, brief: VisitBrief, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sections: list[str] = []
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(10)
        self._learned(brief)
        self._open(brief)
        self._people(brief)

    def _section(self, title: str) -> None:
        self.sections.append(title)
        self.layout_.addSpacing(6)
        self.layout_.addWidget(heading_label(title, "$heading"))

    def _note(self, text: str) -> None:
        if text:
            self.layout_.addWidget(text_label(text, HINT_STYLE))

    def _learned(self, b: VisitBrief) -> None:
        self._section("What earlier visits learned")
        for visit in b.earlier:
            self.layout_.addWidget(text_label(
                f"<b>{escape(visit.date)}</b> — {escape(visit.objective)}<br>"
                f"{_grey('Met: ' + visit.met)}", rich=True))
            points = []
            for p in visit.points:
                hue = colour(VERDICT_COLOURS[p.status])
                line = (f"{escape(p.text)} <span style='color:{hue}; font-weight:600'>"
                        f"{escape(p.verdict)}</span>")
                if p.read_back:
                    line += "<br>" + _grey(f"We had read back: {p.read_back}")
                points.append(line)
            if points:
                self.layout_.addWidget(_list(points))
            self._note(visit.note)
        self._note(b.history_note)

    def _open(self, b: VisitBrief) -> None:
        self._section("Still open")
        if b.questions:
            self.layout_.addWidget(text_label("<b>Questions left open last time</b>",
                                              rich=True))
            self.layout_.addWidget(_list([f"{escape(q.text)} {_grey(q.state)}"
                                          for q in b.questions]))
        self._note(b.questions_note)
        if b.actions:
            self.layout_.addWidget(text_label("<b>Open action items</b>", rich=True))
        for team in b.actions:
            self.layout_.addWidget(text_label(escape(team.team), HINT_STYLE))
            self.layout_.addWidget(_list([
                escape(a.text) + (f" <span style='color:{colour('error')}; font-weight:600'>overdue"
                                  "</span>" if a.overdue else "")
                + _facts(f"owner {a.owner}" if a.owner else "", f"due {a.due}" if a.due else "")
                for a in team.items]))
        self._note(b.actions_note)

    def _people(self, b: VisitBrief) -> None:
        self._section("Who we have met, and who never")
        gaps = [g for g in b.gaps if not g.covered] or list(b.gaps)
        if gaps:
            self.layout_.addWidget(_list([f"<b>{escape(g.text)}</b>" for g in gaps]))
        self._note(b.gaps_note)
        if b.people:
            self.layout_.addWidget(_list([
                f"{escape(p.name) if p.named else '<i>' + escape(p.name) + '</i>'}"
                f"{' — ' + escape(p.title) if p.title else ''}, {escape(p.roles)} "
                + _grey(f"{p.visits} visit{'s' if p.visits != 1 else ''}, last {p.last_met}")
                for p in b.people]))
        self._note(b.people_note)
