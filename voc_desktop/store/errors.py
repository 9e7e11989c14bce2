"""The error the store raises for a workspace problem a person can act on."""

from __future__ import annotations


class StoreError(Exception):
    """A workspace problem a person can act on; the message says what and where."""
