"""The structural checks on a bundle's zip, and bounded reading of its members.

Python's `zipfile` only parses the central directory here. Member data is read by this module
from the local header on: it knows where every member must end, inflates in bounded steps,
stops as soon as a member yields more than its declared size, and checks CRC-32 and (when
given) SHA-256. Everything a zip can say about itself is treated as a claim to be checked.
"""

from __future__ import annotations

import hashlib
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from voc_desktop.sync.bundle_manifest import (
    MANIFEST_NAME,
    SIGNATURE_NAME,
    BundleError,
    is_content_member,
    show,
)

KiB, MiB, GiB = 1 << 10, 1 << 20, 1 << 30
RAW_CHUNK = 256 * KiB
OUT_CHUNK = 1 * MiB

_EOCD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_MAX_COMMENT = 0xFFFF
_MSDOS_DIRECTORY = 0x10


@dataclass(frozen=True)
class Limits:
    """What a bundle may ask of the reader. Defaults suit real bundles; tests lower them."""
    max_total_size: int = 4 * GiB       # sum of unpacked member sizes
    max_member_size: int = 1 * GiB
    max_ratio: int = 200                 # unpacked / packed, for members over ratio_floor
    ratio_floor: int = 1 * MiB
    max_members: int = 2_000_000
    max_manifest_size: int = 32 * MiB
    max_signature_size: int = 4 * KiB
    max_row_size: int = 16 * MiB         # one line of a records member


@dataclass(frozen=True)
class MemberEntry:
    """One member as the central directory declares it, plus where its data must end."""
    name: str
    header_offset: int
    end_bound: int
    method: int
    compressed_size: int
    size: int
    crc: int
    name_encoding: str


def incomplete(detail: str) -> BundleError:
    return BundleError(f"The bundle is incomplete: it ends {detail}. Was the copy interrupted?")


def _damaged(detail: str) -> BundleError:
    return BundleError(f"The bundle is damaged: {detail}.")


def _read_at(fh: BinaryIO, offset: int, size: int) -> bytes:
    """Up to `size` bytes at `offset`; fewer only at the end of the file (raw files may
    return short reads)."""
    fh.seek(offset)
    data = fh.read(size)
    while data and len(data) < size:
        more = fh.read(size - len(data))
        if not more:
            break
        data += more
    return data


def _is_end_record(tail: bytes, pos: int) -> bool:
    """A true end record is followed by exactly its comment and nothing else."""
    end = pos + _EOCD.size
    return end <= len(tail) and end + _EOCD.unpack_from(tail, pos)[-1] == len(tail)


def find_directory(fh: BinaryIO, file_size: int) -> tuple[int, int, int]:
    """(entries, size, offset) of the central directory, from the end record(s)."""
    tail_start = max(0, file_size - _EOCD.size - _MAX_COMMENT)
    tail = _read_at(fh, tail_start, file_size - tail_start)
    pos = tail.rfind(b"PK\x05\x06")
    while pos >= 0 and not _is_end_record(tail, pos):
        pos = tail.rfind(b"PK\x05\x06", 0, pos)
    if pos < 0:
        raise incomplete("before its table of contents")
    eocd_at = tail_start + pos
    _, disk, cd_disk, _, entries, cd_size, cd_offset, _ = _EOCD.unpack_from(tail, pos)
    directory_end = eocd_at
    if 0xFFFF in (entries, disk, cd_disk) or 0xFFFFFFFF in (cd_size, cd_offset):
        locator = _read_at(fh, eocd_at - _ZIP64_LOCATOR.size, _ZIP64_LOCATOR.size) \
            if eocd_at >= _ZIP64_LOCATOR.size else b""
        if len(locator) != _ZIP64_LOCATOR.size or locator[:4] != b"PK\x06\x07":
            raise _damaged("its large-file table of contents is missing")
        record_at = _ZIP64_LOCATOR.unpack(locator)[2]
        record = _read_at(fh, record_at, _ZIP64_EOCD.size)
        if len(record) != _ZIP64_EOCD.size or record[:4] != b"PK\x06\x06":
            raise _damaged("its large-file table of contents is missing")
        _, _, _, _, disk, cd_disk, _, entries, cd_size, cd_offset = _ZIP64_EOCD.unpack(record)
        directory_end = record_at
    if disk or cd_disk:
        raise _damaged("it claims to span several disks")
    if cd_offset + cd_size != directory_end:
        raise _damaged("its table of contents is not where it says it is")
    return entries, cd_size, cd_offset


def _refuse_name(name: str) -> BundleError:
    if (".." in name.replace("\\", "/").split("/") or name.startswith(("/", "\\"))
            or "\\" in name or (len(name) > 1 and name[1] == ":") or "\0" in name):
        return BundleError(f"The bundle's member {show(name)} has an unsafe path.")
    if name.endswith("/"):
        return BundleError(f"The bundle's member {show(name)} is a folder; bundles hold "
                           "files only.")
    return BundleError(f"The bundle's member {show(name)} is not part of the bundle format.")


def _check_entry(info: zipfile.ZipInfo, limits: Limits) -> None:
    name = info.orig_filename
    if name != info.filename or not (
            name in (MANIFEST_NAME, SIGNATURE_NAME) or is_content_member(name)):
        raise _refuse_name(name)
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise BundleError(f"The bundle's member {show(name)} is a symbolic link; bundles "
                          "hold plain files only.")
    if (mode and not stat.S_ISREG(mode)) or info.external_attr & _MSDOS_DIRECTORY:
        raise BundleError(f"The bundle's member {show(name)} is not a plain file.")
    if info.flag_bits & 0x1:
        raise BundleError(f"The bundle's member {show(name)} is protected by a zip password, "
                          "which bundles never use.")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise BundleError(f"The bundle's member {show(name)} uses a compression method "
                          f"({info.compress_type}) that bundles never use.")
    size, packed = info.file_size, info.compress_size
    if size > limits.max_member_size:
        raise BundleError(f"The bundle's member {show(name)} is too large ({size:,} bytes; "
                          f"the limit is {limits.max_member_size:,}).")
    # Deflate never grows data by more than a few bytes per 16 KiB block.
    stored_mismatch = info.compress_type == zipfile.ZIP_STORED and packed != size
    if stored_mismatch or packed > size + size // 100 + 1024:
        raise BundleError(f"The bundle's member {show(name)} declares sizes that cannot be "
                          f"right ({packed:,} bytes packed, {size:,} unpacked).")
    if size > limits.ratio_floor and size > packed * limits.max_ratio:
        raise BundleError(f"The bundle's member {show(name)} would unpack to "
                          f"{size // max(packed, 1):,} times its packed size (the limit is "
                          f"{limits.max_ratio}); it looks like a zip bomb.")


def scan_zip(fh: BinaryIO, limits: Limits) -> dict[str, MemberEntry]:
    """Check the zip's structure from its central directory alone; no member is read."""
    file_size = fh.seek(0, 2)
    entries, _, cd_offset = find_directory(fh, file_size)
    if entries > limits.max_members:
        raise BundleError(f"The bundle has too many members ({entries:,}; the limit is "
                          f"{limits.max_members:,}).")
    try:
        infos = zipfile.ZipFile(fh).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, struct.error,
            UnicodeDecodeError) as exc:
        raise _damaged(f"its table of contents cannot be read ({exc})") from exc
    if len(infos) != entries:
        raise _damaged("its table of contents does not hold the members it counts")
    seen: set[str] = set()
    total = 0
    for info in infos:
        _check_entry(info, limits)
        if info.filename in seen:
            raise BundleError(f"The bundle holds the member {show(info.filename)} twice.")
        seen.add(info.filename)
        total += info.file_size
        if total > limits.max_total_size:
            raise BundleError(f"The bundle is too large when unpacked (over "
                              f"{limits.max_total_size:,} bytes).")
    for required, message in ((MANIFEST_NAME, "The bundle has no manifest.json: it is not a "
                               "complete VOC bundle."),
                              (SIGNATURE_NAME, "The bundle is not signed (manifest.sig is "
                               "missing).")):
        if required not in seen:
            raise BundleError(message)
    return _with_bounds(infos, cd_offset)


def _with_bounds(infos: list[zipfile.ZipInfo], cd_offset: int) -> dict[str, MemberEntry]:
    """Each member must end before the next one starts: overlapping members are refused."""
    ordered = sorted(infos, key=lambda i: i.header_offset)
    result: dict[str, MemberEntry] = {}
    for index, info in enumerate(ordered):
        bound = ordered[index + 1].header_offset if index + 1 < len(ordered) else cd_offset
        encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
        name_length = len(info.orig_filename.encode(encoding))
        if info.header_offset + _LOCAL_HEADER.size + name_length + info.compress_size > bound:
            raise _damaged(f"member {show(info.filename)} overlaps the next one")
        result[info.filename] = MemberEntry(
            info.filename, info.header_offset, bound, info.compress_type,
            info.compress_size, info.file_size, info.CRC, encoding)
    return result


def _data_start(fh: BinaryIO, entry: MemberEntry) -> int:
    header = _read_at(fh, entry.header_offset, _LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise _damaged(f"member {show(entry.name)} has no valid header")
    fields = _LOCAL_HEADER.unpack(header)
    method, name_length, extra_length = fields[4], fields[10], fields[11]
    start = entry.header_offset + _LOCAL_HEADER.size
    local_name = _read_at(fh, start, name_length)
    if method != entry.method or local_name.decode(entry.name_encoding, "replace") != entry.name:
        raise _damaged(f"member {show(entry.name)} has a header that contradicts the table "
                       "of contents")
    start += name_length + extra_length
    if start + entry.compressed_size > entry.end_bound:
        raise _damaged(f"member {show(entry.name)} overlaps the next one")
    return start


def _inflate(inflater: zlib._Decompress, raw: bytes, name: str) -> Iterator[bytes]:
    data = raw
    while data:
        if inflater.eof:
            break
        # max_length keeps one step's output bounded however well the input compresses.
        out = inflater.decompress(data, OUT_CHUNK)
        data = inflater.unconsumed_tail
        if out:
            yield out
    if data or inflater.unused_data:
        raise _damaged(f"member {show(name)} has data after its end")


def iter_member(fh: BinaryIO, entry: MemberEntry,
                expected_sha256: str | None = None) -> Iterator[bytes]:
    """The member's unpacked bytes in chunks of at most 1 MiB, checked while they pass.

    Refused at once when the data grows past the declared size; after the last chunk, when
    it is shorter, or its CRC-32 or SHA-256 (if `expected_sha256`) does not match.
    """
    start = _data_start(fh, entry)
    end = start + entry.compressed_size
    digest = hashlib.sha256()
    crc = 0
    produced = 0
    inflater = zlib.decompressobj(-15) if entry.method == zipfile.ZIP_DEFLATED else None
    pos = start
    try:
        while pos < end:
            raw = _read_at(fh, pos, min(RAW_CHUNK, end - pos))
            if not raw:
                raise incomplete(f"inside member {show(entry.name)}")
            pos += len(raw)
            for piece in (_inflate(inflater, raw, entry.name) if inflater else (raw,)):
                produced += len(piece)
                if produced > entry.size:
                    raise BundleError(f"The bundle's member {show(entry.name)} unpacks to more "
                                      f"than its declared {entry.size:,} bytes; it is refused.")
                digest.update(piece)
                crc = zlib.crc32(piece, crc)
                yield piece
    except zlib.error as exc:
        raise _damaged(f"member {show(entry.name)} cannot be unpacked ({exc})") from exc
    if (inflater and not inflater.eof) or produced != entry.size:
        raise _damaged(f"member {show(entry.name)} is shorter than declared")
    if expected_sha256 is not None and digest.hexdigest() != expected_sha256:
        raise BundleError(f"The bundle's member {show(entry.name)} does not match its "
                          "manifest: it was changed after the bundle was made.")
    if crc != entry.crc:
        raise _damaged(f"member {show(entry.name)} fails its checksum")


def read_small(fh: BinaryIO, entry: MemberEntry, limit: int) -> bytes:
    """A whole member that must be small (manifest, signature)."""
    if entry.size > limit:
        raise BundleError(f"The bundle's {entry.name} is too large ({entry.size:,} bytes; "
                          f"the limit is {limit:,}).")
    return b"".join(iter_member(fh, entry))
