"""The interview screen driven through the real window, by keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from voc_desktop.domain.visit import EntryKind, SummaryStatus, VisitStatus
from voc_desktop.reports.coaching import coaching_for
from voc_desktop.services.visits import load_visit, plan_visit
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.ui.interview.note_editor import AUTOSAVE_DELAY_MS, NoteEditor

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


def press(qtbot, key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifiers)


def type_text(qtbot, text: str) -> None:
    qtbot.keyClicks(QApplication.focusWidget(), text)


def focused_note() -> NoteEditor | None:
    widget = QApplication.focusWidget()
    while widget is not None and not isinstance(widget, NoteEditor):
        widget = widget.parentWidget()
    return widget


def entries(ws, visit_id, kind=None):
    return [e for e in ws.visits.entries(visit_id) if kind is None or e.kind is kind]


def start_interview(qtbot, window, visit_id) -> None:
    window.open_visit(visit_id)
    assert window.stack.currentWidget() is window.visit_page
    press(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.interview)


def test_whole_visit_by_keyboard(qtbot, ws, planned_visit, open_window):
    """A visit runs from start to completion with the keyboard alone, every note stored."""
    window = open_window(ws)
    start_interview(qtbot, window, planned_visit)
    page = window.interview
    first_key = page.state.key
    assert focused_note() is page.notes.answer_editor

    type_text(qtbot, "Changeovers take ninety minutes because seals are swapped by hand.")
    qtbot.waitUntil(lambda: any(e.text.startswith("Changeovers")
                                for e in entries(ws, planned_visit, EntryKind.ANSWER)),
                    timeout=1000)

    press(qtbot, Qt.Key.Key_Y, CTRL)
    probe = focused_note()
    assert probe.kind is EntryKind.PROBE and probe.depth == 1
    type_text(qtbot, "The night shift has no fitter.")
    press(qtbot, Qt.Key.Key_Y, CTRL)
    assert focused_note().depth == 2
    type_text(qtbot, "Fitters cost more at night than a waiting line, they believe.")
    press(qtbot, Qt.Key.Key_K, CTRL)

    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert page.state.key != first_key
    assert first_key in page.state.answered
    second_key = page.state.key
    press(qtbot, Qt.Key.Key_Apostrophe, CTRL)
    assert focused_note().kind is EntryKind.QUOTE
    type_text(qtbot, "We lose a shift a week to changeovers.")
    press(qtbot, Qt.Key.Key_O, CTRL | SHIFT)
    assert focused_note().kind is EntryKind.OBSERVATION
    type_text(qtbot, "Seal kits are stored two halls away from line 2.")
    press(qtbot, Qt.Key.Key_PageDown, CTRL)
    assert page.state.key != second_key

    visit = ws.visits.get(planned_visit)
    assert visit.current_question == page.state.key
    probes = entries(ws, planned_visit, EntryKind.PROBE)
    assert [p.text for p in probes] == ["The night shift has no fitter.",
                                        "Fitters cost more at night than a waiting line, "
                                        "they believe."]
    assert probes[1].parent_id == probes[0].id
    assert entries(ws, planned_visit, EntryKind.QUOTE)[0].question_key == second_key
    assert entries(ws, planned_visit, EntryKind.OBSERVATION)[0].text.startswith("Seal kits")
    learnings = ws.visits.learnings(planned_visit)
    assert [kl.source_entry_id for kl in learnings] == [probes[1].id]

    press(qtbot, Qt.Key.Key_E, CTRL | SHIFT)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summarize)
    assert ws.visits.get(planned_visit).status is VisitStatus.SUMMARIZING
    press(qtbot, Qt.Key.Key_1, ALT)
    assert ws.visits.learnings(planned_visit)[0].status is SummaryStatus.CONFIRMED
    press(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: ws.visits.get(planned_visit).status is VisitStatus.COMPLETED)
    assert window.stack.currentWidget() is window.visit_page


def test_restart_resumes_the_visit_in_progress(qtbot, tmp_path, planned_visit, ws,
                                               open_window):
    """After the app stops mid-visit, the next start opens the same question with the text."""
    window = open_window(ws)
    start_interview(qtbot, window, planned_visit)
    press(qtbot, Qt.Key.Key_Return, CTRL)
    key = window.interview.state.key
    type_text(qtbot, "Typed just before the battery died")
    qtbot.wait(AUTOSAVE_DELAY_MS + 300)  # no save key, no close: only autosave ran
    window.hide()

    again = Workspace.open(ws.data_dir)
    try:
        second = open_window(again)
        assert second.stack.currentWidget() is second.interview
        assert second.interview.visit_id == planned_visit
        assert second.interview.state.key == key
        text = second.interview.notes.answer_editor.text.toPlainText()
        assert text == "Typed just before the battery died"
    finally:
        again.close()


def test_closing_the_window_saves_what_was_just_typed(qtbot, ws, planned_visit, open_window):
    """Text typed a moment before closing is saved by the close itself."""
    window = open_window(ws)
    start_interview(qtbot, window, planned_visit)
    type_text(qtbot, "Last words")
    window.close()
    answers = entries(ws, planned_visit, EntryKind.ANSWER)
    assert [a.text for a in answers] == ["Last words"]


def test_undo_and_redo_reach_the_workspace(qtbot, ws, planned_visit, open_window):
    """Ctrl+Z undoes typing and a new why-probe in the workspace; Ctrl+Shift+Z redoes."""
    window = open_window(ws)
    start_interview(qtbot, window, planned_visit)
    type_text(qtbot, "First answer")
    qtbot.wait(AUTOSAVE_DELAY_MS + 100)
    press(qtbot, Qt.Key.Key_Y, CTRL)
    assert len(entries(ws, planned_visit, EntryKind.PROBE)) == 1
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert entries(ws, planned_visit, EntryKind.PROBE) == []
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert entries(ws, planned_visit, EntryKind.ANSWER)[0].text == ""
    assert window.interview.notes.answer_editor.text.toPlainText() == ""
    press(qtbot, Qt.Key.Key_Z, CTRL | SHIFT)
    assert entries(ws, planned_visit, EntryKind.ANSWER)[0].text == "First answer"
    press(qtbot, Qt.Key.Key_Z, CTRL | SHIFT)
    assert len(entries(ws, planned_visit, EntryKind.PROBE)) == 1


def test_delete_note_then_undo_brings_back_its_ladder(qtbot, ws, planned_visit, open_window):
    """Deleting a why-probe deletes the whys under it; undo restores all of them."""
    window = open_window(ws)
    start_interview(qtbot, window, planned_visit)
    type_text(qtbot, "Answer")
    press(qtbot, Qt.Key.Key_Y, CTRL)
    type_text(qtbot, "Why one")
    press(qtbot, Qt.Key.Key_Y, CTRL)
    type_text(qtbot, "Why two")
    window.interview.notes.editors[1].focus_text()
    press(qtbot, Qt.Key.Key_Backspace, CTRL | SHIFT)
    assert entries(ws, planned_visit, EntryKind.PROBE) == []
    assert len(window.interview.notes.editors) == 1
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert [p.text for p in entries(ws, planned_visit, EntryKind.PROBE)] == ["Why one",
                                                                              "Why two"]
    assert len(window.interview.notes.editors) == 3


def test_pitch_is_flagged_while_typing_without_blocking(qtbot, ws, planned_visit, open_window):
    """Pitch wording shows a warning with its reason, and every keystroke still lands."""
    window = open_window(ws)
    start_interview(qtbot, window, planned_visit)
    coach = window.interview.coach
    assert "Listening" in coach.flags.text()
    sentence = "Let me show you our new quick-change kit, wouldn't you agree it helps?"
    type_text(qtbot, sentence)
    qtbot.waitUntil(lambda: "Sounds like a pitch" in coach.flags.text())
    assert "Leading question" in coach.flags.text()
    assert window.interview.notes.answer_editor.text.toPlainText() == sentence


def test_a_pitched_note_shows_in_the_coach_and_in_the_reports_self_check(
        qtbot, ws, planned_visit, open_window):
    """The coach and the report read a note with one detector: a demo written down in the
    past tense is a pitch in both, with the same words at fault."""
    window = open_window(ws)
    start_interview(qtbot, window, planned_visit)
    coach = window.interview.coach
    note = "Walked the buyer through the pricing page and demoed the new planner."
    type_text(qtbot, note)
    qtbot.waitUntil(lambda: "Sounds like a pitch" in coach.flags.text())
    assert "Walked the buyer through the pricing page" in coach.flags.text()
    qtbot.waitUntil(lambda: [e.text for e in entries(ws, planned_visit, EntryKind.ANSWER)]
                    == [note], timeout=3000)
    record = load_visit(ws, planned_visit)
    coaching = coaching_for(record.guide, record.entries, record.learnings, record.visit)
    assert [(f.kind, f.phrase) for f in coaching.flags] == [
        ("Pitch", "Walked the buyer through the pricing page"), ("Pitch", "demoed")]


def test_why_probe_is_suggested_after_an_answer_without_one(qtbot, ws, planned_visit,
                                                           open_window):
    """An answer with no probe gets a why suggestion; adding a probe answers it."""
    window = open_window(ws)
    start_interview(qtbot, window, planned_visit)
    coach = window.interview.coach
    type_text(qtbot, "We buy from you because delivery is reliable.")
    qtbot.waitUntil(lambda: coach.suggestion.isVisibleTo(coach))
    assert "Ask why" in coach.suggestion.text()
    window.interview.notes.answer_editor.flush()
    press(qtbot, Qt.Key.Key_Y, CTRL)
    window.interview.notes.answer_editor.focus_text()
    qtbot.waitUntil(lambda: not coach.suggestion.isVisibleTo(coach))


def test_go_to_question_from_the_list(qtbot, ws, planned_visit, open_window):
    """Ctrl+G puts focus in the guide's list; Enter on a question opens it."""
    window = open_window(ws)
    start_interview(qtbot, window, planned_visit)
    page = window.interview
    press(qtbot, Qt.Key.Key_G, CTRL)
    assert QApplication.focusWidget() is page.nav
    target = page.record.guide.questions()[5][1].key
    page.nav.setCurrentItem(page.nav._items[target])
    press(qtbot, Qt.Key.Key_Return)
    assert page.state.key == target
    assert ws.visits.get(planned_visit).current_question == target


def test_every_interview_action_shows_its_shortcut(qtbot, ws, open_window):
    """Each interview action has a shortcut, named in its tooltip and in the menu."""
    window = open_window(ws)
    menu_actions = {a for m in window.menuBar().actions() for a in m.menu().actions()}
    for action in window.interview.actions.all():
        shortcut = action.shortcut().toString()
        assert shortcut, action.text()
        assert shortcut.split("+")[-1] in action.toolTip()
        assert action in menu_actions


def test_attach_tag_and_write_a_learning(qtbot, ws, planned_visit, open_window, tmp_path,
                                         monkeypatch):
    """Ctrl+Shift+A attaches a photo with a preview, Ctrl+T tags the note, Ctrl+Shift+K
    writes a learning directly."""
    from PySide6.QtGui import QColor, QImage

    photo = tmp_path / "whiteboard.png"
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("#336699"))
    image.save(str(photo))
    monkeypatch.setattr("voc_desktop.ui.interview.interview_page.QFileDialog.getOpenFileNames",
                        lambda *a, **k: ([str(photo)], ""))
    monkeypatch.setattr("voc_desktop.ui.interview.interview_page.ask_learning",
                        lambda *a, **k: "Night shifts wait for fitters")
    window = open_window(ws)
    start_interview(qtbot, window, planned_visit)

    press(qtbot, Qt.Key.Key_A, CTRL | SHIFT)
    attachment = entries(ws, planned_visit, EntryKind.ATTACHMENT)[0]
    assert attachment.attachment_name == "photo.png"  # the file's own name is not kept
    stored_image = QImage.fromData(ws.attachments.data(attachment.attachment_sha))
    assert stored_image.size() == image.size()
    assert stored_image.pixelColor(10, 10) == QColor("#336699")
    card = focused_note()
    assert card.kind is EntryKind.ATTACHMENT and not card.picture.pixmap().isNull()
    type_text(qtbot, "Shift plan on the whiteboard")

    press(qtbot, Qt.Key.Key_T, CTRL)
    assert QApplication.focusWidget() is card.tags
    type_text(qtbot, "Changeover, #night shift")
    press(qtbot, Qt.Key.Key_Return)
    stored = ws.visits.entry(attachment.id)
    assert stored.tags == ("changeover", "night shift")
    assert stored.text == "Shift plan on the whiteboard"

    press(qtbot, Qt.Key.Key_K, CTRL | SHIFT)
    assert [kl.text for kl in ws.visits.learnings(planned_visit)] == [
        "Night shifts wait for fitters"]
    assert "Night shifts wait for fitters" in window.interview.coach.learnings.item(0).text()


def test_save_and_next_says_when_every_question_is_covered(qtbot, ws, planned_visit,
                                                          open_window):
    """Answering the last open question ends with a pointer to the read-back."""
    window = open_window(ws)
    start_interview(qtbot, window, planned_visit)
    page = window.interview
    for key in page.state.order[:-1]:
        page.go_to(key)
        press(qtbot, Qt.Key.Key_PageDown, CTRL)
    page.go_to(page.state.order[-1])
    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert "stays open" in window.statusBar().currentMessage()
    page.go_to(page.state.order[-1])
    type_text(qtbot, "Last answer")
    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert "Every question is covered" in window.statusBar().currentMessage()


def test_a_full_disk_keeps_the_text_and_says_so(qtbot, ws, planned_visit, open_window,
                                                monkeypatch):
    """When saving fails, the typed text stays on screen through every action, the reason
    shows, and it is saved once there is room again."""
    window = open_window(ws)
    start_interview(qtbot, window, planned_visit)
    page = window.interview
    type_text(qtbot, "Short")
    page.flush()
    first_key = page.state.key
    pages = ws.db.execute("PRAGMA page_count").fetchone()[0]
    ws.db.execute(f"PRAGMA max_page_count = {pages}")
    long_text = " ".join(["Changeovers wait for the night fitter"] * 400)
    page.notes.answer_editor.text.setPlainText(long_text)
    assert not page.flush()
    assert "Could not save" in window.statusBar().currentMessage()
    for key, modifiers in ((Qt.Key.Key_Y, CTRL), (Qt.Key.Key_Return, CTRL),
                           (Qt.Key.Key_PageDown, CTRL), (Qt.Key.Key_Apostrophe, CTRL),
                           (Qt.Key.Key_Z, CTRL), (Qt.Key.Key_E, CTRL | SHIFT)):
        press(qtbot, key, modifiers)
        assert "Not saved yet" in window.statusBar().currentMessage()
        assert page.notes.answer_editor.text.toPlainText() == long_text
        assert page.state.key == first_key
    ws.db.execute(f"PRAGMA max_page_count = {pages + 50}")
    other = plan_visit(ws, ws.visits.get(planned_visit).account_id, "Another visit").id
    ws.db.execute(f"PRAGMA max_page_count = {ws.db.execute('PRAGMA page_count').fetchone()[0]}")
    assert not page.flush()
    window.open_visit(other)
    assert window.stack.currentWidget() is page and page.visit_id == planned_visit
    refused = []

    def keep_open(parent, title, *args):
        refused.append(title)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr("voc_desktop.ui.laptop.main_window.QMessageBox.warning", keep_open)
    window.close()
    assert refused == ["Text not saved"] and window.isVisible()
    assert entries(ws, planned_visit, EntryKind.ANSWER)[0].text == "Short"
    assert ws.visits.get(planned_visit).status is VisitStatus.IN_PROGRESS

    ws.db.execute(f"PRAGMA max_page_count = {pages * 100}")
    assert page.flush()
    assert entries(ws, planned_visit, EntryKind.ANSWER)[0].text == long_text


def test_a_question_for_some_roles_says_so(qtbot, ws, open_window):
    """A question meant for users says so, and warns when no user is in the room."""
    from voc_desktop.domain.accounts import Consent, Role
    from voc_desktop.domain.guide import Bucket, Guide, Question, Section
    from voc_desktop.services.accounts import add_contact, create_account
    from voc_desktop.services.visits import plan_visit

    guide = Guide("3f9a1c2e-5b7d-4e8f-9a0b-1c2d3e4f5a6b", "Roles", 1, "", (Section(
        "s", "Daily work", Bucket.USAGE, "", (
            Question("q-users", "What slows you down on the line?", roles=(Role.USER,)),
            Question("q-all", "What changed this year?"))),))
    stored = ws.guides.add_version(guide.version_id, guide)
    account = create_account(ws, "Nordic Cans")
    buyer = add_contact(ws, account.id, "Ingrid Holm", roles=(Role.ECONOMIC_BUYER,),
                        consent=Consent(given=True))
    visit = plan_visit(ws, account.id, "Learn", guide_version_id=stored.version_id,
                       attendees=((buyer.id, buyer.roles),))
    window = open_window(ws)
    start_interview(qtbot, window, visit.id)
    hint = window.interview.hint.text()
    assert hint.startswith("Only for: User — no one here holds that role")
    press(qtbot, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.interview.question.text() == "What changed this year?"
    assert not window.interview.hint.isVisible()  # meant for everyone, and no hint
