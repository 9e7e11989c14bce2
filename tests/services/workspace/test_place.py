"""Where a workspace may live: network shares and synced folders are refused, with a reason
and what to do instead; local folders pass, quickly."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from voc_desktop.services.workspace.place import (
    Probes,
    UnsafePlace,
    check_workspace_place,
    mount_type,
    why_unsafe,
)
from voc_desktop.services.workspace.workspace import Workspace

MOUNTS = """\
22 27 0:21 / /proc rw,relatime - proc proc rw
27 1 254:0 / / rw,relatime - ext4 /dev/vda rw
40 27 0:40 / /home rw,relatime shared:5 - btrfs /dev/vdb rw
41 40 0:41 / /home/sam/shared\\040drive rw,relatime - nfs4 nas:/export rw
42 41 0:42 / /home/sam/shared\\040drive/scratch rw - ext4 /dev/vdc rw
43 40 0:43 / /home/sam/remote rw,nosuid - fuse.sshfs sam@host:/ rw
44 40 0:44 / /home/sam/remote rw - ext4 /dev/vdd rw
"""


def linux(**changes) -> Probes:
    """Probes for a Linux machine with the mount table above and no sync clients."""
    base = Probes(platform="linux", env={}, home="/home/sam", resolve=lambda p: p,
                  mountinfo=lambda: MOUNTS, entries=lambda p: {}, read_text=lambda p: None)
    return dataclasses.replace(base, **changes)


def windows(drives: dict[str, int] | None = None, entries=None, **changes) -> Probes:
    """Probes for a Windows machine: `drives` maps a root such as "Z:\\" to its type."""
    kinds = drives or {}
    listing = entries or {}
    return Probes(platform="win32", env=changes.pop("env", {}), home="C:\\Users\\sam",
                  resolve=lambda p: p, drive_type=lambda root: kinds.get(root, 3),
                  entries=lambda p: listing.get(p, {}), read_text=lambda p: None, **changes)


def test_the_mount_table_gives_the_longest_matching_mount_point():
    """A path belongs to the deepest mount above it; \\040 in a mount point is a space."""
    assert mount_type(MOUNTS, "/home/sam/shared drive/visits") == "nfs4"
    assert mount_type(MOUNTS, "/home/sam/shared drive/scratch/ws") == "ext4"
    assert mount_type(MOUNTS, "/home/sam/shared drivers") == "btrfs"
    assert mount_type(MOUNTS, "/var/lib") == "ext4"


def test_a_later_mount_on_the_same_point_hides_the_earlier_one():
    """A local disk mounted over an sshfs mount point is what the path reaches."""
    assert mount_type(MOUNTS, "/home/sam/remote/ws") == "ext4"
    only_sshfs = "\n".join(line for line in MOUNTS.splitlines() if not line.startswith("44"))
    assert mount_type(only_sshfs, "/home/sam/remote/ws") == "fuse.sshfs"


def test_an_nfs_folder_is_refused_with_reason_and_advice():
    """The message names the folder, why, and what to do instead."""
    with pytest.raises(UnsafePlace) as refused:
        check_workspace_place("/home/sam/shared drive/voc", probes=linux())
    text = str(refused.value)
    assert "/home/sam/shared drive/voc" in text
    assert "it is on a network share (nfs4)" in text
    assert "choose a folder on this computer's own disk with --data-dir" in text.lower()
    assert "share visits through bundles" in text


@pytest.mark.parametrize("fs_type", ["nfs", "cifs", "smb3", "smbfs", "afs", "ceph",
                                     "glusterfs", "lustre", "gpfs", "fuse.sshfs",
                                     "fuse.rclone", "fuse.gvfsd-fuse", "fuse.s3fs",
                                     "fuse.pcloud"])
def test_network_file_systems_are_refused(fs_type):
    """Every kernel and FUSE network file system on the list is refused."""
    table = f"27 1 254:0 / / rw - ext4 /dev/vda rw\n50 27 0:50 / /mnt/x rw - {fs_type} s rw\n"
    reason = why_unsafe("/mnt/x/ws", linux(mountinfo=lambda: table))
    assert reason == f"it is on a network share ({fs_type})"


@pytest.mark.parametrize("fs_type", ["ext4", "btrfs", "xfs", "tmpfs", "zfs", "fuse.encfs",
                                     "fuseblk", "overlay"])
def test_local_file_systems_pass(fs_type):
    """Local disks, RAM disks, encrypted and NTFS (fuseblk) folders are fine."""
    table = f"27 1 254:0 / / rw - {fs_type} /dev/vda rw\n"
    assert why_unsafe("/home/sam/ws", linux(mountinfo=lambda: table)) is None


def test_without_a_mount_table_the_folder_is_not_refused():
    """When /proc cannot be read the check stays out of the way."""
    assert why_unsafe("/home/sam/ws", linux(mountinfo=lambda: None)) is None


def test_macos_asks_statfs_for_the_local_flag():
    """A volume without MNT_LOCAL is a network share; statfs of the nearest existing folder
    is asked; a failed statfs refuses nothing."""
    asked = []

    def remote(path):
        asked.append(path)
        return (False, "smbfs")

    mac = linux(platform="darwin", exists=lambda p: p in ("/Volumes/team", "/"),
                macos_local=remote)
    assert why_unsafe("/Volumes/team/voc/ws", mac) == "it is on a network share (smbfs)"
    assert asked == ["/Volumes/team"]
    assert why_unsafe("/Users/sam/ws", dataclasses.replace(
        mac, macos_local=lambda p: (True, "apfs"))) is None
    assert why_unsafe("/Users/sam/ws", dataclasses.replace(
        mac, macos_local=lambda p: None)) is None


@pytest.mark.parametrize("path", ["\\\\nas\\team\\voc", "\\\\?\\UNC\\nas\\team\\voc",
                                  "//nas/team/voc"])
def test_windows_unc_paths_are_refused(path):
    """A \\\\server\\share path, in any spelling, is a network share."""
    assert why_unsafe(path, windows()) == "it is on a network share"


def test_a_mapped_network_drive_is_refused_and_a_local_one_passes():
    """GetDriveTypeW's DRIVE_REMOTE marks a mapped drive; C: and \\\\?\\C: are local."""
    probes = windows({"Z:\\": 4, "C:\\": 3})
    assert why_unsafe("Z:\\voc\\ws", probes) == "it is on a network drive (Z:)"
    assert why_unsafe("C:\\Users\\sam\\AppData\\Local\\VOC Desktop", probes) is None
    assert why_unsafe("\\\\?\\C:\\Users\\sam\\ws", probes) is None


def test_onedrive_folders_from_the_environment_are_refused():
    """Inside OneDrive, OneDriveConsumer or OneDriveCommercial, in any letter case."""
    env = {"OneDrive": "C:\\Users\\sam\\OneDrive",
           "OneDriveCommercial": "C:\\Users\\sam\\OneDrive - Acme"}
    probes = windows(env=env)
    assert why_unsafe("c:\\users\\SAM\\onedrive\\voc", probes) == "it is synced by OneDrive"
    assert why_unsafe("C:\\Users\\sam\\OneDrive - Acme\\ws", probes) == \
        "it is synced by OneDrive"
    assert why_unsafe("C:\\Users\\sam\\OneDriveNot\\ws", probes) is None
    assert why_unsafe("C:\\Users\\sam\\AppData\\Local\\VOC Desktop", probes) is None


@pytest.mark.parametrize(("folder", "provider"), [
    ("GoogleDrive-sam@example.com/My Drive/voc", "Google Drive"),
    ("OneDrive-Personal/voc", "OneDrive"),
    ("Dropbox/voc", "Dropbox"),
    ("Box-Box/voc", "Box"),
    ("pCloudDrive-x/voc", "pCloudDrive"),
])
def test_macos_file_provider_folders_are_refused(folder, provider):
    """Anything under ~/Library/CloudStorage is synced; the provider is named."""
    mac = linux(platform="darwin", home="/Users/sam", macos_local=lambda p: (True, "apfs"))
    path = f"/Users/sam/Library/CloudStorage/{folder}"
    assert why_unsafe(path, mac) == f"it is synced by {provider}"


def test_icloud_drive_is_refused_and_the_rest_of_library_passes():
    """~/Library/Mobile Documents is iCloud Drive; Application Support is not."""
    mac = linux(platform="darwin", home="/Users/sam", macos_local=lambda p: (True, "apfs"))
    icloud = "/Users/sam/Library/Mobile Documents/com~apple~CloudDocs/voc"
    assert why_unsafe(icloud, mac) == "it is synced by iCloud Drive"
    assert why_unsafe("/Users/sam/Library/Application Support/VOC Desktop", mac) is None


def test_google_drive_shortcut_targets_and_virtual_drive_are_refused():
    """A path through .shortcut-targets-by-id, or a drive whose root holds it, is Drive."""
    assert why_unsafe("/x/.shortcut-targets-by-id/abc/voc", linux()) == \
        "it is inside a Google Drive folder"
    probes = windows(entries={"G:\\": {"My Drive": True, ".shortcut-targets-by-id": True}})
    assert why_unsafe("G:\\My Drive\\voc", probes) == "it is inside a Google Drive folder"


def _mark(folder: Path, name: str, *, folder_marker: bool = False) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if folder_marker:
        (folder / name).mkdir(parents=True)
    else:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("x")


@pytest.mark.parametrize(("marker", "is_folder", "reason"), [
    (".dropbox", False, "it is inside a Dropbox folder"),
    (".dropbox.cache", True, "it is inside a Dropbox folder"),
    (".tmp.drivedownload", True, "it is inside a Google Drive folder"),
    (".sync_4f2a9c81be07.db", False, "it is inside a Nextcloud or ownCloud folder"),
    ("._sync_4f2a9c81be07.db", False, "it is inside a Nextcloud or ownCloud folder"),
    (".owncloudsync.log", False, "it is inside a Nextcloud or ownCloud folder"),
    (".stfolder", True, "it is inside a Syncthing folder"),
    (".sync/ID", False, "it is inside a Resilio Sync folder"),
    (".megaignore", False, "it is inside a MEGA folder"),
])
def test_sync_clients_markers_in_a_parent_are_found(tmp_path, marker, is_folder, reason):
    """The marker a sync client keeps in its top folder refuses every folder below it."""
    top = tmp_path / "Sync"
    _mark(top, marker, folder_marker=is_folder)
    deep = top / "work" / "voc"
    assert why_unsafe(deep, linux(entries=Probes().entries)) == reason
    assert why_unsafe(tmp_path / "elsewhere", linux(entries=Probes().entries)) is None


def test_dropbox_settings_folder_in_home_refuses_nothing(tmp_path):
    """~/.dropbox is Dropbox's settings folder, not a synced one: home stays usable."""
    (tmp_path / ".dropbox").mkdir()
    (tmp_path / ".sync").mkdir()  # a folder some other program made, without Resilio's ID
    folder = tmp_path / ".local" / "share" / "VOC Desktop"
    assert why_unsafe(folder, linux(entries=Probes().entries)) is None


def test_plain_folder_names_prove_nothing(tmp_path):
    """A folder called Dropbox or OneDrive without a client's marker is a plain folder."""
    for name in ("Dropbox", "OneDrive", "Google Drive", "Nextcloud", "Sync"):
        (tmp_path / name).mkdir()
        assert why_unsafe(tmp_path / name / "voc", linux(entries=Probes().entries)) is None


def test_dropbox_roots_from_its_settings_are_refused():
    """The paths in Dropbox's info.json are synced even when the marker is hidden."""
    info = '{"personal": {"path": "/home/sam/Dropbox"}, "business": {"path": "/data/Acme"}}'
    probes = linux(read_text=lambda p: info if p == "/home/sam/.dropbox/info.json" else None)
    assert why_unsafe("/data/Acme/voc", probes) == "it is inside a Dropbox folder"
    assert why_unsafe("/home/sam/Dropbox", probes) == "it is inside a Dropbox folder"
    assert why_unsafe("/home/sam/Documents", probes) is None
    garbled = linux(read_text=lambda p: "[not, json")
    assert why_unsafe("/home/sam/Dropbox", garbled) is None


def test_a_symlink_into_a_synced_folder_is_followed(tmp_path):
    """The folder's real place counts, not the name it is reached by."""
    _mark(tmp_path / "Sync", ".stfolder", folder_marker=True)
    (tmp_path / "Sync" / "voc").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "Sync" / "voc")
    assert why_unsafe(tmp_path / "link", Probes()) == "it is inside a Syncthing folder"


def test_opening_a_workspace_in_a_synced_folder_touches_nothing(tmp_path):
    """Workspace.open refuses before it creates the folder or any file."""
    _mark(tmp_path / "Sync", ".stfolder", folder_marker=True)
    with pytest.raises(UnsafePlace, match="Syncthing"):
        Workspace.open(tmp_path / "Sync" / "voc")
    assert sorted(p.name for p in (tmp_path / "Sync").iterdir()) == [".stfolder"]


def test_the_archive_index_is_checked_but_the_shared_folder_is_not(tmp_path):
    """An archive folder may be synced (it holds bundles); its index may not."""
    from voc_desktop.services.archive.keeper import Archive
    from voc_desktop.services.archive.workspace import ArchiveWorkspace

    _mark(tmp_path / "Dropbox", ".dropbox")
    shared = tmp_path / "Dropbox" / "team archive"
    Archive.create(shared, index=tmp_path / "local" / "index.sqlite3").close()
    lens = ArchiveWorkspace.open(shared, data_dir=tmp_path / "local")
    lens.close()
    with pytest.raises(UnsafePlace, match="archive index .* inside a Dropbox folder"):
        ArchiveWorkspace.open(shared, index=tmp_path / "Dropbox" / "index.sqlite3")
    with Archive.open(shared, index=tmp_path / "Dropbox" / "index.sqlite3") as keeper, \
            pytest.raises(UnsafePlace, match="archive index"):
        keeper.import_bundles([])  # the keeper's import opens the index too
    assert not (tmp_path / "Dropbox" / "index.sqlite3").exists()


def test_voc_in_a_synced_folder_says_why_and_writes_no_log_there(tmp_path):
    """A `voc` command on a workspace in a synced folder fails with the reason and leaves
    no log folder there."""
    from voc_desktop.cli import main

    _mark(tmp_path / "Sync", ".stfolder", folder_marker=True)
    folder = tmp_path / "Sync" / "voc"
    folder.mkdir()
    assert main(["--data-dir", str(folder), "visit", "list"]) != 0
    assert not (folder / "logs").exists() and not any(folder.iterdir())
