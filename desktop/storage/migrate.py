"""Alembic migrations shipped in the package, run automatically when a database is opened.

The Alembic configuration is built in code, so no alembic.ini is needed at run time. A SQLite
file is backed up before it is migrated, and foreign keys are switched off around the
migration (a batch table rebuild with them on cascades deletes into child tables) and checked
with ``PRAGMA foreign_key_check`` afterwards.
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from desktop.errors import StorageUnavailable
from desktop.storage.backup import backup_sqlite
from desktop.storage.database import Database

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_to_head(db: Database, *, backup_dir: Path | None = None) -> bool:
    """Bring the schema to the newest revision; True when anything was migrated."""
    return upgrade(db, "head", backup_dir=backup_dir)


def upgrade(db: Database, revision: str, *, backup_dir: Path | None = None) -> bool:
    current = current_revision(db)
    target = head_revision() if revision == "head" else revision
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
        try:
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
    return True
