"""The guide domain model and the content of the guide shipped with the app."""

from __future__ import annotations

import re

import pytest

from voc_desktop.domain.guide import Bucket, Guide, Question, Section, is_valid_key
from voc_desktop.domain.guide_file import load_default_guide

GUIDE_ID = "2f1d9a4e-6b7c-4d8e-9f01-23456789abcd"


def make_guide(version: int = 1) -> Guide:
    return Guide(
        guide_id=GUIDE_ID,
        name="Short visit",
        version=version,
        description="Two sections.",
        sections=(
            Section(
                key="ops",
                title="Operations",
                bucket=Bucket.OPERATIONS,
                questions=(
                    Question("ops-day", "Walk us through your day."),
                    Question("ops-tools", "What tools do you use?", probes=("Why that one?",)),
                ),
            ),
            Section(
                key="ind",
                title="Industry",
                bucket=Bucket.INDUSTRY,
                questions=(Question("ind-trends", "Where is your industry heading?"),),
            ),
        ),
    )


def all_text(guide: Guide) -> str:
    parts: list[str] = []
    for section, question in guide.questions():
        parts += [section.title, section.intro, question.text, question.hint, *question.probes]
    return "\n".join(parts).lower()


@pytest.mark.parametrize(
    ("bucket", "value", "is_tier"),
    [
        (Bucket.OPERATIONS, "operations", False),
        (Bucket.BUYING, "buying", False),
        (Bucket.USAGE, "usage", False),
        (Bucket.COMPETITION, "competition", False),
        (Bucket.INDUSTRY, "industry", True),
        (Bucket.END_CUSTOMER, "end_customer", True),
    ],
)
def test_bucket_values_and_tiers(bucket: Bucket, value: str, is_tier: bool) -> None:
    """Each bucket has its stored value, and only industry and end customer are tiers."""
    assert bucket == value
    assert bucket.is_tier is is_tier


def test_bucket_labels_and_descriptions_are_distinct() -> None:
    """Every bucket has its own short label and a description."""
    labels = [b.label for b in Bucket]
    assert all(labels) and len(set(labels)) == len(labels)
    assert all(b.description.endswith(".") for b in Bucket)
    assert Bucket.OPERATIONS.label == "How they operate"


def test_questions_are_listed_in_order_with_their_section() -> None:
    """questions() walks sections and their questions in guide order."""
    guide = make_guide()
    assert [(s.key, q.key) for s, q in guide.questions()] == [
        ("ops", "ops-day"),
        ("ops", "ops-tools"),
        ("ind", "ind-trends"),
    ]
    assert guide.question_count == 3


def test_question_and_section_lookup_by_key() -> None:
    """A question key finds the question and the section holding it."""
    guide = make_guide()
    assert guide.question("ops-tools").probes == ("Why that one?",)
    assert guide.section_of("ind-trends").key == "ind"
    assert guide.section("ops").bucket is Bucket.OPERATIONS
    assert [s.key for s in guide.sections_in(Bucket.INDUSTRY)] == ["ind"]


@pytest.mark.parametrize("lookup", ["question", "section_of", "section"])
def test_unknown_key_raises_key_error(lookup: str) -> None:
    """Looking up a key the guide does not have raises KeyError."""
    with pytest.raises(KeyError):
        getattr(make_guide(), lookup)("nope")


def test_covered_buckets() -> None:
    """covered_buckets() names the buckets the sections serve."""
    assert make_guide().covered_buckets() == {Bucket.OPERATIONS, Bucket.INDUSTRY}


def test_content_equal_ignores_version_but_not_content() -> None:
    """Two versions with the same content are content-equal; a changed question is not."""
    guide = make_guide()
    assert guide.content_equal(make_guide(version=4))
    changed = Guide(
        guide.guide_id,
        guide.name,
        guide.version,
        guide.description,
        (guide.sections[0], Section("ind", "Industry", Bucket.INDUSTRY, "", (
            Question("ind-trends", "Where is your market heading?"),
        ))),
    )
    assert not guide.content_equal(changed)
    assert not guide.content_equal(Guide(GUIDE_ID, "Other", 1, "", guide.sections))


def test_with_version_copies_and_keeps_original() -> None:
    """with_version returns a new guide with the version; the original is untouched."""
    guide = make_guide()
    newer = guide.with_version(2)
    assert newer.version == 2 and guide.version == 1
    assert newer.sections == guide.sections and newer.guide_id == guide.guide_id


@pytest.mark.parametrize("version", [0, -1])
def test_version_must_be_positive(version: int) -> None:
    """A guide version below 1 is refused."""
    with pytest.raises(ValueError, match="version"):
        make_guide(version=version)


def test_duplicate_question_keys_across_sections_are_refused() -> None:
    """Question keys must be unique across the whole guide, not only within a section."""
    a = Section("a", "A", Bucket.USAGE, questions=(Question("same", "One?"),))
    b = Section("b", "B", Bucket.USAGE, questions=(Question("same", "Two?"),))
    with pytest.raises(ValueError, match="duplicate question key 'same'"):
        Guide(GUIDE_ID, "G", 1, "", (a, b))


def test_duplicate_section_keys_are_refused() -> None:
    """Two sections with one key are refused."""
    a = Section("a", "A", Bucket.USAGE, questions=(Question("q1", "One?"),))
    b = Section("a", "B", Bucket.USAGE, questions=(Question("q2", "Two?"),))
    with pytest.raises(ValueError, match="duplicate section key 'a'"):
        Guide(GUIDE_ID, "G", 1, "", (a, b))


def test_lists_are_stored_as_tuples_so_guides_hash() -> None:
    """Lists given for probes, questions and sections become tuples and the guide is hashable."""
    question = Question("q", "Why?", probes=["Why again?"])  # type: ignore[arg-type]
    section = Section("s", "S", "usage", questions=[question])  # type: ignore[arg-type]
    guide = Guide(GUIDE_ID, "G", 1, "", [section])  # type: ignore[arg-type]
    assert guide.sections[0].questions[0].probes == ("Why again?",)
    assert guide.sections[0].bucket is Bucket.USAGE
    assert hash(guide) == hash(Guide(GUIDE_ID, "G", 1, "", (section,)))


def test_a_single_string_is_not_taken_as_probes() -> None:
    """Passing one string as probes is an error instead of a tuple of characters."""
    with pytest.raises(TypeError):
        Question("q", "Why?", probes="Why again?")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("key", "valid"),
    [("ops-day", True), ("q1", True), ("a" * 64, True), ("a" * 65, False), ("Ops", False),
     ("ops_day", False), ("-ops", False), ("ops--day", False), ("", False), ("ops day", False)],
)
def test_key_rules(key: str, valid: bool) -> None:
    """Keys are lowercase letters and digits joined by single dashes, at most 64 characters."""
    assert is_valid_key(key) is valid


# The default guide -------------------------------------------------------------------------


def test_default_guide_covers_all_six_buckets() -> None:
    """The shipped guide has sections for all four buckets and both tiers."""
    guide = load_default_guide()
    assert guide.covered_buckets() == set(Bucket)
    assert len(guide.sections) >= 6
    assert 20 <= guide.question_count <= 28
    assert guide.version == 2  # the second asks one thing per question


def test_default_guide_questions_all_coach_the_interviewer() -> None:
    """Every shipped question is a question, with a hint and at least two probes."""
    for _, question in load_default_guide().questions():
        assert question.text.endswith("?"), question.key
        assert question.hint, question.key
        assert len(question.probes) >= 2, question.key


@pytest.mark.parametrize(
    ("theme", "patterns"),
    [
        ("day in their life", [r"typical day"]),
        ("their process", [r"move through your team", r"hand-over"]),
        ("their environment", [r"whiteboard", r"photo"]),
        ("who decides", [r"who makes this kind of decision"]),
        ("who influences", [r"who else has a say", r"influenc"]),
        ("who uses this information", [r"who uses this sort of information"]),
        ("who signs and pays", [r"who signs", r"budget pays"]),
        ("why they buy from us", [r"why do you buy from us\?"]),
        ("laddering", [r"why again", r"levels"]),
        ("how it is used", [r"show us how you use"]),
        ("what they would miss", [r"what would you miss"]),
        ("competitors and alternatives", [r"between us and the others", r"doing nothing"]),
        ("their competitors", [r"who do you compete with"]),
        ("their differentiators", [r"sets you apart"]),
        ("trends in 2 and 5 years", [r"next two years", r"next five"]),
        ("what blocks more share", [r"keeps you from winning more of your market"]),
        ("their customers", [r"who do you serve with what you do"]),
        ("describe that person", [r"describe that person"]),
        ("with and for them", [r"with them and for them"]),
        ("where that industry heads", [r"where is your customers' industry heading"]),
        ("roadmap alignment", [r"roadmap line up", r"diverge"]),
        ("roles in the room", [r"your role"]),
    ],
)
def test_default_guide_covers_theme(theme: str, patterns: list[str]) -> None:
    """The shipped guide asks about each theme the interviewing method requires."""
    text = all_text(load_default_guide())
    for pattern in patterns:
        assert re.search(pattern, text), f"{theme}: {pattern!r} not found"


@pytest.mark.parametrize(
    ("key", "bucket"),
    [("buy-why-us", Bucket.BUYING), ("ops-day", Bucket.OPERATIONS), ("use-miss", Bucket.USAGE),
     ("comp-compare", Bucket.COMPETITION), ("ind-trends", Bucket.INDUSTRY),
     ("end-who", Bucket.END_CUSTOMER), ("end-roadmap", Bucket.END_CUSTOMER)],
)
def test_default_guide_themes_sit_in_their_bucket(key: str, bucket: Bucket) -> None:
    """Key questions of the shipped guide are filed under the bucket they serve."""
    assert load_default_guide().section_of(key).bucket is bucket


def test_default_guide_asks_no_leading_questions() -> None:
    """No shipped question or probe uses the leading phrasings the method counts as pitching."""
    leading = re.compile(r"wouldn't you|don't you think|isn't it|do you agree|wouldn't it")
    for _, question in load_default_guide().questions():
        for text in (question.text, *question.probes):
            assert not leading.search(text.lower()), text
