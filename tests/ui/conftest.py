"""Fixtures for driving the real window offscreen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from support.visit_list import list_read

from voc_desktop.domain.accounts import Consent, Role
from voc_desktop.services.accounts import add_contact, create_account
from voc_desktop.services.visits import plan_visit
from voc_desktop.ui.app import laptop_window
from voc_desktop.ui.common import theme
from voc_desktop.ui.common.bus import ChangeBus


@pytest.fixture(autouse=True)
def own_settings(tmp_path_factory):
    """Settings (the theme chosen) in a folder of the test's own; the light theme after."""
    folder = str(tmp_path_factory.mktemp("settings"))
    for form in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(form, QSettings.Scope.UserScope, folder)
    yield folder
    theme.use(theme.LIGHT)


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


def show_active(qtbot, widget, size=(1100, 750)):
    """Show a widget as its own window, exposed and active like a real one."""
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)
    return widget


@pytest.fixture
def page_on_bus(qtbot, ws):
    """Builds one page (class taking ws and a bus) shown as its own active window."""
    buses = []

    def make(page_class):
        bus = ChangeBus(ws)
        buses.append(bus)
        return show_active(qtbot, page_class(ws, bus))

    yield make
    for bus in buses:
        bus.detach()


@pytest.fixture
def open_window(qtbot):
    """Opens a main window on a workspace, shown and active like a real one."""
    def make(ws):
        window = show_active(qtbot, laptop_window(ws), (1366, 768))
        list_read(qtbot, window)
        return window

    return make
