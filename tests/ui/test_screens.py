"""Every screen and dialog in a real window under Xvfb with openbox, at 1024×600 logical
pixels at 100 % and 150 %, light and dark (tools/screens.py): nothing outside the window or
cut, every control named for a screen reader, and text on the interview and read-back at a
contrast of 4.5:1 or more. The full matrix of sizes is `python tools/screens.py --matrix`."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QPushButton

TOOL = Path(__file__).resolve().parents[2] / "tools" / "screens.py"


def _screens():
    spec = importlib.util.spec_from_file_location("screens", TOOL)
    module = importlib.util.module_from_spec(spec)
    sys.modules["screens"] = module
    spec.loader.exec_module(module)
    return module


screens = _screens()


@pytest.mark.parametrize("theme_name", screens.THEMES)
@pytest.mark.parametrize("scale", screens.SCALES)
def test_every_screen_fits_a_small_laptop_in_a_real_window(tmp_path, theme_name, scale):
    """At 1024×600 logical pixels every screen and dialog is whole: nothing outside the
    window or cut, every control named, the interview and read-back at 4.5:1 contrast."""
    rows = screens.run_cell(tmp_path, 1024, 600, scale, theme_name)
    assert {row["scene"] for row in rows} == set(screens.SCENES)
    assert {row["scene"]: row["problems"] for row in rows if row["problems"]} == {}
    for row in rows:
        assert (tmp_path / f"{row['scene']}.png").stat().st_size > 10_000


def test_the_checks_find_what_is_cut_outside_or_unreadable(qtbot):
    """The checks are not blind: a label too small for its words, a button pushed out of
    its window, a nameless field and grey text on grey are each reported."""
    from PySide6.QtWidgets import QLabel, QWidget

    window = QWidget()
    qtbot.addWidget(window)
    window.resize(300, 200)
    label = QLabel("Words that need far more room than this label has", window)
    label.setWordWrap(True)
    label.setGeometry(0, 0, 80, 20)
    button = QPushButton("Complete visit", window)
    button.setGeometry(260, 10, 120, 30)
    QLineEdit(window).setGeometry(0, 60, 100, 24)
    faint = QLabel("Faint words", window)
    faint.setStyleSheet("color: #9a9a9a; background: #b0b0b0; font-size: 14pt;")
    faint.setGeometry(0, 100, 200, 40)
    window.show()
    qtbot.waitExposed(window)
    found = screens.fit_problems(window) + screens.unnamed_controls(window) \
        + screens.contrast_problems(window)
    assert any("is cut" in p and "Words that need" in p for p in found)
    assert any("lies outside the window" in p and "Complete visit" in p for p in found)
    assert any("no accessible name" in p for p in found)
    assert any("contrast" in p and "Faint words" in p for p in found)


def test_focus_is_visible_on_every_kind_of_control(qtbot, ws, planned_visit, open_window):
    """A focused button, field and note look different from unfocused ones."""
    from voc_desktop.services.visits import start_visit
    from voc_desktop.ui.laptop.new_visit import NewVisitDialog

    start_visit(ws, planned_visit)
    window = open_window(ws)
    dialog = NewVisitDialog(ws, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    for widget in (dialog.plan_button, dialog.objective_edit, dialog.place_edit):
        other = dialog.place_edit if widget is not dialog.place_edit else dialog.objective_edit
        other.setFocus()
        qtbot.waitUntil(lambda o=other: o.hasFocus())
        before = widget.grab().toImage()
        widget.setFocus()
        qtbot.waitUntil(lambda w=widget: w.hasFocus())
        assert widget.grab().toImage() != before, type(widget).__name__
    dialog.close()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    note = window.interview.notes.answer_editor.text
    assert isinstance(note, QPlainTextEdit)
    window.interview.nav.setFocus()
    before = note.grab().toImage()
    note.setFocus()
    qtbot.waitUntil(note.hasFocus)
    assert note.grab().toImage() != before
