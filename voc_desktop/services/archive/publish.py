"""Publishing the archive for read-only browsing: a new SQLite file of derived, masked tables
and a Datasette metadata file that turns arbitrary SQL off.

    summary = publish(archive, Path("voc.db"), with_photos=False)
    # datasette serve voc.db --metadata voc.metadata.json

The copy holds findings (answers, probes, quotes, observations, photo captions, learnings,
actions) with the naming rule applied, their themes, the visits they came from, who was
there by role only, and the guides' questions. It never holds the synced tables: no
contact names, no raw note text, no attachments, except re-encoded photos when asked for.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from voc_desktop import __version__
from voc_desktop.domain.accounts import Role
from voc_desktop.safe_files import why_not_written, write_text_atomically
from voc_desktop.services.archive.findings import refresh_findings
from voc_desktop.services.archive.keeper import Archive
from voc_desktop.services.errors import ServiceError
from voc_desktop.store.archive_index import ArchiveIndexError
from voc_desktop.store.archive_publish import (
    MARK_TABLE,
    PublishedRows,
    PublishStore,
    is_published_copy,
    write_published,
)

PHOTO_EDGE = 1280  # long edge of a published photo, in pixels
_ROLE_ORDER = {r.value: n for n, r in enumerate(Role)}
# Datasette's own tables for full-text search: searched through `findings`, never browsed.
FTS_TABLES = ("findings_fts", "findings_fts_data", "findings_fts_idx", "findings_fts_docsize",
              "findings_fts_config")


@dataclass(frozen=True)
class PublishSummary:
    path: Path
    metadata_path: Path
    counts: dict[str, int]
    with_photos: bool

    @property
    def datasette_command(self) -> str:
        return (f'datasette serve "{self.path}" --metadata "{self.metadata_path}" '
                "--host 127.0.0.1")


def metadata_path_for(path: Path) -> Path:
    """`voc.db` -> `voc.metadata.json`, beside it."""
    return path.with_name(f"{path.stem}.metadata.json")


def publish(archive: Archive, out: Path, *, with_photos: bool = False,
            progress: Callable[[int, str], None] | None = None) -> PublishSummary:
    """Write the published copy of `archive` to `out` (replacing an earlier copy there)
    and its Datasette metadata beside it."""
    out = _check_target(archive, Path(out).expanduser())
    say = progress or (lambda _percent, _what: None)
    say(5, "Catching up with the archive folder")
    archive.refresh()
    try:
        say(20, "Deriving findings")
        refresh_findings(archive.index)
        say(50, "Reading what may be published")
        rows = _rows(PublishStore(archive.index), with_photos, archive.archive_id)
    except ArchiveIndexError as exc:
        raise ServiceError(str(exc)) from exc
    meta_path = metadata_path_for(out)
    say(80, "Writing the published copy")
    try:
        write_published(out, rows)
        write_text_atomically(meta_path, json.dumps(datasette_metadata(out, with_photos),
                                                    indent=2) + "\n")
    except OSError as exc:
        raise ServiceError(f"Cannot write the published copy {out}: "
                           f"{why_not_written(exc)}.") from exc
    say(100, "Done")
    return PublishSummary(out, meta_path, rows.counts(), with_photos)


def _check_target(archive: Archive, out: Path) -> Path:
    if out.is_dir():
        raise ServiceError(f"{out} is a folder; give the published copy a file name, "
                           "e.g. archive.db.")
    if out.suffix.lower() == ".json":
        raise ServiceError(f"{out} ends in .json; the published copy is an SQLite file, "
                           "e.g. archive.db (its metadata is written beside it).")
    if not out.parent.is_dir():
        raise ServiceError(f"The folder {out.parent} does not exist.")
    target = out.resolve()
    index = archive.index_path.expanduser().resolve()
    if target in {index, index.with_name(index.name + "-wal"),
                  index.with_name(index.name + "-shm")}:
        raise ServiceError(f"{out} is the archive's live index; the published copy needs "
                           "a file of its own.")
    folder = archive.folder.path.resolve()
    if target.is_relative_to(folder):
        raise ServiceError(f"{out} is inside the archive folder, which holds only accepted "
                           "bundles; write the published copy somewhere else.")
    if out.exists() and not is_published_copy(out):
        raise ServiceError(f"{out} exists and is not a published copy of an archive; it "
                           "was left as it is. Choose another file name.")
    return out


def _roles(*lists: Any) -> str:
    for text in lists:
        try:
            values = json.loads(text or "[]")
        except (TypeError, ValueError):
            continue
        known = sorted({str(v) for v in values if str(v) in _ROLE_ORDER} if isinstance(
            values, list) else set(), key=_ROLE_ORDER.__getitem__)
        if known:
            return ", ".join(Role(r).label for r in known)
    return "A participant"


def _rows(store: PublishStore, with_photos: bool, archive_id: str) -> PublishedRows:
    rows = PublishedRows(findings=store.findings())
    rows.tables = {
        "visits": store.visits(),
        "participants": [{"id": n, "visit_id": p["visit_id"],
                          "roles": _roles(p["attendee_roles"], p["contact_roles"])}
                         for n, p in enumerate(store.participants(), 1)],
        "finding_tags": store.finding_tags(),
        "visit_themes": store.visit_themes(),
        "guide_questions": store.guide_questions(),
        "photos": _photos(store) if with_photos else [],
    }
    rows.meta = {"archive_id": archive_id, "app_version": __version__,
                 "published_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                 "with_photos": "yes" if with_photos else "no"}
    return rows


def _photos(store: PublishStore) -> list[dict[str, Any]]:
    photos = []
    for p in store.photos():
        data = store.picture(p["sha256"])
        picture = reencoded(data) if data else None
        if picture is not None:
            image, width, height = picture
            photos.append({"item_id": p["item_id"], "visit_id": p["visit_id"],
                           "caption": p["caption"], "mime": "image/jpeg", "width": width,
                           "height": height, "image": image})
    return photos


def reencoded(data: bytes) -> tuple[bytes, int, int] | None:
    """The picture decoded and encoded afresh as a plain JPEG, turned upright, with no
    metadata of any kind (no EXIF, GPS, XMP, comments or text chunks); None if unreadable."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            upright = ImageOps.exif_transpose(img)
            upright.thumbnail((PHOTO_EDGE, PHOTO_EDGE))
            plain = Image.new("RGB", upright.size, "white")
            rgba = upright.convert("RGBA")
            plain.paste(rgba, mask=rgba.getchannel("A"))
            out = io.BytesIO()
            plain.save(out, "JPEG", quality=85)  # nothing passed on: no exif, no icc, no info
            return out.getvalue(), plain.width, plain.height
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, RuntimeError,
            Image.DecompressionBombError):
        return None


def datasette_metadata(out: Path, with_photos: bool) -> dict[str, Any]:
    """Datasette's metadata: no arbitrary SQL for anyone, full-text search on the findings,
    and the search index's own tables neither listed nor readable."""
    tables: dict[str, Any] = {
        "findings": {"description": "Answers, why-probes, quotes, observations, photo "
                     "captions, key learnings and action items. A person who did not agree "
                     "to be named appears by role.",
                     "fts_table": "findings_fts", "fts_pk": "id", "searchmode": "escaped",
                     "sortable_columns": ["visit_date", "kind", "account", "bucket"]},
        "visits": {"description": "The visits the findings come from."},
        "participants": {"description": "Who took part in each visit, by role only."},
        "finding_tags": {"description": "Each finding's themes."},
        "visit_themes": {"description": "One row per visit and theme."},
        "guide_questions": {"description": "The guides' questions."},
        MARK_TABLE: {"hidden": True},
        **{name: {"hidden": True, "allow": False} for name in FTS_TABLES},
    }
    if with_photos:
        tables["photos"] = {"description": "Photos, encoded afresh without metadata, with "
                            "their captions masked."}
    else:
        tables["photos"] = {"hidden": True}
    return {
        "title": "VOC archive (published copy)",
        "description": "Findings across visits, with the naming rule applied. Read only.",
        "allow_sql": False,
        "databases": {out.stem: {"allow_sql": False, "tables": tables}},
    }
