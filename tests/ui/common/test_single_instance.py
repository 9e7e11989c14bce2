"""One window per workspace: a second launch hands its files to the running window and
exits 0; a window that does not answer gets a message and exit code 1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QDir, QTimer
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from voc_desktop.services.workspace import lock as workspace_lock
from voc_desktop.ui import app
from voc_desktop.ui.common.single_instance import Inbox, InstanceServer, server_name
from voc_desktop.ui.laptop import open_files

ROOT = Path(__file__).resolve().parents[3]


def main_window():
    return next((w for w in QApplication.topLevelWidgets() if w.isVisible()
                 and w.windowTitle() == "VOC Desktop"), None)


@pytest.fixture
def handed(monkeypatch):
    """Records what the window is asked to open instead of opening it."""
    received: list[list[Path]] = []
    monkeypatch.setattr(open_files, "open_files",
                        lambda window, paths: received.append(list(paths)))
    return received


def second_launch(data: Path, *files: str, cwd: Path) -> subprocess.Popen:
    """`voc-desktop --data-dir DATA FILE...` as another process, offscreen."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", "import sys; from voc_desktop.ui.app import main; "
         "sys.exit(main(sys.argv[1:]))", "--data-dir", str(data), *files],
        cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def test_the_server_name_belongs_to_the_user_and_the_workspace(tmp_path):
    """The same folder by any spelling gives the same name; another folder another."""
    (tmp_path / "ws").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "ws")
    name = server_name(tmp_path / "ws")
    assert name == server_name(f"{tmp_path}/ws/") == server_name(tmp_path / "link")
    assert name != server_name(tmp_path / "other")
    assert name.startswith("voc-desktop-") and str(tmp_path) not in name


def test_a_second_launch_hands_its_files_over_and_exits_0(qtbot, tmp_path, handed):
    """The running window gets the second launch's files as absolute paths; the second
    launch ends with 0; the first keeps running until closed."""
    data = tmp_path / "ws"
    (tmp_path / "here").mkdir()
    outcome = {}

    def launch_second():
        window = main_window()
        if window is None:
            QTimer.singleShot(50, launch_second)
            return
        outcome["process"] = second_launch(data, "pack.vocbundle", str(tmp_path / "b.vocbundle"),
                                           cwd=tmp_path / "here")
        QTimer.singleShot(50, wait_for_second)

    def wait_for_second():
        process = outcome["process"]
        if process.poll() is None or not handed:
            QTimer.singleShot(50, wait_for_second)
            return
        outcome["code"] = process.returncode
        outcome["output"] = process.stdout.read().decode()
        main_window().close()

    QTimer.singleShot(0, launch_second)
    assert app.main(["--data-dir", str(data)]) == 0
    assert outcome["code"] == 0, outcome["output"]
    assert handed == [[tmp_path / "here" / "pack.vocbundle", tmp_path / "b.vocbundle"]]
    log = (data / "logs" / "voc-desktop.log").read_text()
    assert "INFO voc_desktop.ui.app: Main window shown" in log
    assert "Handed 2 files to the running window" in log
    assert not workspace_lock.is_held(data)  # the lock went with the window


def test_a_workspace_in_use_without_an_answer_ends_in_a_message(tmp_path, monkeypatch):
    """Held by something that does not listen (a restore from the command line): after a
    short wait the second launch says the workspace is in use and exits 1."""
    monkeypatch.setattr(app, "HAND_OVER_SECONDS", 0.3)
    said = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(
        lambda parent, title, text: said.append(text)))
    with workspace_lock.hold(tmp_path / "ws"):
        assert app.main(["--data-dir", str(tmp_path / "ws")]) == 1
    assert len(said) == 1 and "is in use by another VOC Desktop that does not answer" in said[0]
    assert str(tmp_path / "ws") in said[0]


def test_a_first_launch_opens_its_file_once_the_window_shows(qtbot, tmp_path, handed,
                                                            monkeypatch):
    """`voc-desktop FILE` hands FILE, made absolute, to the new window after it is shown."""
    seen = []

    def close_when_handed():
        if not handed:
            QTimer.singleShot(50, close_when_handed)
            return
        seen.append(main_window().isVisible())
        main_window().close()

    QTimer.singleShot(0, close_when_handed)
    monkeypatch.chdir(tmp_path)
    assert app.main(["--data-dir", str(tmp_path / "ws"), "b.vocbundle"]) == 0
    assert handed == [[tmp_path / "b.vocbundle"]] and seen == [True]


def test_files_the_system_opens_are_held_until_the_window_takes_them(qtbot):
    """macOS's FileOpen events are caught on the application; files that arrive before the
    window are kept and passed on when it is ready."""
    inbox = Inbox()
    application = QApplication.instance()
    application.installEventFilter(inbox)
    try:
        QApplication.sendEvent(application, QFileOpenEvent("/Users/sam/a.vocbundle"))
        taken: list[list[Path]] = []
        inbox.deliver_to(taken.append)
        QApplication.sendEvent(application, QFileOpenEvent("/Users/sam/b.vocbundle"))
    finally:
        application.removeEventFilter(inbox)
    assert taken == [[Path("/Users/sam/a.vocbundle")], [Path("/Users/sam/b.vocbundle")]]


def test_a_launch_without_files_still_brings_the_window_forward(qtbot):
    """Nothing waiting means nothing to deliver at first; a later empty hand-over (the app
    started again from the menu) reaches the window, which then comes to the front."""
    inbox = Inbox()
    taken: list[list[Path]] = []
    inbox.put([])
    inbox.deliver_to(taken.append)
    assert taken == []
    inbox.put([])
    assert taken == [[]]


@pytest.mark.skipif(os.name != "posix", reason="a socket file is a Unix thing")
def test_a_server_name_left_by_a_crash_does_not_block_the_next_start(qtbot, tmp_path):
    """A socket file left behind (the window was killed) is removed before listening."""
    name = server_name(tmp_path / "ws")
    stale = Path(QDir.tempPath()) / name
    stale.write_text("left over")
    server = InstanceServer(name)
    try:
        assert server.listen()
    finally:
        server.close()
