"""The language guess: a note in another language says so instead of passing silently."""

from __future__ import annotations

import pytest

from voc_desktop.domain.coaching.language import guess_language, language_notice


@pytest.mark.parametrize(("text", "language"), [
    ("Der Kunde sagt, unsere Preise sind zu hoch.", "German"),
    ("Le client dit que nos prix sont trop élevés.", "French"),
    ("El cliente dice que el precio es alto.", "Spanish"),
    ("Il cliente dice che il prezzo è alto.", "Italian"),
    ("Klant zegt dat de prijs te hoog is en dat ze niet willen wachten.", "Dutch"),
    ("O cliente disse que o preço é alto.", "Portuguese"),
    ("Kunden sa att priset är för högt och att de inte vill vänta.", "Swedish"),
    ("Klient powiedział, że ceny są za wysokie i nie chce czekać.", "Polish"),
    ("Клиент сказал, что цены высокие.", "Russian"),
    ("顧客は価格が高いと言った", "Japanese"),
    ("客户说价格太高了", "Chinese"),
])
def test_other_languages_are_named(text: str, language: str) -> None:
    """Common short words, or the script, name the language of a note."""
    assert guess_language(text) == language
    assert language_notice(text) == f"Coaching covers English; this note looks {language}."


@pytest.mark.parametrize("text", [
    "Walked the buyer through the pricing page.",
    "She said: \"Das ist zu teuer.\" and then left.",
    "Promised a Kaizen workshop at the Werk in Stuttgart.",
    "I committed to barcode support in Q3.",
    "Could you describe your ordering process as well as your returns process?",
])
def test_english_with_foreign_words_is_english(text: str) -> None:
    """Names, loan words and a short foreign quote do not make a note foreign."""
    assert guess_language(text) == "English"
    assert language_notice(text) is None


@pytest.mark.parametrize("text", ["", "Demoed SAP.", "Line 3 stops.", "Die Linie steht."])
def test_too_little_to_tell_stays_silent(text: str) -> None:
    """A few words are not enough to judge, so nothing is said."""
    assert language_notice(text) is None


def test_the_notice_can_name_what_it_reads() -> None:
    """The notice says "note" by default and whatever the caller reads otherwise."""
    text = "Wir haben ihnen die neue Version gezeigt."
    assert language_notice(text, "question") == (
        "Coaching covers English; this question looks German.")
