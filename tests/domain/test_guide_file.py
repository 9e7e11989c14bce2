"""Reading and writing guide files, and the problems reported for bad ones."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from voc_desktop import assets
from voc_desktop.domain.guide import Bucket, Guide, Question, Section
from voc_desktop.domain.guide_file import (
    FORMAT,
    FORMAT_VERSION,
    GuideFileError,
    guide_from_dict,
    guide_from_json,
    guide_to_dict,
    guide_to_json,
    load_default_guide,
)

GUIDE_ID = "0b7e4f0c-1d2e-4a3b-8c9d-0e1f2a3b4c5d"
FORMAT_DOC = Path(__file__).parents[2] / "docs" / "guide-format.md"


def valid_data() -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "id": GUIDE_ID,
        "name": "Two-section visit",
        "version": 3,
        "description": "A short guide.",
        "sections": [
            {
                "key": "ops",
                "title": "How they work",
                "bucket": "operations",
                "intro": "Look around.",
                "questions": [
                    {"key": "q-one", "text": "What happens first?", "hint": "Listen.",
                     "probes": ["Why?", "And then?"]},
                    {"key": "q-two", "text": "Who is involved?", "hint": "", "probes": []},
                ],
            },
            {
                "key": "ind",
                "title": "Their market",
                "bucket": "industry",
                "intro": "",
                "questions": [{"key": "q-three", "text": "Where is it heading?", "hint": "",
                               "probes": []}],
            },
        ],
    }


def changed_data(change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    data = valid_data()
    change(data)
    return data


def problems_for(change: Callable[[dict[str, Any]], object]) -> str:
    with pytest.raises(GuideFileError) as info:
        guide_from_dict(changed_data(change))
    return str(info.value)


def test_valid_data_reads_into_a_guide() -> None:
    """A valid file becomes a guide with every field in place."""
    guide = guide_from_dict(valid_data())
    assert guide.guide_id == GUIDE_ID and guide.version == 3
    assert guide.sections[1].bucket is Bucket.INDUSTRY
    assert guide.question("q-one").probes == ("Why?", "And then?")


def test_default_guide_round_trips_exactly() -> None:
    """The shipped guide survives guide -> JSON -> guide unchanged, and its file is canonical."""
    guide = load_default_guide()
    text = guide_to_json(guide)
    assert guide_from_json(text) == guide
    shipped = assets.path("default_guide.json").read_text("utf-8")
    assert text == shipped


def test_default_guide_is_cached() -> None:
    """Loading the default guide twice returns the same object."""
    assert load_default_guide() is load_default_guide()


def test_unusual_text_round_trips_exactly() -> None:
    """Quotes, newlines, non-ASCII and empty optional fields survive the round trip."""
    guide = Guide(
        GUIDE_ID, "Visite — «plein» \"test\" 日本", 7, "",
        (Section("s", "Über", Bucket.END_CUSTOMER, "line one\nline two", (
            Question("q", "Why \\ so?", "Tab\there\n\nand 🙂", ("Über?", "Ça va?")),
            Question("q2", "Next?"),
        )),),
    )
    text = guide_to_json(guide)
    assert guide_from_json(text) == guide
    assert guide_from_json(text.encode("utf-8")) == guide
    assert "日本" in text and "—" in text


def test_json_is_pretty_ordered_and_ends_with_newline() -> None:
    """Written files are indented, keep the documented key order and end with a newline."""
    text = guide_to_json(guide_from_dict(valid_data()))
    assert text.endswith("}\n") and text.startswith('{\n  "format": "voc-guide",')
    data = json.loads(text)
    assert list(data) == ["format", "format_version", "id", "name", "version", "description",
                          "sections"]
    assert list(data["sections"][0]) == ["key", "title", "bucket", "intro", "questions"]
    assert list(data["sections"][0]["questions"][0]) == ["key", "text", "hint", "probes"]
    assert guide_to_dict(guide_from_dict(valid_data())) == valid_data()


def test_optional_fields_may_be_left_out() -> None:
    """description, intro, hint and probes default to empty when absent."""
    data = valid_data()
    del data["description"]
    del data["sections"][0]["intro"]
    del data["sections"][0]["questions"][0]["hint"]
    del data["sections"][0]["questions"][0]["probes"]
    guide = guide_from_dict(data)
    assert guide.description == "" and guide.sections[0].intro == ""
    assert guide.question("q-one") == Question("q-one", "What happens first?")


def test_surrounding_whitespace_is_trimmed_and_uuid_lowercased() -> None:
    """Hand-editing leftovers are cleaned: spaces around text go, the id is lowercased."""
    data = valid_data()
    data["name"] = "  Padded name \n"
    data["id"] = GUIDE_ID.upper()
    data["sections"][0]["questions"][0]["probes"] = ["  Why? "]
    guide = guide_from_dict(data)
    assert guide.name == "Padded name" and guide.guide_id == GUIDE_ID
    assert guide.question("q-one").probes == ("Why?",)


def test_limits_are_inclusive() -> None:
    """Texts exactly at their limit are accepted."""
    data = valid_data()
    data["name"] = "n" * 200
    data["sections"][0]["questions"][0]["text"] = "t" * 1000
    data["sections"][0]["questions"][0]["hint"] = "h" * 2000
    assert guide_from_dict(data).name == "n" * 200


def test_bytes_with_byte_order_mark_are_read() -> None:
    """A UTF-8 file saved with a byte order mark still reads."""
    text = json.dumps(valid_data(), ensure_ascii=False)
    assert guide_from_json(b"\xef\xbb\xbf" + text.encode("utf-8")).name == "Two-section visit"
    assert guide_from_json("\ufeff" + text).name == "Two-section visit"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{\n  "format": "voc-guide",\n  "name": }', "line 3, column 11: not valid JSON"),
        ('{"format": "voc-guide",}', "line 1, column 24: not valid JSON"),
        ("", "line 1, column 1: not valid JSON"),
        (b"{\xff}", "byte 1: the file is not UTF-8 text"),
        ("[1, 2]", "guide: must be a JSON object, got a list"),
    ],
)
def test_unreadable_text_names_the_position(text: str | bytes, expected: str) -> None:
    """Text that is not a JSON object is refused with the line and column, or byte, at fault."""
    with pytest.raises(GuideFileError, match="^" + expected):
        guide_from_json(text)


def test_duplicate_json_field_is_reported_where_it_is() -> None:
    """A field written twice in one object is reported instead of silently keeping one."""
    text = json.dumps(valid_data()).replace('"title": "Their market"',
                                            '"title": "A", "title": "B"')
    expected = r"^sections\[1\]\.title: field appears more than once"
    with pytest.raises(GuideFileError, match=expected):
        guide_from_json(text)


def _set(path: str, value: object) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split("/")
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value
    return change


def _delete(path: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split("/")
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        del target[last]
    return change


def _copy_section(data: dict[str, Any]) -> None:
    data["sections"].append(copy.deepcopy(data["sections"][0]))


B = "sections/0/questions/0"

CASES: list[tuple[str, Callable[[dict[str, Any]], object], list[str]]] = [
    ("wrong format", _set("format", "voc-bundle"),
     ['format: expected "voc-guide" (got "voc-bundle"); this is not a guide file']),
    ("missing format", _delete("format"), ['format: expected "voc-guide" (missing)']),
    ("newer format version", _set("format_version", 3),
     ["format_version: the file uses guide format 3, but this version of VOC Desktop reads "
      "formats 1 to 2 only; install a newer VOC Desktop to open it"]),
    ("format version not a number", _set("format_version", "1"),
     ['format_version: must be a whole number from 1 (got "1")']),
    ("bad uuid", _set("id", "guide-42"), ['id: must be a UUID such as', 'got "guide-42"']),
    ("uuid not a string", _set("id", 42), ["id: must be a UUID", "got 42"]),
    ("missing name", _delete("name"), ["name: required field is missing"]),
    ("missing id", _delete("id"), ["id: required field is missing"]),
    ("missing sections", _delete("sections"), ["sections: required field is missing"]),
    ("missing section bucket", _delete("sections/1/bucket"),
     ["sections[1].bucket: required field is missing"]),
    ("missing question text", _delete(f"{B}/text"),
     ["sections[0].questions[0].text: required field is missing"]),
    ("missing question key", _delete(f"{B}/key"),
     ["sections[0].questions[0].key: required field is missing"]),
    ("unknown root field", _set("colour", "red"),
     ["colour: unknown field (allowed: format, format_version, id, name, version, description, "
      "sections)"]),
    ("unknown question field", _set(f"{B}/answer", "x"),
     ["sections[0].questions[0].answer: unknown field (allowed: key, text, hint, probes)"]),
    ("unknown section field", _set("sections/1/order", 1),
     ["sections[1].order: unknown field (allowed: key, title, bucket, intro, questions)"]),
    ("empty question text", _set(f"{B}/text", ""),
     ["sections[0].questions[0].text: must be a non-empty string"]),
    ("blank question text", _set(f"{B}/text", "   \n"),
     ["sections[0].questions[0].text: must be a non-empty string"]),
    ("text not a string", _set(f"{B}/text", ["What?"]),
     ["sections[0].questions[0].text: must be a string, got a list"]),
    ("empty name", _set("name", ""), ["name: must be a non-empty string"]),
    ("name too long", _set("name", "n" * 201), ["name: must be at most 200 characters, got 201"]),
    ("name on two lines", _set("name", "One\nTwo"), ["name: must be a single line"]),
    ("question too long", _set(f"{B}/text", "t" * 1001),
     ["sections[0].questions[0].text: must be at most 1000 characters, got 1001"]),
    ("hint too long", _set(f"{B}/hint", "h" * 2001),
     ["sections[0].questions[0].hint: must be at most 2000 characters, got 2001"]),
    ("version zero", _set("version", 0), ["version: must be a whole number from 1, got 0"]),
    ("version text", _set("version", "2"), ['version: must be a whole number from 1, got "2"']),
    ("version boolean", _set("version", True),
     ["version: must be a whole number from 1, got true"]),
    ("bad bucket", _set("sections/0/bucket", "ops"),
     ['sections[0].bucket: "ops" is not a bucket; use one of operations, buying, usage, '
      "competition, industry, end_customer"]),
    ("duplicate section key", _set("sections/1/key", "ops"),
     ['sections[1].key: duplicate section key "ops" (first used at sections[0].key)']),
    ("duplicate question key", _set("sections/1/questions/0/key", "q-one"),
     ['sections[1].questions[0].key: duplicate question key "q-one" '
      "(first used at sections[0].questions[0].key)"]),
    ("copied section", _copy_section,
     ['sections[2].key: duplicate section key "ops"',
      'sections[2].questions[0].key: duplicate question key "q-one"',
      'sections[2].questions[1].key: duplicate question key "q-two"']),
    ("bad key", _set(f"{B}/key", "Q One"),
     ['sections[0].questions[0].key: must be lowercase letters, digits and single dashes',
      'got "Q One"']),
    ("no sections", _set("sections", []), ["sections: must hold at least one entry"]),
    ("empty section", _set("sections/1/questions", []),
     ["sections[1].questions: must hold at least one entry"]),
    ("section not an object", _set("sections/1", "ind"),
     ["sections[1]: must be a JSON object, got a string"]),
    ("questions not a list", _set("sections/1/questions", {"key": "x"}),
     ["sections[1].questions: must be a list, got an object"]),
    ("probes not a list", _set(f"{B}/probes", "Why?"),
     ["sections[0].questions[0].probes: must be a list of strings, got a string"]),
    ("empty probe", _set(f"{B}/probes/1", " "),
     ["sections[0].questions[0].probes[1]: must be a non-empty string"]),
    ("probe not a string", _set(f"{B}/probes/0", None),
     ["sections[0].questions[0].probes[0]: must be a string, got null"]),
]


@pytest.mark.parametrize(("change", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_invalid_file_names_where_and_what(
    change: Callable[[dict[str, Any]], object], expected: list[str]
) -> None:
    """Each kind of invalid content is refused with a message naming its location."""
    message = problems_for(change)
    for part in expected:
        assert part in message, message


def test_all_problems_are_reported_together_one_per_line() -> None:
    """Several problems in one file come back at once, one line each, in file order."""
    def break_several(data: dict[str, Any]) -> None:
        data["name"] = ""
        data["sections"][0]["bucket"] = "nope"
        data["sections"][1]["questions"][0]["text"] = 5

    with pytest.raises(GuideFileError) as info:
        guide_from_dict(changed_data(break_several))
    assert [p.split(":")[0] for p in info.value.problems] == [
        "name", "sections[0].bucket", "sections[1].questions[0].text",
    ]
    assert str(info.value) == "\n".join(info.value.problems)


def test_guide_file_error_is_a_value_error() -> None:
    """Callers catching ValueError also catch bad guide files."""
    assert issubclass(GuideFileError, ValueError)
    assert GuideFileError("name: bad").problems == ("name: bad",)


@pytest.mark.parametrize("data", [None, [], "guide", 3])
def test_non_object_data_is_refused(data: object) -> None:
    """Data that is not an object at all is refused at the top level."""
    with pytest.raises(GuideFileError, match="^guide: must be a JSON object"):
        guide_from_dict(data)


def test_documented_example_is_a_valid_guide() -> None:
    """The example in docs/guide-format.md reads, and is written back byte for byte."""
    doc = FORMAT_DOC.read_text("utf-8")
    example = re.search(r"```json\n(.*?)```", doc, re.DOTALL)
    assert example is not None
    guide = guide_from_json(example.group(1))
    assert guide_to_json(guide) == example.group(1)


@pytest.mark.parametrize("bucket", list(Bucket))
def test_documented_buckets_match_the_model(bucket: Bucket) -> None:
    """The bucket table in docs/guide-format.md lists each value with its label."""
    assert f"| `{bucket.value}` | {bucket.label} |" in FORMAT_DOC.read_text("utf-8")
