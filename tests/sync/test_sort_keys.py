"""The comment log's sort keys on a replica: made by its own migration and triggers, filled by
the first copy, following pushed and pulled changes; never part of what sync moves."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from desktop.services.comments import CommentService
from desktop.storage import comment_sort
from desktop.sync import rows as R
from tests.sync.conftest import SyncHub, now, verify_ok
from tests.sync.test_push import make_account


def _keys(engine: Engine) -> dict[Any, tuple[Any, ...]]:
    k = comment_sort.sort_keys.c
    with engine.connect() as conn:
        rows = conn.execute(select(k.comment_id, k.received_at, k.ministry, k.assignee, k.flags))
        return {r[0]: tuple(r[1:]) for r in rows}


def test_a_replica_keeps_its_own_sort_keys(sync_hub: SyncHub, tmp_path: Path) -> None:
    assert comment_sort.TABLE not in R.tables_by_name(), "never replicated"
    account = make_account(sync_hub)
    # Logged on the hub by a person's own login: the trigger writes what the login may not.
    as_officer = sync_hub.hub.database("officer")
    try:
        for i in range(3):
            when = now() - timedelta(minutes=i + 1)
            CommentService(sync_hub.ctx(as_officer)).log(account.id, when, f"Hi {i}")
    finally:
        as_officer.dispose()
    hub = sync_hub.hub.db.engine
    a, sync_a = sync_hub.replica("officer", tmp_path / "a.sqlite3")
    assert len(_keys(hub)) == 3
    assert _keys(a.engine) == _keys(hub)
    # Written on the replica and pushed; assigned on the hub and pulled.
    pushed = CommentService(sync_hub.ctx(a)).log(account.id, now() - timedelta(seconds=5), "P")
    sync_a.push()
    as_officer = sync_hub.hub.database("officer")
    try:
        CommentService(sync_hub.ctx(as_officer)).assign(pushed.id, sync_hub.person("officer").id)
    finally:
        as_officer.dispose()
    sync_a.pull()
    assert len(_keys(hub)) == 4
    assert _keys(a.engine) == _keys(hub)
    assert _keys(a.engine)[pushed.id][2] == "Officer Person"
    for engine in (hub, a.engine):
        verify_ok(engine)
