"""Rotating copies of a SQLite database file, made with SQLite's online backup API."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger(__name__)

KEEP_BACKUPS = 10


def backup_sqlite(
    path: Path, backup_dir: Path | None = None, *, reason: str = "manual", keep: int = KEEP_BACKUPS
) -> Path:
    """Copy ``path`` (consistently, even while it is open) and prune old copies."""
    folder = backup_dir or path.parent / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{path.stem}-{stamp}-{reason}{path.suffix or '.sqlite3'}"
    source = sqlite3.connect(path)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    log.info("Backed up %s to %s", path, target)
    copies = sorted(folder.glob(f"{path.stem}-*"), key=lambda p: p.stat().st_mtime)
    for old in copies[:-keep] if keep > 0 else []:
        old.unlink(missing_ok=True)
    return target
