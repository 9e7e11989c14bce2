"""What the interviewer did, as their notes record it: presented, promised or led.

Notes are short and past tense, often without a subject: "Walked the buyer through the
pricing page.", "Promised we'd add a Salesforce export by spring.", "Asked if automating
the audit would help." Phrase rules written for what one says while presenting miss them,
and a rule that stays quiet whenever a sentence reports speech misses "Told them our
sensors outlast the Bosch ones." too. This check finds the verbs of those acts and asks
who the subject is (:mod:`voc_desktop.domain.coaching.note_words`): the interviewer, or no subject
at all, counts; "The customer said our pricing is high" and "She showed us their line"
are the customer's doing and stay quiet, as does anything inside quotation marks. Each
act then looks at the words after its verb for what makes it a pitch (something of ours),
a promise (a discount, a date, a feature) or leading (an answer handed over).

The words live in ``resources/coach_acts.json``.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from voc_desktop import assets
from voc_desktop.domain.coaching.note_act_needs import NEEDS as _NEEDS
from voc_desktop.domain.coaching.note_act_needs import Rest
from voc_desktop.domain.coaching.note_model import MODEL_FILE, NoteModel, Signs
from voc_desktop.domain.coaching.note_words import (
    HARD_STOPS,
    Speaker,
    SubjectWords,
    Token,
    WordList,
    fold_words,
    looks_like_a_verb,
    sentence_spans,
    subject_of,
    token_range,
    tokens,
)
from voc_desktop.domain.coaching.note_words import (
    speaker as speaker_of,
)

ACTS_FILE = "coach_acts.json"
_KINDS = ("pitch", "promise", "leading")
_CLAUSE_WORDS = frozenset("and but then so because while which who whereas".split())
_WORD = re.compile(r"\w+(?:['-]\w+)*")  # as note_words cuts tokens, on folded text
_FIRST_PERSON = frozenset("i we i'm we're i've we've i'd we'd i'll we'll".split())
_NEW_CLAUSE = frozenset(",;\u2013\u2014")
_QUOTE_MARKS = frozenset('"\u201c\u201d\u201e\u00ab\u00bb')


@dataclass(frozen=True)
class Act:
    act_id: str
    kind: str
    needs: str
    verbs: WordList


@dataclass(frozen=True)
class ActFinding:
    kind: str  # pitch, promise or leading
    start: int
    end: int
    reason: str
    act_id: str


class ActRules:
    """The act verbs and word lists, compiled from ``coach_acts.json``."""

    def __init__(self, data: Mapping[str, Any], model: NoteModel | None = None) -> None:
        self.model = model  # the second opinion on sentences the rules leave alone
        words = data.get("words")
        acts = data.get("acts")
        reasons = data.get("reasons")
        if not isinstance(words, Mapping) or not isinstance(acts, list) or not acts:
            raise ValueError("coach acts: 'words' must be an object and 'acts' a list")
        if not isinstance(reasons, Mapping) or set(reasons) != set(_KINDS):
            raise ValueError(f"coach acts: 'reasons' must give one sentence for each of {_KINDS}")
        self.lists = {name: WordList(_texts(values, name)) for name, values in words.items()}
        self.reasons = {kind: str(reasons[kind]) for kind in _KINDS}
        self.subjects = SubjectWords(self["interviewer"], self["helpers"], self["lead_ins"])
        self.acts: list[Act] = []
        for raw in acts:
            if raw.get("kind") not in _KINDS or raw.get("needs") not in _NEEDS:
                raise ValueError(f"coach acts: act {raw.get('id')!r} has an unknown kind or need")
            verbs = _texts(raw.get("verbs"), f"act {raw.get('id')!r}")
            self.acts.append(Act(str(raw["id"]), raw["kind"], raw["needs"], WordList(verbs)))
        every = [v for raw in acts for v in raw["verbs"]]
        self.verbs = WordList(every)
        self.openers = frozenset(t.word for v in every for t in tokens(v)[:1])
        # The acts worth trying at a word, in the order the data lists them.
        self.acts_opened_by = {
            word: tuple(a for a in self.acts if a.verbs.opens_with(word)) for word in self.openers}

    def __getitem__(self, name: str) -> WordList:
        try:
            return self.lists[name]
        except KeyError:
            raise ValueError(f"coach acts: the word list {name!r} is missing") from None


@functools.cache
def load_acts() -> ActRules:
    """The act words and the note model shipped with the app, read once per process."""
    return ActRules(json.loads(assets.read_text(ACTS_FILE)),
                    NoteModel.from_json(assets.read_text(MODEL_FILE)))


def find_acts(text: str, quoted: Callable[[int], bool], rules: ActRules | None = None,
              ) -> list[ActFinding]:
    """The interviewer's presenting, promising and leading acts that ``text`` records."""
    active = rules if rules is not None else load_acts()
    folded = fold_words(text)
    found: list[ActFinding] = []
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        # Most sentences hold no act verb at all; only the others are cut into tokens.
        words = _WORD.findall(folded, start, end)
        if not sentence.rstrip().endswith("?") and active.openers.isdisjoint(words) and not (
                words and (looks_like_a_verb(words[0]) or words[0] in _IRREGULAR_PAST)):
            continue
        if not _QUOTE_MARKS.isdisjoint(sentence):
            toks = tokens(text, start, end)
            found += _sentence_acts(toks, 0, len(toks), active, quoted)
        elif not quoted(start):
            # While a note is typed, its other sentences stay as they were: each is
            # read once and its findings kept.
            found += [dataclasses.replace(f, start=f.start + start, end=f.end + start)
                      for f in _sentence_findings(sentence, active)]
    return found


@functools.lru_cache(maxsize=4096)
def _sentence_findings(sentence: str, rules: ActRules) -> tuple[ActFinding, ...]:
    """The acts in one sentence without quotation marks, at offsets within it."""
    toks = tokens(sentence)
    return tuple(_sentence_acts(toks, 0, len(toks), rules, _never))


def clear_sentence_cache() -> None:
    """Forget the sentences read so far (the benchmark's cold reads use this)."""
    _sentence_findings.cache_clear()


def sentence_cache_info() -> functools._CacheInfo:
    """How often a sentence's findings were reused (hits) or worked out (misses)."""
    return _sentence_findings.cache_info()


def _never(_position: int) -> bool:
    return False


def _sentence_acts(toks: Sequence[Token], lo: int, hi: int, rules: ActRules,
                   quoted: Callable[[int], bool]) -> list[ActFinding]:
    found: list[ActFinding] = []
    index = lo
    others_spoke = -1
    openers = rules.openers
    while index < hi:
        if toks[index].word not in openers:
            index += 1
            continue
        size = rules.verbs.match(toks, index, hi)
        if not size or quoted(toks[index].start):
            index += 1
            continue
        if others_spoke < 0:
            others_spoke = _speaker_frame(toks, lo, hi, rules)
        finding = _act_at(toks, lo, hi, index, rules, others_spoke)
        if finding:
            found.append(finding)
            index = max(index + size, _index_after(toks, finding.end, hi))
        else:
            index += 1
    if not found and (other := _other_verb_claim(toks, lo, hi, rules)):
        found.append(other)
    found += _question_forms(toks, lo, hi, rules)
    if not found and rules.model is not None and (guess := _model_guess(toks, lo, hi, rules)):
        found.append(guess)
    return found


def names_our_visit_thing(text: str, start: int, end: int,
                          rules: ActRules | None = None) -> bool:
    """Whether the phrase from ``start`` to ``end`` speaks of "our" only to name one of
    the visit's own things or one of our people ("Introduced our product manager")."""
    owner = None
    for match in _WORD.finditer(text.lower(), start, end):
        if match.group() in {"our", "ours"}:
            owner = match
    if owner is None:
        return False
    active = rules if rules is not None else load_acts()
    toks = tokens(text, owner.end(), min(len(text), owner.end() + 80))
    return Rest(toks, 0, len(toks), len(toks), active).neutral_after(0)


def sentence_signs(toks: Sequence[Token], rules: ActRules) -> Signs:
    """What the rules know of one sentence's tokens, for the note model."""
    rest = Rest(toks, 0, len(toks), len(toks), rules)
    return Signs(
        neutral_first=bool(toks) and (rules["neutral_acts"].match(toks, 0, len(toks)) > 0
                                      or toks[0].word in _THEIR_REACTIONS),
        opens_on_a_verb=bool(toks) and (looks_like_a_verb(toks[0].word) or toks[0].word in (
            _IRREGULAR_PAST | _MORE_PAST | _AUXILIARY_OPENERS)) and not _describes_a_subject(toks),
        others_spoke=_speaker_frame(toks, 0, len(toks), rules) < len(toks),
        neutral_after=rest.neutral_after)


# what follows an opening verb of the interviewer's: its object, a particle, a clause
_AFTER_AN_ACT = frozenset("them the a an our my their his her its it us him me you to "
                          "through up out in on off over back about with that this these "
                          "those some every all how what why when where whether if each "
                          "both everyone everybody".split())


def _describes_a_subject(toks: Sequence[Token]) -> bool:
    """ "Mixed formats caused misrouted parcels…": the opening "-ed" word describes the
    subject of a verb that follows, so the note records what happened, not what we did."""
    if len(toks) < 3 or toks[1].word in _AFTER_AN_ACT or toks[1].is_mark:
        return False
    for t in toks[2:5]:
        if t.is_mark or t.word in ("and", "then", "or", "but"):
            return False
        if looks_like_a_verb(t.word) or t.word in _IRREGULAR_PAST | _MORE_PAST:
            return True
    return False


def _model_guess(toks: Sequence[Token], lo: int, hi: int, rules: ActRules,
                 ) -> ActFinding | None:
    sentence = toks[lo:hi]
    assert rules.model is not None
    guess = rules.model.guess(sentence, rules, sentence_signs(sentence, rules))
    if guess is None:
        return None
    last = hi
    while last > lo + 1 and toks[last - 1].is_mark:
        last -= 1
    return ActFinding(guess.kind, toks[lo].start, toks[last - 1].end, rules.reasons[guess.kind],
                      "model")


def _act_at(toks: Sequence[Token], lo: int, hi: int, index: int, rules: ActRules,
            others_spoke: int) -> ActFinding | None:
    who = speaker_of(toks, lo, index, rules.subjects)
    if others_spoke <= index and not (who is Speaker.INTERVIEWER and any(
            t.raw in _NEW_CLAUSE for t in toks[others_spoke:index])):
        # A customer's words, reported ("She said we'd promised…"), unless the
        # interviewer speaks up in a clause of their own ("They asked, so I explained…").
        return None
    if who is Speaker.SOMEONE_ELSE or _negated(toks, lo, index, rules):
        return None
    if index + 1 < hi and toks[index + 1].word in {"not", "never", "no", "nothing", "none"}:
        return None  # "Did not demo anything."
    sentence_stop = _sentence_stop(toks, index, hi)
    for act in rules.acts_opened_by[toks[index].word]:
        size = act.verbs.match(toks, index, hi)
        if not size or (act.needs == "will_do" and who is not Speaker.NOBODY):
            continue
        rest = Rest(toks, index + size, _clause_end(toks, index + size, hi), sentence_stop,
                     rules)
        end = _NEEDS[act.needs](rest, " ".join(t.word for t in toks[index:index + size]))
        if end is not None:
            kind = rest.kind_override or act.kind
            stop = max(index + size, end)
            while stop > index + size and toks[stop - 1].is_mark:
                stop -= 1  # the words at fault end on a word, not on its full stop
            last = toks[stop - 1]
            return ActFinding(kind, toks[index].start, last.end, rules.reasons[kind], act.act_id)
    return None


def _index_after(toks: Sequence[Token], position: int, hi: int) -> int:
    return min(hi, token_range(toks, position, position)[0])


def _sentence_stop(toks: Sequence[Token], index: int, hi: int) -> int:
    for at in range(index, hi):
        if toks[at].raw in HARD_STOPS and toks[at].raw != ":":
            return at
    return hi


def _clause_end(toks: Sequence[Token], index: int, hi: int) -> int:
    for at in range(index, hi):
        tok = toks[at]
        if tok.raw in HARD_STOPS or tok.raw == "," or (
                tok.word in _CLAUSE_WORDS and not (tok.word == "while" and at and
                                                   toks[at - 1].word == "a")):
            return at  # "a while" is a stretch of time, not a new clause
    return hi


def _negated(toks: Sequence[Token], lo: int, index: int, rules: ActRules) -> bool:
    begin = index
    while begin > lo and toks[begin - 1].raw not in HARD_STOPS and toks[begin - 1].raw != ",":
        begin -= 1
    at = begin
    while hit := rules["negation"].find(toks, at, index):
        if not rules["not_negation"].match(toks, hit[0], index):
            return True  # "Did not demo", but not "Couldn't help showing them…"
        at = hit[0] + hit[1]
    return False


def reported_before(text: str, start: int, end: int, position: int,
                    rules: ActRules | None = None) -> bool:
    """Whether the sentence from ``start`` to ``end`` hands someone else's words on before
    ``position``: "The CFO thinks our prices are fair", "Buyer: our app is slow"."""
    active = rules if rules is not None else load_acts()
    toks = tokens(text, start, end)
    frame = _speaker_frame(toks, 0, len(toks), active)
    if frame < len(toks) and toks[frame].start < position:
        return True
    # "They had already seen our roadmap": the customer's doing, unless the interviewer
    # comes in before the words ("…, so we showed them our roadmap").
    before = [t for t in toks if t.start < position]
    return _customer_opens(toks) and not any(t.word in _FIRST_PERSON for t in before)


def _customer_opens(toks: Sequence[Token]) -> bool:
    """Whether a sentence opens with the customer doing something: "They had seen…",
    "The buyer uses…", "Maria liked…" (not "Our new feature does…")."""
    if not toks:
        return False
    if toks[0].word in {"they", "he", "she", "they've", "they'd", "they're"}:
        return True
    if toks[0].word not in {"the", "their", "his", "her"} and not toks[0].raw[:1].isupper():
        return False
    for tok in toks[:5]:
        if tok.word in _FIRST_PERSON or tok.word in {"our", "ours", "us", "my"}:
            return False
        if looks_like_a_verb(tok.word) and tok is not toks[0]:
            return True
    return False


def _speaker_frame(toks: Sequence[Token], lo: int, hi: int, rules: ActRules) -> int:
    """The token index from which the sentence reports someone else's words, or ``hi``."""
    # "Plant manager: our dashboard is slow" and "The buyer said …" both hand the rest
    # of the sentence to the customer.
    for index in range(lo, min(lo + 5, hi)):
        if toks[index].raw == ":":
            head = [t.word for t in toks[lo:index]]
            if head and not rules["not_speakers"].covers(head):
                return index
            break
    for index in range(lo, hi):
        if toks[index].word in _REPORTING and subject_of(
                toks, lo, index, rules.subjects) is Speaker.SOMEONE_ELSE:
            return index
    return hi


_REPORTING = frozenset(
    "said says told tells mentioned mentions complained complains explained asked asks "
    "thinks think thought feels felt believes believed wants wanted wished hopes hoped "
    "expects expected claimed claims noted insisted argued described reported admitted "
    "recalled wondered prefers preferred needs needed likes liked loves hates "
    "suggested suggests pointed warned joked stressed confirmed agreed".split()
)


def _other_verb_claim(toks: Sequence[Token], lo: int, hi: int,
                      rules: ActRules) -> ActFinding | None:
    """A note that opens on a verb no act lists and then praises us ("Flagged that our
    ovens use 30 % less energy") or gives something away ("Threw a free month in"): the
    interviewer's doing too. Verbs of the customer's own reactions are left alone."""
    if hi - lo < 3:
        return None
    first = toks[lo]
    if first.word in _THEIR_REACTIONS or not (
            looks_like_a_verb(first.word) or first.word in _IRREGULAR_PAST):
        return None
    rest = Rest(toks, lo + 1, _sentence_stop(toks, lo + 1, hi), hi, rules)
    if rest.to_us():
        return None
    if first.word in rules.openers:
        # An act's verb whose own words did not make it one: only the plainest case
        # counts, something of ours handed over ("Pushed our analytics add-on").
        return _our_thing_handed_over(toks, lo, hi, rest, rules)
    end = rest.sentence_stop
    while end > lo + 1 and toks[end - 1].is_mark:
        end -= 1
    claim = rules["claim"].find(toks, lo + 1, end)
    negation = rules["negation"].find(toks, lo + 1, end)
    if negation and not (claim and claim[0] <= negation[0] < claim[0] + claim[1]):
        return None  # "Stressed that we do not…", but not "…never jam"
    if rest.has("strong_deal", lo + 1, end) is not None:
        kind = "promise"
    elif claim and rest.ours(lo + 1) is not None and rest.has("follow_up", lo + 1, end) is None:
        kind = "pitch"
    else:
        return _our_thing_handed_over(toks, lo, hi, rest, rules)
    return ActFinding(kind, first.start, toks[end - 1].end, rules.reasons[kind], "other-verb")


def _our_thing_handed_over(toks: Sequence[Token], lo: int, hi: int, rest: Rest,
                           rules: ActRules) -> ActFinding | None:
    """A note that opens on the interviewer's verb and names something of ours as what
    they dealt in: "Went into detail on our patented weave", "Played up our uptime".
    The interviewer's neutral acts ("Asked how our scanners hold up", "Listened to their
    complaints about our invoices") and the visit's own things ("our notes") stay quiet."""
    first = toks[lo]
    if rules["neutral_acts"].match(toks, lo, hi) or first.word in _THEIR_REACTIONS:
        return None
    if _speaker_frame(toks, lo, hi, rules) < hi:
        return None  # "…, our scanners are faster, they said": the customer's words
    stop = rest.sentence_stop
    if rest.has("follow_up", lo + 1, stop) is not None or rest.has("readback", lo + 1, stop):
        return None
    if (negation := rules["negation"].find(toks, lo + 1, stop)) and not rules[
            "not_negation"].match(toks, negation[0], stop):
        return None
    if (end := rest.our_thing(lo + 1, stop)) is None:
        return None
    return ActFinding("pitch", first.start, toks[end - 1].end, rules.reasons["pitch"],
                      "other-verb-ours")


# Past forms that do not end in -ed, and verbs that report the customer's own reaction.
_IRREGULAR_PAST = frozenset("threw drew wrote spoke put set sold lent swore bet slipped "
                            "kept held led".split())
_THEIR_REACTIONS = frozenset(
    "complained praised liked loved hated wanted wished preferred agreed disagreed "
    "confirmed admitted worried feared doubted questioned criticised criticized grumbled "
    "joked laughed smiled welcomed appreciated thanked valued rated ranked chose picked "
    "bought paid ordered used tried tested reported noticed observed noted watched "
    "visited counted photographed recorded listened learned learnt heard saw seemed "
    "appeared looked switched moved dropped signed renewed upgraded returned stopped "
    "started replaced decided considered evaluated trialled trialed piloted installed "
    "deployed implemented adopted hired struggled managed needed expected hoped "
    "believed claimed insisted argued".split())


# More past forms a note can open on, and the lead-ins before one ("Couldn't help…").
_MORE_PAST = frozenset("let brought began sang spoke told showed shown drove flew found gave "
                       "left lost meant met paid read said sat sent shared slid stood struck "
                       "swung taught thought threw understood won wound dug fed hung".split())
_AUXILIARY_OPENERS = frozenset("couldn't can't cannot could".split())


def _question_forms(toks: Sequence[Token], lo: int, hi: int, rules: ActRules,
                    ) -> list[ActFinding]:
    """A question written into a note that hands over its answer: "I guess … is painful?",
    "…, right?"."""
    if hi - lo < 3 or toks[hi - 1].raw != "?":
        return []
    if size := rules["guess_openers"].match(toks, lo, hi):
        return [ActFinding("leading", toks[lo].start, toks[lo + size - 1].end,
                           rules.reasons["leading"], "guess")]
    for index in range(hi - 2, max(lo, hi - 5), -1):
        size = rules["tags"].match(toks, index + 1, hi - 1) if toks[index].raw == "," else 0
        if size and index + 1 + size == hi - 1:
            return [ActFinding("leading", toks[index + 1].start, toks[hi - 1].end,
                                   rules.reasons["leading"], "tag")]
    return []


def _texts(raw: Any, where: str) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(x, str) and x.strip() for x in raw):
        raise ValueError(f"coach acts: {where} must be a list of words")
    return [x.strip() for x in raw]

