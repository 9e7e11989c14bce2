"""The archive's pattern report and team digest as PDFs, in the visit report's look: the same
page, styles, running header and "Page N of M" footer, laid out top to bottom in the same
order as the Word documents.

Long lists are set as a run of short tables rather than one long one: reportlab measures a
whole table again each time it splits it over a page, which for thousands of action items
would cost minutes instead of seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import BinaryIO

from reportlab import rl_config
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from voc_desktop.reports import archive_report as ar
from voc_desktop.reports.archive_chart import pdf_chart
from voc_desktop.reports.archive_report import (
    ActionLine,
    Evidence,
    LearningLine,
    PatternReport,
    TeamDigest,
    ThemeLine,
)
from voc_desktop.reports.pdf import NumberedCanvas, ReportDocument
from voc_desktop.reports.pdf_fonts import TextMarkup
from voc_desktop.reports.pdf_style import (
    GREY_HEX,
    TEXT_WIDTH,
    VERDICT_COLOURS,
    ScriptParagraph,
    Styles,
    heading,
    lines,
    styles,
    table,
)

Progress = Callable[[int, str], None]
ROWS_PER_TABLE = 25
OVERDUE_HEX = VERDICT_COLOURS["rejected"]
DONE_HEX = VERDICT_COLOURS["confirmed"]


def write_pattern_pdf(report: PatternReport, out: BinaryIO,
                      progress: Progress = lambda percent, what: None, *,
                      system_fonts: Sequence[str] | None = None) -> list[str]:
    """Write the pattern report as PDF to `out`. Returns warnings for the person (characters
    no font could draw); `system_fonts` as for the visit report's `write_pdf`."""
    progress(30, "Laying out the PDF")
    rl_config.useA85 = 0  # binary streams, as for the visit report
    mark = TextMarkup(system_fonts)
    story = _Pattern(report, mark, styles(), progress).story()
    _build(out, story, mark, report.title, report.header, "Pattern report",
           report.confidential, f"Pattern report: {report.header}", progress)
    return mark.warnings()


def write_digest_pdf(digest: TeamDigest, out: BinaryIO,
                     progress: Progress = lambda percent, what: None, *,
                     system_fonts: Sequence[str] | None = None) -> list[str]:
    """Write a team's digest as PDF to `out`; returns warnings, usually none."""
    progress(30, "Laying out the PDF")
    rl_config.useA85 = 0
    mark = TextMarkup(system_fonts)
    story = _Digest(digest, mark, styles()).story()
    progress(40, "Making the pages")
    _build(out, story, mark, digest.title, digest.header, "Team digest", digest.confidential,
           f"Team digest: {digest.team}, {digest.period}", progress)
    return mark.warnings()


def _build(out: BinaryIO, story: list[Flowable], mark: TextMarkup, title: str, header: str,
           kind: str, footer: str, subject: str, progress: Progress) -> None:
    doc = ReportDocument(out, mark, styles(), title=title, header=header, kind=kind,
                         footer=footer, subject=subject, progress=progress, total=len(story))
    doc.build(story, canvasmaker=NumberedCanvas)
    progress(95, "PDF written")


class _Rows(Flowable):
    """A few rows of a long table: with the header row when they are the first rows or
    start a page, so every page of the table has its header, as one long table would.
    A row breaks within itself only when it is taller than a whole page."""

    def __init__(self, header: Sequence[Flowable], rows: Sequence[Sequence[Flowable]],
                 widths: Sequence[float], first: bool = False) -> None:
        super().__init__()
        self.header, self.rows, self.widths, self.first = header, rows, widths, first
        self.hAlign = "LEFT"
        self._table: Table | None = None
        self._key = (False, False)

    def _at_top(self) -> bool:
        frame = getattr(getattr(self.canv, "_doctemplate", None), "frame", None)
        return bool(getattr(frame, "_atTop", False))

    def _pick(self, split_rows: bool = False) -> Table:
        key = (self.first or self._at_top(), split_rows)
        if self._table is None or key != self._key:
            head = key[0]
            rows = [list(r) for r in self.rows]
            self._table = table([list(self.header), *rows] if head else rows, self.widths,
                                header=head, split_rows=split_rows)
            self._key = key
        return self._table

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self._pick().wrapOn(self.canv, available_width, available_height)

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        parts = self._pick().splitOn(self.canv, available_width, available_height)
        if not parts and self._at_top():  # a row taller than the page: break it after all
            return self._pick(True).splitOn(self.canv, available_width, available_height)
        if len(parts) != 2:
            return parts
        placed = len(parts[0]._cellvalues) - int(self._key[0])
        return [parts[0], _Rows(self.header, self.rows[placed:], self.widths)]

    def draw(self) -> None:
        assert self._table is not None
        self._table.drawOn(self.canv, 0, 0)


class _Parts:
    """What both documents are made of: title block, tables, notes."""

    def __init__(self, mark: TextMarkup, st: Styles) -> None:
        self.mark = mark
        self.st = st

    def p(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return ScriptParagraph(self.mark(text), style or self.st.body)

    def empty(self, text: str) -> Paragraph:
        return self.p(text, self.st.empty)

    def title_block(self, title: str, scope: Sequence[tuple[str, str]],
                    counts: Sequence[tuple[str, str]], notes: Sequence[str]) -> list[Flowable]:
        st = self.st
        rows = [(label, value) for label, value in scope if value] or [("Scope", "All visits")]
        cells = [[ScriptParagraph(f"<b>{self.mark(label)}</b>", st.cell), self.p(value, st.cell)]
                 for label, value in [*rows, *counts]]
        out: list[Flowable] = [self.p(title, st.title),
                               table(cells, [4 * cm, TEXT_WIDTH - 4 * cm], header=False,
                                     split_rows=True)]
        if notes:
            out.append(Spacer(1, 4))
        out += [ScriptParagraph(f"<i>{self.mark(n)}</i>", st.body) for n in notes]
        return out

    def rows(self, head: Sequence[str], rows: Sequence[Sequence[Flowable]],
             widths: Sequence[float]) -> list[Flowable]:
        """A long table as short ones, the first with the header row."""
        header = [self.p(h, self.st.cell_head) for h in head]
        out: list[Flowable] = [_Rows(header, rows[start:start + ROWS_PER_TABLE], widths,
                                     first=start == 0)
                               for start in range(0, len(rows), ROWS_PER_TABLE)]
        out.append(Spacer(1, 6))
        return out

    def actions(self, items: Sequence[ActionLine]) -> list[Flowable]:
        st = self.st
        rows = [[self.p(a.text, st.cell), self.p(a.who_does_it, st.cell),
                 ScriptParagraph(self.due(a), st.cell), self.p(a.source, st.cell)]
                for a in items]
        return self.rows(("Action", "Owner", "Due", "From"), rows,
                         [TEXT_WIDTH * w for w in (0.39, 0.19, 0.17, 0.25)])

    def due(self, a: ActionLine) -> str:
        text = self.mark(a.due)
        if a.status == ar.OVERDUE:
            text += f'<br/><font color="{OVERDUE_HEX}"><b>Overdue</b></font>'
        elif a.status == ar.DONE:
            text += f'<br/><font color="{DONE_HEX}"><b>Done</b></font>'
        return text

    def verdict(self, line: LearningLine) -> str:
        colour = VERDICT_COLOURS.get(line.status.value, "#000000")
        text = f'<font color="{colour}"><b>{self.mark(line.status_label)}</b></font>'
        if line.correction:
            text += f"<br/>Correction: {self.mark(line.correction)}"
        return text

    def generated(self, when: str) -> list[Flowable]:
        return [Spacer(1, 0.8 * cm),
                self.p(f"Report generated on {when} with VOC Desktop.", self.st.small)]


class _Pattern(_Parts):
    def __init__(self, report: PatternReport, mark: TextMarkup, st: Styles,
                 progress: Progress) -> None:
        super().__init__(mark, st)
        self.r = report
        self.progress = progress

    def story(self) -> list[Flowable]:
        r, st = self.r, self.st
        out = self.title_block(r.title, r.scope, r.count_rows, r.notes)
        out += heading(self.mark, "Top themes", st.h1)
        if r.themes:
            out += [Spacer(1, 4), pdf_chart(r.chart, self.mark, st), Spacer(1, 4),
                    self.p(r.chart_caption, st.caption)]
        else:
            out.append(self.empty(ar.NO_THEMES))
        out += self.read_back()
        out += heading(self.mark, "Open action items", st.h1)
        if not any(items for _, items in r.open_actions):
            out.append(self.empty(ar.NO_OPEN_ACTIONS))
        for team, items in r.open_actions:
            if items:
                out += heading(self.mark, team, st.h3)
                out += self.actions(items)
        out += heading(self.mark, "Themes", st.h1)
        if not r.themes:
            out.append(self.empty(ar.NO_THEMES))
        count = max(1, len(r.themes))
        for done, theme in enumerate(r.themes, 1):
            out += self.theme(theme)
            if done % 25 == 0:
                self.progress(30 + 8 * done // count, "Laying out the themes")
        if r.confirmed:
            out += heading(self.mark, ar.EVERY_CONFIRMED, st.h1)
            out += self.learning_rows(r.confirmed)
        out += self.generated(r.generated)
        self.progress(40, "Making the pages")
        return out

    def theme(self, theme: ThemeLine) -> list[Flowable]:
        st = self.st
        out = heading(self.mark, theme.theme, st.h2, room=3.2 * cm)
        out.append(self.p(theme.counts))
        group = self.r.group_label.lower() or "group"
        for label, parts, unit in ((f"By {group}", theme.by_group, "accounts"),
                                   ("Said by", theme.by_role, "accounts")):
            if parts:
                text = "; ".join(f"{self.mark(name)} {n:,}" for name, n in parts)
                out.append(ScriptParagraph(f"<b>{self.mark(label)}:</b> {text} ({unit})", st.small))
        for ev in theme.evidence:
            out += self.evidence(ev)
        return out

    def evidence(self, ev: Evidence) -> list[Flowable]:
        st = self.st
        head, tail = ("\u201c", "\u201d") if ev.is_quote else ("", "")
        return [*lines(self.mark, ev.text, st.quote, head=head, tail=tail),
                ScriptParagraph(f"\u2014 {self.mark(ev.source)}", st.quote_by)]

    def read_back(self) -> list[Flowable]:
        """How customers judged what was read back to them, with each correction and
        rejection; the confirmed points themselves come at the end."""
        r, st = self.r, self.st
        out = heading(self.mark, ar.READ_BACK, st.h1)
        if not r.learning_counts or not r.learnings_read:
            out.append(self.empty(ar.NO_LEARNINGS))
        else:
            out.append(self.p("Key learnings read back to customers at the end of their "
                              "visits, with their verdict."))
            rows = [[self.p(label, st.cell), self.p(f"{n:,}", st.cell)]
                    for label, n in r.learning_counts]
            out += self.rows(("Verdict", "Key learnings"), rows,
                             [TEXT_WIDTH * 0.7, TEXT_WIDTH * 0.3])
        if r.corrected:
            out += heading(self.mark, "Corrected", st.h2)
            rows = [[self.p(x.text, st.cell), self.p(f"\u2192 {x.correction}", st.cell),
                     self.p(x.source, st.cell)] for x in r.corrected]
            out += self.rows(("Read back", "Customer\u2019s correction", "From"), rows,
                             [TEXT_WIDTH * 0.36, TEXT_WIDTH * 0.38, TEXT_WIDTH * 0.26])
        if r.rejected:
            out += heading(self.mark, "Rejected", st.h2)
            out += self.learning_rows(r.rejected)
        return out

    def learning_rows(self, items: Sequence[LearningLine]) -> list[Flowable]:
        st = self.st
        rows = [[self.p(x.text, st.cell), self.p(x.source, st.cell)] for x in items]
        return self.rows(("Key learning", "From"), rows, [TEXT_WIDTH * 0.74, TEXT_WIDTH * 0.26])


class _Digest(_Parts):
    def __init__(self, digest: TeamDigest, mark: TextMarkup, st: Styles) -> None:
        super().__init__(mark, st)
        self.d = digest

    def story(self) -> list[Flowable]:
        d, st = self.d, self.st
        out = self.title_block(d.title, (("Period", d.period), *d.scope), d.count_rows,
                               d.notes)
        out += heading(self.mark, "What to act on first", st.h1)
        if d.ranking:
            out.append(Paragraph(f'<font color="{GREY_HEX}">{self.mark(ar.RANK_NOTE)}</font>',
                                 st.small))
            rows = [[self.p(r.theme or "Without a theme", st.cell),
                     *(self.p(v, st.cell) for v in (
                         f"{r.accounts:,}", f"{r.confirmed_accounts:,}", f"{r.learnings:,}",
                         f"{r.open_actions:,}", f"{r.overdue:,}" if r.overdue else ""))]
                    for r in d.ranking]
            out += self.rows(ar.RANK_HEADER, rows, [TEXT_WIDTH * w for w in (
                0.3, 0.15, 0.16, 0.13, 0.13, 0.13)])
        else:
            out.append(self.empty(ar.NO_RANKING))
        out += heading(self.mark, "Open action items", st.h1)
        if d.open_actions:
            out.append(ScriptParagraph(f'<font color="{GREY_HEX}">Oldest due first.</font>',
                                 st.small))
            out += self.actions(d.open_by_due)
        else:
            out.append(self.empty(ar.NO_OPEN_ACTIONS))
        out += heading(self.mark, "Done", st.h1)
        out += self.actions(d.done_actions) if d.done_actions else [
            self.empty(ar.NO_DONE_ACTIONS)]
        out += heading(self.mark, "Key learnings for the team", st.h1)
        if d.learnings:
            rows = [[self.p(x.text, st.cell), ScriptParagraph(self.verdict(x), st.cell),
                     self.p(x.source, st.cell)] for x in d.learnings]
            out += self.rows(("Key learning", "Customer\u2019s verdict", "From"), rows,
                             [TEXT_WIDTH * 0.5, TEXT_WIDTH * 0.22, TEXT_WIDTH * 0.28])
        else:
            out.append(self.empty(ar.NO_TEAM_LEARNINGS))
        out += self.generated(d.generated)
        return out

