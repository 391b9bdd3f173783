"""Is a database file on this computer, or on a network drive?

SQLite's locking does not work over network file systems (SMB shares, mapped drives, NFS), and
WAL mode needs memory shared on one host: several officers opening one file on a share corrupt
it. Such a path is refused; a branch shares data through a PostgreSQL server instead.

``classify_path`` is a pure function of the path and of what the system reports (the drive type
Windows gives for a drive letter, the Linux mount table), so it is tested on any platform;
``network_location`` asks the running system.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# GetDriveTypeW's answer for a drive mapped to a network share.
DRIVE_REMOTE = 4

# File-system types of /proc/mounts that live on another machine. 9p is left out: WSL mounts the
# Windows disks with it, and those are local.
NETWORK_FILE_SYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "ncpfs",
        "afs",
        "ceph",
        "glusterfs",
        "fuse.glusterfs",
        "fuse.sshfs",
        "sshfs",
        "davfs",
        "fuse.davfs2",
        "lustre",
    }
)

_DRIVE = re.compile(r"^([A-Za-z]):")
_OCTAL = re.compile(r"\\([0-7]{3})")


@dataclass(frozen=True)
class NetworkLocation:
    """Where a path that is not on this computer lives, as shown to people."""

    path: str
    where: str


def classify_path(
    path: str,
    *,
    windows: bool,
    drive_type: Callable[[str], int] | None = None,
    mounts: str = "",
) -> NetworkLocation | None:
    """The network location ``path`` is on, or None when it is on this computer.

    Windows: a UNC path (``\\\\server\\share\\…`` or ``//server/share/…``, also behind the
    ``\\\\?\\UNC\\`` prefix) or a drive letter that ``drive_type("Z:\\\\")`` reports as
    ``DRIVE_REMOTE``. Elsewhere: the mount in ``mounts`` (the text of /proc/mounts) holding the
    absolute ``path`` has a network file system.
    """
    if windows:
        return _classify_windows(path, drive_type)
    return _classify_posix(path, mounts)


def _classify_windows(path: str, drive_type: Callable[[str], int] | None) -> NetworkLocation | None:
    text = path.replace("/", "\\")
    if text[:8].upper() == "\\\\?\\UNC\\":
        return _unc(path, text[8:])
    if text.startswith(("\\\\?\\", "\\\\.\\")):
        text = text[4:]  # a long-path or device prefix before an ordinary path
    elif text.startswith("\\\\"):
        return _unc(path, text[2:])
    drive = _DRIVE.match(text)
    if drive and drive_type is not None:
        letter = drive.group(1).upper()
        if drive_type(f"{letter}:\\") == DRIVE_REMOTE:
            return NetworkLocation(path, f"drive {letter}:, a network drive")
    return None


def _unc(path: str, rest: str) -> NetworkLocation:
    parts = [p for p in rest.split("\\") if p]
    share = "\\\\" + "\\".join(parts[:2]) if parts else "\\\\"
    return NetworkLocation(path, f"the network share {share}")


def _classify_posix(path: str, mounts: str) -> NetworkLocation | None:
    best: tuple[str, str, str] | None = None  # mount point, device, type
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        device, point, kind = (_unescape(f) for f in fields[:3])
        inside = point == "/" or path == point or path.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) >= len(best[0])):
            best = (point, device, kind)  # the last mount over a point hides the earlier
    if best is None or best[2].lower() not in NETWORK_FILE_SYSTEMS:
        return None
    point, device, kind = best
    return NetworkLocation(path, f"{device}, a network file system ({kind}) mounted at {point}")


def _unescape(field: str) -> str:
    """/proc/mounts writes a space as \\040, a tab as \\011, a backslash as \\134."""
    return _OCTAL.sub(lambda m: chr(int(m.group(1), 8)), field)


# -- the running system ---------------------------------------------------------------------


def _mount_table() -> str:
    try:
        return Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""  # not Linux (macOS has no /proc): nothing to tell


def _windows_drive_type(root: str) -> int:
    if sys.platform != "win32":
        return 0
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)))


def network_location(path: str | Path) -> NetworkLocation | None:
    """The network location of ``path`` on this system, or None when it is local.

    The path and, when it differs, its real path (a link or junction into a share, a mapped
    drive Windows resolves to its UNC name) are both looked at.
    """
    text = os.path.abspath(str(path))
    try:
        real = os.path.realpath(text)
    except (OSError, ValueError):
        real = text
    windows = sys.platform == "win32"
    mounts = "" if windows else _mount_table()
    for candidate in dict.fromkeys((text, real)):
        found = classify_path(
            candidate, windows=windows, drive_type=_windows_drive_type, mounts=mounts
        )
        if found is not None:
            return NetworkLocation(text, found.where)
    return None


def network_refusal(location: NetworkLocation) -> str:
    """Why a database file there is refused, and what to use instead (one line)."""
    return (
        f"The database file {location.path} is on {location.where}. A SQLite database file "
        "must stay on this computer: shared over the network it gets corrupted when several "
        "people use it. To share data with your branch, use the shared-database mode (a "
        "PostgreSQL server: Tools ▸ Settings ▸ Storage, or File ▸ Connect to shared "
        "database); to work alone, keep the file on this computer's own disk."
    )
