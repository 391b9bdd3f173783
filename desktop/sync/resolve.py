"""Settling a change the hub did not take: a refusal, or a conflict a person resolved.

The log's sums hold on every copy only if every state change of a record is covered by
exactly one event (docs/trust-and-sync.md §4). The author's events for the row already went to
the hub; an event of the author undoes them (entries ``[table, id, mine, base]``, ``base``
being the ``before`` of the author's first entry since the change was written), so they cancel
out everywhere. "Keep mine" then writes the author's row again as an ordinary change from the
hub's row (a second event ``[table, id, theirs, mine]``), pushed with the hub's version as base.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Table, and_, insert, select, update
from sqlalchemy.orm import Session

from desktop.errors import ConflictError, DomainError, NotFound
from desktop.models import AuditEvent, Person
from desktop.storage.auditlog import chain, digests
from desktop.sync import rows as R
from desktop.sync.engine import (
    HUB_LOGIN,
    applying,
    delete_local,
    fix_digest,
    get_state,
    new_change_id,
    upsert_local,
)
from desktop.sync.tables import sync_conflicts, sync_outbox

KEEP_MINE = "mine"
KEEP_THEIRS = "theirs"
COMBINE = "combined"  # mine, with the fields the person chose taken from theirs


def _my_span(conn: Connection, table: Table, rid: str, since: int) -> tuple[str, str] | None:
    """(digest before the author's first entry for the record since ``since``, digest after
    the last) from this replica's own events; None when none touched it."""
    origin = conn.execute(text_origin()).scalar()
    first: str | None = None
    last = ""
    rows = conn.execute(
        select(AuditEvent.records)
        .where(and_(AuditEvent.origin == origin, AuditEvent.origin_seq > since))
        .order_by(AuditEvent.origin_seq)
    )
    for (records,) in rows:
        if not records:
            continue
        for entry in json.loads(records):
            if entry[0] == table.name and entry[1] == rid:
                if first is None:
                    first = entry[2]
                last = entry[3]
    return None if first is None else (first, last)


def text_origin() -> Any:
    from desktop.models import DatabaseMeta

    return select(DatabaseMeta.value).where(DatabaseMeta.key == chain.ORIGIN_KEY)


def _append(
    conn: Connection,
    now: datetime,
    action: str,
    table: Table,
    rid: str,
    records: list[tuple[str, str, str, str]],
    after: dict[str, Any],
) -> None:
    login = get_state(conn, HUB_LOGIN) or ""
    with Session(bind=conn) as session:
        actor = session.scalar(select(Person.id).where(Person.login == login))
        chain.append(
            session,
            at=now,
            actor_id=actor,
            actor_login=login,
            action=action,
            entity_type=table.name,
            entity_id=rid[:80],
            after=after,
            records=records,
        )
        session.flush()


def settle(
    conn: Connection,
    table: Table,
    key: str,
    since: int,
    theirs: dict[str, Any] | None,
    why: str,
    now: datetime,
) -> None:
    """The row as the hub has it, and an event that undoes the author's events for it."""
    rid = digests.record_id(table, R.key_values(table, key))
    span = _my_span(conn, table, rid, since)
    with applying(conn):
        if theirs is None:
            delete_local(conn, table, key)
        else:
            upsert_local(conn, table, theirs)
    if span is not None and span[0] != span[1]:
        _append(
            conn,
            now,
            "sync.undo",
            table,
            rid,
            [(table.name, rid, span[1], span[0])],
            {"because": why},
        )
    fix_digest(conn, table, key)


def open_conflicts(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [
            dict(r)
            for r in conn.execute(
                select(sync_conflicts)
                .where(sync_conflicts.c.resolved_at.is_(None))
                .order_by(sync_conflicts.c.id)
            ).mappings()
        ]


def resolve(
    engine: Engine,
    conflict_id: int,
    choice: str,
    now: datetime,
    theirs_fields: Collection[str] = (),
) -> None:
    """Keep mine, keep theirs, or combine (mine with ``theirs_fields`` taken from the hub's
    version); the resolution is audited and travels to the hub."""
    if choice not in (KEEP_MINE, KEEP_THEIRS, COMBINE):
        raise ValueError(choice)
    tables = R.tables_by_name()
    with engine.begin() as conn:
        c = (
            conn.execute(select(sync_conflicts).where(sync_conflicts.c.id == conflict_id))
            .mappings()
            .first()
        )
        if c is None:
            raise NotFound("This conflict no longer exists.")
        if c["resolved_at"] is not None:
            raise ConflictError("This conflict was already resolved.")
        table = tables[c["table_name"]]
        key = c["row_key"]
        theirs = json.loads(c["theirs"]) if c["theirs"] else None
        rid = digests.record_id(table, R.key_values(table, key))
        if choice == KEEP_THEIRS:
            conn.execute(
                sync_outbox.delete().where(
                    sync_outbox.c.table_name == table.name, sync_outbox.c.row_key == key
                )
            )
            settle(conn, table, key, c["since_origin_seq"], theirs, "kept theirs", now)
        else:
            span = _my_span(conn, table, rid, c["since_origin_seq"])
            mine_live = R.fetch(conn, table, key)
            if choice == COMBINE:
                mine_live = _take_theirs(conn, table, key, mine_live, theirs, theirs_fields)
            if span is not None and span[0] != span[1]:
                _append(
                    conn,
                    now,
                    "sync.undo",
                    table,
                    rid,
                    [(table.name, rid, span[1], span[0])],
                    {"because": "kept mine"},
                )
            # From here on, the author's only change is the one from the hub's row: should it
            # conflict again, that is what an undo takes back.
            head = _head(conn)
            conn.execute(
                sync_outbox.delete().where(
                    sync_outbox.c.table_name == table.name, sync_outbox.c.row_key == key
                )
            )
            # The row goes out again from the hub's version: its digest is taken after.
            _write_mine_again(conn, table, key, mine_live, theirs, head)
            mine_now = R.fetch(conn, table, key)
            d_theirs = digests.row_digest(table, R.decode(table, theirs)) if theirs else ""
            d_mine = digests.row_digest(table, R.decode(table, mine_now)) if mine_now else ""
            if d_theirs != d_mine:
                _append(
                    conn,
                    now,
                    "sync.keep_mine" if choice == KEEP_MINE else "sync.combine",
                    table,
                    rid,
                    [(table.name, rid, d_theirs, d_mine)],
                    {"change_id": c["change_id"]}
                    if choice == KEEP_MINE
                    else {"change_id": c["change_id"], "theirs_fields": sorted(theirs_fields)},
                )
            fix_digest(conn, table, key)
        conn.execute(
            update(sync_conflicts)
            .where(sync_conflicts.c.id == conflict_id)
            .values(resolved_at=now, resolution=choice)
        )


def _take_theirs(
    conn: Connection,
    table: Table,
    key: str,
    mine: dict[str, Any] | None,
    theirs: dict[str, Any] | None,
    fields: Collection[str],
) -> dict[str, Any]:
    """This copy's row with ``fields`` set to the hub's values (written without an outbox
    entry: the resolution's own entry pushes the whole row)."""
    if mine is None or theirs is None:
        raise ConflictError(
            "One side deleted this record, so there are no fields to combine: keep yours or "
            "keep theirs."
        )
    fixed = {c.name for c in table.primary_key.columns} | {"version"}
    chosen = set(fields)
    unknown = sorted(chosen - (set(theirs) - fixed))
    if unknown:
        raise DomainError(f"These fields cannot be taken from the hub: {', '.join(unknown)}.")
    if not chosen:
        raise DomainError("Choose at least one field to take from the hub's version.")
    values = R.decode(table, {name: theirs[name] for name in chosen})
    with applying(conn):
        conn.execute(update(table).where(R.where_key(table, key)).values(**values))
    combined = R.fetch(conn, table, key)
    assert combined is not None
    return combined


def _write_mine_again(
    conn: Connection,
    table: Table,
    key: str,
    mine: dict[str, Any] | None,
    theirs: dict[str, Any] | None,
    since: int,
) -> None:
    """An outbox entry that pushes the row as it is here from the hub's version."""
    versioned = R.is_versioned(table)
    base: int | None
    if mine is not None and theirs is not None and versioned:
        version = int(theirs["version"]) + 1
        with applying(conn):
            conn.execute(update(table).where(R.where_key(table, key)).values(version=version))
        op, base = "update", int(theirs["version"])
    elif mine is not None:
        op, base = ("insert", None) if theirs is None else ("update", None)
    else:
        if theirs is None:
            return
        op, base = "delete", (int(theirs["version"]) if versioned else None)
    pos = conn.execute(select(sync_outbox.c.pos).order_by(sync_outbox.c.pos.desc())).scalar()
    conn.execute(
        insert(sync_outbox).values(
            pos=(pos or 0) + 1,
            table_name=table.name,
            row_key=key,
            op=op,
            base_version=base,
            since_origin_seq=since,
            change_id=new_change_id(),
            state="pending",
            written_at=datetime.now().isoformat(),
        )
    )


def _head(conn: Connection) -> int:
    from sqlalchemy import func

    origin = conn.execute(text_origin()).scalar()
    return int(
        conn.execute(
            select(func.coalesce(func.max(AuditEvent.origin_seq), 0)).where(
                AuditEvent.origin == origin
            )
        ).scalar_one()
    )
