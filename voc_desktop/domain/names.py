"""Text as it leaves the app: printable, and with people named only when they agreed.

Both writers take their text from the content model, so whatever is cleaned or replaced
here reads the same in the DOCX and in the PDF.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from voc_desktop.domain.accounts import Contact, roles_label

# Characters that XML 1.0 cannot hold (DOCX is XML; reportlab parses its markup as XML),
# apart from tab and line feed, which are kept as a tab and a line break.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_MIN_NAME_PART = 3


def clean(text: str | None) -> str:
    """Line breaks made uniform; characters no document can hold shown as U+ code points,
    so nothing a person typed disappears without a trace."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNPRINTABLE.sub(lambda m: f"[U+{ord(m.group()):04X}]", text).strip()


@dataclass(frozen=True)
class NameGuard:
    """Replaces the names of people who did not agree to be named with their role.

    A name can slip into any free text ("Maria showed us the line"), a photo's file name or
    a tag. The full name and each part of it are replaced wherever they stand as words,
    unless that part also belongs to someone who may be named.
    """

    pattern: re.Pattern[str] | None
    replacements: dict[str, str]

    @classmethod
    def for_people(cls, people: Iterable[Contact], named_freely: Iterable[str] = ()) -> NameGuard:
        people = list(people)
        keep: set[str] = set()
        for name in [*named_freely, *(c.name for c in people if _may_name(c))]:
            keep |= {part.casefold() for part in _parts(name)}
        replacements: dict[str, str] = {}
        spellings: dict[str, str] = {}  # casefolded -> as written; "ß" casefolds to "ss"
        for contact in people:
            if _may_name(contact) or not contact.name.strip():
                continue
            role = f"[{roles_label(contact.roles) if contact.roles else 'a participant'}]"
            full = " ".join(contact.name.split())
            for word in [full, *_parts(full)]:
                if word == full or (len(word) >= _MIN_NAME_PART and word.casefold() not in keep):
                    replacements.setdefault(word.casefold(), role)
                    spellings.setdefault(word.casefold(), word)
        if not replacements:
            return cls(None, {})
        # longest first, so "Maria Kovač" is replaced whole before "Maria" could match
        words = sorted(spellings.values(), key=len, reverse=True)
        alternatives = "|".join(r"\s+".join(map(_spelling, w.split())) for w in words)
        pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
        return cls(pattern, replacements)

    def __call__(self, text: str | None) -> str:
        text = clean(text)
        if self.pattern is None or not text:
            return text
        def role(m: re.Match[str]) -> str:
            return self.replacements.get(" ".join(m.group().split()).casefold(),
                                         "[a participant]")

        return self.pattern.sub(role, text)


def _spelling(word: str) -> str:
    # casefold() makes "ß" "ss", but a case-insensitive regex does not; accept both ways
    return re.escape(word).replace("ß", "(?:ß|ss)")


def _may_name(contact: Contact) -> bool:
    return contact.consent.given and contact.consent.quote_by_name


def _parts(name: str) -> list[str]:
    """The words of a name, and the pieces of double-barrelled ones."""
    words = [p for p in re.split(r"[\s,]+", name) if p]
    return words + [p for w in words if "-" in w for p in w.split("-") if p]
