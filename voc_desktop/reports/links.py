"""Web addresses in what people wrote, found the same way for the PDF and the Word report,
so a link a reader can click in one is a link in the other."""

from __future__ import annotations

import re

# "https://…", "http://…" or "www.…", up to a space; punctuation that ends a sentence or
# closes a bracket after the address is not part of it
links = re.compile(r"((?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]}'\u2019\u201d])",
                   re.IGNORECASE)

LINK_HEX = "#1F4E79"


def target(address: str) -> str:
    """Where a found address leads: "www.example.com" opens https://www.example.com."""
    return address if "://" in address else f"https://{address}"
