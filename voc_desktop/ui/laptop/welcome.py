"""The first screen of a new workspace: what the app is for, and the default guide.

Plain labels in a grid rather than one rich-text page: Qt lays out rich text slowly, and
this is the screen the app starts on."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from voc_desktop.services.errors import ServiceError
from voc_desktop.services.visits import default_guide_version
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.ui.common import shortcuts
from voc_desktop.ui.common.look import make_primary
from voc_desktop.ui.common.shortcuts import tip
from voc_desktop.ui.common.theme import styled

INTRO = (
    "Plan a customer visit, run it question by question while you listen, and close it by "
    "reading back what you learned so the customer can confirm or correct it. Everything "
    "stays on this laptop and is saved as you type — no network needed.",
    "A visit starts with one objective. During the interview the coach on the right reminds "
    "you to ask why, and warns you gently when a note sounds like a pitch or a leading "
    "question.",
)


def _label(text: str = "", *, size: float | None = None, bold: bool = False,
            muted: bool = False, wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(wrap)
    font = label.font()
    if size:
        font.setPointSizeF(size)
    font.setBold(bold)
    label.setFont(font)
    if muted:
        styled(label, "color: $muted;")
    return label


class WelcomePage(QWidget):
    new_visit_requested = Signal()
    sample_requested = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setObjectName("welcomePage")
        new = QPushButton("Plan a new visit")
        make_primary(new)
        new.setToolTip(tip("Plan a new visit", shortcuts.NEW_VISIT))
        new.clicked.connect(self.new_visit_requested)
        self.sample = QPushButton("Explore a sample workspace")
        self.sample.setToolTip("Adds two sample accounts with three completed visits")
        self.sample.clicked.connect(self.sample_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(new)
        buttons.addWidget(self.sample)
        buttons.addStretch(1)

        self.guide = _label(size=13, bold=True)
        self.guide.setObjectName("guideOverview")
        self.guide_description = _label()
        self.sections = QGridLayout()
        self.sections.setHorizontalSpacing(18)
        self.sections.setVerticalSpacing(4)

        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(32, 24, 32, 24)
        column.setSpacing(12)
        column.addWidget(_label("Welcome to VOC Desktop", size=20, bold=True))
        for paragraph in INTRO:
            column.addWidget(_label(paragraph))
        column.addLayout(buttons)
        column.addSpacing(8)
        column.addWidget(self.guide)
        column.addWidget(self.guide_description)
        column.addLayout(self.sections)
        column.addStretch(1)
        body.setMaximumWidth(860)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.refresh()

    def refresh(self) -> None:
        self.sample.setVisible(not self.ws.accounts.list())
        while self.sections.count():
            self.sections.takeAt(0).widget().deleteLater()
        try:
            stored = self.ws.guides.version(default_guide_version(self.ws))
        except ServiceError:
            stored = None
        if stored is None:
            self.guide.setText("No guide yet: import one from the File menu.")
            self.guide_description.clear()
            return
        guide = stored.guide
        self.guide.setText(f"The guide you start with: {guide.name} (version {guide.version})")
        self.guide_description.setText(guide.description)
        for row, section in enumerate(guide.sections):
            self.sections.addWidget(_label(section.title, bold=True, wrap=False), row, 0)
            self.sections.addWidget(_label(section.bucket.label, muted=True, wrap=False), row, 1)
            self.sections.addWidget(_label(f"{len(section.questions)} questions", wrap=False),
                                    row, 2)
        self.sections.setColumnStretch(3, 1)
