"""A read replaced by a newer one stops in the middle of its statement, on both databases,
and the connection it ran on goes on working."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text

from desktop.errors import Cancelled
from desktop.storage.database import Database
from desktop.storage.interrupt import Interrupter


def _slow_statement(db: Database) -> str:
    if db.is_sqlite:
        # Minutes of work for SQLite, unless interrupted.
        return (
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 3000000000) "
            "SELECT count(*) FROM c"
        )
    return "SELECT pg_sleep(60)"


def test_cancel_stops_the_running_statement(db: Database) -> None:
    interrupter = Interrupter()
    timer = threading.Timer(0.3, interrupter.cancel)
    started = time.monotonic()
    timer.start()
    try:
        with pytest.raises(Cancelled), db.read() as session, interrupter.watching(session):
            session.execute(text(_slow_statement(db))).scalar()
    finally:
        timer.cancel()
    assert time.monotonic() - started < 10
    # The pool's connection still answers.
    with db.read() as session:
        assert session.execute(text("SELECT 1")).scalar() == 1


def test_work_cancelled_before_it_starts_runs_no_statement(db: Database) -> None:
    interrupter = Interrupter()
    interrupter.cancel()
    ran = []
    with pytest.raises(Cancelled), db.read() as session, interrupter.watching(session):
        ran.append(session.execute(text("SELECT 1")).scalar())
    assert ran == []


def test_a_read_that_finished_is_not_disturbed(db: Database) -> None:
    interrupter = Interrupter()
    with db.read() as session, interrupter.watching(session):
        assert session.execute(text("SELECT 2")).scalar() == 2
    interrupter.cancel()  # too late: nothing runs, and the next read is not interrupted
    with db.read() as session:
        assert session.execute(text("SELECT 3")).scalar() == 3
