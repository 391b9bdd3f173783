"""A SQLite file on a network drive is refused, naming the shared-database mode.

There is no SMB share or mapped drive here, so the classification is tested with what Windows
and Linux would report (drive types, /proc/mounts), and the refusal end to end with a mount
table that puts the test's folder on NFS.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.errors import DomainError, StorageUnavailable
from desktop.services.session import check_connection, save_database_choice
from desktop.storage import network_paths
from desktop.storage.app_settings import LocalSettings
from desktop.storage.database import open_database
from desktop.storage.network_paths import DRIVE_REMOTE, classify_path

DRIVE_FIXED = 3


def drives(**kinds: int) -> Callable[[str], int]:
    """GetDriveTypeW as a workstation would answer: ``drives(Z=DRIVE_REMOTE)``."""
    return lambda root: kinds.get(root[0].upper(), DRIVE_FIXED)


@pytest.mark.parametrize(
    ("path", "where"),
    [
        (r"\\fileserver\comms\smgov.sqlite3", r"the network share \\fileserver\comms"),
        ("//fileserver/comms/data/smgov.sqlite3", r"the network share \\fileserver\comms"),
        (r"\\?\UNC\fileserver\comms\smgov.sqlite3", r"the network share \\fileserver\comms"),
        (r"\\fileserver.gov.sk.ca\c$\x.sqlite3", r"the network share \\fileserver.gov.sk.ca\c$"),
        (r"Z:\Comms\smgov.sqlite3", "drive Z:, a network drive"),
        ("z:/comms/smgov.sqlite3", "drive Z:, a network drive"),
        (r"\\?\Z:\Comms\smgov.sqlite3", "drive Z:, a network drive"),
    ],
)
def test_windows_shares_and_mapped_drives_are_network_locations(path: str, where: str) -> None:
    found = classify_path(path, windows=True, drive_type=drives(Z=DRIVE_REMOTE))
    assert found is not None
    assert found.where == where
    assert found.path == path


@pytest.mark.parametrize(
    "path",
    [
        r"C:\Users\pat\AppData\Local\GovSK\smgov-desk\smgov.sqlite3",
        r"D:\data\smgov.sqlite3",  # a second disk
        r"\\?\C:\very\long\path\smgov.sqlite3",
        "C:/Users/pat/smgov.sqlite3",
    ],
)
def test_windows_local_disks_are_local(path: str) -> None:
    assert classify_path(path, windows=True, drive_type=drives(Z=DRIVE_REMOTE)) is None


MOUNTS = "\n".join(
    [
        "/dev/sda1 / ext4 rw,relatime 0 0",
        "tmpfs /tmp tmpfs rw,nosuid,nodev 0 0",
        "fileserver:/export/comms /mnt/comms nfs4 rw,relatime,vers=4.2 0 0",
        "//fileserver/branch /mnt/branch cifs rw,relatime,vers=3.0 0 0",
        "//fileserver/team\\040share /mnt/team\\040share smb3 rw 0 0",
        "/dev/sdb1 /mnt/comms/local-cache ext4 rw 0 0",
        "C:\\134 /mnt/c 9p rw,relatime 0 0",
    ]
)


@pytest.mark.parametrize(
    ("path", "where"),
    [
        (
            "/mnt/comms/smgov.sqlite3",
            "fileserver:/export/comms, a network file system (nfs4) mounted at /mnt/comms",
        ),
        (
            "/mnt/comms",
            "fileserver:/export/comms, a network file system (nfs4) mounted at /mnt/comms",
        ),
        (
            "/mnt/branch/2026/smgov.sqlite3",
            "//fileserver/branch, a network file system (cifs) mounted at /mnt/branch",
        ),
        (
            "/mnt/team share/smgov.sqlite3",
            "//fileserver/team share, a network file system (smb3) mounted at /mnt/team share",
        ),
    ],
)
def test_linux_network_mounts_are_network_locations(path: str, where: str) -> None:
    found = classify_path(path, windows=False, mounts=MOUNTS)
    assert found is not None
    assert found.where == where


@pytest.mark.parametrize(
    "path",
    [
        "/home/pat/.local/share/smgov-desk/smgov.sqlite3",
        "/tmp/smgov.sqlite3",
        "/mnt/comms/local-cache/smgov.sqlite3",  # a local disk mounted inside the share
        "/mnt/commsdata/smgov.sqlite3",  # shares a prefix with /mnt/comms, not the mount
        "/mnt/c/Users/pat/smgov.sqlite3",  # WSL's Windows disk (9p) is this computer's
    ],
)
def test_linux_local_disks_are_local(path: str) -> None:
    assert classify_path(path, windows=False, mounts=MOUNTS) is None


@pytest.fixture
def on_nfs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test's folder, as the mount table would show it on an NFS mount."""
    share = tmp_path / "share"
    share.mkdir()
    table = f"/dev/vda / ext4 rw 0 0\nfiler:/comms {share.resolve()} nfs4 rw 0 0\n"
    monkeypatch.setattr(network_paths, "_mount_table", lambda: table)
    return share


def test_a_database_on_a_network_mount_is_refused_before_anything_is_written(
    on_nfs: Path,
) -> None:
    target = on_nfs / "branch" / "smgov.sqlite3"
    with pytest.raises(StorageUnavailable) as caught:
        open_database(target)
    message = caught.value.message
    assert str(target) in message
    assert "network file system (nfs4)" in message
    assert "shared-database mode" in message
    assert "PostgreSQL" in message
    assert not (on_nfs / "branch").exists()


def test_the_command_line_refuses_it_in_one_line(
    on_nfs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(on_nfs / "smgov.sqlite3"), "init"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("smgov: The database file ")
    assert "PostgreSQL" in err


def test_choosing_or_testing_such_a_file_in_the_settings_is_refused(on_nfs: Path) -> None:
    LocalSettings(database_url="/srv/kept.sqlite3").save()
    target = str(on_nfs / "smgov.sqlite3")
    with pytest.raises(DomainError, match="shared-database mode") as caught:
        save_database_choice(target)
    assert caught.value.field == "database_url"
    assert LocalSettings.load().database_url == "/srv/kept.sqlite3"
    with pytest.raises(StorageUnavailable, match="PostgreSQL"):
        check_connection(target)
    assert not (on_nfs / "smgov.sqlite3").exists()


def test_a_local_file_still_opens(tmp_path: Path) -> None:
    # The real mount table of this machine: the test's folder is on a local disk.
    db = open_database(tmp_path / "local.sqlite3")
    db.dispose()
    assert (tmp_path / "local.sqlite3").is_file()
