"""The REFI-QDA export: a project other QDA programs can open, with codings where they belong."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from voc_desktop.reports.qda import (
    QdaCase,
    QdaCode,
    QdaPassage,
    QdaProject,
    QdaSource,
    guid,
    write_qdpx,
)

SCHEMA = Path(__file__).parents[1] / "resources" / "refi-qda" / "Project-mrt2019.xsd"
NS = {"q": "urn:QDA-XML:project:1.0"}
CREATED = "2024-05-02T09:30:00Z"


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def _project(**changes) -> QdaProject:
    codes = (
        QdaCode("price", "Pricing pressure", "Talk about cost", "#C0392B"),
        QdaCode("lead", "Lead time", color="2e86c1"),
        QdaCode("unused", "Never used", color="reddish"),
    )
    sources = (
        QdaSource("v1", "Visit Acme 2024-05-01", (
            QdaPassage("Q: What slows you down?"),
            QdaPassage("The price went up twice this year.", ("price",), key="a1"),
            QdaPassage("Deliveries take six weeks.", ("lead", "price")),
        ), "2024-05-01T08:00:00+00:00", "First visit", case="acme"),
        QdaSource("v2", "Visit Ελλάδα", (
            QdaPassage("Καλημέρα 🙂 — 早上好"),
            QdaPassage("Η τιμή είναι 高 😬 πολύ", ("price",)),
            QdaPassage("tail 👍🏽 end", ("lead",)),
        ), "2024-05-01T10:15:00", case="acme"),
        QdaSource("v3", "Visit Borealis", (
            QdaPassage("No codes here at all."),
        ), "2024-05-02T07:00:00Z", case="borealis"),
    )
    cases = (
        QdaCase("acme", "Acme Foods", (("vertical", "Food"), ("segment", "Mid"),
                                       ("stage", "Customer"))),
        QdaCase("borealis", "Borealis", (("vertical", "Energy"),)),
    )
    fields = dict(name="Archive 2024", created=CREATED, user="Dana Analyst",
                  codes=codes, sources=sources, cases=cases)
    fields.update(changes)
    return QdaProject(**fields)


def _export(project: QdaProject) -> bytes:
    out = io.BytesIO()
    write_qdpx(project, out)
    return out.getvalue()


def _open(data: bytes) -> tuple[etree._Element, dict[str, str], zipfile.ZipFile]:
    """The parsed project.qde, the source texts by plainTextPath, and the archive."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    root = etree.fromstring(archive.read("project.qde"))
    texts = {}
    for name in archive.namelist():
        if name.startswith("sources/"):
            texts["internal://" + name.removeprefix("sources/")] = \
                archive.read(name).decode("utf-8")
    return root, texts, archive


def _selections(root, texts) -> dict[str, list[tuple[str, list[str]]]]:
    """Selected text and code names per source name, read back from the file alone."""
    code_names = {c.get("guid"): c.get("name") for c in root.iterfind(".//q:Code", NS)}
    found: dict[str, list[tuple[str, list[str]]]] = {}
    for source in root.iterfind(".//q:TextSource", NS):
        text = texts[source.get("plainTextPath")]
        for sel in source.iterfind("q:PlainTextSelection", NS):
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            codes = [code_names[r.get("targetGUID")]
                     for r in sel.iterfind("q:Coding/q:CodeRef", NS)]
            found.setdefault(source.get("name"), []).append((text[start:end], codes))
    return found


def test_project_is_valid_against_the_refi_schema(schema):
    """The project.qde of a full project (codes, cases, variables, sources) passes the XSD."""
    root, _texts, _ = _open(_export(_project()))
    schema.assertValid(root)
    assert root.tag == "{urn:QDA-XML:project:1.0}Project"


def test_an_empty_project_is_still_valid(schema):
    """Without codes, cases or sources the file leaves out the sections the XSD needs filled."""
    root, texts, _ = _open(_export(QdaProject(name="Empty", created=CREATED, user="")))
    schema.assertValid(root)
    assert texts == {}


def test_positions_select_exactly_each_coded_passage():
    """Start/end positions cut exactly the coded passage out of the stored source text."""
    root, texts, _ = _open(_export(_project()))
    found = _selections(root, texts)
    assert found["Visit Acme 2024-05-01"] == [
        ("The price went up twice this year.", ["Pricing pressure"]),
        ("Deliveries take six weeks.", ["Lead time", "Pricing pressure"]),
    ]
    assert "Visit Borealis" not in found
    acme = texts[root.find(".//q:TextSource", NS).get("plainTextPath")]
    assert acme == ("Q: What slows you down?\n\nThe price went up twice this year.\n\n"
                    "Deliveries take six weeks.")


def test_positions_count_code_points_in_greek_cjk_and_emoji():
    """Positions count Unicode code points: not UTF-8 bytes, not UTF-16 units."""
    root, texts, _ = _open(_export(_project()))
    assert _selections(root, texts)["Visit Ελλάδα"] == [
        ("Η τιμή είναι 高 😬 πολύ", ["Pricing pressure"]),
        ("tail 👍🏽 end", ["Lead time"]),
    ]
    source = root.findall(".//q:TextSource", NS)[1]
    spans = [(int(s.get("startPosition")), int(s.get("endPosition")))
             for s in source.iterfind("q:PlainTextSelection", NS)]
    # "Καλημέρα 🙂 — 早上好" is 16 code points (17 UTF-16 units, 35 UTF-8 bytes);
    # "👍🏽" is two code points (four UTF-16 units)
    assert spans == [(18, 39), (41, 52)]


def test_every_reference_points_at_an_existing_guid():
    """Codes, sources, variables and users referred to all exist, and no GUID is used twice."""
    root, texts, archive = _open(_export(_project()))
    owners = [e.get("guid") for e in root.iter() if e.get("guid")]
    users = {u.get("guid") for u in root.iterfind(".//q:User", NS)}
    assert len(owners) == len(set(owners))
    kinds = {"CodeRef": "Code", "SourceRef": "TextSource", "VariableRef": "Variable"}
    for ref, target in kinds.items():
        targets = {e.get("guid") for e in root.iterfind(f".//q:{target}", NS)}
        refs = [e.get("targetGUID") for e in root.iterfind(f".//q:{ref}", NS)]
        assert refs and set(refs) <= targets, ref
    creators = {e.get("creatingUser") for e in root.iter() if e.get("creatingUser")}
    assert creators | {root.get("creatingUserGUID")} == users
    assert sorted(texts) == sorted(s.get("plainTextPath")
                                   for s in root.iterfind(".//q:TextSource", NS))
    assert all(n == "project.qde" or n.startswith("sources/") for n in archive.namelist())


def test_cases_carry_their_variables_and_sources():
    """Each case names its account attributes and refers to the visits it covers."""
    root, _texts, _ = _open(_export(_project()))
    variables = {v.get("guid"): v.get("name") for v in root.iterfind(".//q:Variable", NS)}
    sources = {s.get("guid"): s.get("name") for s in root.iterfind(".//q:TextSource", NS)}
    cases = {}
    for case in root.iterfind(".//q:Case", NS):
        values = {variables[v.find("q:VariableRef", NS).get("targetGUID")]:
                  v.findtext("q:TextValue", namespaces=NS)
                  for v in case.iterfind("q:VariableValue", NS)}
        members = [sources[r.get("targetGUID")] for r in case.iterfind("q:SourceRef", NS)]
        cases[case.get("name")] = (values, members)
    assert cases == {
        "Acme Foods": ({"vertical": "Food", "segment": "Mid", "stage": "Customer"},
                       ["Visit Acme 2024-05-01", "Visit Ελλάδα"]),
        "Borealis": ({"vertical": "Energy"}, ["Visit Borealis"]),
    }
    assert sorted(variables.values()) == ["segment", "stage", "vertical"]


def test_same_input_gives_the_same_bytes():
    """Two exports of the same project are byte-for-byte identical, entry times included."""
    first, second = _export(_project()), _export(_project())
    assert first == second
    stamps = {i.date_time for i in zipfile.ZipFile(io.BytesIO(first)).infolist()}
    assert stamps == {(2024, 5, 2, 9, 30, 0)}


def test_guids_follow_keys_not_position():
    """A code, source or keyed selection keeps its GUID when other items are added before it."""
    base = _project()
    grown = _project(codes=(QdaCode("new", "New theme"), *base.codes),
                     sources=(QdaSource("v0", "Earlier", (QdaPassage("x", ("new",)),),
                                        CREATED), *base.sources))
    root_a, _, _ = _open(_export(base))
    root_b, _, _ = _open(_export(grown))

    def ids(root):
        return {e.get("name"): e.get("guid") for e in root.iter() if e.get("guid")}

    before, after = ids(root_a), ids(root_b)
    for name in ("Pricing pressure", "Visit Acme 2024-05-01", "Acme Foods", "vertical",
                 "The price went up twice this year."):
        assert before[name] == after[name], name
    assert before["Pricing pressure"] == guid("code", "price")


def test_control_characters_stay_visible_and_the_file_stays_valid(schema):
    """Characters XML cannot hold appear as U+ code points in names, text and positions."""
    project = _project(
        codes=(QdaCode("bell", "Bell\x07code", "desc\x00ription"),),
        sources=(QdaSource("s", "Name\x1b", (
            QdaPassage("before\x0bbreak"),
            QdaPassage("coded\x01 text\ud800", ("bell",)),
        ), CREATED, "about\x08"),),
        cases=(QdaCase("c", "Case\x02", (("var\x03", "val\x04ue"),)),),
    )
    root, texts, _ = _open(_export(project))
    schema.assertValid(root)
    assert root.find(".//q:Code", NS).get("name") == "Bell[U+0007]code"
    assert root.findtext(".//q:Code/q:Description", namespaces=NS) == "desc[U+0000]ription"
    assert root.find(".//q:TextSource", NS).get("name") == "Name[U+001B]"
    assert root.findtext(".//q:TextValue", namespaces=NS) == "val[U+0004]ue"
    assert _selections(root, texts) == {
        "Name[U+001B]": [("coded[U+0001] text[U+D800]", ["Bell[U+0007]code"])]}
    assert list(texts.values()) == [
        "before[U+000B]break\n\ncoded[U+0001] text[U+D800]"]


def test_names_made_unique_and_colours_kept_only_when_valid():
    """Two sources or codes of the same name get told apart; a colour not in #RGB form is
    left out rather than breaking the file."""
    project = _project(
        codes=(QdaCode("a", "Price", color="#ABC"), QdaCode("b", "price", color="blue")),
        sources=(QdaSource("x", "Visit", (), CREATED), QdaSource("y", "Visit", (), CREATED)),
        cases=(),
    )
    root, texts, _ = _open(_export(project))
    codes = [(c.get("name"), c.get("color")) for c in root.iterfind(".//q:Code", NS)]
    assert codes == [("Price", "#abc"), ("price (2)", None)]
    assert [s.get("name") for s in root.iterfind(".//q:TextSource", NS)] == \
        ["Visit", "Visit (2)"]
    assert set(texts.values()) == {""}


@pytest.mark.parametrize(("change", "message"), [
    ({"codes": ()}, "unknown codes"),
    ({"cases": ()}, "unknown case"),
    ({"codes": (QdaCode("price", "A"), QdaCode("price", "B"))}, "used twice"),
])
def test_broken_references_are_refused(change, message):
    """A coding or case link to something the project lacks stops the export."""
    with pytest.raises(ValueError, match=message):
        _export(_project(**change))


def test_sources_carry_their_own_variables_and_valid_file_names(schema):
    """Each text source holds its account, date, stage, vertical and segment as variable
    values (QualCoder links sources to cases only that way); a name with characters file
    systems refuse ("Nordic A/S", "Q3: what?") is made safe, and the file stays valid."""
    sources = (
        QdaSource("v1", "2024-05-01 Nordic Pack A/S", (QdaPassage("Hello", ("price",)),),
                  "2024-05-01T08:00:00Z", case="acme",
                  variables=(("Account", "Nordic Pack A/S"), ("Visit date", "2024-05-01"),
                             ("Lifecycle stage", "Active"), ("Vertical", "Food"),
                             ("Segment", ""))),
        QdaSource("v2", 'Q3: what? <draft> | "x"\\y. ', (QdaPassage("Hi"),),
                  "2024-05-02T08:00:00Z", case="acme"),
        QdaSource("v3", "con", (QdaPassage("Hi"),), "2024-05-02T08:00:00Z"),
    )
    root, _texts, _ = _open(_export(_project(sources=sources)))
    schema.assertValid(root)
    variables = {v.get("guid"): v.get("name") for v in root.iterfind(".//q:Variable", NS)}
    found = {}
    for source in root.iterfind(".//q:TextSource", NS):
        found[source.get("name")] = {
            variables[v.find("q:VariableRef", NS).get("targetGUID")]:
            v.findtext("q:TextValue", namespaces=NS)
            for v in source.iterfind("q:VariableValue", NS)}
    assert found == {
        "2024-05-01 Nordic Pack A-S": {"Account": "Nordic Pack A/S", "Visit date": "2024-05-01",
                                       "Lifecycle stage": "Active", "Vertical": "Food"},
        "Q3_ what_ _draft_ _ _x_-y": {},
        "con (visit)": {},
    }
    assert {"Account", "Visit date", "Lifecycle stage"} <= set(variables.values())
