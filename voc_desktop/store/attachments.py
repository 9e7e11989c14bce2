"""Photos and files attached to visits, stored once by content hash inside the workspace."""

from __future__ import annotations

from voc_desktop.store.database import now_utc
from voc_desktop.store.records import Records


class AttachmentRepo:
    def __init__(self, records: Records) -> None:
        self.records = records

    def put(self, sha256: str, name: str, mime: str, data: bytes) -> None:
        self.records.db.execute(
            "INSERT OR IGNORE INTO attachments(sha256, name, mime, size, data, created_at, "
            "device_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [sha256, name, mime, len(data), data, now_utc(), self.records.device_id])

    def data(self, sha256: str) -> bytes | None:
        row = self.records.db.execute(
            "SELECT data FROM attachments WHERE sha256 = ?", [sha256]).fetchone()
        return bytes(row[0]) if row else None

    def mime(self, sha256: str) -> str:
        row = self.records.db.execute(
            "SELECT mime FROM attachments WHERE sha256 = ?", [sha256]).fetchone()
        return row[0] if row else "application/octet-stream"
