"""The `voc archive` commands: keep the shared archive of accepted bundles.

    voc archive init DIR
    voc archive key DIR [--json]
    voc archive trust DIR KEY [--name NAME]
    voc archive distrust DIR KEY|FINGERPRINT
    voc archive devices DIR [--json]
    voc archive import DIR BUNDLE... [--json]
    voc archive conflicts DIR [--all] [--json]
    voc archive resolve DIR CONFLICT_ID --keep current|incoming
    voc archive held DIR [--json]
    voc archive accept DIR BUNDLE_ID [--name NAME]
    voc archive refuse DIR BUNDLE_ID
    voc archive pack DIR [--account NAME_OR_ID ...] -o FILE
    voc archive rebuild DIR
    voc archive publish DIR OUT [--with-photos]
    voc archive search|patterns|report|digest|qda DIR ...   (see cli_archive_search.py)

Every command takes `--index PATH`; the index is otherwise kept in the data folder
(`--data-dir`, `VOC_DATA_DIR` or the platform's) as `archives/<archive id>.sqlite3`.
These commands do not use the laptop's workspace.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voc_desktop.cli import archive_search as cli_archive_search
from voc_desktop.cli.menu import summary
from voc_desktop.cli.output import out, print_json, warn

if TYPE_CHECKING:
    from voc_desktop.services.archive.keeper import (
        Archive,
        BundleResult,
        ConflictView,
        ImportReport,
    )

KEY_KEYS = "archive_id, key, fingerprint, index"
DEVICE_KEYS = "a list of objects with keys key, fingerprint, name, enrolled_at"
IMPORT_KEYS = ("bundles[{file, status, reason, bundle_id, device_id, sequence, "
               "signer_fingerprint, stored_as, new, updated, duplicates, conflicts, erased}], "
               "caught_up{bundles[...], resolutions}, totals{imported, duplicate_bundles, held, "
               "rejected, new, updated, duplicates, conflicts, erased}, redacted[file names]")
CONFLICT_KEYS = ("a list of objects with keys id, table, record_id, status, bundle_id, "
                 "current_version, incoming_version, fields, current, incoming, kept, "
                 "resolved_at")
HELD_KEYS = ("a list of objects with keys bundle_id, signer_fingerprint, signer_key, "
             "device_id, sequence, created_at, held_at, original_name, counts")

Sub = Callable[..., argparse.ArgumentParser]


def add_commands(commands: Any, sub: Sub, json_flag: Callable[..., None]) -> None:
    group = commands.add_parser("archive", help=summary("archive"))
    group = group.add_subparsers(dest="action", required=True, metavar="ACTION")

    def command(name: str, handler: Callable[[argparse.Namespace], int],
                text: str) -> argparse.ArgumentParser:
        p = sub(group, name, lambda _ws, args: handler(args), text)
        p.set_defaults(needs_workspace=False)
        p.add_argument("folder", type=Path, metavar="DIR", help="the archive folder")
        p.add_argument("--index", type=Path, metavar="PATH",
                       help="the archive's local index file (default: archives/<archive "
                       "id>.sqlite3 in the data folder)")
        return p

    command("init", _init, "Make a new archive in an empty folder (it may be on a shared "
            "drive) and its local index.")
    p = command("key", _key, "Show the archive key to give to laptops, and its fingerprint.")
    json_flag(p, f"one object with keys {KEY_KEYS}")
    p = command("trust", _trust, "Accept bundles signed by a device key from now on.")
    p.add_argument("key", metavar="KEY", help="the device key, 'ed25519:...', as `voc "
                   "device-key` prints it on the laptop")
    p.add_argument("--name", default="", help="who or which laptop it is, to recognise it")
    p = command("distrust", _distrust, "Stop trusting a device, e.g. a lost laptop: its "
                "bundles are held from now on; those accepted before stay.")
    p.add_argument("device", metavar="KEY|FINGERPRINT", help="the device key or its "
                   "fingerprint, as `voc archive devices DIR` lists them")
    p = command("devices", _devices, "List the device keys the archive trusts.")
    json_flag(p, DEVICE_KEYS)
    p = command("import", _import, "Take bundle files into the archive (each whole or not "
                "at all); exits with 1 when any is rejected.")
    p.add_argument("bundles", type=Path, nargs="+", metavar="BUNDLE", help="bundle files")
    json_flag(p, f"one object with keys {IMPORT_KEYS}")
    p = command("conflicts", _conflicts, "List records changed in two places, with both "
                "values, until a person resolves them.")
    p.add_argument("--all", action="store_true", help="also list resolved and closed ones")
    json_flag(p, CONFLICT_KEYS)
    p = command("resolve", _resolve, "Settle a conflict by keeping one of the two values.")
    p.add_argument("conflict_id", type=int, metavar="CONFLICT_ID")
    p.add_argument("--keep", required=True, choices=["current", "incoming"],
                   help="keep the archive's current value or the incoming one")
    p = command("held", _held, "List bundles from unknown devices, waiting for a person.")
    json_flag(p, HELD_KEYS)
    p = command("accept", _accept, "Trust the device that signed a held bundle, and import "
                "the bundle.")
    p.add_argument("bundle_id", metavar="BUNDLE_ID", help="bundle id, or a unique beginning")
    p.add_argument("--name", default="", help="a name for the device")
    p = command("refuse", _refuse, "Remove a held bundle without importing it.")
    p.add_argument("bundle_id", metavar="BUNDLE_ID", help="bundle id, or a unique beginning")
    p = command("pack", _pack, "Write a pack for the archive's laptops: guides, accounts, "
                "contacts, completed visits with key learnings and attendees, erasures.")
    p.add_argument("--account", action="append", default=[], metavar="NAME_OR_ID",
                   help="only this account (repeat for more; default: all)")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE",
                   help="the pack file (or a folder for the default name)")
    command("rebuild", _rebuild, "Build the index anew from the archive folder.")
    p = command("publish", _publish, "Write a copy for read-only browsing (e.g. with "
                "Datasette): masked findings, themes and visits only, and a metadata file "
                "that turns arbitrary SQL off.")
    p.add_argument("output", type=Path, metavar="OUT", help="the published SQLite file, "
                   "e.g. archive.db (an earlier published copy there is replaced)")
    p.add_argument("--with-photos", action="store_true", help="include photos, encoded "
                   "afresh without their metadata, with masked captions")
    cli_archive_search.add_commands(command, json_flag)


def _archive(args: argparse.Namespace) -> Archive:
    from voc_desktop.services.archive.keeper import Archive

    return Archive.open(args.folder, index=args.index, data_dir=args.data_dir)


# --- commands ----------------------------------------------------------------------------

def _init(args: argparse.Namespace) -> int:
    from voc_desktop.services.archive.keeper import Archive

    with Archive.create(args.folder, index=args.index, data_dir=args.data_dir) as archive:
        info = archive.info
    out([f"Made archive {info.archive_id} in {info.folder}.",
         f"  Index: {info.index_path}",
         "  Archive key for laptops (`voc settings archive-key KEY` on each):",
         f"    {info.key_text}",
         f"  Fingerprint: {info.key_fingerprint}",
         f"Next: `voc archive trust {info.folder} KEY` with each laptop's `voc device-key`."])
    return 0


def _key(args: argparse.Namespace) -> int:
    from voc_desktop.services.archive.keeper import read_archive

    info = read_archive(args.folder, index=args.index, data_dir=args.data_dir)
    if args.json:
        print_json({"archive_id": info.archive_id, "key": info.key_text,
                    "fingerprint": info.key_fingerprint, "index": str(info.index_path)})
        return 0
    out(["The archive key (give it to each laptop: `voc settings archive-key KEY`):",
         f"  {info.key_text}", f"  Fingerprint: {info.key_fingerprint}"])
    return 0


def _trust(args: argparse.Namespace) -> int:
    with _archive(args) as archive:
        device, added = archive.trust(args.key, args.name)
    if added:
        out([f"Trusted {device.name}, key {device.fingerprint}: bundles it signs are "
             "imported from now on."])
    else:
        out([f"Key {device.fingerprint} is already trusted (as {device.name}); nothing "
             "changed."])
    return 0


def _distrust(args: argparse.Namespace) -> int:
    with _archive(args) as archive:
        gone = archive.distrust(args.device)
    out([f"No longer trusted: {gone.name}, key {gone.fingerprint}. Bundles it signs are held "
         "from now on; bundles accepted before stay in the archive."])
    return 0


def _devices(args: argparse.Namespace) -> int:
    with _archive(args) as archive:
        devices = archive.devices()
    if args.json:
        print_json([{"key": d.key, "fingerprint": d.fingerprint, "name": d.name,
                     "enrolled_at": d.enrolled_at} for d in devices])
    elif not devices:
        out(["No trusted devices yet. `voc archive trust DIR KEY` adds one."])
    else:
        out([f"{d.fingerprint}  {d.enrolled_at[:10]}  {d.name}" for d in devices])
    return 0


def _count_text(r: BundleResult | dict[str, int]) -> str:
    get = r.get if isinstance(r, dict) else (lambda k: getattr(r, k))
    parts = [f"{get('new')} new", f"{get('updated')} updated",
             f"{get('duplicates')} duplicate{'s' * (get('duplicates') != 1)}",
             f"{get('conflicts')} conflict{'s' * (get('conflicts') != 1)}"]
    if get("erased"):
        parts.append(f"{get('erased')} dropped (erased person)")
    return ", ".join(parts)


def _result_line(r: BundleResult) -> str:
    from voc_desktop.services.archive.keeper import BundleStatus

    if r.status is BundleStatus.IMPORTED:
        return (f"{r.file}: imported as {r.stored_as} (device {r.device_id} #{r.sequence}): "
                f"{_count_text(r)}")
    if r.status is BundleStatus.DUPLICATE:
        return f"{r.file}: duplicate, {r.reason}"
    if r.status is BundleStatus.HELD:
        return f"{r.file}: {r.reason} (`voc archive accept` or `refuse` {r.bundle_id})"
    return f"{r.file}: rejected: {r.reason}"


def _import(args: argparse.Namespace) -> int:
    from voc_desktop.services.archive.keeper import BundleStatus

    with _archive(args) as archive:
        report = archive.import_bundles(args.bundles)
    _print_report(report, args.json)
    if not report.ok:
        rejected = report.count(BundleStatus.REJECTED)
        warn(f"{rejected} bundle{'s were' if rejected != 1 else ' was'} rejected; nothing of "
             f"{'them' if rejected != 1 else 'it'} was taken in.")
        return 1
    return 0


def _print_report(report: ImportReport, as_json: bool) -> None:
    if as_json:
        print_json({"bundles": [b.to_dict() for b in report.bundles],
                    "redacted": list(report.redacted),
                    "caught_up": {"bundles": [b.to_dict() for b in report.caught_up.bundles],
                                  "resolutions": report.caught_up.resolutions},
                    "totals": report.totals})
        return
    lines = []
    if report.caught_up.bundles or report.caught_up.resolutions:
        lines.append(f"Caught up with the archive folder: {len(report.caught_up.bundles)} "
                     f"bundle(s), {report.caught_up.resolutions} resolution(s) the index "
                     "did not have yet.")
        lines += ["  " + _result_line(b) for b in report.caught_up.bundles]
    lines += [_result_line(b) for b in report.bundles]
    t = report.totals
    lines.append(f"Total: {t['imported']} imported, {t['duplicate_bundles']} duplicate, "
                 f"{t['held']} held, {t['rejected']} rejected; rows: {_count_text(t)}.")
    if report.redacted:
        lines.append(f"Redacted {len(report.redacted)} accepted bundle(s) that held an erased "
                     f"person: {', '.join(report.redacted)}.")
    out(lines)


def _conflict_dict(c: ConflictView) -> dict[str, Any]:
    return {"id": c.id, "table": c.table, "record_id": c.record_id, "status": c.status,
            "bundle_id": c.bundle_id, "current_version": c.current_version,
            "incoming_version": c.incoming_version, "fields": list(c.fields),
            "current": c.current, "incoming": c.incoming, "kept": c.kept,
            "resolved_at": c.resolved_at, "choices": list(c.choices)}


def _conflicts(args: argparse.Namespace) -> int:
    with _archive(args) as archive:
        found = archive.conflicts(include_closed=args.all)
        unsettled = archive.overruled()
    if args.json:
        print_json([_conflict_dict(c) for c in found])
        return 0
    notes = [f"Choice resolutions/{r['file_name']}: {r['outcome']}"
             f"{': ' + r['detail'] if r['detail'] else ''}" for r in unsettled]
    if not found:
        out(["No open conflicts." if not args.all else "No conflicts.", *notes])
        return 0
    lines = []
    for c in found:
        now = c.current or {}
        lines.append(f"Conflict {c.id} ({c.status}): {c.table} {c.record_id}")
        lines.append(f"  current  {now.get('device_id')}:{now.get('revision')}   incoming "
                     f"{c.incoming_version} (bundle {c.bundle_id[:8]})")
        for name in c.fields:
            lines.append(f"  {name}:")
            lines.append(f"    current:  {_show(now.get(name))}")
            lines.append(f"    incoming: {_show((c.incoming or {}).get(name))}")
    if any(c.status == "open" for c in found):
        lines.append("Resolve one with `voc archive resolve DIR ID --keep current|incoming`.")
    out(lines + notes)
    return 0


def _show(value: Any, width: int = 70) -> str:
    text = "(empty)" if value is None else repr(value) if not isinstance(value, str) else value
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[:width - 1] + "…"


def _resolve(args: argparse.Namespace) -> int:
    with _archive(args) as archive:
        result = archive.resolve(args.conflict_id, args.keep)
    if result.outcome != "applied":
        out([f"Conflict {result.conflict_id} was not settled by this choice: "
             f"{result.detail or result.outcome}; it keeps the {result.keep} value. Your "
             f"choice stays on record in resolutions/{result.file_name}."])
        return 1
    out([f"Conflict {result.conflict_id} resolved: kept the {result.keep} value, now version "
         f"{result.version} (recorded in resolutions/{result.file_name})."])
    return 0


def _held(args: argparse.Namespace) -> int:
    with _archive(args) as archive:
        held = archive.held()
    if args.json:
        print_json([{"bundle_id": h.bundle_id, "signer_fingerprint": h.signer_fingerprint,
                     "signer_key": h.signer_key, "device_id": h.device_id,
                     "sequence": h.sequence, "created_at": h.created_at,
                     "held_at": h.held_at, "original_name": h.original_name,
                     "counts": h.counts} for h in held])
    elif not held:
        out(["No bundles are held."])
    else:
        out([f"{h.bundle_id}  key {h.signer_fingerprint}  device {h.device_id} "
             f"#{h.sequence}  made {h.created_at[:10]}  ({h.original_name})" for h in held]
            + ["Accept one with `voc archive accept DIR BUNDLE_ID` (this trusts its device), "
               "or remove it with `voc archive refuse DIR BUNDLE_ID`."])
    return 0


def _accept(args: argparse.Namespace) -> int:
    from voc_desktop.services.archive.keeper import BundleStatus

    with _archive(args) as archive:
        device, result = archive.accept(args.bundle_id, args.name)
    out([f"Trusted {device.name}, key {device.fingerprint}.", _result_line(result)])
    return 1 if result.status is BundleStatus.REJECTED else 0


def _refuse(args: argparse.Namespace) -> int:
    with _archive(args) as archive:
        entry = archive.refuse(args.bundle_id)
    out([f"Removed held bundle {entry.bundle_id} (key {entry.signer_fingerprint}). The "
         "refusal is not remembered: if the same file is imported again, it is held again."])
    return 0


def _pack(args: argparse.Namespace) -> int:
    with _archive(args) as archive:
        summary = archive.write_pack(args.output, args.account)
    counts = ", ".join(f"{t.replace('_', ' ')} {n}" for t, n in summary.counts.items())
    out([f"Wrote a pack of {len(summary.accounts)} account(s) to {summary.path} "
         f"({summary.size:,} bytes).", f"  {counts or 'no rows'}.",
         "  Signed with the archive's key; not encrypted."])
    return 0


def _rebuild(args: argparse.Namespace) -> int:
    with _archive(args) as archive:
        summary = archive.rebuild()
    out([f"Rebuilt {summary.index_path} from the folder: {summary.bundles} bundle(s), "
         f"{summary.resolutions} resolution(s)."])
    return 0


def _publish(args: argparse.Namespace) -> int:
    from voc_desktop.services.archive.publish import publish
    with _archive(args) as archive:
        summary = publish(archive, args.output, with_photos=args.with_photos)
    c = summary.counts
    photos = f", {c['photos']} photo(s)" if summary.with_photos else ", no photos"
    out([f"Published {c['findings']} finding(s) of {c['visits']} visit(s){photos} to "
         f"{summary.path}.", f"  Datasette metadata: {summary.metadata_path}",
         "  Names of people who did not agree to be named appear by role; there are no "
         "contact names, raw notes or arbitrary SQL.",
         f"  Browse it: {summary.datasette_command}"])
    return 0
