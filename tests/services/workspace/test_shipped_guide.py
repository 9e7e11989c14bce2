"""The guide that ships with the app: version 2 passes its own check, a new workspace gets
it, and a workspace made with version 1 gets version 2 beside it on the next open."""

from __future__ import annotations

from voc_desktop.domain.coaching.guide_check import check_guide
from voc_desktop.domain.guide_file import load_default_guide
from voc_desktop.services.workspace import workspace as workspace_module
from voc_desktop.services.workspace.workspace import Workspace


def test_the_shipped_guide_passes_its_own_check():
    """Version 2 asks one thing per question, in open and neutral words."""
    guide = load_default_guide()
    result = check_guide(guide)
    assert guide.version == 2
    assert result.ok, [q.question.text for q in result.questions]


def test_an_older_workspace_gets_the_new_version_and_keeps_the_old(tmp_path, monkeypatch):
    """Made with version 1, the workspace holds both after the update; opening again adds
    nothing more."""
    shipped = load_default_guide()
    monkeypatch.setattr(workspace_module, "load_default_guide",
                        lambda: shipped.with_version(1))
    Workspace.open(tmp_path).close()
    monkeypatch.undo()
    ws = Workspace.open(tmp_path)
    try:
        versions = [v.guide.version for v in ws.guides.versions(shipped.guide_id)]
        assert sorted(versions) == [1, 2]
        assert ws.guides.latest(shipped.guide_id).guide.version == 2
    finally:
        ws.close()
    again = Workspace.open(tmp_path)
    try:
        assert len(again.guides.versions(shipped.guide_id)) == 2
    finally:
        again.close()
