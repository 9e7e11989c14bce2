"""Fixtures for driving the real window offscreen."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from voc_desktop.domain.accounts import Consent, Role
from voc_desktop.services.accounts import add_contact, create_account
from voc_desktop.services.visits import plan_visit
from voc_desktop.ui.main_window import MainWindow


@pytest.fixture
def planned_visit(ws):
    """A planned visit at a new account with two attendees."""
    account = create_account(ws, "Nordic Cans", vertical="Packaging", segment="Mid-market")
    buyer = add_contact(ws, account.id, "Ingrid Holm", title="Plant manager",
                        roles=(Role.ECONOMIC_BUYER, Role.DECISION_MAKER),
                        consent=Consent(given=True, quote_by_name=True, method="verbal"))
    user = add_contact(ws, account.id, "Ole Berg", title="Line lead", roles=(Role.USER,),
                       consent=Consent(given=True, method="verbal"))
    visit = plan_visit(ws, account.id, "Understand why changeovers take so long",
                       place="Line 2", interviewers=("Sam",),
                       attendees=((buyer.id, buyer.roles), (user.id, user.roles)))
    return visit.id


@pytest.fixture
def open_window(qtbot):
    """Opens a main window on a workspace, shown and active like a real one."""
    def make(ws):
        window = MainWindow(ws)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        return window

    return make
