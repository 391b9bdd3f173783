"""The comment search index on a replica: dropped while the first copy writes the comments,
built once after it, then kept by the replica's own triggers for what is logged or pulled."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from desktop.services.comment_log import CommentLogQuery, CommentLogService
from desktop.services.comments import CommentService
from desktop.storage import comment_search
from desktop.storage.database import Database
from tests.sync.conftest import SyncHub, now, verify_ok
from tests.sync.test_push import make_account


def _found(db: Database, sync_hub: SyncHub, search: str) -> set[str]:
    page = CommentLogService(sync_hub.ctx(db)).page(CommentLogQuery(search=search), now(), None, 50)
    return {r.excerpt for r in page.rows}


def _triggers(db: Database) -> set[str]:
    with db.engine.connect() as conn:
        return set(
            conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE ?",
                (comment_search.SQLITE_TABLE + "%",),
            ).scalars()
        )


def test_a_replica_searches_what_it_copied_logged_and_pulled(
    sync_hub: SyncHub, tmp_path: Path
) -> None:
    account = make_account(sync_hub)
    as_officer = sync_hub.hub.database("officer")
    try:
        for i, body in enumerate(("Ferry at Riverhurst?", "Le pont de Montréal", "Hello")):
            when = now() - timedelta(minutes=i + 1)
            CommentService(sync_hub.ctx(as_officer)).log(account.id, when, body)
    finally:
        as_officer.dispose()
    a, sync_a = sync_hub.replica("officer", tmp_path / "a.sqlite3")
    assert _found(a, sync_hub, "riverhurst") == {"Ferry at Riverhurst?"}
    assert _found(a, sync_hub, "montreal") == {"Le pont de Montréal"}
    assert len(_triggers(a)) == 3
    # Logged on the replica, and logged on the hub then pulled: both found.
    CommentService(sync_hub.ctx(a)).log(account.id, now() - timedelta(seconds=5), "Lemsford road")
    as_officer = sync_hub.hub.database("officer")
    try:
        CommentService(sync_hub.ctx(as_officer)).log(
            account.id, now() - timedelta(seconds=4), "Wildfire smoke at Outlook"
        )
    finally:
        as_officer.dispose()
    sync_a.push()
    sync_a.pull()
    assert _found(a, sync_hub, "lemsford") == {"Lemsford road"}
    assert _found(a, sync_hub, "outlook") == {"Wildfire smoke at Outlook"}
    verify_ok(a.engine)
