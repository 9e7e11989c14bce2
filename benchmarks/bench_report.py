"""Time to write the report of a long visit, as DOCX and as PDF.

    python benchmarks/bench_report.py [--answers 150] [--probes 40] [--photos 10] [--runs 5]

Builds one visit through the real services: a guide of 150 questions all answered with
realistic note lengths, 40 why-probes spread over ladders up to five deep, quotes and
observations, and 10 phone-sized JPEG photos (4032x3024, a few MB each, some taken
sideways). Then it times the whole export per format, as `voc report` runs it: reading
the visit, preparing the photos, building the content and writing the file. The first
run in the process pays for imports and font loading and is shown apart.
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import tempfile
import time
from pathlib import Path

from voc_desktop.domain.accounts import Consent, Role
from voc_desktop.domain.guide import Bucket, Guide, Question, Section
from voc_desktop.domain.guide_file import guide_to_json
from voc_desktop.domain.visit import SummaryStatus, Team
from voc_desktop.services import accounts, closing, guides, interview, visits
from voc_desktop.services.reports import ReportFormat, export_visit_report
from voc_desktop.services.workspace.workspace import Workspace

WORDS = ("the line changeover takes too long because seals are swapped by hand and the night "
         "shift waits for maintenance while orders pile up at the dock so planners add buffer "
         "stock which ties up cash and floor space").split()


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def phone_photo(rng: random.Random, sideways: bool) -> bytes:
    """A 12-megapixel JPEG with the detail of a real photo (noise over gradients)."""
    from PIL import Image

    small = Image.frombytes("RGB", (504, 378), rng.randbytes(504 * 378 * 3))
    img = small.resize((4032, 3024), Image.Resampling.BILINEAR)
    out = io.BytesIO()
    exif = Image.Exif()
    if sideways:
        exif[0x0112] = 6
    img.save(out, "JPEG", quality=88, exif=exif)
    return out.getvalue()


def long_guide(questions: int) -> Guide:
    buckets = list(Bucket)
    per = -(-questions // len(buckets))
    sections, n = [], 0
    for si, bucket in enumerate(buckets):
        qs = []
        for _ in range(min(per, questions - n)):
            n += 1
            qs.append(Question(f"q{n}", f"Question {n}: tell me about how this works today?"))
        sections.append(Section(f"s{si}", f"{bucket.label} in depth", bucket, "", tuple(qs)))
    return Guide("5d0c7a52-3c1e-4f7e-9a51-0b6f3d2f7a10", "Long visit guide", 1, "", tuple(sections))


def build(ws: Workspace, folder: Path, answers: int, probes: int, photos: int) -> str:
    rng = random.Random(3)
    path = folder / "guide.json"
    path.write_text(guide_to_json(long_guide(answers)), encoding="utf-8")
    stored, _ = guides.import_guide(ws, path)
    account = accounts.create_account(ws, "Halvorsen Food Packaging", vertical="Food")
    people = [accounts.add_contact(ws, account.id, name, roles=(role,),
                                   consent=Consent(given=True, quote_by_name=by_name))
              for name, role, by_name in (("Lena Brandt", Role.DECISION_MAKER, True),
                                          ("Piotr Nowak", Role.USER, False))]
    visit = visits.plan_visit(ws, account.id, "Understand changeovers", place="Plant 1",
                              interviewers=("Sam Patel",), guide_version_id=stored.version_id,
                              attendees=tuple((p.id, p.roles) for p in people))
    visits.start_visit(ws, visit.id)
    keys = [q.key for _, q in stored.guide.questions()]
    roots = [interview.record_answer(ws, visit.id, key, sentence(rng, rng.randint(30, 120)))
             for key in keys]
    left, parent = probes, None
    while left:
        parent = rng.choice(roots).id if parent is None or rng.random() < 0.3 else parent
        parent = interview.add_why_probe(ws, parent, sentence(rng, 20)).id
        left -= 1
    for i in range(20):
        interview.add_quote(ws, visit.id, sentence(rng, 25), speaker_id=people[i % 2].id,
                            question_key=keys[i * 5])
        interview.add_observation(ws, visit.id, sentence(rng, 30), question_key=keys[i * 7])
    for i in range(photos):
        file = folder / f"IMG_{i:04d}.jpg"
        file.write_bytes(phone_photo(rng, sideways=i % 3 == 0))
        interview.attach_file(ws, visit.id, file, caption=sentence(rng, 8),
                              question_key=keys[i * 11 % len(keys)])
    closing.end_interview(ws, visit.id)
    for i in range(6):
        learning = interview.toggle_key_learning(ws, roots[i * 9].id)
        assert learning is not None
        closing.set_point_status(ws, learning.id, SummaryStatus.CONFIRMED)
    closing.complete_visit(ws, visit.id)
    for team in Team:
        closing.add_action_item(ws, visit.id, sentence(rng, 12), team)
    return visit.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=150)
    parser.add_argument("--probes", type=int, default=40)
    parser.add_argument("--photos", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ws = Workspace.open(folder / "ws")
        visit_id = build(ws, folder, args.answers, args.probes, args.photos)
        print(f"visit: {args.answers} answers, {args.probes} why-probes, {args.photos} photos "
              f"({sum(p.stat().st_size for p in folder.glob('IMG_*')) / 1e6:.1f} MB of JPEG)")
        times: dict[ReportFormat, list[float]] = {f: [] for f in ReportFormat}
        for run in range(args.runs + 1):
            for fmt in ReportFormat:
                start = time.perf_counter()
                result = export_visit_report(ws, visit_id, folder / f"report.{fmt.value}")
                elapsed = time.perf_counter() - start
                if run == 0:
                    print(f"first {fmt.value} in this process: {elapsed * 1000:6.0f} ms "
                          f"({result.size / 1e6:.1f} MB)")
                else:
                    times[fmt].append(elapsed)
        for fmt, values in times.items():
            print(f"{fmt.value:4}: median {statistics.median(values) * 1000:6.0f} ms, "
                  f"max {max(values) * 1000:6.0f} ms over {len(values)} runs")
        ws.close()


if __name__ == "__main__":
    main()
