"""The app's own log: what happened and how long it took, never what customers said.

    setup_logging(data_dir)            # <data_dir>/logs/voc-desktop.log, owner-only
    setup_logging(data_dir, console=True)   # also on stderr (or VOC_LOG_CONSOLE=1)

The log is for finding out why the app misbehaved on a laptop without asking the interviewer
to send their workspace. So it records kinds, ids, counts, sizes and durations, and never
customer text: names, answers, notes, account names or the names of files a person chose.
Exception messages can carry such text (a ServiceError names the file it could not write,
a database error quotes a value), so exceptions are logged by their type and the code's
frames only; no message and no local values.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

LOG_FOLDER = "logs"
LOG_FILE = "voc-desktop.log"
CONSOLE_ENV = "VOC_LOG_CONSOLE"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3
ROOT = "voc_desktop"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_log = logging.getLogger(__name__)
_installed: list[logging.Handler] = []
_hooks: dict[str, Any] = {}


def describe_exception(exc_type: type[BaseException] | None, exc: BaseException | None,
                       tb: TracebackType | None) -> str:
    """The exception's type, the types of what caused it, and the frames it passed through:
    file, line and function. The message is left out: it may quote customer text."""
    lines: list[str] = []
    seen: set[int] = set()
    while exc_type is not None:
        lines.append(f"{exc_type.__module__}.{exc_type.__qualname__} (message withheld)")
        lines += [f"  File \"{f.filename}\", line {f.lineno}, in {f.name}"
                  for f in traceback.extract_tb(tb)]
        if exc is None or id(exc) in seen:
            break
        seen.add(id(exc))
        cause = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
        if cause is None:
            break
        lines.append("  caused by:" if exc.__cause__ is not None else "  while handling:")
        exc_type, exc, tb = type(cause), cause, cause.__traceback__
    return "\n".join(lines)


class SafeFormatter(logging.Formatter):
    """Formats exceptions with describe_exception, whoever logs them and however."""

    def formatException(self, ei: Any) -> str:  # noqa: N802 (logging's name)
        return describe_exception(*ei)

    def formatStack(self, stack_info: str) -> str:  # noqa: N802 (logging's name)
        return stack_info


class PrivateFileHandler(logging.FileHandler):
    """A log whose files only their owner can read, moved aside past `max_bytes` and kept as
    `count` older files (name.1 is the newest), and which never disturbs the app: a full
    disk loses log lines, not the session. Written here rather than taken from
    logging.handlers, whose import (sockets, pickling) every start-up would pay for."""

    def __init__(self, path: Path, *, max_bytes: int, count: int) -> None:
        self.max_bytes, self.count = max_bytes, count
        super().__init__(path, encoding="utf-8")

    def _open(self):  # noqa: ANN202 (logging's signature)
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with contextlib.suppress(OSError):
            os.chmod(self.baseFilename, 0o600)  # a file left by an older version
        return open(fd, "a", encoding=self.encoding, errors=self.errors)  # noqa: SIM115

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(OSError, ValueError):
            if self.stream is not None and \
                    self.stream.tell() + len(self.format(record)) + 1 > self.max_bytes:
                self._move_aside()
        super().emit(record)

    def _move_aside(self) -> None:
        self.stream.close()
        self.stream = None  # reopened by emit
        base = self.baseFilename
        for n in range(self.count - 1, 0, -1):
            if os.path.exists(f"{base}.{n}"):
                os.replace(f"{base}.{n}", f"{base}.{n + 1}")
        os.replace(base, f"{base}.1")

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802
        # the default prints the record, arguments and all, to stderr
        pass


class _QuietStream(logging.StreamHandler):
    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802
        pass


def log_folder(data_dir: Path) -> Path:
    return Path(data_dir).expanduser() / LOG_FOLDER


def setup_logging(data_dir: Path | None, *, console: bool = False, level: int = logging.INFO,
                  file_name: str = LOG_FILE, hooks: bool = True) -> Path | None:
    """Send the app's log records (logger `voc_desktop`) to `<data_dir>/logs/<file_name>`,
    and to stderr when asked (`console` or VOC_LOG_CONSOLE=1). With `hooks`, uncaught
    exceptions in any thread are logged too. Returns the log file, or None when there is
    none (no `data_dir`, or a folder that cannot be written): the app then runs without a
    file log rather than not at all."""
    shutdown_logging()
    root = logging.getLogger(ROOT)
    _hooks["logger"] = (root.level, root.propagate)
    root.setLevel(level)
    root.propagate = False  # the records are complete here; nothing is printed twice
    formatter = SafeFormatter(_FORMAT)
    path = None if data_dir is None else log_folder(data_dir) / file_name
    try:
        if path is not None:
            path.parent.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            path.parent.mkdir(exist_ok=True, mode=0o700)
            _add(root, PrivateFileHandler(path, max_bytes=MAX_BYTES, count=BACKUP_COUNT),
                 formatter)
    except OSError:
        path = None
    if console or os.environ.get(CONSOLE_ENV, "").strip() not in ("", "0"):
        _add(root, _QuietStream(sys.stderr), formatter)
    if hooks:
        install_exception_hooks()
    return path


def _add(root: logging.Logger, handler: logging.Handler, formatter: logging.Formatter) -> None:
    handler.setFormatter(formatter)
    root.addHandler(handler)
    _installed.append(handler)


def shutdown_logging() -> None:
    """Undo setup_logging: close its handlers and put the previous exception hooks back."""
    root = logging.getLogger(ROOT)
    while _installed:
        handler = _installed.pop()
        root.removeHandler(handler)
        handler.close()
    if "logger" in _hooks:
        level, root.propagate = _hooks.pop("logger")
        root.setLevel(level)
    if "sys" in _hooks:
        sys.excepthook = _hooks.pop("sys")
    if "threading" in _hooks:
        threading.excepthook = _hooks.pop("threading")


def install_exception_hooks() -> None:
    """Log uncaught exceptions (main thread and others), then let the previous hooks run."""
    if "sys" in _hooks:
        return
    previous_sys: Callable[..., Any] = sys.excepthook
    previous_thread: Callable[..., Any] = threading.excepthook
    _hooks["sys"], _hooks["threading"] = previous_sys, previous_thread

    def on_uncaught(exc_type: type[BaseException], exc: BaseException,
                    tb: TracebackType | None) -> None:
        if not issubclass(exc_type, KeyboardInterrupt):
            logging.getLogger(f"{ROOT}.crash").critical("Uncaught exception",
                                                        exc_info=(exc_type, exc, tb))
        previous_sys(exc_type, exc, tb)

    def on_thread(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is not SystemExit:
            logging.getLogger(f"{ROOT}.crash").critical(
                "Uncaught exception in a background thread",
                exc_info=(args.exc_type, args.exc_value, args.exc_traceback))
        previous_thread(args)

    sys.excepthook = on_uncaught
    threading.excepthook = on_thread
