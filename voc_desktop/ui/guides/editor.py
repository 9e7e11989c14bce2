"""The guide editor: pick a guide, change its sections and questions, save a new version.

Saving never changes a stored version, so visits keep the wording they were run with.
The guide check, where this build has one, advises next to the questions it flags and
never stands in the way of a save.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from voc_desktop.domain.accounts import Role
from voc_desktop.domain.guide import Bucket
from voc_desktop.services import guide_editing
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.guide_editing import GuideDraft, QuestionDraft, SectionDraft
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.ui.common.flow_layout import flow_row
from voc_desktop.ui.common.look import (
    ERROR_STYLE,
    HINT_STYLE,
    apply_readable_style,
    fit_to_screen,
    make_primary,
)
from voc_desktop.ui.common.shortcuts import tip
from voc_desktop.ui.common.theme import styled
from voc_desktop.ui.guides.editor_model import GuideOutlineModel

NEW_GUIDE = QKeySequence("Ctrl+N")
COPY_GUIDE = QKeySequence("Ctrl+D")
ADD_SECTION = QKeySequence("Ctrl+Shift+Return")
ADD_QUESTION = QKeySequence("Ctrl+Return")
REMOVE_PART = QKeySequence("Ctrl+Shift+Backspace")
MOVE_UP = QKeySequence("Alt+Up")
MOVE_DOWN = QKeySequence("Alt+Down")
SAVE_GUIDE = QKeySequence("Ctrl+S")
GO_TO_GUIDES = QKeySequence("Ctrl+L")
GO_TO_OUTLINE = QKeySequence("Ctrl+T")
GUIDE_ROLE = Qt.ItemDataRole.UserRole
CHECK_DELAY_MS = 300


class _SectionForm(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.title = QLineEdit()
        self.bucket = QComboBox()
        for bucket in Bucket:
            label = f"{bucket.label} (tier)" if bucket.is_tier else bucket.label
            self.bucket.addItem(label, bucket.value)
            self.bucket.setItemData(self.bucket.count() - 1, bucket.description,
                                    Qt.ItemDataRole.ToolTipRole)
        self.intro = QPlainTextEdit()
        self.intro.setTabChangesFocus(True)
        self.intro.setPlaceholderText("What the interviewer says or looks at first")
        form = QFormLayout(self)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # narrow: label above
        form.addRow("&Title", self.title)
        form.addRow("&Bucket", self.bucket)
        form.addRow("&Intro", self.intro)


class _QuestionForm(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.text = QPlainTextEdit()
        self.hint = QPlainTextEdit()
        self.probes = QPlainTextEdit()
        for edit in (self.text, self.hint, self.probes):
            edit.setTabChangesFocus(True)
        self.text.setMaximumHeight(90)
        self.hint.setMaximumHeight(90)
        self.hint.setPlaceholderText("Coaching shown under the question")
        self.probes.setPlaceholderText("One follow-up probe per line")
        self.roles: dict[Role, QCheckBox] = {}
        for role in Role:
            self.roles[role] = QCheckBox(role.label)
        roles = flow_row(*self.roles.values())  # as many a line as the width allows
        self.findings = QLabel()
        self.findings.setWordWrap(True)
        self.findings.setTextFormat(Qt.TextFormat.PlainText)
        self.findings.setObjectName("questionFindings")
        styled(self.findings, "color: $warning; background: $soft_warning; "
               "border: 1px solid $warning; border-radius: 4px; padding: 6px;")
        self.findings.hide()
        form = QFormLayout(self)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # narrow: label above
        form.addRow("&Question", self.text)
        form.addRow("", self.findings)
        form.addRow("&Hint", self.hint)
        form.addRow("&Probes", self.probes)
        form.addRow("Asked of", roles)
        form.addRow("", _hint_label("No role ticked: every attendee is asked."))


def _hint_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    styled(label, HINT_STYLE)
    return label


class GuideEditor(QDialog):
    """Guides on the left, the chosen guide's outline in the middle, the part chosen in it
    on the right."""

    saved = Signal(object)  # the StoredGuide just saved or created

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle("Guides")
        self.model = GuideOutlineModel(self)
        self.model.finding_icon = self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.dirty = False
        self._loading = False
        self._check = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._check.timeout.connect(self.refresh_findings)
        self._build()
        self._connect()
        apply_readable_style(self)
        self.reload_guides()

    # --- building ---------------------------------------------------------------------
    def _build(self) -> None:
        self.guides = QListWidget()
        self.guides.setAccessibleName("Guides")
        self.guides.setWordWrap(True)
        self.guides.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.new_button = QPushButton("&New")
        self.copy_button = QPushButton("&Copy")
        self.new_button.setToolTip(tip("A new guide", NEW_GUIDE))
        self.copy_button.setToolTip(tip("A separate guide with this guide's questions",
                                        COPY_GUIDE))
        left = QVBoxLayout()
        left.addWidget(QLabel("Guides"))
        left.addWidget(self.guides, 1)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.copy_button)
        left.addLayout(row)
        left_box = QWidget()
        left_box.setLayout(left)

        self.name = QLineEdit()
        self.name.setAccessibleName("Guide name")
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("Sections and questions")
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.setDragEnabled(True)
        self.tree.setAcceptDrops(True)
        self.tree.setDropIndicatorShown(True)
        self.tree.setWordWrap(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.findings = QListWidget()
        self.findings.setAccessibleName("Guide check findings")
        self.findings.setMaximumHeight(160)
        self.findings.setWordWrap(True)
        self.findings.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.findings_label = QLabel("Guide check")
        self.findings.hide()
        self.findings_label.hide()
        self.add_section_button = QPushButton("Add &section")
        self.add_question_button = QPushButton("Add &question")
        self.remove_button = QPushButton("&Remove")
        self.add_section_button.setToolTip(tip("Add a section after this one", ADD_SECTION))
        self.add_question_button.setToolTip(tip("Add a question after this one", ADD_QUESTION))
        self.remove_button.setToolTip(tip("Remove the section or question", REMOVE_PART))
        buttons = flow_row(self.add_section_button, self.add_question_button, self.remove_button)
        middle = QVBoxLayout()
        name_row = QFormLayout()
        name_row.addRow("&Name", self.name)
        middle.addLayout(name_row)
        middle.addWidget(self.tree, 1)
        middle.addWidget(buttons)
        middle.addWidget(_hint_label("Drag to reorder, or Alt+Up / Alt+Down."))
        middle.addWidget(self.findings_label)
        middle.addWidget(self.findings)
        middle_box = QWidget()
        middle_box.setLayout(middle)

        self.section_form = _SectionForm()
        self.question_form = _QuestionForm()
        self.forms = QStackedWidget()
        self.forms.addWidget(QWidget())
        self.forms.addWidget(self.section_form)
        self.forms.addWidget(self.question_form)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.save_button = make_primary(QPushButton("Save as new version"))
        self.save_button.setToolTip(tip("Store the changes as the guide's next version",
                                        SAVE_GUIDE))
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.save_button)
        right = QVBoxLayout()
        right.addWidget(self.forms, 1)
        right.addLayout(bottom)
        right_box = QWidget()
        right_box.setLayout(right)

        split = QSplitter()
        for box in (left_box, middle_box, right_box):
            split.addWidget(box)
        split.setStretchFactor(2, 1)
        split.setSizes([250, 480, 636])
        outer = QVBoxLayout(self)
        outer.addWidget(split)

        self.actions: dict[str, QAction] = {}
        for name, key, slot in (
            ("new", NEW_GUIDE, self.new_guide), ("copy", COPY_GUIDE, self.copy_guide),
            ("add_section", ADD_SECTION, self.add_section),
            ("add_question", ADD_QUESTION, self.add_question),
            ("remove", REMOVE_PART, self.remove_part),
            ("up", MOVE_UP, lambda: self.move_current(-1)),
            ("down", MOVE_DOWN, lambda: self.move_current(1)),
            ("save", SAVE_GUIDE, self.save),
            ("guides", GO_TO_GUIDES, lambda: self.guides.setFocus()),
            ("outline", GO_TO_OUTLINE, lambda: self.tree.setFocus()),
        ):
            action = QAction(name, self)
            action.setShortcut(key)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            self.actions[name] = action

    def _connect(self) -> None:
        self.new_button.clicked.connect(self.new_guide)
        self.copy_button.clicked.connect(self.copy_guide)
        self.add_section_button.clicked.connect(self.add_section)
        self.add_question_button.clicked.connect(self.add_question)
        self.remove_button.clicked.connect(self.remove_part)
        self.save_button.clicked.connect(self.save)
        self.guides.currentItemChanged.connect(self._guide_chosen)
        self.tree.selectionModel().currentChanged.connect(self._show_part)
        self.model.edited.connect(self._edited)
        self.model.rowsMoved.connect(lambda *_: self._show_part(self.tree.currentIndex()))
        self.findings.itemActivated.connect(self._go_to_finding)
        self.findings.itemClicked.connect(self._go_to_finding)
        self.name.textEdited.connect(self._name_edited)
        s, q = self.section_form, self.question_form
        s.title.textEdited.connect(lambda t: self._set_section("title", t))
        s.bucket.activated.connect(
            lambda i: self._set_section("bucket", Bucket(s.bucket.itemData(i))))
        s.intro.textChanged.connect(lambda: self._set_section("intro", s.intro.toPlainText()))
        q.text.textChanged.connect(lambda: self._set_question("text", q.text.toPlainText()))
        q.hint.textChanged.connect(lambda: self._set_question("hint", q.hint.toPlainText()))
        q.probes.textChanged.connect(
            lambda: self._set_question("probes", q.probes.toPlainText().splitlines()))
        for box in q.roles.values():
            box.toggled.connect(lambda _=False: self._set_question(
                "roles", [r for r, b in q.roles.items() if b.isChecked()]))

    # --- guides -----------------------------------------------------------------------
    def reload_guides(self, select_guide_id: str | None = None) -> None:
        current = select_guide_id or self.model.draft.guide_id
        self.guides.blockSignals(True)
        self.guides.clear()
        for stored in self.ws.guides.list_latest():
            g = stored.guide
            item = QListWidgetItem(f"{g.name}\nversion {g.version} · {g.question_count} "
                                   "questions")
            item.setData(GUIDE_ROLE, stored.version_id)
            item.setData(GUIDE_ROLE + 1, g.guide_id)
            self.guides.addItem(item)
            if g.guide_id == current:
                self.guides.setCurrentItem(item)
        self.guides.blockSignals(False)
        if self.guides.currentItem() is None and self.guides.count():
            self.guides.setCurrentRow(0)
        elif self.guides.currentItem() is not None:
            self._load(self.guides.currentItem().data(GUIDE_ROLE))

    def _guide_chosen(self, item: QListWidgetItem | None, previous) -> None:
        if item is None:
            return
        if not self._may_leave():
            self.guides.blockSignals(True)
            self.guides.setCurrentItem(previous)
            self.guides.blockSignals(False)
            return
        self._load(item.data(GUIDE_ROLE))

    def _load(self, version_id: str) -> None:
        stored = self.ws.guides.version(version_id)
        if stored is None:
            return
        self._loading = True
        self.model.set_draft(GuideDraft.of(stored.guide))
        self.name.setText(stored.guide.name)
        self.tree.expandAll()
        self._loading = False
        self.dirty = False
        self.tree.setCurrentIndex(self.model.section_index(0))
        self.refresh_findings()

    def _may_leave(self) -> bool:
        """True once unsaved edits are saved or knowingly dropped."""
        if not self.dirty:
            return True
        answer = QMessageBox.question(
            self, "Unsaved changes", f"Save the changes to '{self.model.draft.name}' first?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def _ask_name(self, title: str, suggested: str) -> str | None:
        name, ok = QInputDialog.getText(self, title, "Name of the guide:", text=suggested)
        return name if ok else None

    def new_guide(self) -> None:
        if not self._may_leave():
            return
        name = self._ask_name("New guide", "")
        if name is not None:
            self._created(lambda: guide_editing.new_guide(self.ws, name))

    def copy_guide(self) -> None:
        item = self.guides.currentItem()
        if item is None or not self._may_leave():
            return
        name = self._ask_name("Copy guide", f"{self.model.draft.name} (copy)")
        if name is not None:
            version_id = item.data(GUIDE_ROLE)
            self._created(lambda: guide_editing.copy_guide(self.ws, version_id, name))

    def _created(self, create) -> None:
        try:
            stored = create()
        except ServiceError as exc:
            self._say(str(exc), error=True)
            return
        self.dirty = False
        self.reload_guides(stored.guide.guide_id)
        self._say(f"Created '{stored.guide.name}'.")
        self.saved.emit(stored)
        self.tree.setFocus()

    def save(self) -> bool:
        """Store the edits as the next version; True if nothing is left unsaved."""
        if not self.model.draft.guide_id:
            return True
        before = self.model.draft.version
        try:
            stored = guide_editing.save_guide(self.ws, self.model.draft)
        except ServiceError as exc:
            self._say(str(exc), error=True)
            return False
        self.dirty = False
        if stored.guide.version == before:
            self._say("No changes to save.")
            return True
        current = self.tree.currentIndex()
        path = (current.parent().row(), current.row()) if current.parent().isValid() \
            else (current.row(), -1)
        self.reload_guides(stored.guide.guide_id)
        self._select_path(*path)
        self._say(f"Saved as version {stored.guide.version}. Visits run with earlier versions "
                  "keep their questions.")
        self.saved.emit(stored)
        return True

    def _say(self, text: str, error: bool = False) -> None:
        styled(self.message, ERROR_STYLE if error else HINT_STYLE)
        self.message.setText(text)

    # --- the outline ------------------------------------------------------------------
    def _current_path(self) -> tuple[int, int]:
        """(section row, question row) of the current part; question row -1 for a section,
        section row -1 when nothing is chosen."""
        index = self.tree.currentIndex()
        if not index.isValid():
            return -1, -1
        if index.parent().isValid():
            return index.parent().row(), index.row()
        return index.row(), -1

    def _select_path(self, section_row: int, question_row: int) -> None:
        if section_row < 0 or section_row >= self.model.rowCount():
            return
        index = self.model.section_index(section_row)
        if question_row >= 0:
            question = self.model.question_index(section_row, question_row)
            index = question if question.isValid() else index
        self._select(index)

    def _select(self, index: QModelIndex) -> None:
        if index.isValid():
            self.tree.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.tree.scrollTo(index)

    def add_section(self) -> None:
        if not self.model.draft.guide_id:
            return
        section_row, _ = self._current_path()
        row = section_row + 1 if section_row >= 0 else self.model.rowCount()
        index = self.model.add_section(row, SectionDraft())
        # a section without questions cannot be saved, so it starts with an empty one
        self.model.add_question(row, 0, QuestionDraft())
        self.tree.expand(index)
        self._select(index)
        self.section_form.title.setFocus()

    def add_question(self) -> None:
        section_row, question_row = self._current_path()
        if section_row < 0:
            return
        index = self.model.add_question(section_row, question_row + 1, QuestionDraft())
        self.tree.expand(self.model.section_index(section_row))
        self._select(index)
        self.question_form.text.setFocus()

    def remove_part(self) -> None:
        index = self.tree.currentIndex()
        if not index.isValid():
            return
        section_row, question_row = self._current_path()
        self.model.remove(index)
        if question_row >= 0:
            left = self.model.rowCount(self.model.section_index(section_row))
            self._select_path(section_row, min(question_row, left - 1))
            if left == 0:
                self._select_path(section_row, -1)
        else:
            self._select_path(min(section_row, self.model.rowCount() - 1), -1)
        self.tree.setFocus()

    def move_current(self, step: int) -> None:
        index = self.tree.currentIndex()
        if index.isValid():
            focus = self.focusWidget()
            self._select(self.model.move_by(index, step))
            if focus is not None:
                focus.setFocus()

    def _show_part(self, index: QModelIndex) -> None:
        self._loading = True
        try:
            section = self.model.section_at(index)
            question = self.model.question_at(index)
            if section is not None:
                f = self.section_form
                f.title.setText(section.title)
                f.bucket.setCurrentIndex(f.bucket.findData(section.bucket.value))
                f.intro.setPlainText(section.intro)
                self.forms.setCurrentWidget(f)
            elif question is not None:
                f = self.question_form
                f.text.setPlainText(question.text)
                f.hint.setPlainText(question.hint)
                f.probes.setPlainText("\n".join(question.probes))
                for role, box in f.roles.items():
                    box.setChecked(role in question.roles)
                self._show_question_findings()
                self.forms.setCurrentWidget(f)
            else:
                self.forms.setCurrentIndex(0)
        finally:
            self._loading = False

    def _set_section(self, field: str, value: object) -> None:
        index = self.tree.currentIndex()
        section = self.model.section_at(index)
        if section is not None and not self._loading and getattr(section, field) != value:
            setattr(section, field, value)
            self.model.changed(index)

    def _set_question(self, field: str, value: object) -> None:
        index = self.tree.currentIndex()
        question = self.model.question_at(index)
        if question is not None and not self._loading and getattr(question, field) != value:
            setattr(question, field, value)
            self.model.changed(index)

    def _name_edited(self, text: str) -> None:
        if not self._loading:
            self.model.draft.name = text
            self._edited()

    def _edited(self) -> None:
        if not self._loading:
            self.dirty = True
            self._say("")
            self._check.start()

    # --- the guide check --------------------------------------------------------------
    def refresh_findings(self) -> None:
        """Ask the guide check about the draft as it stands; show what it flags."""
        self._check.stop()
        found = _draft_findings(self.model.draft)
        self.findings.clear()
        visible = found is not None
        self.findings.setVisible(visible)
        self.findings_label.setVisible(visible)
        by_place = found[0] if found is not None else {}
        self.model.set_findings(by_place)
        if found is None:
            self._show_question_findings()
            return
        icon = self.model.finding_icon
        for (s, q), items in sorted(by_place.items()):
            text = " ".join(self.model.draft.sections[s].questions[q].text.split())
            for f in items:
                item = QListWidgetItem(icon, f"{f.kind}: {f.reason}\n  “{text}”")
                item.setData(GUIDE_ROLE, (s, q))
                item.setToolTip(f.reason)
                self.findings.addItem(item)
        if found[1]:
            for label, reason in found[1]:
                item = QListWidgetItem(f"No section covers {label}: {reason}")
                item.setToolTip(reason)
                self.findings.addItem(item)
        if not self.findings.count():
            self.findings.addItem("Nothing flagged.")
        self._show_question_findings()

    def _show_question_findings(self) -> None:
        s, q = self._current_path()
        items = self.model.findings.get((s, q), []) if q >= 0 else []
        label = self.question_form.findings
        label.setText("\n".join(f"⚠ {f.kind}: {f.reason}" for f in items))
        label.setVisible(bool(items))

    def _go_to_finding(self, item: QListWidgetItem) -> None:
        place = item.data(GUIDE_ROLE)
        if place:
            self._select_path(*place)
            self.question_form.text.setFocus()

    def show_editor(self) -> None:
        """Show the editor with the guides as stored now, the outline focused."""
        if not self.dirty:
            self.reload_guides()
        fit_to_screen(self, 1280, 720)  # a small laptop screen gets the whole of it
        self.show()
        self.raise_()
        self.activateWindow()
        self.tree.setFocus()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if self._may_leave():
            event.accept()
        else:
            event.ignore()

    def reject(self) -> None:
        if self._may_leave():
            super().reject()


def _draft_findings(draft: GuideDraft):
    """Findings by (section row, question row) and uncovered bucket labels, or None.

    The draft may be half-written; the check sees it with gaps filled, so that findings
    can still be placed on the questions they concern."""
    if not draft.guide_id:
        return None
    sections = [SectionDraft(s.title or "Section", s.bucket, s.intro,
                             [QuestionDraft(q.text or "?", q.hint, q.probes, q.roles, q.key)
                              for q in s.questions], s.key)
                for s in draft.sections if s.questions]
    if not sections:
        return None
    try:
        guide = guide_editing.build_guide(
            GuideDraft(draft.guide_id, draft.name or "Guide", draft.version, draft.description,
                       sections))
    except ServiceError:
        return None
    found = guide_editing.check_findings(guide)
    if found is None:
        return None
    places = [(s, q) for s, section in enumerate(draft.sections)
              for q in range(len(section.questions))]
    by_place: dict[tuple[int, int], list] = {}
    for place, (_, question) in zip(places, guide.questions(), strict=True):
        items = found.for_question(question.key)
        if items:
            by_place[place] = items
    return by_place, list(found.uncovered)
