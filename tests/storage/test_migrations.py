"""Migrations: the models and the migrations agree, and upgrades keep every row."""

from __future__ import annotations

import subprocess
import sys
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, Table, func, insert, select, text
from sqlalchemy import types as sa_types

from desktop.storage.backup import backup_sqlite
from desktop.storage.comment_search import is_search_object
from desktop.storage.comment_sort import is_sort_object
from desktop.storage.database import Database, create_db_engine, to_url
from desktop.storage.migrate import (
    alembic_config,
    current_revision,
    head_revision,
    shipped_head,
    upgrade,
)


def test_models_and_migrations_do_not_drift(db: Database) -> None:
    with db.engine.connect() as conn:
        command.check(alembic_config(conn))  # raises when autogenerate would find changes


def test_new_database_is_at_head(db: Database) -> None:
    assert current_revision(db) == head_revision()


def test_the_head_read_from_the_version_files_is_alembics(tmp_path: Path) -> None:
    assert shipped_head() == head_revision()
    fresh = Database(create_db_engine(to_url(tmp_path / "fresh.sqlite3")))
    assert current_revision(fresh) is None  # no version table yet
    fresh.dispose()


def test_opening_a_database_at_head_does_not_load_alembic(sqlite_db: Database) -> None:
    """Importing Alembic costs ~200 ms of every start; it is needed only to migrate."""
    script = (
        "import sys\n"
        "from desktop.storage.database import open_database\n"
        f"open_database({str(sqlite_db.url.database)!r}).dispose()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('alembic', 'mako')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]", done.stdout


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def _value(column: Any, index: int) -> Any:
    t = column.type
    if isinstance(t, sa_types.Uuid):
        return uuid.UUID(int=index + 1)
    if isinstance(t, sa_types.DateTime):
        return datetime(2026, 1, 1 + index, 12, tzinfo=UTC).replace(tzinfo=None)
    if isinstance(t, sa_types.Date):
        return date(2026, 1, 1 + index)
    if isinstance(t, sa_types.Boolean):
        return True
    if isinstance(t, sa_types.Integer):
        return index + 1
    if isinstance(t, sa_types.Float | sa_types.Numeric):
        return 1.5
    length = getattr(t, "length", None) or 40
    return f"v{index}"[:length]


def _fill(db: Database) -> dict[str, int]:
    """Put three rows in every table of the schema as it is now, references pointing home."""
    meta = MetaData()
    meta.reflect(db.engine)
    counts: dict[str, int] = {}
    with db.engine.begin() as conn:
        for table in meta.sorted_tables:
            if table.name == "alembic_version" or is_search_object(table.name):
                continue  # the search index is the database's own, filled by triggers
            if is_sort_object(table.name):
                continue  # so are the comment log's sort keys
            rows = []
            for i in range(3):
                row = {}
                for column in table.columns:
                    if column.foreign_keys:
                        target = next(iter(column.foreign_keys)).column
                        row[column.name] = _value(target, i)
                    else:
                        row[column.name] = _value(column, i)
                rows.append(row)
            conn.execute(insert(table), rows)
            counts[table.name] = conn.scalar(select(func.count()).select_from(table)) or 0
    return counts


def _counts(db: Database, names: list[str]) -> dict[str, int]:
    meta = MetaData()
    meta.reflect(db.engine)
    with db.engine.connect() as conn:
        return {
            n: conn.scalar(select(func.count()).select_from(Table(n, meta))) or 0 for n in names
        }


@pytest.mark.parametrize("start", _revisions())
def test_upgrade_from_every_revision_keeps_every_row(start: str, tmp_path: Path) -> None:
    path = tmp_path / f"at-{start}.sqlite3"
    db = Database(create_db_engine(to_url(path)))
    upgrade(db, start, backup_dir=tmp_path / "backups")
    before = _fill(db)
    migrated = upgrade(db, "head", backup_dir=tmp_path / "backups")
    assert current_revision(db) == head_revision()
    after = _counts(db, list(before))
    # The database's own bookkeeping grows with the vouching below; the records do not.
    for name in ("database_meta", "record_digests"):
        before.pop(name, None)
        after.pop(name, None)
    if start < head_revision():
        # Converting the log to two chains (0003), or a later migration that changes how
        # records are laid out, vouches for the records as they were: one event.
        before["audit_events"] += 1
        with db.engine.connect() as conn:
            baselines = conn.scalar(
                text("SELECT count(*) FROM audit_events WHERE action = 'audit.baseline'")
            )
        assert baselines == 1
    assert after == before
    if start != head_revision():
        assert migrated
        assert list((tmp_path / "backups").iterdir()), "a backup is made before migrating"
    db.dispose()


def test_backups_rotate(tmp_path: Path) -> None:
    path = tmp_path / "rot.sqlite3"
    Database(create_db_engine(to_url(path))).engine.dispose()
    import sqlite3

    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit()
    for _ in range(5):
        backup_sqlite(path, tmp_path / "b", keep=3)
    assert len(list((tmp_path / "b").iterdir())) == 3
