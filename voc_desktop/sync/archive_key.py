"""The archive key as a person passes it around: one line of text holding both public halves.

    voc-archive-1:<base64 of the raw X25519 public key>:<base64 of the raw Ed25519 public key>

Laptops seal their bundles to the X25519 half, and trust a pack only when it is signed by the
Ed25519 half. Both halves sit in one line so that a laptop cannot end up sealing to one
archive and trusting another. The fingerprint covers the whole line: comparing it by eye
checks both halves at once.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from voc_desktop.sync import keys
from voc_desktop.sync.seal import ArchiveKeyError

PREFIX = "voc-archive-1"

__all__ = ["PREFIX", "ArchiveKey", "ArchiveKeyError", "archive_key_text", "parse_archive_key"]


@dataclass(frozen=True, eq=False)
class ArchiveKey:
    """An archive's public key, parsed and checked."""

    encryption: X25519PublicKey
    signing_public_text: str  # "ed25519:<base64>", as a bundle's signature names its key
    fingerprint: str  # e.g. "3F2A-91C0-77B4-0D1E"
    text: str  # the canonical one-line form

    # Two parses of one key are the same key (the key objects themselves do not compare).

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ArchiveKey) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


def _raw_x25519(key: X25519PublicKey | X25519PrivateKey) -> bytes:
    public = key.public_key() if isinstance(key, X25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _decode(part: str) -> bytes | None:
    # Only canonical base64 of 32 bytes, so one key has one text and one fingerprint.
    try:
        raw = base64.b64decode(part.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return None
    if len(raw) != 32 or base64.b64encode(raw).decode("ascii") != part:
        return None
    return raw


def archive_key_text(x25519_public: X25519PublicKey | X25519PrivateKey,
                     ed25519_public_text: str) -> str:
    """The one-line archive key for an encryption key and a signing key (`ed25519:<b64>`)."""
    if not isinstance(ed25519_public_text, str) or not ed25519_public_text.startswith(
            "ed25519:") or _decode(ed25519_public_text[len("ed25519:"):]) is None:
        raise ArchiveKeyError("The signing key must be 'ed25519:' followed by 44 characters of "
                              "base64.")
    x25519 = base64.b64encode(_raw_x25519(x25519_public)).decode("ascii")
    return f"{PREFIX}:{x25519}:{ed25519_public_text[len('ed25519:'):]}"


def parse_archive_key(text: str) -> ArchiveKey:
    """An archive key from its text; ArchiveKeyError with one line for a person if wrong.
    Spaces and line breaks are ignored: mail programs like to wrap long lines."""
    compact = "".join(text.split()) if isinstance(text, str) else ""
    if not compact:
        raise ArchiveKeyError("The archive key is empty.")
    if compact.startswith("ed25519:"):
        raise ArchiveKeyError("That is a device key (it starts with 'ed25519:'), not an "
                              f"archive key; an archive key starts with '{PREFIX}:'.")
    if compact.startswith("x25519:"):
        raise ArchiveKeyError("That is only the encryption half of an archive key; copy the "
                              f"whole line, which starts with '{PREFIX}:'.")
    parts = compact.split(":")
    if parts[0] != PREFIX:
        if parts[0].startswith("voc-archive-"):
            raise ArchiveKeyError("That archive key was made by a newer VOC Desktop; update "
                                  "the app to use it.")
        raise ArchiveKeyError(f"An archive key starts with '{PREFIX}:'; this text does not.")
    if len(parts) != 3:
        raise ArchiveKeyError(f"An archive key is '{PREFIX}:' and two keys separated by ':'; "
                              "check that it was copied whole.")
    encryption_raw, signing_raw = _decode(parts[1]), _decode(parts[2])
    if encryption_raw is None or signing_raw is None:
        raise ArchiveKeyError("The archive key is damaged: each of its two keys must be 44 "
                              "characters of base64. Check that it was copied whole.")
    encryption = X25519PublicKey.from_public_bytes(encryption_raw)
    try:
        # A key nobody could hold (a low-order point) fails here, not when sealing.
        X25519PrivateKey.generate().exchange(encryption)
        Ed25519PublicKey.from_public_bytes(signing_raw)
    except ValueError:
        raise ArchiveKeyError("The archive key holds a key that cannot be used; check that "
                              "it was copied whole.") from None
    canonical = f"{PREFIX}:{parts[1]}:{parts[2]}"
    return ArchiveKey(encryption=encryption, signing_public_text=f"ed25519:{parts[2]}",
                      fingerprint=keys.fingerprint(canonical), text=canonical)
