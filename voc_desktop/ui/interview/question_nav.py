"""The guide's sections and questions beside the interview, with what is done and skipped."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from voc_desktop.domain.flow import FlowState, progress
from voc_desktop.domain.guide import Guide

KEY_ROLE = Qt.ItemDataRole.UserRole


class QuestionNavigator(QTreeWidget):
    """Enter or a click on a question asks to go there (`question_chosen`)."""

    question_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Questions of the guide")
        self.setObjectName("questionNavigator")
        self.setHeaderHidden(True)
        self.setMinimumWidth(190)
        self.setMaximumWidth(340)
        self.setWordWrap(True)
        self.setIndentation(14)
        self.setUniformRowHeights(False)
        self.itemActivated.connect(self._chosen)
        self.itemClicked.connect(self._chosen)
        self._items: dict[str, QTreeWidgetItem] = {}

    def _chosen(self, item: QTreeWidgetItem) -> None:
        key = item.data(0, KEY_ROLE)
        if key:
            self.question_chosen.emit(key)

    def show_guide(self, guide: Guide) -> None:
        self.clear()
        self._items.clear()
        for section in guide.sections:
            s_item = QTreeWidgetItem([section.title])
            s_item.setToolTip(0, section.bucket.label)
            s_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = s_item.font(0)
            font.setBold(True)
            s_item.setFont(0, font)
            self.addTopLevelItem(s_item)
            for question in section.questions:
                q_item = QTreeWidgetItem([question.text])
                q_item.setToolTip(0, question.text)
                q_item.setData(0, KEY_ROLE, question.key)
                s_item.addChild(q_item)
                self._items[question.key] = q_item
        self.expandAll()

    def show_state(self, guide: Guide, state: FlowState) -> None:
        for key, item in self._items.items():
            mark = ("● " if key == state.key else "✓ " if key in state.answered
                    else "↷ " if key in state.skipped else "○ ")
            question = guide.question(key)
            item.setText(0, mark + question.text)
            font = item.font(0)
            font.setBold(key == state.key)
            item.setFont(0, font)
        for i, p in enumerate(progress(guide, state)):
            top = self.topLevelItem(i)
            top.setText(0, f"{p.section.title}  ({p.answered}/{p.total})")
        current = self._items.get(state.key)
        if current is not None:
            self.blockSignals(True)
            self.setCurrentItem(current)
            self.blockSignals(False)
            self.scrollToItem(current)
