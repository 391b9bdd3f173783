"""Alembic migrations shipped in the package, run automatically when a database is opened.

The Alembic configuration is built in code, so no alembic.ini is needed at run time. A SQLite
file is backed up before it is migrated, and foreign keys are switched off around the
migration (a batch table rebuild with them on cascades deletes into child tables) and checked
with ``PRAGMA foreign_key_check`` afterwards.

Alembic (with mako and pygments, about 200 ms) is imported only when a database needs
migrating: a database already at the newest revision is recognised with one plain query and
the version files' ``revision``/``down_revision`` lines.
"""

from __future__ import annotations

import ast
import logging
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

from desktop.errors import StorageUnavailable
from desktop.storage.backup import backup_sqlite
from desktop.storage.database import Database

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version"


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


@cache
def shipped_head() -> str | None:
    """The newest revision, read from the version files without importing Alembic; None when
    they do not name exactly one (Alembic then decides)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        values = _assignments(path)
        revision = values.get("revision")
        if isinstance(revision, str):
            revisions.add(revision)
            down = values.get("down_revision")
            if isinstance(down, str):
                parents.add(down)
            elif isinstance(down, tuple | list):  # a merge revision
                parents.update(str(d) for d in down)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _assignments(path: Path) -> dict[str, object]:
    """The ``revision`` and ``down_revision`` of a version file (module-level literals, written
    before its first function)."""
    found: dict[str, object] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("def "):
                break
            name, sep, value = line.partition("=")
            if sep and name.strip() in ("revision", "down_revision"):
                try:
                    found[name.strip()] = ast.literal_eval(value.strip())
                except (ValueError, SyntaxError):
                    continue
    return found


def current_revision(db: Database) -> str | None:
    """The revision the database is at (None: never migrated), by plain SQL."""
    with db.engine.connect() as conn:
        if not inspect(conn).has_table(VERSION_TABLE):
            return None
        rows = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    if len(rows) > 1:  # branches: only Alembic can say which is current
        from alembic.runtime.migration import MigrationContext

        with db.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    return rows[0] if rows else None


def upgrade_to_head(db: Database, *, backup_dir: Path | None = None) -> bool:
    """Bring the schema to the newest revision; True when anything was migrated."""
    return upgrade(db, "head", backup_dir=backup_dir)


def upgrade(db: Database, revision: str, *, backup_dir: Path | None = None) -> bool:
    current = current_revision(db)
    target = (shipped_head() or head_revision()) if revision == "head" else revision
    if current == target:
        return False
    if db.is_sqlite and current is not None and db.url.database:
        backup_sqlite(Path(db.url.database), backup_dir, reason=f"before-migration-{current}")
    log.info("Migrating %s from %s to %s", db.label, current or "empty", target)
    with db.engine.connect() as conn:
        raw = conn.connection.driver_connection if db.is_sqlite else None
        if raw is not None:
            # Outside any transaction, or SQLite ignores the pragma.
            raw.execute("PRAGMA foreign_keys = OFF")
        else:
            # A migration may take long: no statement or lock timeout (RESET after it).
            conn.exec_driver_sql("SET statement_timeout = 0")
            conn.exec_driver_sql("SET lock_timeout = 0")
            conn.commit()
        try:
            from alembic import command

            cfg = alembic_config(conn)
            command.upgrade(cfg, revision)
            if raw is not None:
                problems = raw.execute("PRAGMA foreign_key_check").fetchall()
                if problems:
                    raise StorageUnavailable(
                        f"The database upgrade left {len(problems)} broken references "
                        f"(first in table {problems[0][0]}); the copy made before the "
                        "upgrade is in the backups folder."
                    )
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys = ON")
            elif not conn.invalidated:
                conn.rollback()
                conn.exec_driver_sql("RESET statement_timeout")
                conn.exec_driver_sql("RESET lock_timeout")
                conn.commit()
    if revision == "head":
        vouch_for_new_layouts(db, reason=f"upgrade from {current or 'an empty database'}")
    return True


def vouch_for_new_layouts(db: Database, *, reason: str) -> None:
    """Record digests for tables whose record layout this version of the app computes
    differently (all of them the first time), as one system event: the upgrade is part of
    the record, and later changes made outside the app are told apart from it."""
    from datetime import UTC, datetime

    from sqlalchemy.orm import Session

    from desktop.storage.auditlog.baseline import baseline

    with db.engine.connect() as conn, Session(bind=conn) as session, session.begin():
        baseline(session, datetime.now(UTC), reason=reason)
