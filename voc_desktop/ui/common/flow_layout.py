"""A row of buttons or fields that wraps onto the next line when the window is narrow, so a
screen fits a small laptop without cutting a button or pushing it off the edge."""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QWidget


class FlowLayout(QLayout):
    """Items left to right, wrapping as needed; items added with `add_right` keep to the
    right edge of the last line (the main button of a row)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._right: set[int] = set()
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 (Qt override)
        self._items.append(item)

    def add_right(self, widget: QWidget) -> None:
        self.addWidget(widget)
        self._right.add(id(self._items[-1]))

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt override)
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt override)
        if 0 <= index < len(self._items):
            item = self._items.pop(index)
            self._right.discard(id(item))
            return item
        return None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 (Qt override)
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt override)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt override)
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 (Qt override)
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        shown = self._shown()
        width = sum(i.sizeHint().width() for i in shown) + self._spacing * max(0, len(shown) - 1)
        height = max((i.sizeHint().height() for i in shown), default=0)
        return QSize(width, height).grownBy(self.contentsMargins())

    def minimumSize(self) -> QSize:  # noqa: N802 (Qt override)
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        return size.grownBy(self.contentsMargins())

    def _shown(self) -> list[QLayoutItem]:
        return [i for i in self._items if not (i.widget() and i.widget().isHidden())]

    def _arrange(self, rect: QRect, move: bool) -> int:
        margins: QMargins = self.contentsMargins()
        area = rect.marginsRemoved(margins)
        lines: list[list[QLayoutItem]] = [[]]
        x = 0
        for item in self._shown():
            width = item.sizeHint().width()
            if lines[-1] and x + width > area.width():
                lines.append([])
                x = 0
            lines[-1].append(item)
            x += width + self._spacing
        y = area.y()
        for line in lines:
            height = max((i.sizeHint().height() for i in line), default=0)
            if move:
                self._place(line, area, y, height)
            y += height + self._spacing
        return y - self._spacing - area.y() + margins.top() + margins.bottom() \
            if any(lines) else margins.top() + margins.bottom()

    def _place(self, line: list[QLayoutItem], area: QRect, y: int, height: int) -> None:
        left = [i for i in line if id(i) not in self._right]
        right = [i for i in line if id(i) in self._right]
        x = area.x()
        for item in left:
            size = self._fitted(item, area.width())
            item.setGeometry(QRect(QPoint(x, y), QSize(size.width(), height)))
            x += size.width() + self._spacing
        x = area.right() + 1
        for item in reversed(right):
            size = self._fitted(item, area.width())
            x -= size.width()
            item.setGeometry(QRect(QPoint(x, y), QSize(size.width(), height)))
            x -= self._spacing

    @staticmethod
    def _fitted(item: QLayoutItem, width: int) -> QSize:
        hint = item.sizeHint()
        return QSize(min(hint.width(), width), hint.height())


def flow_row(*widgets: QWidget, right: tuple[QWidget, ...] = ()) -> QWidget:
    """A wrapping row of `widgets`, then `right` kept to the right edge."""
    row = QWidget()
    row.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    layout = FlowLayout(row)
    for widget in widgets:
        layout.addWidget(widget)
    for widget in right:
        layout.add_right(widget)
    return row
