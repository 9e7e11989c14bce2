"""The first screen of a new workspace: what the app is for, and the default guide."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from voc_desktop.services.workspace import Workspace
from voc_desktop.ui import shortcuts
from voc_desktop.ui.look import make_primary
from voc_desktop.ui.shortcuts import tip

WELCOME = (
    "<h1>Welcome to VOC Desktop</h1>"
    "<p>Plan a customer visit, run it question by question while you listen, and close it "
    "by reading back what you learned so the customer can confirm or correct it. "
    "Everything stays on this laptop and is saved as you type — no network needed.</p>"
    "<p>A visit starts with one objective. During the interview the coach on the right "
    "reminds you to ask <i>why</i>, and warns you gently when a note sounds like a pitch "
    "or a leading question.</p>"
)


class WelcomePage(QWidget):
    new_visit_requested = Signal()
    sample_requested = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setObjectName("welcomePage")
        intro = QLabel(WELCOME)
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        self.guide = QLabel()
        self.guide.setObjectName("guideOverview")
        self.guide.setWordWrap(True)
        self.guide.setTextFormat(Qt.TextFormat.RichText)
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
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(32, 24, 32, 24)
        column.setSpacing(14)
        column.addWidget(intro)
        column.addLayout(buttons)
        column.addWidget(self.guide)
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
        guides = self.ws.guides.list_latest()
        self.sample.setVisible(not self.ws.accounts.list())
        if not guides:
            self.guide.setText("")
            return
        guide = guides[0].guide
        rows = "".join(
            f"<tr><td style='padding:3px 14px 3px 0'><b>{s.title}</b></td>"
            f"<td style='padding:3px 14px 3px 0; color:#4b5563'>{s.bucket.label}</td>"
            f"<td style='padding:3px 0'>{len(s.questions)} questions</td></tr>"
            for s in guide.sections)
        self.guide.setText(
            f"<h3>The guide you start with: {guide.name} (version {guide.version})</h3>"
            f"<p>{guide.description}</p><table>{rows}</table>")
