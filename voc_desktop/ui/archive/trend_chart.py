"""How often chosen themes come up, quarter by quarter, drawn with QPainter: each theme's
share of the quarter's visits as a line, with axes, a legend and colours that stay apart
for people who see colour differently (the Okabe–Ito palette)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from voc_desktop.services.archive.workspace import TrendPoint
from voc_desktop.ui.common.theme import current

TITLE = "Share of visits raising the theme, per quarter"
_STEPS = (0.05, 0.1, 0.2, 0.25, 0.5)


def axis_top(highest: float) -> tuple[float, float]:
    """(top of the share axis, step between ticks): a round top just above the highest
    share, with four or five ticks."""
    if highest <= 0:
        return 0.5, 0.1
    for step in _STEPS:
        top = math.ceil(highest / step - 1e-9) * step
        if top / step <= 5:
            return min(top, 1.0), step
    return 1.0, 0.25


SERIES_SHOWN = 7  # lines told apart by colour; each theme has as many


class TrendChart(QWidget):
    """Lines of share per quarter for a few themes; `series` holds what is drawn."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series: dict[str, list[TrendPoint]] = {}
        self.empty_text = "Select themes in the table to see how often they come up."
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 140)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(440, 280)

    def set_series(self, series: Mapping[str, Sequence[TrendPoint]]) -> None:
        self.series = {theme: list(points) for theme, points in series.items()}
        self.setToolTip(self.summary())
        self.setAccessibleDescription(self.summary())
        self.update()

    def quarters(self) -> list[str]:
        return sorted({p.quarter for points in self.series.values() for p in points})

    def summary(self) -> str:
        """The chart in words, for a tooltip and screen readers."""
        lines = []
        for theme, points in self.series.items():
            shares = ", ".join(f"{p.quarter} {p.share:.0%} ({p.visits} of {p.all_visits})"
                               for p in points)
            lines.append(f"{theme}: {shares or 'no visits'}")
        return "\n".join(lines)

    # --- drawing ----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Base))
        fm = QFontMetrics(self.font())
        text = self.palette().color(QPalette.ColorRole.Text)
        muted = current().qcolor("muted")
        painter.setPen(text)
        title_font = painter.font()
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.drawText(QRectF(8, 4, self.width() - 16, fm.height() + 4),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, TITLE)
        title_font.setBold(False)
        painter.setFont(title_font)
        quarters = self.quarters()
        if not self.series or not quarters:
            painter.setPen(muted)
            painter.drawText(self.rect().adjusted(12, 0, -12, 0),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             self.empty_text if not self.series
                             else "No visits in this scope have a date to place them in a "
                                  "quarter.")
            return
        top = self._legend(painter, fm, fm.height() + 12)
        plot = QRectF(fm.horizontalAdvance("100%") + 16, top + 6,
                      0, 0)
        plot.setRight(self.width() - 16)
        plot.setBottom(self.height() - fm.height() - 14)
        if plot.width() < 40 or plot.height() < 30:
            return
        highest = max((p.share for pts in self.series.values() for p in pts), default=0.0)
        y_top, step = axis_top(highest)
        self._axes(painter, fm, plot, quarters, y_top, step, muted)
        self._lines(painter, plot, quarters, y_top)

    def _legend(self, painter: QPainter, fm: QFontMetrics, y: float) -> float:
        """The themes with their colours, wrapping to more lines; returns where it ends."""
        x, line = 8.0, fm.height() + 4
        painter.setPen(self.palette().color(QPalette.ColorRole.Text))
        for i, theme in enumerate(self.series):
            label = fm.elidedText(theme, Qt.TextElideMode.ElideRight, 180)
            width = 18 + fm.horizontalAdvance(label) + 16
            if x + width > self.width() - 8 and x > 8:
                x, y = 8.0, y + line
            colour = QColor(current().series[i % len(current().series)])
            painter.setPen(QPen(colour, 3))
            mid = y + line / 2
            painter.drawLine(QPointF(x, mid), QPointF(x + 12, mid))
            painter.setPen(self.palette().color(QPalette.ColorRole.Text))
            painter.drawText(QRectF(x + 16, y, width, line),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
            x += width
        return y + line

    def _axes(self, painter: QPainter, fm: QFontMetrics, plot: QRectF, quarters: list[str],
              y_top: float, step: float, muted: QColor) -> None:
        grid = current().qcolor("border")
        ticks = round(y_top / step)
        for i in range(ticks + 1):
            share = i * step
            y = plot.bottom() - plot.height() * share / y_top
            painter.setPen(QPen(grid, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(muted)
            painter.drawText(QRectF(0, y - fm.height() / 2, plot.left() - 6, fm.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             f"{share:.0%}")
        painter.setPen(QPen(muted, 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        # label as many quarters as fit without overlapping, always the last
        room = max(fm.horizontalAdvance("2026-Q4") + 10, 1)
        every = max(1, math.ceil(len(quarters) * room / max(plot.width(), 1)))
        for i, quarter in enumerate(quarters):
            if i % every and i != len(quarters) - 1:
                continue
            x = self._x(plot, i, len(quarters))
            left = min(max(x - room / 2, 0.0), self.width() - room)  # the last stays whole
            painter.drawText(QRectF(left, plot.bottom() + 4, room, fm.height()),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, quarter)

    def _lines(self, painter: QPainter, plot: QRectF, quarters: list[str], y_top: float) -> None:
        at = {q: i for i, q in enumerate(quarters)}
        for n, points in enumerate(self.series.values()):
            colour = QColor(current().series[n % len(current().series)])
            spots = [QPointF(self._x(plot, at[p.quarter], len(quarters)),
                             plot.bottom() - plot.height() * min(p.share, y_top) / y_top)
                     for p in sorted(points, key=lambda p: p.quarter)]
            painter.setPen(QPen(colour, 2.5))
            for a, b in zip(spots, spots[1:], strict=False):
                painter.drawLine(a, b)
            painter.setBrush(colour)
            for spot in spots:
                painter.drawEllipse(spot, 3.5, 3.5)
            painter.setBrush(Qt.BrushStyle.NoBrush)

    @staticmethod
    def _x(plot: QRectF, i: int, count: int) -> float:
        if count == 1:
            return plot.center().x()
        pad = min(24.0, plot.width() / (2 * count))
        return plot.left() + pad + (plot.width() - 2 * pad) * i / (count - 1)
