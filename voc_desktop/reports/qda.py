"""Coded interviews as a REFI-QDA project (.qdpx), so the analysis can go on in QualCoder,
NVivo, ATLAS.ti or MAXQDA.

A .qdpx file is a zip holding `project.qde` (QDA-XML, namespace urn:QDA-XML:project:1.0)
and the plain text of each source under `sources/`. A source's text is its passages joined
by a blank line; every coded passage becomes one selection whose positions count Unicode
code points (not bytes, not UTF-16 units), end exclusive, the way the standard counts them.

The same input always gives the same bytes: every GUID is derived from the keys given here,
and every zip entry carries the project's creation time. A re-export therefore keeps the
identities an importing program already knows.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import BinaryIO
from xml.etree import ElementTree as ET

from voc_desktop.domain.names import clean

NAMESPACE = "urn:QDA-XML:project:1.0"
PROJECT_FILE = "project.qde"
PASSAGE_SEPARATOR = "\n\n"

# Fixed root for uuid5, so that GUIDs depend on nothing but the keys.
_GUID_ROOT = uuid.uuid5(uuid.NAMESPACE_URL, "urn:voc-desktop:qdpx")
_RGB = re.compile(r"#?([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})")
_SELECTION_NAME = 60
_ZIP_EPOCH = datetime(1980, 1, 1, tzinfo=UTC)  # the earliest time a zip entry can carry


@dataclass(frozen=True)
class QdaCode:
    """A theme of the archive; `color` is "#RRGGBB" or "#RGB", anything else is left out."""

    key: str
    name: str
    description: str = ""
    color: str = ""


@dataclass(frozen=True)
class QdaPassage:
    """A piece of a source, coded with the codes whose keys it lists. A `key` (unique within
    the source) keeps the selection's GUID when passages before it come or go."""

    text: str
    codes: tuple[str, ...] = ()
    key: str = ""


@dataclass(frozen=True)
class QdaSource:
    """One interview (or other text) as a document; `created` is an ISO-8601 time."""

    key: str
    name: str
    passages: tuple[QdaPassage, ...]
    created: str
    description: str = ""
    case: str | None = None  # key of the QdaCase it belongs to
    # attributes of the source itself, as (name, value) pairs: tools such as QualCoder
    # link sources to cases through these
    variables: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class QdaCase:
    """A unit of analysis (e.g. an account) with its attributes as (name, value) pairs."""

    key: str
    name: str
    variables: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class QdaProject:
    """Everything exported; `user` is the one person all codings are credited to."""

    name: str
    created: str
    user: str
    codes: tuple[QdaCode, ...] = ()
    sources: tuple[QdaSource, ...] = ()
    cases: tuple[QdaCase, ...] = ()
    origin: str = "VOC Desktop"


def write_qdpx(project: QdaProject, out: BinaryIO) -> None:
    """Write `project` as a .qdpx archive to `out`.

    Raises ValueError when a key is used twice, a passage or source refers to a code or case
    the project does not hold (the file would import with codings silently lost), or a
    time is not ISO-8601.
    """
    _check(project)
    qde, texts = _build(project)
    stamp = max(_moment(project.created), _ZIP_EPOCH).timetuple()[:6]
    buffer = io.BytesIO()  # zipfile writes differently to unseekable streams; keep one form
    with zipfile.ZipFile(buffer, "w") as archive:
        _add(archive, PROJECT_FILE, qde, stamp)
        for source_guid, text in texts:
            _add(archive, f"sources/{source_guid}.txt", text.encode("utf-8"), stamp)
    out.write(buffer.getvalue())


def guid(kind: str, *keys: str) -> str:
    """The GUID of a thing of `kind` ("code", "source", ...) named by `keys`."""
    return str(uuid.uuid5(_GUID_ROOT, "\x1f".join((kind, *keys))))


def source_text(source: QdaSource) -> tuple[str, list[tuple[int, int, QdaPassage]]]:
    """The source's plain text and where each non-empty passage stands in it."""
    parts: list[str] = []
    spans: list[tuple[int, int, QdaPassage]] = []
    position = 0
    for passage in source.passages:
        text = clean(passage.text)
        if not text:
            continue  # nothing to read or code
        if parts:
            parts.append(PASSAGE_SEPARATOR)
            position += len(PASSAGE_SEPARATOR)
        parts.append(text)
        spans.append((position, position + len(text), passage))
        position += len(text)
    return "".join(parts), spans


# --- checks ---------------------------------------------------------------------------------

def _check(project: QdaProject) -> None:
    for what, keys in (("code", [c.key for c in project.codes]),
                       ("source", [s.key for s in project.sources]),
                       ("case", [c.key for c in project.cases])):
        seen: set[str] = set()
        for key in keys:
            if key in seen:
                raise ValueError(f"{what} key {key!r} is used twice")
            seen.add(key)
    codes = {c.key for c in project.codes}
    cases = {c.key for c in project.cases}
    for source in project.sources:
        if source.case is not None and source.case not in cases:
            raise ValueError(f"source {source.key!r} belongs to unknown case {source.case!r}")
        keys = [p.key for p in source.passages if p.key]
        if len(set(keys)) != len(keys):
            raise ValueError(f"source {source.key!r} has two passages with the same key")
        for passage in source.passages:
            unknown = [code for code in passage.codes if code not in codes]
            if unknown:
                raise ValueError(f"source {source.key!r} is coded with unknown codes {unknown}")


# --- the project document -------------------------------------------------------------------

def _build(project: QdaProject) -> tuple[bytes, list[tuple[str, str]]]:
    user = guid("user", project.user)
    root = ET.Element("Project", {
        "xmlns": NAMESPACE,
        "name": _line(project.name) or "VOC Desktop",
        "origin": _line(project.origin),
        "creatingUserGUID": user,
        "creationDateTime": _timestamp(project.created),
    })
    users = ET.SubElement(root, "Users")
    ET.SubElement(users, "User", guid=user, name=_line(project.user) or _line(project.origin))
    if project.codes:
        _codebook(ET.SubElement(ET.SubElement(root, "CodeBook"), "Codes"), project.codes)
    variables = _variable_names([*project.cases, *project.sources])
    if variables:
        holder = ET.SubElement(root, "Variables")
        for name in variables:
            ET.SubElement(holder, "Variable", guid=guid("variable", name), name=name,
                          typeOfVariable="Text")
    if project.cases:
        _cases(ET.SubElement(root, "Cases"), project)
    texts: list[tuple[str, str]] = []
    if project.sources:
        holder = ET.SubElement(root, "Sources")
        names = _unique(file_safe(s.name) for s in project.sources)
        code_guids = {c.key: guid("code", c.key) for c in project.codes}
        for source, name in zip(project.sources, names, strict=True):
            texts.append(_source(holder, source, name, user, code_guids))
    ET.indent(root)
    # written by hand: some importers want the declaration exactly in this common form
    declaration = '<?xml version="1.0" encoding="UTF-8"?>\n'
    return (declaration + ET.tostring(root, encoding="unicode")).encode("utf-8"), texts


def _codebook(holder: ET.Element, codes: Iterable[QdaCode]) -> None:
    codes = list(codes)
    for code, name in zip(codes, _unique(c.name for c in codes), strict=True):
        element = ET.SubElement(holder, "Code", guid=guid("code", code.key), name=name,
                                isCodable="true")
        match = _RGB.fullmatch(code.color.strip())
        if match:
            element.set("color", f"#{match.group(1).lower()}")
        _description(element, code.description)


def _variable_names(holders: Iterable[QdaCase | QdaSource]) -> list[str]:
    names: dict[str, None] = {}
    for holder in holders:
        for name, _value in holder.variables:
            if _line(name):
                names.setdefault(_line(name))
    return list(names)


def _cases(holder: ET.Element, project: QdaProject) -> None:
    cases = list(project.cases)
    members: dict[str, list[str]] = {}
    for source in project.sources:
        if source.case is not None:
            members.setdefault(source.case, []).append(guid("source", source.key))
    for case, name in zip(cases, _unique(c.name for c in cases), strict=True):
        element = ET.SubElement(holder, "Case", guid=guid("case", case.key), name=name)
        _variable_values(element, case.variables)
        for source_guid in members.get(case.key, ()):
            ET.SubElement(element, "SourceRef", targetGUID=source_guid)


def _variable_values(element: ET.Element, variables: Iterable[tuple[str, str]]) -> None:
    for variable, value in variables:
        value = clean(value)
        if not _line(variable) or not value:
            continue
        given = ET.SubElement(element, "VariableValue")
        ET.SubElement(given, "VariableRef", targetGUID=guid("variable", _line(variable)))
        ET.SubElement(given, "TextValue").text = value


def _source(holder: ET.Element, source: QdaSource, name: str, user: str,
            code_guids: dict[str, str]) -> tuple[str, str]:
    source_guid = guid("source", source.key)
    created = _timestamp(source.created)
    element = ET.SubElement(holder, "TextSource", {
        "guid": source_guid,
        "name": name,
        "plainTextPath": f"internal://{source_guid}.txt",
        "creatingUser": user,
        "creationDateTime": created,
    })
    _description(element, source.description)
    text, spans = source_text(source)
    for index, (start, end, passage) in enumerate(spans):
        codes = list(dict.fromkeys(passage.codes))  # the same code twice is one coding
        if not codes:
            continue
        passage_id = passage.key or f"#{index}"
        selection = ET.SubElement(element, "PlainTextSelection", {
            "guid": guid("selection", source.key, passage_id),
            "name": _selection_name(text[start:end]),
            "startPosition": str(start),
            "endPosition": str(end),
            "creatingUser": user,
            "creationDateTime": created,
        })
        for code in codes:
            coding = ET.SubElement(selection, "Coding", {
                "guid": guid("coding", source.key, passage_id, code),
                "creatingUser": user,
                "creationDateTime": created,
            })
            ET.SubElement(coding, "CodeRef", targetGUID=code_guids[code])
    _variable_values(element, source.variables)
    return source_guid, text


def _description(element: ET.Element, text: str) -> None:
    text = clean(text)
    if text:
        ET.SubElement(element, "Description").text = text


# --- small helpers --------------------------------------------------------------------------

def _line(text: str | None) -> str:
    """Text for an attribute: printable and on one line."""
    return " ".join(clean(text).split())


# characters Windows, macOS or Linux refuse in a file name; a source's name becomes one
# when a tool copies the project's texts out ("Nordic A/S" broke QualCoder's copy step)
_NOT_IN_FILE_NAMES = re.compile(r'[/\\:*?"<>|\x00-\x1f]')
_RESERVED = re.compile(r"(?i)(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?")


def file_safe(name: str) -> str:
    """A source name any file system takes: "/" and "\\" become "-", the other refused
    characters "_", no trailing dot or space, and no name Windows keeps for devices."""
    name = _line(name)
    name = _NOT_IN_FILE_NAMES.sub(lambda m: "-" if m.group() in "/\\" else "_", name)
    name = name.rstrip(". ")
    if _RESERVED.fullmatch(name):
        name = f"{name} (visit)"
    return name


def _selection_name(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= _SELECTION_NAME else line[:_SELECTION_NAME - 1] + "…"


def _unique(names: Iterable[str]) -> Iterator[str]:
    """Names made distinct: QualCoder, for one, refuses a project with two alike."""
    seen: set[str] = set()
    for raw in names:
        base = _line(raw) or "Untitled"
        name, number = base, 1
        while name.casefold() in seen:
            number += 1
            name = f"{base} ({number})"
        seen.add(name.casefold())
        yield name


def _moment(value: str) -> datetime:
    moment = datetime.fromisoformat(value.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # times in the workspace are UTC
    return moment.astimezone(UTC).replace(microsecond=0)


def _timestamp(value: str) -> str:
    return _moment(value).strftime("%Y-%m-%dT%H:%M:%SZ")


def _add(archive: zipfile.ZipFile, name: str, data: bytes,
         stamp: tuple[int, int, int, int, int, int]) -> None:
    entry = zipfile.ZipInfo(name, date_time=stamp)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.create_system = 3  # otherwise it follows the platform writing the file
    entry.external_attr = 0o644 << 16
    archive.writestr(entry, data)
