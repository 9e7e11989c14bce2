"""A bundle's manifest and its signature: the signed table of contents.

The byte layout is described in `voc_desktop.sync.bundle_file`. This module knows the names a
bundle may contain, turns `manifest.json` into a validated `Manifest` and back, and signs or
verifies `manifest.sig`.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from voc_desktop.sync import keys

FORMAT_NAME = "voc-bundle"
# 2: the manifest names the archive the bundle is for ("archive": its signing key, or null
# from a laptop that knows no archive yet). Version 1 bundles still load, naming none.
# 3: entries may carry "speaker_ids", who said each note; older versions load as said by
# the room, and an app that knows only version 2 asks to be updated rather than failing
# on a column it does not know.
# 4: action_items may carry "owner", the person who will do it; older versions load as
# owned by no one ("").
FORMAT_VERSION = 4
ARCHIVE_BOUND_VERSION = 2
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.sig"

TABLE_PATTERN = re.compile(r"[a-z][a-z_]{0,40}")
SHA256_PATTERN = re.compile(r"[0-9a-f]{64}")
RECORDS_PATTERN = re.compile(r"records/([a-z][a-z_]{0,40})\.jsonl")
ATTACHMENT_PATTERN = re.compile(r"attachments/([0-9a-f]{64})")

_FIELDS = ("format", "format_version", "bundle_id", "device_id", "sequence",
           "previous_sequence", "complete", "created_at", "app_version", "members", "counts",
           "extra", "archive")
_OPTIONAL = {"extra"}
_MAX_TEXT = 200


class BundleError(Exception):
    """A bundle cannot be written, opened or trusted. The message is one line for a person."""


class MemberInfo(NamedTuple):
    """What the manifest promises about one member: its SHA-256 (lowercase hex) and size."""
    sha256: str
    size: int


def records_member(table: str) -> str:
    return f"records/{table}.jsonl"


def attachment_member(sha256: str) -> str:
    return f"attachments/{sha256}"


def is_content_member(name: str) -> bool:
    """A records or attachments member name, exactly as the format allows."""
    return bool(RECORDS_PATTERN.fullmatch(name) or ATTACHMENT_PATTERN.fullmatch(name))


def show(name: str, width: int = 80) -> str:
    """A member name quoted for a one-line message, control characters escaped."""
    text = name.encode("unicode_escape").decode("ascii").replace("'", "\\'")
    return "'" + (text if len(text) <= width else text[:width - 1] + "…") + "'"


def _invalid(what: str) -> BundleError:
    return BundleError(f"The bundle's manifest is invalid: {what}.")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(data: dict[str, Any], name: str) -> str:
    value = data[name]
    if not isinstance(value, str) or not value.strip() or len(value) > _MAX_TEXT:
        raise _invalid(f"'{name}' must be text of 1 to {_MAX_TEXT} characters")
    return value


def _bundle_id(value: Any) -> str:
    # Only the canonical spelling: two spellings of one id would defeat "the same bundle twice".
    try:
        ok = isinstance(value, str) and str(uuid.UUID(value)) == value
    except ValueError:
        ok = False
    if not ok:
        raise _invalid("'bundle_id' must be a UUID in lowercase canonical form")
    return value


def _created_at(value: Any) -> str:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.utcoffset() is None or moment.utcoffset().total_seconds():
        raise _invalid("'created_at' must be a UTC time in ISO-8601 form")
    return value


def _members(value: Any) -> dict[str, MemberInfo]:
    if not isinstance(value, dict):
        raise _invalid("'members' must be an object")
    members: dict[str, MemberInfo] = {}
    for name, entry in value.items():
        if not is_content_member(name):
            raise _invalid(f"'members' lists {show(name)}, which is not a records or "
                           "attachments member")
        if (not isinstance(entry, dict) or set(entry) != {"sha256", "size"}
                or not isinstance(entry["sha256"], str)
                or not SHA256_PATTERN.fullmatch(entry["sha256"])
                or not _is_int(entry["size"]) or entry["size"] < 0):
            raise _invalid(f"'members' entry {show(name)} must be "
                           '{"sha256": 64 lowercase hex digits, "size": a whole number >= 0}')
        match = ATTACHMENT_PATTERN.fullmatch(name)
        if match and match.group(1) != entry["sha256"]:
            raise _invalid(f"attachment {show(name)} is not named by its own SHA-256")
        members[name] = MemberInfo(entry["sha256"], entry["size"])
    return members


def _counts(value: Any, members: dict[str, MemberInfo]) -> dict[str, int]:
    if not isinstance(value, dict) or not all(
            isinstance(k, str) and TABLE_PATTERN.fullmatch(k) and _is_int(v) and v >= 0
            for k, v in value.items()):
        raise _invalid("'counts' must map table names to whole numbers >= 0")
    tables = {m.group(1) for name in members if (m := RECORDS_PATTERN.fullmatch(name))}
    if set(value) != tables:
        raise _invalid("'counts' must name exactly the tables that have a records member")
    return dict(value)


def check_format_version(data: Any) -> None:
    """Refuse a manifest from another format or a newer version before reading anything else."""
    if not isinstance(data, dict):
        raise BundleError("The bundle's manifest is not a JSON object.")
    if data.get("format") != FORMAT_NAME:
        raise BundleError("The file's manifest does not describe a VOC bundle.")
    version = data.get("format_version")
    if not _is_int(version) or version < 1:
        raise _invalid("'format_version' must be a whole number >= 1")
    if version > FORMAT_VERSION:
        raise BundleError(f"This bundle was made by a newer VOC Desktop (format {version}); "
                          "update the app to import it.")


@dataclass(frozen=True)
class Manifest:
    """The validated content of manifest.json (format version 1 to 4)."""
    bundle_id: str
    device_id: str
    sequence: int
    previous_sequence: int | None
    complete: bool
    created_at: str
    app_version: str
    members: dict[str, MemberInfo]
    counts: dict[str, int]
    extra: dict[str, Any] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION
    archive: str | None = None  # the signing key of the archive it is for (version 2)

    @property
    def tables(self) -> list[str]:
        return sorted(self.counts)

    @property
    def attachments(self) -> list[str]:
        return sorted(m.group(1) for name in self.members
                      if (m := ATTACHMENT_PATTERN.fullmatch(name)))

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT_NAME, "format_version": self.format_version,
            "bundle_id": self.bundle_id, "device_id": self.device_id,
            "sequence": self.sequence, "previous_sequence": self.previous_sequence,
            "complete": self.complete, "created_at": self.created_at,
            "app_version": self.app_version,
            "members": {name: {"sha256": info.sha256, "size": info.size}
                        for name, info in sorted(self.members.items())},
            "counts": dict(sorted(self.counts.items())), "extra": self.extra,
            **({"archive": self.archive} if self.format_version >= ARCHIVE_BOUND_VERSION
               else {}),
        }

    def to_json(self) -> bytes:
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=1, allow_nan=False)
        return (text + "\n").encode("utf-8")

    @classmethod
    def from_dict(cls, data: Any) -> Manifest:
        """Validate every field; a wrong type or value raises BundleError naming the field."""
        check_format_version(data)
        for name in data:
            if name not in _FIELDS:
                raise BundleError(f"The bundle's manifest has an unknown field {show(name)}.")
        bound = data["format_version"] >= ARCHIVE_BOUND_VERSION
        for name in _FIELDS:
            if name == "archive" and not bound:
                if name in data:
                    raise BundleError("The bundle's manifest has an unknown field 'archive'.")
                continue
            if name not in data and name not in _OPTIONAL:
                raise BundleError(f"The bundle's manifest lacks the field '{name}'.")
        archive = data.get("archive")
        if archive is not None and (not isinstance(archive, str) or len(archive) > _MAX_TEXT):
            raise _invalid("'archive' must be null or an archive's key")
        sequence = data["sequence"]
        if not _is_int(sequence) or sequence < 1:
            raise _invalid("'sequence' must be a whole number >= 1")
        previous = data["previous_sequence"]
        if previous is not None and (not _is_int(previous) or not 1 <= previous < sequence):
            raise _invalid("'previous_sequence' must be null or a whole number from 1 to "
                           "'sequence' - 1")
        if not isinstance(data["complete"], bool):
            raise _invalid("'complete' must be true or false")
        extra = data.get("extra", {})
        if not isinstance(extra, dict):
            raise _invalid("'extra' must be an object")
        members = _members(data["members"])
        return cls(
            bundle_id=_bundle_id(data["bundle_id"]), device_id=_text(data, "device_id"),
            sequence=sequence, previous_sequence=previous, complete=data["complete"],
            created_at=_created_at(data["created_at"]), app_version=_text(data, "app_version"),
            members=members, counts=_counts(data["counts"], members), extra=extra,
            format_version=data["format_version"], archive=archive,
        )

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        return cls.from_dict(_load_json(raw, "manifest.json"))


def now_text(timespec: str = "seconds") -> str:
    return datetime.now(UTC).isoformat(timespec=timespec)


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("a key appears twice")
    return result


def _load_json(raw: bytes, name: str) -> Any:
    """Strict JSON: UTF-8, no NaN/Infinity, no key given twice (two readers, two meanings)."""
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_no_constants,
                          object_pairs_hook=_no_duplicates)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BundleError(f"The bundle's {name} is not valid JSON ({_first_line(exc)}).") from exc


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__


# --- signature ---------------------------------------------------------------------------

def sign_manifest(manifest_bytes: bytes, signing_key: Ed25519PrivateKey) -> bytes:
    """The content of manifest.sig for these exact manifest bytes."""
    signature = base64.b64encode(signing_key.sign(manifest_bytes)).decode("ascii")
    return json.dumps({"key": keys.public_key_text(signing_key),
                       "signature": signature}).encode("ascii") + b"\n"


def parse_signer_key(text: Any) -> tuple[Ed25519PublicKey, str]:
    """The key and its canonical text from `ed25519:<base64>`; BundleError if it is not one."""
    raw = _b64(text[len("ed25519:"):]) if isinstance(text, str) and \
        text.startswith("ed25519:") else None
    if raw is None or len(raw) != 32:
        raise BundleError("The bundle's signature names a key that is not an Ed25519 public key.")
    return Ed25519PublicKey.from_public_bytes(raw), text


def _b64(text: str) -> bytes | None:
    # Only canonical base64, so one key has one text and one fingerprint.
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return None
    return raw if base64.b64encode(raw).decode("ascii") == text else None


def verify_signature(manifest_bytes: bytes, sig_bytes: bytes) -> str:
    """Check manifest.sig against the manifest bytes; returns the signer's key text."""
    try:
        sig = json.loads(sig_bytes.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        sig = None
    if not isinstance(sig, dict) or set(sig) != {"key", "signature"}:
        raise BundleError("The bundle's signature file manifest.sig is damaged "
                          "(it is not the expected JSON).")
    public_key, text = parse_signer_key(sig["key"])
    signature = _b64(sig["signature"]) if isinstance(sig["signature"], str) else None
    if signature is None or len(signature) != 64:
        raise BundleError("The bundle's signature file manifest.sig is damaged "
                          "(the signature is not 64 bytes of base64).")
    try:
        public_key.verify(signature, manifest_bytes)
    except InvalidSignature:
        raise BundleError("The signature does not match: the bundle was changed after it "
                          "was made.") from None
    return text
