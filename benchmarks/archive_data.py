"""A synthetic archive of many visits, for the archive workspace benchmark.

    python benchmarks/archive_data.py [--visits 100000] [--cache DIR] [--seed 11]

Writes the synced rows straight into a fresh archive index with `executemany` (a few
transactions), queues every visit and derives the findings with `refresh_findings`, as an
import would. The data is made to look like years of real visits: ~3,000 accounts over 8
verticals and 3 segments (some outside the ideal customer profile), contacts with roles and
consent, the shipped guide, 1-3 attendees and ~9 entries per visit (answers, why-ladders,
quotes, observations), skewed free tags, key learnings with read-back verdicts and action
items for teams. Words follow a Zipf curve over ~8,000 words, so most are rare.

The same seed and visit count always give the same archive. A built archive is kept under
`--cache` and used again; `built.json` beside it says what it holds and how long it took.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

from voc_desktop.domain.guide_file import guide_to_json, load_default_guide
from voc_desktop.services.archive.findings import refresh_findings
from voc_desktop.services.archive.keeper import Archive
from voc_desktop.store.archive_index import ArchiveIndex
from voc_desktop.store.archive_migrations import SYNCED_COLUMNS

LAYOUT = 3  # bump when the generated data changes, so old caches are not reused
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "voc-archive-bench"
FIRST_DAY, DAYS = date(2023, 11, 16), 1096  # three years of visits, up to 2026-11-15
CHUNK = 5_000  # visits written per executemany round; 4 rounds per transaction

VERTICALS = ("Food manufacturing", "Logistics and warehousing", "Pharmaceuticals",
             "Automotive suppliers", "Retail distribution", "Chemicals",
             "Building materials", "Medical devices")
VERTICAL_WEIGHTS = (24, 18, 12, 12, 10, 9, 8, 7)
SEGMENTS, SEGMENT_WEIGHTS = ("Enterprise", "Mid-market", "Small business"), (2, 5, 4)
STAGES, STAGE_WEIGHTS = ("prospect", "onboarding", "active", "renewal", "at_risk", "lost"), \
    (10, 8, 50, 16, 11, 5)
ROLES, ROLE_WEIGHTS = ("economic_buyer", "decision_maker", "influencer", "user", "gatekeeper",
                       "technical_evaluator", "other"), (8, 12, 16, 34, 6, 14, 5)
TEAMS, TEAM_WEIGHTS = ("sales", "product", "marketing", "customer_service", "executive"), \
    (25, 35, 12, 20, 8)
LEARNING_STATUSES, LEARNING_WEIGHTS = ("confirmed", "corrected", "rejected", "pending"), \
    (55, 15, 5, 25)
FIRST = ("Anna Ben Carla Dmitri Elif Farid Grace Henrik Ines Jonas Kofi Lena Marco Nadia "
         "Oskar Priya Quentin Rosa Samir Tomasz Ulla Victor Wen Yusuf Zara Aiko Bruno Chloe "
         "Diego Emma").split()
LAST = ("Halvorsen Okafor Novak Lindqvist Moreau Tanaka Fischer Alvarez Kowalski Brennan "
        "Petrov Haddad Larsen Costa Nguyen Schmidt O'Neill Rossi Dubois Varga Eriksen Mensah "
        "Kaur Jansen Bauer").split()
COMPANIES = ("Northgate Brightway Eastbrook Silverline Redwood Kestrel Alder Meridian Harbour "
             "Summit Ironbridge Lakeside Crescent Oakmont Pinecrest Riverside Stonebridge "
             "Westfield Fairhaven Bluewater Greenhill Foxglove Highmoor Coldwater").split()
INTERVIEWERS = tuple(f"{f} {s}" for f, s in zip(
    "Aisha David Maria Lucas Sofia Ravi Hannah Tom Mei Olga Pablo Ingrid Kwame Julia Noah "
    "Sara Felix Leila Jakob Chen Amara Erik Nina Omar".split(),
    "Rahman Osei Jensen Meyer Rossi Patel Berg Clarke Lin Ivanova Ortiz Dahl Boateng Weber "
    "Cohen Lund Wagner Aziz Horvat Wei Diallo Strand Popescu Farouk".split(), strict=True))
THEMES = tuple(
    "changeover,downtime,label accuracy,traceability,spare parts,service response,training,"
    "integration,reporting,cost pressure,payback,usability,ergonomics,reliability,"
    "cold chain,delivery windows,carrier,dock,regulation,audit,recall,workaround,competitor,"
    "price,contract terms,onboarding,support tickets,documentation,software updates,"
    "network,scanners,printers,batch records,shift handover,night shift,staffing,"
    "overtime,safety,cleaning,hygiene,allergens,packaging waste,sustainability,energy,"
    "capacity,peak season,forecasting,inventory,returns,customer complaints,line 3,"
    "recipes,master data,erp,mobile,dashboards,alerts,remote support,installation,"
    "calibration,validation,quality checks,scrap,rework,throughput,oee,maintenance plan,"
    "vendor lock-in,security,user access,language,export,tender,budget cycle,capital board,"
    "pilot,references,volume drop,why us,trends".split(","))

# Everyday words of visit notes, most frequent first; a long tail of rarer words follows.
COMMON = (
    "the and to of we a they in is it for on our that with line shift when not are have "
    "this be at by operators team because time from what but every week need want orders "
    "day all more so there labels changeover takes hours minutes printer scanner system "
    "report data manual paper board plant site manager maintenance quality customer "
    "customers product pallet dock truck carrier batch recipe seal film case tray label "
    "night morning planning planner supervisor engineer technician spreadsheet email phone "
    "supplier contract price cost budget approval sign decision buyer director trial pilot "
    "training manual screen button error alarm stop restart downtime waiting queue stock "
    "inventory warehouse forklift picking packing shipping delivery window late early slow "
    "fast often never sometimes again still already usually always must should could "
    "would hard easy wrong right missing extra double twice per each year month quarter "
    "audit recall trace lot code date expiry allergen clean wash hygiene safety guard "
    "sensor motor belt conveyor robot arm vision camera weight check reject scrap rework "
    "count speed volume peak season holiday export import regulation standard rule form "
    "sheet log history trend target goal problem issue fix workaround call ticket support "
    "service visit engineer part spare order lead weeks months budget capex payback "
    "competitor switch compare cheaper faster better worse value worth trust reliable").split()
PHRASES = ("changeover time", "label printer", "night shift", "line three", "spare parts",
           "service contract", "cold room", "delivery window", "master data", "batch record",
           "shift handover", "quality check", "peak season", "lead time", "capital board",
           "data entry", "paper form", "error message", "start up", "wrong label")
_SYLLABLES = ("ka ri to ven mor lu sa ne dil bra tek gor fen ha shi plo vak tre min dor "
              "zel qua bon rus ter lin cha gri pol nax").split()


def _vocabulary() -> list[str]:
    """Words by rank: common words and phrases, then ~7,700 rarer made-up names."""
    rng = random.Random(1)
    words = list(dict.fromkeys(COMMON))
    seen = set(words)
    while len(words) < 8_000 - len(PHRASES):
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 3, 3, 4))))
        if word not in seen:
            seen.add(word)
            words.append(word)
    for i, phrase in enumerate(PHRASES):  # from everyday (rank 40) to rare (rank ~1,500)
        words.insert(40 + 4 * i * i, phrase)
    return words


VOCABULARY = _vocabulary()
_WORD_WEIGHTS = list(accumulate(1.0 / (rank + 3) ** 1.15 for rank in range(len(VOCABULARY))))
_THEME_WEIGHTS = list(accumulate(1.0 / (rank + 1) ** 1.1 for rank in range(len(THEMES))))


def word_at(rank: int) -> str:
    """The word at this frequency rank (0 is the most frequent), or the next one that is a
    single word."""
    return next(w for w in VOCABULARY[rank:] if " " not in w)


def phrase_rank(phrase: str) -> int:
    return VOCABULARY.index(phrase)


@dataclass(frozen=True)
class BuiltArchive:
    folder: Path
    index: Path
    info: dict[str, Any]


class _Rows:
    """Makes synced rows as tuples in SYNCED_COLUMNS order, ids and stamps included."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.devices = [self.id() for _ in INTERVIEWERS]

    def id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def text(self, low: int, high: int) -> str:
        words = self.rng.choices(VOCABULARY, cum_weights=_WORD_WEIGHTS,
                                 k=self.rng.randint(low, high))
        return " ".join(words).capitalize() + "."

    def make(self, table: str, stamp: str, device: str, **values: Any) -> tuple[Any, ...]:
        values.update(created_at=stamp, updated_at=stamp, device_id=device, revision=1)
        return tuple(values.get(c.name, c.default) for c in SYNCED_COLUMNS[table])


def _insert(conn: Any, tables: dict[str, list[tuple[Any, ...]]]) -> None:
    for table, rows in tables.items():
        if rows:
            names = [c.name for c in SYNCED_COLUMNS[table]]
            conn.executemany(f'INSERT INTO "{table}" ({", ".join(names)}) '
                             f'VALUES ({", ".join("?" * len(names))})', rows)
            rows.clear()


def _accounts(r: _Rows, count: int, guide_row: tuple[Any, ...]) -> tuple[
        dict[str, list[tuple[Any, ...]]], list[dict[str, Any]]]:
    rng, stamp = r.rng, "2023-10-02T08:00:00.000Z"
    tables: dict[str, list[tuple[Any, ...]]] = {"guide_versions": [guide_row], "accounts": [],
                                                "contacts": []}
    accounts = []
    for i in range(count):
        vertical = rng.choices(VERTICALS, VERTICAL_WEIGHTS)[0]
        name = (f"{rng.choice(COMPANIES)} {vertical.split()[0]} "
                f"{rng.choice(('Group', 'Works', 'AB', 'GmbH', 'Ltd', 'Partners', 'Co'))} {i}")
        in_icp = 0 if rng.random() < 0.08 else 1
        account = {"id": r.id(), "vertical": vertical, "stage": rng.choices(STAGES,
                   STAGE_WEIGHTS)[0], "contacts": [], "device": rng.randrange(len(r.devices)),
                   "weight": rng.paretovariate(1.6)}
        tables["accounts"].append(r.make(
            "accounts", stamp, r.devices[account["device"]], id=account["id"], name=name,
            vertical=vertical, segment=rng.choices(SEGMENTS, SEGMENT_WEIGHTS)[0],
            lifecycle_stage=account["stage"], in_icp=in_icp,
            icp_note="" if in_icp else "Too small for a site licence"))
        for _ in range(rng.choice((2, 3, 4, 4, 5, 6))):
            roles = sorted(set(rng.choices(ROLES, ROLE_WEIGHTS, k=rng.choice((1, 1, 2)))),
                           key=ROLES.index)
            consent, by_name = rng.random() < 0.92, rng.random() < 0.45
            contact = {"id": r.id(), "first": rng.choice(FIRST), "roles": roles}
            account["contacts"].append(contact)
            tables["contacts"].append(r.make(
                "contacts", stamp, r.devices[account["device"]], id=contact["id"],
                account_id=account["id"], name=f"{contact['first']} {rng.choice(LAST)}",
                title=rng.choice(("Plant manager", "Operator", "Head of IT", "Buyer",
                                  "Shift lead", "Quality lead", "Managing director")),
                roles=json.dumps(roles), consent_given=int(consent),
                consent_quote_by_name=int(consent and by_name),
                consent_method=rng.choice(("verbal", "written", "e-mail")) if consent else "",
                consent_at=stamp if consent else None,
                consent_scope="Internal product research" if consent else ""))
        accounts.append(account)
    return tables, accounts


def _visit(r: _Rows, account: dict[str, Any], guide_id: str, keys: list[str],
           tables: dict[str, list[tuple[Any, ...]]]) -> None:
    rng = r.rng
    day = FIRST_DAY + timedelta(days=int(rng.triangular(0, DAYS - 1, DAYS - 1)))
    when, stamp = day.isoformat(), f"{day.isoformat()}T09:00:00.000Z"
    device_no = account["device"] if rng.random() < 0.8 else rng.randrange(len(r.devices))
    device = r.devices[device_no]
    interviewers = [INTERVIEWERS[device_no]]
    if rng.random() < 0.4:
        interviewers.append(rng.choice(INTERVIEWERS))
    visit_id = r.id()
    stage = account["stage"] if rng.random() < 0.85 else rng.choice(STAGES)
    tables["visits"].append(r.make(
        "visits", stamp, device, id=visit_id, account_id=account["id"],
        guide_version_id=guide_id, objective=r.text(5, 10), visit_date=when,
        place=f"Site {rng.randint(1, 9)}", interviewers=json.dumps(sorted(set(interviewers))),
        lifecycle_stage=stage, status="completed", started_at=stamp,
        ended_at=f"{when}T10:30:00.000Z",
        next_contact_date=(day + timedelta(days=90)).isoformat() if rng.random() < .3 else None))
    met = rng.sample(account["contacts"], min(len(account["contacts"]), rng.choice((1, 2, 2, 3))))
    for person in met:
        tables["attendees"].append(r.make("attendees", stamp, device, id=r.id(),
                                          visit_id=visit_id, contact_id=person["id"],
                                          roles=json.dumps(person["roles"])))
    entries, answers, made = tables["entries"], [], []

    def entry(kind: str, text: str, key: str, **more: Any) -> str:
        if rng.random() < 0.3:
            tags = rng.choices(THEMES, cum_weights=_THEME_WEIGHTS, k=rng.choice((1, 1, 2)))
            more["tags"] = json.dumps([t.title() if rng.random() < 0.1 else t for t in tags])
        made.append(r.id())
        entries.append(r.make("entries", stamp, device, id=made[-1], visit_id=visit_id,
                              kind=kind, text=text, question_key=key, position=len(made),
                              offset_seconds=rng.randint(0, 5400), **more))
        return made[-1]

    for q in sorted(rng.sample(range(len(keys)), rng.choice((3, 4, 4, 5)))):
        key = keys[q]
        said = r.text(14, 40)
        if rng.random() < 0.06:  # people name each other; the naming rule must hide them
            said = f"{rng.choice(met)['first']} says {said[0].lower()}{said[1:]}"
        parent = entry("answer", said, key)
        answers.append(parent)
        for _ in range(rng.choices((0, 1, 2), (4, 4, 2))[0]):
            parent = entry("probe", r.text(8, 20), key, parent_id=parent)
        if rng.random() < 0.35:
            entry("quote", r.text(8, 25), key, speaker_id=rng.choice(met)["id"])
        if rng.random() < 0.15:
            entry("observation", r.text(10, 25), key)
    for k in range(rng.choice((2, 3))):
        status = rng.choices(LEARNING_STATUSES, LEARNING_WEIGHTS)[0]
        tables["key_learnings"].append(r.make(
            "key_learnings", stamp, device, id=r.id(), visit_id=visit_id, text=r.text(10, 20),
            source_entry_id=rng.choice(answers) if rng.random() < 0.85 else None,
            status=status, correction=r.text(6, 14) if status == "corrected" else "",
            position=k))
    age = (FIRST_DAY + timedelta(days=DAYS) - day).days
    for k in range(rng.choice((1, 2))):
        due = day + timedelta(days=rng.randint(7, 60))
        tables["action_items"].append(r.make(
            "action_items", stamp, device, id=r.id(), visit_id=visit_id, text=r.text(6, 14),
            team=rng.choices(TEAMS, TEAM_WEIGHTS)[0],
            status="done" if rng.random() < min(0.9, age / 200) else "open",
            due_date=due.isoformat() if rng.random() < 0.9 else None, position=k))


def _visit_chunks(r: _Rows, accounts: list[dict[str, Any]], visits: int, guide_id: str,
                  keys: list[str]) -> Iterator[dict[str, list[tuple[Any, ...]]]]:
    weights = list(accumulate(a["weight"] for a in accounts))
    for start in range(0, visits, CHUNK):
        tables: dict[str, list[tuple[Any, ...]]] = {t: [] for t in (
            "visits", "attendees", "entries", "key_learnings", "action_items")}
        for account in r.rng.choices(accounts, cum_weights=weights,
                                     k=min(CHUNK, visits - start)):
            _visit(r, account, guide_id, keys, tables)
        yield tables


def build(where: Path, visits: int, seed: int, log: Any = print) -> dict[str, Any]:
    """Make the archive folder and its filled index at `where`; returns what it holds."""
    started = time.perf_counter()
    with Archive.create(where / "archive", index=where / "index.sqlite3") as archive:
        archive_id = archive.archive_id
    index = ArchiveIndex.open(where / "index.sqlite3", archive_id)
    conn = index.conn
    conn.execute("PRAGMA synchronous=OFF")  # a half-built cache is thrown away anyway
    r = _Rows(random.Random(seed))
    guide = load_default_guide()
    keys = [q.key for section in guide.sections for q in section.questions]
    guide_id = r.id()
    guide_row = r.make("guide_versions", "2023-10-01T08:00:00.000Z", r.devices[0],
                       id=guide_id, guide_id=guide.guide_id, version=guide.version,
                       name=guide.name, body=guide_to_json(guide))
    tables, accounts = _accounts(r, max(1, round(visits * 0.03)), guide_row)
    conn.execute("BEGIN IMMEDIATE")
    _insert(conn, tables)
    for n, chunk in enumerate(_visit_chunks(r, accounts, visits, guide_id, keys), 1):
        _insert(conn, chunk)
        if n % 4 == 0:
            conn.execute("COMMIT")
            conn.execute("BEGIN IMMEDIATE")
            log(f"  rows of {min(n * CHUNK, visits):,} visits written")
    conn.execute("INSERT OR IGNORE INTO stale_visits (visit_id) SELECT id FROM visits")
    conn.execute("COMMIT")
    written = time.perf_counter()

    def progress(done: int, total: int) -> None:
        if done % 10_000 < 500 or done == total:
            log(f"  findings of {done:,} / {total:,} visits derived")

    refresh_findings(index, progress)
    conn.execute("PRAGMA optimize")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    counts = {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in (
        "accounts", "contacts", "visits", "attendees", "entries", "key_learnings",
        "action_items", "findings", "finding_tags", "visit_themes")}
    index.close()
    done = time.perf_counter()
    return {"layout": LAYOUT, "visits": visits, "seed": seed, "counts": counts,
            "write_seconds": round(written - started, 1),
            "derive_seconds": round(done - written, 1),
            "index_mb": round((where / "index.sqlite3").stat().st_size / 1e6)}


def ensure(cache: Path, visits: int, seed: int = 11, log: Any = print) -> BuiltArchive:
    """The cached archive of `visits` visits, built first if the cache lacks it."""
    where = Path(cache) / f"archive-{visits}-seed{seed}"
    marker = where / "built.json"
    if marker.exists():
        info = json.loads(marker.read_text())
        if info.get("layout") == LAYOUT:
            return BuiltArchive(where / "archive", where / "index.sqlite3", info)
    if where.exists():
        shutil.rmtree(where)  # an older layout or a build that was cut off
    where.mkdir(parents=True)
    log(f"building an archive of {visits:,} visits in {where} ...")
    info = build(where, visits, seed, log)
    marker.write_text(json.dumps(info, indent=2) + "\n")
    return BuiltArchive(where / "archive", where / "index.sqlite3", info)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=100_000)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    built = ensure(args.cache, args.visits, args.seed)
    info = built.info
    print(f"archive {built.folder}\nindex   {built.index} ({info['index_mb']:,} MB)")
    print("rows    " + ", ".join(f"{t} {n:,}" for t, n in info["counts"].items()))
    print(f"built in {info['write_seconds'] + info['derive_seconds']:.1f} s: rows written "
          f"{info['write_seconds']:.1f} s, findings derived {info['derive_seconds']:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
