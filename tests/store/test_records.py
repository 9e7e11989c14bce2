"""Synchronised records: stamps, revisions, tombstones and restore, and repository round trips."""

from __future__ import annotations

import itertools
from datetime import datetime

import pytest

from voc_desktop.domain.accounts import (
    Account,
    Consent,
    Contact,
    LifecycleStage,
    Role,
)
from voc_desktop.domain.guide_file import load_default_guide
from voc_desktop.domain.visit import (
    ActionItem,
    Entry,
    EntryKind,
    KeyLearning,
    SummaryStatus,
    Team,
    Visit,
    VisitStatus,
)
from voc_desktop.store import records as records_module
from voc_desktop.store.accounts import AccountRepo
from voc_desktop.store.attachments import AttachmentRepo
from voc_desktop.store.database import new_id
from voc_desktop.store.guides import GuideRepo
from voc_desktop.store.records import Records
from voc_desktop.store.visits import VisitRepo


@pytest.fixture
def records(db) -> Records:
    return Records(db, "device-a")


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A clock that ticks one second per reading; returns the times handed out."""
    handed: list[str] = []
    seconds = itertools.count()

    def tick() -> str:
        n = next(seconds)
        stamp = f"2030-01-01T00:{n // 60:02d}:{n % 60:02d}.000Z"
        handed.append(stamp)
        return stamp

    monkeypatch.setattr(records_module, "now_utc", tick)
    return handed


def raw(db, table: str, record_id: str) -> dict:
    cur = db.execute(f'SELECT * FROM "{table}" WHERE id = ?', [record_id])
    row = cur.fetchone()
    return dict(zip([d[0] for d in cur.description], row, strict=True))


def add_account(records: Records, name: str = "Acme") -> str:
    account_id = new_id()
    records.insert("accounts", {"id": account_id, "name": name, "lifecycle_stage": "active"})
    return account_id


def test_insert_stamps_the_record(db, records: Records) -> None:
    """A new record carries equal created/updated UTC times, this device and revision 1."""
    account_id = add_account(records)
    row = raw(db, "accounts", account_id)
    assert row["created_at"] == row["updated_at"]
    assert row["created_at"].endswith("Z")
    assert datetime.fromisoformat(row["created_at"].replace("Z", "+00:00")).utcoffset() is not None
    assert row["device_id"] == "device-a"
    assert row["revision"] == 1
    assert row["deleted_at"] is None


def test_update_bumps_revision_and_updated_at(db, records: Records, clock: list[str]) -> None:
    """An update raises the revision by one and moves updated_at, keeping created_at."""
    account_id = add_account(records)
    created = raw(db, "accounts", account_id)["created_at"]
    assert records.update("accounts", account_id, {"vertical": "Food"})
    row = raw(db, "accounts", account_id)
    assert row["vertical"] == "Food"
    assert row["revision"] == 2
    assert row["created_at"] == created
    assert row["updated_at"] == clock[-1] > created
    assert records.update("accounts", account_id, {"vertical": "Retail"})
    assert raw(db, "accounts", account_id)["revision"] == 3


def test_update_records_the_writing_device(db, records: Records) -> None:
    """The device that last wrote a record is the one stamped on it."""
    account_id = add_account(records)
    Records(db, "device-b").update("accounts", account_id, {"segment": "SMB"})
    assert raw(db, "accounts", account_id)["device_id"] == "device-b"


def test_update_of_missing_record_is_false(records: Records) -> None:
    """Updating an id that does not exist reports False and writes nothing."""
    assert records.update("accounts", "nope", {"name": "x"}) is False


def test_delete_leaves_a_tombstone_and_hides_the_row(db, records: Records) -> None:
    """A delete keeps the row with deleted_at set, bumps its revision and hides it."""
    account_id = add_account(records)
    assert records.delete("accounts", account_id)
    row = raw(db, "accounts", account_id)
    assert row["deleted_at"] is not None
    assert row["revision"] == 2
    assert records.get("accounts", account_id) is None
    assert records.select("accounts") == []


def test_deleted_record_cannot_be_updated_or_deleted_again(records: Records) -> None:
    """A tombstone takes no further edits and a second delete reports False."""
    account_id = add_account(records)
    records.delete("accounts", account_id)
    assert records.update("accounts", account_id, {"name": "Zombie"}) is False
    assert records.delete("accounts", account_id) is False


def test_delete_uses_the_given_time(db, records: Records) -> None:
    """A delete can be stamped with a shared time, so related deletes go together."""
    account_id = add_account(records)
    records.delete("accounts", account_id, "2031-05-05T10:00:00.000Z")
    assert raw(db, "accounts", account_id)["deleted_at"] == "2031-05-05T10:00:00.000Z"


def test_restore_brings_the_row_back(db, records: Records, clock: list[str]) -> None:
    """Restore clears the tombstone, bumps the revision and shows the row again."""
    account_id = add_account(records, "Acme")
    records.delete("accounts", account_id)
    assert records.restore("accounts", account_id)
    row = raw(db, "accounts", account_id)
    assert row["deleted_at"] is None
    assert row["revision"] == 3
    assert row["updated_at"] == clock[-1]
    assert records.get("accounts", account_id)["name"] == "Acme"


def test_restore_of_a_live_record_is_false(db, records: Records) -> None:
    """Restoring something that was never deleted changes nothing."""
    account_id = add_account(records)
    assert records.restore("accounts", account_id) is False
    assert raw(db, "accounts", account_id)["revision"] == 1


def test_select_filters_orders_and_hides_deleted(records: Records) -> None:
    """select applies the condition and order, and leaves tombstones out."""
    ids = {name: add_account(records, name) for name in ["b", "a", "c", "ab"]}
    records.delete("accounts", ids["c"])
    rows = records.select("accounts", "name LIKE ?", ["%"], order_by="name")
    assert [r["name"] for r in rows] == ["a", "ab", "b"]
    rows = records.select("accounts", "name LIKE ?", ["a%"], order_by="name DESC")
    assert [r["name"] for r in rows] == ["ab", "a"]


def test_writes_inside_atomic_roll_back_together(db, records: Records) -> None:
    """A failure inside one transaction leaves none of its writes behind."""
    with pytest.raises(RuntimeError), db.atomic():
        add_account(records, "One")
        add_account(records, "Two")
        raise RuntimeError("boom")
    assert records.select("accounts") == []


# repositories -------------------------------------------------------------


@pytest.fixture
def repos(records: Records):
    guide_version_id = new_id()
    GuideRepo(records).add_version(guide_version_id, load_default_guide())
    accounts = AccountRepo(records)
    account = Account(new_id(), "Acme Bakery", vertical="Food",
                      lifecycle_stage=LifecycleStage.RENEWAL, in_icp=False, icp_note="tiny")
    accounts.add(account)
    visits = VisitRepo(records)
    visit = Visit(new_id(), account.id, guide_version_id, "Why renewals slip",
                  "2030-03-04", interviewers=("Kim", "Lee"))
    visits.add(visit)
    return accounts, visits, account, visit


def test_account_round_trip(repos) -> None:
    """An account reads back with its enum, flag and note intact."""
    accounts, _, account, _ = repos
    back = accounts.get(account.id)
    assert back is not None
    assert (back.name, back.vertical, back.lifecycle_stage, back.in_icp, back.icp_note) == (
        "Acme Bakery", "Food", LifecycleStage.RENEWAL, False, "tiny")
    assert back.created_at


def test_account_name_lookup_ignores_case_and_spaces(repos) -> None:
    """find_by_name matches regardless of case and surrounding spaces."""
    accounts, _, account, _ = repos
    found = accounts.find_by_name("  acme BAKERY ")
    assert found is not None and found.id == account.id
    assert accounts.find_by_name("Acme") is None


def test_contact_round_trip(repos) -> None:
    """A contact keeps its roles (in canonical order) and every consent field."""
    accounts, _, account, _ = repos
    consent = Consent(given=True, quote_by_name=True, method="written",
                      recorded_at="2030-03-04T09:00:00.000Z", scope="internal only")
    contact = Contact(new_id(), account.id, "Ann Ortiz", "COO",
                      (Role.USER, Role.DECISION_MAKER), consent)
    accounts.add_contact(contact)
    back = accounts.contact(contact.id)
    assert back is not None
    assert back.roles == (Role.DECISION_MAKER, Role.USER)
    assert back.consent == consent
    assert [c.id for c in accounts.contacts(account.id)] == [contact.id]


def test_visit_round_trip(repos) -> None:
    """A visit reads back with its lists and defaults."""
    _, visits, _, visit = repos
    back = visits.get(visit.id)
    assert back is not None
    assert back.interviewers == ("Kim", "Lee")
    assert back.status is VisitStatus.PLANNED
    assert back.skipped_questions == ()
    assert back.objective == "Why renewals slip"


def test_entry_round_trip_keeps_unicode_text_and_tags(repos) -> None:
    """Text and tags survive storage as they were, non-ASCII included."""
    _, visits, _, visit = repos
    entry = Entry(new_id(), visit.id, EntryKind.OBSERVATION, "Café floor, 6 ovens — “busy”",
                  tags=("café", "layout"), offset_seconds=42, question_key="ops-day")
    visits.add_entry(entry)
    back = visits.entry(entry.id)
    assert back is not None
    assert (back.text, back.tags, back.offset_seconds, back.question_key, back.kind) == (
        "Café floor, 6 ovens — “busy”", ("café", "layout"), 42, "ops-day",
        EntryKind.OBSERVATION)


def test_positions_grow_and_are_not_reused_after_delete(repos) -> None:
    """Each new entry goes last, even after the last one was deleted."""
    _, visits, _, visit = repos
    ids = []
    for text in ["one", "two", "three"]:
        e = Entry(new_id(), visit.id, EntryKind.OBSERVATION, text)
        visits.add_entry(e)
        ids.append(e.id)
    visits.delete_entry(ids[-1])
    late = Entry(new_id(), visit.id, EntryKind.OBSERVATION, "four")
    visits.add_entry(late)
    positions = [e.position for e in visits.entries(visit.id)]
    assert positions == sorted(positions)
    assert len(set(positions)) == len(positions)
    visits.restore_entry(ids[-1])
    assert [e.text for e in visits.entries(visit.id)] == ["one", "two", "three", "four"]


def test_deleting_an_entry_takes_its_learning_and_restore_returns_both(repos) -> None:
    """An entry's learning goes with it on delete and comes back with it on restore."""
    _, visits, _, visit = repos
    entry = Entry(new_id(), visit.id, EntryKind.ANSWER, "Price matters", question_key="use-how")
    visits.add_entry(entry)
    kl = KeyLearning(new_id(), visit.id, "Price matters", source_entry_id=entry.id)
    visits.add_learning(kl)
    visits.delete_entry(entry.id)
    assert visits.entries(visit.id) == []
    assert visits.learnings(visit.id) == []
    visits.restore_entry(entry.id)
    assert [e.id for e in visits.entries(visit.id)] == [entry.id]
    assert [k.id for k in visits.learnings(visit.id)] == [kl.id]


def test_learning_and_action_round_trip(repos) -> None:
    """Learnings and action items read back with their statuses and teams."""
    _, visits, _, visit = repos
    kl = KeyLearning(new_id(), visit.id, "They plan by season")
    visits.add_learning(kl)
    visits.update_learning(kl.id, status=SummaryStatus.CORRECTED, correction="By quarter")
    back = visits.learning(kl.id)
    assert back is not None
    assert (back.status, back.final_text) == (SummaryStatus.CORRECTED, "By quarter")
    item = ActionItem(new_id(), visit.id, "Send the spec", Team.CUSTOMER_SERVICE,
                      due_date="2030-04-01")
    visits.add_action(item)
    assert visits.actions(visit.id) == [
        ActionItem(item.id, visit.id, "Send the spec", Team.CUSTOMER_SERVICE,
                   due_date="2030-04-01", position=0)]


def test_attachment_is_stored_once_by_hash(records: Records, db) -> None:
    """Putting the same content twice keeps one blob, readable with its type."""
    repo = AttachmentRepo(records)
    repo.put("abc", "a.png", "image/png", b"\x89PNG-bytes")
    repo.put("abc", "copy.png", "image/png", b"\x89PNG-bytes")
    assert db.execute("SELECT COUNT(*) FROM attachments").fetchone()[0] == 1
    assert repo.data("abc") == b"\x89PNG-bytes"
    assert repo.mime("abc") == "image/png"
    assert repo.data("missing") is None
    assert repo.mime("missing") == "application/octet-stream"


def test_guide_versions_latest_and_list(records: Records) -> None:
    """The newest version of a guide is the one listed and found by id or name."""
    repo = GuideRepo(records)
    guide = load_default_guide().with_version(1)
    v1, v2 = new_id(), new_id()
    repo.add_version(v1, guide)
    repo.add_version(v2, guide.with_version(2))
    assert repo.latest(guide.guide_id).version_id == v2
    assert repo.find(guide.guide_id, 1).version_id == v1
    assert repo.find_by_name(guide.name.upper()).version_id == v2
    assert [s.version_id for s in repo.list_latest()] == [v2]
    assert [s.guide.version for s in repo.versions(guide.guide_id)] == [1, 2]
    assert repo.version(v1).guide == guide
