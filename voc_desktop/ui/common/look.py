"""The app's look: calm colours, readable type, clear focus.

Style sheets are set on the widgets that need them, not on the whole application: Qt
styles every widget of an app-wide sheet the slow way, which costs start-up time."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QWidget,
)

from voc_desktop.ui.common import shortcuts
from voc_desktop.ui.common.theme import sizes, styled

# Style sheets name colours and sizes as `$name` (see theme.fill); `styled` fills them in
# for the theme in use and again whenever it changes.
ERROR_STYLE = "color: $error;"
HINT_STYLE = "color: $muted;"

# A focused button has a ring of the focus colour, in every theme: Qt's own styles draw
# focus faintly or not at all once a style sheet pads the button.
BUTTONS = """
QPushButton { padding: $pad; border: 1px solid $border; border-radius: 4px;
              background: $alt_base; color: $text; }
QPushButton:hover { background: $accent_soft; }
QPushButton:pressed { background: $soft_neutral; }
QPushButton:disabled { color: $muted; }
QPushButton:focus { border: 2px solid $focus; }
"""

INTERVIEW_STYLE = """
QLabel#interviewTitle { font-size: $heading; font-weight: 600; }
QLabel#objective { color: $accent; font-size: $body; }
QLabel#clock { color: $muted; padding: 0 12px; }
QLabel#position { color: $muted; }
QLabel#bucketLabel { color: $muted; font-weight: 600; text-transform: uppercase; }
QLabel#questionText { font-size: $question; font-weight: 600; padding: 4px 0; }
QLabel#questionHint { color: $muted; font-style: italic; padding-bottom: 6px; }
QFrame[kind] { background: $base; border: 1px solid $border; border-radius: 6px; }
QFrame[kind="probe"] { background: $alt_base; }
QFrame[kind="quote"] { background: $quote_bg; border-left: 4px solid $quote; }
QFrame[kind="observation"] { background: $observation_bg; border-left: 4px solid $observation; }
QFrame[learning="true"] { border: 2px solid $learning; }
QLabel#keyLearningBadge { color: $learning; font-weight: 600; }
QPlainTextEdit { border: 1px solid $border; border-radius: 4px; padding: 4px;
                 background: $base; color: $text; selection-background-color: $accent_soft;
                 selection-color: $text; }
QPlainTextEdit:focus { border: 2px solid $focus; }
QFrame#coachBox { background: $alt_base; border: 1px solid $border; border-radius: 6px; }
QLabel#coachHeading { font-weight: 700; color: $text; }
QLabel#listeningRules { color: $text; }
""" + BUTTONS.replace("$pad", "5px 12px")

PRIMARY_BUTTON = """
QPushButton { background: $accent; color: $on_accent; border: 2px solid $accent;
              border-radius: 4px; padding: 7px 16px; font-weight: 600; }
QPushButton:disabled { background: $soft_neutral; color: $muted; border-color: $soft_neutral; }
QPushButton:focus { border: 2px solid $focus; text-decoration: underline; }
"""


def body_points() -> float:
    """The body text size in points (it follows the system font size)."""
    return float(sizes()["body"].removesuffix("pt"))


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
        styled(label, f"font-size: $body; {style}")
    return label


def heading_label(text: str, size: str = "$title") -> QLabel:
    # a label's own style sheet wins over the app-wide font size; a plain QFont would not
    return text_label(text, f"font-size: {size}; font-weight: 600;")


def apply_readable_style(widget: QWidget) -> None:
    """Body text at a size that reads well on a laptop, for the widget and all inside it.

    A style sheet rather than a QFont: any child given a style sheet of its own would
    drop an inherited QFont and fall back to the small application default.
    """
    styled(widget, "QWidget { font-size: $body; } " + BUTTONS.replace("$pad", "5px 14px"))


def make_primary(button: QPushButton) -> QPushButton:
    """The one button on a screen that does the main thing."""
    styled(button, PRIMARY_BUTTON)
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


class FittingScroll(QScrollArea):
    """A scroll area as big as what it holds while the screen has room, and scrolling
    once the screen is smaller (a dialog on a 600-pixel laptop screen)."""

    def __init__(self, content: QWidget, room: float = 0.8) -> None:
        super().__init__()
        self._room = room
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(content)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        inner = self.widget().sizeHint()
        screen = self.screen().availableGeometry()
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(min(inner.width() + bar, int(screen.width() * self._room)),
                     min(inner.height() + 2, int(screen.height() * self._room)))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        inner = self.widget().minimumSizeHint()
        return QSize(inner.width() + self.verticalScrollBar().sizeHint().width(),
                     min(inner.height(), 120))


def ok_cancel(dialog: QDialog, ok_text: str, ok_tip: str, key: QKeySequence,
              screen: str) -> tuple[QDialogButtonBox, QPushButton]:
    """A dialog's OK and Cancel, OK named for what it does and taken by `key` (Ctrl+Return)
    from any field of the dialog."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    ok.setToolTip(shortcuts.tip(ok_tip, key))
    ok.setDefault(True)
    shortcuts.bind(screen, key, dialog, dialog.accept)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, ok
