"""Cancel that really cancels, or is refused.

Work started with a Cancel button runs inside a ``CancelScope`` on its own thread. Pressing
Cancel (``CancelScope.cancel``, from any thread):

- before the transaction commits: the statement running on the server is cancelled at once
  (libpq's cancel request; SQLite's interrupt), no further statement starts, and the commit is
  refused — the work ends with ``Cancelled`` and nothing is saved;
- once the commit has been sent: refused (``cancel`` returns False), because the server may
  already have saved it; the caller says so, and the work reports its real outcome.

``on_commit`` lets the window take the Cancel button away when the commit starts.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from desktop.errors import Cancelled

if TYPE_CHECKING:  # the window's frame imports this module: SQLAlchemy comes later
    from sqlalchemy import Engine

_local = threading.local()


class CancelScope:
    def __init__(
        self,
        on_commit: Callable[[], None] | None = None,
        on_write: Callable[[], None] | None = None,
    ) -> None:
        self._lock = threading.Lock()
        self.cancelled = False
        self.committing = False
        self.on_commit = on_commit
        self.on_write = on_write  # called when the work begins a write transaction
        self._running: Any = None  # the DB-API connection of the statement in progress

    @contextlib.contextmanager
    def entered(self) -> Iterator[CancelScope]:
        """This thread's database work belongs to the scope until the end of the block."""
        previous = getattr(_local, "scope", None)
        _local.scope = self
        try:
            yield self
        finally:
            _local.scope = previous

    def cancel(self) -> bool:
        """Cancel the work; False when it is too late (the commit was sent)."""
        with self._lock:
            if self.committing:
                return False
            self.cancelled = True
            running = self._running
        if running is not None:
            _interrupt(running)
        return True

    # -- called on the working thread by the engine's events -------------------------------

    def _starting(self, dbapi_connection: Any) -> None:
        with self._lock:
            if self.cancelled:
                raise Cancelled
            # A statement after a commit: that commit is done, a new transaction may be
            # cancelled again (work in several transactions keeps those it committed).
            self.committing = False
            self._running = dbapi_connection

    def _finished(self) -> None:
        with self._lock:
            self._running = None

    def _committing(self) -> None:
        with self._lock:
            if self.cancelled:
                raise Cancelled  # the commit is not sent: the transaction is rolled back
            self.committing = True
        if self.on_commit is not None:
            self.on_commit()


def writing() -> None:
    """A write transaction begins on this thread (``Database.write``): tell the scope."""
    scope = current()
    if scope is None:
        return
    if scope.cancelled:
        raise Cancelled
    if scope.on_write is not None:
        scope.on_write()


def current() -> CancelScope | None:
    scope: CancelScope | None = getattr(_local, "scope", None)
    return scope


def was_cancelled() -> bool:
    """Did the scope of this thread's work get cancelled (a driver error is then the
    cancellation, not a failure)."""
    scope = current()
    return scope is not None and scope.cancelled


def _interrupt(dbapi_connection: Any) -> None:
    with contextlib.suppress(Exception):  # the statement may have ended in the meantime
        if hasattr(dbapi_connection, "interrupt"):  # sqlite3
            dbapi_connection.interrupt()
        else:  # psycopg: a cancel request to the server, safe from another thread
            dbapi_connection.cancel()


def install(engine: Engine) -> None:
    from sqlalchemy import event

    def raw(conn: Any) -> Any:
        return None if conn.invalidated else conn.connection.dbapi_connection

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn: Any, _cursor: Any, _stmt: Any, _params: Any, _ctx: Any, _many: Any) -> None:
        scope = current()
        if scope is not None:
            scope._starting(raw(conn))

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn: Any, _cursor: Any, _stmt: Any, _params: Any, _ctx: Any, _many: Any) -> None:
        scope = current()
        if scope is not None:
            scope._finished()

    @event.listens_for(engine, "handle_error")
    def _error(_context: Any) -> None:
        scope = current()
        if scope is not None:
            scope._finished()

    @event.listens_for(engine, "commit")
    def _commit(_conn: Any) -> None:
        scope = current()
        if scope is not None:
            scope._committing()
