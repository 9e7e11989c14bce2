"""What the archive workspace finds: the searchable pieces of all visits, and how to ask.

A *finding* is one thing learned at a visit that a research lead may look for: an answer, a
why-probe, a quote, an observation, a key learning or an action item. Each carries what it
is filtered by (account, vertical, segment, stage, date, roles present, bucket, tags,
read-back status, owner team). Themes are the interviewers' free tags, compared without
regard to case or spacing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from voc_desktop.domain.accounts import Role
from voc_desktop.domain.guide import Bucket
from voc_desktop.domain.visit import ROOM, ActionStatus, SummaryStatus, Team


class FindingKind(StrEnum):
    ANSWER = "answer"
    PROBE = "probe"
    QUOTE = "quote"
    OBSERVATION = "observation"
    ATTACHMENT = "attachment"
    LEARNING = "learning"
    ACTION = "action"

    @property
    def label(self) -> str:
        return {"probe": "Why?", "learning": "Key learning",
                "action": "Action item"}.get(self.value, self.value.capitalize())


# Evidence for a theme: what customers said and what was seen (notes and photos), quotes
# first. Every tagged finding is one of these, so every theme has evidence behind it.
# What the customer agreed to at the read-back: as read back, or corrected in their words.
CONFIRMED_STATUSES = (SummaryStatus.CONFIRMED.value, SummaryStatus.CORRECTED.value)
EVIDENCE_KINDS = (FindingKind.QUOTE, FindingKind.ANSWER, FindingKind.PROBE,
                  FindingKind.OBSERVATION, FindingKind.ATTACHMENT)

# Where a key learning goes when it is routed: the team that acts on that part of the
# customer's world. Action items name their own team.
TEAM_FOR_BUCKET: dict[Bucket, Team] = {
    Bucket.OPERATIONS: Team.PRODUCT,
    Bucket.BUYING: Team.SALES,
    Bucket.USAGE: Team.PRODUCT,
    Bucket.COMPETITION: Team.MARKETING,
    Bucket.INDUSTRY: Team.EXECUTIVE,
    Bucket.END_CUSTOMER: Team.EXECUTIVE,
}


# Where roles are counted, what stands for a note no one was named as saying: the room.
ROOM_ROLE = "room"


def team_for_bucket(bucket: str | None) -> str:
    """The team a learning from this bucket is routed to; '' when the bucket is unknown."""
    try:
        return TEAM_FOR_BUCKET[Bucket(bucket or "")].value
    except ValueError:
        return ""


def theme_key(tag: str) -> str:
    """A tag as themes compare it: 'Line  3' and 'line 3' are one theme."""
    return " ".join(str(tag).split()).casefold()


class FindingOrder(StrEnum):
    RELEVANCE = "relevance"  # best match first; newest first without a search text
    NEWEST = "newest"
    OLDEST = "oldest"
    ACCOUNT = "account"
    KIND = "kind"
    TEAM = "team"
    DUE = "due"


class PatternGroup(StrEnum):
    """What the pattern table compares themes across."""
    VERTICAL = "vertical"
    SEGMENT = "segment"
    ROLE = "role"
    STAGE = "stage"

    @property
    def label(self) -> str:
        return {"stage": "Lifecycle stage", "role": "Said by"}.get(self.value,
                                                                  self.value.capitalize())


@dataclass(frozen=True)
class FindingFilter:
    """A search: words to find (may be empty) and the filters, each a set of allowed values
    (empty allows all). Dates are ISO `YYYY-MM-DD`, both ends included."""

    query: str = ""
    verticals: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    buckets: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()  # account ids
    interviewers: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()  # read-back status of a learning, or open/done of an action
    kinds: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()
    question_key: str = ""
    visit_id: str = ""
    date_from: str = ""
    date_to: str = ""
    include_outside_icp: bool = True
    # visits at which every one of these roles said something (about the question, when
    # one is chosen): who said it, not who was in the room
    spoke: tuple[str, ...] = ()
    # who said it: roles, or ROOM_ROLE for what no one was named for (roles above are who
    # was in the room)
    said_by: tuple[str, ...] = ()

    def describe(self) -> list[tuple[str, str]]:
        """The filter as (label, value) lines for a report's title block or a list heading."""
        lines: list[tuple[str, str]] = []
        if self.query.strip():
            lines.append(("Words", self.query.strip()))
        for label, values in (("Vertical", self.verticals), ("Segment", self.segments),
                              ("Lifecycle stage", [v.replace("_", " ") for v in self.stages]),
                              ("In the room", [v.replace("_", " ") for v in self.roles]),
                              ("Said by", [said_by_label(v) for v in self.said_by]),
                              ("Bucket", [_bucket_label(b) for b in self.buckets]),
                              ("Theme", self.tags), ("Interviewer", self.interviewers),
                              ("Spoke", [v.replace("_", " ") for v in self.spoke]),
                              ("Status", [status_label(v) for v in self.statuses]),
                              ("Kind", self.kinds),
                              ("Team", [_team_label(t) for t in self.teams])):
            if values:
                lines.append((label, ", ".join(values)))
        if self.date_from or self.date_to:
            lines.append(("Period", f"{self.date_from or 'the first visit'} to "
                                    f"{self.date_to or 'today'}"))
        if not self.include_outside_icp:
            lines.append(("Profile", "Accounts inside the ideal customer profile only"))
        return lines


def status_label(value: str) -> str:
    """A read-back verdict or an action's status in the app's words; '' stays ''."""
    for enum in (SummaryStatus, ActionStatus):
        try:
            return enum(value).label
        except ValueError:
            continue
    return value


def said_by_label(value: str) -> str:
    """A role as who said it, or the room."""
    if value == ROOM_ROLE:
        return ROOM
    try:
        return Role(value).label
    except ValueError:
        return value


def _bucket_label(value: str) -> str:
    try:
        return Bucket(value).label
    except ValueError:
        return value


def _team_label(value: str) -> str:
    try:
        return Team(value).label
    except ValueError:
        return value


@dataclass(frozen=True)
class Finding:
    """One found piece of a visit, as the archive's lists show it."""

    item_id: str
    kind: str
    visit_id: str
    account_id: str
    account: str
    vertical: str
    segment: str
    stage: str
    in_icp: bool
    visit_date: str
    interviewers: tuple[str, ...]
    roles: tuple[str, ...]
    speaker: str  # who said it, by name or role; '' for the room
    bucket: str
    question_key: str
    question: str
    tags: tuple[str, ...]
    status: str
    team: str
    due_date: str
    text: str
    detail: str  # a learning's correction
    snippet: str = ""  # the text around the match, hits between HIT_START and HIT_END
    marks: tuple[tuple[int, int], ...] = field(default=())
    said_by: tuple[str, ...] = ()  # the roles of who said it; () for the room
    owner: str = ""  # who will do an action, in free words; '' when no one is named

    @property
    def said_by_room(self) -> bool:
        return not self.speaker and not self.said_by

    @property
    def who(self) -> str:
        """Who said it, for a list or a report: the speaker, else the room; '' for what
        the interviewer wrote (learnings, actions)."""
        if self.speaker:
            return self.speaker
        return ROOM if self.kind in EVIDENCE_KINDS else ""

    def overdue(self, today: str) -> bool:
        """An open action item whose due date (ISO) has passed."""
        return (self.kind == FindingKind.ACTION and self.status == "open"
                and bool(self.due_date) and self.due_date < today)

    @property
    def kind_label(self) -> str:
        try:
            return FindingKind(self.kind).label
        except ValueError:
            return self.kind


HIT_START, HIT_END = "\x02", "\x03"


def split_snippet(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A snippet with hit markers as (plain text, [(start, end) of each hit])."""
    plain: list[str] = []
    marks: list[tuple[int, int]] = []
    at, start = 0, None
    for piece in re.split(f"([{HIT_START}{HIT_END}])", marked):
        if piece == HIT_START:
            start = at
        elif piece == HIT_END:
            if start is not None and at > start:
                marks.append((start, at))
            start = None
        else:
            plain.append(piece)
            at += len(piece)
    return "".join(plain), tuple(marks)


_TERM = re.compile(r'(-?)"([^"]*)"|(\S+)')


def fts_query(text: str) -> str:
    """A person's search words as a safe FTS5 query: every word must appear, "a phrase" in
    quotes matches as written, OR between words allows either, a leading minus excludes a
    word, and the last word also matches as a prefix while it is being typed. Returns ''
    when nothing searchable is left."""
    parts: list[str] = []
    pending_or = False
    terms = list(_TERM.finditer(text))
    for i, m in enumerate(terms):
        negate, phrase, word = m.group(1), m.group(2), m.group(3)
        if word == "OR" and parts:
            pending_or = True
            continue
        if word is not None:
            negate = "-" if word.startswith("-") and len(word) > 1 else ""
            word = word[1:] if negate else word
            tokens = re.findall(r"\w+", word)
            if not tokens:
                continue
            quoted = '"' + " ".join(tokens) + '"'
            if i == len(terms) - 1 and not negate and not text.endswith((" ", '"')):
                quoted += "*"
        else:
            tokens = re.findall(r"\w+", phrase or "")
            if not tokens:
                continue
            quoted = '"' + " ".join(tokens) + '"'
        if negate:
            if parts:
                parts.append(f"NOT {quoted}")
            continue  # a query cannot start with an exclusion
        if pending_or and parts:
            parts.append(f"OR {quoted}")
        else:
            parts.append(quoted)
        pending_or = False
    return " ".join(parts)
