"""Train the note model on the coach corpus's tuning part and write its weights.

    python tools/train_coach_model.py [--check]

A multinomial logistic regression over the features of
:func:`voc_desktop.domain.coaching.note_model.features`, fitted by stochastic gradient
descent in a fixed order, so the same corpus always gives the same file. Only rows of the
tuning part are read: the held-out part stays unseen, and its figures (tests/domain/
coaching/test_coach_corpus.py) measure rules and model together. Weights too small to
change a score are left out. ``--check`` writes nothing and fails when the shipped file
is not what the corpus gives.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voc_desktop import assets  # noqa: E402
from voc_desktop.domain.coaching.note_acts import ACTS_FILE, ActRules, sentence_signs  # noqa: E402
from voc_desktop.domain.coaching.note_model import KINDS, MODEL_FILE, features  # noqa: E402
from voc_desktop.domain.coaching.note_words import tokens  # noqa: E402

CORPUS = ROOT / "tests" / "domain" / "coaching" / "coach_corpus" / "notes.jsonl"
OUT = ROOT / "resources" / MODEL_FILE
THRESHOLD = 0.75  # how sure the model must be that a sentence is not clean
EPOCHS, RATE, DECAY, L2, SEED = 30, 0.3, 0.9, 1e-4, 1
SMALLEST = 0.01


def training_rows() -> list[tuple[str, str]]:
    with CORPUS.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [(row["text"], row["kind"]) for row in rows if row["part"] == "tune"]


def train(rows: list[tuple[str, str]]) -> dict[str, dict[str, float]]:
    rules = ActRules(json.loads(assets.read_text(ACTS_FILE)))
    examples = []
    for text, kind in rows:
        toks = tokens(text)
        examples.append((sorted(features(toks, rules, sentence_signs(toks, rules))), kind))
    weights: dict[str, dict[str, float]] = {kind: {} for kind in KINDS}
    rng, rate = random.Random(SEED), RATE
    for _ in range(EPOCHS):
        rng.shuffle(examples)
        for found, kind in examples:
            scores = {k: sum(weights[k].get(f, 0.0) for f in found) for k in KINDS}
            top = max(scores.values())
            exps = {k: math.exp(s - top) for k, s in scores.items()}
            total = sum(exps.values())
            for k in KINDS:
                step = rate * (exps[k] / total - (1.0 if k == kind else 0.0))
                table = weights[k]
                for f in found:
                    table[f] = table.get(f, 0.0) * (1 - rate * L2) - step
        rate *= DECAY
    return weights


def model_text(weights: dict[str, dict[str, float]]) -> str:
    kept = {kind: {f: round(w, 4) for f, w in sorted(table.items()) if abs(w) >= SMALLEST}
            for kind, table in weights.items()}
    data = {"threshold": THRESHOLD, "weights": kept}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="fail when the shipped weights are not what the corpus gives")
    args = parser.parse_args()
    text = model_text(train(training_rows()))
    if args.check:
        if OUT.read_text(encoding="utf-8") != text:
            sys.exit(f"{OUT.name} is not what the corpus gives: run {Path(__file__).name}")
        return
    OUT.write_text(text, encoding="utf-8")
    print(f"{OUT.name}: {sum(len(t) for t in json.loads(text)['weights'].values())} weights, "
          f"{len(text) // 1024} KB")


if __name__ == "__main__":
    main()
