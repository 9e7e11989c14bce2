"""Opening a bundle file: verify everything first, then let the caller read.

The format and the order of the checks are described in `voc_desktop.sync.bundle_file`.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from voc_desktop.sync import keys, seal
from voc_desktop.sync.bundle_checks import Limits, MemberEntry, iter_member, read_small, scan_zip
from voc_desktop.sync.bundle_manifest import (
    MANIFEST_NAME,
    SIGNATURE_NAME,
    BundleError,
    Manifest,
    attachment_member,
    records_member,
    show,
    verify_signature,
)


class NoRoomToUnpack(BundleError):
    """The bundle may be fine: this computer has no room (or no folder) to unpack it now."""


def _sniff(path: Path) -> bool:
    """True when sealed, False for a plain zip; BundleError for anything else."""
    with open(path, "rb") as fh:
        start = fh.read(len(seal.MAGIC))
    if not start:
        raise BundleError("The file is empty: it is not a VOC bundle.")
    if start.startswith(seal.MAGIC_STEM):
        return True
    if start.startswith(b"PK\x03\x04"):
        return False
    raise BundleError("This file is not a VOC bundle (it does not start like one).")


def open_bundle(path: str | os.PathLike[str], *, archive_key: X25519PrivateKey | None = None,
                limits: Limits | None = None,
                workdir: str | os.PathLike[str] | None = None) -> VerifiedBundle:
    """Open and fully verify the bundle at `path`; see the module docstring for the order.

    A sealed bundle is decrypted with `archive_key` into a temporary file in `workdir` (the
    system's temporary folder by default), which close() removes. Every refusal is a
    BundleError with a one-line message; nothing is left behind when it is raised.
    """
    path, limits = Path(path), limits or Limits()
    plain: Path | None = None
    fh: BinaryIO | None = None
    try:
        sealed = _sniff(path)
        recipient = None
        if sealed:
            fd, name = _temporary_file(workdir)
            plain = Path(name)
            with open(path, "rb") as src, os.fdopen(fd, "wb") as out:
                recipient = seal.unseal(src, out, archive_key).recipient_fingerprint
        # Unbuffered: a later read must see the disk, never a buffer from the verification.
        fh = open(plain or path, "rb", buffering=0)  # noqa: SIM115 - the bundle owns it
        entries = scan_zip(fh, limits)
        signature = read_small(fh, entries[SIGNATURE_NAME], limits.max_signature_size)
        manifest_bytes = read_small(fh, entries[MANIFEST_NAME], limits.max_manifest_size)
        signer = verify_signature(manifest_bytes, signature)
        manifest = Manifest.from_json(manifest_bytes)
        _check_members(fh, entries, manifest)
        verified = VerifiedBundle(path, fh, plain, entries, manifest, signer, recipient,
                                  limits)
        verified.signature = signature
        verified.manifest_sha256 = hashlib.sha256(manifest_bytes).hexdigest()
        return verified
    except OSError as exc:
        if fh:
            fh.close()
        _remove(plain)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise NoRoomToUnpack(f"No room to unpack the bundle {path.name}: the disk is "
                                 "full.") from exc
        raise BundleError(f"The bundle {path.name} cannot be read: "
                          f"{exc.strerror or exc}.") from exc
    except BaseException:
        if fh:
            fh.close()
        _remove(plain)
        raise


def _temporary_file(workdir: str | os.PathLike[str] | None) -> tuple[int, str]:
    try:
        return tempfile.mkstemp(prefix=f".unsealed-{os.getpid()}-", suffix=".zip", dir=workdir)
    except OSError as exc:
        raise NoRoomToUnpack(f"No room to unpack the bundle: cannot make a temporary file in "
                          f"{workdir or tempfile.gettempdir()} ({exc.strerror or exc}).") from exc


def _remove(path: Path | None) -> None:
    if path is not None:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def _check_members(fh: BinaryIO, entries: dict[str, MemberEntry], manifest: Manifest) -> None:
    present = set(entries) - {MANIFEST_NAME, SIGNATURE_NAME}
    listed = set(manifest.members)
    if unlisted := sorted(present - listed):
        raise BundleError(f"The bundle holds {show(unlisted[0])}, which its manifest does not "
                          "list: it was changed after it was made.")
    if missing := sorted(listed - present):
        raise BundleError(f"The bundle lacks {show(missing[0])}, which its manifest lists: it "
                          "was changed after it was made.")
    for name in sorted(listed):
        if entries[name].size != manifest.members[name].size:
            raise BundleError(f"The bundle's member {show(name)} has another size than its "
                              "manifest says: it was changed after it was made.")
    for name in sorted(listed):
        for _ in iter_member(fh, entries[name], manifest.members[name].sha256):
            pass


def _raise_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


_DECODER = json.JSONDecoder(parse_constant=_raise_constant)


class VerifiedBundle:
    """A bundle whose structure, signature and every member's hash have been checked.

    Members are hashed again while they are read, so a file changed on disk after the
    check is still refused (the error comes at the end of the member). Not for use from
    several threads at once. Close it (or use `with`) to remove the temporary files.
    """

    def __init__(self, path: Path, fh: BinaryIO, plain: Path | None,
                 entries: dict[str, MemberEntry], manifest: Manifest, signer_key: str,
                 recipient_fingerprint: str | None, limits: Limits):
        self.path = path
        self.manifest = manifest
        self.signer_key = signer_key
        self.signer_fingerprint = keys.fingerprint(signer_key)
        self.sealed = plain is not None
        self.recipient_fingerprint = recipient_fingerprint
        self._fh, self._plain, self._entries, self._limits = fh, plain, entries, limits
        self.signature = b""  # manifest.sig as it was signed, and the manifest's SHA-256
        self.manifest_sha256 = ""

    def records(self, table: str) -> Iterator[dict[str, Any]]:
        """The table's rows in order; nothing if the bundle has no such table.

        Each line is parsed as it comes; the member's hash and row count are checked once
        the last row has been read, so stage the rows and commit only after the end.
        """
        name = records_member(table)
        info = self.manifest.members.get(name)
        if info is None:
            return
        line_no = 0
        pending = b""
        for chunk in iter_member(self._fh, self._entries[name], info.sha256):
            data = pending + chunk if pending else chunk
            cut = data.rfind(b"\n") + 1
            pending = data[cut:]
            if len(pending) > self._limits.max_row_size:
                raise BundleError(f"{name} line {line_no + 1} is longer than "
                                  f"{self._limits.max_row_size:,} bytes.")
            if not cut:
                continue
            if cut > self._limits.max_row_size:
                self._check_line_lengths(data[:cut], name, line_no)
            try:
                text = data[:cut].decode("utf-8")
            except UnicodeDecodeError as exc:
                bad = line_no + data[:exc.start].count(b"\n") + 1
                raise BundleError(f"{name} line {bad} is not valid UTF-8.") from None
            pos, size = 0, len(text)
            while pos < size:
                line_no += 1
                row, pos = _next_row(text, pos, name, line_no)
                yield row
        if pending:
            raise BundleError(f"{name} line {line_no + 1} does not end with a line break.")
        if line_no != self.manifest.counts[table]:
            raise BundleError(f"{name} has {line_no} rows but its manifest counts "
                              f"{self.manifest.counts[table]}.")

    def _check_line_lengths(self, data: bytes, name: str, line_no: int) -> None:
        for offset, line in enumerate(data.split(b"\n"), start=1):
            if len(line) > self._limits.max_row_size:
                raise BundleError(f"{name} line {line_no + offset} is longer than "
                                  f"{self._limits.max_row_size:,} bytes.")

    def copy_attachment(self, sha256: str, out: BinaryIO) -> int:
        """Stream one attachment into `out`; returns its size."""
        info = self.manifest.members.get(attachment_member(sha256))
        if info is None:
            raise BundleError(f"The bundle has no attachment {sha256[:12]}….")
        size = 0
        for chunk in iter_member(self._fh, self._entries[attachment_member(sha256)],
                                 info.sha256):
            out.write(chunk)
            size += len(chunk)
        return size

    def attachment(self, sha256: str) -> bytes:
        buffer = io.BytesIO()
        self.copy_attachment(sha256, buffer)
        return buffer.getvalue()

    def close(self) -> None:
        self._fh.close()
        _remove(self._plain)

    def __enter__(self) -> VerifiedBundle:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


_SCAN = _DECODER.scan_once


def _next_row(text: str, pos: int, name: str, line_no: int) -> tuple[dict[str, Any], int]:
    """The row of the line starting at `pos` in `text` (whole lines), and where the next
    line starts. The usual line, one object and its line break, is read in place; any
    other goes through `_parse_row`, which accepts and refuses exactly as before."""
    stop = text.index("\n", pos)
    try:
        row, end = _SCAN(text, pos)
    except (StopIteration, ValueError, RecursionError):
        end = -1
    if end != stop or type(row) is not dict:
        return _parse_row(text[pos:stop], name, line_no), stop + 1
    return row, stop + 1


def _parse_row(line: str, name: str, line_no: int) -> dict[str, Any]:
    try:
        row = _DECODER.decode(line)
    except (ValueError, RecursionError):
        raise BundleError(f"{name} line {line_no} is not valid JSON.") from None
    if type(row) is not dict:
        raise BundleError(f"{name} line {line_no} is not a JSON object.")
    return row
