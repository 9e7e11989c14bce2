"""Guide versions. Each version is stored whole and never changed, so a visit can always
show the exact questions it was run with."""

from __future__ import annotations

from dataclasses import dataclass

from voc_desktop.domain.guide import Guide
from voc_desktop.domain.guide_file import guide_from_json, guide_to_json
from voc_desktop.store.records import Records


@dataclass(frozen=True)
class StoredGuide:
    version_id: str
    guide: Guide


class GuideRepo:
    def __init__(self, records: Records) -> None:
        self.records = records

    def add_version(self, version_id: str, guide: Guide) -> StoredGuide:
        self.records.insert("guide_versions", {
            "id": version_id, "guide_id": guide.guide_id, "version": guide.version,
            "name": guide.name, "body": guide_to_json(guide),
        })
        return StoredGuide(version_id, guide)

    def _one(self, where: str, params: list[object]) -> StoredGuide | None:
        rows = self.records.select("guide_versions", where, params, order_by="version DESC")
        return StoredGuide(rows[0]["id"], guide_from_json(rows[0]["body"])) if rows else None

    def version(self, version_id: str) -> StoredGuide | None:
        return self._one("id = ?", [version_id])

    def find(self, guide_id: str, version: int) -> StoredGuide | None:
        return self._one("guide_id = ? AND version = ?", [guide_id, version])

    def latest(self, guide_id: str) -> StoredGuide | None:
        return self._one("guide_id = ?", [guide_id])

    def find_by_name(self, name: str) -> StoredGuide | None:
        return self._one("name = ? COLLATE NOCASE", [name])

    def has_any(self) -> bool:
        return self.records.db.execute(
            "SELECT 1 FROM guide_versions WHERE deleted_at IS NULL LIMIT 1").fetchone() is not None

    def list_latest(self) -> list[StoredGuide]:
        rows = self.records.select(
            "guide_versions",
            "version = (SELECT MAX(g.version) FROM guide_versions g "
            "WHERE g.guide_id = guide_versions.guide_id AND g.deleted_at IS NULL)",
            order_by="name COLLATE NOCASE")
        return [StoredGuide(r["id"], guide_from_json(r["body"])) for r in rows]

    def versions(self, guide_id: str) -> list[StoredGuide]:
        rows = self.records.select("guide_versions", "guide_id = ?", [guide_id],
                                   order_by="version")
        return [StoredGuide(r["id"], guide_from_json(r["body"])) for r in rows]
