"""Time of one `detect()` call, the coach's check that the note editor runs on every
keystroke, and the coach's figures on the held-out part of its labelled corpus.

    python benchmarks/bench_pitch.py [--calls 2000] [--no-figures]

Prints, in milliseconds, the median and the best of --calls single calls (the machine
this runs on is shared, so the best is the figure to compare) for a 1,000-character
interview note, a 300-word note, a 2.6 KB note and a paragraph that raises flags. "cold"
reads every sentence afresh (a note pasted or opened); "typing" is the same call again,
when only an edited sentence would be read anew; "phrases only" leaves out the
interviewer-act check; "full scan" is the phrase rules with every pattern tried at every
position, for comparison. Then the figures per kind on the held-out part of
tests/domain/coaching/coach_corpus/ (see tests/support/coach_corpus.py).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import timeit
from collections.abc import Callable
from pathlib import Path

from voc_desktop.domain.coaching import note_acts
from voc_desktop.domain.coaching.pitch import PitchRules, detect, load_rules

NOTE_1000_CHARS = (
    "Visit to the Aachen plant with the maintenance lead. The line stops twice a shift "
    "for a changeover; the planner keeps the schedule on a whiteboard and copies it into "
    "a spreadsheet at seven. She said our scanners are slow to pair and that Siemens "
    "offered them a volume discount last spring. Asked how they decide which orders go "
    "first; she described the Tuesday rush in detail. Walked the buyer through the pricing "
    "page and showed them the new dashboard. Promised we'd add a Salesforce export by "
    "spring. Asked if automating the audit would help. The operators log scrap on paper "
    "and type it up on Fridays, so nobody can tie it to a run. \"Your support answers "
    "within the hour,\" said the shift lead. Took photos of the stock room and the dispatch "
    "board. Maintenance is called by radio and nobody records how long they wait. Next "
    "visit after their audit in March; will send the summary by Friday. They want one "
    "place to see the plan, and the CFO wants the plan tied to the orders."
)

NOTE_300_WORDS = (
    "They said the line changeover takes too long because the seals are swapped by hand " * 20
)

NOTE_2_6_KB = (
    "Visit to the Leeds plant, packaging line 3. The shift lead walked us through a normal "
    "morning: the first order is planned the evening before on a whiteboard, and the planner "
    "copies it into a spreadsheet when she arrives at seven. Changeovers between bottle sizes "
    "take 40 to 55 minutes because the guide rails and seals are swapped by hand; the night "
    "shift often leaves the last changeover for the morning crew.\n"
    "- Operators keep a paper log of stoppages and type it up on Fridays.\n"
    "- Maintenance is called by radio; nobody records how long they wait.\n"
    "- Scrap is weighed once a day, so nobody can tie it to a particular run.\n"
    "When asked what a bad day looks like, the shift lead described a Tuesday in March when "
    "two urgent orders arrived after the plan was fixed. They re-planned on paper, the labels "
    "for the second order were wrong, and the team worked until nine to ship it. She said the "
    "hardest part is not the work itself but finding out what changed and who changed it. "
) * 3

FLAGGED_PARAGRAPH = (
    "They said the changeover takes too long. Let me show you our new dashboard, it handles "
    "that. The planner updates the whiteboard by hand every morning. Don't you think a screen "
    "would be better? Orders pile up at the dock on Fridays. "
) * 4

TEXTS = {
    "1,000-char note": NOTE_1000_CHARS,
    "300-word note": NOTE_300_WORDS,
    "2.6 KB note": NOTE_2_6_KB[:2600],
    "flagged paragraph": FLAGGED_PARAGRAPH,
}


def full_scan(rules: PitchRules) -> PitchRules:
    """The same phrase rules without the shortcuts: every pattern tried at every position."""
    plain = tuple(dataclasses.replace(rule, scans=()) for rule in rules.rules)
    return dataclasses.replace(rules, rules=plain, reported_speech_scans=(), acts=None)


def ms_per_call(call: Callable[[], object], calls: int) -> tuple[float, float]:
    """Median and best of ``calls`` single calls, in milliseconds."""
    times = sorted(timeit.repeat(call, repeat=calls, number=1))
    return times[len(times) // 2] * 1000, times[0] * 1000


def cold(text: str, rules: PitchRules) -> Callable[[], None]:
    def check() -> None:
        note_acts.clear_sentence_cache()
        detect(text, rules)
    return check


def print_speed(calls: int) -> None:
    rules = load_rules()
    phrases = dataclasses.replace(rules, acts=None)
    slow = full_scan(rules)
    print(f"{'ms per call, median / best':<28}{'chars':>6}{'flags':>6}{'cold':>15}"
          f"{'typing':>15}{'phrases only':>15}{'full scan':>11}")
    for name, text in TEXTS.items():
        timed = [ms_per_call(cold(text, rules), calls),
                 ms_per_call(lambda t=text: detect(t, rules), calls),
                 ms_per_call(lambda t=text: detect(t, phrases), calls)]
        slow_ms = ms_per_call(lambda t=text: detect(t, slow), max(3, calls // 100))[0]
        cells = "".join(f"{f'{median:.3f} / {best:.3f}':>15}" for median, best in timed)
        print(f"{name:<28}{len(text):>6}{len(detect(text, rules)):>6}{cells}{slow_ms:>11.2f}")


def print_figures() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from support.coach_corpus import NOTE_KINDS, QUESTION_KINDS, figures

    for name, kinds in (("notes", NOTE_KINDS), ("questions", QUESTION_KINDS)):
        result = figures(name)
        print(f"\n{name}, held-out part: {result.caught} of {result.bad} bad caught "
              f"({result.recall:.1%}), {result.false_flags} of {result.good} good flagged "
              f"({result.false_flag_rate:.1%}), kind named right for {result.kind_named} "
              f"of {result.caught} ({result.kind_accuracy:.1%}; first kind "
              f"{result.first_kind_accuracy:.1%})")
        for kind in kinds:
            precision, recall = result.precision_recall(kind)
            labelled = result.per_kind[kind][0]
            print(f"  {kind:<13} {labelled:>4} rows   precision {precision:6.1%}   "
                  f"recall {recall:6.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--no-figures", action="store_true",
                        help="only the timings, not the corpus figures")
    args = parser.parse_args()
    print_speed(args.calls)
    if not args.no_figures:
        print_figures()


if __name__ == "__main__":
    main()
