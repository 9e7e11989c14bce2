"""Editing guides: new guides, copies, keys for new parts, and saves as new versions."""

from __future__ import annotations

import sys
import types

import pytest

from voc_desktop.domain.accounts import Role
from voc_desktop.domain.guide import Bucket, is_valid_key
from voc_desktop.services.accounts import create_account
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.guide_editing import (
    GuideDraft,
    QuestionDraft,
    SectionDraft,
    build_guide,
    check_findings,
    copy_guide,
    make_key,
    new_guide,
    save_guide,
)
from voc_desktop.services.visits import plan_visit
from voc_desktop.services.workspace.workspace import Workspace


def test_new_guide_is_version_one_with_a_question(ws: Workspace) -> None:
    """A new guide is stored as version 1 of a fresh id and can be run at once."""
    stored = new_guide(ws, "  Renewal visit ")
    assert stored.guide.name == "Renewal visit"
    assert stored.guide.version == 1
    assert stored.guide.question_count == 1
    assert ws.guides.latest(stored.guide.guide_id) == stored


def test_new_guide_refuses_an_empty_or_taken_name(ws: Workspace) -> None:
    """A guide needs a name no other guide has."""
    new_guide(ws, "Renewal visit")
    with pytest.raises(ServiceError, match="already exists"):
        new_guide(ws, "renewal VISIT")
    with pytest.raises(ServiceError, match="needs a name"):
        new_guide(ws, "   ")


def test_copy_is_a_separate_guide_with_the_same_content(ws: Workspace) -> None:
    """A copy gets its own id and version 1, and asks the same questions."""
    source = ws.guides.list_latest()[0]
    copy = copy_guide(ws, source.version_id, "Short visit")
    assert copy.guide.guide_id != source.guide.guide_id
    assert copy.guide.version == 1
    assert copy.guide.sections == source.guide.sections
    assert ws.guides.latest(source.guide.guide_id) == source


def test_saving_changed_content_adds_the_next_version(ws: Workspace) -> None:
    """An edit becomes version + 1 of the same guide; the visit keeps the version it used."""
    source = ws.guides.list_latest()[0]
    account = create_account(ws, "Nordic Cans")
    visit = plan_visit(ws, account.id, "Learn", guide_version_id=source.version_id)
    draft = GuideDraft.of(source.guide)
    draft.sections[0].questions[0].text = "Tell me about yesterday, from start to end."
    saved = save_guide(ws, draft)
    assert saved.guide.guide_id == source.guide.guide_id
    assert saved.guide.version == source.guide.version + 1
    assert saved.version_id != source.version_id
    assert ws.visits.get(visit.id).guide_version_id == source.version_id
    assert ws.guides.version(source.version_id).guide == source.guide
    assert ws.guides.latest(source.guide.guide_id) == saved


def test_saving_unchanged_content_changes_nothing(ws: Workspace) -> None:
    """Saving what is already stored returns the stored version and tells nobody."""
    source = new_guide(ws, "Plant visit")
    heard = []
    ws.subscribe(heard.append)
    again = save_guide(ws, GuideDraft.of(source.guide))
    assert again == source
    assert heard == []
    assert len(ws.guides.versions(source.guide.guide_id)) == 1


def test_save_from_an_older_version_goes_after_the_latest(ws: Workspace) -> None:
    """Editing an older version still adds a version above the newest one."""
    first = new_guide(ws, "Plant visit")
    draft = GuideDraft.of(first.guide)
    draft.description = "Second"
    save_guide(ws, draft)
    draft = GuideDraft.of(first.guide)
    draft.description = "Third"
    assert save_guide(ws, draft).guide.version == 3


def test_new_parts_get_keys_from_their_words(ws: Workspace) -> None:
    """New sections and questions get valid, unique keys derived from their title or text."""
    stored = new_guide(ws, "Plant visit")
    draft = GuideDraft.of(stored.guide)
    draft.sections.append(SectionDraft("Their customers' market", Bucket.END_CUSTOMER, "", [
        QuestionDraft("Who are your biggest customers?"),
        QuestionDraft("Who are your biggest customers?"),
        QuestionDraft("¿Qué cambió?"),
    ]))
    guide = save_guide(ws, draft).guide
    section = guide.sections[1]
    assert section.key == "their-customers-market"
    keys = [q.key for q in section.questions]
    assert keys == ["biggest-customers", "biggest-customers-2", "que-cambio"]
    assert guide.sections[0].questions[0].key == "day-walk-through"


def test_make_key_falls_back_for_text_without_latin_letters() -> None:
    """Text with no letters a key can use still gives a valid key."""
    key = make_key("Что изменилось?", {"question"}, "question")
    assert key == "question-2"
    assert is_valid_key(key)


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.sections.clear(), "at least one section"),
    (lambda d: d.sections[0].questions.clear(), "has no questions"),
    (lambda d: setattr(d.sections[0].questions[0], "text", "  "), "has no text"),
    (lambda d: setattr(d.sections[0], "title", ""), "needs a title"),
    (lambda d: setattr(d.sections[0].questions[0], "hint", "x" * 2001), "at most 2000"),
])
def test_invalid_drafts_are_refused_with_a_reason(ws: Workspace, change, message) -> None:
    """A draft that is not a usable guide is refused, naming what to fix, and nothing is stored."""
    stored = new_guide(ws, "Plant visit")
    draft = GuideDraft.of(stored.guide)
    change(draft)
    with pytest.raises(ServiceError, match=message):
        save_guide(ws, draft)
    assert len(ws.guides.versions(stored.guide.guide_id)) == 1


def test_duplicate_keys_are_refused() -> None:
    """Two questions given the same key by hand cannot be saved."""
    draft = GuideDraft("3a1f0c9e-7b6d-4e5f-8a9b-0c1d2e3f4a5b", "G", 1, "", [SectionDraft(
        "S", Bucket.USAGE, "", [QuestionDraft("A?", key="k"), QuestionDraft("B?", key="k")])])
    with pytest.raises(ServiceError, match="share the key 'k'"):
        build_guide(draft)


def test_per_role_question_is_saved(ws: Workspace) -> None:
    """Roles chosen for a question are stored with the new version."""
    stored = new_guide(ws, "Plant visit")
    draft = GuideDraft.of(stored.guide)
    draft.sections[0].questions[0].roles = [Role.USER]
    saved = save_guide(ws, draft)
    assert ws.guides.version(saved.version_id).guide.sections[0].questions[0].roles == (
        Role.USER,)


def test_check_findings_name_flagged_questions_by_key(ws: Workspace) -> None:
    """The guide check's findings come back with the key of the question they concern."""
    stored = new_guide(ws, "Plant visit")
    draft = GuideDraft.of(stored.guide)
    draft.sections[0].questions.append(
        QuestionDraft("Don't you agree that our service is the best?", key="agree"))
    found = check_findings(build_guide(draft))
    assert found is not None
    assert [f.kind for f in found.for_question("agree")]
    assert all(f.reason for f in found.for_question("agree"))
    assert found.for_question("day-walk-through") == []
    assert "How they buy" in [label for label, _ in found.uncovered]


def test_a_failing_guide_check_never_blocks(ws: Workspace, monkeypatch) -> None:
    """A guide check that raises gives no findings instead of an error."""
    module = types.ModuleType("voc_desktop.domain.coaching.guide_check")
    module.check_guide = lambda guide: 1 / 0
    monkeypatch.setitem(sys.modules, "voc_desktop.domain.coaching.guide_check", module)
    assert check_findings(new_guide(ws, "Plant visit").guide) is None


def test_an_edited_guide_travels_to_another_laptop_unchanged(ws: Workspace, tmp_path) -> None:
    """Exported from one laptop and imported on another, an edited guide is the same
    version with the same id and content, roles included."""
    from voc_desktop.services.guides import export_guide, import_guide

    stored = new_guide(ws, "Plant visit")
    draft = GuideDraft.of(stored.guide)
    draft.sections[0].questions[0].roles = [Role.USER]
    saved = save_guide(ws, draft)
    export_guide(ws, saved.version_id, tmp_path / "guide.json")
    other = Workspace.open(tmp_path / "other-laptop")
    try:
        arrived, added = import_guide(other, tmp_path / "guide.json")
        assert added and arrived.version_id == saved.version_id
        assert arrived.guide == saved.guide
        assert import_guide(other, tmp_path / "guide.json")[1] is False
    finally:
        other.close()
