"""The guide file format: JSON in, JSON out, with validation people can act on.

Guide files are edited by hand and passed between teams, so every problem is
reported with the place it sits (``sections[2].questions[0].text``) and what is
wrong, and all problems found are reported at once rather than one per attempt.
The format is documented in ``docs/guide-format.md``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

from voc_desktop.domain.accounts import Role
from voc_desktop.domain.guide import MAX_KEY_LENGTH, Bucket, Guide, Question, Section, is_valid_key

FORMAT = "voc-guide"
# Format 2 adds per-role questions. A guide without them is still written as format 1,
# so apps that know only format 1 keep reading every guide they could read before.
FORMAT_VERSION = 1
ROLES_FORMAT_VERSION = 2
NEWEST_FORMAT_VERSION = ROLES_FORMAT_VERSION

DEFAULT_GUIDE_ID = "48cb5e86-c182-4c97-8872-4b83d75de0b8"
DEFAULT_GUIDE_RESOURCE = "default_guide.json"

MAX_NAME = 200
MAX_DESCRIPTION = 4000
MAX_TITLE = 200
MAX_INTRO = 2000
MAX_QUESTION_TEXT = 1000
MAX_HINT = 2000
MAX_PROBE = 500

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_ROOT = "guide"
_T = TypeVar("_T")

_GUIDE_FIELDS = ("format", "format_version", "id", "name", "version", "description", "sections")
_GUIDE_REQUIRED = frozenset({"format", "format_version", "id", "name", "version", "sections"})
_SECTION_FIELDS = ("key", "title", "bucket", "intro", "questions")
_SECTION_REQUIRED = frozenset({"key", "title", "bucket", "questions"})
_QUESTION_FIELDS = ("key", "text", "hint", "probes")
_QUESTION_FIELDS_WITH_ROLES = (*_QUESTION_FIELDS, "roles")
_QUESTION_REQUIRED = frozenset({"key", "text"})


class GuideFileError(ValueError):
    """A guide file that cannot be used; one line per problem, each ``where: what``."""

    def __init__(self, problems: str | list[str] | tuple[str, ...]) -> None:
        if isinstance(problems, str):
            problems = (problems,)
        self.problems: tuple[str, ...] = tuple(problems)
        super().__init__("\n".join(self.problems))


def guide_to_dict(guide: Guide) -> dict[str, Any]:
    """The file form of ``guide``; keys appear in the documented order."""
    return {
        "format": FORMAT,
        "format_version": ROLES_FORMAT_VERSION if guide.uses_roles else FORMAT_VERSION,
        "id": guide.guide_id,
        "name": guide.name,
        "version": guide.version,
        "description": guide.description,
        "sections": [
            {
                "key": section.key,
                "title": section.title,
                "bucket": section.bucket.value,
                "intro": section.intro,
                "questions": [_question_to_dict(q) for q in section.questions],
            }
            for section in guide.sections
        ],
    }


def _question_to_dict(q: Question) -> dict[str, Any]:
    data: dict[str, Any] = {"key": q.key, "text": q.text, "hint": q.hint, "probes": list(q.probes)}
    if q.roles:
        data["roles"] = [r.value for r in q.roles]
    return data


def guide_to_json(guide: Guide) -> str:
    """``guide`` as pretty JSON text ending with a newline, non-ASCII kept readable."""
    return json.dumps(guide_to_dict(guide), indent=2, ensure_ascii=False) + "\n"


def guide_from_json(text: str | bytes) -> Guide:
    """Parse and validate a guide file; GuideFileError says where it is wrong."""
    if isinstance(text, bytes | bytearray):
        try:
            # utf-8-sig because editors on Windows like to prepend a BOM.
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise GuideFileError(f"byte {exc.start}: the file is not UTF-8 text") from exc
    text = text.removeprefix("\ufeff")
    try:
        data = json.loads(text, object_pairs_hook=_JsonObject.from_pairs)
    except json.JSONDecodeError as exc:
        raise GuideFileError(
            f"line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})"
        ) from exc
    return guide_from_dict(data)


def guide_from_dict(data: object) -> Guide:
    """Validate the decoded file ``data`` fully and build the guide it describes."""
    return _Reader().guide(data)


@cache
def load_default_guide() -> Guide:
    """The guide shipped with the app, read once from its resources."""
    from voc_desktop import assets

    return guide_from_json(assets.read_bytes(DEFAULT_GUIDE_RESOURCE))


class _JsonObject(dict):
    """A decoded JSON object that remembers fields it saw more than once.

    Plain ``json`` keeps the last of two equal fields silently, which would hide
    an edit mistake; the reader reports them with their location instead.
    """

    duplicates: tuple[str, ...] = ()

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, Any]]) -> _JsonObject:
        obj = cls(pairs)
        if len(obj) != len(pairs):
            counts: dict[str, int] = {}
            for name, _ in pairs:
                counts[name] = counts.get(name, 0) + 1
            obj.duplicates = tuple(name for name, n in counts.items() if n > 1)
        return obj


def _at(where: str, name: str | int) -> str:
    if isinstance(name, int):
        return f"{where}[{name}]"
    return name if where == _ROOT else f"{where}.{name}"


class _Reader:
    """Walks decoded data, collecting every problem before giving up."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.section_keys: dict[str, str] = {}
        self.question_keys: dict[str, str] = {}
        self.format_version = 1

    def fail(self, where: str, what: str) -> None:
        self.problems.append(f"{where}: {what}")

    def guide(self, data: object) -> Guide:
        if not isinstance(data, dict):
            raise GuideFileError(f"{_ROOT}: must be a JSON object, got {_kind(data)}")
        self.check_header(data)
        obj = self.check_fields(data, _ROOT, _GUIDE_FIELDS, _GUIDE_REQUIRED)
        guide_id = self.uuid(obj, "id")
        name = self.text(obj, _ROOT, "name", MAX_NAME, required=True, one_line=True)
        version = self.positive_int(obj, "version")
        description = self.text(obj, _ROOT, "description", MAX_DESCRIPTION)
        sections = self.items(obj, _ROOT, "sections", self.section)
        if self.problems:
            raise GuideFileError(self.problems)
        return Guide(guide_id, name, version, description, tuple(sections))

    def check_header(self, obj: dict[str, Any]) -> None:
        # Header problems stop the reading at once: a file of another kind, or of
        # a later format, would otherwise produce a page of misleading problems.
        fmt = obj.get("format")
        if fmt != FORMAT:
            shown = "missing" if "format" not in obj else f"got {_show(fmt)}"
            raise GuideFileError(f'format: expected "{FORMAT}" ({shown}); this is not a guide file')
        version = obj.get("format_version")
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            shown = "missing" if "format_version" not in obj else f"got {_show(version)}"
            raise GuideFileError(f"format_version: must be a whole number from 1 ({shown})")
        if version > NEWEST_FORMAT_VERSION:
            raise GuideFileError(
                f"format_version: the file uses guide format {version}, but this version of "
                f"VOC Desktop reads formats {FORMAT_VERSION} to {NEWEST_FORMAT_VERSION} only; "
                "install a newer VOC Desktop to open it"
            )
        self.format_version = version

    def fields(
        self, data: object, where: str, allowed: tuple[str, ...], required: frozenset[str]
    ) -> dict[str, Any] | None:
        if not isinstance(data, dict):
            self.fail(where, f"must be a JSON object, got {_kind(data)}")
            return None
        return self.check_fields(data, where, allowed, required)

    def check_fields(
        self, data: dict[str, Any], where: str, allowed: tuple[str, ...], required: frozenset[str]
    ) -> dict[str, Any]:
        for name in getattr(data, "duplicates", ()):
            self.fail(_at(where, name), "field appears more than once")
        for name in data:
            if name not in allowed:
                self.fail(_at(where, name), f"unknown field (allowed: {', '.join(allowed)})")
        for name in allowed:
            if name in required and name not in data:
                self.fail(_at(where, name), "required field is missing")
        return data

    def text(
        self,
        obj: dict[str, Any],
        where: str,
        name: str,
        limit: int,
        *,
        required: bool = False,
        one_line: bool = False,
    ) -> str:
        if name not in obj:
            return ""  # a missing required field was reported by fields()
        return self.string(obj[name], _at(where, name), limit, required=required, one_line=one_line)

    def string(
        self, value: object, where: str, limit: int, *, required: bool, one_line: bool = False
    ) -> str:
        if not isinstance(value, str):
            self.fail(where, f"must be a string, got {_kind(value)}")
            return ""
        # Surrounding whitespace is an artefact of hand editing, never meaning.
        value = value.strip()
        if required and not value:
            self.fail(where, "must be a non-empty string")
        elif len(value) > limit:
            self.fail(where, f"must be at most {limit} characters, got {len(value)}")
        elif one_line and ("\n" in value or "\r" in value):
            self.fail(where, "must be a single line")
        return value

    def uuid(self, obj: dict[str, Any], name: str) -> str:
        value = obj.get(name)
        if name not in obj:
            return ""
        if not isinstance(value, str) or not _UUID.fullmatch(value.strip().lower()):
            self.fail(
                name,
                f'must be a UUID such as "{DEFAULT_GUIDE_ID}", got {_show(value)}',
            )
            return ""
        return value.strip().lower()

    def positive_int(self, obj: dict[str, Any], name: str) -> int:
        value = obj.get(name)
        if name not in obj:
            return 1
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.fail(name, f"must be a whole number from 1, got {_show(value)}")
            return 1
        return value

    def key(self, obj: dict[str, Any], where: str, seen: dict[str, str], what: str) -> str:
        if "key" not in obj:
            return ""
        here = _at(where, "key")
        key = obj["key"]
        if not isinstance(key, str) or not is_valid_key(key):
            self.fail(
                here,
                f"must be lowercase letters, digits and single dashes, at most "
                f'{MAX_KEY_LENGTH} characters (e.g. "ops-day"), got {_show(key)}',
            )
            return ""
        if key in seen:
            self.fail(here, f'duplicate {what} key "{key}" (first used at {seen[key]})')
        else:
            seen[key] = here
        return key

    def items(
        self, obj: dict[str, Any], where: str, name: str, read: Callable[[object, str], _T]
    ) -> list[_T]:
        if name not in obj:
            return []
        here = _at(where, name)
        value = obj[name]
        if not isinstance(value, list | tuple):
            self.fail(here, f"must be a list, got {_kind(value)}")
            return []
        if not value:
            self.fail(here, "must hold at least one entry")
        return [read(item, _at(here, i)) for i, item in enumerate(value)]

    def section(self, data: object, where: str) -> Section | None:
        obj = self.fields(data, where, _SECTION_FIELDS, _SECTION_REQUIRED)
        if obj is None:
            return None
        key = self.key(obj, where, self.section_keys, "section")
        title = self.text(obj, where, "title", MAX_TITLE, required=True, one_line=True)
        bucket = self.bucket(obj, where)
        intro = self.text(obj, where, "intro", MAX_INTRO)
        questions = self.items(obj, where, "questions", self.question)
        if bucket is None:
            return None
        return Section(key, title, bucket, intro, tuple(questions))

    def bucket(self, obj: dict[str, Any], where: str) -> Bucket | None:
        if "bucket" not in obj:
            return None
        value = obj["bucket"]
        try:
            return Bucket(value)
        except ValueError:
            allowed = ", ".join(b.value for b in Bucket)
            self.fail(_at(where, "bucket"), f"{_show(value)} is not a bucket; use one of {allowed}")
            return None

    def question(self, data: object, where: str) -> Question | None:
        # Format 1 has no roles: an app reading only format 1 would refuse the field too.
        allowed = (_QUESTION_FIELDS_WITH_ROLES if self.format_version >= ROLES_FORMAT_VERSION
                   else _QUESTION_FIELDS)
        obj = self.fields(data, where, allowed, _QUESTION_REQUIRED)
        if obj is None:
            return None
        key = self.key(obj, where, self.question_keys, "question")
        text = self.text(obj, where, "text", MAX_QUESTION_TEXT, required=True)
        hint = self.text(obj, where, "hint", MAX_HINT)
        probes = self.probes(obj, where)
        roles = self.roles(obj, where)
        return Question(key, text, hint, probes, roles)

    def probes(self, obj: dict[str, Any], where: str) -> tuple[str, ...]:
        if "probes" not in obj:
            return ()
        here = _at(where, "probes")
        value = obj["probes"]
        if not isinstance(value, list | tuple):
            self.fail(here, f"must be a list of strings, got {_kind(value)}")
            return ()
        return tuple(
            self.string(p, _at(here, i), MAX_PROBE, required=True) for i, p in enumerate(value)
        )


    def roles(self, obj: dict[str, Any], where: str) -> tuple[Role, ...]:
        if "roles" not in obj:
            return ()
        here = _at(where, "roles")
        value = obj["roles"]
        if not isinstance(value, list | tuple):
            self.fail(here, f"must be a list of roles, got {_kind(value)}")
            return ()
        roles: list[Role] = []
        for i, name in enumerate(value):
            try:
                role = Role(name)
            except ValueError:
                allowed = ", ".join(r.value for r in Role)
                self.fail(_at(here, i), f"{_show(name)} is not a role; use one of {allowed}")
                continue
            if role in roles:
                self.fail(_at(here, i), f'"{role.value}" appears more than once')
            roles.append(role)
        return tuple(roles)


def _kind(value: object) -> str:
    """How a JSON reader would name the type of ``value``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _show(value: object) -> str:
    """``value`` as it would look in the file, shortened to keep messages readable."""
    try:
        shown = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."
