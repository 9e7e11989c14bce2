"""Starting the app on a workspace in a synced or shared folder: a message, exit code 1, and
nothing made in that folder, not even a log."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from voc_desktop.ui import app


def test_a_synced_workspace_folder_is_refused_at_start(tmp_path, monkeypatch):
    """The message names the folder and the sync client; the folder stays untouched."""
    synced = tmp_path / "Sync"
    (synced / ".stfolder").mkdir(parents=True)
    said = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(
        lambda parent, title, text: said.append(text)))
    assert app.main(["--data-dir", str(synced / "voc")]) == 1
    assert len(said) == 1
    assert said[0].startswith("The workspace could not be opened.")
    assert f"{synced / 'voc'}: it is inside a Syncthing folder" in said[0]
    assert sorted(p.name for p in synced.iterdir()) == [".stfolder"]
