"""A typist for the crash test: it opens a workspace, types answers into a visit and says
on stdout what it typed and what was saved, until the test kills it.

    python typist.py service|window DATA_DIR SEED
    python typist.py serve service|window

`service` types through `voc_desktop.services.interview` without Qt, saving every few
characters; `window` types into the real main window (offscreen) with QTest while the event
loop runs, so the window's own autosave decides when text is saved. `serve` keeps one
process with everything loaded and forks a fresh typist per request (see `serve`).

Every report is one JSON line, flushed at once: `open` once the workspace is open (crash
recovery done), `ready` when typing starts, `k` after each keystroke (`to` target, `c` the
character, `t` its `time.monotonic()`), `save` / `done` around each save call and `saved`
(`to`, `n` the stored length) once a save is committed. A target is `<visit id>/<question
key>` for an answer and the entry id for any other note.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# The typist runs as a script: the project root must be importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from voc_desktop.domain.visit import Entry, EntryKind, Visit, VisitStatus  # noqa: E402
from voc_desktop.services import closing, interview, visits  # noqa: E402
from voc_desktop.services.accounts import create_account  # noqa: E402
from voc_desktop.services.workspace.lock import hold  # noqa: E402
from voc_desktop.services.workspace.workspace import Change, Workspace  # noqa: E402

WORDS = (
    "changeover", "seals", "night", "shift", "fitter", "line", "waiting", "downtime",
    "Prüfstand", "Dichtung", "smørbrød", "façade", "niño", "Åsa", "Œuvre", "crème",
    "łódź", "přístroj", "Šiauliai", "İzmir", "βάνα", "линия", "ダウンタイム", "工場",
    "naïve", "café", "👍",
)
ANSWERS_PER_VISIT = 6  # a visit with this many answers is completed and a new one started


def characters(rng: random.Random) -> Iterator[str]:
    """Words and punctuation, endlessly, one character at a time."""
    while True:
        yield from rng.choice(WORDS)
        yield from rng.choice((" ", " ", " ", ", ", ". "))


class Reports:
    def __init__(self) -> None:
        self._out = sys.stdout

    def send(self, event: str, **fields: Any) -> None:
        self._out.write(json.dumps({"e": event, **fields}) + "\n")
        self._out.flush()


def target_of(entry: Entry) -> str:
    if entry.kind is EntryKind.ANSWER and entry.parent_id is None:
        return f"{entry.visit_id}/{entry.question_key}"
    return entry.id


def report_commits(ws: Workspace, out: Reports) -> None:
    """Change notices arrive after the commit: what they name is confirmed as stored."""
    def heard(change: Change) -> None:
        if "entries" not in change.tables:
            return
        for entry_id in change.ids:
            entry = ws.visits.entry(entry_id)
            if entry is not None:
                out.send("saved", to=target_of(entry), n=len(entry.text))

    ws.subscribe(heard)


def announce_saves(out: Reports) -> None:
    """Wraps the interview services so every save call is bracketed by `save` and `done`."""
    def wrapped(original: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            out.send("save")
            result = original(*args, **kwargs)
            out.send("done")
            return result
        return call

    for name in ("record_answer", "update_text", "add_why_probe", "set_position"):
        setattr(interview, name, wrapped(getattr(interview, name)))


def visit_to_continue(ws: Workspace) -> Visit | None:
    """The visit in progress, or None once it has enough answers (it is then completed)."""
    visit = ws.visits.in_progress()
    if visit is None:
        return None
    answers = [e for e in ws.visits.entries(visit.id) if e.kind is EntryKind.ANSWER]
    if len(answers) < ANSWERS_PER_VISIT:
        return visit
    closing.skip_summary(ws, visit.id, "Drill: no read-back")
    return None


def plan_next_visit(ws: Workspace) -> Visit:
    planned = [v for v in ws.visits.list() if v.status is VisitStatus.PLANNED]
    if planned:
        return planned[0]
    accounts = ws.accounts.list()
    account = accounts[0] if accounts else create_account(ws, "Nordic Cans")
    return visits.plan_visit(ws, account.id, "Why do changeovers take so long?")


def question_keys(ws: Workspace, visit: Visit) -> list[str]:
    stored = ws.guides.version(visit.guide_version_id)
    assert stored is not None
    return [q.key for _, q in stored.guide.questions()]


# the service typist
def type_through_services(ws: Workspace, rng: random.Random, out: Reports) -> None:
    visit = visit_to_continue(ws) or visits.start_visit(ws, plan_next_visit(ws).id)
    keys = question_keys(ws, visit)
    key = visit.current_question if visit.current_question in keys else keys[0]
    stream = characters(rng)
    out.send("ready")
    while True:
        roll = rng.random()
        if roll < 0.12:
            key = keys[(keys.index(key) + 1) % len(keys)]
            interview.set_position(ws, visit.id, key)
            continue
        answer = next((e for e in ws.visits.entries(visit.id)
                       if e.kind is EntryKind.ANSWER and e.question_key == key), None)
        if roll < 0.22 and answer is not None:
            probe = interview.add_why_probe(ws, answer.id)
            _type_burst(rng, out, stream, probe.id, "",
                        lambda text, pid=probe.id: interview.update_text(ws, pid, text))
        else:
            _type_burst(rng, out, stream, f"{visit.id}/{key}",
                        answer.text if answer else "",
                        lambda text, k=key: interview.record_answer(ws, visit.id, k, text))


def _type_burst(rng: random.Random, out: Reports, stream: Iterator[str],
                target: str, text: str, save: Callable[[str], Entry]) -> None:
    every, unsaved = rng.randint(1, 6), 0
    for _ in range(rng.randint(5, 40)):
        char = next(stream)
        text += char
        out.send("k", to=target, c=char, t=time.monotonic())
        unsaved += 1
        if unsaved >= every:
            save(text)
            unsaved = 0
        if rng.random() < 0.3:
            time.sleep(rng.uniform(0.0005, 0.004))  # a quick typist, not a machine
    if unsaved:
        save(text)


# the window typist
def type_in_window(ws: Workspace, rng: random.Random, out: Reports) -> None:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from voc_desktop.ui.app import laptop_window
    from voc_desktop.ui.interview.note_editor import NoteEditor

    app = QApplication.instance() or QApplication(sys.argv[:1])
    continuing = visit_to_continue(ws)
    window = laptop_window(ws)
    window.resize(1366, 768)
    window.show()
    QTimer.singleShot(0, ws.prepare_writes)
    window.activateWindow()
    _wait_for(app, lambda: QApplication.activeWindow() is window)
    if continuing is None:
        window.open_visit(plan_next_visit(ws).id)
        QTest.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Return,
                       Qt.KeyboardModifier.ControlModifier)
    _wait_for(app, lambda: window.stack.currentWidget() is window.interview)
    page = window.interview
    stream = characters(rng)

    def place(event: str) -> None:
        """Where the window is: the question, the note (its id once saved) and the cursor."""
        note = focused_note()
        out.send(event, q=page.state.key, note=note.entry_id, cursor=note.cursor_position,
                 t=time.monotonic())

    def focused_note() -> NoteEditor:
        widget = QApplication.focusWidget()
        while widget is not None and not isinstance(widget, NoteEditor):
            widget = widget.parentWidget()
        if widget is None:
            page.notes.answer_editor.focus_text()
            widget = page.notes.answer_editor
        return widget

    def step() -> None:
        roll, pause = rng.random(), rng.uniform(0.1, 0.3)
        note = focused_note()
        if roll < 0.03:
            out.send("moving")  # to the next open question; its place is kept on arrival
            QTest.keyClick(note.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        elif roll < 0.045:
            QTest.keyClick(note.text, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
        elif roll < 0.12:
            # listening, not typing: the autosave has its turn, and the place is kept
            pause = rng.uniform(0.5, 2.5)
        else:
            target = (f"{page.visit_id}/{note.question_key}" if note.kind is EntryKind.ANSWER
                      else note.entry_id)
            char = next(stream)
            # sendKeyEvent carries any character; keyClicks only knows ASCII keys
            key = QTest.asciiToKey(char) if char.isascii() else Qt.Key.Key_unknown
            QTest.sendKeyEvent(QTest.KeyAction.Click, note.text, key, char,
                               Qt.KeyboardModifier.NoModifier)
            out.send("k", to=target, c=char, t=time.monotonic())
        place("at")
        QTimer.singleShot(int(pause * 1000), step)

    if continuing is not None:
        place("resumed")  # before any key: what the restart opened on
    out.send("ready")
    QTimer.singleShot(0, step)
    app.exec()


def _wait_for(app: Any, condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there")
        app.processEvents()
        time.sleep(0.005)


def run(mode: str, data_dir: Path, seed: int) -> None:
    """One life of the typist: open (recovering what the last one left), then type."""
    out = Reports()
    lock = hold(data_dir)  # a lock left behind by the killed run would refuse us here
    ws = Workspace.open(data_dir)
    out.send("open")
    report_commits(ws, out)
    announce_saves(out)
    rng = random.Random(seed)
    try:
        if mode == "service":
            type_through_services(ws, rng, out)
        else:
            type_in_window(ws, rng, out)
    finally:
        ws.close()
        lock.release()


def serve(mode: str) -> None:
    """Loads what a typist needs once, then forks a fresh typist for every request line
    (`{"data_dir", "seed", "log", "err"}` on stdin), answering `{"pid"}` at once and
    `{"ended", "status"}` when it is gone. A fork starts in milliseconds, where a new
    interpreter spends most of a second importing and compiling before the first key."""
    if mode == "window":
        import PySide6.QtTest  # noqa: F401
        import PySide6.QtWidgets  # noqa: F401

        import voc_desktop.ui.laptop.main_window  # noqa: F401
        from voc_desktop.domain.coaching.pitch import load_rules

        load_rules()  # the phrases an app compiles once, at its first highlighted note
    import sqlite_utils  # noqa: F401  (loaded by the first write in the app as well)

    for line in sys.stdin:
        request = json.loads(line)
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            _become_typist(mode, request)
        print(json.dumps({"pid": pid}), flush=True)
        _, status = os.waitpid(pid, 0)
        print(json.dumps({"ended": pid, "status": status}), flush=True)


def _become_typist(mode: str, request: dict[str, Any]) -> None:
    code = 1
    try:
        for fd, path, flags in ((0, os.devnull, os.O_RDONLY),
                                (1, request["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
                                (2, request["err"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)):
            opened = os.open(path, flags, 0o600)
            os.dup2(opened, fd)
            os.close(opened)
        run(mode, Path(request["data_dir"]), int(request["seed"]))
        code = 0
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)  # never back into the server's loop


def main(argv: list[str]) -> int:
    if argv[0] == "serve":
        serve(argv[1])
    else:
        run(argv[0], Path(argv[1]), int(argv[2]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
