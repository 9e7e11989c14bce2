"""A hidden person's name is found in every form and script it is written in."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voc_desktop.domain.accounts import Consent, Contact, Role
from voc_desktop.domain.names import NameGuard, fold


def _hidden(name: str, role: Role = Role.USER) -> Contact:
    return Contact(id=name, account_id="a", name=name, roles=(role,),
                   consent=Consent(given=True, quote_by_name=False))


def _named(name: str) -> Contact:
    return Contact(id=name, account_id="a", name=name, roles=(Role.USER,),
                   consent=Consent(given=True, quote_by_name=True))


NFD = unicodedata.normalize("NFD", "Σωκράτης Παπαδόπουλος μίλησε")

TABLE = [
    # (hidden name, text, text with the name replaced)
    ("Maria Kovač", "MARIA KOVAC signed, Kovačová too", "[User] signed, [User] too"),
    ("Jürgen Groß-Weber", "jurgen gross-weber and Weber", "[User] and [User]"),
    ("Seán O'Brien", "O’Brien and SEAN agreed", "[User] and [User] agreed"),
    ("Åsa Öberg", "Å\u00adsa Öberg's idea", "[User]'s idea"),
    ("Σωκράτης Παπαδόπουλος", "ΣΩΚΡΑΤΗΣ ΠΑΠΑΔΟΠΟΥΛΟΣ είπε", "[User] είπε"),
    ("Σωκράτης Παπαδόπουλος", NFD, unicodedata.normalize("NFD", "[User] μίλησε")),
    ("Σωκράτης Παπαδόπουλος", "με τον Σωκράτη Παπαδόπουλο", "με τον [User]"),
    ("Σωκράτης Παπαδόπουλος", "το γραφείο του Παπαδόπουλου", "το γραφείο του [User]"),
    ("Σωκράτης Παπαδόπουλος", "Σωκράτης氏 και Παπαδόπουλοςさん", "[User]氏 και [User]さん"),
    ("Σωκράτης Παπαδόπουλος", "@Σωκράτης_Παπαδόπουλος", "@[User]"),
    ("Мария Иванова", "поговорили с Марией Ивановой", "поговорили с [User]"),
    ("Jaroslav Novák", "řekl Novákovi a Jaroslavovi", "řekl [User] a [User]"),
    ("Heikki Laine", "Heikin ja Lainella", "[User] ja [User]"),
    ("محمد الأحمد", "قال محمد والأحمد", "قال [User] و[User]"),
    ("משה כהן", "ומשה אמר לכהן", "ו[User] אמר ל[User]"),
    ("王伟", "王伟说这台机器太吵", "[User]说这台机器太吵"),
    ("田中 太郎", "田中さんが田中太郎です", "[User]さんが[User]です"),
    ("김민준", "김민준이 말했다", "[User]이 말했다"),
]


@pytest.mark.parametrize(("name", "text", "expected"), TABLE)
def test_a_hidden_name_is_replaced_in_every_script_and_form(name, text, expected):
    """Accents, case, decomposed letters, curly apostrophes, soft hyphens, case endings,
    clitics, CJK neighbours and scripts without spaces all give way to the role."""
    assert NameGuard.for_people([_hidden(name)])(text) == expected


@pytest.mark.parametrize(("name", "text"), [
    ("Anna Berg", "Annals of the Bergen office"),
    ("Ivan Li", "Ivanka likes lilies"),
    ("王伟", "王先生说伟大的机器"),
    ("Σωκράτης Παπαδόπουλος", "Σωκ Παπ και σωκρ"),
])
def test_ordinary_words_near_a_name_stay(name, text):
    """Stems are long enough that ordinary words sharing a few letters are not hit."""
    assert NameGuard.for_people([_hidden(name)])(text) == text


def test_the_replacement_covers_the_name_as_written():
    """A soft hyphen or decomposed accent inside the name goes with it; text around stays."""
    guard = NameGuard.for_people([_hidden("Zoë Ångström", Role.INFLUENCER)])
    assert guard("Before Zoe\u0308 A\u030angs\u00adtro\u0308m, after") == \
        "Before [Influencer], after"
    assert guard("(Zoe\u0308)") == "([Influencer])"


def test_a_declined_form_of_a_named_persons_name_stays():
    """A part shared with someone who may be named is kept, in any form."""
    guard = NameGuard.for_people([_hidden("Maria Kovač"), _named("Marie Curie")])
    assert guard("Marie Curie and Maria Kovač") == "Marie Curie and [User]"


def test_hides_tells_whether_a_name_is_there():
    """`hides` answers for any form of the name, and for nothing else."""
    guard = NameGuard.for_people([_hidden("Σωκράτης Παπαδόπουλος")])
    assert guard.hides("#παπαδοπουλου")
    assert not guard.hides("noise")


def test_folding_maps_back_to_the_text_as_written():
    """Each folded character knows the span of the text it came from."""
    text = "O\u2019Bri\u00ade\u0301n"
    folded, starts, ends = fold(text)
    assert folded == "o'brien"
    assert [text[s:e] for s, e in zip(starts, ends, strict=True)] == \
        ["O", "\u2019", "B", "r", "i", "e\u0301", "n"]


# --- property: no form of the name survives ---------------------------------------------

NAMES = ["Σωκράτης Παπαδόπουλος", "Maria Kovač", "Seán O'Brien", "Мария Иванова",
         "Jürgen Groß-Weber", "王伟", "田中 太郎"]
ENDINGS = {"Σωκράτης Παπαδόπουλος": ["", "η", "ου", "ο"], "Мария Иванова": ["", "ой", "у"],
           "Maria Kovač": ["", "ová", "ovi", "em"]}
FILLER = st.lists(st.sampled_from(list("abc xyz,.;!?-\n") + ["说", "さん", "είπε", "и"]),
                  max_size=12).map("".join)


@st.composite
def written_forms(draw, name: str) -> str:
    parts = name.split(" ")
    if draw(st.booleans()) and name in ENDINGS:
        parts[-1] += draw(st.sampled_from(ENDINGS[name]))
    joiner = draw(st.sampled_from([" ", "_", "  ", " \u200b"]))
    text = joiner.join(parts)
    case = draw(st.sampled_from(["as is", "upper", "lower", "title"]))
    text = {"as is": text, "upper": text.upper(), "lower": text.lower(),
            "title": text.title()}[case]
    if case == "upper" and draw(st.booleans()):  # capitals are written without accents
        text = "".join(ch for ch in unicodedata.normalize("NFD", text)
                       if not unicodedata.combining(ch))
    text = unicodedata.normalize(draw(st.sampled_from(["NFC", "NFD", "NFKC"])), text)
    text = text.replace("'", draw(st.sampled_from(["'", "\u2019", "\u02bc"])))
    cut = draw(st.integers(0, len(text)))
    if draw(st.booleans()) and 0 < cut < len(text) and text[cut - 1].isalpha() \
            and text[cut].isalpha():
        text = text[:cut] + draw(st.sampled_from(["\u00ad", "\u200b", "\u200d"])) + text[cut:]
    return text


def _survivors(name: str, output: str) -> list[str]:
    """Every folded part of the name, with its stem, still to be found in the output."""
    folded_output = fold(output)[0].replace("\u200b", "")
    found = []
    for part in name.replace("-", " ").split(" "):
        stem = fold(part)[0]
        stem = stem[:-2] if len(stem) > 5 else stem
        if len(stem) >= 2 and stem in folded_output:
            found.append(part)
    return found


@settings(max_examples=300, deadline=None)
@given(data=st.data(), name=st.sampled_from(NAMES))
def test_no_form_of_a_hidden_name_survives(data, name):
    """Random text around a name written in random forms: none of its parts is left."""
    before, after = data.draw(FILLER), data.draw(FILLER)
    form = data.draw(written_forms(name))
    neighbour = data.draw(st.sampled_from(["", " ", "_", "@", "氏", "さん", "说"]))
    text = f"{before} {form}{neighbour or ' '}{after}"
    output = NameGuard.for_people([_hidden(name)])(text)
    assert not _survivors(name, output), (text, output)
