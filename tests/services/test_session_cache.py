"""Who acts and the settings are read once a session, and read again after a change: one's
own change at once, another administrator's within ``CACHE_SECONDS``. A connection the
server dropped costs one failed action, not a ping before every one."""

from __future__ import annotations

import tempfile
from collections.abc import Callable

import pytest
from sqlalchemy import create_engine, event, text

from desktop.enums import AppRole
from desktop.errors import StorageUnavailable
from desktop.services import context as context_module
from desktop.services.comment_log import CommentLogQuery, CommentLogService
from desktop.services.people import PeopleService
from desktop.services.settings_service import SettingsService
from desktop.storage.database import Database
from tests.factories import Cast


def _statements(db: Database) -> list[str]:
    seen: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    return seen


def test_the_acting_person_and_settings_are_read_once(cast: Cast) -> None:
    ctx = cast.ctx("officer")
    log = CommentLogService(ctx)
    log.page(CommentLogQuery(due_soon=True), cast.clock())
    seen = _statements(cast.db)
    for _ in range(3):
        log.page(CommentLogQuery(due_soon=True), cast.clock())
    assert not [s for s in seen if "FROM people" in s and "people.login" in s]
    assert not [s for s in seen if "FROM settings" in s]
    assert ctx.actor() is ctx.actor()


def test_ones_own_change_is_seen_at_once(cast: Cast) -> None:
    ctx = cast.ctx("admin")
    assert ctx.settings().strike_threshold == 3
    SettingsService(ctx).update({"strike_threshold": 4})
    assert ctx.settings().strike_threshold == 4


def test_another_administrators_change_is_seen_after_the_cache_time(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    officer = cast.ctx("officer")
    assert AppRole.OFFICER in officer.actor().roles
    PeopleService(cast.ctx("admin")).set_roles(cast.people["officer"].id, [AppRole.AUDITOR])
    assert AppRole.OFFICER in officer.actor().roles  # still the session's view
    monkeypatch.setattr(context_module, "CACHE_SECONDS", 0.0)
    assert officer.actor().roles == frozenset({AppRole.AUDITOR})


def test_a_dropped_connection_fails_one_action_then_reconnects(pg_db: Database) -> None:
    with pg_db.read() as session:
        pid = session.execute(text("SELECT pg_backend_pid()")).scalar()
    admin = create_engine(pg_db.url)
    with admin.connect() as other:
        # Another connection ends the pooled one, as a server restart or a firewall would.
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()
    messages: list[str] = []
    for _ in range(3):
        try:
            with pg_db.read() as session:
                assert session.execute(text("SELECT 1")).scalar() == 1
        except StorageUnavailable as exc:
            messages.append(str(exc))
    assert len(messages) <= 1
    assert all("lost" in m or "cannot be reached" in m for m in messages)


def _round_trips(db: Database, work: Callable[[], object]) -> int:
    """Round trips ``work`` makes on the pool's one connection: each exchange with the server
    ends with its ReadyForQuery message (psycopg's protocol trace)."""
    with db.engine.connect() as conn:  # the pool's connection, taken and given back
        raw = conn.connection.dbapi_connection
    assert raw is not None
    with tempfile.TemporaryFile() as trace:
        raw.pgconn.trace(trace.fileno())
        try:
            work()
        finally:
            raw.pgconn.untrace()
        trace.seek(0)
        return sum("ReadyForQuery" in line for line in trace.read().decode().splitlines())


def test_a_read_costs_its_statement_and_a_one_round_trip_ping(pg_db: Database) -> None:
    """The connection taken from the pool is checked before use (a server restarted or frozen
    meanwhile is found at once) in one round trip; it was three (BEGIN, SELECT 1, ROLLBACK),
    and on a 20 ms WAN each Comments-tab read paid 120 ms for its two checks."""
    pg_db.engine.dispose()

    def one_statement() -> None:
        with pg_db.quick_read() as session:
            assert session.execute(text("SELECT 1")).scalar() == 1

    one_statement()  # the pool's connection exists
    assert _round_trips(pg_db, one_statement) == 2
