"""Open a database (SQLite file or PostgreSQL URL) and hand out short transactions.

SQLite is opened the way a desktop app that must survive power cuts needs it: WAL, foreign
keys on, synchronous FULL, a busy timeout, and write transactions that begin with
``BEGIN IMMEDIATE`` (pysqlite's deferred BEGIN lets two connections read, then both write,
and one update is lost).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from desktop.errors import Cancelled, ConflictError, StorageUnavailable
from desktop.storage import cancelling, timeouts
from desktop.storage.identity import Identity, default_identity
from desktop.storage.urls import safe_name, url_secret, without_secrets

log = logging.getLogger(__name__)

READ_ONLY = "smgov_read_only"
BUSY_TIMEOUT_MS = 10_000
SUPPORTED_BACKENDS = ("sqlite", "postgresql")


class NoDatabase(StorageUnavailable):
    """The target holds no database of this app, and the caller may not create one."""

    def __init__(self, label: str) -> None:
        super().__init__(f"There is no database at {label}.")
        self.label = label


def to_url(target: str | Path) -> URL:
    """A SQLAlchemy URL from a URL string or a SQLite file path (ArgumentError or ValueError
    for text that is not a URL; ``open_database`` refuses databases other than ours)."""
    text = str(target)
    if "://" in text:
        url = make_url(text)
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        return url
    return URL.create("sqlite+pysqlite", database=str(Path(text).expanduser().absolute()))


def describe(url: URL) -> str:
    """A database as shown to the person working on it (messages, logs, the window): never
    with a password, in any form of URL (``desktop.storage.urls.safe_name``)."""
    return safe_name(url, host=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from pysqlite; SQLAlchemy's begin event issues BEGIN.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = "DEFERRED" if conn.get_execution_options().get(READ_ONLY) else "IMMEDIATE"
        conn.exec_driver_sql(f"BEGIN {mode}")


def create_db_engine(url: URL, password: str | None = None) -> Engine:
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        cancelling.install(engine)
        return engine
    # The password goes to the driver beside the URL, so the engine's URL (which SQLAlchemy,
    # Alembic and error messages may print) never holds it.
    secret = url_secret(url) or password
    url = without_secrets(url)
    connect_args = timeouts.pg_connect_args()
    if secret is not None:
        connect_args["password"] = secret
    try:
        engine = create_engine(
            url,
            # Whatever the server's default: the audit chain's advisory lock is taken inside
            # the transaction and the heads are read after it, which needs a fresh snapshot
            # per statement (under repeatable read two writers would read the same head).
            isolation_level="READ COMMITTED",
            # A pooled connection is checked before use by timeouts.install (bounded).
            pool_pre_ping=False,
            connect_args=connect_args,
        )
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise StorageUnavailable(
            f"The driver {url.drivername} is not installed; use postgresql:// (psycopg)."
        ) from exc
    timeouts.install(engine)
    cancelling.install(engine)
    return engine


class Database:
    """One open database: the engine, who its session belongs to, and the two kinds of
    transaction the services use."""

    def __init__(self, engine: Engine, identity: Identity | None = None) -> None:
        self.engine = engine
        self.url = engine.url
        self.identity = identity or default_identity(engine.url.get_backend_name())
        self._login: str | None = None
        self._write = sessionmaker(engine, expire_on_commit=False)
        self._read = sessionmaker(
            engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False
        )
        # A short read on PostgreSQL in autocommit: no BEGIN and no ROLLBACK, one round trip
        # per statement (each statement sees the data as of its own start).
        self._quick = (
            self._read
            if self.is_sqlite
            else sessionmaker(
                engine.execution_options(**{READ_ONLY: True}, isolation_level="AUTOCOMMIT"),
                expire_on_commit=False,
            )
        )

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def label(self) -> str:
        """With the server (messages, logs, the window title)."""
        return describe(self.url)

    @property
    def name(self) -> str:
        """Without host details (what exports and reports say they came from)."""
        return safe_name(self.url)

    def session_login(self) -> str:
        """The login this database's session is signed in as (asked once)."""
        if self._login is None:
            with _storage_errors(self):
                self._login = self.identity.login(self.engine)
        return self._login

    def set_identity(self, identity: Identity) -> None:
        """A replica's owner, once the hub has confirmed the login."""
        self.identity = identity
        self._login = None

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: commits on success, rolls back on any error."""
        cancelling.writing()
        with (
            _storage_errors(self, writing=True),
            timeouts.guard.scope(),
            self._write() as session,
            session.begin(),
        ):
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only transaction; on SQLite it never takes the write lock."""
        # Autobegin on first use; closing the session rolls the transaction back.
        with _storage_errors(self), timeouts.guard.scope(), self._read() as session:
            yield session

    @contextmanager
    def quick_read(self) -> Iterator[Session]:
        """A read of a few statements that need no common snapshot (a page of a list, a
        count, one record): on PostgreSQL without a transaction, so without its two round
        trips; on SQLite the same as ``read``."""
        with _storage_errors(self), timeouts.guard.scope(), self._quick() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


@contextmanager
def _storage_errors(db: Database, *, writing: bool = False) -> Iterator[None]:
    if not timeouts.guard.active:
        timeouts.guard.take_stall()  # a stall ended long ago is no news for this transaction
    try:
        yield
    except DBAPIError as exc:
        if cancelling.was_cancelled():
            raise Cancelled from exc  # the person pressed Cancel: the statement was stopped
        stall = timeouts.guard.take_stall()
        if stall is not None:
            raise StorageUnavailable(timeouts.stall_message(db.label, stall, writing)) from exc
        if _is_statement_timeout(exc):
            raise StorageUnavailable(
                f"The database ({db.label}) took longer than "
                f"{timeouts.STATEMENT_TIMEOUT_MS // 1000} s for one step (it may be busy or "
                "waiting for another change), so it was abandoned and nothing was saved. Try "
                "again; if it keeps happening, tell the database administrator."
                if writing
                else f"The database ({db.label}) took longer than "
                f"{timeouts.STATEMENT_TIMEOUT_MS // 1000} s to answer (it may be busy). Try "
                "again; if it keeps happening, tell the database administrator."
            ) from exc
        _raise_storage_error(db, exc)
        raise
    except StaleDataError as exc:
        raise ConflictError(
            "Someone else changed this record while you were editing it. "
            "Reload it and make your change again."
        ) from exc


def _raise_storage_error(db: Database, exc: DBAPIError) -> None:
    """A driver error as one sentence a person can act on (returns for errors it leaves)."""
    if isinstance(exc, OperationalError):
        if _is_lock_timeout(exc):
            raise ConflictError(
                "The database is busy with another change. Try again in a moment."
            ) from exc
        raise StorageUnavailable(
            f"The database ({db.label}) cannot be reached: {_first_line(exc)}"
        ) from exc
    if isinstance(exc, IntegrityError):
        raise ConflictError(_integrity_message(exc)) from exc
    if exc.connection_invalidated:
        raise StorageUnavailable(
            f"The connection to the database ({db.label}) was lost: {_first_line(exc)}"
        ) from exc


def _is_statement_timeout(exc: DBAPIError) -> bool:
    return getattr(exc.orig, "sqlstate", None) == "57014" and "statement timeout" in str(exc.orig)


# What a unique index or constraint means to a person, by its name.
_UNIQUE_MEANS = {
    "uq_accounts_platform_handle_ci": (
        "An account with this handle already exists on this platform (handles are the same "
        "whatever their capitals)."
    ),
    "uq_commenters_platform_handle_ci": "This commenter is already in the register.",
    "uq_people_login": "Someone with this login already exists.",
    "uq_audit_events_first_admin": "This database already has its first administrator.",
    "uq_audit_events_seq": "Another change was saved at the same moment; save yours again.",
    "uq_audit_events_origin_seq": (
        "Another change was saved at the same moment; save yours again."
    ),
}
_SQLITE_COLUMNS = {"people.login": "uq_people_login"}


def _integrity_message(exc: IntegrityError) -> str:
    name = getattr(getattr(exc.orig, "diag", None), "constraint_name", None) or ""
    text = str(exc.orig)
    if not name:
        for key in _UNIQUE_MEANS:
            if key in text:
                name = key
        for columns, key in _SQLITE_COLUMNS.items():
            if columns in text:
                name = key
    if name in _UNIQUE_MEANS:
        return _UNIQUE_MEANS[name]
    return (
        "The change conflicts with a record saved in the meantime "
        f"({name or _first_line(exc)}); reload and try again."
    )


def _is_lock_timeout(exc: OperationalError) -> bool:
    """SQLite's busy timeout, or PostgreSQL's lock_timeout (55P03)."""
    return "database is locked" in str(exc.orig) or getattr(exc.orig, "sqlstate", None) == "55P03"


def _first_line(exc: DBAPIError) -> str:
    return str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc).__name__


def ensure_local_file(path: Path) -> None:
    """StorageUnavailable when a SQLite file would be on a network drive or share, where SQLite
    files get corrupted; the message names the shared-database mode (PostgreSQL)."""
    from desktop.storage.network_paths import network_location, network_refusal

    location = network_location(path)
    if location is not None:
        raise StorageUnavailable(network_refusal(location))


def _replica_owner(db: Database) -> None:
    """A replica (``smgov replica create``) acts as the hub login that owns it, as the hub
    confirmed it (docs/trust-and-sync.md §1)."""
    from sqlalchemy import inspect, text

    from desktop.storage.identity import ConfirmedLogin

    with db.engine.connect() as conn:
        if not inspect(conn).has_table("sync_state"):
            return
        login = conn.execute(text("SELECT value FROM sync_state WHERE key = 'hub_login'")).scalar()
    if login:
        db.set_identity(ConfirmedLogin(str(login)))


def open_database(
    target: str | Path | URL,
    *,
    migrate: bool = True,
    password: str | None = None,
    backup_dir: Path | None = None,
    create: bool = True,
) -> Database:
    """Open (and by default create or upgrade) the database at ``target``.

    With ``create=False`` nothing is created: a missing file, or a file or server database
    without this app's tables, raises ``NoDatabase`` (an existing database is still upgraded).
    """
    from desktop.storage.migrate import current_revision, upgrade_to_head

    url = target if isinstance(target, URL) else to_url(target)
    if url.get_backend_name() not in SUPPORTED_BACKENDS:
        raise StorageUnavailable(
            f"{url.get_backend_name()} databases are not supported; give a SQLite file path or "
            "a URL such as postgresql://user@host/database."
        )
    if url.get_backend_name() == "postgresql" and not url.database:
        # Without one the server's default database would be used (and filled with our tables).
        raise StorageUnavailable(
            f"Name the database at the end of the URL ({describe(url)} names none), e.g. "
            "postgresql://user@server/smgov."
        )
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        path = Path(url.database)
        ensure_local_file(path)
        if path.is_dir():
            raise StorageUnavailable(f"{path} is a folder, not a database file.")
        if not create and not path.is_file():
            raise NoDatabase(str(path))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageUnavailable(f"Cannot create the folder {path.parent}: {exc}") from exc
    engine = create_db_engine(url, password)
    db = Database(engine)
    try:
        if not create and current_revision(db) is None:
            raise NoDatabase(url.database if db.is_sqlite and url.database else describe(url))
        if migrate:
            upgrade_to_head(db, backup_dir=backup_dir)
        else:
            with engine.connect():
                pass
        if db.is_sqlite:
            _replica_owner(db)
    except (OperationalError, DBAPIError) as exc:
        engine.dispose()
        raise StorageUnavailable(
            f"Cannot open the database ({describe(url)}): {_first_line(exc)}"
        ) from exc
    except Exception:
        engine.dispose()
        raise
    return db
