"""Text going into reports: printable, and people named only with their consent."""

from __future__ import annotations

from voc_desktop.domain.accounts import Consent, Contact, Role
from voc_desktop.domain.names import NameGuard, clean


def _contact(name: str, *, by_name: bool, roles: tuple[Role, ...] = (Role.USER,)) -> Contact:
    return Contact(id=name, account_id="a", name=name, roles=roles,
                   consent=Consent(given=True, quote_by_name=by_name))


def test_clean_keeps_text_and_shows_unprintable_characters():
    """Control characters become visible code points; line breaks are made uniform."""
    assert clean("a\r\nb\rc\x00d\x07") == "a\nb\nc[U+0000]d[U+0007]"
    assert clean("  tab\there & <b> \n") == "tab\there & <b>"
    assert clean(None) == ""


def test_lone_surrogates_are_shown_not_dropped():
    """Broken UTF-16 halves, which no file can hold, are shown by code point."""
    assert clean("x\ud800y") == "x[U+D800]y"


def test_hidden_person_replaced_by_role_everywhere_in_a_text():
    """The full name, the given name and the surname all give way to the role."""
    guard = NameGuard.for_people([_contact("Maria Kovač", by_name=False,
                                           roles=(Role.ECONOMIC_BUYER,))])
    text = guard("Maria Kovač signs. maria kovač agrees; Kovač pays, Maria smiles.")
    assert "Maria" not in text and "Kovač" not in text and "maria" not in text
    assert text.count("[Economic buyer]") == 4


def test_named_person_and_unrelated_words_are_untouched():
    """Only names of people without consent change; parts of words do not match."""
    guard = NameGuard.for_people([_contact("Ann Lee", by_name=False),
                                  _contact("Ann Berg", by_name=True)])
    text = guard("Ann Berg met Ann Lee about annual Leeway; Lee agreed.")
    # "Ann" is also the first name of someone who may be named, so it stays
    assert text == "Ann Berg met [User] about annual Leeway; [User] agreed."


def test_names_with_sharp_s_and_hyphens_are_matched_as_written():
    """Case-insensitive matching works for ß and for each half of a double-barrelled name."""
    guard = NameGuard.for_people([_contact("Jürgen Groß-Weber", by_name=False)])
    assert guard("JÜRGEN GROSS-WEBER, Jürgen Groß-Weber and WEBER") == \
        "[User], [User] and [User]"
    assert guard("groß called") == "[User] called"


def test_interviewers_names_are_never_replaced():
    """An interviewer who shares a name part with a hidden contact keeps their name."""
    guard = NameGuard.for_people([_contact("Sam Ortiz", by_name=False)],
                                 named_freely=["Sam Patel"])
    assert guard("Sam Patel asked Sam Ortiz") == "Sam Patel asked [User]"


def test_no_consent_at_all_counts_as_hidden():
    """Someone whose consent was never recorded is shown by role only."""
    person = Contact(id="c", account_id="a", name="Olu Adeyemi", roles=())
    assert NameGuard.for_people([person])("Olu Adeyemi said") == "[a participant] said"
