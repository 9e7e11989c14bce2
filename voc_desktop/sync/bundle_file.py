"""Bundle files: writing one, and opening one only after it has been verified.

Format version 1
================
A `.vocbundle` file is either a plain zip (it starts with b"PK\\x03\\x04") or a sealed envelope
around that zip (it starts with b"VOCSEALED1\\n"; layout in `voc_desktop.sync.seal`).

The zip holds exactly these members, and nothing else (no folders, links or other names):

    manifest.json                 the table of contents, signed
    manifest.sig                  the signature over manifest.json's exact bytes
    records/<table>.jsonl         table matches [a-z][a-z_]{0,40}; deflated
    attachments/<sha256>          64 lowercase hex digits: the SHA-256 of the content; stored

Records are JSON Lines: one JSON object per line, UTF-8, each line ended by "\\n", no
NaN/Infinity. Members are plain files (unix mode 0644 when written here), unencrypted, stored
or deflated, in one zip (zip64 where sizes need it). The writer leaves the zip comment
empty and puts manifest.json and manifest.sig last; readers rely on neither.

manifest.json is one JSON object with exactly these fields (no key given twice):

    format             "voc-bundle"
    format_version     1 to 4 (see bundle_manifest); a higher number means a newer app made
                       it and it is refused
    bundle_id          a UUID in lowercase canonical form
    device_id          text, 1-200 characters: the device that made the bundle
    sequence           whole number >= 1, the device's counter for its bundles
    previous_sequence  null (the device's first bundle, or a full one) or the sequence this
                       bundle follows, 1 <= previous_sequence < sequence
    complete           true when the bundle carries everything, not just changes
    created_at         UTC time, ISO-8601 with offset, e.g. "2026-05-09T07:35:25+00:00"
    app_version        text, 1-200 characters
    members            {name: {"sha256": 64 lowercase hex, "size": bytes unpacked}} for every
                       records and attachments member, and only those
    counts             {table: number of rows}, one entry per records member
    extra              optional object, free for the layer that builds the bundle

manifest.sig is a small JSON object {"key": "ed25519:<base64 of the raw 32-byte public key>",
"signature": "<base64 of the 64-byte Ed25519 signature over manifest.json's bytes>"}. Which
keys to trust is decided by the caller from `VerifiedBundle.signer_key`/`signer_fingerprint`.

Reading order (open_bundle): unseal into a temporary file, check the zip's structure from its
central directory (names, duplicates, types, sizes, ratios, overlaps), read manifest.sig and
manifest.json (both small), verify the signature, only then parse and validate the manifest,
compare the member set with the manifest's, and stream every member through SHA-256 without
ever reading past its declared size. Records are parsed only when the caller asks for them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import uuid
import zipfile
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from voc_desktop.sync.bundle_checks import Limits
from voc_desktop.sync.bundle_manifest import (
    FORMAT_VERSION,
    MANIFEST_NAME,
    SHA256_PATTERN,
    SIGNATURE_NAME,
    TABLE_PATTERN,
    BundleError,
    Manifest,
    MemberInfo,
    attachment_member,
    now_text,
    records_member,
    show,
    sign_manifest,
)
from voc_desktop.sync.bundle_reader import VerifiedBundle, open_bundle

__all__ = ["BundleError", "BundleWriter", "Limits", "Manifest", "MemberInfo",
           "VerifiedBundle", "open_bundle"]

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)
_BATCH_CHARS = 1 << 20
_FILE_MODE = 0o100644 << 16


def _member_info(name: str, method: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = method
    info.external_attr = _FILE_MODE
    return info


class BundleWriter:
    """Streams one bundle zip into a file path or a binary stream.

    Call add_records/add_attachment, then finish() once. Leaving a `with` block without
    finish() (or with an exception) abandons the bundle; a file this writer created by path
    is then removed. Writing to a temporary name and renaming it is the caller's part.
    """

    def __init__(self, target: str | os.PathLike[str] | BinaryIO, *,
                 limits: Limits | None = None):
        self._limits = limits or Limits()
        self._path = Path(target) if isinstance(target, (str, os.PathLike)) else None
        self._fh: BinaryIO = open(self._path, "wb") if self._path else target  # noqa: SIM115
        self._zip = zipfile.ZipFile(self._fh, "w", allowZip64=True)
        self._members: dict[str, MemberInfo] = {}
        self._counts: dict[str, int] = {}
        self._total = 0
        self._done = False

    def _grow(self, name: str, size: int) -> None:
        limits = self._limits
        if (size > limits.max_member_size or self._total + size > limits.max_total_size
                or len(self._members) + 3 > limits.max_members):
            raise BundleError(f"The bundle member {show(name)} makes the bundle larger than a "
                              "reader accepts; split the export.")

    def _check_open(self) -> None:
        if self._done:
            raise ValueError("the bundle was already finished or abandoned")

    def add_records(self, table: str, rows: Iterable[dict[str, Any]]) -> int:
        """Write `rows` (JSON objects) as records/<table>.jsonl; returns the number of rows.
        A row that cannot be written abandons the whole bundle."""
        self._check_open()
        if not isinstance(table, str) or not TABLE_PATTERN.fullmatch(table):
            raise ValueError(f"table name {table!r} does not match [a-z][a-z_]{{0,40}}")
        name = records_member(table)
        if name in self._members:
            raise ValueError(f"table {table!r} was already added")
        try:
            size, digest, count = self._write_rows(name, table, rows)
        except BaseException:
            self.abandon()
            raise
        self._members[name] = MemberInfo(digest, size)
        self._counts[table] = count
        self._total += size
        return count

    def _write_rows(self, name: str, table: str,
                    rows: Iterable[dict[str, Any]]) -> tuple[int, str, int]:
        digest, size, count = hashlib.sha256(), 0, 0
        with self._zip.open(_member_info(name, zipfile.ZIP_DEFLATED), "w",
                            force_zip64=True) as out:
            batch: list[str] = []
            chars = 0
            for row in rows:
                count += 1
                if not isinstance(row, dict):
                    raise BundleError(f"Row {count} of table '{table}' is not a JSON object.")
                try:
                    line = _ENCODER.encode(row)
                except (TypeError, ValueError) as exc:
                    raise BundleError(f"Row {count} of table '{table}' cannot be written as "
                                      f"JSON: {exc}.") from exc
                batch.append(line)
                chars += len(line)
                if chars >= _BATCH_CHARS:
                    size += self._flush(out, digest, batch, name, size)
                    batch, chars = [], 0
            size += self._flush(out, digest, batch, name, size)
        return size, digest.hexdigest(), count

    def _flush(self, out: BinaryIO, digest: Any, batch: list[str], name: str,
               size: int) -> int:
        if not batch:
            return 0
        try:
            data = ("\n".join(batch) + "\n").encode("utf-8")
        except UnicodeEncodeError as exc:
            raise BundleError(f"A row for {show(name)} holds text that is not valid "
                              "Unicode.") from exc
        self._grow(name, size + len(data))
        digest.update(data)
        out.write(data)
        return len(data)

    def add_attachment(self, sha256: str, content: bytes | str | os.PathLike[str]) -> None:
        """Add an attachment by its SHA-256: `content` is the bytes or a file to stream.
        The same attachment twice is written once; a failure abandons the whole bundle."""
        self._check_open()
        if not isinstance(sha256, str) or not SHA256_PATTERN.fullmatch(sha256):
            raise ValueError(f"{sha256!r} is not 64 lowercase hex digits")
        name = attachment_member(sha256)
        if name in self._members:
            return
        try:
            self._write_attachment(name, sha256, content)
        except BaseException:
            self.abandon()
            raise

    def _write_attachment(self, name: str, sha256: str,
                          content: bytes | str | os.PathLike[str]) -> None:
        if isinstance(content, bytes | bytearray | memoryview):
            size = len(content)
            actual = hashlib.sha256(content).hexdigest()
        else:
            size, actual = _hash_file(Path(content))
        if actual != sha256:
            raise BundleError(f"Attachment {sha256[:12]}… does not match its content "
                              f"(its SHA-256 is {actual[:12]}…).")
        self._grow(name, size)
        info = _member_info(name, zipfile.ZIP_STORED)
        if isinstance(content, bytes | bytearray | memoryview):
            self._zip.writestr(info, bytes(content))
        else:
            # Hashed again while copied: the file may change between the two reads.
            digest = hashlib.sha256()
            with open(content, "rb") as src, self._zip.open(info, "w", force_zip64=True) as out:
                while chunk := src.read(1 << 20):
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != sha256:
                raise BundleError(f"Attachment {sha256[:12]}… changed while it was added.")
        self._members[name] = MemberInfo(sha256, size)
        self._total += size

    def finish(self, signing_key: Ed25519PrivateKey, *, device_id: str, sequence: int,
               previous_sequence: int | None, complete: bool, app_version: str,
               extra: dict[str, Any] | None = None, bundle_id: str | None = None,
               created_at: str | None = None, archive: str | None = None) -> Manifest:
        """Write and sign the manifest, close the zip, and return the manifest. `archive`
        is the signing key of the one archive the bundle is for (None: not known yet)."""
        self._check_open()
        manifest = Manifest.from_dict({
            "format": "voc-bundle", "format_version": FORMAT_VERSION, "archive": archive,
            "bundle_id": bundle_id or str(uuid.uuid4()), "device_id": device_id,
            "sequence": sequence, "previous_sequence": previous_sequence,
            # to the microsecond: bundles sort by it in the archive folder
            "complete": complete, "created_at": created_at or now_text("microseconds"),
            "app_version": app_version,
            "members": {n: {"sha256": i.sha256, "size": i.size}
                        for n, i in self._members.items()},
            "counts": self._counts, "extra": extra or {},
        })
        try:
            data = manifest.to_json()
        except (TypeError, ValueError) as exc:
            raise BundleError(f"The bundle's extra data cannot be written as JSON: {exc}.") \
                from exc
        if len(data) > self._limits.max_manifest_size:
            raise BundleError("The bundle's manifest is larger than a reader accepts; split "
                              "the export.")
        self._zip.writestr(_member_info(MANIFEST_NAME, zipfile.ZIP_DEFLATED), data)
        self._zip.writestr(_member_info(SIGNATURE_NAME, zipfile.ZIP_STORED),
                           sign_manifest(data, signing_key))
        self._zip.close()
        self._fh.flush()
        if self._path:
            os.fsync(self._fh.fileno())
            self._fh.close()
        self._done = True
        return manifest

    def abandon(self) -> None:
        """Stop without a manifest; a file created by path is removed."""
        if self._done:
            return
        self._done = True
        with contextlib.suppress(Exception):
            self._zip.close()
        if self._path:
            self._fh.close()
            self._path.unlink(missing_ok=True)

    def __enter__(self) -> BundleWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.abandon()


def _hash_file(path: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()
