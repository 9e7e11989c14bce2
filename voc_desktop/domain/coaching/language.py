"""Which language a note looks written in, so coaching can say when it cannot help.

The coaching rules read English. A note in another language would pass without a single
flag, which reads as praise; instead the coach says "Coaching covers English; this note
looks German." The guess is deliberately small: the share of each language's commonest
short words among the note's words, and the script for languages not written in Latin
letters. It needs a few words to go on and stays silent when it is unsure.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
_MIN_WORDS = 3
_MIN_HITS = 2

# Short, frequent words, chosen so that few of them are also English words.
STOP_WORDS: dict[str, frozenset[str]] = {
    name: frozenset(words.split())
    for name, words in {
        "English": "i a as in on to do no so the and of is are was were it that this with "
                   "for not they we you our their have has had be been but what which who "
                   "would will can said "
                   "asked told them there about from by at an or if how why when she he "
                   "does did don't isn't very too also just only",
        "German": "der die das und ist nicht mit ein eine einen auf für sich auch wir sie es "
                  "zu dem von bei aber noch wie oder wird sind haben uns dass nach über "
                  "sehr kein keine ich er ihr ihnen wenn weil schon mehr immer wurde "
                  "zum zur können kann soll gibt jetzt",
        "French": "le la les et est une des du pas que qui pour dans sur avec ils elle nous "
                  "vous sont au aux ce cette mais ou leur très aussi fait été avoir je "
                  "il être comme tout même sans",
        "Spanish": "el los las y es una del que en por con para pero como más muy ellos ella "
                   "nosotros está son fue lo se su sus hay tiene también porque cuando sin "
                   "sobre ya todo esta este",
        "Italian": "il lo gli e è una della che di per con sono anche non ma più molto loro "
                   "lei noi hanno questo questa nel del alla dei delle perché quando "
                   "sempre già tutto",
        "Dutch": "de het een en niet met op voor zijn ook wij zij ze dat maar nog "
                 "hebben heeft wordt naar bij als geen uit veel wel ik",
        "Portuguese": "e é uma um da que por com para mas como mais muito eles "
                      "ela nós está são foi não se seu sua há tem também porque quando sem "
                      "já isso",
        "Swedish": "och är det att en ett som på för med inte har vi av om kan "
                   "också eller mycket skulle jag hon han sig",
        "Polish": "na się nie że jest jak ale są tak za od już ich dla "
                  "był była też bardzo mamy",
    }.items()
}

# Scripts that name their language (or its family) on sight.
_SCRIPTS = (
    ("CYRILLIC", "Russian"), ("GREEK", "Greek"), ("ARABIC", "Arabic"), ("HEBREW", "Hebrew"),
    ("HIRAGANA", "Japanese"), ("KATAKANA", "Japanese"), ("HANGUL", "Korean"),
    ("CJK", "Chinese"), ("DEVANAGARI", "Hindi"), ("THAI", "Thai"),
)


def guess_language(text: str) -> str | None:
    """The language ``text`` looks written in, or None when there is too little to tell."""
    by_script = _script_language(text)
    if by_script:
        return by_script
    words = [w.lower().replace("\u2019", "'") for w in _WORD.findall(text)]
    if len(words) < _MIN_WORDS:
        return None
    hits = {name: sum(w in stop for w in words) for name, stop in STOP_WORDS.items()}
    best = max(hits, key=lambda name: hits[name])
    if best == "English" or hits[best] < _MIN_HITS:
        return "English" if hits["English"] >= _MIN_HITS else None
    # Another language must clearly lead: names, brands and loan words are often English.
    return best if hits[best] > 1.5 * hits["English"] else "English"


def language_notice(text: str, what: str = "note") -> str | None:
    """A sentence for text the coaching cannot read, or None for English (or too little)."""
    language = guess_language(text)
    if language is None or language == "English":
        return None
    return f"Coaching covers English; this {what} looks {language}."


def _script_language(text: str) -> str | None:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return None
    counts: dict[str, int] = {}
    for char in letters:
        if char.isascii():
            continue
        name = unicodedata.name(char, "")
        for script, language in _SCRIPTS:
            if name.startswith(script):
                counts[language] = counts.get(language, 0) + 1
                break
    if not counts:
        return None
    if "Japanese" in counts:  # written with kana and kanji alike
        counts["Japanese"] += counts.pop("Chinese", 0)
    language = max(counts, key=lambda k: counts[k])
    return language if counts[language] * 2 >= len(letters) else None
