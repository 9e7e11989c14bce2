"""The account's people drawn as a map: who decides, who influences, who uses.

The layout is a plain function so it can be checked without looking at pixels; the widget
only paints what the layout says."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from voc_desktop.domain.accounts import roles_label
from voc_desktop.services.account_view import (
    OTHER,
    OTHER_LABEL,
    STAKEHOLDER_GROUPS,
    ContactView,
)
from voc_desktop.ui.common.theme import current

HEADER_HEIGHT = 44.0
NODE_HEIGHT = 58.0
NODE_GAP = 10.0
COLUMN_GAP = 14.0
PADDING = 8.0
GROUP_COLOURS = {
    "decides": ("accent_soft", "accent"),
    "influences": ("soft_warning", "warning"),
    "uses": ("soft_success", "success"),
    OTHER: ("alt_base", "muted"),
}
GROUP_HINTS = {
    "decides": "economic buyer, decision maker",
    "influences": "influencer, evaluator, gatekeeper",
    "uses": "works with the product",
    OTHER: "other or no role",
}


@dataclass(frozen=True)
class Column:
    group: str
    title: str
    rect: QRectF


@dataclass(frozen=True)
class Node:
    contact_id: str
    group: str
    name: str
    roles: str
    visits: str  # how many visits they attended
    rect: QRectF


@dataclass(frozen=True)
class MapLayout:
    columns: tuple[Column, ...]
    nodes: tuple[Node, ...]
    height: float

    def nodes_in(self, group: str) -> list[Node]:
        return [n for n in self.nodes if n.group == group]


def visits_text(count: int) -> str:
    return "no visits yet" if count == 0 else f"{count} visit{'s' if count != 1 else ''}"


def map_layout(contacts: tuple[ContactView, ...] | list[ContactView], width: float) -> MapLayout:
    """A column per group (a fourth only when someone fits none) and a node per person in
    every group one of their roles belongs to, stacked top to bottom."""
    groups = [(key, title) for key, title, _ in STAKEHOLDER_GROUPS]
    if any(OTHER in c.groups for c in contacts):
        groups.append((OTHER, OTHER_LABEL))
    column_width = max(80.0, (width - 2 * PADDING - COLUMN_GAP * (len(groups) - 1))
                       / len(groups))
    columns, nodes, tallest = [], [], 0
    for index, (key, title) in enumerate(groups):
        x = PADDING + index * (column_width + COLUMN_GAP)
        members = [c for c in contacts if key in c.groups]
        tallest = max(tallest, len(members))
        for row, c in enumerate(members):
            y = PADDING + HEADER_HEIGHT + row * (NODE_HEIGHT + NODE_GAP)
            nodes.append(Node(c.contact.id, key, c.contact.name, roles_label(c.contact.roles),
                              visits_text(c.visits_attended),
                              QRectF(x + 6, y, column_width - 12, NODE_HEIGHT)))
        columns.append(Column(key, title, QRectF(x, PADDING, column_width, 0)))
    height = (PADDING * 2 + HEADER_HEIGHT + max(1, tallest) * (NODE_HEIGHT + NODE_GAP))
    columns = [Column(c.group, c.title, QRectF(c.rect.x(), c.rect.y(), c.rect.width(),
                                               height - 2 * PADDING)) for c in columns]
    return MapLayout(tuple(columns), tuple(nodes), height)


class StakeholderMap(QWidget):
    """Draws the map for the contacts it is given; resizes its height to fit them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.contacts: tuple[ContactView, ...] = ()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Stakeholder map")
        self._apply_height()

    def set_contacts(self, contacts: tuple[ContactView, ...]) -> None:
        self.contacts = tuple(contacts)
        names = "; ".join(f"{c.contact.name}: {roles_label(c.contact.roles)}"
                          for c in self.contacts)
        self.setAccessibleDescription(names or "No people recorded")
        self._apply_height()
        self.update()

    def layout_now(self) -> MapLayout:
        return map_layout(self.contacts, float(max(self.width(), 320)))

    def _apply_height(self) -> None:
        self.setFixedHeight(int(map_layout(self.contacts, 600.0).height))

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(600, self.height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        layout = self.layout_now()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        base = QFont(self.font())
        bold = QFont(base)
        bold.setBold(True)
        small = QFont(base)
        small.setPointSizeF(max(7.0, base.pointSizeF() * 0.85))
        for column in layout.columns:
            fill, ink = GROUP_COLOURS[column.group]
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(current().qcolor(fill))
            painter.drawRoundedRect(column.rect, 8, 8)
            painter.setPen(current().qcolor(ink))
            painter.setFont(bold)
            head = QRectF(column.rect.x() + 10, column.rect.y() + 4, column.rect.width() - 20, 20)
            painter.drawText(head, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             column.title)
            painter.setFont(small)
            hint = QRectF(head.x(), head.bottom(), head.width(), 16)
            painter.drawText(hint, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             QFontMetrics(small).elidedText(GROUP_HINTS[column.group],
                                                            Qt.TextElideMode.ElideRight,
                                                            int(hint.width())))
            if not layout.nodes_in(column.group):
                painter.setPen(current().qcolor("muted"))
                empty = QRectF(head.x(), column.rect.y() + HEADER_HEIGHT + 8, head.width(), 20)
                painter.drawText(empty, Qt.AlignmentFlag.AlignLeft, "Nobody known yet")
        for node in layout.nodes:
            _, ink = GROUP_COLOURS[node.group]
            painter.setPen(QPen(current().qcolor(ink), 1.5))
            painter.setBrush(current().qcolor("base"))
            painter.drawRoundedRect(node.rect, 6, 6)
            inner = node.rect.adjusted(10, 6, -10, -6)
            top = QRectF(inner.x(), inner.y(), inner.width(), inner.height() / 2)
            # the visit count never gets cut off: the name gives way first
            painter.setPen(current().qcolor(ink))
            painter.setFont(small)
            count_width = QFontMetrics(small).horizontalAdvance(node.visits) + 8
            painter.drawText(top, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             node.visits)
            painter.setPen(current().qcolor("text"))
            painter.setFont(bold)
            painter.drawText(top, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             QFontMetrics(bold).elidedText(node.name, Qt.TextElideMode.ElideRight,
                                                           int(top.width() - count_width)))
            painter.setPen(current().qcolor("muted"))
            painter.setFont(small)
            bottom = QRectF(inner.x(), top.bottom(), inner.width(), inner.height() / 2)
            painter.drawText(bottom, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             QFontMetrics(small).elidedText(node.roles,
                                                            Qt.TextElideMode.ElideRight,
                                                            int(bottom.width())))
        painter.end()
