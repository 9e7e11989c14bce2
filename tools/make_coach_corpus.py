"""Write the labelled coach corpus under tests/domain/coaching/coach_corpus/.

    python tools/make_coach_corpus.py [--per-kind 300]

Notes (pitch, promise, leading, clean) and guide questions (leading, closed, double,
hypothetical, pitch, good) come from two sources: templates whose slots are filled from
word lists of many industries, and sentences written out by hand. Every line of the JSON
Lines files holds ``text``, ``kind``, ``source`` (the template or "hand") and ``part``:
``tune`` or ``held_out``. The part follows a stable hash of the source, so all sentences
of one template land on the same side: the held-out part is made of templates the rules
were never tuned on, plus a share of the hand-written sentences, plus every "fresh" one
(tools/coach_corpus_fresh.py: written after tuning, and never tuned on). Notes written
only to train the note model (tools/coach_corpus_train.py) come last, all in the tuning
part. The same seed always writes the same files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from coach_corpus_fresh import FRESH_NOTES, FRESH_QUESTIONS  # noqa: E402
from coach_corpus_notes import NOTE_TEMPLATES, NOTES_BY_HAND  # noqa: E402
from coach_corpus_questions import QUESTION_TEMPLATES, QUESTIONS_BY_HAND  # noqa: E402
from coach_corpus_train import TRAIN_NOTES  # noqa: E402
from coach_corpus_words import WORDS  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "tests" / "domain" / "coaching" / "coach_corpus"
HELD_OUT_SHARE = 3  # one source in three is held out
_CHOICE = re.compile(r"\{([^{}]*)\}")
_SLOT = re.compile(r"\$([A-Z0-9]+)")


def part_of(source: str) -> str:
    """``held_out`` for one source in three, by a hash that never changes between runs."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "held_out" if digest[0] % HELD_OUT_SHARE == 0 else "tune"


def fill(template: str, rng: random.Random) -> str:
    text = _CHOICE.sub(lambda m: rng.choice(m.group(1).split("|")), template)
    text = _SLOT.sub(lambda m: rng.choice(WORDS[m.group(1)]), text)
    text = re.sub(r"\s+([.,;?!])", r"\1", re.sub(r" {2,}", " ", text)).strip()
    return text[0].upper() + text[1:]


def build(templates: dict[str, list[str]], by_hand: dict[str, list[str]],
          fresh: dict[str, list[str]], per_kind: int, seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    for kind, sentences in fresh.items():
        for text in sentences:
            if text not in seen:
                seen.add(text)
                rows.append({"text": text, "kind": kind, "source": "fresh", "part": "held_out"})
    for kind, sentences in by_hand.items():
        for text in sentences:
            if text not in seen:
                seen.add(text)
                rows.append({"text": text, "kind": kind, "source": "hand",
                             "part": part_of(f"hand:{text}")})
    for kind, patterns in templates.items():
        wanted = per_kind - sum(row["kind"] == kind for row in rows)
        made, tries = 0, 0
        while made < wanted and tries < wanted * 40:
            tries += 1
            index = tries % len(patterns)
            text = fill(patterns[index], rng)
            if text in seen:
                continue
            seen.add(text)
            source = f"{kind}-{index + 1}"
            rows.append({"text": text, "kind": kind, "source": source, "part": part_of(source)})
            made += 1
    return rows


def training_rows(sentences: dict[str, list[str]], seen: set[str]) -> list[dict[str, str]]:
    """Rows for the sentences written only to train on: all in the tuning part."""
    rows = []
    for kind, texts in sentences.items():
        for text in texts:
            if text not in seen:
                seen.add(text)
                rows.append({"text": text, "kind": kind, "source": "train", "part": "tune"})
    return rows


def write(path: Path, rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-kind", type=int, default=300)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    notes = build(NOTE_TEMPLATES, NOTES_BY_HAND, FRESH_NOTES, args.per_kind, args.seed)
    notes += training_rows(TRAIN_NOTES, {row["text"] for row in notes})
    questions = build(QUESTION_TEMPLATES, QUESTIONS_BY_HAND, FRESH_QUESTIONS, args.per_kind,
                      args.seed + 1)
    write(OUT / "notes.jsonl", notes)
    write(OUT / "questions.jsonl", questions)
    for name, rows in (("notes", notes), ("questions", questions)):
        kinds = sorted({row["kind"] for row in rows})
        counts = ", ".join(
            f"{kind} {sum(r['kind'] == kind for r in rows)}"
            f"/{sum(r['kind'] == kind and r['part'] == 'held_out' for r in rows)} held out"
            for kind in kinds)
        print(f"{name}: {counts}")


if __name__ == "__main__":
    main()
