"""The visit list is read on a worker and handed to the view a page at a time."""

from __future__ import annotations

import threading

from support.visit_list import list_read

from voc_desktop.domain.accounts import Account, LifecycleStage
from voc_desktop.domain.visit import Visit, VisitStatus
from voc_desktop.store.database import new_id
from voc_desktop.ui.laptop import visit_list
from voc_desktop.ui.laptop.visit_list import PAGE, VISIT_ROLE


def _many_visits(ws, count: int) -> list[str]:
    guide = ws.guides.list_latest()[0]
    account = Account(new_id(), "Big Account", "Packaging", "Enterprise", LifecycleStage.ACTIVE)
    ids = []
    with ws.db.atomic():
        ws.accounts.add(account)
        for n in range(count):
            visit = Visit(new_id(), account.id, guide.version_id, f"Visit number {n}",
                          f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}",
                          status=VisitStatus.COMPLETED)
            ws.visits.add(visit)
            ids.append(visit.id)
    return ids


def test_the_view_gets_a_page_of_rows_and_more_as_it_scrolls(qtbot, ws, open_window):
    _many_visits(ws, PAGE * 2 + 50)
    window = open_window(ws)
    model = window.browser.model
    assert len(model.rows) == PAGE * 2 + 51  # the account and every visit are read...
    shown = model.rowCount()                 # ...but only pages of them reach the view
    assert shown % PAGE == 0 and shown < len(model.rows)
    window.browser.tree.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() > shown)
    assert len(model.texts(accounts=False)) == PAGE * 2 + 50


def test_selecting_a_visit_far_down_hands_over_the_rows_up_to_it(qtbot, ws, open_window):
    ids = _many_visits(ws, PAGE * 3)
    window = open_window(ws)
    last = window.ws.visits.lines()[-1].id
    assert last in ids
    window.browser.select_visit(last, emit=False)
    assert window.browser.selected_visit() == last
    assert window.browser.tree.currentIndex().data(VISIT_ROLE) == last


def test_the_list_is_read_off_the_ui_thread(qtbot, ws, open_window, monkeypatch):
    _many_visits(ws, 3)
    window = open_window(ws)
    threads = []
    real = visit_list.read_listing

    def spy(*args):
        threads.append(threading.current_thread())
        return real(*args)

    monkeypatch.setattr(visit_list, "read_listing", spy)
    qtbot.keyClicks(window.browser.search, "number 1")
    list_read(qtbot, window)
    assert threads and all(t is not threading.main_thread() for t in threads)
    assert window.browser.model.texts(accounts=False)
    assert all("number 1" in t for t in window.browser.model.texts(accounts=False))


def test_closing_the_workspace_waits_for_a_read_still_running(qtbot, tmp_path, open_window,
                                                              monkeypatch):
    """Whoever closes the workspace, a list read on a worker finishes on an open connection."""
    from voc_desktop.services.workspace.workspace import Workspace

    ws = Workspace.open(tmp_path / "laptop")
    _many_visits(ws, 20)
    window = open_window(ws)
    list_read(qtbot, window)
    started, finished, failures = threading.Event(), [], []
    real = visit_list.read_listing

    def slow(*args):
        started.set()
        threading.Event().wait(0.3)  # the close comes while this read is still going
        try:
            rows = real(*args)
        except Exception as exc:  # noqa: BLE001 - recorded and asserted below
            failures.append(exc)
            raise
        finished.append(len(rows.rows))
        return rows

    monkeypatch.setattr(visit_list, "read_listing", slow)
    window.browser.refresh()
    assert started.wait(5)
    ws.close()
    assert failures == [] and finished == [21]
