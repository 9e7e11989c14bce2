"""Smaller points of the interview screen: the ★ badge, the own-words learning, files and
photos, the clock."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from voc_desktop.domain.visit import EntryKind
from voc_desktop.services import interview
from voc_desktop.services.visits import start_visit
from voc_desktop.ui.interview.interview_page import running_label
from voc_desktop.ui.interview.learning_dialog import LearningDialog

CTRL = Qt.KeyboardModifier.ControlModifier


def interview_window(qtbot, ws, visit_id, open_window):
    start_visit(ws, visit_id)
    window = open_window(ws)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.interview)
    return window, window.interview


def test_an_own_words_learning_puts_no_star_on_empty_notes(qtbot, ws, planned_visit,
                                                           open_window):
    """After a learning written in own words, the empty answer shows no ★, and Ctrl+K on it
    makes no "(empty note)" learning."""
    window, page = interview_window(qtbot, ws, planned_visit, open_window)
    interview.add_key_learning(ws, planned_visit, "Night shifts wait for the fitter.")
    page.reload_notes()
    answer = page.notes.answer_editor
    assert answer.entry_id is None and not answer.learning_badge_shown
    assert answer.badge.text() == ""
    qtbot.keyClick(answer.text, Qt.Key.Key_K, CTRL)
    assert [kl.text for kl in ws.visits.learnings(planned_visit)] == [
        "Night shifts wait for the fitter."]
    assert "Write the note first" in window.statusBar().currentMessage()


def test_the_own_words_dialog_wraps_and_ctrl_return_accepts(qtbot):
    """The question wraps inside a dialog no wider than the screen; Ctrl+Return adds it."""
    dialog = LearningDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert dialog.question.wordWrap()
    assert dialog.width() <= dialog.screen().availableGeometry().width()
    assert dialog.question.sizeHint().width() < dialog.width()
    qtbot.keyClicks(dialog.edit, "Changeovers wait for the fitter")
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return, CTRL)
    assert dialog.result() == LearningDialog.DialogCode.Accepted
    assert dialog.text == "Changeovers wait for the fitter"


def test_a_file_over_50_mb_is_refused_in_a_dialog(qtbot, ws, planned_visit, open_window,
                                                  tmp_path, monkeypatch):
    """A 51 MB file is not attached, and a dialog (not only the status line) says why."""
    big = tmp_path / "factory-tour.mov"
    with big.open("wb") as out:
        out.truncate(51 * 1024 * 1024)
    warned = []
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        staticmethod(lambda *a, **k: ([str(big)], "")))
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda *a, **k: warned.append(a[2])))
    window, page = interview_window(qtbot, ws, planned_visit, open_window)
    page.attach()
    assert len(warned) == 1 and "larger than 50 MB" in warned[0]
    assert not [e for e in ws.visits.entries(planned_visit) if e.kind is EntryKind.ATTACHMENT]


def test_a_file_that_is_no_picture_shows_a_drawn_file_mark(qtbot, ws, planned_visit,
                                                           open_window, tmp_path, monkeypatch):
    """A PDF's card shows the style's file icon and its stored neutral name (never the
    file's own, which may name a person), with no emoji to need a font."""
    paper = tmp_path / "line-2 layout.pdf"
    paper.write_bytes(b"%PDF-1.4 not really")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        staticmethod(lambda *a, **k: ([str(paper)], "")))
    window, page = interview_window(qtbot, ws, planned_visit, open_window)
    page.attach()
    card = next(e for e in page.notes.editors if e.kind is EntryKind.ATTACHMENT)
    assert not card.picture.pixmap().isNull() and card.picture.text() == ""
    assert card.picture_name.text() == "file.pdf"


def test_the_export_and_attach_dialogs_start_in_the_person_s_folders(qtbot, ws, planned_visit,
                                                                     open_window, monkeypatch):
    """Export guide opens in the documents folder, Attach in the pictures folder; neither in
    the folder the app was started from."""
    from PySide6.QtCore import QStandardPaths

    seen = {}
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: seen.setdefault("save", a[2]) and ("", "")))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        staticmethod(lambda *a, **k: seen.setdefault("open", a[2]) and ([], "")))
    window, page = interview_window(qtbot, ws, planned_visit, open_window)
    window.export_guide()
    page.attach()
    documents = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    pictures = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
    assert seen["save"].startswith(documents) and seen["open"] == pictures


def test_the_clock_reads_as_hours_and_minutes():
    """Four minutes read "4 min", never "0:04"; past the hour, hours and minutes by name."""
    assert running_label(4) == "Running 4 min"
    assert running_label(65) == "Running 1 h 05 min"


def test_the_learning_dialog_opens_from_ctrl_shift_k(qtbot, ws, planned_visit, open_window):
    """Ctrl+Shift+K opens the own-words dialog; what is written there becomes a learning."""
    window, page = interview_window(qtbot, ws, planned_visit, open_window)

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, LearningDialog)
        qtbot.keyClicks(dialog.edit, "The night shift has no fitter")
        qtbot.keyClick(dialog.edit, Qt.Key.Key_Return, CTRL)

    QTimer.singleShot(100, fill)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_K,
                   CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert [kl.text for kl in ws.visits.learnings(planned_visit)] == [
        "The night shift has no fitter"]
