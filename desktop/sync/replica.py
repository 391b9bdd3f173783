"""Making a replica: a fresh SQLite file filled from the hub, resumable (§6).

``create`` migrates a new file, forgets its own set-up events (the hub's log replaces them),
marks it a replica (``database_meta.audit_branch = 'hub'``: its events wait for the hub's
branch positions), installs the outbox triggers, and copies every replicated table from one
REPEATABLE READ snapshot of the hub, table by table in key order, committing every batch and
noting how far it got. Interrupted, ``create`` again continues where it stopped and the pull
that follows brings every change made on the hub since the snapshot.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, delete, func, insert, select, text, tuple_
from sqlalchemy.engine import make_url

from desktop.models import AuditEvent, DatabaseMeta, RecordDigest
from desktop.storage import comment_search
from desktop.storage.auditlog import chain
from desktop.storage.database import Database, open_database
from desktop.sync import rows as R
from desktop.sync import triggers
from desktop.sync.engine import (
    HUB_LOGIN,
    HUB_URL,
    PULL_SEQ,
    Syncer,
    applying,
    get_state,
    set_state,
)
from desktop.sync.tables import hub_changes

COPY_BATCH = 5000
COPY = "first_copy"  # sync_state: JSON {"seq": snapshot seq, "done": [...], "at": [table, key]}
Progress = Callable[[str, int], None]


def is_replica(engine: Engine) -> bool:
    with engine.connect() as conn:
        try:
            return get_state(conn, HUB_LOGIN) is not None
        except Exception:  # noqa: BLE001 - no sync tables: not a replica
            return False


def confirm_login(hub: Engine) -> str:
    with hub.connect() as h:
        return str(h.execute(text("SELECT session_user")).scalar_one())


def prepare(db: Database, hub_url: str, login: str) -> None:
    """Make a freshly migrated file a replica of ``hub_url`` owned by ``login``."""
    with db.engine.begin() as conn:
        if get_state(conn, HUB_LOGIN) is not None:
            return
        conn.execute(delete(RecordDigest))
        conn.execute(delete(AuditEvent))
        conn.execute(delete(DatabaseMeta).where(DatabaseMeta.key == chain.BRANCH_KEY))
        conn.execute(insert(DatabaseMeta).values(key=chain.BRANCH_KEY, value="hub"))
        triggers.install(conn)
        url = make_url(hub_url).set(password=None).render_as_string(hide_password=True)
        set_state(conn, HUB_URL, url)
        set_state(conn, HUB_LOGIN, login)


def create(
    hub: Engine,
    path: Path,
    progress: Progress | None = None,
    batch: int = COPY_BATCH,
) -> Database:
    """A replica at ``path`` filled from ``hub`` (resumes an interrupted copy)."""
    login = confirm_login(hub)
    db = open_database(path)
    try:
        prepare(db, hub.url.render_as_string(hide_password=True), login)
        copy(hub, db.engine, progress, batch)
        Syncer(db.engine, hub).pull()
    except BaseException:
        db.dispose()
        raise
    from desktop.storage.identity import ConfirmedLogin

    db.set_identity(ConfirmedLogin(login))
    return db


def copy(hub: Engine, local: Engine, progress: Progress | None, batch: int) -> None:
    with local.connect() as c:
        raw = get_state(c, COPY)
    state: dict[str, Any] = json.loads(raw) if raw else {}
    if state.get("finished"):
        return
    tables = list(R.tables_by_name().values())
    # The comment search index is built once after the copy, not row by row by its triggers
    # (a first sync of a million comments: minutes less); until then the replica is unusable
    # anyway, and a resumed copy drops what is there again.
    with local.begin() as c:
        comment_search.drop_sqlite(c)
    with hub.connect() as h:
        h = h.execution_options(isolation_level="REPEATABLE READ")
        with h.begin():
            if "seq" not in state:
                seq = h.execute(select(func.coalesce(func.max(hub_changes.c.seq), 0))).scalar()
                state = {"seq": int(seq or 0), "done": [], "at": None}
                _save(local, state)
            for table in tables:
                if table.name in state["done"]:
                    continue
                _copy_table(h, local, table, state, progress, batch)
                state["done"].append(table.name)
                state["at"] = None
                _save(local, state)
            if not state.get("digests"):
                _copy_digests(h, local, progress, batch)
                state["digests"] = True
                _save(local, state)
    if progress is not None:
        progress("building the search index", 0)
    with local.begin() as c:
        comment_search.create_sqlite(c)
        state["finished"] = True
        set_state(c, COPY, json.dumps(state))
        set_state(c, PULL_SEQ, str(state["seq"]))


def _order(table: Table) -> list[Any]:
    if table.name == "audit_events":
        return [table.c.seq, table.c.id]
    return list(table.primary_key.columns)


def _copy_table(
    h: Connection,
    local: Engine,
    table: Table,
    state: dict[str, Any],
    progress: Progress | None,
    batch: int,
) -> None:
    cols = _order(table)
    done = 0
    while True:
        stmt = select(table).order_by(*cols).limit(batch)
        at = state.get("at")
        if at is not None:
            last = [R.decode(table, {c.name: v})[c.name] for c, v in zip(cols, at, strict=True)]
            if len(cols) == 1:
                stmt = stmt.where(cols[0] > last[0])
            else:
                stmt = stmt.where(tuple_(*cols) > tuple_(*last))
        rows = [R.encode(table, r) for r in h.execute(stmt).mappings()]
        if not rows:
            return
        with local.begin() as conn:
            conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            with applying(conn):
                conn.execute(table.insert(), [R.decode(table, r) for r in rows])
            state["at"] = [rows[-1][c.name] for c in cols]
            set_state(conn, COPY, json.dumps(state))
        done += len(rows)
        if progress is not None:
            progress(table.name, done)
        if len(rows) < batch:
            return


def _copy_digests(h: Connection, local: Engine, progress: Progress | None, batch: int) -> None:
    """The hub's kept record digests, from the same snapshot, in place of those the local
    trigger derived from the copied events: a table vouched for in bulk (demo data, an
    import, a migration's baseline) has its digests only there, and without them `audit
    verify` on the replica would name every such record as added outside the app. One local
    transaction, so an interruption starts this step again from nothing."""
    t = RecordDigest.__table__
    cols = [t.c.table_name, t.c.record_id]
    done = 0
    with local.begin() as conn:
        conn.execute(delete(RecordDigest))
        last: tuple[Any, ...] | None = None
        while True:
            stmt = select(t).order_by(*cols).limit(batch)
            if last is not None:
                stmt = stmt.where(tuple_(*cols) > tuple_(*last))
            rows = [dict(r) for r in h.execute(stmt).mappings()]
            if not rows:
                break
            conn.execute(insert(RecordDigest), rows)
            last = (rows[-1]["table_name"], rows[-1]["record_id"])
            done += len(rows)
            if progress is not None:
                progress(RecordDigest.__tablename__, done)
            if len(rows) < batch:
                break


def _save(local: Engine, state: dict[str, Any]) -> None:
    with local.begin() as conn:
        set_state(conn, COPY, json.dumps(state))
