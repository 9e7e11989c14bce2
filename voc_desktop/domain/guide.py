"""Interview guides: the sections and questions an interviewer works through.

A guide is immutable. Changing a guide means creating a new version with the
same ``guide_id``; a visit keeps pointing at the exact version it used, so the
answers it holds always sit next to the wording that was actually asked.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from voc_desktop.domain.accounts import Role

# Keys end up in file names, URLs of report anchors and in bundles written by
# other devices, so they stay boring: lowercase ASCII words joined by dashes.
KEY_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_KEY_LENGTH = 64


_VERSION_IDS = uuid.UUID("6f1d6c2e-8a43-4b5e-9d2a-3c7b1f0e9a55")


def is_valid_key(key: str) -> bool:
    """Return True if ``key`` is usable as a section or question key."""
    return len(key) <= MAX_KEY_LENGTH and KEY_PATTERN.fullmatch(key) is not None


class Bucket(StrEnum):
    """What part of the customer's world a section helps understand.

    The first four are the areas every programme must understand; the last two
    are the outer tiers of knowing a customer (their industry, their customer).
    Comparing answers across visits happens bucket by bucket.
    """

    OPERATIONS = "operations"
    BUYING = "buying"
    USAGE = "usage"
    COMPETITION = "competition"
    INDUSTRY = "industry"
    END_CUSTOMER = "end_customer"

    @property
    def label(self) -> str:
        """Short label for lists, filters and report headings."""
        return _LABELS[self]

    @property
    def description(self) -> str:
        """One sentence telling an interviewer what the bucket is about."""
        return _DESCRIPTIONS[self]

    @property
    def is_tier(self) -> bool:
        """True for the buckets that look beyond the immediate customer."""
        return self in (Bucket.INDUSTRY, Bucket.END_CUSTOMER)


_LABELS: dict[Bucket, str] = {
    Bucket.OPERATIONS: "How they operate",
    Bucket.BUYING: "How they buy",
    Bucket.USAGE: "How they use and value it",
    Bucket.COMPETITION: "How we compare",
    Bucket.INDUSTRY: "Their industry",
    Bucket.END_CUSTOMER: "Their customers",
}

_DESCRIPTIONS: dict[Bucket, str] = {
    Bucket.OPERATIONS: (
        "How the business runs: a day in their life, their process and the "
        "environment the work happens in."
    ),
    Bucket.BUYING: (
        "How buying decisions are made and by whom: who decides, who "
        "influences, who signs and who pays."
    ),
    Bucket.USAGE: (
        "How the product is used, or could be used, and what value the "
        "customer gets from it."
    ),
    Bucket.COMPETITION: (
        "How the product compares with competitors and with the other ways "
        "the customer could get the job done."
    ),
    Bucket.INDUSTRY: (
        "The customer's own market: their competitors, what sets them apart, "
        "trends over two and five years, and what holds back their share."
    ),
    Bucket.END_CUSTOMER: (
        "The customer's customer: who they serve, where that industry is "
        "heading, and whether the customer's roadmap follows it."
    ),
}


def _as_tuple(value: Iterable[object], what: str) -> tuple:
    # A bare string is iterable too, and would silently turn into a tuple of
    # single characters; that is always a mistake for these fields.
    if isinstance(value, str):
        raise TypeError(f"{what} must be a sequence, not a single string")
    return tuple(value)


@dataclass(frozen=True)
class Question:
    """One question of a guide, with coaching for the interviewer.

    ``roles`` names the attendees the question is meant for (a question on budgets for
    the economic buyer); empty means every attendee.
    """

    key: str
    text: str
    hint: str = ""
    probes: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()

    def __post_init__(self) -> None:
        # Accept lists from callers but store tuples, so questions stay hashable.
        object.__setattr__(self, "probes", _as_tuple(self.probes, "probes"))
        # Canonical order without repeats, so equal role sets compare equal.
        wanted = {Role(r) for r in _as_tuple(self.roles, "roles")}
        object.__setattr__(self, "roles", tuple(r for r in Role if r in wanted))

    def is_for(self, roles: Iterable[Role]) -> bool:
        """True if an attendee holding ``roles`` is among those the question is meant for."""
        return not self.roles or any(r in self.roles for r in roles)


@dataclass(frozen=True)
class Section:
    """A group of questions that serves one bucket."""

    key: str
    title: str
    bucket: Bucket
    intro: str = ""
    questions: tuple[Question, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "bucket", Bucket(self.bucket))
        object.__setattr__(self, "questions", _as_tuple(self.questions, "questions"))


@dataclass(frozen=True)
class Guide:
    """A versioned interview guide.

    ``guide_id`` stays the same across versions; ``(guide_id, version)`` names
    one exact content.
    """

    guide_id: str
    name: str
    version: int
    description: str
    sections: tuple[Section, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "sections", _as_tuple(self.sections, "sections"))
        if isinstance(self.version, bool) or not isinstance(self.version, int):
            raise TypeError("version must be an integer")
        if self.version < 1:
            raise ValueError(f"version must be 1 or more, got {self.version}")
        # Lookups by key are how visits refer to questions, so a duplicate would
        # make an answer point at two questions at once.
        _check_unique((s.key for s in self.sections), "section")
        _check_unique((q.key for _, q in self.questions()), "question")

    def questions(self) -> list[tuple[Section, Question]]:
        """All questions in interview order, each with its section."""
        return [(section, q) for section in self.sections for q in section.questions]

    @cached_property
    def _by_question_key(self) -> dict[str, tuple[Section, Question]]:
        return {q.key: (section, q) for section, q in self.questions()}

    def question(self, key: str) -> Question:
        """The question with ``key``; KeyError if the guide has none."""
        return self._by_question_key[key][1]

    def section_of(self, question_key: str) -> Section:
        """The section holding the question ``question_key``; KeyError if unknown."""
        return self._by_question_key[question_key][0]

    def section(self, key: str) -> Section:
        """The section with ``key``; KeyError if the guide has none."""
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    def sections_in(self, bucket: Bucket) -> list[Section]:
        """Sections serving ``bucket``, in guide order."""
        return [s for s in self.sections if s.bucket is bucket]

    @property
    def question_count(self) -> int:
        """Number of questions across all sections."""
        return sum(len(s.questions) for s in self.sections)

    def covered_buckets(self) -> set[Bucket]:
        """Buckets that at least one section with questions serves."""
        return {s.bucket for s in self.sections if s.questions}

    def content_equal(self, other: Guide) -> bool:
        """True if both guides ask the same things, whatever their versions.

        Used on import: a file whose content matches a stored version adds
        nothing, even if its version number differs.
        """
        return (
            self.name == other.name
            and self.description == other.description
            and self.sections == other.sections
        )

    @property
    def version_id(self) -> str:
        """The same id for the same guide version on every laptop and in the archive, so
        visits that used it line up wherever they travel."""
        return str(uuid.uuid5(_VERSION_IDS, f"{self.guide_id}:{self.version}"))

    @property
    def uses_roles(self) -> bool:
        """True if any question is meant for some roles only."""
        return any(q.roles for _, q in self.questions())

    def with_version(self, version: int) -> Guide:
        """A copy of this guide carrying ``version``."""
        return dataclasses.replace(self, version=version)


def _check_unique(keys: Iterable[str], what: str) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise ValueError(f"duplicate {what} key {key!r}")
        seen.add(key)
