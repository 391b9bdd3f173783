"""Stopping a read while its statement runs: a search the person has typed past, a page of a
list they have scrolled or filtered away from.

``Interrupter.cancel()`` (any thread) raises ``desktop.errors.Cancelled`` in the work that
watches it: before its next statement, or in the statement running now — SQLite's
``sqlite3_interrupt``, PostgreSQL's cancel request (the server stops the query; the
connection stays usable). Work that has not started yet does not start.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.orm import Session

from desktop.errors import Cancelled


class Interrupter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._connection: Any = None  # the DBAPI connection running the watched work
        self._cancelled = False

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def check(self) -> None:
        if self._cancelled:
            raise Cancelled

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            connection = self._connection
        if connection is not None:
            _interrupt(connection)

    @contextmanager
    def watching(self, session: Session) -> Iterator[None]:
        """Run the block's statements on ``session`` so that ``cancel`` stops them."""
        self.check()
        connection = session.connection().connection.dbapi_connection
        with self._lock:
            self._connection = connection
        try:
            yield
        except Exception as exc:
            if self._cancelled:
                raise Cancelled from exc
            raise
        finally:
            with self._lock:
                self._connection = None
        self.check()


def _interrupt(connection: Any) -> None:
    if hasattr(connection, "interrupt"):  # sqlite3
        connection.interrupt()
    elif hasattr(connection, "cancel"):  # psycopg: a cancel request on its own socket
        connection.cancel()


@contextmanager
def watched(session: Session, interrupter: Interrupter | None) -> Iterator[None]:
    """``interrupter.watching(session)``, or nothing when there is none."""
    if interrupter is None:
        yield
    else:
        with interrupter.watching(session):
            yield
