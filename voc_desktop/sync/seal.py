"""The sealed envelope around a bundle, and the archive's X25519 key pair.

A sealed bundle can be opened only with the archive's private key; anyone may seal for it with
the public key. The layout (all integers big-endian):

    magic            11 bytes  b"VOCSEALED1\\n"
    recipient key    32 bytes  the archive's raw X25519 public key
    ephemeral key    32 bytes  a fresh raw X25519 public key made for this bundle alone
    chunk size        4 bytes  plaintext bytes per chunk (1 KiB .. 16 MiB; 1 MiB by default)
    plaintext size    8 bytes  length of the zip inside
    chunks                     ChaCha20-Poly1305 of each chunk of the zip, 16-byte tag
                               appended; every chunk is full except the last, which may be
                               short or empty (an empty zip still has one empty chunk)

The 87 header bytes are the associated data of every chunk, so a changed header fails to
decrypt. Key: HKDF-SHA256 (no salt, 32 bytes) over the X25519 shared secret of the ephemeral
private key and the recipient public key, with info = b"voc-bundle seal v1" + ephemeral key
+ recipient key. Nonce of chunk i (from 0): i as 11 bytes, then 0x01 for the last chunk and
0x00 for the others, so reordered, dropped or appended chunks and a cut at a chunk boundary
all fail. Both directions hold one chunk in memory at a time.
"""

from __future__ import annotations

import base64
import binascii
import os
import struct
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from voc_desktop.safe_files import write_atomically
from voc_desktop.sync import keys
from voc_desktop.sync.bundle_manifest import BundleError

MAGIC = b"VOCSEALED1\n"
MAGIC_STEM = b"VOCSEALED"
_HEADER = struct.Struct(">32s32sIQ")
HEADER_SIZE = len(MAGIC) + _HEADER.size
TAG_SIZE = 16
DEFAULT_CHUNK = 1 << 20
MIN_CHUNK, MAX_CHUNK = 1 << 10, 16 << 20
_LABEL = b"voc-bundle seal v1"


class ArchiveKeyError(ValueError):
    """An archive key (file or text) cannot be used. The message is one line for a person."""


# --- the archive key pair ------------------------------------------------------------------

def new_archive_key() -> X25519PrivateKey:
    return X25519PrivateKey.generate()


def _raw(key: X25519PublicKey | X25519PrivateKey) -> bytes:
    public = key.public_key() if isinstance(key, X25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_text(key: X25519PublicKey | X25519PrivateKey) -> str:
    """The public half as text to paste into a device's settings: `x25519:<base64>`."""
    return "x25519:" + base64.b64encode(_raw(key)).decode("ascii")


def fingerprint(key: X25519PublicKey | X25519PrivateKey) -> str:
    """Short form to compare by eye, in the device key's style: `3F2A-91C0-77B4-0D1E`."""
    return keys.fingerprint(public_key_text(key))


def parse_public_key(text: str) -> X25519PublicKey:
    """An archive public key from its text form; ArchiveKeyError saying what is wrong."""
    stripped = text.strip() if isinstance(text, str) else ""
    if not stripped.startswith("x25519:"):
        raise ArchiveKeyError("An archive key starts with 'x25519:'; this text does not.")
    body = stripped[len("x25519:"):]
    try:
        raw = base64.b64decode(body.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raw = b""
    if len(raw) != 32 or base64.b64encode(raw).decode("ascii") != body:
        raise ArchiveKeyError("The archive key is not 'x25519:' followed by 44 characters of "
                              "base64; check that it was copied whole.")
    return X25519PublicKey.from_public_bytes(raw)


def save_archive_key(key: X25519PrivateKey, path: Path, *, replace: bool = False) -> None:
    """Write the private key as PEM, readable by its owner only (0600 from the first byte)."""
    path = Path(path)
    if path.exists() and not replace:
        raise ArchiveKeyError(f"{path} already exists; an archive key is never overwritten "
                              "by accident, since bundles sealed for it could not be opened.")
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    write_atomically(path, lambda fh: fh.write(pem), mode=0o600)


def load_archive_key(path: Path) -> X25519PrivateKey:
    """The archive's private key; ArchiveKeyError if missing, damaged or not private."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
        pem = path.read_bytes()
    except OSError as exc:
        raise ArchiveKeyError(f"The archive key {path} cannot be read: "
                              f"{exc.strerror or exc}.") from exc
    if os.name == "posix" and mode & 0o077:
        raise ArchiveKeyError(f"The archive key {path} can be read by other users; make it "
                              "private (chmod 600) and try again.")
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise ArchiveKeyError(f"The archive key {path} is damaged.") from exc
    if not isinstance(key, X25519PrivateKey):
        raise ArchiveKeyError(f"The file {path} does not hold an X25519 archive key.")
    return key


# --- the envelope ------------------------------------------------------------------------

def _cipher(shared: bytes, ephemeral: bytes, recipient: bytes) -> ChaCha20Poly1305:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
               info=_LABEL + ephemeral + recipient).derive(shared)
    return ChaCha20Poly1305(key)


def _nonce(index: int, last: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def _chunk_count(length: int, chunk_size: int) -> int:
    return max(1, -(-length // chunk_size))


def seal(src: BinaryIO | str | os.PathLike[str], out: BinaryIO | str | os.PathLike[str],
         recipient: X25519PublicKey, *, chunk_size: int = DEFAULT_CHUNK) -> None:
    """Encrypt the bundle zip `src` (a path or a seekable binary stream, read from its
    current position to its end) for the archive key `recipient`, writing to `out`."""
    if not MIN_CHUNK <= chunk_size <= MAX_CHUNK:
        raise ValueError(f"chunk_size must be between {MIN_CHUNK} and {MAX_CHUNK}")
    if isinstance(src, (str, os.PathLike)):
        with open(src, "rb") as fh:
            seal(fh, out, recipient, chunk_size=chunk_size)
        return
    if isinstance(out, (str, os.PathLike)):
        with open(out, "wb") as fh:
            seal(src, fh, recipient, chunk_size=chunk_size)
        return
    start = src.tell()
    length = src.seek(0, os.SEEK_END) - start
    src.seek(start)
    ephemeral = X25519PrivateKey.generate()
    eph_raw, rcpt_raw = _raw(ephemeral), _raw(recipient)
    header = MAGIC + _HEADER.pack(rcpt_raw, eph_raw, chunk_size, length)
    cipher = _cipher(ephemeral.exchange(recipient), eph_raw, rcpt_raw)
    out.write(header)
    count = _chunk_count(length, chunk_size)
    for index in range(count):
        want = min(chunk_size, length - index * chunk_size)
        data = src.read(want)
        if len(data) != want:
            raise OSError("the bundle file changed size while it was being sealed")
        out.write(cipher.encrypt(_nonce(index, index == count - 1), data, header))


class SealHeader:
    """The readable part of a sealed bundle: whom it is for, and how it is cut."""

    def __init__(self, raw: bytes):
        self.raw = raw
        recipient, ephemeral, self.chunk_size, self.length = _HEADER.unpack(raw[len(MAGIC):])
        self.recipient = X25519PublicKey.from_public_bytes(recipient)
        self.ephemeral = ephemeral
        self.recipient_fingerprint = fingerprint(self.recipient)


def read_header(fh: BinaryIO) -> SealHeader:
    """Parse the header at the stream's start; BundleError if it is cut short or wrong."""
    raw = fh.read(HEADER_SIZE)
    if not raw.startswith(MAGIC_STEM):
        raise BundleError("This file is not a sealed VOC bundle.")
    if not raw.startswith(MAGIC):
        raise BundleError("This bundle was sealed by a newer VOC Desktop; update the app to "
                          "import it.")
    if len(raw) < HEADER_SIZE:
        raise BundleError("The bundle is incomplete: it ends inside its header. Was the copy "
                          "interrupted?")
    header = SealHeader(raw)
    if not MIN_CHUNK <= header.chunk_size <= MAX_CHUNK:
        raise BundleError("The sealed bundle's header is damaged (impossible chunk size).")
    return header


def unseal(src: BinaryIO, out: BinaryIO, archive_key: X25519PrivateKey | None) -> SealHeader:
    """Decrypt the sealed stream `src` into `out`, authenticating every chunk.

    `out` holds unauthenticated plaintext until this returns: callers must not read it after
    an error (open_bundle unseals into a temporary file it deletes on failure).
    """
    header = read_header(src)
    if archive_key is None:
        raise BundleError("This bundle is encrypted for an archive; it opens only with that "
                          "archive's private key.")
    if _raw(archive_key) != _raw(header.recipient):
        # no fingerprints here: people compare archive-key fingerprints, which cover more
        # than the encryption half this header names, and two numbers would only confuse
        raise BundleError("This bundle is encrypted for another archive, so this one cannot "
                          "read it. Check which archive key the laptop was given.")
    try:
        shared = archive_key.exchange(X25519PublicKey.from_public_bytes(header.ephemeral))
    except ValueError:
        raise BundleError("The sealed bundle's header is damaged (bad ephemeral key).") from None
    cipher = _cipher(shared, header.ephemeral, _raw(header.recipient))
    count = _chunk_count(header.length, header.chunk_size)
    for index in range(count):
        want = min(header.chunk_size, header.length - index * header.chunk_size) + TAG_SIZE
        data = src.read(want)
        if len(data) != want:
            raise BundleError("The bundle is incomplete: it ends before its last encrypted part "
                              f"({index + 1} of {count}). Was the copy interrupted?")
        try:
            out.write(cipher.decrypt(_nonce(index, index == count - 1), data, header.raw))
        except InvalidTag:
            raise BundleError("The sealed bundle is damaged or was changed: encrypted part "
                              f"{index + 1} of {count} does not decrypt.") from None
    if src.read(1):
        raise BundleError("The sealed bundle has unexpected data after its end.")
    return header
