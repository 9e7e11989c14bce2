"""The app's widget style: Fusion, the one built-in style that draws from the palette, with
sort arrows that point the way people read them.

Fusion draws an ascending sort (A to Z, oldest first) with a downward arrow and a
descending one with an upward arrow. Lists elsewhere (file managers, spreadsheets, the
web) show ▲ for smallest or A first and ▼ for largest or newest first, so the arrow is
turned round here, once for every table in the app."""

from __future__ import annotations

from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOption, QStyleOptionHeader

_TURNED = {QStyleOptionHeader.SortIndicator.SortUp: QStyleOptionHeader.SortIndicator.SortDown,
           QStyleOptionHeader.SortIndicator.SortDown: QStyleOptionHeader.SortIndicator.SortUp}


class AppStyle(QProxyStyle):
    """Fusion, with header sort arrows as people read them: ▲ ascending, ▼ descending."""

    def __init__(self) -> None:
        super().__init__("Fusion")

    def drawPrimitive(self, element: QStyle.PrimitiveElement,  # noqa: N802 (Qt override)
                      option: QStyleOption, painter, widget=None) -> None:
        if element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow \
                and isinstance(option, QStyleOptionHeader) and option.sortIndicator in _TURNED:
            turned = QStyleOptionHeader(option)
            turned.sortIndicator = _TURNED[option.sortIndicator]
            option = turned
        super().drawPrimitive(element, option, painter, widget)
