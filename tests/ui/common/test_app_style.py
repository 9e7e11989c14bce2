"""Sort arrows point the way people read them: ▲ for A to Z or oldest first, ▼ for the
largest or newest first, on every table of the app."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableWidget

from voc_desktop.ui.common import theme
from voc_desktop.ui.common.app_style import AppStyle


def _arrow_points_up(qtbot, order: Qt.SortOrder) -> bool:
    """Draw a header sorted by its first column and read the arrow's shape: a ▲ is narrow
    at its top row and wide at its bottom one."""
    table = QTableWidget(2, 1)
    qtbot.addWidget(table)
    table.setHorizontalHeaderLabels(["Name"])
    header = table.horizontalHeader()
    header.setSortIndicatorShown(True)
    header.setSortIndicator(0, order)
    header.resizeSection(0, 200)
    table.resize(260, 120)
    table.show()
    qtbot.waitExposed(table)
    image = header.grab().toImage()
    # the arrow sits at the right of the section, away from the label at its left
    text = header.palette().color(header.foregroundRole()).lightness()
    base = image.pixelColor(150, 1).lightness()
    dark = [[x for x in range(150, 200)
             if abs(image.pixelColor(x, y).lightness() - text)
             < abs(image.pixelColor(x, y).lightness() - base)]
            for y in range(image.height())]
    rows = [len(r) for r in dark if r]
    assert len(rows) >= 3, "no arrow drawn"
    return rows[0] < rows[-1]


def test_the_app_style_draws_ascending_up_and_descending_down(qtbot):
    """With the app's style, an ascending sort shows ▲ and a descending one ▼."""
    theme.use(theme.THEMES["light"])
    assert isinstance(QApplication.instance().style(), AppStyle)
    assert _arrow_points_up(qtbot, Qt.SortOrder.AscendingOrder)
    assert not _arrow_points_up(qtbot, Qt.SortOrder.DescendingOrder)
