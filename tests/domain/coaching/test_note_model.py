"""The note model: shipped as the corpus trains it, heard where the rules are silent, and
never speaking for the customer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from voc_desktop import assets
from voc_desktop.domain.coaching.note_acts import ACTS_FILE, ActRules, find_acts, load_acts
from voc_desktop.domain.coaching.note_model import MODEL_FILE, NoteModel
from voc_desktop.domain.coaching.pitch import detect

ROOT = Path(__file__).resolve().parents[3]


def _acts(text: str, rules: ActRules) -> list:
    return find_acts(text, lambda _position: False, rules)


def test_the_shipped_weights_are_what_the_corpus_trains() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "train_coach_model.py"),
                           "--check"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


RULES_ALONE = ActRules(json.loads(assets.read_text(ACTS_FILE)))

# Wordings no act lists (two from held-out fresh sets, one new): the model hears them.
HEARD_BY_THE_MODEL = [
    ("Played them the customer testimonial from the Napa winery.", "pitch"),
    ("Shared my screen and clicked through the teacher dashboard.", "pitch"),
    ("Sweetened it with three months free if they sign by Friday.", "promise"),
]


@pytest.mark.parametrize(("text", "kind"), HEARD_BY_THE_MODEL)
def test_the_model_hears_what_no_rule_lists(text: str, kind: str) -> None:
    assert _acts(text, RULES_ALONE) == []
    found = _acts(text, load_acts())
    assert [(f.kind, f.act_id) for f in found] == [(kind, "model")]
    assert found[0].start == 0 and text[found[0].end - 1] != "."  # the words, not the stop
    assert [flag.kind.value for flag in detect(text)] == [kind]


@pytest.mark.parametrize("text", [
    "The sales rep from their other supplier played them a testimonial from a winery.",
    "Maria shared her screen and clicked through the teacher dashboard.",
    'Shared my screen and the buyer said "I clicked through the teacher dashboard".',
    "Did not float a free upgrade to the premium tier.",
    "According to the buyer, Zebra floated a free upgrade to the premium tier.",
    "Asked how they would feel about a free upgrade to the premium tier.",
    "Mixed formats caused misrouted parcels at the carrier's hub.",
    "Damaged pallets slowed the night shift down.",
])
def test_the_model_never_speaks_for_the_customer(text: str) -> None:
    """Someone else's doing, their words, a quotation, a negation, a neutral act of ours
    or an opening word that describes the subject stays quiet however the words score."""
    assert _acts(text, load_acts()) == []


def test_a_damaged_model_file_is_refused_with_a_clear_error() -> None:
    data = json.loads(assets.read_text(MODEL_FILE))
    assert NoteModel(data).threshold == data["threshold"]
    with pytest.raises(ValueError, match="one table for each"):
        NoteModel({"threshold": 0.75, "weights": {"pitch": {}}})
    with pytest.raises(ValueError, match="threshold"):
        NoteModel({**data, "threshold": 2})
