"""The whole of the finding chosen in a list: the words as the customer put them, who said
them, what kind of note it is and what the customer said when it was read back.

A list row holds two lines; a reader deciding whether a pattern is real needs the rest, so
Search, the evidence behind a pattern and Routing each show the chosen row here in full."""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QTextBrowser, QWidget

from voc_desktop.domain.findings import Finding, FindingKind, status_label
from voc_desktop.domain.visit import Team
from voc_desktop.ui.archive.finding_list import FindingTable
from voc_desktop.ui.common.theme import colour, looks

EMPTY = "Choose a row to read the whole of it here."


def facts_line(f: Finding) -> str:
    """'Answer · said by the room · read back: Corrected', in the app's words."""
    parts = [f.kind_label]
    if f.who:
        parts.append(f"said by {f.who}" if f.speaker else f"said by {f.who.lower()}")
    if f.kind == FindingKind.ACTION:
        if f.status:
            parts.append(status_label(f.status))
        if f.due_date:
            late = " (overdue)" if f.overdue(date.today().isoformat()) else ""
            parts.append(f"due {f.due_date}{late}")
    elif f.status:
        parts.append(f"read back: {status_label(f.status)}")
    if f.team:
        try:
            parts.append(f"for {Team(f.team).label}")
        except ValueError:
            parts.append(f"for {f.team}")
    if f.owner:
        parts.append(f"owner {f.owner}")
    return " · ".join(parts)


def detail_html(f: Finding) -> str:
    """The finding in full as HTML: facts, the words (the customer's own first when they
    corrected what was read back), the question, the visit and the themes."""
    e = html.escape
    muted = colour("muted")
    out = [f"<p style='margin:0'><b>{e(facts_line(f))}</b></p>"]
    if f.detail:
        out.append(f"<p style='margin:4px 0 0 0'>In the customer's words: {e(f.detail)}</p>")
        out.append(f"<p style='margin:2px 0 0 0; color:{muted}'>Read back as: {e(f.text)}</p>")
    else:
        out.append(f"<p style='margin:4px 0 0 0'>{e(f.text)}</p>")
    if f.question:
        out.append(f"<p style='margin:4px 0 0 0; color:{muted}'>Question: {e(f.question)}</p>")
    where = ", ".join(x for x in (f.account, f.vertical, f.visit_date) if x)
    themes = f" · themes: {e(', '.join(f.tags))}" if f.tags else ""
    out.append(f"<p style='margin:4px 0 0 0; color:{muted}'>{e(where)}{themes}</p>")
    return "".join(out)


class FindingDetail(QTextBrowser):
    """A read-only pane with the whole of one finding; Tab moves on, as in a form."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setTabChangesFocus(True)
        self.setPlaceholderText(EMPTY)
        self.setAccessibleName("The chosen row in full")
        self.finding: Finding | None = None
        looks().changed.connect(self._theme_changed)

    def show_finding(self, f: Finding | None) -> None:
        self.finding = f
        if f is None:
            self.clear()
        else:
            self.setHtml(detail_html(f))

    def _theme_changed(self, _theme: object) -> None:
        # the words carry the theme's colours: written again in the new ones
        self.show_finding(self.finding)


def follow(table: FindingTable, detail: FindingDetail) -> None:
    """Keep `detail` showing the table's current row."""
    table.finding_chosen.connect(detail.show_finding)


def list_with_detail(table: FindingTable, lines: int = 4) -> tuple[QSplitter, FindingDetail]:
    """The list above, the chosen row in full below (about `lines` lines high, and the
    divider can be dragged)."""
    detail = FindingDetail()
    follow(table, detail)
    splitter = QSplitter(Qt.Orientation.Vertical)
    splitter.addWidget(table)
    splitter.addWidget(detail)
    splitter.setStretchFactor(0, 1)
    splitter.setStretchFactor(1, 0)
    # the lines, the margins between the paragraphs and the frame
    height = detail.fontMetrics().lineSpacing() * lines + 32
    splitter.setSizes([max(table.sizeHint().height(), 4 * height), height])
    splitter.setCollapsible(0, False)
    return splitter, detail
