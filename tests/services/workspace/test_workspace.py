"""The workspace: where it lives, this device's identity, the default guide, change notices."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import platformdirs
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from voc_desktop.domain.guide_file import load_default_guide
from voc_desktop.domain.visit import Team
from voc_desktop.services import closing, interview
from voc_desktop.services.accounts import add_contact, create_account
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.visits import plan_visit, start_visit
from voc_desktop.services.workspace.workspace import Change, Workspace, default_data_dir
from voc_desktop.store.database import get_meta
from voc_desktop.sync.keys import DEVICE_KEY_FILE, fingerprint


def guide_rows(ws: Workspace) -> int:
    return len(ws.guides.versions(load_default_guide().guide_id))


def test_first_run_creates_device_id_and_key(tmp_path: Path) -> None:
    """A first open creates the workspace file, a device id and an Ed25519 key file."""
    ws = Workspace.open(tmp_path / "data")
    try:
        assert ws.path == tmp_path / "data" / "workspace.sqlite3"
        assert ws.path.exists()
        assert len(ws.device_id) == 36
        assert get_meta(ws.db, "device_id") == ws.device_id
        assert isinstance(ws.device_key, Ed25519PrivateKey)
        assert (tmp_path / "data" / DEVICE_KEY_FILE).exists()
        assert ws.public_key.startswith("ed25519:")
        assert get_meta(ws.db, "device_public_key") == ws.public_key
    finally:
        ws.close()


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_key_file_is_private(ws: Workspace) -> None:
    """The signing key file is readable by its owner only."""
    mode = stat.S_IMODE((ws.data_dir / DEVICE_KEY_FILE).stat().st_mode)
    assert mode == 0o600


def test_reopen_keeps_identity(tmp_path: Path) -> None:
    """Reopening finds the same device id and the same key."""
    first = Workspace.open(tmp_path / "data")
    device_id, public = first.device_id, first.public_key
    key_bytes = (tmp_path / "data" / DEVICE_KEY_FILE).read_bytes()
    first.close()
    second = Workspace.open(tmp_path / "data")
    try:
        assert second.device_id == device_id
        assert second.public_key == public
        assert (tmp_path / "data" / DEVICE_KEY_FILE).read_bytes() == key_bytes
    finally:
        second.close()


def test_two_workspaces_have_different_identities(tmp_path: Path) -> None:
    """Each new workspace gets its own device id and key."""
    a, b = Workspace.open(tmp_path / "a"), Workspace.open(tmp_path / "b")
    try:
        assert a.device_id != b.device_id
        assert fingerprint(a.public_key) != fingerprint(b.public_key)
    finally:
        a.close()
        b.close()


def test_damaged_key_file_is_a_service_error(tmp_path: Path) -> None:
    """A key file that is not a key gives a plain ServiceError naming it."""
    data = tmp_path / "data"
    data.mkdir()
    (data / DEVICE_KEY_FILE).write_text("not a key")
    with pytest.raises(ServiceError, match="device key"):
        Workspace.open(data)


def test_damaged_workspace_is_a_service_error_and_untouched(tmp_path: Path) -> None:
    """Opening a workspace whose file is garbage fails clearly and changes nothing."""
    data = tmp_path / "data"
    data.mkdir()
    garbage = os.urandom(8192)
    (data / "workspace.sqlite3").write_bytes(garbage)
    with pytest.raises(ServiceError, match="damaged"):
        Workspace.open(data)
    assert (data / "workspace.sqlite3").read_bytes() == garbage


def test_env_var_sets_the_default_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """VOC_DATA_DIR decides where the workspace lives when no folder is given."""
    monkeypatch.setenv("VOC_DATA_DIR", str(tmp_path / "from-env"))
    assert default_data_dir() == tmp_path / "from-env"
    ws = Workspace.open()
    try:
        assert ws.path == tmp_path / "from-env" / "workspace.sqlite3"
        assert ws.path.exists()
    finally:
        ws.close()


def test_env_var_expands_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A VOC_DATA_DIR starting with ~ is taken relative to the home folder."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("VOC_DATA_DIR", "~/voc")
    assert default_data_dir() == tmp_path / "voc"


@pytest.mark.parametrize("value", [None, "", "   "])
def test_without_env_var_platform_dir_is_used(monkeypatch: pytest.MonkeyPatch,
                                              value: str | None) -> None:
    """Without VOC_DATA_DIR (or with a blank one) the platform's user data folder is used."""
    if value is None:
        monkeypatch.delenv("VOC_DATA_DIR", raising=False)
    else:
        monkeypatch.setenv("VOC_DATA_DIR", value)
    expected = Path(platformdirs.user_data_dir("VOC Desktop", appauthor=False))
    assert default_data_dir() == expected


def test_explicit_dir_wins_over_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder passed in overrides VOC_DATA_DIR."""
    monkeypatch.setenv("VOC_DATA_DIR", str(tmp_path / "from-env"))
    ws = Workspace.open(str(tmp_path / "explicit"))
    try:
        assert ws.path == tmp_path / "explicit" / "workspace.sqlite3"
        assert not (tmp_path / "from-env").exists()
    finally:
        ws.close()


def test_default_guide_installed_once(tmp_path: Path) -> None:
    """The shipped guide is added on first run and not again on reopen."""
    first = Workspace.open(tmp_path / "data")
    assert guide_rows(first) == 1
    [stored] = first.guides.list_latest()
    assert stored.guide == load_default_guide()
    first.close()
    second = Workspace.open(tmp_path / "data")
    try:
        assert guide_rows(second) == 1
        assert [s.version_id for s in second.guides.list_latest()] == [stored.version_id]
    finally:
        second.close()


def test_listener_hears_after_commit(ws: Workspace) -> None:
    """A change notice arrives once the write is committed, naming tables and visit."""
    heard: list[tuple[Change, int]] = []
    other = sqlite3.connect(ws.path)

    def listener(change: Change) -> None:
        # a second connection only sees committed data
        seen = other.execute("SELECT COUNT(*) FROM meta WHERE key = 'probe'").fetchone()[0]
        heard.append((change, seen))

    ws.subscribe(listener)
    with ws.write(["meta", "visits"], visit_id="v-1", ids=["x", "y"]):
        ws.db.execute("INSERT INTO meta(key, value) VALUES ('probe', '1')")
        assert heard == []
    assert heard == [(Change(frozenset({"meta", "visits"}), "v-1", frozenset({"x", "y"})), 1)]
    other.close()


def test_service_write_notifies_with_tables_and_ids(ws: Workspace) -> None:
    """A real service call announces the table it touched and the record id."""
    heard: list[Change] = []
    ws.subscribe(heard.append)
    account = create_account(ws, "Acme")
    assert heard == [Change(frozenset({"accounts"}), None, frozenset({account.id}))]


def test_failed_transaction_sends_no_notice_and_writes_nothing(ws: Workspace) -> None:
    """When the write fails, nothing is stored and no listener is told."""
    heard: list[Change] = []
    ws.subscribe(heard.append)
    with pytest.raises(RuntimeError), ws.write(["meta"]):
        ws.db.execute("INSERT INTO meta(key, value) VALUES ('half', 'done')")
        raise RuntimeError("boom")
    assert heard == []
    assert get_meta(ws.db, "half") is None


def test_failed_service_call_sends_no_notice(ws: Workspace) -> None:
    """A service refusing a duplicate name notifies nobody."""
    create_account(ws, "Acme")
    heard: list[Change] = []
    ws.subscribe(heard.append)
    with pytest.raises(ServiceError):
        create_account(ws, "acme")
    assert heard == []


def test_unsubscribe_stops_notices(ws: Workspace) -> None:
    """The function returned by subscribe removes the listener."""
    heard: list[Change] = []
    unsubscribe = ws.subscribe(heard.append)
    create_account(ws, "One")
    unsubscribe()
    create_account(ws, "Two")
    assert len(heard) == 1


def test_every_listener_hears(ws: Workspace) -> None:
    """Several listeners each get the notice, in subscription order."""
    order: list[str] = []
    ws.subscribe(lambda c: order.append("first"))
    ws.subscribe(lambda c: order.append("second"))
    create_account(ws, "Acme")
    assert order == ["first", "second"]


def test_listener_may_unsubscribe_while_notified(ws: Workspace) -> None:
    """A listener removing itself during a notice does not stop the others hearing it."""
    heard: list[str] = []
    holder: dict[str, object] = {}

    def once(change: Change) -> None:
        heard.append("once")
        holder["unsubscribe"]()  # type: ignore[operator]

    holder["unsubscribe"] = ws.subscribe(once)
    ws.subscribe(lambda c: heard.append("always"))
    create_account(ws, "One")
    create_account(ws, "Two")
    assert heard == ["once", "always", "always"]



def test_batch_sends_one_notice_after_commit(ws: Workspace) -> None:
    """Several writes in a batch are one transaction and one combined notice."""
    heard: list[Change] = []
    ws.subscribe(heard.append)
    with ws.batch():
        a = create_account(ws, "One")
        b = create_account(ws, "Two")
        assert heard == []
    assert heard == [Change(frozenset({"accounts"}), None, frozenset({a.id, b.id}))]


def test_failed_batch_writes_nothing_and_tells_nobody(ws: Workspace) -> None:
    """When any step of a batch fails, none of its writes stay and no notice goes out."""
    heard: list[Change] = []
    ws.subscribe(heard.append)
    with pytest.raises(ServiceError), ws.batch():
        create_account(ws, "One")
        create_account(ws, "one")  # duplicate: refused
    assert heard == []
    assert ws.accounts.list() == []
    create_account(ws, "Later")  # the workspace is usable afterwards
    assert len(heard) == 1


SYNCED_TABLES = ["accounts", "contacts", "guide_versions", "visits", "attendees", "entries",
                 "key_learnings", "action_items"]


def test_every_record_written_by_services_is_stamped(ws: Workspace) -> None:
    """Rows written through the services carry times, this device's id and a revision."""
    account = create_account(ws, "Acme")
    ann = add_contact(ws, account.id, "Ann")
    visit = plan_visit(ws, account.id, "Objective", attendees=((ann.id, ()),))
    start_visit(ws, visit.id)
    key = ws.guides.version(visit.guide_version_id).guide.questions()[0][1].key
    answer = interview.record_answer(ws, visit.id, key, "We bake at night")
    interview.toggle_key_learning(ws, answer.id)
    closing.add_action_item(ws, visit.id, "Call back", Team.SALES)
    for table in SYNCED_TABLES:
        rows = ws.db.execute(
            f'SELECT created_at, updated_at, device_id, revision FROM "{table}"').fetchall()
        assert rows, table
        for created, updated, device, rev in rows:
            assert created and updated and created <= updated, table
            assert device == ws.device_id, table
            assert rev >= 1, table


def test_nested_writes_tell_listeners_once_after_the_outer_commit(ws):
    """A write inside another write is announced with it, after the outer commit."""
    from voc_desktop.services.accounts import create_account

    heard = []
    ws.subscribe(lambda change: heard.append((change.tables, ws.db.conn.in_transaction)))
    with ws.write(["visits"]):
        create_account(ws, "Inner write Ltd")
        assert heard == []
    assert heard == [(frozenset({"accounts", "visits"}), False)]


def test_a_damaged_device_key_closes_the_workspace_it_refuses(tmp_path, monkeypatch):
    """A workspace that cannot load its device key says so and leaves no open connection."""
    import sqlite3

    import pytest

    from voc_desktop.services.errors import ServiceError
    from voc_desktop.services.workspace.workspace import Workspace

    (tmp_path / "device-key.pem").write_text("not a key")
    opened = []
    real_connect = sqlite3.connect

    def tracking_connect(*args, **kwargs):
        conn = real_connect(*args, **kwargs)
        opened.append(conn)
        return conn

    monkeypatch.setattr(sqlite3, "connect", tracking_connect)
    with pytest.raises(ServiceError, match="device key"):
        Workspace.open(tmp_path)
    assert opened
    for conn in opened:
        with pytest.raises(sqlite3.ProgrammingError):
            conn.execute("SELECT 1")
