"""The `voc` commands that move work between this laptop and the shared archive.

    voc bundle export [-o PATH] [--all] [--no-encrypt] [--json]
    voc device-key [--json]
    voc settings archive-key [KEY | --clear] [--json]
    voc contact erase CONTACT_ID [--yes]
    voc pack import FILE [--json]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from voc_desktop.cli.menu import summary
from voc_desktop.cli.output import out, print_json, size_text, warn
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.workspace.workspace import Workspace

BUNDLE_KEYS = ("file, bundle_id, sequence, previous_sequence, complete, counts{table: rows}, "
               "attachments, size, encrypted, archive_fingerprint, created_at")
DEVICE_KEYS = "device_id, public_key, fingerprint"
ARCHIVE_KEYS = "key, fingerprint, signing_key (all null when no key is set)"
PACK_KEYS = ("file, bundle_id, archive_id, sequence, created_at, new, updated, duplicates, "
             "dropped, erasures, attachments, tables{table: {new, updated, duplicates, "
             "conflicts, dropped}}, conflicts[{table, id, laptop_version, archive_version}]")
_COUNT_FIELDS = ("new", "updated", "duplicates", "conflicts", "dropped")

Sub = Callable[..., argparse.ArgumentParser]


def add_commands(commands: Any, sub: Sub, json_flag: Callable[..., None]) -> None:
    group = commands.add_parser("bundle", help=summary("bundle"))
    group = group.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = sub(group, "export", _bundle_export,
            "Write what changed since the last bundle to a bundle file for the archive.")
    p.add_argument("-o", "--output", type=Path, metavar="PATH",
                   help="file or folder to write to (default: a name made of the date, this "
                   "laptop and the bundle's number, in the current folder)")
    p.add_argument("--all", dest="everything", action="store_true",
                   help="export everything, not only the changes since the last bundle")
    p.add_argument("--no-encrypt", action="store_true",
                   help="write the bundle unencrypted (anyone who gets the file can read it)")
    json_flag(p, f"one object with keys {BUNDLE_KEYS}")

    p = sub(commands, "device-key", _device_key,
            "Show this laptop's public key, which the archive uses to recognise its bundles.")
    json_flag(p, f"one object with keys {DEVICE_KEYS}")

    group = commands.add_parser("settings", help=summary("settings"))
    group = group.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = sub(group, "archive-key", _archive_key,
            "Show, set or clear the archive's key (bundles are encrypted for it, and packs "
            "are accepted only when signed by it).")
    choice = p.add_mutually_exclusive_group()
    choice.add_argument("key", nargs="?", metavar="KEY",
                        help="the archive key, 'voc-archive-1:...', as the archive shows it")
    choice.add_argument("--clear", action="store_true", help="forget the archive key")
    json_flag(p, f"one object with keys {ARCHIVE_KEYS}")

    group = commands.add_parser("contact", help=summary("contact"))
    group = group.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = sub(group, "erase", _contact_erase,
            "Erase a person who withdrew consent: their name, title, consent, quotes and "
            "attendances. The archive erases them too once it gets the next bundle.")
    p.add_argument("contact_id", metavar="CONTACT_ID",
                   help="contact id, or a unique beginning of it")
    p.add_argument("--yes", action="store_true",
                   help="confirm: the erasure cannot be undone")

    group = commands.add_parser("pack", help=summary("pack"))
    group = group.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = sub(group, "import", _pack_import,
            "Take in a pack made by the archive (checked against the archive key first).")
    p.add_argument("file", type=Path, metavar="FILE", help="a .vocbundle pack from the archive")
    json_flag(p, f"one object with keys {PACK_KEYS}")


# --- commands ----------------------------------------------------------------------------

def _bundle_export(ws: Workspace, args: argparse.Namespace) -> int:
    from voc_desktop.services.bundles import export as bundles

    summary = bundles.export_bundle(ws, args.output or Path.cwd(), everything=args.everything,
                                    encrypt=False if args.no_encrypt else None)
    if args.json:
        print_json({
            "file": str(summary.path), "bundle_id": summary.bundle_id,
            "sequence": summary.sequence, "previous_sequence": summary.previous_sequence,
            "complete": summary.complete, "counts": summary.counts,
            "attachments": summary.attachments, "size": summary.size,
            "encrypted": summary.encrypted, "archive_fingerprint": summary.archive_fingerprint,
            "created_at": summary.created_at})
        return 0
    what = ("Everything in this workspace" if summary.complete
            else f"Changes since bundle #{summary.previous_sequence}"
            if summary.previous_sequence else "All changes so far")
    counts = ", ".join(f"{table.replace('_', ' ')} {n}" for table, n in summary.counts.items())
    sealed = (f"Encrypted for archive {summary.archive_fingerprint}." if summary.encrypted
              else "Not encrypted (you chose --no-encrypt).")
    out([f"Wrote bundle #{summary.sequence} to {summary.path} ({size_text(summary.size)}).",
         f"  {what}: {counts}.", f"  {sealed}"])
    return 0


def _device_key(ws: Workspace, args: argparse.Namespace) -> int:
    from voc_desktop.services.bundles import export as bundles

    key = bundles.device_key(ws)
    if args.json:
        print_json({"device_id": key.device_id, "public_key": key.public_key,
                    "fingerprint": key.fingerprint})
        return 0
    out(["This laptop's public key (give it to whoever keeps the archive):",
         f"  {key.public_key}", f"  Fingerprint: {key.fingerprint}"])
    return 0


def _archive_key(ws: Workspace, args: argparse.Namespace) -> int:
    from voc_desktop.services.bundles import export as bundles

    old = bundles.archive_key(ws) if not args.clear else None
    if args.clear:
        cleared = bundles.clear_archive_key(ws)
        key = None
        lines = [f"Forgot the archive key {cleared.fingerprint}." if cleared
                 else "No archive key was set."]
    elif args.key is not None:
        key = bundles.set_archive_key(ws, args.key)
        replaced = f" (it replaces {old.fingerprint})" if old and old != key else ""
        lines = [f"Archive key set{replaced}.", f"  Fingerprint: {key.fingerprint}",
                 "  Check that the archive shows the same fingerprint."]
    else:
        key = old
        lines = (["Archive key:", f"  {key.text}", f"  Fingerprint: {key.fingerprint}"] if key
                 else ["No archive key is set. Add one with `voc settings archive-key KEY`."])
    if args.json:
        print_json({"key": key.text if key else None,
                    "fingerprint": key.fingerprint if key else None,
                    "signing_key": key.signing_public_text if key else None})
    else:
        out(lines)
    return 0


def _contact_erase(ws: Workspace, args: argparse.Namespace) -> int:
    from voc_desktop.services.bundles import export as bundles

    if not args.yes:
        preview = bundles.erasure_preview(ws, args.contact_id)
        who = f"'{preview.name}'" if preview.name else "this contact"
        raise ServiceError(
            f"Erasing {who} removes their name, title and consent, {_n(preview.quotes, 'quote')}"
            f", {_n(preview.attendances, 'attendance')} and "
            f"{_n(preview.learnings, 'key learning')} drawn from their quotes, here and at the "
            "archive after the next bundle. It cannot be undone: add --yes to erase.")
    done = bundles.erase_contact(ws, args.contact_id)
    out([f"Erased contact {done.contact_id}: {_n(done.quotes, 'quote')}, "
         f"{_n(done.attendances, 'attendance')} and {_n(done.learnings, 'key learning')} "
         "removed.", "  The archive erases them too once it gets the next bundle.",
         *(f"  Backups: {line}" for line in done.backup_lines())])
    return 0


def _pack_import(ws: Workspace, args: argparse.Namespace) -> int:
    from voc_desktop.services.bundles import export as bundles

    summary = bundles.import_pack(ws, args.file)
    if args.json:
        print_json({
            "file": str(summary.path), "bundle_id": summary.bundle_id,
            "archive_id": summary.archive_id, "sequence": summary.sequence,
            "created_at": summary.created_at, "new": summary.totals.new,
            "updated": summary.totals.updated, "duplicates": summary.totals.duplicates,
            "dropped": summary.totals.dropped, "erasures": summary.erasures,
            "attachments": summary.attachments,
            "tables": {t: {f: getattr(c, f) for f in _COUNT_FIELDS}
                       for t, c in summary.tables.items()},
            "conflicts": [{"table": c.table, "id": c.id, "laptop_version": c.laptop_version,
                           "archive_version": c.archive_version} for c in summary.conflicts]})
        return 0
    t = summary.totals
    lines = [f"Imported pack #{summary.sequence} from archive {summary.archive_fingerprint} "
             f"(made {_day(summary.created_at)}): {t.new} new, {t.updated} updated, "
             f"{t.duplicates} already here, {t.conflicts} in conflict."]
    for table, c in summary.tables.items():
        parts = [f"{getattr(c, f)} {f}" for f in _COUNT_FIELDS if getattr(c, f)]
        lines.append(f"  {table.replace('_', ' ')}: {', '.join(parts) or 'nothing'}")
    if summary.erasures:
        lines.append(f"  {_n(summary.erasures, 'person')} erased at the archive, now here too.")
    if summary.attachments:
        lines.append(f"  {_n(summary.attachments, 'attachment')} added.")
    out(lines)
    if summary.conflicts:
        warn(f"{_n(len(summary.conflicts), 'record')} changed both here and at the archive; "
             "this laptop's copies were kept: "
             + "; ".join(f"{c.table} {c.id[:8]} (here {c.laptop_version}, archive "
                         f"{c.archive_version})" for c in summary.conflicts[:10])
             + ("; …" if len(summary.conflicts) > 10 else ""))
    return 0


def _n(count: int, noun: str) -> str:
    plural = {"person": "people"}.get(noun, noun + "s")
    return f"{count} {noun if count == 1 else plural}"



def _day(stamp: str) -> str:
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone().date() \
            .isoformat()
    except ValueError:
        return stamp
