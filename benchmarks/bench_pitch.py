"""Time of one `detect()` call, the pitch check the note editor runs on every keystroke.

    python benchmarks/bench_pitch.py [--repeat 7] [--number 200]

Prints the best of --repeat runs of --number calls, in milliseconds per call, for a
300-word note, a 2.6 KB note and a paragraph that raises flags. The "full scan" column is
the same rules with every pattern tried at every position, for comparison.
"""

from __future__ import annotations

import argparse
import dataclasses
import timeit

from voc_desktop.domain.pitch import PitchRules, detect, load_rules

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
    "300-word note": NOTE_300_WORDS,
    "2.6 KB note": NOTE_2_6_KB[:2600],
    "flagged paragraph": FLAGGED_PARAGRAPH,
}


def full_scan(rules: PitchRules) -> PitchRules:
    """The same rules without the shortcuts: every pattern tried at every position."""
    plain = tuple(dataclasses.replace(rule, scans=()) for rule in rules.rules)
    return dataclasses.replace(rules, rules=plain, reported_speech_scans=())


def ms_per_call(text: str, rules: PitchRules, repeat: int, number: int) -> float:
    runs = timeit.repeat(lambda: detect(text, rules), repeat=repeat, number=number)
    return min(runs) / number * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--number", type=int, default=200)
    args = parser.parse_args()
    rules = load_rules()
    slow = full_scan(rules)
    print(f"{'text':<20}{'chars':>7}{'words':>7}{'flags':>7}{'ms/detect':>12}{'full scan':>12}")
    for name, text in TEXTS.items():
        fast_ms = ms_per_call(text, rules, args.repeat, args.number)
        slow_ms = ms_per_call(text, slow, max(1, args.repeat // 2), max(1, args.number // 20))
        flags = len(detect(text, rules))
        words = len(text.split())
        print(f"{name:<20}{len(text):>7}{words:>7}{flags:>7}{fast_ms:>12.3f}{slow_ms:>12.2f}")


if __name__ == "__main__":
    main()
