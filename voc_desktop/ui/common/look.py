"""The app's look: calm colours, readable type, clear focus.

Style sheets are set on the widgets that need them, not on the whole application: Qt
styles every widget of an app-wide sheet the slow way, which costs start-up time."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QWidget

ERROR_STYLE = "color: #b3261e;"
HINT_STYLE = "color: #5f6368;"
BODY_POINT_SIZE = 11

INTERVIEW_STYLE = """
QLabel#interviewTitle { font-size: 13pt; font-weight: 600; }
QLabel#objective { color: #1d4ed8; font-size: 11pt; }
QLabel#clock { color: #6b7280; padding: 0 12px; }
QLabel#position { color: #6b7280; }
QLabel#bucketLabel { color: #4b5563; font-weight: 600; text-transform: uppercase; }
QLabel#questionText { font-size: 15pt; font-weight: 600; padding: 4px 0; }
QLabel#questionHint { color: #4b5563; font-style: italic; padding-bottom: 6px; }
QFrame[kind] { background: #ffffff; border: 1px solid #e5e7eb; border-radius: 6px; }
QFrame[kind="probe"] { background: #f8fafc; }
QFrame[kind="quote"] { background: #f0f9ff; border-left: 4px solid #0284c7; }
QFrame[kind="observation"] { background: #f7fee7; border-left: 4px solid #65a30d; }
QFrame[learning="true"] { border: 2px solid #f59e0b; }
QLabel#keyLearningBadge { color: #b45309; font-weight: 600; }
QPlainTextEdit { border: 1px solid #d1d5db; border-radius: 4px; padding: 4px;
                 background: #ffffff; selection-background-color: #bfdbfe; }
QPlainTextEdit:focus { border: 2px solid #2563eb; }
QFrame#coachBox { background: #f9fafb; border: 1px solid #e5e7eb; border-radius: 6px; }
QLabel#coachHeading { font-weight: 700; color: #374151; }
QLabel#listeningRules { color: #374151; }
QPushButton { padding: 5px 12px; }
"""

PRIMARY_BUTTON = """
QPushButton { background: #2563eb; color: white; border: none; border-radius: 4px;
              padding: 7px 16px; font-weight: 600; }
QPushButton:disabled { background: #93c5fd; }
QPushButton:focus { border: 2px solid #1e3a8a; }
"""


def fit_to_screen(window: QWidget, width: int, height: int = 800) -> None:
    """A comfortable size on a big screen; on a laptop screen (under 900 pixels high) the
    whole of it, since a frame and title bar would push the window's bottom off it."""
    screen = QGuiApplication.primaryScreen().availableGeometry()
    window.resize(min(width, screen.width()), min(height, screen.height()))
    if screen.height() < 900:
        window.setWindowState(Qt.WindowState.WindowMaximized)


def text_label(text: str = "", style: str = "", rich: bool = False) -> QLabel:
    """A label whose text wraps; plain text unless asked, so names never turn into markup."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    if style:
        # a label with its own style sheet no longer inherits the page's font size
        label.setStyleSheet(f"font-size: {BODY_POINT_SIZE}pt; {style}")
    return label


def heading_label(text: str, point_size: int = 16) -> QLabel:
    # a label's own style sheet wins over the app-wide font size; a plain QFont would not
    return text_label(text, f"font-size: {point_size}pt; font-weight: 600;")


def apply_readable_style(widget: QWidget) -> None:
    """Body text at a size that reads well on a laptop, for the widget and all inside it.

    A style sheet rather than a QFont: any child given a style sheet of its own would
    drop an inherited QFont and fall back to the small application default.
    """
    widget.setStyleSheet(f"QWidget {{ font-size: {BODY_POINT_SIZE}pt; }} "
                         "QPushButton { padding: 5px 14px; }")


def make_primary(button: QPushButton) -> QPushButton:
    """The one button on a screen that does the main thing."""
    button.setStyleSheet(PRIMARY_BUTTON)
    return button


def centred_scroll(column: QWidget) -> QScrollArea:
    """A page's column, centred with room on both sides, scrolling when it runs long."""
    page = QWidget()
    centred = QHBoxLayout(page)
    centred.setContentsMargins(0, 0, 0, 0)
    # stretch on both sides rather than an alignment: aligned widgets shrink to their
    # size hint, and wrapped text then gets too little room
    centred.addStretch(1)
    centred.addWidget(column, 12)
    centred.addStretch(1)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(page)
    return scroll
