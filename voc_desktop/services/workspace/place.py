"""Where a live database may live: on this computer's own disk, outside any synced folder.

SQLite keeps a database consistent with file locks and, in WAL mode, with shared memory
beside the file. Network file systems honour neither reliably, and sync clients copy the
database, its -wal and its -shm at different moments, so a synced or shared workspace gets
damaged sooner or later. The archive shares bundles instead: immutable files that any of
those places carries safely. So the workspace, and the archive index that lives in it, are
refused on such places, while the archive folder itself is meant to be shared.

Every operating-system question goes through `Probes`, so tests run each branch (Linux
mount table, macOS statfs, Windows drive types, sync clients' marker files) on any machine.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import stat
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

from voc_desktop.services.errors import ServiceError

ADVICE = ("Choose a folder on this computer's own disk with --data-dir; share visits through "
          "bundles.")

# Linux file system types that reach another computer: kernel clients and FUSE programs.
NETWORK_FS = frozenset("""
    nfs nfs4 cifs smb3 smbfs ncpfs afs openafs coda ceph glusterfs lustre gpfs beegfs
    orangefs pvfs2 davfs fuse.sshfs fuse.rclone fuse.gvfsd-fuse fuse.s3fs
    fuse.pcloud fuse.glusterfs fuse.davfs fuse.davfs2 fuse.curlftpfs fuse.gcsfuse fuse.goofys
    fuse.juicefs fuse.kio-fuse fuse.onedriver fuse.google-drive-ocamlfuse fuse.ceph-fuse
    fuse.cephfs fuse.mountpoint-s3 fuse.blobfuse fuse.blobfuse2 fuse.afpfs
""".split())

MNT_LOCAL = 0x1000  # macOS: the file system is stored locally
DRIVE_REMOTE = 4  # Windows GetDriveTypeW: a network drive

# macOS File Provider folders under ~/Library/CloudStorage are named "<Provider>-<account>"
_PROVIDERS = {"googledrive": "Google Drive", "onedrive": "OneDrive", "dropbox": "Dropbox",
              "box": "Box", "icloud": "iCloud Drive"}
_SYNC_DB = re.compile(r"\._?sync_[0-9a-f]+\.db")  # Nextcloud and ownCloud clients' journal
_log = logging.getLogger(__name__)


class UnsafePlace(ServiceError):
    """The folder is on a network share or inside a cloud-synced folder."""


class NotWritable(ServiceError):
    """The workspace's folder or file cannot be written here."""


def _read_mountinfo() -> str | None:
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="surrogateescape") as fh:
            return fh.read()
    except OSError:
        return None


def _entries(folder: str) -> dict[str, bool]:
    """Names in `folder`, each with whether it is a folder; empty when it cannot be read."""
    found: dict[str, bool] = {}
    with contextlib.suppress(OSError), os.scandir(folder) as listing:
        for entry in listing:
            try:
                found[entry.name] = entry.is_dir()
            except OSError:
                found[entry.name] = False
    return found


def _macos_local(path: str) -> tuple[bool, str] | None:
    """(stored locally, file system type) from statfs, or None when it cannot be asked."""
    import ctypes  # only asked on macOS; not worth its import on every start elsewhere

    class Statfs(ctypes.Structure):  # struct statfs with 64-bit inodes (macOS 10.6 on)
        _fields_ = [("f_bsize", ctypes.c_uint32), ("f_iosize", ctypes.c_int32),
                    ("f_blocks", ctypes.c_uint64), ("f_bfree", ctypes.c_uint64),
                    ("f_bavail", ctypes.c_uint64), ("f_files", ctypes.c_uint64),
                    ("f_ffree", ctypes.c_uint64), ("f_fsid", ctypes.c_int32 * 2),
                    ("f_owner", ctypes.c_uint32), ("f_type", ctypes.c_uint32),
                    ("f_flags", ctypes.c_uint32), ("f_fssubtype", ctypes.c_uint32),
                    ("f_fstypename", ctypes.c_char * 16), ("f_mntonname", ctypes.c_char * 1024),
                    ("f_mntfromname", ctypes.c_char * 1024), ("f_flags_ext", ctypes.c_uint32),
                    ("f_reserved", ctypes.c_uint32 * 7)]

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        try:  # Intel Macs keep the 64-bit inode variant under its own name
            statfs = libc["statfs$INODE64"]
        except AttributeError:
            statfs = libc["statfs"]
        buf = Statfs()
        if statfs(os.fsencode(path), ctypes.byref(buf)) != 0:
            return None
        return bool(buf.f_flags & MNT_LOCAL), buf.f_fstypename.decode(errors="replace")
    except (OSError, AttributeError, ValueError):
        return None


def _windows_drive_type(root: str) -> int | None:
    import ctypes

    try:
        return int(ctypes.windll.kernel32.GetDriveTypeW(root))  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return None


def _dropbox_info_files(env: Mapping[str, str], home: str) -> list[str]:
    places = [os.path.join(home, ".dropbox", "info.json")]
    places += [os.path.join(env[name], "Dropbox", "info.json")
               for name in ("APPDATA", "LOCALAPPDATA") if env.get(name)]
    return places


def _read_text(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read(1 << 16)
    except (OSError, UnicodeDecodeError):
        return None


@dataclass(frozen=True)
class Probes:
    """What the check asks the operating system; the defaults ask the real one."""

    platform: str = sys.platform
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    home: str = field(default_factory=lambda: os.path.expanduser("~"))
    resolve: Callable[[str], str] = os.path.realpath
    mountinfo: Callable[[], str | None] = _read_mountinfo
    macos_local: Callable[[str], tuple[bool, str] | None] = _macos_local
    drive_type: Callable[[str], int | None] = _windows_drive_type
    entries: Callable[[str], dict[str, bool]] = _entries
    exists: Callable[[str], bool] = os.path.exists
    read_text: Callable[[str], str | None] = _read_text

    @property
    def windows(self) -> bool:
        return self.platform == "win32"

    def pure(self, text: str) -> PurePath:
        return PureWindowsPath(text) if self.windows else PurePosixPath(text)


def check_workspace_place(folder: Path | str, *, what: str = "workspace",
                          probes: Probes | None = None) -> None:
    """Raise UnsafePlace when `folder` is on a network share or in a synced folder."""
    reason = why_unsafe(folder, probes or Probes())
    if reason:
        raise UnsafePlace(f"VOC Desktop cannot keep its {what} in {folder}: {reason}. A "
                          "database there can be damaged when the connection drops or "
                          f"another computer syncs it half-written. {ADVICE}")


def why_unsafe(folder: Path | str, probes: Probes) -> str | None:
    """Why `folder` is no place for a live database, or None when it is fine."""
    resolved = probes.resolve(os.path.expanduser(os.fspath(folder)))
    return _network_reason(resolved, probes) or _sync_reason(resolved, probes)


# --- network file systems -----------------------------------------------------------------

def _network_reason(path: str, probes: Probes) -> str | None:
    if probes.windows:
        return _windows_network(path, probes)
    if probes.platform == "darwin":
        found = probes.macos_local(_existing(path, probes))
        if found is not None and not found[0]:
            return f"it is on a network share ({found[1]})"
        return None
    text = probes.mountinfo()
    fs_type = mount_type(text, path) if text else None
    if fs_type in NETWORK_FS:
        return f"it is on a network share ({fs_type})"
    return None


def _existing(path: str, probes: Probes) -> str:
    """The folder itself, or the nearest parent that exists (statfs needs a real path)."""
    current = probes.pure(path)
    for candidate in (current, *current.parents):
        if probes.exists(str(candidate)):
            return str(candidate)
    return str(current)


def _unescape(field_text: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field_text)


def mount_type(mountinfo: str, path: str) -> str | None:
    """The file system type of the mount that holds `path`: the longest mount point that is
    a prefix of it (a later line wins, as it is mounted over an earlier one)."""
    best: tuple[int, str] | None = None
    for line in mountinfo.splitlines():
        parts = line.split(" ")
        try:
            mount_point = _unescape(parts[4])
            fs_type = _unescape(parts[parts.index("-", 6) + 1])
        except (IndexError, ValueError):
            continue
        inside = (path == mount_point or mount_point == "/"
                  or path.startswith(mount_point.rstrip("/") + "/"))
        if inside and (best is None or len(mount_point) >= best[0]):
            best = (len(mount_point), fs_type)
    return best[1] if best else None


def _windows_network(path: str, probes: Probes) -> str | None:
    text = path.replace("/", "\\")
    if text.upper().startswith("\\\\?\\UNC\\") or (text.startswith("\\\\")
                                                   and not text.startswith("\\\\?\\")
                                                   and not text.startswith("\\\\.\\")):
        return "it is on a network share"
    drive = PureWindowsPath(text.removeprefix("\\\\?\\")).drive
    if drive and probes.drive_type(drive + "\\") == DRIVE_REMOTE:
        return f"it is on a network drive ({drive})"
    return None


# --- cloud-synced folders -------------------------------------------------------------------

def _inside(path: PurePath, root: str | None, probes: Probes) -> bool:
    if not root or not root.strip():
        return False
    base = probes.pure(probes.resolve(root.strip()))
    if probes.windows:  # Windows paths compare without regard to case
        path, base = PureWindowsPath(str(path).lower()), PureWindowsPath(str(base).lower())
    return path == base or base in path.parents


def _sync_reason(resolved: str, probes: Probes) -> str | None:
    path = probes.pure(resolved)
    for name in ("OneDrive", "OneDriveConsumer", "OneDriveCommercial"):
        if _inside(path, probes.env.get(name), probes):
            return "it is synced by OneDrive"
    home = probes.pure(probes.home)
    cloud = home / "Library" / "CloudStorage"
    if cloud in path.parents:
        provider = path.relative_to(cloud).parts[0].split("-")[0]
        return f"it is synced by {_PROVIDERS.get(provider.lower(), provider)}"
    if home / "Library" / "Mobile Documents" in path.parents or \
            path == home / "Library" / "Mobile Documents":
        return "it is synced by iCloud Drive"
    if ".shortcut-targets-by-id" in path.parts:
        return "it is inside a Google Drive folder"
    for info in _dropbox_info_files(probes.env, probes.home):
        if _dropbox_roots_hold(path, probes.read_text(info), probes):
            return "it is inside a Dropbox folder"
    return _marker_reason(path, probes)


def _dropbox_roots_hold(path: PurePath, text: str | None, probes: Probes) -> bool:
    if not text:
        return False
    try:
        accounts = json.loads(text)
    except ValueError:
        return False
    if not isinstance(accounts, dict):
        return False
    return any(isinstance(a, dict) and isinstance(a.get("path"), str)
               and _inside(path, a["path"], probes) for a in accounts.values())


def _marker_reason(path: PurePath, probes: Probes) -> str | None:
    """Marker files sync clients keep in the top folder they sync, looked for in the folder
    and each of its parents. Only markers no other program makes: a plain folder name such
    as "Dropbox" proves nothing."""
    for folder in (path, *path.parents):
        names = probes.entries(str(folder))
        if not names:
            continue
        if names.get(".dropbox") is False or names.get(".dropbox.cache") is True:
            # a .dropbox *file* marks a Dropbox folder; ~/.dropbox, a folder, is its settings
            return "it is inside a Dropbox folder"
        if ".shortcut-targets-by-id" in names or ".tmp.drivedownload" in names \
                or ".tmp.driveupload" in names:
            return "it is inside a Google Drive folder"
        if ".owncloudsync.log" in names or any(_SYNC_DB.fullmatch(n) for n in names):
            return "it is inside a Nextcloud or ownCloud folder"
        if ".stfolder" in names:
            return "it is inside a Syncthing folder"
        if names.get(".sync") and "ID" in probes.entries(str(folder / ".sync")):
            return "it is inside a Resilio Sync folder"
        if ".megaignore" in names:
            return "it is inside a MEGA folder"
    return None


# --- preparing the folder -------------------------------------------------------------------

OWN_FOLDERS = frozenset({"backups", "logs", "archives"})
_OWN_PREFIXES = ("workspace.", "device-key", ".workspace.", ".device-key", ".write-check")


def _own_file(name: str) -> bool:
    return name.startswith(_OWN_PREFIXES)


def make_private(folder: Path) -> int:
    """Owner-only modes (folders 0700, files 0600) for the workspace folder and VOC Desktop's
    files and folders in it; returns how many had been readable by others. A folder a person
    also keeps other things in keeps its own mode: its workspace files are private anyway.

    POSIX only: on Windows workspaces live in the per-user profile (AppData), whose access
    list already keeps other users out."""
    if os.name != "posix":
        return 0
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    tightened = 0
    if all(_own_file(n) or n in OWN_FOLDERS or n.startswith(".") for n in names):
        tightened += _tighten(folder)
    for name in names:
        path = folder / name
        if name in OWN_FOLDERS:
            tightened += _tighten(path)
            for root, folders, files in os.walk(path):
                tightened += sum(_tighten(Path(root, n)) for n in (*folders, *files))
        elif _own_file(name):
            tightened += _tighten(path)
    return tightened


def _tighten(path: Path) -> int:
    """Take the group's and others' permissions away; 1 when there were any."""
    try:
        st = os.lstat(path)
        mode = stat.S_IMODE(st.st_mode)
        if stat.S_ISLNK(st.st_mode) or st.st_uid != os.geteuid() or not mode & 0o077:
            return 0
        os.chmod(path, mode & 0o700)
    except OSError:  # not ours to change, or gone meanwhile: nothing to gain from failing
        return 0
    return 1


def check_writable(folder: Path, database: Path) -> None:
    """Raise NotWritable when the database or its folder cannot be written, before SQLite
    opens it: a read-only file otherwise looks like a damaged one."""
    from voc_desktop.safe_files import why_not_written

    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if database.exists():
            os.close(os.open(database, os.O_RDWR))
        # SQLite also writes the -wal and -shm files beside the database
        probe = folder / f".write-check-{os.getpid()}"
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        probe.unlink()
    except OSError as exc:
        raise NotWritable(
            f"The workspace in {folder} cannot be opened for writing: {why_not_written(exc)}. "
            "Nothing in it was changed. Make the folder and its files writable for you, or "
            "open a copy of the folder from a place you can write to with --data-dir.") \
            from exc


def prepare_workspace_folder(folder: Path, database: Path) -> None:
    """Everything checked before the workspace database is touched: a safe place, writable,
    and private."""
    started = time.perf_counter()
    check_workspace_place(folder)
    check_writable(folder, database)
    tightened = make_private(folder)
    if tightened:
        _log.info("Made %d workspace files and folders readable by their owner only",
                  tightened)
    _log.debug("Workspace folder checked in %.1f ms", (time.perf_counter() - started) * 1000)
