"""The one error every use case raises for what a person asked and cannot have."""

from __future__ import annotations


class ServiceError(Exception):
    """Something a person asked for cannot be done; the message says why, in plain words."""
