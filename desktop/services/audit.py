"""Append to and verify the hash-chained audit log.

Each event's hash is SHA-256 over every other stored field and the previous event's hash, so
editing, deleting or reordering any stored event outside the app breaks the chain at that
event.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from desktop.models import AuditEvent
from desktop.models.base import new_id

GENESIS = "0" * 64
# Any constant: the PostgreSQL advisory lock that serialises appends to the chain.
_CHAIN_LOCK = 0x5356474F


def canonical(data: dict[str, Any] | None) -> str:
    if not data:
        return ""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(
    *,
    id: uuid.UUID,
    seq: int,
    occurred_at: datetime,
    actor_id: uuid.UUID | None,
    actor_login: str,
    action: str,
    entity_type: str,
    entity_id: str,
    before: str,
    after: str,
    prev_hash: str,
) -> str:
    fields = [
        str(id),
        seq,
        occurred_at.isoformat(),
        str(actor_id) if actor_id else "",
        actor_login,
        action,
        entity_type,
        entity_id,
        before,
        after,
        prev_hash,
    ]
    payload = json.dumps(fields, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def hash_of(event: AuditEvent) -> str:
    return event_hash(
        id=event.id,
        seq=event.seq,
        occurred_at=event.occurred_at,
        actor_id=event.actor_id,
        actor_login=event.actor_login,
        action=event.action,
        entity_type=event.entity_type,
        entity_id=event.entity_id,
        before=event.before,
        after=event.after,
        prev_hash=event.prev_hash,
    )


def chain_head(session: Session) -> tuple[int, str]:
    """The last sequence number and hash, locked against concurrent appends."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHAIN_LOCK})
    row = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    return (row[0], row[1]) if row else (0, GENESIS)


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
) -> AuditEvent:
    seq, prev = chain_head(session)
    # Hash the value as it reads back (aware UTC), not as the caller passed it.
    at = at.astimezone(UTC)
    event = AuditEvent(
        id=new_id(),
        seq=seq + 1,
        occurred_at=at,
        actor_id=actor_id,
        actor_login=actor_login,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        before=canonical(before),
        after=canonical(after),
        prev_hash=prev,
    )
    event.hash = hash_of(event)
    session.add(event)
    return event


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    events: int
    broken_seq: int | None = None
    broken_id: str | None = None
    reason: str = ""

    @property
    def message(self) -> str:
        if self.ok:
            return f"Audit log intact: {self.events} events, hash chain verified."
        return f"Audit log broken at event #{self.broken_seq} (id {self.broken_id}): {self.reason}"


def verify(session: Session, batch: int = 5000) -> ChainReport:
    """Walk the whole chain in order; report the first event that does not hold."""
    stmt = select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch)
    # Closed explicitly: an early return must not leave a server-side cursor behind.
    with session.scalars(stmt) as events:
        return _walk(events)


def _walk(events: Iterable[AuditEvent]) -> ChainReport:
    prev = GENESIS
    expected_seq = 1
    count = 0
    for event in events:
        count += 1
        if event.seq != expected_seq:
            return ChainReport(
                False,
                count,
                event.seq,
                str(event.id),
                f"expected event #{expected_seq} here; events are missing or renumbered.",
            )
        if event.prev_hash != prev:
            return ChainReport(
                False,
                count,
                event.seq,
                str(event.id),
                "it does not point to the previous event's hash (an event was removed, "
                "inserted or changed before it).",
            )
        if hash_of(event) != event.hash:
            return ChainReport(
                False,
                count,
                event.seq,
                str(event.id),
                "its stored fields do not match its hash (it was changed outside the app).",
            )
        prev = event.hash
        expected_seq += 1
    return ChainReport(True, count)
