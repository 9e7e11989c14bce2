"""The workspace's SQLite connection.

Reads go straight to SQLite. sqlite-utils, which runs migrations and wraps every write in
one transaction, is loaded the first time a write needs it: the library is slow to import
and nothing on the way to a shown window writes, so start-up does not wait for it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database


class WorkspaceDB:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._utils: Database | None = None

    @property
    def utils(self) -> Database:
        """The sqlite-utils view of the same connection (loaded on first use)."""
        if self._utils is None:
            from sqlite_utils import Database

            # Plugins are for the sqlite-utils command line; the app needs none of them.
            self._utils = Database(self.conn, execute_plugins=False)
        return self._utils

    def execute(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, list(params))

    def atomic(self) -> AbstractContextManager[Database]:
        """One transaction (a savepoint when nested): all of it is written, or none."""
        return self.utils.atomic()

    def close(self) -> None:
        self.conn.close()
