"""The archive's pattern report and team digest as Word documents, in the visit report's
look: the same shipped template, the same styles, header and footer.

Every text comes from the content model; this module only lays it out, top to bottom in
the same order as the PDF.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import BinaryIO

from docx import Document
from docx.shared import Cm, Emu

from voc_desktop.domain.visit import SummaryStatus
from voc_desktop.reports import archive_report as ar
from voc_desktop.reports.archive_chart import alt_text, chart_png
from voc_desktop.reports.archive_report import (
    ActionLine,
    Evidence,
    LearningLine,
    PatternReport,
    TeamDigest,
    ThemeLine,
)
from voc_desktop.reports.content import LANGUAGE
from voc_desktop.reports.docx import STATUS_STYLES, page_frame, shipped_template
from voc_desktop.reports.docx_parts import Ticker, Writer

Progress = Callable[[int, str], None]
CHART_MAX_HEIGHT = Cm(16)
GENERATED = "Report generated on {} with VOC Desktop."


def write_pattern_docx(report: PatternReport, out: BinaryIO,
                       progress: Progress = lambda percent, what: None, *,
                       template: bytes | None = None) -> list[str]:
    """Write the pattern report as DOCX to `out`; `template` replaces the shipped one.
    Returns warnings for the person, usually none."""
    progress(30, "Starting the Word document")
    w = _start(template, report.title, report.header, "Pattern report", report.confidential,
               subject=f"Pattern report: {report.header}", category="Pattern report")
    title_block(w, report.title, report.scope, report.count_rows, report.notes)
    ticker = Ticker(progress, 35, 85, len(report.themes) + 3)
    w.para("Heading 1", "Top themes")
    if report.themes:
        chart(w, report)
    else:
        w.para("Subtle Note", ar.NO_THEMES)
    ticker.tick("Drew the chart")
    read_back(w, report)
    ticker.tick("Wrote the read-back")
    w.para("Heading 1", "Open action items")
    if not any(items for _, items in report.open_actions):
        w.para("Subtle Note", ar.NO_OPEN_ACTIONS)
    for team, items in report.open_actions:
        if items:
            w.para("Heading 3", team)
            action_table(w, items)
    ticker.tick("Wrote the action items")
    w.para("Heading 1", "Themes")
    if not report.themes:
        w.para("Subtle Note", ar.NO_THEMES)
    for theme in report.themes:
        theme_part(w, theme, report.group_label)
        ticker.tick(f"Wrote \u201c{theme.theme[:40]}\u201d")
    if report.confirmed:
        w.para("Heading 1", ar.EVERY_CONFIRMED)
        learning_rows(w, report.confirmed)
    return _finish(w, out, report.generated, progress)


def write_digest_docx(digest: TeamDigest, out: BinaryIO,
                      progress: Progress = lambda percent, what: None, *,
                      template: bytes | None = None) -> list[str]:
    """Write a team's digest as DOCX to `out`; returns warnings, usually none."""
    progress(30, "Starting the Word document")
    w = _start(template, digest.title, digest.header, "Team digest", digest.confidential,
               subject=f"Team digest: {digest.team}, {digest.period}", category="Team digest")
    title_block(w, digest.title, (("Period", digest.period), *digest.scope),
                digest.count_rows, digest.notes)
    ticker = Ticker(progress, 35, 85, 4)
    w.para("Heading 1", "What to act on first")
    if digest.ranking:
        w.para("Small Note", ar.RANK_NOTE)
        table = w.table("Report Table", (0.34, 0.14, 0.16, 0.12, 0.12, 0.12), ar.RANK_HEADER)
        for r in digest.ranking:
            w.row(table, r.theme or "Without a theme", f"{r.accounts:,}",
                  f"{r.confirmed_accounts:,}", f"{r.learnings:,}", f"{r.open_actions:,}",
                  f"{r.overdue:,}" if r.overdue else "")
        w.gap()
    else:
        w.para("Subtle Note", ar.NO_RANKING)
    ticker.tick("Wrote the ranking")
    w.para("Heading 1", "Open action items")
    if digest.open_actions:
        w.para("Small Note", "Oldest due first.")
        action_table(w, digest.open_by_due)
    else:
        w.para("Subtle Note", ar.NO_OPEN_ACTIONS)
    ticker.tick("Wrote the open action items")
    w.para("Heading 1", "Done")
    if digest.done_actions:
        action_table(w, digest.done_actions)
    else:
        w.para("Subtle Note", ar.NO_DONE_ACTIONS)
    ticker.tick("Wrote the done action items")
    w.para("Heading 1", "Key learnings for the team")
    if digest.learnings:
        learning_table(w, digest.learnings)
    else:
        w.para("Subtle Note", ar.NO_TEAM_LEARNINGS)
    ticker.tick("Wrote the key learnings")
    return _finish(w, out, digest.generated, progress)


def _start(template: bytes | None, title: str, header: str, kind: str, footer: str, *,
           subject: str, category: str) -> Writer:
    w = Writer(Document(io.BytesIO(template if template is not None else shipped_template())))
    props = w.doc.core_properties
    props.title, props.subject, props.category = title, subject, category
    props.keywords = "customer visits, " + category.lower()
    props.author = props.last_modified_by = "VOC Desktop"
    props.language = LANGUAGE
    props.created = props.modified = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    props.revision = 1
    page_frame(w, header, kind, footer)
    return w


def _finish(w: Writer, out: BinaryIO, generated: str, progress: Progress) -> list[str]:
    w.para("Small Note", GENERATED.format(generated))
    progress(90, "Saving the Word document")
    w.save(out)
    progress(95, "Word document written")
    return w.warnings


def title_block(w: Writer, title: str, scope: Sequence[tuple[str, str]],
                counts: Sequence[tuple[str, str]], notes: Sequence[str]) -> None:
    w.para("Title", title)
    rows = [(label, value) for label, value in scope if value] or [("Scope", "All visits")]
    table = w.table("Field Table", (0.22, 0.78))
    for i, (label, value) in enumerate([*rows, *counts]):
        cells = w.row(table, "", value, first=i == 0)
        w.cell(cells[0], label, "Table Label")
    w.gap()
    for note in notes:
        w.para("Subtle Note", note)


def chart(w: Writer, report: PatternReport) -> None:
    themes = report.chart
    data, height_cm = chart_png(themes, w.width / Cm(1))
    width = w.width
    height = Cm(height_cm)
    if height > CHART_MAX_HEIGHT:
        width, height = Emu(int(width * CHART_MAX_HEIGHT / height)), CHART_MAX_HEIGHT
    p = w.para("Figure")
    shape = p.add_run().add_picture(io.BytesIO(data), width=Emu(int(width)),
                                    height=Emu(int(height)))
    inline = shape._inline
    # no gap around the picture: LibreOffice otherwise indents it off the text edge
    for side in ("distT", "distB", "distL", "distR"):
        inline.set(side, "0")
    inline.docPr.set("descr", alt_text(themes))
    w.para("Caption", report.chart_caption)


def theme_part(w: Writer, theme: ThemeLine, group_label: str) -> None:
    w.para("Heading 2", theme.theme)
    w.para("Normal", theme.counts)
    if theme.by_group:
        breakdown(w, f"By {group_label.lower() or 'group'}", theme.by_group, "account")
    if theme.by_role:
        breakdown(w, "Said by", theme.by_role, "account")
    for ev in theme.evidence:
        evidence(w, ev)


def breakdown(w: Writer, label: str, parts: Sequence[tuple[str, int]], unit: str) -> None:
    p = w.para("Small Note")
    w.run(p, f"{label}: ", "Strong")
    w.run(p, "; ".join(f"{name} {n:,}" for name, n in parts) + f" ({unit}s)")


def evidence(w: Writer, ev: Evidence) -> None:
    text = f"\u201c{ev.text}\u201d" if ev.is_quote else ev.text
    p = w.para("Quote", text)
    p.add_run().add_break()
    w.run(p, f"\u2014 {ev.source}")


def read_back(w: Writer, report: PatternReport) -> None:
    """How customers judged what was read back to them, with each correction and
    rejection; the confirmed points themselves come at the end."""
    w.para("Heading 1", ar.READ_BACK)
    if not report.learning_counts or not report.learnings_read:
        w.para("Subtle Note", ar.NO_LEARNINGS)
    else:
        w.para("Normal", "Key learnings read back to customers at the end of their visits, "
                         "with their verdict.")
        table = w.table("Report Table", (0.7, 0.3), ("Verdict", "Key learnings"))
        for label, n in report.learning_counts:
            w.row(table, label, f"{n:,}")
        w.gap()
    if report.corrected:
        w.para("Heading 2", "Corrected")
        table = w.table("Report Table", (0.36, 0.38, 0.26),
                        ("Read back", "Customer\u2019s correction", "From"))
        for line in report.corrected:
            w.row(table, line.text, f"\u2192 {line.correction}", line.source)
        w.gap()
    if report.rejected:
        w.para("Heading 2", "Rejected")
        learning_rows(w, report.rejected)


def learning_rows(w: Writer, lines: Sequence[LearningLine]) -> None:
    table = w.table("Report Table", (0.74, 0.26), ("Key learning", "From"))
    for line in lines:
        w.row(table, line.text, line.source)
    w.gap()


def action_table(w: Writer, items: Sequence[ActionLine]) -> None:
    table = w.table("Report Table", (0.39, 0.19, 0.17, 0.25),
                    ("Action", "Owner", "Due", "From"))
    for item in items:
        cells = w.row(table, item.text, item.who_does_it, "", item.source)
        due = w.cell(cells[2], "")
        w.run(due, item.due)
        if item.status == ar.OVERDUE:
            due.add_run().add_break()
            w.run(due, "Overdue", STATUS_STYLES[SummaryStatus.REJECTED])
        elif item.status == ar.DONE:
            due.add_run().add_break()
            w.run(due, "Done", STATUS_STYLES[SummaryStatus.CONFIRMED])
    w.gap()


def learning_table(w: Writer, items: Sequence[LearningLine]) -> None:
    table = w.table("Report Table", (0.5, 0.22, 0.28),
                    ("Key learning", "Customer\u2019s verdict", "From"))
    for line in items:
        cells = w.row(table, line.text, "", line.source)
        verdict = w.cell(cells[1], "")
        w.run(verdict, line.status_label, STATUS_STYLES.get(line.status))
        if line.correction:
            w.para("Table Text", f"Correction: {line.correction}", cells[1])
    w.gap()
