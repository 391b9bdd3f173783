"""Test set-up decided in one place: offscreen Qt, user folders in tmp, an in-memory keyring,
and databases — a fresh SQLite file per test and a freshly created PostgreSQL database per run.
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt

import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend
from sqlalchemy import Table, create_engine, insert, select, text
from sqlalchemy.engine import make_url

from desktop.models import Base, DatabaseMeta, RecordDigest
from desktop.storage import identity
from desktop.storage.auditlog.baseline import baseline
from desktop.storage.auditlog.digests import record_tables
from desktop.storage.auditlog.verify import verify
from desktop.storage.database import Database, open_database
from tests.factories import Cast, load_cast, make_cast

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
FIXED_NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)  # a Wednesday, 09:00 in Regina


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture(autouse=True)
def _isolated_user_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MemoryKeyring]:
    home = tmp_path / "smgov-home"
    monkeypatch.setenv("SMGOV_HOME", str(home))
    monkeypatch.delenv("SMGOV_DATABASE_URL", raising=False)
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def signed_in(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """``signed_in("dci")``: the operating system (and a PostgreSQL server) say that login is
    the one signed in, for tests of commands that open the database themselves."""

    def sign_in(login: str) -> None:
        monkeypatch.setattr(identity, "os_account", lambda: login)
        monkeypatch.setattr(identity.SessionUser, "login", lambda self, engine: login)

    return sign_in


# -- SQLite --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated file per run; each test gets a copy (migrating every time is slow)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    open_database(path).dispose()
    return path


@pytest.fixture
def sqlite_db(_sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "test.sqlite3"
    shutil.copy(_sqlite_template, path)
    db = open_database(path)
    if os.environ.get("SMGOV_TEST_REPLICA"):
        _as_replica(db)
    yield db
    db.dispose()


def _as_replica(db: Database) -> None:
    """SMGOV_TEST_REPLICA=1: the SQLite file is a replica of a hub (its outbox triggers on,
    events pending until the hub positions them), so the service tests run on a replica as
    the GUI uses it (docs/trust-and-sync.md §6). It keeps the tests' own identity."""
    from desktop.storage.auditlog.chain import forget_origin
    from desktop.sync import replica

    identity_before = db.identity
    replica.prepare(db, "postgresql://hub@localhost/hub", identity_before.login(db.engine))
    db.set_identity(identity_before)
    with db.read() as session:
        forget_origin(session)


# -- PostgreSQL ----------------------------------------------------------------------------


def _pg_admin_url() -> str:
    return os.environ.get("SMGOV_TEST_PG_URL", DEFAULT_PG_URL)


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A freshly created database on the test server for this run, dropped at the end."""
    admin_url = make_url(_pg_admin_url()).set(drivername="postgresql+psycopg")
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure to connect means "no server"
        engine.dispose()
        reason = f"PostgreSQL not reachable at {admin_url.render_as_string()}: {exc}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    name = f"smgov_test_{uuid.uuid4().hex[:12]}"
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


@pytest.fixture(scope="session")
def _pg_database(pg_url: str) -> Iterator[Database]:
    db = open_database(pg_url)
    yield db
    db.dispose()


@pytest.fixture
def pg_db(_pg_database: Database) -> Iterator[Database]:
    # DELETE in reverse dependency order: a TRUNCATE of every table costs ~0.5 s a test.
    # The database's own facts (its origin id, record layouts) stay.
    with _pg_database.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name != DatabaseMeta.__tablename__:
                conn.execute(table.delete())
    return _pg_database


# -- either --------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest) -> Database:
    """Run the test once on a SQLite file and once on the PostgreSQL server."""
    name = "sqlite_db" if request.param == "sqlite" else "pg_db"
    return request.getfixturevalue(name)


@pytest.fixture
def clock() -> Callable[[], datetime]:
    return lambda: FIXED_NOW


# Building the cast through the services takes 13 transactions; tests after the first on each
# kind of database get the same rows back in one bulk insert instead.
_CAST_ROWS: dict[tuple[str, datetime], list[tuple[Table, list[dict[str, Any]]]]] = {}


@pytest.fixture
def cast(
    db: Database, clock: Callable[[], datetime], request: pytest.FixtureRequest
) -> Iterator[Cast]:
    key = (db.url.get_backend_name(), clock())
    saved = _CAST_ROWS.get(key)
    if saved is None:
        made = make_cast(db, clock)
        with db.engine.connect() as conn:
            _CAST_ROWS[key] = [
                (table, [dict(row._mapping) for row in conn.execute(select(table))])
                for table in Base.metadata.sorted_tables
                # Kept by the database: its own facts, and digests rebuilt from the events.
                if table.name not in (DatabaseMeta.__tablename__, RecordDigest.__tablename__)
            ]
    else:
        with db.engine.begin() as conn:
            for table, rows in saved:
                if rows:
                    conn.execute(insert(table), rows)
        made = load_cast(db, clock)
    if request.node.get_closest_marker("tampers") is not None or not db.is_sqlite:
        yield made
        return
    with _direct_writes_vouched(db, clock):
        yield made
    _every_write_was_audited(db)


@contextmanager
def _direct_writes_vouched(db: Database, clock: Callable[[], datetime]) -> Iterator[None]:
    """Tests write rows straight to the tables to stand for legacy or imported data; such a
    write (``db.write()`` outside a service) is vouched for as a migration would, so the check
    after the test finds only writes of the services that escaped their audit event."""
    plain = db.write

    @contextmanager
    def write() -> Iterator[Any]:
        with plain() as session:
            yield session
            if not session.info.get("smgov_work"):
                session.flush()
                baseline(session, clock(), reason="test data", tables=record_tables())

    db.write = write  # type: ignore[method-assign]
    try:
        yield
    finally:
        db.write = plain  # type: ignore[method-assign]


def _every_write_was_audited(db: Database) -> None:
    """After each test on the cast: everything the services wrote is vouched for by the log
    (a write that escaped its audit event's record digests shows up here)."""
    with db.read() as session:
        report = verify(session)
    assert report.ok, "After the test, audit verify fails:\n" + report.message
