"""The sealed envelope and the archive key pair."""

from __future__ import annotations

import io
import os
import re
import stat
import struct
import tracemalloc

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from voc_desktop.sync import keys, seal
from voc_desktop.sync.bundle_file import BundleError

CHUNK = 1024


def sealed_bytes(data: bytes, key, chunk: int = CHUNK) -> bytes:
    out = io.BytesIO()
    seal.seal(io.BytesIO(data), out, key.public_key(), chunk_size=chunk)
    return out.getvalue()


def unsealed_bytes(data: bytes, key) -> bytes:
    out = io.BytesIO()
    seal.unseal(io.BytesIO(data), out, key)
    return out.getvalue()


# --- keys ----------------------------------------------------------------------------------

def test_public_key_text_round_trips(archive_key):
    """The archive key's text form parses back to the same public key."""
    text = seal.public_key_text(archive_key)
    assert re.fullmatch(r"x25519:[A-Za-z0-9+/]{43}=", text)
    assert seal.public_key_text(seal.parse_public_key(f"  {text}\n")) == text
    assert seal.public_key_text(archive_key.public_key()) == text


def test_fingerprint_has_the_device_key_style(archive_key):
    """Archive fingerprints look like device fingerprints: four groups of four hex digits."""
    fp = seal.fingerprint(archive_key)
    assert re.fullmatch(r"[0-9A-F]{4}(-[0-9A-F]{4}){3}", fp)
    assert fp == keys.fingerprint(seal.public_key_text(archive_key))
    assert fp != seal.fingerprint(seal.new_archive_key())


@pytest.mark.parametrize(("text", "message"), [
    ("", "An archive key starts with 'x25519:'; this text does not."),
    ("ed25519:" + "A" * 43 + "=", "An archive key starts with 'x25519:'; this text does not."),
    ("x25519:not base64!", "The archive key is not 'x25519:' followed by 44 characters of "
                           "base64; check that it was copied whole."),
    ("x25519:" + "A" * 40, "The archive key is not 'x25519:' followed by 44 characters of "
                           "base64; check that it was copied whole."),
    ("x25519:" + "A" * 42 + "B=", "The archive key is not 'x25519:' followed by 44 characters "
                                  "of base64; check that it was copied whole."),
])
def test_bad_public_key_text_is_explained(text, message):
    """Wrong prefix, bad base64, wrong length or a non-canonical spelling each say so."""
    with pytest.raises(seal.ArchiveKeyError) as caught:
        seal.parse_public_key(text)
    assert str(caught.value) == message


def test_archive_key_file_is_private_and_loads_back(tmp_path, archive_key):
    """The saved private key is PEM, mode 0600, and loads as the same key."""
    path = tmp_path / "archive-key.pem"
    seal.save_archive_key(archive_key, path)
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    loaded = seal.load_archive_key(path)
    assert seal.public_key_text(loaded) == seal.public_key_text(archive_key)
    assert [p.name for p in tmp_path.iterdir()] == ["archive-key.pem"]


def test_archive_key_is_not_overwritten_by_accident(tmp_path, archive_key, other_archive_key):
    """Saving over an existing key needs replace=True."""
    path = tmp_path / "archive-key.pem"
    seal.save_archive_key(archive_key, path)
    with pytest.raises(seal.ArchiveKeyError, match="already exists"):
        seal.save_archive_key(other_archive_key, path)
    seal.save_archive_key(other_archive_key, path, replace=True)
    assert seal.fingerprint(seal.load_archive_key(path)) == seal.fingerprint(other_archive_key)


@pytest.mark.skipif(os.name != "posix", reason="file modes are a POSIX notion")
def test_archive_key_readable_by_others_is_refused(tmp_path, archive_key):
    """A key file that others can read is refused with the fix to apply."""
    path = tmp_path / "archive-key.pem"
    seal.save_archive_key(archive_key, path)
    path.chmod(0o644)
    with pytest.raises(seal.ArchiveKeyError, match=r"can be read by other users; make it "
                                                   r"private \(chmod 600\)"):
        seal.load_archive_key(path)


def test_unusable_archive_key_files_are_explained(tmp_path):
    """A missing file, a damaged file and a device key each give a clear ArchiveKeyError."""
    path = tmp_path / "archive-key.pem"
    with pytest.raises(seal.ArchiveKeyError, match="cannot be read: No such file"):
        seal.load_archive_key(path)
    path.write_bytes(b"-----BEGIN PRIVATE KEY-----\nnonsense\n")
    path.chmod(0o600)
    with pytest.raises(seal.ArchiveKeyError, match="is damaged"):
        seal.load_archive_key(path)
    path.write_bytes(Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    with pytest.raises(seal.ArchiveKeyError, match="does not hold an X25519 archive key"):
        seal.load_archive_key(path)


# --- the envelope --------------------------------------------------------------------------

@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 5000])
def test_seal_round_trips_every_length(archive_key, size):
    """Data of any length, including empty and exact chunk multiples, comes back unchanged."""
    data = os.urandom(size)
    sealed = sealed_bytes(data, archive_key)
    parts = max(1, -(-size // CHUNK))
    assert len(sealed) == seal.HEADER_SIZE + size + parts * seal.TAG_SIZE
    assert unsealed_bytes(sealed, archive_key) == data


def test_sealing_twice_gives_different_files(archive_key):
    """Each seal uses a fresh ephemeral key, so equal bundles do not look equal."""
    data = b"same bundle" * 100
    first, second = sealed_bytes(data, archive_key), sealed_bytes(data, archive_key)
    assert first[:43] == second[:43] and first[43:75] != second[43:75]
    assert first[seal.HEADER_SIZE:] != second[seal.HEADER_SIZE:]


def test_seal_reads_a_stream_from_its_current_position(archive_key):
    """Only the bytes after the stream's position are sealed."""
    src = io.BytesIO(b"skip me|the bundle")
    src.seek(8)
    out = io.BytesIO()
    seal.seal(src, out, archive_key.public_key())
    assert unsealed_bytes(out.getvalue(), archive_key) == b"the bundle"


def test_header_tells_whom_the_bundle_is_for(archive_key):
    """read_header gives the recipient's fingerprint without any key."""
    header = seal.read_header(io.BytesIO(sealed_bytes(b"x" * 3000, archive_key)))
    assert header.recipient_fingerprint == seal.fingerprint(archive_key)
    assert (header.chunk_size, header.length) == (CHUNK, 3000)


def test_dropping_the_last_part_is_caught(archive_key):
    """A stream cut exactly at a part boundary is incomplete, not shorter-but-valid."""
    sealed = sealed_bytes(b"y" * (3 * CHUNK), archive_key)
    with pytest.raises(BundleError, match=r"ends before its last encrypted part \(3 of 3\)"):
        unsealed_bytes(sealed[:-(CHUNK + seal.TAG_SIZE)], archive_key)


def test_a_part_from_another_seal_is_caught(archive_key):
    """Splicing in a part from a different sealing of the same data fails to decrypt."""
    data = b"z" * (2 * CHUNK)
    first, second = sealed_bytes(data, archive_key), sealed_bytes(data, archive_key)
    spliced = first[:seal.HEADER_SIZE + CHUNK + 16] + second[seal.HEADER_SIZE + CHUNK + 16:]
    with pytest.raises(BundleError, match=r"encrypted part 2 of 2 does not decrypt"):
        unsealed_bytes(spliced, archive_key)


def test_seal_and_unseal_use_bounded_memory(tmp_path, archive_key):
    """Sealing and unsealing 48 MiB files holds about one chunk at a time, not the file."""
    plain, sealed, back = tmp_path / "p", tmp_path / "s", tmp_path / "b"
    with open(plain, "wb") as fh:
        for _ in range(48):
            fh.write(os.urandom(1 << 20))
    tracemalloc.start()
    try:
        seal.seal(plain, sealed, archive_key.public_key())
        with open(sealed, "rb") as src, open(back, "wb") as out:
            seal.unseal(src, out, archive_key)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20
    assert back.stat().st_size == plain.stat().st_size
    assert back.read_bytes() == plain.read_bytes()


def test_chunk_size_outside_the_format_is_refused_when_sealing(archive_key):
    """The sealer only writes chunk sizes the reader accepts."""
    with pytest.raises(ValueError, match="chunk_size"):
        seal.seal(io.BytesIO(b""), io.BytesIO(), archive_key.public_key(), chunk_size=100)


def _documented_cipher(archive_key, header: bytes) -> ChaCha20Poly1305:
    """The key schedule exactly as seal.py's docstring describes it, written out here."""
    ephemeral, recipient = header[43:75], header[11:43]
    shared = archive_key.exchange(X25519PublicKey.from_public_bytes(ephemeral))
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
               info=b"voc-bundle seal v1" + ephemeral + recipient).derive(shared)
    return ChaCha20Poly1305(key)


def test_envelope_follows_the_documented_construction(archive_key):
    """An independent reading of the documented layout decrypts a sealed stream."""
    data = os.urandom(2 * CHUNK + 7)
    sealed = sealed_bytes(data, archive_key)
    header = sealed[:seal.HEADER_SIZE]
    assert header[:11] == b"VOCSEALED1\n" and header[11:43] == archive_key.public_key(
    ).public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert struct.unpack(">IQ", header[75:87]) == (CHUNK, len(data))
    cipher = _documented_cipher(archive_key, header)
    body, plain = sealed[seal.HEADER_SIZE:], b""
    for index, start in enumerate(range(0, len(body), CHUNK + 16)):
        nonce = index.to_bytes(11, "big") + (b"\x01" if index == 2 else b"\x00")
        plain += cipher.decrypt(nonce, body[start:start + CHUNK + 16], header)
    assert plain == data


def test_a_last_part_not_marked_last_is_refused(archive_key):
    """A stream whose final part was encrypted as a middle part does not decrypt."""
    data = b"q" * (CHUNK + 10)
    sealed = sealed_bytes(data, archive_key)
    header = sealed[:seal.HEADER_SIZE]
    cipher = _documented_cipher(archive_key, header)
    forged = (sealed[:seal.HEADER_SIZE + CHUNK + 16]
              + cipher.encrypt((1).to_bytes(11, "big") + b"\x00", data[CHUNK:], header))
    with pytest.raises(BundleError, match=r"encrypted part 2 of 2 does not decrypt"):
        unsealed_bytes(forged, archive_key)
