"""A list of findings straight from the archive index: counted, sorted and paged in SQL.

The model knows only how many findings match and reads, on a worker, the page a view asks
for, so a list of a million findings opens as fast as a list of ten and never holds up the
window.
The search list, the evidence behind a pattern cell and the routing list are all this one
model with different columns and filters.
"""

from __future__ import annotations

import html
from collections import OrderedDict
from collections.abc import Sequence
from datetime import date
from enum import Enum

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
)

from voc_desktop.domain.findings import Finding, FindingFilter, FindingOrder, status_label
from voc_desktop.domain.guide import Bucket
from voc_desktop.domain.visit import Team
from voc_desktop.services.archive.workspace import ArchiveWorkspace
from voc_desktop.ui.archive.lens_reader import FilteredLensModel
from voc_desktop.ui.common.sql_pages import Fetch, Loaded
from voc_desktop.ui.common.theme import colour, current

PAGE = 200
FINDING_ROLE = Qt.ItemDataRole.UserRole + 1  # the Finding of a row
MARKED_ROLE = Qt.ItemDataRole.UserRole + 2  # the text as HTML with the hits in bold

_Index = QModelIndex | QPersistentModelIndex
_ROLES_ANSWERED = frozenset(int(r) for r in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.ForegroundRole,
    MARKED_ROLE, FINDING_ROLE))
# dark text on the mark, so a hit stays readable on a selected (highlighted) row too
def hit_style() -> str:
    return f"background:{colour('hit')}; color:{colour('on_hit')}"


class Column(Enum):
    DATE = "Date"
    ACCOUNT = "Account"
    VERTICAL = "Vertical"
    KIND = "Kind"
    TEXT = "What was said or learned"
    WHO = "Who"
    BUCKET = "Bucket"
    THEMES = "Themes"
    STATUS = "Status"
    READ_BACK = "Read back"
    TEAM = "Team"
    OWNER = "Owner"
    DUE = "Due"


SEARCH_COLUMNS = (Column.DATE, Column.ACCOUNT, Column.KIND, Column.TEXT, Column.WHO,
                  Column.BUCKET, Column.THEMES, Column.STATUS)
EVIDENCE_COLUMNS = (Column.DATE, Column.ACCOUNT, Column.VERTICAL, Column.KIND, Column.TEXT,
                    Column.WHO, Column.READ_BACK)
# the owner beside what they are to do; team and owner wrap, so the action keeps its room
ROUTING_COLUMNS = (Column.TEAM, Column.KIND, Column.STATUS, Column.DUE, Column.TEXT,
                   Column.OWNER, Column.ACCOUNT, Column.DATE)

# The order a click on a header asks for: (ascending, descending).
_SORTS = {
    Column.DATE: (FindingOrder.OLDEST, FindingOrder.NEWEST),
    Column.ACCOUNT: (FindingOrder.ACCOUNT, FindingOrder.ACCOUNT),
    Column.KIND: (FindingOrder.KIND, FindingOrder.KIND),
    Column.TEAM: (FindingOrder.TEAM, FindingOrder.TEAM),
    Column.DUE: (FindingOrder.DUE, FindingOrder.DUE),
}


def _label(enum: type, value: str) -> str:
    try:
        return enum(value).label
    except ValueError:
        return value


def who(f: Finding) -> str:
    """Who said it: the speakers by name or role, else the room."""
    return f.who


def marked_html(f: Finding) -> str:
    """The snippet (or the whole text) as HTML, the search words in bold."""
    text = f.snippet or f.text
    if not f.snippet:
        return html.escape(cell_text(f, Column.TEXT))
    # the customer's wording first, then what was read back with the hits
    out = [html.escape(f.detail), "  <i>(read back as: </i>"] if f.detail else []
    at = 0
    for start, end in f.marks:
        out += [html.escape(text[at:start]), f"<b style='{hit_style()}'>",
                html.escape(text[start:end]), "</b>"]
        at = end
    out.append(html.escape(text[at:]))
    if f.detail:
        out.append("<i>)</i>")
    return "".join(out)


def cell_text(f: Finding, column: Column) -> str:
    match column:
        case Column.DATE:
            return f.visit_date
        case Column.ACCOUNT:
            return f.account
        case Column.VERTICAL:
            return f.vertical
        case Column.KIND:
            return f.kind_label
        case Column.TEXT:
            if f.detail and not f.snippet:  # the customer's wording first, as they put it
                return f"{f.detail}  (read back as: {f.text})"
            return f.snippet or f.text
        case Column.WHO:
            return who(f)
        case Column.BUCKET:
            return _label(Bucket, f.bucket)
        case Column.THEMES:
            return ", ".join(f.tags)
        case Column.STATUS | Column.READ_BACK:
            return status_label(f.status)
        case Column.TEAM:
            return _label(Team, f.team)
        case Column.OWNER:
            return f.owner
        case Column.DUE:
            if f.overdue(date.today().isoformat()):
                return f"{f.due_date} · overdue"
            return f.due_date or ""


class FindingsModel(FilteredLensModel):
    """Findings matching a filter, as one row each, read on a worker a page at a time."""

    def __init__(self, lens: ArchiveWorkspace, columns: Sequence[Column] = SEARCH_COLUMNS,
                 flt: FindingFilter | None = None,
                 order: FindingOrder = FindingOrder.RELEVANCE, parent=None) -> None:
        self.columns = tuple(columns)
        super().__init__(lens, {"filter": flt or FindingFilter(), "order": order}, PAGE,
                         parent=parent)

    def _read(self, lens: ArchiveWorkspace, state: dict) -> Loaded:
        flt, order = state["filter"], state["order"]
        count = lens.count(flt)
        return Loaded(count, lens.find(flt, order, 0, PAGE) if count else [])

    def _fetch(self, state: dict) -> Fetch:
        flt, order = state["filter"], state["order"]
        return lambda lens, offset, limit: lens.find(flt, order, offset, limit)

    # --- what to show ---------------------------------------------------------------------

    def set_filter(self, flt: FindingFilter, order: FindingOrder | None = None) -> None:
        """Read the findings of `flt` (in `order`) on the worker; the old ones stay shown
        until they arrive."""
        self.load(filter=flt, **({"order": order} if order is not None else {}))

    def finding(self, row: int) -> Finding | None:
        return self.row_at(row)

    # --- QAbstractItemModel ---------------------------------------------------------------

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.columns):
            return self.columns[section].value
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Vertical:
            return section + 1
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        # a view asks a dozen roles of every cell it paints: those the list has nothing
        # for are turned away first, without looking the row up
        if role not in _ROLES_ANSWERED or not index.isValid() \
                or index.column() >= len(self.columns):
            return None
        f = self.finding(index.row())
        if f is None:
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(f, column)
        if role == Qt.ItemDataRole.ToolTipRole and column is Column.TEXT:
            said = (f"The customer's words: {f.detail}\nRead back as: {f.text}" if f.detail
                    else f.text)
            question = f"\n\nQuestion: {f.question}" if f.question else ""
            return f"{said}{question}"
        if role == MARKED_ROLE and column is Column.TEXT:
            return marked_html(f)
        if role == FINDING_ROLE:
            return f
        if role == Qt.ItemDataRole.ForegroundRole and column is Column.DUE \
                and f.overdue(date.today().isoformat()):
            return current().qcolor("error")
        if role == Qt.ItemDataRole.ForegroundRole and not f.in_icp:
            return QPalette().color(QPalette.ColorRole.PlaceholderText)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return  # no column chosen: the model's own order stands
        up, down = _SORTS.get(self.columns[column], (FindingOrder.RELEVANCE,) * 2)
        self.load(order=up if order == Qt.SortOrder.AscendingOrder else down)


class HitDelegate(QStyledItemDelegate):
    """Draws the text column with the search words in bold on a yellow mark."""

    KEPT = 400  # laid-out texts kept: a screenful of rows repaints without laying out again

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._documents: OrderedDict[tuple[str, int, str], QTextDocument] = OrderedDict()

    def _document(self, marked: str, opt: QStyleOptionViewItem) -> QTextDocument:
        key = (marked, opt.rect.width(), opt.font.key())
        doc = self._documents.get(key)
        if doc is None:
            doc = QTextDocument()
            doc.setDefaultFont(opt.font)
            doc.setDocumentMargin(2)
            doc.setHtml(marked)
            doc.setTextWidth(opt.rect.width())
            self._documents[key] = doc
            if len(self._documents) > self.KEPT:
                self._documents.popitem(last=False)
        else:
            self._documents.move_to_end(key)
        return doc

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        marked = index.data(MARKED_ROLE)
        if not marked:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self._document(marked, opt)
        painter.save()
        painter.translate(opt.rect.topLeft())
        painter.setClipRect(0, 0, opt.rect.width(), opt.rect.height())
        context = QAbstractTextDocumentLayout.PaintContext()
        if opt.state & QStyle.StateFlag.State_Selected:
            context.palette.setColor(QPalette.ColorRole.Text,
                                     opt.palette.color(QPalette.ColorRole.HighlightedText))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), max(size.height(), option.fontMetrics.height() * 2 + 8))


class FindingTable(QTableView):
    """A findings list as the archive shows it: whole rows, sortable, two lines of text.
    `finding_chosen` carries the current row's finding (None when there is none), for a
    pane that shows it whole."""

    finding_chosen = Signal(object)

    def __init__(self, model: FindingsModel, parent=None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.selectionModel().currentChanged.connect(
            lambda *_: self.finding_chosen.emit(self.current_finding()))
        model.modelReset.connect(lambda: self.finding_chosen.emit(None))
        # the current row may be on a page still being read: told again once it is in
        model.dataChanged.connect(self._rows_arrived)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # no column is sorted at first: the model's own order (best match, newest) stands
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.DescendingOrder)
        self.setSortingEnabled(True)
        self.horizontalHeader().setSortIndicatorShown(True)
        self.horizontalHeader().setHighlightSections(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() * 2 + 10)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setTabKeyNavigation(False)
        if Column.TEXT in model.columns:
            at = model.columns.index(Column.TEXT)
            self.setItemDelegateForColumn(at, HitDelegate(self))
            self.horizontalHeader().setSectionResizeMode(at, QHeaderView.ResizeMode.Stretch)
        widths = {Column.DATE: 11, Column.ACCOUNT: 18, Column.KIND: 11, Column.WHO: 15,
                  Column.BUCKET: 14, Column.THEMES: 16, Column.STATUS: 11, Column.TEAM: 13,
                  Column.OWNER: 11, Column.READ_BACK: 10,
                  Column.DUE: 11, Column.VERTICAL: 13}
        em = self.fontMetrics().horizontalAdvance("m")
        for at, column in enumerate(model.columns):
            if column in widths:
                self.setColumnWidth(at, widths[column] * em)

    def findings_model(self) -> FindingsModel:
        model = self.model()
        assert isinstance(model, FindingsModel)
        return model

    def _rows_arrived(self, first: QModelIndex, last: QModelIndex) -> None:
        row = self.currentIndex().row()
        if self.currentIndex().isValid() and first.row() <= row <= last.row():
            self.finding_chosen.emit(self.current_finding())

    def current_finding(self) -> Finding | None:
        index = self.currentIndex()
        return index.data(FINDING_ROLE) if index.isValid() else None
