"""The Triangulation page: one guide question, answered at many visits, seen by role.

Where the economic buyer, the users and the technical evaluator agree, a finding stands on
more than one voice; where only one role raises a theme, that is worth knowing too. Each
role's column holds only what someone of that role was recorded saying; what no one was
named for (and every note from before speakers were kept) stands under the room."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from voc_desktop.domain.accounts import Role
from voc_desktop.domain.findings import ROOM_ROLE, FindingFilter
from voc_desktop.services.archive.triangulation import column_label
from voc_desktop.services.archive.workspace import (
    Agreement,
    ArchiveWorkspace,
    Choice,
    FilterChoices,
    QuestionChoice,
)
from voc_desktop.ui.archive.lens_reader import LensReader
from voc_desktop.ui.archive.page_export import CsvJob
from voc_desktop.ui.archive.scope_bar import (
    FIND,
    ChoiceCombo,
    PeriodField,
    body_metrics,
    open_visit,
    outside_checkbox,
    outside_note,
    plural,
)
from voc_desktop.ui.archive.triangulation_model import (
    ACCOUNT,
    DATE,
    ROLES,
    TriangulationModel,
    cell_text,
)
from voc_desktop.ui.common.look import HINT_STYLE, apply_readable_style, heading_label, text_label
from voc_desktop.ui.common.shortcuts import tip
from voc_desktop.ui.common.theme import styled

HONEST_HINT = ("Each role's column holds only what someone of that role said. The room holds "
               "what no one was named for, and every note from before speakers were kept.")
_PLURAL = {Role.OTHER: "people with another role"}


def role_label(value: str) -> str:
    try:
        return Role(value).label
    except ValueError:
        return value


def agreement_lines(agreement: Agreement, shown: int = 8) -> tuple[str, list[str]]:
    """("Raised by several roles: …", ["Only the users: …", …]) in words."""
    def theme_with(theme: str, roles: tuple[str, ...]) -> str:
        if len(roles) > 3:
            return f"{theme} ({len(roles)} roles)"
        return f"{theme} ({', '.join(role_label(r) for r in roles)})"

    shared = [theme_with(t, r) for t, r in agreement.shared[:shown]]
    more = len(agreement.shared) - shown
    several = ("Said by several roles: " + "; ".join(shared)
               + (f"; and {more} more" if more > 0 else "")) if shared \
        else "Said by several roles: no theme yet."
    only = []
    for role, themes in agreement.only:
        try:
            who = _PLURAL.get(Role(role), f"the {Role(role).label.lower()}s")
        except ValueError:
            who = role
        listed = ", ".join(themes[:shown]) + (f" and {len(themes) - shown} more"
                                              if len(themes) > shown else "")
        only.append(f"Only {who}: {listed}")
    return several, only


class TriangulationPage(QWidget):
    """A guide question's answers per visit and role, and where the roles agree."""

    def __init__(self, lens: ArchiveWorkspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lens = lens
        apply_readable_style(self)
        # the questions and filter values, where the roles agree and the accounts left out,
        # each read on a worker
        self.choices_reader, self.agreement_reader = LensReader(lens, self), LensReader(lens, self)
        self.outside_reader = LensReader(lens, self)
        self._build()
        self.model = TriangulationModel(lens, self.scope_filter(), parent=self)
        self.model.loaded.connect(self._shown)
        self.table.setModel(self.model)
        self.table.selectionModel().currentChanged.connect(self._show_cell)
        self._size_columns()
        self._show_sort()
        self._connect()
        self._read_choices()

    # --- building -----------------------------------------------------------------------------

    def _build(self) -> None:
        self.heading = heading_label("How each role answered a question", "$heading")
        self.question = QComboBox()
        self.question.setEditable(True)
        self.question.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.question.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.question.setMinimumContentsLength(40)
        self.question.setToolTip(tip("Type words of a guide question to find it", FIND))
        self.question.lineEdit().setPlaceholderText("type words of a guide question")
        completer = self.question.completer()
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.answered = QLabel()
        styled(self.answered, HINT_STYLE)
        row1 = QHBoxLayout()
        label = QLabel("&Question")
        label.setBuddy(self.question)
        row1.addWidget(label)
        row1.addWidget(self.question, 1)
        row1.addWidget(self.answered)

        self.vertical = ChoiceCombo("Any vertical")  # the archive's values come from a worker
        self.segment = ChoiceCombo("Any segment")
        self.outside = outside_checkbox()
        # on a line of its own: beside the box it would widen the page past a small screen
        self.outside_line = text_label("", HINT_STYLE)
        self.outside_line.hide()
        row2 = QHBoxLayout()
        for text, widget in (("&Vertical", self.vertical), ("&Segment", self.segment)):
            label = QLabel(text)
            label.setBuddy(widget)
            row2.addWidget(label)
            row2.addWidget(widget)
            row2.addSpacing(6)
        row2.addWidget(self.outside)
        row2.addStretch(1)

        # the period, and visits where the roles to compare both spoke
        roles = [Choice(r.value, r.label) for r in Role]
        self.date_from, self.date_to = PeriodField(end=False), PeriodField(end=True)
        self.spoke_a = ChoiceCombo("any role", roles)
        self.spoke_b = ChoiceCombo("any role", roles)
        for combo in (self.spoke_a, self.spoke_b):
            combo.setToolTip("Only visits where someone of this role said something about "
                             "the question")
        row3 = QHBoxLayout()
        for text, widget in (("Fro&m", self.date_from), ("U&ntil", self.date_to),
                             ("Where &both spoke:", self.spoke_a), ("an&d", self.spoke_b)):
            label = QLabel(text)
            label.setBuddy(widget)
            row3.addWidget(label)
            row3.addWidget(widget)
            row3.addSpacing(6)
        row3.addStretch(1)

        self.shared_line = text_label("", "")
        self.only_line = text_label("", "")
        self.hint = text_label(HONEST_HINT, HINT_STYLE)

        self.table = QTableView()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(
            body_metrics(self).lineSpacing() * 2 + 2)  # compact: the whole cell shows below
        self.table.setToolTip("Enter or double-click opens the visit")
        header = self.table.horizontalHeader()
        header.setSortIndicatorShown(True)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.sectionClicked.connect(self._sort_by)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText("The whole of the chosen cell shows here.")
        self.detail.setTabChangesFocus(True)
        # where the roles agree, above the visits; it scrolls rather than push the visits
        # off a small screen, and its divider can be dragged
        summary = QWidget()
        summary_box = QVBoxLayout(summary)
        summary_box.setContentsMargins(0, 0, 4, 0)
        for label in (self.shared_line, self.only_line, self.hint):
            summary_box.addWidget(label)
        summary_box.addStretch(1)
        self.summary = QScrollArea()
        self.summary.setWidget(summary)
        self.summary.setWidgetResizable(True)
        self.summary.setFrameShape(QFrame.Shape.NoFrame)
        self.summary.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.summary)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 4)
        splitter.setStretchFactor(2, 1)
        splitter.setCollapsible(1, False)
        splitter.setSizes([150, 420, 90])

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(row1)
        layout.addLayout(row2)
        layout.addLayout(row3)
        layout.addWidget(self.outside_line)
        layout.addWidget(splitter, 1)

    def _read_choices(self) -> None:
        """The questions answered and the filters' values, read on a worker; then the
        question's answers."""
        self.choices_reader.ask(lambda lens: (lens.choices(), lens.questions()),
                                self._show_choices)

    def _show_choices(self, read: tuple[FilterChoices, list[QuestionChoice]]) -> None:
        choices, questions = read
        self.vertical.set_choices(choices.verticals)
        self.segment.set_choices(choices.segments)
        self._fill_questions(questions)
        self.refresh()

    def _fill_questions(self, questions: list[QuestionChoice]) -> None:
        kept = self.question.currentData()
        self.question.blockSignals(True)
        self.question.clear()
        for q in questions:
            self.question.addItem(f"{q.text} — {q.section} · {plural(q.visits, 'visit')}",
                                  q.key)
            self.question.setItemData(self.question.count() - 1,
                                      f"{q.section}\n{q.text}\nAnswered at "
                                      f"{plural(q.visits, 'visit')}",
                                      Qt.ItemDataRole.ToolTipRole)
        at = self.question.findData(kept) if kept else 0
        self.question.setCurrentIndex(max(at, 0))
        self.question.blockSignals(False)

    def _connect(self) -> None:
        self.question.currentIndexChanged.connect(lambda _=0: self.refresh())
        for combo in (self.vertical, self.segment):
            combo.currentIndexChanged.connect(lambda _=0: self.refresh())
        self.outside.toggled.connect(lambda _=False: self.refresh())
        for combo in (self.spoke_a, self.spoke_b):
            combo.currentIndexChanged.connect(lambda _=0: self.refresh())
        for field in (self.date_from, self.date_to):
            field.changed.connect(self.refresh)
        self.table.activated.connect(self.open_visit_at)

    # --- what is shown ------------------------------------------------------------------------

    def question_key(self) -> str:
        return self.question.currentData() or ""

    def choose_question(self, key: str) -> None:
        self.question.setCurrentIndex(max(self.question.findData(key), 0))

    def scope_filter(self) -> FindingFilter:
        spoke = tuple(dict.fromkeys((*self.spoke_a.values(), *self.spoke_b.values())))
        return FindingFilter(question_key=self.question_key(),
                             verticals=self.vertical.values(), segments=self.segment.values(),
                             include_outside_icp=self.outside.isChecked(), spoke=spoke,
                             date_from=self.date_from.iso(), date_to=self.date_to.iso())

    def refresh(self) -> None:
        """The answers and where the roles agree, read on workers for the filters as they
        are; what is shown stays until they arrive."""
        flt = self.scope_filter()
        self.model.set_filter(flt)
        self.outside_reader.ask(lambda lens: outside_note(lens, flt), self._show_outside)
        if flt.question_key:
            self.agreement_reader.ask(lambda lens: lens.agreement(flt), self._show_agreement)
        else:
            self._show_agreement(None)

    def _show_outside(self, note: str) -> None:
        self.outside_line.setText(note)
        self.outside_line.setVisible(bool(note))

    def _show_agreement(self, agreement: Agreement | None) -> None:
        several, only = agreement_lines(agreement) if agreement else ("", [])
        self.shared_line.setText(several)
        self.only_line.setText("\n".join(only) or ("No theme was raised by one role alone."
                                                   if agreement else ""))

    def _shown(self) -> None:
        n, flt = self.model.rowCount(), self.model.filter
        self.answered.setText(f"answered at {plural(n, 'visit')}" if flt.question_key
                              else "no question answered yet")
        present = self.model.roles_with_answers()
        for i, role in enumerate(ROLES):
            self.table.setColumnHidden(3 + i, present is not None and role not in present)
        self.detail.setPlainText("")

    def reload(self) -> None:
        self.model.reload()
        self._read_choices()

    def focus_first(self) -> None:
        self.focus_find()

    def focus_find(self) -> None:
        self.question.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.question.lineEdit().selectAll()

    def _size_columns(self) -> None:
        em = body_metrics(self).horizontalAdvance("m")
        for column, width in ((ACCOUNT, 13), (1, 10), (DATE, 8)):
            self.table.setColumnWidth(column, width * em)
        # the roles share what is left; too many to read side by side, and it scrolls
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(5 * em)
        for i in range(len(ROLES)):
            header.setSectionResizeMode(3 + i, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumWidth(40 * em)

    def _sort_by(self, column: int) -> None:
        if self.model.sortable(column):
            self.model.sort(column)
        self._show_sort()

    def _show_sort(self) -> None:
        """The arrow on the sorted column: up for A to Z, down for newest first; the order
        asked for, shown at once while it is read."""
        at = {"account": ACCOUNT, "vertical": 1, "newest": DATE}[self.model.asked["order"]]
        order = Qt.SortOrder.DescendingOrder if at == DATE else Qt.SortOrder.AscendingOrder
        self.table.horizontalHeader().setSortIndicator(at, order)

    def _show_cell(self, index: QModelIndex, _previous: QModelIndex | None = None) -> None:
        row = self.model.row(index.row()) if index.isValid() else None
        if row is None:
            self.detail.setPlainText("")
            return
        role = self.model.role_at(index.column())
        if role is None:
            said = [f"{column_label(c)}:\n{cell_text(row, c)}" for c in ROLES
                    if cell_text(row, c)]
            self.detail.setPlainText(f"{row.account}, {row.visit_date}\n\n"
                                     + "\n\n".join(said))
        else:
            who = column_label(role)
            said = cell_text(row, role) or (
                "Nothing about this question was said by the room as a whole."
                if role == ROOM_ROLE else
                f"No {who.lower()} was recorded saying anything about this question.")
            self.detail.setPlainText(f"Said by: {who} — {row.account}, "
                                     f"{row.visit_date}\n\n{said}")

    def open_visit_at(self, index: QModelIndex) -> None:
        open_visit(self, self.lens, self.model.finding_at(index))

    def csv_export(self) -> CsvJob:
        """The chosen question's answers by visit and role as CSV, fixed now, to write with
        any thread's lens."""
        from voc_desktop.services.archive.exports import export_triangulation_csv

        flt = self.model.filter
        return lambda lens, path: export_triangulation_csv(lens, flt, Path(path))

    def export_csv(self, path: Path) -> int:
        return self.csv_export()(self.lens, Path(path))
