"""Questions meant for some attendee roles only, and the guide format version they need."""

from __future__ import annotations

import json

import pytest

from voc_desktop.domain.accounts import Role
from voc_desktop.domain.guide import Bucket, Guide, Question, Section
from voc_desktop.domain.guide_file import (
    GuideFileError,
    guide_from_json,
    guide_to_dict,
    guide_to_json,
    load_default_guide,
)

GUIDE_ID = "3a1f0c9e-7b6d-4e5f-8a9b-0c1d2e3f4a5b"


def guide(*roles: Role) -> Guide:
    return Guide(GUIDE_ID, "Roles", 1, "", (
        Section("buy", "Buying", Bucket.BUYING, questions=(
            Question("buy-budget", "How is the budget set?", roles=roles),
            Question("buy-who", "Who takes part in the decision?"),
        )),
    ))


def test_roles_are_kept_in_canonical_order_without_repeats() -> None:
    """Roles given in any order or repeated end up once each, in the Role order."""
    q = Question("k", "t", roles=["user", Role.ECONOMIC_BUYER, Role.USER])
    assert q.roles == (Role.ECONOMIC_BUYER, Role.USER)
    assert Question("k", "t", roles=(Role.USER, Role.ECONOMIC_BUYER)) == q


def test_question_without_roles_is_for_everyone() -> None:
    """An empty role list means every attendee; otherwise only holders of a listed role."""
    assert Question("k", "t").is_for(())
    q = Question("k", "t", roles=(Role.ECONOMIC_BUYER,))
    assert q.is_for((Role.USER, Role.ECONOMIC_BUYER))
    assert not q.is_for((Role.USER,))


def test_guide_without_roles_is_written_as_format_1_exactly_as_before() -> None:
    """No roles: format_version 1 and no roles field anywhere, as older apps expect."""
    data = guide_to_dict(guide())
    assert data["format_version"] == 1
    assert all("roles" not in q for s in data["sections"] for q in s["questions"])
    shipped = load_default_guide()
    assert not shipped.uses_roles
    assert guide_to_dict(shipped)["format_version"] == 1


def test_guide_with_roles_round_trips_as_format_2() -> None:
    """Roles make the file format 2, listed only on the questions that have them."""
    g = guide(Role.DECISION_MAKER, Role.ECONOMIC_BUYER)
    text = guide_to_json(g)
    data = json.loads(text)
    assert data["format_version"] == 2
    questions = data["sections"][0]["questions"]
    assert questions[0]["roles"] == ["economic_buyer", "decision_maker"]
    assert "roles" not in questions[1]
    assert guide_from_json(text) == g
    assert guide_to_json(guide_from_json(text)) == text


def test_format_1_file_reads_unchanged() -> None:
    """A format 1 file written before roles existed reads into questions for everyone."""
    text = guide_to_json(guide())
    assert json.loads(text)["format_version"] == 1
    read = guide_from_json(text)
    assert read == guide()
    assert all(not q.roles for _, q in read.questions())


def test_format_2_file_without_roles_is_read() -> None:
    """Format 2 is accepted even when no question uses roles."""
    data = guide_to_dict(guide())
    data["format_version"] = 2
    assert guide_from_json(json.dumps(data)) == guide()


def _with_roles(value: object, format_version: int = 2) -> str:
    data = guide_to_dict(guide())
    data["format_version"] = format_version
    data["sections"][0]["questions"][0]["roles"] = value
    return json.dumps(data)


@pytest.mark.parametrize(("text", "expected"), [
    (_with_roles(["user"], 1),
     "sections[0].questions[0].roles: unknown field (allowed: key, text, hint, probes)"),
    (_with_roles("user"), "sections[0].questions[0].roles: must be a list of roles, got a string"),
    (_with_roles(["boss"]), 'sections[0].questions[0].roles[0]: "boss" is not a role; use one of'),
    (_with_roles(["user", "user"]), 'sections[0].questions[0].roles[1]: "user" appears more'),
])
def test_bad_roles_are_refused_where_they_are(text: str, expected: str) -> None:
    """Roles in a format 1 file, or roles that are not roles, are refused with their place."""
    with pytest.raises(GuideFileError) as caught:
        guide_from_json(text)
    assert expected in str(caught.value)


def test_unknown_higher_format_is_refused() -> None:
    """Format 3 is refused with the usual request for a newer app."""
    data = guide_to_dict(guide())
    data["format_version"] = 3
    with pytest.raises(GuideFileError, match="install a newer VOC Desktop"):
        guide_from_json(json.dumps(data))
