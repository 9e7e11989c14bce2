"""What an interviewer act needs after its verb to count (see :mod:`note_acts`).

Each check reads the words after the verb (a ``rest``: its tokens up to the end of the
clause, and word lists from ``coach_acts.json``) and answers with the token index just
past the evidence, or None when the words do not make the act a pitch, a promise or a
leading question. A check may say that the act is of another kind than its verb's:
"Told them we'll waive the fee" is a promise, "Told them our scanners beat Zebra" a pitch.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Protocol

from voc_desktop.domain.coaching.note_words import Token, WordList


class WordLists(Protocol):
    """The act words by list name (``coach_acts.json``)."""

    def __getitem__(self, name: str) -> WordList: ...


_AFTER_OBJECT = frozenset("through thru to on that if whether into towards toward about "
                          "know".split())
_THROUGH = frozenset(("through", "thru"))
_THEIR_CLAUSE = frozenset("they he she their his her".split())
_QUOTES = frozenset('"\u201c\u201d\u201e\u00ab\u00bb')
_QUALIFIERS = frozenset("next last first second own new whole usual two three".split())


class Rest:
    """The words after an act's verb, up to the end of its clause."""

    def __init__(self, toks: Sequence[Token], lo: int, stop: int, sentence_stop: int,
                 rules: WordLists) -> None:
        self.toks, self.lo, self.stop, self.rules = toks, lo, stop, rules
        self.sentence_stop = max(stop, sentence_stop)  # some acts read past a comma
        self.kind_override: str | None = None

    def words(self, lo: int | None = None, hi: int | None = None) -> list[str]:
        return [t.word for t in self.toks[self.lo if lo is None else lo:
                                          self.stop if hi is None else hi]]

    def has(self, name: str, lo: int | None = None, hi: int | None = None) -> int | None:
        """The token index just past the first phrase of list ``name`` in range, if any."""
        hit = self.rules[name].find(self.toks, self.lo if lo is None else lo,
                                    self.stop if hi is None else hi)
        return hit[0] + hit[1] if hit else None

    def object_end(self) -> int:
        """Past a short object such as "them", "the buyer" or "Maria", if one comes first."""
        index = self.lo
        first = self.toks[index].word if index < self.stop else ""
        if first in {"them", "him", "her", "everyone", "everybody"}:
            return index + 1
        if first in {"the", "their", "our", "a", "two", "both", "all"} or (
                index < self.stop and self.toks[index].raw[:1].isupper()):
            for end in range(index + 1, min(index + 4, self.stop) + 1):
                if end < self.stop and self.toks[end].word in _AFTER_OBJECT:
                    return end
        return index

    def pronoun_end(self) -> int:
        """Past "them", "him" or "her" when the words start with one of those."""
        first = self.toks[self.lo].word if self.lo < self.stop else ""
        return self.lo + 1 if first in {"them", "him", "her"} else self.lo

    def to_us(self) -> bool:
        return self.lo < self.stop and self.rules["us"].match(self.toks, self.lo, self.stop) > 0

    def neutral_after(self, index: int) -> bool:
        """Whether the words at ``index`` (after "our") name something of the visit or one
        of our people rather than a thing we sell: "our notes", "our account manager"."""
        return self.visit_thing_end(index) is not None

    def visit_thing_end(self, index: int) -> int | None:
        """Past the visit's thing or our person named at ``index``, if one is."""
        at = index
        while at < self.sentence_stop and at < index + 3 and self.toks[at].word in _QUALIFIERS:
            at += 1
        if at < self.sentence_stop and (
                size := self.rules["not_ours"].match(self.toks, at, self.sentence_stop)):
            return at + size
        return None

    def our_thing(self, lo: int, hi: int) -> int | None:
        """Past "our" (or "ours") and the thing of ours it names, or past something only
        a seller brings (a roadmap, a deck), when one is named in range and it is not one
        of the visit's own things; None otherwise."""
        for index in range(lo, hi):
            tok = self.toks[index]
            if tok.raw in _QUOTES or self.rules["theirs"].match(self.toks, index, hi):
                return None
            if tok.word in {"our", "ours"} and index + 1 < hi and not self.toks[index + 1].is_mark:
                if not self.neutral_after(index + 1):
                    return index + 2
            elif size := self.rules["new_things"].match(self.toks, index, hi):
                return index + size  # "the roadmap slides", "the case study"
        return None

    def thing(self, lo: int) -> bool:
        """Whether a thing we sell is named (not just "we"): "the feature", "TrackPro"."""
        for index in range(lo, self.sentence_stop):
            tok = self.toks[index]
            if tok.looks_like_a_product or (
                    tok.word not in _FIRST_PERSON and self.rules["ours"].match(
                        self.toks, index, self.sentence_stop)):
                return True
        return False

    def ours(self, lo: int | None = None) -> int | None:
        """Past the first sign that the clause is about something of ours."""
        begin = self.lo if lo is None else lo
        if self.has("readback", begin) is not None:
            return None
        index, skip_to = begin, begin
        for index in range(begin, self.stop):
            if index < skip_to:
                continue
            tok = self.toks[index]
            if tok.word in {"our", "ours"} and (past := self.visit_thing_end(index + 1)):
                skip_to = past  # "our notes", "our product manager": not a thing we sell
                continue
            if tok.looks_like_a_product or tok.word in {"our", "ours", "we", "we're", "we've",
                                                        "we'd", "we'll"}:
                return index + 1
            if tok.raw in _QUOTES or self.rules["theirs"].match(self.toks, index, self.stop):
                return None
            if size := self.rules["ours"].match(self.toks, index, self.stop):
                after = self.toks[index + size].word if index + size < self.stop else ""
                if after in _THEIR_CLAUSE:
                    return None  # "the system they use", "the dashboard she built"
                return index + size
        return None



_FIRST_PERSON = frozenset("we i we'll we'd i'll i'd we're i'm we've it'll that'll".split())
_CONTRACTED_FUTURE = frozenset("we'll we'd i'll i'd".split())
_MARKS = frozenset(":,\"'\u201c\u201d\u2018\u2019")
_NEGATIVE_AUX = frozenset("wouldn't don't isn't aren't won't doesn't didn't can't "
                          "shouldn't haven't hasn't wasn't weren't".split())
_WOULD_HELP = re.compile(
    r"\b(?:would|could|will|might|wouldn't|'d|can)\b.{0,80}\b(?:help|helps|useful|helpful|"
    r"easier|save|saves|solve|worth|better|simplify|simpler|fix|speed|improve|make sense|"
    r"appeal|interest|benefit|good idea|make (?:their|his|her|your) (?:life|day|job)|"
    r"make a difference|be nice|be good|be faster|cut|free up|reduce|quicker|faster|less|more "
    r"efficient|pay off|good fit|worthwhile|work better|valuable|of value|welcome|appreciated|"
    r"prevent|prevented|avoid|avoided|have stopped|have saved|have helped|game changer|"
    r"peace of mind|reassure|"
    r"game-changer|big difference|a win)\b")
_LOADED = re.compile(r"\b(?:frustrated|annoyed|irritated|disappointed|unhappy|fed up|"
                     r"frustrating|annoying|painful|a pain|a nightmare|a headache|a hassle|"
                     r"irritating|stressful|tedious|holding (?:\w+ )?back|slowing|killing|"
                     r"driving (?:\w+ )?(?:mad|crazy)|fed up|sick of|tired of|as bad as|so bad|"
                     r"that bad|really bad|too (?:often|slow|much|long|many|expensive|complicated|"
                     r"hard|late)|(?:big|real|huge|major|constant|massive) (?:headache|"
                     r"nightmare|pain|hassle|problem|issue|bottleneck))\b")
_AGREE = re.compile(r"\b(?:agree|agreed|agrees|admit|concede|confirm)\b")
_NEGATIVE = re.compile(r"\b(?:didn't|don't|doesn't|wasn't|isn't|aren't|wouldn't|weren't|"
                       r"hadn't|haven't)\b")
_THEY_WOULD = re.compile(
    r"\b(?:they|he|she|you|(?:the|their|your) \w+)(?:'d| would| might| could| will|'ll)"
    r"(?: \w+)?\b.{0,30}\b(?:buy|pay|switch|use|prefer|like|want|be interested|consider|try|"
    r"adopt|sign|upgrade|recommend|love|go for|choose|need|be willing|be open|be happier|"
    r"be better off|find it easier)\b")
_MAIN_PROBLEM = re.compile(r"\b(?:real|main|biggest|major|root) (?:problem|issue|headache|"
                           r"bottleneck|pain|cause)\b")
_HOW_LOADED = re.compile(
    r"^how (?:badly|frustrating|painful|annoying|awful|terrible|bad|irritating|fed up|tired|"
    r"stressful|tedious|exhausting|chaotic|messy|"
    r"much (?:easier|better|faster|simpler|quicker|smoother|happier)|"
    r"many (?:hours|days|minutes|people|orders) (?:\S+ ){0,8}?(?:waste|wastes|lose|loses|lost|"
    r"steal|steals|eat|eats|cost|costs)|"
    r"big a problem|hard it is|much (?:time|money|effort|pain)? ?(?:\S+ ){0,9}?(?:waste|"
    r"wasting|wasted|wastes|lose|losing|loses|lost|costing|costs|cost them|hurts|hurting|eats|"
    r"eating))\b")
_CAUSE = re.compile(r"\b(?:is|are|was|were|come|comes|came|must|probably|caused|down to|due|"
                    r"because|real|main|problem|issue|cause|might be|could be|likely|surely|"
                    r"obviously|the reason|bottleneck)\b")
_TRY = frozenset("switch try use move look consider buy upgrade go adopt sign trial test "
                 "pilot take check choose".split())
_AGREE_WORDS = frozenset("agree admit confirm concede say accept commit acknowledge imagine "
                         "picture".split())
_STEER = frozenset("pushed pressed nudged steered led coaxed prodded talked".split())


def _nothing(rest: Rest, verb: str) -> int | None:
    if rest.to_us():
        return None
    if rest.lo < rest.stop and rest.rules["theirs"].match(rest.toks, rest.lo, rest.stop) and (
            rest.ours() is None):
        return None
    return rest.lo


def _demo(rest: Rest, verb: str) -> int | None:
    if rest.to_us():
        return None
    for index in range(rest.pronoun_end(), min(rest.lo + 7, rest.stop)):
        if rest.rules["theirs"].match(rest.toks, index, rest.stop):
            return None
        if size := rest.rules["demo_words"].match(rest.toks, index, rest.stop):
            return index + size
    return None


def _person_through(rest: Rest, verb: str) -> int | None:
    if rest.to_us() or rest.lo >= rest.stop:
        return None
    if rest.toks[rest.lo].word in _THROUGH:
        return rest.ours(rest.lo + 1)
    after = rest.object_end()
    if after == rest.lo or after >= rest.stop or rest.toks[after].word not in _THROUGH:
        return None
    if rest.has("readback", after) is not None:
        return None
    if rest.rules["theirs"].match(rest.toks, after + 1, rest.stop):
        return rest.ours(after + 2)
    return rest.stop


def _ours(rest: Rest, verb: str) -> int | None:
    if verb.endswith(" our"):  # "presented our …": the verb already names it
        return rest.lo
    if rest.to_us() or (verb == "let" and _LET_TRY.isdisjoint(rest.words(rest.lo,
                                                                       rest.lo + 5))):
        return None  # only "let them try / have a go on …"; "let them know" is telling
    lo = rest.pronoun_end()
    if _plain_negation(rest, lo):
        return None  # "Stressed that we do not sell their data"
    found = rest.ours(lo)
    if found is None and verb in _SHOWING and any(
            t.word in _NEW_ONLY for t in rest.toks[lo:min(lo + 3, rest.stop)]):
        return min(lo + 3, rest.stop)  # "Highlighted the new energy-saving mode"
    return found


def _plain_negation(rest: Rest, lo: int) -> bool:
    """A "not" or "never" that takes the act back, rather than praise such as "we've never
    had a recall" or "our scanners never jam"."""
    hit = rest.rules["negation"].find(rest.toks, lo, rest.stop)
    if hit is None or rest.toks[hit[0]].word == "without":
        return False  # "works without signal" praises; it takes nothing back
    at = hit[0]
    claim = rest.rules["claim"].find(rest.toks, lo, rest.stop)
    if claim and claim[0] <= at < claim[0] + claim[1]:
        return False
    after = {t.word for t in rest.toks[at + 1:min(at + 4, rest.stop)]}
    return after.isdisjoint(_BAD_THINGS)


_BAD_THINGS = frozenset("recall recalls outage outages breach breaches complaint complaints "
                        "failure failures breakdown breakdowns downtime incident incidents "
                        "crash crashes leak leaks".split())


def _compare(rest: Rest, verb: str) -> int | None:
    for index in range(rest.lo, min(rest.lo + 4, rest.stop)):
        if rest.toks[index].word in {"our", "ours", "us", "we"}:
            return index + 1
    return None


def _claim_or_promise(rest: Rest, verb: str) -> int | None:
    if rest.to_us():
        return None
    lo, stop = rest.object_end(), rest.sentence_stop
    if verb == "let":
        if lo >= stop or rest.toks[lo].word != "know":
            return None
        lo += 1
    words = rest.words(lo, stop)
    ours = rest.ours(lo)
    claim = ours is not None and rest.has("claim", rest.lo, stop) is not None
    if (claim or rest.has("us_claims", rest.lo, stop) is not None) and rest.has(
            "deal", lo, stop) is None and rest.has("dates", lo, stop) is None:
        return stop
    dated = (rest.has("dates", lo, stop) is not None or _first_person_future(words)
             or "will" in words)
    if rest.has("follow_up", lo, stop) is None and (
            rest.has("strong_deal", lo, stop) is not None or
            (dated and (rest.has("make_words", lo, stop) or rest.thing(lo))) or (
            rest.has("deal", lo, stop) and (dated or rest.has("future", lo, stop)))):
        rest.kind_override = "promise"
        return stop
    if claim:
        return stop
    if len(words) > 1 and words[0] in {"how", "about", "that"} and words[1] in {"our", "ours"}:
        return stop
    if verb in _PRESENTING and _named_new(rest, lo, min(lo + 7, stop)) and (
            rest.has("negation", lo, stop) is None):  # not "Told them I can't comment on …"
        return stop  # "Described the roadmap for the API", "Told them about the new version"
    return None


def _named_new(rest: Rest, lo: int, stop: int) -> bool:
    """Something of ours named as new, or a thing only we would present (a roadmap, a deck)."""
    toks = rest.toks
    for index in range(lo, stop):
        if rest.rules["new_things"].match(toks, index, stop) or toks[index].looks_like_a_product:
            return True
        if toks[index].word == "our" and index + 1 < stop and toks[index + 1].word in _NEW_ONLY:
            return True  # "our new partnership"
        if toks[index].word in _NEW and any(
                rest.rules["ours"].match(toks, after, stop)
                or toks[after].word in {"version", "release", "features", "feature"}
                for after in range(index + 1, min(index + 3, stop))):
            return True  # "the new version", "the new mobile features"
    return False


_PRESENTING = frozenset(("told", "telling", "tell", "described", "describing", "explained",
                         "explaining", "explain", "mentioned", "mentioning", "let slip"))
_NEW = frozenset("our new upcoming latest next".split())
_LET_TRY = frozenset("try test use have play hold touch see drive trial".split())
_NEW_ONLY = frozenset("new upcoming latest next-generation".split())
# Verbs of putting something before them: with these, "the new …" is ours ("talked about
# the new plant" may well be theirs).
_SHOWING = frozenset("showed show showing shown shows highlighted highlighting introduced "
                     "unveiled announced presented presenting present presents".split())


def _first_person_future(words: list[str]) -> bool:
    if not _CONTRACTED_FUTURE.isdisjoint(words):
        return True
    if any(a in _THEY_GET and b in {"get", "have", "receive", "see", "be"}
           for a, b in zip(words, words[1:], strict=False)):
        return True  # "Told her she'd get priority support"
    if any(a in {"we", "i"} and b in _MODALS for a, b in zip(words, words[1:], strict=False)):
        return True
    return any(word == "our" and index + 2 < len(words) and words[index + 1] in _OUR_PEOPLE
               and words[index + 2] in _MODALS
               for index, word in enumerate(words))  # "our team would build …"


_OUR_PEOPLE = frozenset("team engineers engineer support developers people staff technicians "
                        "technician experts consultants".split())


_THEY_GET = frozenset("they'd she'd he'd you'd they'll she'll he'll you'll".split())
_MODALS = frozenset("will would can could shall".split())


def _suggest_ours(rest: Rest, verb: str) -> int | None:
    index, stop = rest.lo, rest.stop
    if index < stop and rest.toks[index].word == "that":
        index += 1
    if index < stop and rest.toks[index].word in {"they", "them", "he", "she", "him", "her",
                                                  "the", "their"}:
        index += 1 if rest.toks[index].word != "the" else 2
    while index < stop and rest.toks[index].word in {"should", "could", "might", "would",
                                                     "to", "maybe", "perhaps", "at", "least"}:
        index += 1
    if index < stop and rest.toks[index].word in _TRY:
        return rest.ours(index + 1)
    if rest.lo < stop and rest.toks[rest.lo].word in {"our", "the", "a"}:
        found = rest.ours()
        return found if found is not None and found <= rest.lo + 4 else None
    return None


def _not_follow_up(rest: Rest, verb: str) -> int | None:
    if rest.to_us() or rest.has("follow_up", rest.lo, rest.sentence_stop) is not None:
        return None
    if verb.startswith("knock") and "off" not in rest.words():
        return None
    return min(rest.stop, rest.lo + 8)


def _deal(rest: Rest, verb: str) -> int | None:
    if rest.to_us() or rest.has("follow_up", rest.lo, rest.sentence_stop) is not None:
        return None
    if rest.rules["make_words"].match(rest.toks, rest.lo, rest.stop) and verb.endswith(" to"):
        return rest.lo + 1
    after = rest.object_end()
    if after + 1 < rest.stop and rest.toks[after].word == "to" and (
            rest.rules["make_words"].match(rest.toks, after + 1, rest.stop)):
        return after + 2
    return rest.has("deal", rest.lo, rest.sentence_stop) or rest.has(
        "strong_deal", rest.lo, rest.sentence_stop)


def _will_do(rest: Rest, verb: str) -> int | None:
    index = rest.lo
    while index < rest.stop and rest.rules["helpers"].match(rest.toks, index, rest.stop) and (
            not rest.rules["make_words"].match(rest.toks, index, rest.stop)):
        index += 1
    if not rest.rules["make_words"].match(rest.toks, index, rest.stop):
        return None
    stop = rest.sentence_stop
    if rest.has("follow_up", rest.lo, stop) is not None:
        return None
    return (rest.has("deal", index, stop) or rest.has("dates", index, stop)
            or rest.has("for_them", index, stop) or rest.ours(index))


def _leading_if(rest: Rest, verb: str) -> int | None:
    if rest.to_us():
        return None
    index = rest.object_end()
    while index < rest.sentence_stop and rest.toks[index].raw in _MARKS:
        index += 1
    if index >= rest.sentence_stop:
        return None
    stop = rest.sentence_stop
    first = rest.toks[index].word
    body = " ".join(rest.words(index + 1, stop))
    if first in {"if", "whether"}:
        hit = (_WOULD_HELP.search(body) or _AGREE.search(body) or _NEGATIVE.search(body)
               or _THEY_WOULD.search(body) or _MAIN_PROBLEM.search(body)
               or _LOADED.search(body))
        return stop if hit else None
    if first in _NEGATIVE_AUX:
        return stop
    if first in {"would", "could", "will", "might"}:
        return stop if (_WOULD_HELP.search(first + " " + body) or _THEY_WOULD.search(
            "you would " + body)) else None
    if first == "how":
        return stop if _HOW_LOADED.search("how " + body) else None
    if first == "to" and body.split(" ", 1)[0] in _AGREE_WORDS:
        return index + 2
    return None


def _suggest_that(rest: Rest, verb: str) -> int | None:
    if rest.to_us() or rest.stop - rest.lo < 3:
        return None
    if rest.has("follow_up", rest.lo, rest.sentence_stop) is not None:
        return None
    if _suggest_ours(rest, verb) is not None or rest.has("logistics", rest.lo,
                                                        min(rest.lo + 4, rest.stop)):
        return None
    start = rest.object_end() if not verb.startswith("suggest") else rest.lo
    if start < rest.stop and rest.toks[start].word == "that":
        return rest.stop
    return rest.stop if _CAUSE.search(" ".join(rest.words())) else None


def _agree_to(rest: Rest, verb: str) -> int | None:
    after = rest.object_end()
    if after == rest.lo or after + 1 >= rest.stop + 1 or after >= len(rest.toks):
        return None
    word = rest.toks[after].word
    if word == "to" and after + 1 < rest.sentence_stop and (
            rest.toks[after + 1].word in _AGREE_WORDS):
        return after + 2
    if verb in _STEER and word in {"towards", "toward", "into"}:
        return min(after + 3, rest.sentence_stop)
    return None


NEEDS: dict[str, Callable[[Rest, str], int | None]] = {
    "nothing": _nothing,
    "demo": _demo,
    "person_through": _person_through,
    "ours": _ours,
    "compare": _compare,
    "claim_or_promise": _claim_or_promise,
    "suggest_ours": _suggest_ours,
    "not_follow_up": _not_follow_up,
    "deal": _deal,
    "will_do": _will_do,
    "leading_if": _leading_if,
    "suggest_that": _suggest_that,
    "agree_to": _agree_to,
}
