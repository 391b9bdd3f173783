from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text

from desktop.enums import Platform
from desktop.errors import ConflictError, StorageUnavailable
from desktop.models import Account, Setting
from desktop.storage.database import Database, open_database
from tests.factories import make_cast


def test_sqlite_pragmas_for_power_cuts(sqlite_db: Database) -> None:
    with sqlite_db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_two_threads_read_modify_write_lose_nothing_on_sqlite(sqlite_db: Database) -> None:
    """pysqlite's deferred BEGIN lets both threads read the same value; BEGIN IMMEDIATE not."""
    with sqlite_db.write() as s:
        s.add(Setting(key="counter", value="0"))
    rounds = 40
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def bump() -> None:
        try:
            barrier.wait()
            for _ in range(rounds):
                with sqlite_db.write() as s:
                    current = int(
                        s.execute(
                            text("SELECT value FROM settings WHERE key='counter'")
                        ).scalar_one()
                    )
                    s.execute(
                        text("UPDATE settings SET value=:v WHERE key='counter'"),
                        {"v": str(current + 1)},
                    )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=bump) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with sqlite_db.read() as s:
        assert s.execute(
            text("SELECT value FROM settings WHERE key='counter'")
        ).scalar_one() == str(2 * rounds)


def test_two_sessions_editing_one_row_conflict_on_postgresql(pg_db: Database, clock) -> None:  # type: ignore[no-untyped-def]
    account = make_cast(pg_db, clock).account("Conflicted", Platform.FACEBOOK)
    loaded = threading.Barrier(2)
    first_done = threading.Event()
    outcome: dict[str, BaseException | None] = {}

    def edit(name: str, purpose: str, wait_for_first: bool) -> None:
        try:
            with pg_db.write() as s:
                row = s.get(Account, account.id)
                assert row is not None
                loaded.wait()
                if wait_for_first:
                    first_done.wait(10)
                row.purpose = purpose
            outcome[name] = None
        except BaseException as exc:  # noqa: BLE001
            outcome[name] = exc
        finally:
            if not wait_for_first:
                first_done.set()

    t1 = threading.Thread(target=edit, args=("first", "one", False))
    t2 = threading.Thread(target=edit, args=("second", "two", True))
    t1.start(), t2.start()
    t1.join(), t2.join()
    assert outcome["first"] is None
    assert isinstance(outcome["second"], ConflictError)
    assert "Someone else changed" in str(outcome["second"])
    with pg_db.read() as s:
        assert s.scalar(select(Account.purpose).where(Account.id == account.id)) == "one"


def test_datetimes_come_back_aware_utc_and_naive_is_refused(db: Database, cast) -> None:  # type: ignore[no-untyped-def]
    account = cast.account("Clocky", Platform.FACEBOOK)
    with db.read() as s:
        row = s.get(Account, account.id)
        assert row is not None
        assert row.created_at.tzinfo is not None
        assert row.created_at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]

    def set_naive() -> None:
        with db.write() as s:
            row = s.get(Account, account.id)
            assert row is not None
            row.password_changed_at = datetime(2026, 1, 1)  # naive: the point of the test

    with pytest.raises(Exception, match="Naive datetime"):
        set_naive()


def test_opening_a_folder_or_garbage_gives_a_sentence(tmp_path: Path) -> None:
    with pytest.raises(StorageUnavailable, match="is a folder"):
        open_database(tmp_path)
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageUnavailable, match="Cannot open the database"):
        open_database(junk)


def test_unreachable_postgresql_gives_a_sentence() -> None:
    with pytest.raises(StorageUnavailable, match="Cannot open the database"):
        open_database("postgresql://postgres@127.0.0.1:1/nothing")


def test_database_that_went_away_mid_session(tmp_path: Path) -> None:
    db = open_database(tmp_path / "gone.sqlite3")
    db.dispose()
    (tmp_path / "gone.sqlite3").unlink()
    (tmp_path / "gone.sqlite3").mkdir()  # the file is replaced by something unusable
    with pytest.raises(StorageUnavailable), db.read() as s:
        s.execute(select(Setting)).all()


def test_created_file_is_sqlite_with_current_schema(tmp_path: Path) -> None:
    path = tmp_path / "new" / "fresh.sqlite3"
    open_database(path).dispose()
    tables = {
        r[0]
        for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type='table'")
    }
    assert {"accounts", "comments", "audit_events", "alembic_version"} <= tables
    assert datetime.now(UTC)  # keep the import used
