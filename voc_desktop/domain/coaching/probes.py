"""Gentle "why?" suggestions that help the interviewer ladder down to a need.

Laddering means following an answer with "why?" several times until the
underlying need shows. Repeating the same "Why?" sounds like an interrogation,
so the app offers varied, open phrasings from ``resources/why_probes.json``.

The choice is deterministic: the same answer (identified by ``seed``) at the
same depth always gets the same suggestion, so the hint does not flicker when a
screen is redrawn, while different answers and deeper levels get different
wording. ``hashlib`` is used rather than :func:`hash` because string hashing is
salted per process and the suggestion must be stable across runs.

Once the ladder is ``deep_level`` whys deep, the suggestion changes from
another probe to a nudge that the need may have been reached and is worth
keeping as a key learning.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from voc_desktop import assets

PROBES_FILE = "why_probes.json"
DEPTH_PLACEHOLDER = "{depth}"

_KEYS = {"version", "about", "deep_level", "phrasings", "deep_phrasings"}
_MIN_PHRASINGS = 2  # fewer could not vary between neighbouring answers


@dataclass(frozen=True)
class ProbePhrasings:
    """The wording the app can suggest, as read from the data file."""

    version: int
    phrasings: tuple[str, ...]
    deep_phrasings: tuple[str, ...]
    deep_level: int

    @classmethod
    def from_dict(cls, data: dict) -> ProbePhrasings:
        if not isinstance(data, Mapping):
            raise ValueError(f"why probes must be a JSON object, not {type(data).__name__}")
        unknown = sorted(set(data) - _KEYS)
        if unknown:
            raise ValueError(f"why probes: unknown key(s) {unknown}; expected {sorted(_KEYS)}")
        version = _whole_number(data.get("version"), "'version'")
        deep_level = _whole_number(data.get("deep_level", 5), "'deep_level'")
        phrasings = _texts(data.get("phrasings"), "'phrasings'", minimum=_MIN_PHRASINGS)
        deep = _texts(data.get("deep_phrasings"), "'deep_phrasings'", minimum=1)
        return cls(
            version=version,
            phrasings=phrasings,
            deep_phrasings=deep,
            deep_level=deep_level,
        )

    def pick(self, depth: int, seed: str) -> str:
        """The phrasing for this answer and depth (no blank-answer check)."""
        # Stepping through the list by depth guarantees that two consecutive
        # levels under the same answer never repeat the same wording.
        base = _stable_number(seed)
        if depth >= self.deep_level:
            chosen = self.deep_phrasings[(base + depth) % len(self.deep_phrasings)]
            return chosen.replace(DEPTH_PLACEHOLDER, str(depth))
        return self.phrasings[(base + depth) % len(self.phrasings)]


@functools.cache
def load_probe_phrasings() -> ProbePhrasings:
    """The phrasings shipped with the app, read once per process."""
    resource = assets.path(PROBES_FILE)
    try:
        data = json.loads(resource.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{PROBES_FILE} is not valid JSON: {exc}") from exc
    return ProbePhrasings.from_dict(data)


def load_phrasings() -> tuple[str, ...]:
    """The ordinary why-probe phrasings (not the deep-ladder nudges)."""
    return load_probe_phrasings().phrasings


def suggest_probe(
    answer_text: str,
    depth: int,
    seed: str,
    *,
    probes: ProbePhrasings | None = None,
) -> str | None:
    """A why-probe to offer after ``answer_text``, or None when there is nothing to probe.

    ``depth`` is how many whys have already been asked on this ladder (0 for a
    fresh answer); ``seed`` is a stable identifier such as the answer's id.
    """
    _check_depth(depth)
    if not answer_text or answer_text.isspace():
        return None
    return (probes or load_probe_phrasings()).pick(depth, seed)


def ladder_hint(depth: int) -> str:
    """A short status for how far down the ladder the interviewer has gone."""
    _check_depth(depth)
    if depth == 0:
        return "No why yet"
    if depth == 1:
        return "1 why deep"
    return f"{depth} whys deep"


def _stable_number(seed: str) -> int:
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def _check_depth(depth: int) -> None:
    if isinstance(depth, bool) or not isinstance(depth, int) or depth < 0:
        raise ValueError(f"ladder depth must be a whole number of at least 0, not {depth!r}")


def _whole_number(raw: Any, where: str) -> int:
    # bool is an int subclass, and `true` here is certainly a mistake.
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
        raise ValueError(f"why probes: {where} must be a whole number of at least 1, not {raw!r}")
    return raw


def _texts(raw: Any, where: str, *, minimum: int) -> tuple[str, ...]:
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise ValueError(f"why probes: {where} must be a list of texts")
    texts = tuple(item.strip() for item in raw if isinstance(item, str) and item.strip())
    if len(texts) != len(raw):
        raise ValueError(f"why probes: {where} must contain only non-empty texts")
    if len(set(texts)) != len(texts):
        duplicates = sorted({text for text in texts if texts.count(text) > 1})
        raise ValueError(f"why probes: {where} lists the same phrasing twice: {duplicates}")
    if len(texts) < minimum:
        raise ValueError(f"why probes: {where} needs at least {minimum} phrasing(s)")
    return texts
