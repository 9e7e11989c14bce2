"""The open workspace: its database, this device's identity, and change notices."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from voc_desktop.domain.guide_file import load_default_guide
from voc_desktop.store.accounts import AccountRepo
from voc_desktop.store.attachments import AttachmentRepo
from voc_desktop.store.database import (
    WORKSPACE_FILE,
    StoreError,
    get_meta,
    new_id,
    open_database,
    set_meta,
)
from voc_desktop.store.guides import GuideRepo
from voc_desktop.store.records import Records
from voc_desktop.store.visits import VisitRepo
from voc_desktop.sync.keys import DeviceKeyError, load_or_create_device_key, public_key_text

APP_NAME = "VOC Desktop"
DATA_DIR_ENV = "VOC_DATA_DIR"


class ServiceError(Exception):
    """Something a person asked for cannot be done; the message says why, in plain words."""


def default_data_dir() -> Path:
    """`VOC_DATA_DIR` if set, else the platform's per-user data folder."""
    env = os.environ.get(DATA_DIR_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class Change:
    """What a write touched, so views refresh only that."""

    tables: frozenset[str]
    visit_id: str | None = None
    ids: frozenset[str] = field(default_factory=frozenset)


Listener = Callable[[Change], None]


class Workspace:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir).expanduser()
        try:
            self.db = open_database(self.data_dir / WORKSPACE_FILE)
            self.device_key = load_or_create_device_key(self.data_dir)
        except (StoreError, DeviceKeyError) as exc:
            raise ServiceError(str(exc)) from exc
        self.device_id = get_meta(self.db, "device_id") or self._first_run()
        records = Records(self.db, self.device_id)
        self.accounts = AccountRepo(records)
        self.guides = GuideRepo(records)
        self.visits = VisitRepo(records)
        self.attachments = AttachmentRepo(records)
        self._listeners: list[Listener] = []
        if not self.guides.list_latest():
            with self.write(["guide_versions"]):
                self.guides.add_version(new_id(), load_default_guide())

    @classmethod
    def open(cls, data_dir: Path | str | None = None) -> Workspace:
        return cls(Path(data_dir) if data_dir else default_data_dir())

    def _first_run(self) -> str:
        device_id = new_id()
        set_meta(self.db, "device_id", device_id)
        set_meta(self.db, "device_public_key", public_key_text(self.device_key))
        return device_id

    @property
    def path(self) -> Path:
        return self.data_dir / WORKSPACE_FILE

    @property
    def public_key(self) -> str:
        return public_key_text(self.device_key)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    @contextmanager
    def write(self, tables: Iterable[str], *, visit_id: str | None = None,
              ids: Iterable[str] = ()) -> Iterator[Workspace]:
        """One transaction; listeners hear of it only once it is committed."""
        with self.db.atomic():
            yield self
        change = Change(frozenset(tables), visit_id, frozenset(ids))
        for listener in list(self._listeners):
            listener(change)

    def close(self) -> None:
        self.db.close()
