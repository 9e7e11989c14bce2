"""Editing guides: new guides, copies, and saving edits as new versions.

A stored guide version is never changed: visits point at the exact wording they were
run with. Saving changed content therefore always adds the next version of the same
guide; saving unchanged content adds nothing.
"""

from __future__ import annotations

import logging
import re
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from voc_desktop.domain.accounts import Role
from voc_desktop.domain.guide import MAX_KEY_LENGTH, Bucket, Guide, Question, Section
from voc_desktop.domain.guide_file import (
    MAX_NAME,
    GuideFileError,
    guide_from_dict,
    guide_to_dict,
)
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.store.guides import StoredGuide

# Words that say nothing about a question; keys read better without them.
_FILLER = frozenset("a an and are do does how is of or the to what when where which who why "
                    "you your".split())
_KEY_WORDS = 4
_log = logging.getLogger(__name__)


@dataclass
class QuestionDraft:
    """A question while it is being edited; ``key`` is empty until it is first saved."""

    text: str = ""
    hint: str = ""
    probes: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    key: str = ""

    @classmethod
    def of(cls, q: Question) -> QuestionDraft:
        return cls(q.text, q.hint, list(q.probes), list(q.roles), q.key)


@dataclass
class SectionDraft:
    """A section while it is being edited."""

    title: str = ""
    bucket: Bucket = Bucket.OPERATIONS
    intro: str = ""
    questions: list[QuestionDraft] = field(default_factory=list)
    key: str = ""

    @classmethod
    def of(cls, s: Section) -> SectionDraft:
        return cls(s.title, s.bucket, s.intro, [QuestionDraft.of(q) for q in s.questions], s.key)


@dataclass
class GuideDraft:
    """A guide while it is being edited, starting from the stored ``version``."""

    guide_id: str
    name: str
    version: int
    description: str = ""
    sections: list[SectionDraft] = field(default_factory=list)

    @classmethod
    def of(cls, guide: Guide) -> GuideDraft:
        return cls(guide.guide_id, guide.name, guide.version, guide.description,
                   [SectionDraft.of(s) for s in guide.sections])


def make_key(text: str, taken: Iterable[str], fallback: str) -> str:
    """A valid key from the first telling words of ``text``, unlike any in ``taken``."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", plain)
    telling = [w for w in words if w not in _FILLER] or words
    base = "-".join(telling[:_KEY_WORDS])[:40].strip("-") or fallback
    taken = set(taken)
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key[:MAX_KEY_LENGTH]


def build_guide(draft: GuideDraft) -> Guide:
    """The guide a draft describes, with keys made for new parts; ServiceError lists what
    keeps it from being a guide, in the words of the editor."""
    problems: list[str] = []
    if not draft.name.strip():
        problems.append("The guide needs a name.")
    if not draft.sections:
        problems.append("The guide needs at least one section with a question.")
    for n, s in enumerate(draft.sections, 1):
        title = s.title.strip() or f"Section {n}"
        if not s.title.strip():
            problems.append(f"Section {n} needs a title.")
        if not s.questions:
            problems.append(f'Section "{title}" has no questions; add one or remove it.')
        for m, q in enumerate(s.questions, 1):
            if not q.text.strip():
                problems.append(f'Question {m} of "{title}" has no text.')
    if problems:
        raise ServiceError("\n".join(problems))
    section_keys = [s.key for s in draft.sections if s.key]
    question_keys = [q.key for s in draft.sections for q in s.questions if q.key]
    for label, keys in (("section", section_keys), ("question", question_keys)):
        doubles = sorted({k for k in keys if keys.count(k) > 1})
        if doubles:
            raise ServiceError(f"Two {label}s share the key {doubles[0]!r}.")
    sections = []
    for s in draft.sections:
        s_key = s.key or make_key(s.title, section_keys, "section")
        section_keys.append(s_key)
        questions = []
        for q in s.questions:
            q_key = q.key or make_key(q.text, question_keys, "question")
            question_keys.append(q_key)
            probes = tuple(p.strip() for p in q.probes if p.strip())
            questions.append(Question(q_key, q.text.strip(), q.hint.strip(), probes, q.roles))
        sections.append(Section(s_key, s.title.strip(), s.bucket, s.intro.strip(),
                                tuple(questions)))
    guide = Guide(draft.guide_id, draft.name.strip(), draft.version, draft.description.strip(),
                  tuple(sections))
    return _checked(guide)


def _checked(guide: Guide) -> Guide:
    # The file format's rules (lengths, single lines, key shapes) are the rules for every
    # stored guide, since stored versions are kept and shipped as guide files.
    try:
        return guide_from_dict(guide_to_dict(guide))
    except GuideFileError as exc:
        raise ServiceError("The guide cannot be saved:\n" + str(exc)) from exc


def _check_name(ws: Workspace, name: str, guide_id: str | None = None) -> str:
    name = name.strip()
    if not name:
        raise ServiceError("The guide needs a name.")
    if len(name) > MAX_NAME or "\n" in name:
        raise ServiceError(f"A guide name is one line of at most {MAX_NAME} characters.")
    same = ws.guides.find_by_name(name)
    if same is not None and same.guide.guide_id != guide_id:
        raise ServiceError(f"A guide called '{name}' already exists; choose another name.")
    return name


def new_guide(ws: Workspace, name: str) -> StoredGuide:
    """A new guide, version 1, with one open question to start from."""
    name = _check_name(ws, name)
    guide = Guide(str(uuid.uuid4()), name, 1, "", (
        Section("day", "A day in their work", Bucket.OPERATIONS, questions=(
            Question("day-walk-through", "Walk me through a normal day in your work."),)),
    ))
    with ws.write(["guide_versions"]):
        return ws.guides.add_version(guide.version_id, guide)


def copy_guide(ws: Workspace, version_id: str, name: str) -> StoredGuide:
    """A separate guide, version 1, with the content of the stored version ``version_id``."""
    source = ws.guides.version(version_id)
    if source is None:
        raise ServiceError("That guide version is not in this workspace.")
    name = _check_name(ws, name)
    guide = Guide(str(uuid.uuid4()), name, 1, source.guide.description, source.guide.sections)
    with ws.write(["guide_versions"]):
        return ws.guides.add_version(guide.version_id, guide)


def save_guide(ws: Workspace, guide: Guide | GuideDraft) -> StoredGuide:
    """Store edited content as the next version of its guide; unchanged content adds nothing.

    Visits keep the version they used, because no stored version is ever rewritten.
    """
    guide = build_guide(guide) if isinstance(guide, GuideDraft) else _checked(guide)
    _check_name(ws, guide.name, guide.guide_id)
    latest = ws.guides.latest(guide.guide_id)
    if latest is not None and latest.guide.content_equal(guide):
        return latest
    version = latest.guide.version + 1 if latest is not None else 1
    guide = guide.with_version(version)
    with ws.write(["guide_versions"]):
        return ws.guides.add_version(guide.version_id, guide)


@dataclass(frozen=True)
class Finding:
    """Something the guide check noticed about one question, with the reason in words."""

    question_key: str
    kind: str
    reason: str


@dataclass(frozen=True)
class GuideFindings:
    """The guide check's findings, by question, and the buckets no section covers as
    (bucket label, why it matters)."""

    questions: tuple[Finding, ...] = ()
    uncovered: tuple[tuple[str, str], ...] = ()

    def for_question(self, key: str) -> list[Finding]:
        return [f for f in self.questions if f.question_key == key]


def check_findings(guide: Guide) -> GuideFindings | None:
    """The guide check's findings for ``guide``, or None where this build has no check.

    Findings advise and never block a save, so a check that fails is logged and
    treated as having nothing to say.
    """
    try:
        from voc_desktop.domain.coaching.guide_check import check_guide
    except ImportError:
        return None
    try:
        result = check_guide(guide)
        return GuideFindings(
            tuple(Finding(q.key, f.kind.label, f.reason)
                  for q in result.questions for f in q.findings),
            tuple((gap.bucket.label, gap.reason) for gap in result.uncovered))
    except Exception:  # noqa: BLE001 - advice must never stop an edit
        _log.exception("The guide check failed")
        return None
