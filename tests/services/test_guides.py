"""Guides in the workspace: importing guide files, finding guides and exporting them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from voc_desktop.domain.guide import Bucket, Guide, Question, Section
from voc_desktop.domain.guide_file import guide_from_json, guide_to_json, load_default_guide
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.guides import export_guide, find_guide, import_guide
from voc_desktop.services.workspace.workspace import Change, Workspace

GUIDE_ID = "7d4c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a09"


def team_guide(version: int = 1, question: str = "Walk us through a normal day.") -> Guide:
    return Guide(
        guide_id=GUIDE_ID, name="Plant visit", version=version, description="For plants.",
        sections=(Section("floor", "On the floor", Bucket.OPERATIONS,
                          questions=(Question("floor-day", question),)),),
    )


def write_guide(path: Path, guide: Guide) -> Path:
    path.write_text(guide_to_json(guide), encoding="utf-8")
    return path


def stored_rows(ws: Workspace) -> list[tuple[str, int]]:
    return sorted((s.guide.guide_id, s.guide.version)
                  for g in ws.guides.list_latest() for s in ws.guides.versions(g.guide.guide_id))


def test_import_adds_a_version(ws: Workspace, tmp_path: Path) -> None:
    """A valid guide file becomes a stored version that reads back equal."""
    stored, is_new = import_guide(ws, write_guide(tmp_path / "g.json", team_guide()))
    assert is_new
    assert stored.guide == team_guide()
    assert ws.guides.version(stored.version_id).guide == team_guide()
    assert (GUIDE_ID, 1) in stored_rows(ws)


def test_import_notifies_once(ws: Workspace, tmp_path: Path) -> None:
    """A new import tells listeners the guide table changed; a repeat tells nobody."""
    path = write_guide(tmp_path / "g.json", team_guide())
    heard: list[Change] = []
    ws.subscribe(heard.append)
    import_guide(ws, path)
    import_guide(ws, path)
    assert [c.tables for c in heard] == [frozenset({"guide_versions"})]


def test_same_file_twice_is_not_new(ws: Workspace, tmp_path: Path) -> None:
    """Importing the same file again returns the stored version and adds nothing."""
    path = write_guide(tmp_path / "g.json", team_guide())
    first, _ = import_guide(ws, path)
    before = stored_rows(ws)
    again, is_new = import_guide(ws, path)
    assert not is_new
    assert again.version_id == first.version_id
    assert stored_rows(ws) == before


def test_new_version_is_added_beside_the_old(ws: Workspace, tmp_path: Path) -> None:
    """Version 2 of a guide is stored next to version 1, and becomes the latest."""
    import_guide(ws, write_guide(tmp_path / "v1.json", team_guide(1)))
    v2, is_new = import_guide(ws, write_guide(tmp_path / "v2.json",
                                              team_guide(2, "What happens on a bad day?")))
    assert is_new
    assert [s.guide.version for s in ws.guides.versions(GUIDE_ID)] == [1, 2]
    assert ws.guides.latest(GUIDE_ID).version_id == v2.version_id


def test_same_version_different_content_is_refused(ws: Workspace, tmp_path: Path) -> None:
    """A changed file under an existing version number is refused with a way out."""
    import_guide(ws, write_guide(tmp_path / "a.json", team_guide()))
    changed = write_guide(tmp_path / "b.json", team_guide(question="Tell us about a bad day."))
    with pytest.raises(ServiceError) as info:
        import_guide(ws, changed)
    message = str(info.value)
    assert "Version 1" in message and "Plant visit" in message
    assert "new version number" in message
    assert ws.guides.find(GUIDE_ID, 1).guide == team_guide()


@pytest.mark.parametrize(("content", "problem"), [
    (b"{not json", "not valid JSON"),
    (b"\xff\xfe\x00garbage", "not UTF-8"),
    (json.dumps({"format": "voc-guide"}).encode(), "format_version"),
])
def test_invalid_file_names_the_problem_and_changes_nothing(
        ws: Workspace, tmp_path: Path, content: bytes, problem: str) -> None:
    """A broken guide file is refused with its name and the problem; nothing is stored."""
    before = stored_rows(ws)
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    with pytest.raises(ServiceError) as info:
        import_guide(ws, path)
    assert "broken.json" in str(info.value)
    assert problem in str(info.value)
    assert stored_rows(ws) == before


def test_invalid_question_is_reported_with_its_place(ws: Workspace, tmp_path: Path) -> None:
    """A bad field deep in the file is reported with where it sits."""
    data = json.loads(guide_to_json(team_guide()))
    data["sections"][0]["questions"][0]["text"] = ""
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ServiceError, match=r"sections\[0\]\.questions\[0\]\.text"):
        import_guide(ws, path)


def test_missing_file_is_a_clear_error(ws: Workspace, tmp_path: Path) -> None:
    """Importing a file that is not there says it cannot be read."""
    with pytest.raises(ServiceError, match="Cannot read"):
        import_guide(ws, tmp_path / "nowhere.json")


def test_find_guide_by_version_id_guide_id_and_name(ws: Workspace, tmp_path: Path) -> None:
    """A guide is found by its version id, by its guide id (latest) and by name."""
    v1, _ = import_guide(ws, write_guide(tmp_path / "v1.json", team_guide(1)))
    v2, _ = import_guide(ws, write_guide(tmp_path / "v2.json", team_guide(2, "Other?")))
    assert find_guide(ws, v1.version_id).version_id == v1.version_id
    assert find_guide(ws, GUIDE_ID).version_id == v2.version_id
    assert find_guide(ws, "plant VISIT").version_id == v2.version_id
    default = load_default_guide()
    assert find_guide(ws, default.guide_id).guide == default


def test_find_guide_unknown(ws: Workspace) -> None:
    """An unknown reference is an error naming it."""
    with pytest.raises(ServiceError, match="No guide matches 'ghost'"):
        find_guide(ws, "ghost")


def test_export_round_trips(ws: Workspace, tmp_path: Path) -> None:
    """An exported guide file reads back as the same guide and imports as not new."""
    out = tmp_path / "out" / "default.json"
    out.parent.mkdir()
    stored = export_guide(ws, load_default_guide().guide_id, out)
    assert guide_from_json(out.read_bytes()) == stored.guide
    again, is_new = import_guide(ws, out)
    assert not is_new and again.version_id == stored.version_id


def test_export_replaces_atomically_and_leaves_no_temp_files(ws: Workspace,
                                                              tmp_path: Path) -> None:
    """Exporting over an old file replaces it whole, with nothing left beside it."""
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "guide.json"
    target.write_text("old content")
    export_guide(ws, load_default_guide().guide_id, target)
    assert [p.name for p in folder.iterdir()] == ["guide.json"]
    assert guide_from_json(target.read_bytes()) == load_default_guide()


def test_export_into_missing_folder_errors_cleanly(ws: Workspace, tmp_path: Path) -> None:
    """Exporting into a folder that does not exist is a ServiceError, and writes nothing."""
    target = tmp_path / "missing" / "guide.json"
    with pytest.raises(ServiceError, match="Cannot write"):
        export_guide(ws, load_default_guide().guide_id, target)
    assert not (tmp_path / "missing").exists()
    assert list(tmp_path.iterdir()) == [ws.data_dir]


def test_export_over_a_folder_errors_and_cleans_up(ws: Workspace, tmp_path: Path) -> None:
    """When the final rename fails the temporary file is removed."""
    folder = tmp_path / "out"
    (folder / "taken").mkdir(parents=True)
    (folder / "taken" / "inside").write_text("keep me")
    with pytest.raises(ServiceError, match="Cannot write"):
        export_guide(ws, load_default_guide().guide_id, folder / "taken")
    assert [p.name for p in folder.iterdir()] == ["taken"]


def test_a_guide_version_has_the_same_id_everywhere(tmp_path):
    """Two laptops give the shipped guide, and any imported guide, the same version id."""
    from voc_desktop.services.workspace.workspace import Workspace

    first, second = Workspace.open(tmp_path / "a"), Workspace.open(tmp_path / "b")
    try:
        ids = [{g.version_id for g in w.guides.list_latest()} for w in (first, second)]
        assert ids[0] == ids[1] and len(ids[0]) == 1
        stored = first.guides.list_latest()[0]
        assert stored.version_id == stored.guide.version_id
        newer = stored.guide.with_version(stored.guide.version + 1)
        assert newer.version_id != stored.version_id
    finally:
        first.close()
        second.close()
