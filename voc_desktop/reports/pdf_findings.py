"""The findings of a visit as PDF flowables: bucket by bucket, each answer with its
why-ladder, quotes, observations and photos."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from io import BytesIO

from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Flowable, Image, KeepTogether, Spacer

from voc_desktop.domain.visit import EntryKind
from voc_desktop.reports.content import (
    BucketFindings,
    LadderStep,
    Note,
    QuestionFinding,
    SectionFindings,
)
from voc_desktop.reports.pdf_fonts import TextMarkup
from voc_desktop.reports.pdf_style import (
    ACCENT_HEX,
    QUESTION_ROOM,
    TEXT_WIDTH,
    Heading,
    ScriptParagraph,
    Styles,
    heading,
    lines,
    small,
)

PHOTO_MAX_WIDTH = 12 * cm
PHOTO_MAX_HEIGHT = 9 * cm
TIERS_INTRO = "Beyond the customer: the industry and the customer's customers."


class Findings:
    """Builds the flowables of the findings, sharing the document's markup and styles."""

    def __init__(self, mark: TextMarkup, st: Styles) -> None:
        self.mark = mark
        self.st = st

    def buckets(self, buckets: Iterable[BucketFindings], other_notes: tuple[Note, ...],
                step: Callable[[int, BucketFindings], None]) -> list[Flowable]:
        """All buckets in order, then the notes tied to no question; `step(n, bucket)` is
        called after the n-th bucket."""
        out: list[Flowable] = []
        tiers_introduced = False
        for done, bucket in enumerate(buckets, 1):
            intro: list[Flowable] = []
            if bucket.bucket.is_tier and not tiers_introduced:
                intro = [ScriptParagraph(self.mark(TIERS_INTRO), self.st.tiers)]
                tiers_introduced = True
            out += self.bucket(bucket, intro)
            step(done, bucket)
        if other_notes:
            out += heading(self.mark, "Notes not tied to a question", self.st.h2)
            for note in other_notes:
                out += self.note(note)
        return out

    def bucket(self, bucket: BucketFindings, intro: list[Flowable]) -> list[Flowable]:
        st, mark = self.st, self.mark
        out = heading(mark, bucket.heading, st.h2, intro)
        out.append(ScriptParagraph(mark(bucket.bucket.description), st.small_italic))
        if not bucket.answered:
            out.append(ScriptParagraph(mark(bucket.empty_note), st.empty))
            for section in bucket.sections:
                out += self.unanswered(section)
            return out
        for section in bucket.sections:
            answered = [q for q in section.questions if q.has_content]
            rest = self.unanswered(section)
            if not answered and not rest:
                continue
            if title := section.heading_under(bucket):
                out += heading(mark, title, st.h3)
            for q in answered:
                out += self.question(q)
            out += rest
        return out

    def unanswered(self, section: SectionFindings) -> list[Flowable]:
        """One small line per kind: "Skipped: 3.1, 3.2", "Not asked: 3.3"."""
        out: list[Flowable] = []
        for state, label in (("skipped", "Skipped"), ("not asked", "Not asked")):
            numbers = [q.number for q in section.questions
                       if q.state == state and not q.has_content]
            if numbers:
                out.append(ScriptParagraph(f"{label}: {', '.join(numbers)}", self.st.small))
        return out

    def question(self, q: QuestionFinding) -> list[Flowable]:
        st, mark = self.st, self.mark
        out: list[Flowable] = [
            CondPageBreak(QUESTION_ROOM),
            Heading(f"{mark(q.number)}&nbsp;&nbsp;{mark(q.question)}", st.question,
                    f"{q.number} {q.question}")]
        if q.answer:
            out += lines(mark, q.answer, st.body, tail=self.by(q.said_by, q.stamp))
        out += self.tags(q.tags)
        if q.key_point:
            out.append(ScriptParagraph(f"Read back as key learning {q.key_point}", st.small))
        out += self.ladder(q.ladder)
        for note in q.notes:
            out += self.note(note)
        return out

    def by(self, said_by: str, stamp: str) -> str:
        """Who said it (when someone was named) and the time into the visit, small."""
        parts = [f"\u2014 {said_by}"] if said_by else []
        parts += [stamp] if stamp else []
        return f"&nbsp;&nbsp;{small(self.mark('  '.join(parts)))}" if parts else ""

    def tags(self, tags: tuple[str, ...]) -> list[Flowable]:
        if not tags:
            return []
        return [ScriptParagraph("Tags: " + self.mark(", ".join(tags)), self.st.small)]

    def ladder(self, steps: tuple[LadderStep, ...], indent: float = 0) -> list[Flowable]:
        out: list[Flowable] = []
        for s in steps:
            label = "Why?" if s.depth == 1 else f"Why? (level {s.depth})"
            out += lines(self.mark, s.text, self.st.ladder(s.depth, indent),
                         head=f'<font color="{ACCENT_HEX}"><b>{label}</b></font> ',
                         tail=self.by(s.said_by, s.stamp))
        return out

    def note(self, note: Note) -> list[Flowable]:
        st, mark = self.st, self.mark
        stamp = f"&nbsp;&nbsp;{small(mark(note.stamp))}" if note.stamp else ""
        out: list[Flowable]
        indent = 0.0
        if note.kind is EntryKind.QUOTE:
            out = [*lines(mark, note.text, st.quote, head="\u201c", tail="\u201d"),
                   ScriptParagraph(f"\u2014 {mark(note.speaker)}{stamp}", st.quote_by)]
            indent = 0.8 * cm
        elif note.kind is EntryKind.ATTACHMENT and note.picture is not None:
            out = [self.photo(note, stamp)]
        elif note.kind is EntryKind.ATTACHMENT:
            head = f"<b>Attached file:</b> {mark(note.file_name)}"
            if note.text and note.text != note.file_name:
                out = lines(mark, note.text, st.body, head=f"{head} \u2014 ", tail=stamp)
            else:
                out = [ScriptParagraph(head + stamp, st.body)]
        else:
            out = lines(mark, note.text, st.body, head=f"<b>{mark(note.heading)}:</b> ",
                        tail=self.by(note.speaker, note.stamp))
        out += self.tags(note.tags)
        out += self.ladder(note.ladder, indent)
        return out

    def photo(self, note: Note, stamp: str) -> Flowable:
        """The picture at its largest within the limits, keeping its shape, with its caption
        on the same page. The JPEG or PNG bytes go in as they are."""
        picture = note.picture
        assert picture is not None
        width = min(PHOTO_MAX_WIDTH, TEXT_WIDTH, PHOTO_MAX_HEIGHT / picture.aspect)
        image = Image(BytesIO(picture.data), width=width, height=width * picture.aspect,
                      hAlign="LEFT")
        caption = lines(self.mark, note.text, self.st.caption,
                        head=f"<b>{self.mark(note.heading)}:</b> ", tail=stamp)
        return KeepTogether([Spacer(1, 4), image, *caption])

