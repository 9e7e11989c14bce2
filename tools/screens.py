"""The screenshot matrix: every main screen and dialog of VOC Desktop, in a real window, and
a check of each that nothing lies outside the window or is cut, and that text on the
interview and read-back screens has a contrast of at least 4.5:1.

    python tools/screens.py OUT_DIR [--theme light|dark] [--only SCENE ...]

One run is one theme at the screen size and scale the display has: run it under a virtual
X server with a window manager, once per cell of the matrix (`--matrix` does that: it starts
Xvfb and openbox for each size and scale). It writes OUT_DIR/<scene>.png and prints one
JSON line per scene with the problems found; the exit code is 1 when there were any.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

SIZES = ((1024, 600), (1366, 768), (1920, 1080))
SCALES = (1.0, 1.5)
THEMES = ("light", "dark")
MIN_CONTRAST = 4.5
CONTRAST_SCENES = {"interview", "read-back", "read-back-customer"}


@dataclass
class Shot:
    name: str
    problems: list[str] = field(default_factory=list)


# --- checking a window -------------------------------------------------------------------

def _inside_scroll(widget) -> bool:
    from PySide6.QtWidgets import QAbstractScrollArea

    w = widget.parentWidget()
    while w is not None and not w.isWindow():
        if isinstance(w.parentWidget(), QAbstractScrollArea):
            return True  # inside a viewport: out of sight until scrolled to, never cut off
        w = w.parentWidget()
    return False


def _describe(widget) -> str:
    text = ""
    for getter in ("text", "title", "accessibleName"):
        if hasattr(widget, getter) and callable(getattr(widget, getter)):
            value = getattr(widget, getter)()
            if isinstance(value, str) and value:
                text = value
                break
    name = widget.objectName() or type(widget).__name__
    return f"{name} {text[:40]!r}"


def fit_problems(window) -> list[str]:
    """Widgets lying outside the window (or the window outside the screen) and text cut
    short, in words a person can act on."""
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtWidgets import QAbstractButton, QLabel, QTableView, QWidget

    problems = []
    # a full-screen window covers the whole screen, panels included, and has no frame
    full = window.isFullScreen()
    screen = window.screen().geometry() if full else window.screen().availableGeometry()
    frame = window.geometry() if full else window.frameGeometry()
    if not screen.contains(frame):
        problems.append(f"the window ({frame.width()}x{frame.height()} at {frame.x()},"
                        f"{frame.y()}) does not fit the screen's {screen.width()}x"
                        f"{screen.height()}")
    inner = QRect(QPoint(0, 0), window.size())
    for view in window.findChildren(QTableView):
        if view.isVisible():
            problems += _table_problems(view)
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.isWindow() or widget.width() <= 0:
            continue
        if not _inside_scroll(widget):
            rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
            if not inner.contains(rect):
                problems.append(f"{_describe(widget)} lies outside the window "
                                f"({rect.x()},{rect.y()} {rect.width()}x{rect.height()})")
                continue
        if isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull():
            if widget.wordWrap():
                needed = widget.heightForWidth(widget.width())
                if needed > widget.height() + 2:
                    problems.append(f"{_describe(widget)} is cut: {widget.height()} of "
                                    f"{needed} pixels high")
            elif widget.sizeHint().width() > widget.width() + 2:
                problems.append(f"{_describe(widget)} is cut: {widget.width()} of "
                                f"{widget.sizeHint().width()} pixels wide")
        elif isinstance(widget, QAbstractButton) and widget.text() \
                and widget.minimumSizeHint().width() > widget.width() + 2:
            problems.append(f"{_describe(widget)} is cut: {widget.width()} of "
                            f"{widget.minimumSizeHint().width()} pixels wide")
    return problems


def _table_problems(view) -> list[str]:
    """Rows too low for their wrapped text, headers too narrow for their title."""
    from PySide6.QtCore import Qt

    problems = []
    model, header = view.model(), view.horizontalHeader()
    for column in range(model.columnCount()):
        if view.isColumnHidden(column):
            continue
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        needed = header.fontMetrics().horizontalAdvance(title) + 8
        if title and header.sectionSize(column) < needed:
            problems.append(f"the column {title!r} is cut: {header.sectionSize(column)} of "
                            f"{needed} pixels wide")
    for row in range(min(model.rowCount(), 50)):
        if view.sizeHintForRow(row) > view.rowHeight(row) + 2:
            problems.append(f"row {row + 1} of {_describe(view)} is cut: "
                            f"{view.rowHeight(row)} of {view.sizeHintForRow(row)} pixels high")
    return problems


def unnamed_controls(window) -> list[str]:
    """Controls a screen reader would announce without a name (a header names its table's
    columns itself)."""
    from PySide6.QtGui import QAccessible
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QHeaderView,
        QLineEdit,
        QPlainTextEdit,
        QTabBar,
        QWidget,
    )

    kinds = (QAbstractButton, QLineEdit, QPlainTextEdit, QComboBox, QAbstractItemView,
             QTabBar, QAbstractSpinBox)
    problems = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or not isinstance(widget, kinds) \
                or isinstance(widget, QHeaderView):
            continue
        face = QAccessible.queryAccessibleInterface(widget)
        if face is None or not face.text(QAccessible.Text.Name).strip():
            problems.append(f"{_describe(widget)} in {type(widget.parentWidget()).__name__} "
                            "has no accessible name")
    return problems


def _luminance_order(image) -> tuple[object, object] | None:
    """The background (the commonest colour) and the text colour (the one furthest from it
    among colours covering a few pixels) of a rendered text widget."""
    from PySide6.QtGui import QColor

    from voc_desktop.ui.common.theme import contrast

    counts: Counter[int] = Counter()
    step = 1 if image.width() * image.height() < 200_000 else 2
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            counts[image.pixel(x, y) & 0xFFFFFF] += 1
    if len(counts) < 2:
        return None
    background, _ = counts.most_common(1)[0]
    floor = max(3, sum(counts.values()) // 2000)
    candidates = [rgb for rgb, n in counts.items() if n >= floor and rgb != background]
    if not candidates:
        return None
    bg = QColor(background | 0xFF000000)
    text = max(candidates, key=lambda rgb: contrast(QColor(rgb | 0xFF000000), bg))
    return QColor(text | 0xFF000000), bg


def contrast_problems(window) -> list[str]:
    """Text widgets whose drawn text and background differ by less than 4.5:1."""
    from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QPlainTextEdit

    from voc_desktop.ui.common.theme import contrast

    problems = []
    kinds = (QLabel, QLineEdit, QPlainTextEdit, QAbstractButton)
    for widget in window.findChildren(kinds[0]) + window.findChildren(kinds[1]) \
            + window.findChildren(kinds[2]) + window.findChildren(kinds[3]):
        if not widget.isVisible() or not widget.isEnabled():
            continue
        text = widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()
        if not text.strip() or (isinstance(widget, QLabel) and not widget.pixmap().isNull()):
            continue
        image = widget.grab().toImage()
        if image.isNull():
            continue
        found = _luminance_order(image)
        if found is None:
            continue
        fg, bg = found
        ratio = contrast(fg, bg)
        if ratio < MIN_CONTRAST:
            problems.append(f"{_describe(widget)}: contrast {ratio:.1f}:1 "
                            f"({fg.name()} on {bg.name()})")
    return problems


# --- the scenes ------------------------------------------------------------------------

@dataclass
class Stage:
    """The app as a scene sets it up: the workspace, the laptop window, the visit in use."""

    ws: object
    window: object
    visit_id: str = ""
    extra: list[object] = field(default_factory=list)


def _settle(app, seconds: float = 0.3) -> None:
    from PySide6.QtCore import QEvent

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # as the running app would
        time.sleep(0.02)


def _interview(stage: Stage):
    from voc_desktop.services import interview
    from voc_desktop.services.visits import start_visit

    ws = stage.ws
    planned = next(v for v in ws.visits.list() if v.status.value == "planned")
    start_visit(ws, planned.id)
    stage.visit_id = planned.id
    window = stage.window
    window.open_visit(planned.id)
    page = window.interview
    key = page.state.key
    answer = interview.record_answer(ws, planned.id, key, "We change the seals by hand on "
                                     "every changeover, and the night shift waits for a fitter.")
    probe = interview.add_why_probe(ws, answer.id, "Because the fitter is on days only.")
    interview.add_why_probe(ws, probe.id, "Nobody else is trained on the new line.")
    interview.add_quote(ws, planned.id, "Wouldn't you agree our tool would fix that?",
                        question_key=key)
    interview.add_key_learning(ws, planned.id, "Night changeovers wait for the one fitter.")
    page.show_visit(planned.id)
    return window


def _read_back(stage: Stage):
    from voc_desktop.domain.visit import SummaryStatus
    from voc_desktop.services import closing, interview

    ws, window = stage.ws, stage.window
    interview.add_key_learning(ws, stage.visit_id, "Price is what holds the renewal back; "
                               "the customer would rather pay for training than for a tool.")
    closing.end_interview(ws, stage.visit_id)
    window.open_visit(stage.visit_id)
    learnings = ws.visits.learnings(stage.visit_id)
    closing.set_point_status(ws, learnings[-1].id, SummaryStatus.REJECTED)
    return window


def _read_back_customer(stage: Stage):
    page = stage.window.summarize
    if not page.customer_view:
        page.toggle_customer_view()
    return stage.window


def _leave_customer_view(stage: Stage) -> None:
    page = stage.window.summarize
    if page.customer_view:
        page.toggle_customer_view()


def _completed(stage: Stage):
    ws, window = stage.ws, stage.window
    done = next(v for v in ws.visits.list() if v.status.value == "completed")
    window.open_visit(done.id)
    return window


def _follow_up(stage: Stage):
    from PySide6.QtWidgets import QApplication, QScrollArea

    _completed(stage)
    page = stage.window.visit_page
    QApplication.processEvents()
    page.findChild(QScrollArea).ensureWidgetVisible(page.follow_up.table, 0, 40)
    return stage.window


def _account(stage: Stage):
    done = next(v for v in stage.ws.visits.list() if v.status.value == "completed")
    stage.window.open_account(done.account_id)
    return stage.window


def _welcome(stage: Stage):
    stage.window.stack.setCurrentWidget(stage.window.welcome)
    return stage.window


def _new_visit(stage: Stage):
    from voc_desktop.ui.laptop.new_visit import NewVisitDialog

    done = next(v for v in stage.ws.visits.list() if v.status.value == "completed")
    dialog = NewVisitDialog(stage.ws, stage.window, done.account_id)
    dialog.show()
    dialog.accept()  # no objective: the dialog says what is missing
    return dialog


def _help(stage: Stage):
    from voc_desktop.ui.laptop.help_dialog import help_dialog

    dialog = help_dialog(stage.window, stage.window.actions, stage.window.window_actions)
    dialog.show()
    return dialog


def _guide_editor(stage: Stage):
    editor = stage.window.guide_editor
    editor.show_editor()
    return editor


def _add_person(stage: Stage):
    from voc_desktop.ui.laptop.contact_dialog import ContactDialog

    done = next(v for v in stage.ws.visits.list() if v.status.value == "completed")
    dialog = ContactDialog(stage.ws, done.account_id, stage.window)
    dialog.show()
    return dialog


def _contact_plan(stage: Stage):
    return stage.window.show_contact_plan()


def _backups(stage: Stage):
    return stage.window.show_backups()


def _archive(stage: Stage):
    from voc_desktop.services.archive.keeper import Archive
    from voc_desktop.services.archive.workspace import ArchiveWorkspace
    from voc_desktop.ui.archive.window import ArchiveWindow
    from voc_desktop.ui.common.look import fit_to_screen

    archive_dir = Path(stage.ws.data_dir).parent / "archive"
    with Archive.create(archive_dir, index=archive_dir.parent / "keeper-index.sqlite3"):
        pass
    lens = ArchiveWorkspace.open(archive_dir, data_dir=archive_dir.parent / "lens")
    window = ArchiveWindow(lens)
    fit_to_screen(window, 1280)
    window.show()
    stage.extra.append(window)
    return window


def _archive_published(stage: Stage):
    from PySide6.QtWidgets import QApplication

    from voc_desktop.ui.archive.window import ArchiveWindow

    window = next((w for w in stage.extra if isinstance(w, ArchiveWindow)), None) \
        or _archive(stage)
    window.publish_copy(Path(stage.ws.data_dir).parent / "published.db", with_photos=False)
    deadline = time.monotonic() + 30
    while window.box is None and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.02)
    return window.box


SCENES: dict[str, Callable[[Stage], object]] = {
    "welcome": _welcome,
    "new-visit": _new_visit,
    "interview": _interview,
    "read-back": _read_back,
    "read-back-customer": _read_back_customer,
    "visit-completed": _completed,
    "follow-up": _follow_up,
    "account": _account,
    "add-person": _add_person,
    "guide-editor": _guide_editor,
    "contact-plan": _contact_plan,
    "backups": _backups,
    "help": _help,
    "archive": _archive,
    "archive-published": _archive_published,
}


@contextmanager
def _stage(data_dir: Path) -> Iterator[Stage]:
    from voc_desktop.services.demo.sample_workspace import fill_demo
    from voc_desktop.services.workspace.workspace import Workspace
    from voc_desktop.ui.app import laptop_window

    ws = Workspace.open(data_dir / "ws")
    fill_demo(ws)
    window = laptop_window(ws)
    window.show()
    try:
        yield Stage(ws, window)
    finally:
        window.close()
        ws.close()


def take(out: Path, theme_name: str, only: list[str] | None = None) -> list[Shot]:
    """Each scene shown for real on the display, saved as a picture and checked."""
    from PySide6.QtWidgets import QApplication, QDialog

    from voc_desktop.ui.common import theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("VOC Desktop screens")
    theme.use(theme.THEMES[theme_name])
    out.mkdir(parents=True, exist_ok=True)
    shots = []
    with tempfile.TemporaryDirectory(prefix="voc-screens-") as tmp, _stage(Path(tmp)) as stage:
        _settle(app, 0.5)
        for name, make in SCENES.items():
            if name == "visit-completed":
                _leave_customer_view(stage)
            if only and name not in only and name not in ("interview", "read-back"):
                continue
            shown = make(stage)
            _settle(app)
            if only and name not in only:
                continue
            shot = Shot(name)
            # a timer (the coach's, the autosave's) may change a text just now: a problem
            # counts once the window has had a moment to lay out again
            for _ in range(5):
                shot.problems = fit_problems(shown) + unnamed_controls(shown)
                if not shot.problems:
                    break
                _settle(app)
            if name in CONTRAST_SCENES:
                shot.problems += contrast_problems(shown)
            screen = shown.screen()
            screen.grabWindow(0).save(str(out / f"{name}.png"))
            shots.append(shot)
            if isinstance(shown, QDialog):
                shown.close()
        _leave_customer_view(stage)
    return shots


# --- the matrix under Xvfb -------------------------------------------------------------

def _wait_for(display: str, seconds: float = 10.0) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if Path(f"/tmp/.X11-unix/X{display.lstrip(':')}").exists():
            return
        time.sleep(0.05)
    raise RuntimeError(f"the X server on {display} did not start")


def free_display() -> int:
    """A display number no X server holds (others may run theirs on the same machine)."""
    for number in range(140, 400):
        if not Path(f"/tmp/.X{number}-lock").exists() \
                and not Path(f"/tmp/.X11-unix/X{number}").exists():
            return number
    raise RuntimeError("no free X display number between 140 and 399")


@contextmanager
def virtual_display(width: int, height: int, number: int | None = None
                    ) -> Iterator[dict[str, str]]:
    """An Xvfb screen of `width`x`height` with openbox managing its windows; the
    environment to run in it."""
    for tool in ("Xvfb", "openbox"):
        if shutil.which(tool) is None:
            raise RuntimeError(f"{tool} is not installed (apt-get install xvfb openbox)")
    display = f":{number if number is not None else free_display()}"
    server = subprocess.Popen(["Xvfb", display, "-screen", "0", f"{width}x{height}x24",
                               "-nolisten", "tcp"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    manager = None
    try:
        _wait_for(display)
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
        manager = subprocess.Popen(["openbox"], env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(0.5)  # openbox takes the screen before the first window maps
        yield env
    finally:
        for process in (manager, server):
            if process is not None:
                process.terminate()
                process.wait(timeout=10)


def run_cell(out: Path, width: int, height: int, scale: float, theme_name: str,
             only: list[str] | None = None, number: int | None = None
             ) -> list[dict[str, object]]:
    """One cell of the matrix in a fresh process on its own virtual screen: `width` and
    `height` are logical pixels, so the screen has `scale` times as many (1024x600 at 150 %
    is a 1536x900 screen, as on a laptop whose 1536x900 panel is set to 150 %)."""
    with virtual_display(round(width * scale), round(height * scale), number) as env:
        env["QT_SCALE_FACTOR"] = str(scale)
        command = [sys.executable, __file__, str(out), "--theme", theme_name]
        if only:
            command += ["--only", *only]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    if not rows:
        raise RuntimeError(f"no screens were taken:\n{done.stderr[-2000:]}")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--theme", choices=THEMES, default="light")
    parser.add_argument("--only", nargs="*", choices=sorted(SCENES))
    parser.add_argument("--matrix", action="store_true", help="every size, scale and theme, "
                        "each on its own Xvfb screen with openbox")
    args = parser.parse_args(argv)
    bad = 0
    if args.matrix:
        for width, height in SIZES:
            for scale in SCALES:
                for theme_name in THEMES:
                    cell = args.out / f"{width}x{height}-{int(scale * 100)}-{theme_name}"
                    for row in run_cell(cell, width, height, scale, theme_name, args.only):
                        print(json.dumps({"cell": cell.name, **row}), flush=True)
                        bad += bool(row["problems"])
        return 1 if bad else 0
    for shot in take(args.out, args.theme, args.only):
        print(json.dumps({"scene": shot.name, "problems": shot.problems}), flush=True)
        bad += bool(shot.problems)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    raise SystemExit(main())
