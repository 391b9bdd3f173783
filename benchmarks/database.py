"""The large demo database the figures read, and the scratch copies the writing figures change.

The database a person names with ``--db`` is never opened by the app code: it is copied into
benchmarks/data/ first (opening runs migrations, which could write to it).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.common import log

DATA_DIR = Path(__file__).resolve().parent / "data"
GENERATED = DATA_DIR / "large.sqlite3"
# The fixed as-of of the generated database (a Wednesday, 09:00 in Regina), as in the self-test.
DEMO_AS_OF = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
SIDE_FILES = ("-wal", "-shm")


def prepare(db: str | None) -> Path:
    """The database the figures read: a copy of ``db``, or the cached generated one."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    if db is None:
        if not GENERATED.exists():
            generate(GENERATED)
        return migrated(GENERATED)
    source = Path(db).expanduser().resolve()
    if not source.is_file():
        raise SystemExit(f"--db {db}: no such file.")
    if source.parent == DATA_DIR:
        return migrated(source)  # already ours (e.g. the generated one named explicitly)
    copy = DATA_DIR / f"copy-of-{source.stem}.sqlite3"
    stamp = copy.with_suffix(".source.json")
    wanted = {"path": str(source), "size": source.stat().st_size, "mtime": source.stat().st_mtime}
    if copy.exists() and stamp.exists() and json.loads(stamp.read_text()) == wanted:
        log(f"reusing {copy.name} (a copy of {source})")
        return migrated(copy)
    log(f"copying {source} to {copy} (it is never opened by the app code itself)")
    copy_database(source, copy)
    stamp.write_text(json.dumps(wanted))
    return migrated(copy)


def migrated(path: Path) -> Path:
    """``path`` brought to the newest schema now, so no figure measures a migration."""
    from desktop.storage.database import open_database

    backups = DATA_DIR / "migration-backups"
    db = open_database(path, backup_dir=backups)
    db.dispose()
    shutil.rmtree(backups, ignore_errors=True)  # a copy of a copy
    return path


def generate(target: Path) -> None:
    """``smgov demo --size large`` at DEMO_AS_OF into ``target`` (several minutes)."""
    from desktop.services.demo import generate_demo
    from desktop.storage.database import open_database

    part = target.with_name(target.name + ".part")
    remove_database(part)
    log(f"no database given and none cached: generating the large demo into {target}")
    started = time.perf_counter()
    db = open_database(part)
    try:
        summary = generate_demo(db, size="large", as_of=DEMO_AS_OF, progress=log)
    finally:
        db.dispose()
    for suffix in ("", *SIDE_FILES):
        side = Path(str(part) + suffix)
        if side.exists():
            side.replace(str(target) + suffix)
    log(f"{summary} ({time.perf_counter() - started:.0f} s)")


def copy_database(source: Path, target: Path) -> None:
    """A file copy with its write-ahead log, so committed pages still in the log come along."""
    remove_database(target)
    for suffix in ("", "-wal"):
        side = Path(str(source) + suffix)
        if side.exists():
            shutil.copyfile(side, str(target) + suffix)


def remove_database(path: Path) -> None:
    for suffix in ("", *SIDE_FILES):
        Path(str(path) + suffix).unlink(missing_ok=True)


@contextmanager
def scratch_copy(source: Path, name: str) -> Iterator[Path]:
    """A throw-away copy of ``source`` in benchmarks/data/, removed afterwards."""
    target = DATA_DIR / f"scratch-{name}.sqlite3"
    copy_database(source, target)
    try:
        yield target
    finally:
        remove_database(target)


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)


def demo_as_of(path: Path) -> datetime:
    """The as-of the demo data was made at (its seed audit events), else now."""
    con = _read_only(path)
    try:
        row = con.execute(
            "SELECT max(occurred_at) FROM audit_events WHERE action = 'demo.seed'"
        ).fetchone()
    finally:
        con.close()
    if not row or not row[0]:
        return datetime.now(UTC)
    return datetime.fromisoformat(row[0]).replace(tzinfo=UTC)


def admin_login(path: Path) -> str:
    """The login of an administrator, to act as in the GUI figures."""
    con = _read_only(path)
    try:
        row = con.execute(
            "SELECT p.login FROM people p JOIN person_roles r ON r.person_id = p.id "
            "WHERE r.role = 'admin' ORDER BY p.login LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    if row is None:
        raise SystemExit(f"{path} has no administrator to act as; use a demo database.")
    return str(row[0])


def comment_count(path: Path) -> int:
    con = _read_only(path)
    try:
        return int(con.execute("SELECT count(*) FROM comments").fetchone()[0])
    finally:
        con.close()
