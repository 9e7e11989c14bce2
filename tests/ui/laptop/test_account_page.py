"""The account page: opened from the list, its stakeholder map, stage and profile edits."""

from __future__ import annotations

from html import escape

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from voc_desktop.domain.accounts import LifecycleStage, Role
from voc_desktop.domain.visit import ActionStatus
from voc_desktop.services.account_view import DECIDES, INFLUENCES, OTHER, USES
from voc_desktop.services.accounts import add_contact
from voc_desktop.services.demo.sample_workspace import fill_demo
from voc_desktop.ui.laptop.account_page import AccountPage
from voc_desktop.ui.laptop.visit_list import ACCOUNT_ROLE

HALVORSEN = "Halvorsen Food Packaging"


def _account_row(window, account_id: str):
    model = window.browser.model
    for row in range(model.rowCount()):
        index = model.index(row)
        if index.data(ACCOUNT_ROLE) == account_id:
            return index
    raise AssertionError("account not listed")


def _texts(page: AccountPage) -> str:
    return "\n".join(label.text() for label in page.body.findChildren(QLabel))


@pytest.fixture
def demo_window(ws, open_window):
    """A main window on the sample workspace."""
    fill_demo(ws)
    return open_window(ws)


def test_clicking_the_account_row_opens_its_page(qtbot, ws, demo_window) -> None:
    """A click on an account row shows that account's page with focus on the stage combo."""
    account = ws.accounts.find_by_name(HALVORSEN)
    index = _account_row(demo_window, account.id)
    tree = demo_window.browser.tree
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton,
                     pos=tree.visualRect(index).center())
    page = demo_window.account_page
    assert demo_window.stack.currentWidget() is page
    assert page.title.text() == HALVORSEN
    assert QApplication.focusWidget() is page.stage_combo
    assert demo_window.shown_visit_id() is None


def test_enter_on_the_account_row_opens_it_and_escape_goes_back(qtbot, ws, demo_window) -> None:
    """Enter on an account row opens the account; Esc returns to the page shown before."""
    before = demo_window.stack.currentWidget()
    account = ws.accounts.find_by_name("Brightway Regional Logistics")
    tree = demo_window.browser.tree
    tree.setFocus()
    tree.setCurrentIndex(_account_row(demo_window, account.id))
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    page = demo_window.account_page
    assert demo_window.stack.currentWidget() is page
    assert page.title.text() == "Brightway Regional Logistics"
    assert page.profile_badge.isVisibleTo(page)
    qtbot.keyClick(page.stage_combo, Qt.Key.Key_Escape)
    assert demo_window.stack.currentWidget() is before


def test_map_places_each_contact_in_the_groups_of_their_roles(page_on_bus, ws,
                                                              planned_visit) -> None:
    """Each person gets one node per group of their roles; no placed role gives a 4th column."""
    account_id = ws.visits.get(planned_visit).account_id
    add_contact(ws, account_id, "Mia Lund", roles=(Role.GATEKEEPER, Role.USER))
    page = page_on_bus(AccountPage)
    page.show_account(account_id)
    layout = page.stakeholders.layout_now()
    assert [c.group for c in layout.columns] == [DECIDES, INFLUENCES, USES]
    assert [n.name for n in layout.nodes_in(DECIDES)] == ["Ingrid Holm"]
    assert [n.name for n in layout.nodes_in(INFLUENCES)] == ["Mia Lund"]
    assert sorted(n.name for n in layout.nodes_in(USES)) == ["Mia Lund", "Ole Berg"]
    assert {n.visits for n in layout.nodes} == {"no visits yet"}  # the visit is only planned
    for node in layout.nodes:
        column = next(c for c in layout.columns if c.group == node.group)
        assert column.rect.contains(node.rect)
    add_contact(ws, account_id, "Per Vik", roles=(Role.OTHER,))
    layout = page.stakeholders.layout_now()
    assert [n.name for n in layout.nodes_in(OTHER)] == ["Per Vik"]
    assert len(layout.columns) == 4
    assert page.stakeholders.height() >= layout.height


def test_changing_the_stage_saves_it_and_moves_the_highlight(page_on_bus, ws,
                                                             planned_visit) -> None:
    """Choosing a stage in the combo stores it on the account and highlights it in the row."""
    account_id = ws.visits.get(planned_visit).account_id
    page = page_on_bus(AccountPage)
    page.show_account(account_id)
    combo = page.stage_combo
    combo.setCurrentIndex(combo.findData(LifecycleStage.RENEWAL))
    assert ws.accounts.get(account_id).lifecycle_stage is LifecycleStage.RENEWAL
    shown = page.stage_path.text()
    assert ">Renewal (now)</b>" in shown and shown.count("(now)") == 1


def test_the_stages_read_as_words_not_buttons(page_on_bus, ws, planned_visit) -> None:
    """The life cycle beside the combo is one line of text: nothing in it takes focus or a
    click, and each stage is a word, the account's own marked "now"."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    account_id = ws.visits.get(planned_visit).account_id
    page = page_on_bus(AccountPage)
    page.show_account(account_id)
    path = page.stage_path
    assert isinstance(path, QLabel) and path.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert not path.textInteractionFlags() & Qt.TextInteractionFlag.LinksAccessibleByMouse
    words = path.text()
    assert "border-radius" not in words and "background" not in words
    for stage in LifecycleStage:
        assert stage.label in words
    current = ws.accounts.get(account_id).lifecycle_stage
    assert f">{current.label} (now)</b>" in words


def test_outside_the_profile_needs_a_reason_before_it_saves(qtbot, page_on_bus, ws,
                                                            planned_visit) -> None:
    """The mark is refused without a reason, saved with one, and removed by unticking."""
    account_id = ws.visits.get(planned_visit).account_id
    page = page_on_bus(AccountPage)
    page.show_account(account_id)
    assert not page.reason_line.isVisibleTo(page)
    qtbot.keyClick(page.stage_combo, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(page.outside_box.isChecked)  # a mnemonic clicks after a short flash
    assert QApplication.focusWidget() is page.reason_edit
    page.save_reason.click()
    assert page.error_label.isVisibleTo(page)
    assert ws.accounts.get(account_id).in_icp
    qtbot.keyClicks(page.reason_edit, "Too small to need line software")
    qtbot.keyClick(page.reason_edit, Qt.Key.Key_Return)
    account = ws.accounts.get(account_id)
    assert (account.in_icp, account.icp_note) == (False, "Too small to need line software")
    assert not page.error_label.isVisibleTo(page)
    assert page.profile_badge.isVisibleTo(page)
    page.outside_box.click()
    account = ws.accounts.get(account_id)
    assert (account.in_icp, account.icp_note) == (True, "")
    assert not page.profile_badge.isVisibleTo(page)


def test_stage_combo_has_a_mnemonic(qtbot, page_on_bus, ws, planned_visit) -> None:
    """Alt+S moves focus to the stage combo from elsewhere on the page."""
    account_id = ws.visits.get(planned_visit).account_id
    page = page_on_bus(AccountPage)
    page.show_account(account_id)
    page.outside_box.setFocus()
    qtbot.keyClick(page.outside_box, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is page.stage_combo


def test_sample_history_and_open_actions_are_shown(page_on_bus, ws) -> None:
    """The sample account shows its visits newest first with agreed points, and open actions."""
    fill_demo(ws)
    account_id = ws.accounts.find_by_name(HALVORSEN).id
    page = page_on_bus(AccountPage)
    page.show_account(account_id)
    text = _texts(page)
    visits = ws.visits.list(account_id=account_id)
    positions = [text.index(escape(v.objective)) for v in visits]
    assert positions == sorted(positions)  # newest first, as listed by the store
    assert "corrected by the customer" in text
    actions = [a for v in visits for a in ws.visits.actions(v.id)]
    for a in actions:
        assert (escape(a.text) in text) is (a.status is ActionStatus.OPEN)
    assert "Executive / strategy" in text
    assert page.view is not None and page.view.open_action_count > 0


def test_an_open_action_past_its_date_is_marked_overdue(page_on_bus, ws) -> None:
    """Open actions past their due date say 'overdue'; one due later does not."""
    from datetime import date, timedelta

    from voc_desktop.services.closing import add_action_item

    fill_demo(ws)
    account_id = ws.accounts.find_by_name(HALVORSEN).id
    visit = ws.visits.list(account_id=account_id)[0]
    late = (date.today() - timedelta(days=3)).isoformat()
    soon = (date.today() + timedelta(days=30)).isoformat()
    add_action_item(ws, visit.id, "Chase the late one", "product", due_date=late)
    add_action_item(ws, visit.id, "Send the later one", "product", due_date=soon)
    page = page_on_bus(AccountPage)
    page.show_account(account_id)
    text = _texts(page)
    line = next(t for t in text.split("<li") if "Chase the late one" in t)
    assert "overdue" in line
    assert "overdue" not in next(t for t in text.split("<li") if "Send the later one" in t)


def test_the_stages_take_the_new_theme_colours(page_on_bus, ws, planned_visit) -> None:
    """After a change of theme the life cycle line is drawn again in the new colours."""
    from voc_desktop.ui.common import theme

    page = page_on_bus(AccountPage)
    page.show_account(ws.visits.get(planned_visit).account_id)
    try:
        theme.use(theme.THEMES["dark"])
        assert theme.colour("accent") in page.stage_path.text()
    finally:
        theme.use(theme.THEMES["light"])
    assert theme.colour("accent") in page.stage_path.text()


def test_an_open_action_names_its_owner(page_on_bus, ws) -> None:
    """An open action on the account page names who will do it; one without says nothing
    of an owner."""
    from voc_desktop.services.closing import add_action_item

    fill_demo(ws)
    account_id = ws.accounts.find_by_name(HALVORSEN).id
    visit = ws.visits.list(account_id=account_id)[0]
    add_action_item(ws, visit.id, "Call the plant", "sales", owner="Maria (product)")
    add_action_item(ws, visit.id, "Mail the plant", "sales")
    page = page_on_bus(AccountPage)
    page.show_account(account_id)
    text = _texts(page)
    assert "owner Maria (product)" in next(t for t in text.split("<li") if "Call the plant" in t)
    assert "owner" not in next(t for t in text.split("<li") if "Mail the plant" in t)
