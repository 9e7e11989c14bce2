"""One window per workspace: a second launch hands its files to the first and leaves.

The first `voc-desktop` holds the workspace's lock and listens on a local socket (a named
pipe on Windows) whose name comes from the user and the workspace folder. A second launch on
the same workspace cannot take the lock; it connects, sends its files as one JSON line,
waits for the answer and exits. Files double-clicked on macOS arrive as FileOpen events on
the application instead; `Inbox` takes both and keeps them until the window exists.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Signal

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalSocket

# QtNetwork is imported where it is used: the first window listens only once it is shown,
# so start-up does not wait for the library.

MAX_MESSAGE = 1 << 20  # a few thousand file paths; anything bigger is not from us
_log = logging.getLogger(__name__)


def server_name(data_dir: Path | str) -> str:
    """The socket's name: the same for every launch by this user on this workspace."""
    import getpass  # here, with hashlib: asked once the window is up, not before
    import hashlib

    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container): the uid will do
        user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    folder = os.path.realpath(os.path.expanduser(os.fspath(data_dir)))
    digest = hashlib.sha256(f"{user}\0{folder}".encode("utf-8", "surrogateescape"))
    return f"voc-desktop-{digest.hexdigest()[:24]}"


class Inbox(QObject):
    """Files to open, from the command line, a second launch or the system; held until a
    receiver is set, then passed on as they come."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._waiting: list[Path] = []
        self._receiver: Callable[[list[Path]], object] | None = None

    def put(self, paths: list[Path]) -> None:
        """Pass `paths` on, or keep them until there is a receiver. An empty list still
        reaches a receiver: a second launch without files brings the window to the front."""
        if self._receiver is None:
            self._waiting.extend(paths)
        else:
            self._receiver(list(paths))

    def deliver_to(self, receiver: Callable[[list[Path]], object]) -> None:
        self._receiver = receiver
        waiting, self._waiting = self._waiting, []
        if waiting:
            self.put(waiting)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt)
        # macOS sends a double-clicked file to the running app as a FileOpen event
        if event.type() == QEvent.Type.FileOpen:
            local = event.file()  # type: ignore[attr-defined]
            if local:
                _log.info("A file was handed over by the system")
                self.put([Path(local)])
                return True
        return super().eventFilter(watched, event)


class InstanceServer(QObject):
    """The first instance's end: `files_received` carries each later launch's files."""

    files_received = Signal(list)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        from PySide6.QtNetwork import QLocalServer

        super().__init__(parent)
        self.name = name
        self.server = QLocalServer(self)
        # only this user may connect (the socket file's mode on Unix, the pipe's ACL on Windows)
        self.server.setSocketOptions(self.server.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytearray] = {}

    def listen(self) -> bool:
        # A server name left by a crashed instance would refuse the listen. The workspace
        # lock is ours, so no live instance is using this name.
        self.server.removeServer(self.name)
        if self.server.listen(self.name):
            return True
        _log.warning("Cannot listen for later launches (%s)",
                     self.server.serverError().name)
        return False

    def close(self) -> None:
        self.server.close()

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            self._buffers[socket] = bytearray()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))
            if socket.bytesAvailable():
                self._read(socket)

    def _forget(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()

    def _read(self, socket: QLocalSocket) -> None:
        buffer = self._buffers.get(socket)
        if buffer is None:
            return
        buffer += bytes(socket.readAll().data())
        if len(buffer) > MAX_MESSAGE:
            self._answer(socket, ok=False)
            return
        if b"\n" not in buffer:
            return
        line = bytes(buffer.split(b"\n", 1)[0])
        try:
            message = json.loads(line)
            files = [Path(p) for p in message["files"] if isinstance(p, str)]
        except (ValueError, KeyError, TypeError):
            self._answer(socket, ok=False)
            return
        _log.info("A second launch handed over %d files", len(files))
        self._answer(socket, ok=True)
        self.files_received.emit(files)

    def _answer(self, socket: QLocalSocket, *, ok: bool) -> None:
        self._buffers.pop(socket, None)
        socket.write(json.dumps({"ok": ok}).encode() + b"\n")
        socket.flush()
        socket.disconnectFromServer()


def hand_over(name: str, files: list[Path], *, timeout: float = 5.0) -> bool:
    """Give `files` to the instance listening on `name`; True once it has answered.
    Retries the connection until `timeout`: the first instance may still be starting."""
    from PySide6.QtNetwork import QLocalSocket

    deadline = time.monotonic() + timeout
    message = json.dumps({"files": [os.fspath(Path(f).absolute()) for f in files]}).encode()
    while True:
        left = int(max(0.0, deadline - time.monotonic()) * 1000)
        socket = QLocalSocket()
        socket.connectToServer(name)
        if socket.waitForConnected(max(left, 1)):
            answer = _ask(socket, message + b"\n", deadline)
            if answer is not None:
                return answer
        socket.abort()
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)


def _ask(socket: QLocalSocket, message: bytes, deadline: float) -> bool | None:
    socket.write(message)
    if not socket.waitForBytesWritten(_left_ms(deadline)):
        return None
    received = b""
    while b"\n" not in received:
        if not socket.bytesAvailable() and not socket.waitForReadyRead(_left_ms(deadline)):
            return None
        received += bytes(socket.readAll().data())
    with contextlib.suppress(OSError):
        socket.disconnectFromServer()
    try:
        return bool(json.loads(received.split(b"\n", 1)[0]).get("ok"))
    except (ValueError, AttributeError):
        return None


def _left_ms(deadline: float) -> int:
    return max(1, int((deadline - time.monotonic()) * 1000))
