"""Bounded waits on PostgreSQL: a stalled server never hangs a save forever.

Three layers, because each covers what the others cannot:

- the server's ``statement_timeout`` (and ``lock_timeout``) end a statement that runs, or waits
  for a lock, too long — while the server is alive;
- TCP keepalives and ``tcp_user_timeout`` drop a connection whose network has gone;
- a **stall guard** on the client ends a wait for a server that no longer answers at all (a
  frozen or hung server still has its kernel acknowledge every packet, so neither of the
  above fires): while a ``Database.read``/``write`` runs, every round trip (statement, commit,
  rollback, the check of a pooled connection) is timed by one watchdog thread, and a round
  trip that gets no answer within ``stall_seconds`` has its socket shut down. The driver then
  fails at once, the transaction is abandoned (the server rolls it back if it ever reads on),
  and the person gets one sentence: ``stall_message``.

Migrations run outside the guard and without a statement timeout (they may take long).
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, event, exc

log = logging.getLogger(__name__)

# The server ends one statement after this long (and a lock wait after LOCK_TIMEOUT_MS).
STATEMENT_TIMEOUT_MS = 30_000
LOCK_TIMEOUT_MS = 20_000
# No answer at all for this long: the client gives up (longer than the statement timeout, so
# a live server's own timeout, with its clearer reason, comes first).
STALL_SECONDS = 40.0
CONNECT_TIMEOUT_S = 10


def pg_connect_args() -> dict[str, Any]:
    """libpq options of every PostgreSQL connection the app makes."""
    return {
        "connect_timeout": CONNECT_TIMEOUT_S,
        "application_name": "smgov",
        "options": (
            f"-c statement_timeout={STATEMENT_TIMEOUT_MS} -c lock_timeout={LOCK_TIMEOUT_MS}"
        ),
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 10,
        "keepalives_count": 3,
        # Data sent but not acknowledged for this long (the network is gone): drop it.
        "tcp_user_timeout": 30_000,
    }


@dataclass
class _Armed:
    deadline: float
    fd: int
    phase: str  # "statement", "commit", "rollback" or "connect"


@dataclass
class Stall:
    """What the guard ended on this thread."""

    phase: str
    seconds: float


class _Watchdog:
    """One daemon thread for every guarded wait of the process.

    Arming is a dict write (no thread wake-up per statement): the thread sleeps until the
    first wait is armed, then looks ten times a second while any is, and sleeps again once
    none has been armed for a while.
    """

    IDLE_AFTER_S = 5.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._armed: dict[int, _Armed] = {}
        self._stalls: dict[int, Stall] = {}
        self._wake = threading.Event()
        self._sleeping = True
        self._thread: threading.Thread | None = None

    def arm(self, fd: int, phase: str, seconds: float) -> None:
        with self._lock:
            self._armed[threading.get_ident()] = _Armed(time.monotonic() + seconds, fd, phase)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="smgov-stall-guard", daemon=True
                )
                self._thread.start()
            wake = self._sleeping
            self._sleeping = False
        if wake:
            self._wake.set()

    def disarm(self) -> None:
        with self._lock:
            self._armed.pop(threading.get_ident(), None)

    def take_stall(self) -> Stall | None:
        with self._lock:
            return self._stalls.pop(threading.get_ident(), None)

    def _run(self) -> None:
        quiet_since = time.monotonic()
        while True:
            self._wake.wait()
            self._wake.clear()
            while True:
                time.sleep(0.1)
                now = time.monotonic()
                with self._lock:
                    due = [(t, a) for t, a in self._armed.items() if a.deadline <= now]
                    for thread, armed in due:
                        del self._armed[thread]
                        self._stalls[thread] = Stall(armed.phase, guard.seconds)
                    if self._armed:
                        quiet_since = now
                    elif now - quiet_since > self.IDLE_AFTER_S:
                        self._sleeping = True
                        break
                for _thread, armed in due:
                    log.warning("No answer from the database server: closing its connection")
                    _shut(armed.fd)


def _shut(fd: int) -> None:
    """Shut the connection's socket down under the driver's feet: its wait ends at once."""
    with contextlib.suppress(OSError):
        sock = socket.socket(fileno=os.dup(fd))
        try:
            sock.shutdown(socket.SHUT_RDWR)
        finally:
            sock.close()


class _Guard:
    def __init__(self) -> None:
        self.seconds = STALL_SECONDS
        self.watchdog = _Watchdog()
        self._local = threading.local()

    @property
    def active(self) -> bool:
        return getattr(self._local, "depth", 0) > 0

    @contextlib.contextmanager
    def scope(self) -> Iterator[None]:
        """Guard the round trips of this thread until the end of the block."""
        self._local.depth = getattr(self._local, "depth", 0) + 1
        try:
            yield
        finally:
            self._local.depth -= 1
            if self._local.depth == 0:
                self.watchdog.disarm()

    def arm(self, dbapi_connection: Any, phase: str) -> None:
        if not self.active:
            return
        fd = _socket_of(dbapi_connection)
        if fd is not None:
            self.watchdog.arm(fd, phase, self.seconds)

    def disarm(self) -> None:
        if self.active:
            self.watchdog.disarm()

    def take_stall(self) -> Stall | None:
        return self.watchdog.take_stall()


guard = _Guard()


def _socket_of(dbapi_connection: Any) -> int | None:
    pgconn = getattr(dbapi_connection, "pgconn", None)
    try:
        return int(pgconn.socket) if pgconn is not None else None
    except Exception:  # noqa: BLE001 - a closed connection has no socket; nothing to guard
        return None


def install(engine: Engine) -> None:
    """Time every round trip of ``engine`` made inside ``guard.scope()``; check a pooled
    connection before use (a bounded ping instead of SQLAlchemy's unbounded pre-ping)."""

    def raw(conn: Any) -> Any:
        # An invalidated connection (e.g. just ended by the guard) has nothing to wait on.
        return None if conn.invalidated else conn.connection.dbapi_connection

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn: Any, _cursor: Any, _stmt: Any, _params: Any, _ctx: Any, _many: Any) -> None:
        guard.arm(raw(conn), "statement")

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn: Any, _cursor: Any, _stmt: Any, _params: Any, _ctx: Any, _many: Any) -> None:
        guard.disarm()

    @event.listens_for(engine, "handle_error")
    def _error(_context: Any) -> None:
        guard.disarm()

    # Commit and rollback are the last round trips of a transaction: the scope disarms them.
    @event.listens_for(engine, "commit")
    def _commit(conn: Any) -> None:
        guard.arm(raw(conn), "commit")

    @event.listens_for(engine, "rollback")
    def _rollback(conn: Any) -> None:
        guard.arm(raw(conn), "rollback")

    @event.listens_for(engine, "connect")
    def _streams_guarded(dbapi_connection: Any, _record: Any) -> None:
        # Streamed reads (yield_per: a server-side cursor) fetch batch after batch without the
        # engine's statement events: their cursors time each fetch themselves.
        if hasattr(dbapi_connection, "server_cursor_factory"):
            dbapi_connection.server_cursor_factory = _guarded_server_cursor()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        guard.arm(dbapi_connection, "connect")
        try:
            # In autocommit: one round trip. In a transaction it was three (BEGIN, SELECT 1,
            # ROLLBACK): 60 ms before every read on a 20 ms WAN. The connection is idle here
            # (the pool rolled it back when it was returned), so the switch sends nothing.
            autocommit = getattr(dbapi_connection, "autocommit", None)
            if autocommit is False:
                dbapi_connection.autocommit = True
            try:
                with dbapi_connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
            finally:
                if autocommit is False:
                    dbapi_connection.autocommit = False
        except Exception as error:
            # The pool drops it and connects afresh (bounded by connect_timeout).
            raise exc.DisconnectionError(str(error)) from error
        finally:
            guard.disarm()


_GUARDED_CURSOR: Any = None


def _guarded_server_cursor() -> Any:
    """A psycopg server-side cursor whose every round trip the stall guard times."""
    global _GUARDED_CURSOR
    if _GUARDED_CURSOR is None:
        import psycopg

        class GuardedServerCursor(psycopg.ServerCursor):
            def _timed(self, fn: Any, *args: Any, **kw: Any) -> Any:
                guard.arm(self.connection, "statement")
                try:
                    return fn(*args, **kw)
                except psycopg.OperationalError:
                    if self.connection.closed:
                        # Its connection is gone (e.g. ended by the guard): nothing to close.
                        self._closed = True
                    raise
                finally:
                    guard.disarm()

            def fetchone(self) -> Any:
                return self._timed(super().fetchone)

            def fetchmany(self, size: int = 0) -> Any:
                return self._timed(super().fetchmany, size)

            def fetchall(self) -> Any:
                return self._timed(super().fetchall)

            def close(self) -> None:
                self._timed(super().close)

        _GUARDED_CURSOR = GuardedServerCursor
    return _GUARDED_CURSOR


def stall_message(label: str, stall: Stall, writing: bool) -> str:
    seconds = round(stall.seconds)
    if stall.phase == "commit":
        return (
            f"The database ({label}) did not answer for {seconds} s while saving. The change "
            "may still be saved when the server answers again: reload and check before "
            "making it again."
        )
    what = (
        "so the change was abandoned and nothing was saved"
        if writing
        else "so nothing could be read"
    )
    return (
        f"The database ({label}) did not answer for {seconds} s, {what}. Check the network "
        "connection, or ask the database administrator whether the server is running, then "
        "try again."
    )
