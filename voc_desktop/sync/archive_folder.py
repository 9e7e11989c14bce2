"""The archive folder: the shared source of truth, made of files that are never rewritten.

    archive.json            archive id, created_at, format version, public keys
    archive-key.pem         X25519 private key: bundles are sealed for it (owner-only)
    signing-key.pem         Ed25519 private key: packs are signed with it (owner-only)
    trusted-devices.json    the device keys whose bundles are accepted (written atomically)
    bundles/                accepted bundle files, named by their signed time and bundle id
                            (sync/shared_names.py); never changed once written, except that
                            an erasure replaces the files holding the person with redacted
                            copies the archive signs
    devices/                `<device id>.key`: the key that signs a device's bundles, fixed
                            by its first accepted bundle
    held/                   `<bundle id>.vocbundle` + `<bundle id>.json`: bundles from unknown
                            devices, waiting for a person to accept or refuse them
    resolutions/            one file per lead's choice (a conflict's resolution), named by the
                            conflict and its own content

Files in bundles/, devices/ and resolutions/ are created exclusively under names that follow
from their content, so leads working at once never make two files for one thing; every file
lands whole, so a reader on another machine never sees half a file. The folder may live on
a shared drive without working locks; nothing here holds SQLite.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from voc_desktop.safe_files import fsync_folder, write_atomically
from voc_desktop.sync import keys, seal, shared_names
from voc_desktop.sync.archive_key import archive_key_text
from voc_desktop.sync.bundle_manifest import BundleError, now_text, parse_signer_key
from voc_desktop.sync.shared_names import AlreadyThere

FORMAT_NAME = "voc-archive"
FORMAT_VERSION = 1
ARCHIVE_FILE = "archive.json"
ENCRYPTION_KEY_FILE = "archive-key.pem"
SIGNING_KEY_FILE = "signing-key.pem"
TRUST_FILE = "trusted-devices.json"
BUNDLES, HELD, RESOLUTIONS, DEVICES = "bundles", "held", "resolutions", "devices"
_DEVICE_NAME = re.compile(r"[A-Za-z0-9._-]{1,100}")


class ArchiveFolderError(Exception):
    """The archive folder is missing, damaged or cannot be written; one line for a person."""


@dataclass(frozen=True)
class TrustedDevice:
    key: str
    fingerprint: str
    name: str
    enrolled_at: str


@dataclass(frozen=True)
class AcceptedFile:
    key: str  # its place in the canonical order (shared_names)
    bundle_id: str
    path: Path


@dataclass(frozen=True)
class HeldEntry:
    """A held bundle and what its verified manifest said about it."""
    bundle_id: str
    path: Path
    signer_key: str
    signer_fingerprint: str
    device_id: str
    sequence: int
    created_at: str
    held_at: str
    original_name: str
    counts: dict[str, int]


def write_atomic(dest: Path, data: bytes, *, private: bool = False) -> None:
    """Write `data` under a temporary name, flush it to disk, then rename it into place."""
    write_atomically(dest, lambda fh: fh.write(data), mode=0o600 if private else 0o644)


def copy_atomic(src: Path, dest: Path, expected_sha256: str, *, mode: int = 0o600) -> None:
    """Copy `src` to `dest` by way of a temporary name, refusing a copy whose SHA-256 is not
    `expected_sha256` (the file changed, or the disk lost part of it). The copy is private
    from its first byte unless `mode` says otherwise."""
    tmp = shared_names.temp_name(dest)
    digest = hashlib.sha256()
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     mode)
        with open(src, "rb") as fh, os.fdopen(fd, "wb") as out:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != expected_sha256:
            raise ArchiveFolderError(f"{src.name} changed while it was copied into the "
                                     "archive; nothing was taken in.")
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_folder(dest.parent)


def _json_file(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise
    except (OSError, ValueError) as exc:
        raise ArchiveFolderError(f"The archive's {what} {path} cannot be read ({exc}).") from exc


def canonical_device_key(text: str) -> str:
    """The device key text as `voc device-key` prints it; ArchiveFolderError otherwise."""
    try:
        return parse_signer_key(text.strip() if isinstance(text, str) else text)[1]
    except BundleError:
        raise ArchiveFolderError("A device key is 'ed25519:' followed by 44 characters of "
                                 "base64, as `voc device-key` prints it; this is not one.") \
            from None


class ArchiveFolder:
    """An archive folder that has been checked to be one."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self.archive_id: str = data["archive_id"]
        self.created_at: str = data["created_at"]
        self.encryption_public: str = data["public_keys"]["x25519"]
        self.signing_public: str = data["public_keys"]["ed25519"]

    # --- making and opening -----------------------------------------------------------------

    @classmethod
    def create(cls, path: Path) -> ArchiveFolder:
        """Make a new archive in `path`, which must be missing or empty."""
        path = Path(path).expanduser()
        if path.exists() and (not path.is_dir() or any(path.iterdir())):
            raise ArchiveFolderError(f"{path} is not an empty folder; an archive starts in an "
                                     "empty one.")
        try:
            path.mkdir(parents=True, exist_ok=True)
            for name in (BUNDLES, HELD, RESOLUTIONS):  # devices/ comes with its first file
                (path / name).mkdir()
            encryption = seal.new_archive_key()
            seal.save_archive_key(encryption, path / ENCRYPTION_KEY_FILE)
            signing = Ed25519PrivateKey.generate()
            write_atomic(path / SIGNING_KEY_FILE, signing.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption()), private=True)
            write_atomic(path / TRUST_FILE, _trust_json([]))
            data = {"format": FORMAT_NAME, "format_version": FORMAT_VERSION,
                    "archive_id": str(uuid.uuid4()), "created_at": now_text(),
                    "public_keys": {"x25519": seal.public_key_text(encryption),
                                    "ed25519": keys.public_key_text(signing)}}
            # Written last: a folder without it was never a finished archive.
            write_atomic(path / ARCHIVE_FILE, _dumps(data))
        except OSError as exc:
            raise ArchiveFolderError(f"Cannot make the archive in {path}: "
                                     f"{exc.strerror or exc}.") from exc
        return cls(path, data)

    @classmethod
    def open(cls, path: Path) -> ArchiveFolder:
        path = Path(path).expanduser()
        try:
            data = _json_file(path / ARCHIVE_FILE, "description")
        except FileNotFoundError:
            raise ArchiveFolderError(f"{path} is not an archive (it has no {ARCHIVE_FILE}); "
                                     "`voc archive init` makes one.") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
            raise ArchiveFolderError(f"{path / ARCHIVE_FILE} does not describe a VOC archive.")
        version = data.get("format_version")
        if isinstance(version, int) and version > FORMAT_VERSION:
            raise ArchiveFolderError(f"The archive in {path} was made by a newer VOC Desktop "
                                     f"(format {version}); update the app to use it.")
        try:
            uuid.UUID(data["archive_id"])
            if not (isinstance(data["created_at"], str) and version == FORMAT_VERSION):
                raise ValueError
            seal.parse_public_key(data["public_keys"]["x25519"])
            parse_signer_key(data["public_keys"]["ed25519"])
        except (KeyError, TypeError, ValueError, AttributeError, BundleError):
            raise ArchiveFolderError(f"{path / ARCHIVE_FILE} is damaged: it lacks a valid "
                                     "archive id, time or public key.") from None
        return cls(path, data)

    @property
    def key_text(self) -> str:
        """The archive key for laptops: `voc-archive-1:<x25519>:<ed25519>`."""
        return archive_key_text(seal.parse_public_key(self.encryption_public),
                                self.signing_public)

    def encryption_key(self) -> X25519PrivateKey:
        try:
            return seal.load_archive_key(self.path / ENCRYPTION_KEY_FILE)
        except seal.ArchiveKeyError as exc:
            raise ArchiveFolderError(str(exc)) from exc

    def signing_key(self) -> Ed25519PrivateKey:
        path = self.path / SIGNING_KEY_FILE
        try:
            if os.name == "posix" and path.stat().st_mode & 0o077:
                raise ArchiveFolderError(f"The archive's signing key {path} can be read by "
                                         "other users; make it private (chmod 600).")
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except OSError as exc:
            raise ArchiveFolderError(f"The archive's signing key {path} cannot be read: "
                                     f"{exc.strerror or exc}.") from exc
        except (ValueError, TypeError) as exc:
            raise ArchiveFolderError(f"The archive's signing key {path} is damaged.") from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise ArchiveFolderError(f"{path} does not hold an Ed25519 signing key.")
        return key

    # --- trusted devices -------------------------------------------------------------------

    def trusted(self) -> list[TrustedDevice]:
        try:
            data = _json_file(self.path / TRUST_FILE, "list of trusted devices")
        except FileNotFoundError:
            return []
        try:
            return [TrustedDevice(d["key"], keys.fingerprint(d["key"]), d["name"],
                                  d["enrolled_at"]) for d in data["devices"]]
        except (KeyError, TypeError, UnicodeEncodeError) as exc:
            raise ArchiveFolderError(f"The archive's list of trusted devices "
                                     f"{self.path / TRUST_FILE} is damaged.") from exc

    def trusted_key(self, key_text: str) -> TrustedDevice | None:
        return next((d for d in self.trusted() if d.key == key_text), None)

    def trust(self, key_text: str, name: str) -> tuple[TrustedDevice, bool]:
        """Enrol a device key; (the device, False) when it was already trusted."""
        key = canonical_device_key(key_text)
        devices = self.trusted()
        known = next((d for d in devices if d.key == key), None)
        if known:
            return known, False
        device = TrustedDevice(key, keys.fingerprint(key), name.strip() or "unnamed device",
                               now_text())
        write_atomic(self.path / TRUST_FILE, _trust_json([*devices, device]))
        return device, True

    def distrust(self, ref: str) -> TrustedDevice:
        """Stop trusting a device (a lost laptop): `ref` is its key or its fingerprint.
        Bundles it signs are held from now on; those accepted before stay."""
        wanted = ref.strip()
        devices = self.trusted()
        gone = next((d for d in devices if wanted in (d.key, d.fingerprint)), None)
        if gone is None:
            raise ArchiveFolderError(f"No trusted device has the key or fingerprint {wanted}; "
                                     "`voc archive devices DIR` lists them.")
        write_atomic(self.path / TRUST_FILE,
                     _trust_json([d for d in devices if d.key != gone.key]))
        return gone

    # --- accepted bundles ------------------------------------------------------------------

    def accepted(self) -> list[AcceptedFile]:
        """Accepted bundle files in the canonical order, one per bundle id (a folder an
        older version filled may hold one bundle twice: the first place counts)."""
        found: dict[str, AcceptedFile] = {}
        for entry in (self.path / BUNDLES).iterdir():
            parsed = shared_names.parse_bundle_name(entry.name)
            if parsed is None:
                continue
            key, bundle_id = parsed
            if bundle_id not in found or key < found[bundle_id].key:
                found[bundle_id] = AcceptedFile(key, bundle_id, entry)
        return sorted(found.values(), key=lambda f: f.key)

    def accepted_file(self, created_at: str, sequence: int, bundle_id: str) -> AcceptedFile:
        """Where a bundle lands in bundles/ (the same for every lead)."""
        name = shared_names.bundle_name(created_at, sequence, bundle_id)
        return AcceptedFile(shared_names.bundle_key(shared_names.bundle_place(
            created_at, sequence), bundle_id), bundle_id, self.path / BUNDLES / name)

    def accept(self, src: Path, accepted: AcceptedFile, sha256: str,
               mtime_ms: int | None = None) -> AcceptedFile:
        """Put a verified bundle in bundles/ under its own name, exclusively: raises
        AlreadyThere when a lead (or this one) accepted it first. `mtime_ms`: the time the
        index records for it, so a rebuild reads the same from the file."""
        bundle_id = accepted.bundle_id
        if any(f.bundle_id == bundle_id for f in self.accepted()):
            raise AlreadyThere(accepted.path.name)
        shared_names.create_exclusively(accepted.path, lambda out: _copy_checked(
            src, out, sha256), mtime_ms=mtime_ms)
        return accepted

    def replace_accepted(self, accepted: AcceptedFile, write: Any) -> None:
        """Put a redacted copy in place of an accepted file under the same name, in one
        step: `write(fh)` fills a temporary file beside it, which keeps the original's
        time (the index records it) and then replaces it. A reader, or a lead killed on the
        way, meets the old file or the new one whole; the redaction is the one change ever
        made to an accepted file, and every lead makes the same bytes."""
        dest = accepted.path
        tmp = shared_names.temp_name(dest)
        try:
            stat = dest.stat()
            with open(tmp, "xb") as out:
                write(out)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, stat.st_mode & 0o777)
            os.utime(tmp, ns=(stat.st_atime_ns, stat.st_mtime_ns))
            if os.name == "nt":
                os.chmod(dest, 0o644)  # Windows will not replace a read-only file
            os.replace(tmp, dest)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        fsync_folder(dest.parent)

    def clear_leftovers(self) -> int:
        """Temporary files that killed writers left in the shared folders."""
        return sum(shared_names.clear_old_temps(self.path / name)
                   for name in (BUNDLES, RESOLUTIONS, DEVICES, HELD))

    # --- which key signs for which device -------------------------------------------------

    def device_key(self, device_id: str) -> str | None:
        """The key bound to a device id, if one is."""
        if not _DEVICE_NAME.fullmatch(device_id):
            return None
        try:
            return (self.path / DEVICES / f"{device_id}.key").read_text("utf-8").strip()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise ArchiveFolderError(f"The archive's device file for {device_id} cannot be "
                                     f"read: {exc.strerror or exc}.") from exc

    def bind_device(self, device_id: str, signer_key: str) -> str:
        """Bind a device id to the key that signs its first accepted bundle, exclusively
        (the first lead to write it decides for all); the key bound to it."""
        if not _DEVICE_NAME.fullmatch(device_id):
            raise ArchiveFolderError(f"The device id {device_id[:40]!r} is not one a laptop "
                                     "makes.")
        known = self.device_key(device_id)
        if known is not None:
            return known
        folder = self.path / DEVICES
        folder.mkdir(exist_ok=True)
        with contextlib.suppress(AlreadyThere):
            shared_names.create_exclusively(folder / f"{device_id}.key",
                                            lambda out: out.write(signer_key.encode() + b"\n"))
        return self.device_key(device_id) or signer_key

    # --- held bundles ----------------------------------------------------------------------

    def hold(self, src: Path, sha256: str, info: dict[str, Any]) -> HeldEntry:
        bundle_id = info["bundle_id"]
        folder = self.path / HELD
        # The description first: a bundle file in held/ always has one beside it.
        write_atomic(folder / f"{bundle_id}.json", _dumps({**info, "held_at": now_text()}))
        copy_atomic(src, folder / f"{bundle_id}.vocbundle", sha256, mode=0o644)
        entry = self.held_entry(bundle_id)
        assert entry is not None
        return entry

    def held(self) -> list[HeldEntry]:
        entries = [self.held_entry(p.stem) for p in (self.path / HELD).glob("*.vocbundle")]
        return sorted((e for e in entries if e), key=lambda e: (e.held_at, e.bundle_id))

    def held_entry(self, bundle_id: str) -> HeldEntry | None:
        path = self.path / HELD / f"{bundle_id}.vocbundle"
        if not path.is_file():
            return None
        try:
            info = _json_file(self.path / HELD / f"{bundle_id}.json", "held bundle description")
            return HeldEntry(bundle_id, path, info["signer_key"], info["signer_fingerprint"],
                             info["device_id"], info["sequence"], info["created_at"],
                             info["held_at"], info["original_name"], info["counts"])
        except (FileNotFoundError, KeyError, TypeError, ArchiveFolderError):
            return None

    def release(self, bundle_id: str) -> None:
        """Remove a held bundle (after it was accepted or refused)."""
        for suffix in (".vocbundle", ".json"):
            (self.path / HELD / f"{bundle_id}{suffix}").unlink(missing_ok=True)

    # --- a lead's choices ------------------------------------------------------------------

    def write_choice(self, data: dict[str, Any]) -> str:
        """Write a choice under a name made of its conflict and its content, exclusively;
        the same choice written twice is one file."""
        name = shared_names.choice_name(data)
        with contextlib.suppress(AlreadyThere):
            shared_names.create_exclusively(self.path / RESOLUTIONS / name,
                                            lambda out: out.write(
                                                shared_names.choice_bytes(data)))
        return name

    def choices(self, skip: frozenset[str] | set[str] = frozenset()
                ) -> list[shared_names.ChoiceFile]:
        """Every choice file not named in `skip`, each with its place in the order or the
        reason it cannot be used; files that are no choice's (temporary ones) are left."""
        found = []
        for entry in (self.path / RESOLUTIONS).iterdir():
            name = entry.name
            if name in skip or name.startswith("."):
                continue
            if not name.endswith(".json"):
                found.append(shared_names.ChoiceFile(name, None, {}, "it is not a resolution "
                                                     "file (its name ends in another way)"))
                continue
            found.append(_read_choice(entry))
        return found


def _read_choice(entry: Path) -> shared_names.ChoiceFile:
    name = entry.name
    try:
        data = json.loads(entry.read_bytes()[:1 << 20].decode("utf-8"))
        if not isinstance(data, dict) or data.get("format") != "voc-resolution":
            raise ValueError("not a resolution")
        for field in ("record_table", "record_id", "current_version", "incoming_version",
                      "keep", "resolved_at", "resolved_version"):
            if not isinstance(data.get(field), str):
                raise ValueError(field)
        if data["keep"] not in ("current", "incoming"):
            raise ValueError("keep")
        key = shared_names.choice_key(name, data)
        if key is None:
            raise ValueError("name")
        if name.startswith("c-") and name != shared_names.choice_name(data):
            raise ValueError("its name does not match its content")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else \
            "it is damaged or not a resolution"
        return shared_names.ChoiceFile(name, None, {}, reason)
    return shared_names.ChoiceFile(name, key, data)


def _copy_checked(src: Path, out: Any, expected_sha256: str) -> None:
    digest = hashlib.sha256()
    with open(src, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != expected_sha256:
        raise ArchiveFolderError(f"{src.name} changed while it was copied into the archive; "
                                 "nothing was taken in.")

def _dumps(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _trust_json(devices: list[TrustedDevice]) -> bytes:
    return _dumps({"format": "voc-trusted-devices", "format_version": 1, "devices": [
        {"key": d.key, "name": d.name, "enrolled_at": d.enrolled_at} for d in devices]})
