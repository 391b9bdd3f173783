"""Appending to the audit chains.

Every event is chained in its **origin** (the database or replica that wrote it). Where the
branch's log is kept — a local file, the shared database — it also gets its **branch**
position at once; on a replica it stays pending (``seq`` NULL) until the hub accepts it and
assigns the position (the hub's trigger does what ``assign_branch`` does here).

Appends are serialised: SQLite write transactions begin IMMEDIATE; on PostgreSQL a
transaction-scoped advisory lock is taken before the heads are read (the app's connections run
at READ COMMITTED, so the read sees every append committed before the lock was granted).
"""

from __future__ import annotations

import uuid
import weakref
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from desktop.models import AuditEvent, DatabaseMeta
from desktop.models.base import new_id
from desktop.storage.auditlog.hashing import (
    GENESIS,
    RecordEntry,
    branch_hash,
    canonical,
    encode_records,
    origin_hash,
)

# The login of migrations and demo seeding: the only writers that are not a person.
SYSTEM_LOGIN = "system"
ORIGIN_KEY = "origin"
# "hub" on a replica: the hub assigns branch positions, events are written pending.
BRANCH_KEY = "audit_branch"
# Any constant: the PostgreSQL advisory lock that serialises appends to the chains.
CHAIN_LOCK = 0x5356474F

_origins: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()
_branch_by_hub: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()


def _engine(session: Session) -> Engine:
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


def origin_id(session: Session) -> str:
    """This database's id in the origin chains (made by the migration; made here if lost)."""
    engine = _engine(session)
    found = _origins.get(engine)
    if found is None:
        found = session.scalar(select(DatabaseMeta.value).where(DatabaseMeta.key == ORIGIN_KEY))
        if found is None:
            found = str(uuid.uuid4())
            session.add(DatabaseMeta(key=ORIGIN_KEY, value=found))
            session.flush()
            return found  # not cached until it is committed
        _origins[engine] = found
    return found


def branch_assigned_by_hub(session: Session) -> bool:
    """True on a replica (``database_meta.audit_branch`` = "hub"): its events stay pending
    until the hub accepts them."""
    engine = _engine(session)
    found = _branch_by_hub.get(engine)
    if found is None:
        value = session.scalar(select(DatabaseMeta.value).where(DatabaseMeta.key == BRANCH_KEY))
        found = value == "hub"
        _branch_by_hub[engine] = found
    return found


def forget_origin(session: Session) -> None:
    """After a replica is given its own id or branch mode (or a test rewrote the table)."""
    _origins.pop(_engine(session), None)
    _branch_by_hub.pop(_engine(session), None)


def lock(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CHAIN_LOCK})


def origin_head(session: Session, origin: str) -> tuple[int, str]:
    row = session.execute(
        select(AuditEvent.origin_seq, AuditEvent.origin_hash)
        .where(AuditEvent.origin == origin)
        .order_by(AuditEvent.origin_seq.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else (0, GENESIS)


def branch_head(session: Session) -> tuple[int, str]:
    row = session.execute(
        select(AuditEvent.seq, AuditEvent.hash)
        .where(AuditEvent.seq.is_not(None))
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    ).first()
    return (int(row[0] or 0), str(row[1])) if row else (0, GENESIS)


def chain_head(session: Session) -> tuple[int, str]:
    """The branch chain's last position and hash, locked against concurrent appends."""
    lock(session)
    return branch_head(session)


def append(
    session: Session,
    *,
    at: datetime,
    actor_id: uuid.UUID | None,
    actor_login: str,
    action: str,
    entity_type: str,
    entity_id: str | uuid.UUID,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    records: Sequence[RecordEntry] = (),
    branch: bool | None = None,
    event_id: uuid.UUID | None = None,
) -> AuditEvent:
    """Write one event at the end of this database's origin chain and, with ``branch``, of
    the branch chain (``branch=False``: a pending event; ``None``: pending on a replica,
    else positioned at once)."""
    if branch is None:
        branch = not branch_assigned_by_hub(session)
    lock(session)
    origin = origin_id(session)
    origin_seq, origin_prev = origin_head(session, origin)
    event = AuditEvent(
        id=event_id or new_id(),
        origin=origin,
        origin_seq=origin_seq + 1,
        origin_prev_hash=origin_prev,
        # Hash the value as it reads back (aware UTC), not as the caller passed it.
        occurred_at=at.astimezone(UTC),
        actor_id=actor_id,
        actor_login=actor_login,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        before=canonical(before),
        after=canonical(after),
        records=encode_records(records),
    )
    event.origin_hash = hash_origin(event)
    if branch:
        assign_branch(session, event, at)
    session.add(event)
    # Flushed now: the next append in this transaction must see this one as the head.
    session.flush()
    return event


def assign_branch(session: Session, event: AuditEvent, at: datetime | None = None) -> None:
    """Give ``event`` the next position of the branch chain (the hub does this in its trigger
    for events pushed by replicas)."""
    lock(session)
    seq, prev = branch_head(session)
    event.seq = seq + 1
    event.prev_hash = prev
    event.hash = branch_hash(event.seq, prev, event.origin_hash)
    event.recorded_at = (at or datetime.now(UTC)).astimezone(UTC)


def hash_origin(event: AuditEvent) -> str:
    """The origin hash ``event``'s stored fields give."""
    return origin_hash(
        id=event.id,
        origin=event.origin,
        origin_seq=event.origin_seq,
        occurred_at=event.occurred_at,
        actor_id=event.actor_id,
        actor_login=event.actor_login,
        action=event.action,
        entity_type=event.entity_type,
        entity_id=event.entity_id,
        before=event.before or "",
        after=event.after or "",
        records=event.records or "",
        origin_prev_hash=event.origin_prev_hash,
    )


def rehash(event: AuditEvent) -> None:
    """Recompute both hashes after a field was set before the first flush (demo seeding gives
    events reproducible ids)."""
    event.origin_hash = hash_origin(event)
    if event.seq is not None and event.prev_hash is not None:
        event.hash = branch_hash(event.seq, event.prev_hash, event.origin_hash)
