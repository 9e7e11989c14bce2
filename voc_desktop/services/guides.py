"""Guides in the workspace: the shipped default, imports and exports of guide files."""

from __future__ import annotations

from pathlib import Path

from voc_desktop.domain.guide_file import GuideFileError, guide_from_json, guide_to_json
from voc_desktop.safe_files import write_text_atomically
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.store.guides import StoredGuide


def import_guide(ws: Workspace, path: Path) -> tuple[StoredGuide, bool]:
    """Add a guide file's version to the workspace. Returns the stored guide and whether it
    was new; the same version imported twice changes nothing."""
    try:
        guide = guide_from_json(Path(path).read_bytes())
    except OSError as exc:
        raise ServiceError(f"Cannot read {path}: {exc.strerror}") from exc
    except GuideFileError as exc:
        raise ServiceError(f"{Path(path).name} is not a valid guide file:\n{exc}") from exc
    existing = ws.guides.find(guide.guide_id, guide.version)
    if existing:
        if existing.guide.content_equal(guide):
            return existing, False
        raise ServiceError(
            f"Version {guide.version} of '{guide.name}' is already in this workspace with "
            "different content. Give the file a new version number to add it.")
    with ws.write(["guide_versions"]):
        stored = ws.guides.add_version(guide.version_id, guide)
    return stored, True


def find_guide(ws: Workspace, ref: str) -> StoredGuide:
    """A guide by version id, guide id (latest version) or name."""
    found = ws.guides.version(ref) or ws.guides.latest(ref) or ws.guides.find_by_name(ref)
    if found is None:
        raise ServiceError(f"No guide matches '{ref}'. `voc guide list` shows them.")
    return found


def export_guide(ws: Workspace, ref: str, path: Path) -> StoredGuide:
    stored = find_guide(ws, ref)
    _write_guide_file(Path(path), guide_to_json(stored.guide))
    return stored


def _write_guide_file(path: Path, text: str) -> None:
    try:
        write_text_atomically(path.expanduser(), text)
    except OSError as exc:
        raise ServiceError(f"Cannot write {path}: {exc.strerror}") from exc
