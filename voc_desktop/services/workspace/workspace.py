"""The open workspace: its database, this device's identity, and change notices."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from voc_desktop.domain.guide_file import load_default_guide
from voc_desktop.services.errors import ServiceError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from voc_desktop.services.workspace import DATA_DIR_ENV as DATA_DIR_ENV
from voc_desktop.services.workspace import default_data_dir
from voc_desktop.store.accounts import AccountRepo
from voc_desktop.store.attachments import AttachmentRepo
from voc_desktop.store.database import (
    WORKSPACE_FILE,
    WorkspaceDamagedError,
    get_meta,
    new_id,
    open_database,
    set_meta,
)
from voc_desktop.store.errors import StoreError
from voc_desktop.store.guides import GuideRepo
from voc_desktop.store.records import Records
from voc_desktop.store.visits import VisitRepo


class WorkspaceDamaged(ServiceError):
    """The workspace file is damaged; it was only read, and nothing will be written to it."""

    def __init__(self, message: str, path: Path, detail: str = "") -> None:
        super().__init__(message)
        self.path = path
        self.detail = detail  # what SQLite's check found


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
        # the place, write access and owner-only modes are settled before SQLite opens a file
        from voc_desktop.services.workspace.place import prepare_workspace_folder

        prepare_workspace_folder(self.data_dir, self.data_dir / WORKSPACE_FILE)
        try:
            self.db = open_database(self.data_dir / WORKSPACE_FILE)
        except WorkspaceDamagedError as exc:
            raise WorkspaceDamaged(str(exc), exc.path, exc.detail) from exc
        except StoreError as exc:
            raise ServiceError(str(exc)) from exc
        self.closed = False
        self._listeners: list[Listener] = []
        self._before_close: list[Callable[[], object]] = []
        self._held: list[Change] | None = None
        try:
            self.device_id = get_meta(self.db, "device_id") or self._first_run()
            records = Records(self.db, self.device_id)
            self.accounts = AccountRepo(records)
            self.guides = GuideRepo(records)
            self.visits = VisitRepo(records)
            self.attachments = AttachmentRepo(records)
            self._ship_default_guide()
        except BaseException:
            self.db.close()  # a half-opened workspace must not keep the file open
            raise

    def _ship_default_guide(self) -> None:
        """The guide that ships with the app, in a new workspace; a newer version of it
        after an update, unless this workspace already made a version that far."""
        shipped = load_default_guide()
        held = self.guides.latest(shipped.guide_id) if self.guides.has_any() else None
        if self.guides.has_any() and (held is None or held.guide.version >= shipped.version):
            return
        with self.write(["guide_versions"]):
            self.guides.add_version(shipped.version_id, shipped)

    @classmethod
    def open(cls, data_dir: Path | str | None = None) -> Workspace:
        return cls(Path(data_dir) if data_dir else default_data_dir())

    def _first_run(self) -> str:
        device_id = new_id()
        set_meta(self.db, "device_public_key", self._load_device_key()[1])
        set_meta(self.db, "device_id", device_id)
        return device_id

    def _load_device_key(self) -> tuple[Ed25519PrivateKey, str]:
        # Imported here: the crypto library is only needed when signing, not to start up.
        from voc_desktop.sync.keys import (
            DeviceKeyError,
            load_or_create_device_key,
            public_key_text,
        )

        try:
            key = load_or_create_device_key(self.data_dir)
        except DeviceKeyError as exc:
            raise ServiceError(str(exc)) from exc
        return key, public_key_text(key)

    @property
    def device_key(self) -> Ed25519PrivateKey:
        """This laptop's signing key (created with the workspace)."""
        return self._load_device_key()[0]

    @property
    def path(self) -> Path:
        return self.data_dir / WORKSPACE_FILE

    @property
    def public_key(self) -> str:
        return get_meta(self.db, "device_public_key") or self._load_device_key()[1]

    def prepare_writes(self) -> None:
        """Load the transaction machinery now (it loads lazily), so the first save after
        start-up does not pause while a library is imported."""
        _ = self.db.utils

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def before_close(self, wait: Callable[[], object]) -> Callable[[], None]:
        """Have `wait` run first when the workspace closes: whatever reads its connection on
        another thread finishes before the connection goes. Returns how to take it back."""
        self._before_close.append(wait)

        def forget() -> None:
            if wait in self._before_close:
                self._before_close.remove(wait)

        return forget

    @contextmanager
    def write(self, tables: Iterable[str], *, visit_id: str | None = None,
              ids: Iterable[str] = ()) -> Iterator[Workspace]:
        """One transaction; listeners hear of it only once the outermost one is committed."""
        with self.batch():
            yield self
            assert self._held is not None
            self._held.append(Change(frozenset(tables), visit_id, frozenset(ids)))

    @contextmanager
    def batch(self) -> Iterator[Workspace]:
        """Many writes as one transaction and one change notice (all or nothing)."""
        if self._held is not None:  # inside another write: that one commits and tells
            with self.db.atomic():
                yield self
            return
        self._held = []
        try:
            with self.db.atomic():
                yield self
            held = self._held
        except sqlite3.OperationalError as exc:
            # disk full, a read-only file, a lock held too long: the transaction was rolled
            # back, so the workspace is as it was; say so in words a person can act on
            raise ServiceError(f"Could not save to the workspace ({exc}). Nothing was "
                               "written; free some disk space or check the folder, then "
                               "try again.") from exc
        finally:
            self._held = None
        if held:
            visits = {c.visit_id for c in held}
            self._tell(Change(frozenset().union(*(c.tables for c in held)),
                              visits.pop() if len(visits) == 1 else None,
                              frozenset().union(*(c.ids for c in held))))

    def _tell(self, change: Change) -> None:
        for listener in list(self._listeners):
            listener(change)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        for wait in list(self._before_close):
            wait()
        self._before_close.clear()
        self.db.close()
