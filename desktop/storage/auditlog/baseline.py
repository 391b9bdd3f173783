"""Vouching for records the app did not write one by one: a new record layout after an upgrade
(the digests of a table change when a migration changes its columns), demo seeding.

The whole table's records go into ``record_digests`` and one event records the set digest of
the table before and after (a bulk entry ``[table, "*", before, after]``), so the log's sum
still equals the records'. Only the system does this: migrations and demo seeding.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.orm import Session

from desktop.models import AuditEvent, DatabaseMeta, RecordDigest
from desktop.storage.auditlog import chain, digests
from desktop.storage.auditlog.hashing import (
    ALL_RECORDS,
    SET_MODULUS,
    RecordEntry,
    set_hex,
    term,
)

LAYOUT_PREFIX = "digest_layout:"
BATCH = 5000


def stale_tables(session: Session) -> list[Table]:
    """Tables whose stored layout differs from the app's (or was never recorded)."""
    stored = {
        k.removeprefix(LAYOUT_PREFIX): v
        for k, v in session.execute(
            select(DatabaseMeta.key, DatabaseMeta.value).where(
                DatabaseMeta.key.startswith(LAYOUT_PREFIX)
            )
        )
    }
    return [t for t in digests.record_tables() if stored.get(t.name) != digests.layout(t)]


def vouch_tables(session: Session, tables: Iterable[Table]) -> list[RecordEntry]:
    """Replace the kept digests of ``tables`` by those of their records now; returns the bulk
    entries (empty tables that had none are left out)."""
    entries: list[RecordEntry] = []
    for table in tables:
        before = 0
        for rid, digest in session.execute(
            select(RecordDigest.record_id, RecordDigest.digest).where(
                RecordDigest.table_name == table.name
            )
        ):
            before += term(table.name, rid, digest)
        session.execute(delete(RecordDigest).where(RecordDigest.table_name == table.name))
        after = 0
        rows: list[dict[str, object]] = []
        for rid, digest in digests.scan(session, table):
            after += term(table.name, rid, digest)
            rows.append({"table_name": table.name, "record_id": rid, "digest": digest})
            if len(rows) >= BATCH:
                session.execute(insert(RecordDigest), rows)
                rows = []
        if rows:
            session.execute(insert(RecordDigest), rows)
        before %= SET_MODULUS
        after %= SET_MODULUS
        if before or after:
            entries.append(
                (
                    table.name,
                    ALL_RECORDS,
                    set_hex(before) if before else "",
                    set_hex(after) if after else "",
                )
            )
    return entries


def record_layouts(session: Session, tables: Iterable[Table]) -> None:
    for table in tables:
        key = LAYOUT_PREFIX + table.name
        row = session.get(DatabaseMeta, key)
        if row is None:
            session.add(DatabaseMeta(key=key, value=digests.layout(table)))
        else:
            row.value = digests.layout(table)
    session.flush()


def baseline(
    session: Session, at: datetime, *, reason: str, tables: Iterable[Table] | None = None
) -> AuditEvent | None:
    """Vouch for the records of the stale (or given) tables as they are; one system event."""
    chosen = list(tables) if tables is not None else stale_tables(session)
    if not chosen:
        return None
    entries = vouch_tables(session, chosen)
    record_layouts(session, chosen)
    if not entries:
        return None
    event = chain.append(
        session,
        at=at,
        actor_id=None,
        actor_login=chain.SYSTEM_LOGIN,
        action="audit.baseline",
        entity_type="database",
        entity_id="-",
        after={
            "reason": reason,
            "tables": sorted(e[0] for e in entries),
        },
        records=entries,
    )
    # The event's entries are bulk ones: the digests were written above, and the event
    # points at them.
    session.execute(
        RecordDigest.__table__.update()  # type: ignore[attr-defined]
        .where(RecordDigest.table_name.in_([e[0] for e in entries]))
        .values(event_id=event.id)
    )
    return event
