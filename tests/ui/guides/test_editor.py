"""The guide editor: outline edits, reordering by drag and drop and keyboard, saving."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.modeltest import ModelTester

from voc_desktop.domain.accounts import Role
from voc_desktop.services.accounts import create_account
from voc_desktop.services.guide_editing import GuideDraft
from voc_desktop.services.visits import plan_visit
from voc_desktop.ui.guides.editor import GuideEditor
from voc_desktop.ui.guides.editor_model import GuideOutlineModel


def open_editor(qtbot, ws) -> GuideEditor:
    editor = GuideEditor(ws)
    # closing with unsaved edits asks first; at the end of a test nobody is there to answer
    qtbot.addWidget(editor, before_close_func=lambda w: setattr(w, "dirty", False))
    editor.resize(1366, 768)
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)
    return editor


def texts(editor: GuideEditor) -> list[list[str]]:
    return [[q.text for q in s.questions] for s in editor.model.draft.sections]


def test_outline_model_passes_the_model_tester(qtbot, ws) -> None:
    """The outline is a well-behaved Qt tree model through edits and moves."""
    model = GuideOutlineModel()
    ModelTester(qtbot).check(model, force_py=True)
    model.set_draft(GuideDraft.of(ws.guides.list_latest()[0].guide))
    model.move_by(model.question_index(1, 0), -1)
    model.move_by(model.section_index(0), 1)
    model.remove(model.question_index(0, 0))


def test_add_section_and_question_and_edit_texts(qtbot, ws) -> None:
    """Keys add a section and a question, focus lands in their text, and typing edits them."""
    editor = open_editor(qtbot, ws)
    sections = len(editor.model.draft.sections)
    editor.tree.setFocus()
    editor._select(editor.model.section_index(sections - 1))
    qtbot.keyClick(editor.tree, Qt.Key.Key_Return,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert len(editor.model.draft.sections) == sections + 1
    assert QApplication.focusWidget() is editor.section_form.title
    qtbot.keyClicks(editor.section_form.title, "After the visit")
    assert editor.model.draft.sections[-1].title == "After the visit"
    editor._select(editor.model.question_index(sections, 0))
    qtbot.keyClicks(editor.question_form.text, "What happened next?")
    qtbot.keyClick(editor.question_form.text, Qt.Key.Key_Return,
                   Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is editor.question_form.text
    qtbot.keyClicks(editor.question_form.text, "Who noticed first?")
    qtbot.keyClicks(editor.question_form.probes, "Why then?")
    qtbot.keyClick(editor.question_form.probes, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.question_form.probes, "Why them?")
    assert texts(editor)[-1] == ["What happened next?", "Who noticed first?"]
    assert editor.model.draft.sections[-1].questions[1].probes == ["Why then?", "Why them?"]
    assert editor.dirty


def test_drop_moves_a_question_into_another_section(qtbot, ws) -> None:
    """Dropping a question on another section moves it there, and nothing is lost."""
    editor = open_editor(qtbot, ws)
    model = editor.model
    before = texts(editor)
    moved = before[0][0]
    data = model.mimeData([model.question_index(0, 0)])
    target = model.section_index(2)
    assert model.canDropMimeData(data, Qt.DropAction.MoveAction, 1, 0, target)
    model.dropMimeData(data, Qt.DropAction.MoveAction, 1, 0, target)
    after = texts(editor)
    assert after[0] == before[0][1:]
    assert after[2] == [before[2][0], moved, *before[2][1:]]
    assert sum(map(len, after)) == sum(map(len, before))


def test_drop_refuses_a_section_inside_a_section(qtbot, ws) -> None:
    """A section cannot be dropped into another section, nor a question among sections."""
    model = open_editor(qtbot, ws).model
    section = model.mimeData([model.section_index(0)])
    question = model.mimeData([model.question_index(0, 0)])
    assert not model.canDropMimeData(section, Qt.DropAction.MoveAction, 0, 0,
                                     model.section_index(1))
    assert not model.canDropMimeData(question, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert not model.canDropMimeData(QMimeData(), Qt.DropAction.MoveAction, 0, 0, QModelIndex())


def test_drop_reorders_sections(qtbot, ws) -> None:
    """Dropping the first section after the third puts it third."""
    model = open_editor(qtbot, ws).model
    titles = [s.title for s in model.draft.sections]
    model.dropMimeData(model.mimeData([model.section_index(0)]), Qt.DropAction.MoveAction,
                       3, 0, QModelIndex())
    assert [s.title for s in model.draft.sections] == [titles[1], titles[2], titles[0],
                                                        *titles[3:]]


def test_alt_arrows_move_questions_across_sections(qtbot, ws) -> None:
    """Alt+Down moves a question down, and past the end of its section into the next."""
    editor = open_editor(qtbot, ws)
    before = texts(editor)
    last = len(before[0]) - 1
    editor.tree.setFocus()
    editor._select(editor.model.question_index(0, last - 1))
    qtbot.keyClick(editor.tree, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert texts(editor)[0][last] == before[0][last - 1]
    qtbot.keyClick(editor.tree, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert texts(editor)[1][0] == before[0][last - 1]
    assert editor.model.question_at(editor.tree.currentIndex()).text == before[0][last - 1]
    qtbot.keyClick(editor.tree, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert texts(editor)[0][-1] == before[0][last - 1]


def test_save_adds_a_version_and_an_old_visit_keeps_its_own(qtbot, ws) -> None:
    """Ctrl+S stores the edit as the next version; a visit planned earlier keeps the old one."""
    editor = open_editor(qtbot, ws)
    old = ws.guides.list_latest()[0]
    account = create_account(ws, "Nordic Cans")
    visit = plan_visit(ws, account.id, "Learn", guide_version_id=old.version_id)
    editor._select(editor.model.question_index(0, 0))
    editor.question_form.text.setPlainText("Tell us who you are and what you look after.")
    editor.question_form.roles[Role.ECONOMIC_BUYER].setChecked(True)
    qtbot.keyClick(editor.tree, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    new = ws.guides.latest(old.guide.guide_id)
    assert new.guide.version == old.guide.version + 1
    first = new.guide.sections[0].questions[0]
    assert first.text == "Tell us who you are and what you look after."
    assert first.roles == (Role.ECONOMIC_BUYER,)
    assert ws.visits.get(visit.id).guide_version_id == old.version_id
    assert ws.guides.version(old.version_id).guide == old.guide
    assert not editor.dirty
    assert f"version {old.guide.version + 1}" in editor.message.text()


def test_save_without_changes_adds_nothing(qtbot, ws) -> None:
    """Saving an untouched guide says so and stores no version."""
    editor = open_editor(qtbot, ws)
    old = ws.guides.list_latest()[0]
    editor.save()
    assert ws.guides.latest(old.guide.guide_id) == old
    assert editor.message.text() == "No changes to save."


def test_invalid_edit_is_explained_not_saved(qtbot, ws) -> None:
    """A section emptied of questions is named in the message and nothing is stored."""
    editor = open_editor(qtbot, ws)
    old = ws.guides.list_latest()[0]
    for _ in old.guide.sections[0].questions:
        editor.model.remove(editor.model.question_index(0, 0))
    assert not editor.save()
    assert "has no questions" in editor.message.text()
    assert ws.guides.latest(old.guide.guide_id) == old


def test_new_and_copy_create_guides(qtbot, ws, monkeypatch) -> None:
    """New and Copy (Ctrl+N, Ctrl+D) add guides to the list and open them."""
    editor = open_editor(qtbot, ws)
    names = iter(["Short visit", "Short visit copy"])
    monkeypatch.setattr(GuideEditor, "_ask_name", lambda self, title, suggested: next(names))
    qtbot.keyClick(editor.tree, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert editor.model.draft.name == "Short visit"
    qtbot.keyClick(editor.tree, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert editor.model.draft.name == "Short visit copy"
    assert editor.guides.count() == 3
    copy = ws.guides.find_by_name("Short visit copy").guide
    assert copy.sections == ws.guides.find_by_name("Short visit").guide.sections


def test_switching_guides_with_unsaved_edits_asks(qtbot, ws, monkeypatch) -> None:
    """Leaving a changed guide offers to save; Cancel keeps it open with its edits."""
    editor = open_editor(qtbot, ws)
    monkeypatch.setattr(GuideEditor, "_ask_name", lambda self, title, suggested: "Second")
    editor.new_guide()
    editor.model.draft.name = "Second guide"
    editor._edited()
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Cancel)
    editor.guides.setCurrentRow(1 - editor.guides.currentRow())
    assert editor.model.draft.name == "Second guide"
    assert editor.dirty


def test_leading_question_shows_its_reason_inline(qtbot, ws) -> None:
    """A leading question gets a warning icon, a tooltip and a line in the findings panel."""
    editor = open_editor(qtbot, ws)
    editor._select(editor.model.question_index(0, 0))
    editor.question_form.text.setPlainText("Don't you agree that our service is the best?")
    editor.refresh_findings()
    index = editor.model.question_index(0, 0)
    assert editor.model.data(index, Qt.ItemDataRole.DecorationRole) is not None
    tooltip = editor.model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert "Leading" in tooltip
    assert editor.question_form.findings.isVisible()
    assert "Leading" in editor.question_form.findings.text()
    lines = [editor.findings.item(i).text() for i in range(editor.findings.count())]
    assert any("Don't you agree" in line for line in lines)
    assert editor.save()  # findings advise; they never block a save
