"""The device's Ed25519 signing key, kept in a private file beside the workspace."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

DEVICE_KEY_FILE = "device-key.pem"


class DeviceKeyError(Exception):
    """The device key file exists but cannot be used."""


def load_or_create_device_key(data_dir: Path) -> Ed25519PrivateKey:
    path = Path(data_dir) / DEVICE_KEY_FILE
    if path.exists():
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except (ValueError, TypeError) as exc:
            raise DeviceKeyError(f"The device key {path} is damaged: {exc}") from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise DeviceKeyError(f"The device key {path} is not an Ed25519 key.")
        return key
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    tmp = path.with_suffix(".tmp")
    # Created private from the first byte: the key never exists with wider permissions.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return key


def public_key_text(key: Ed25519PrivateKey) -> str:
    """The public half as text a person can paste: `ed25519:<base64>`."""
    raw = key.public_key().public_bytes(serialization.Encoding.Raw,
                                        serialization.PublicFormat.Raw)
    return "ed25519:" + base64.b64encode(raw).decode("ascii")


def fingerprint(public_text: str) -> str:
    """A short fingerprint to compare by eye or over the phone, e.g. `3F2A-91C0-77B4-0D1E`."""
    digest = hashlib.sha256(public_text.encode("ascii")).hexdigest().upper()[:16]
    return "-".join(digest[i:i + 4] for i in range(0, 16, 4))
