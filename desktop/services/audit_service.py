"""Reading and verifying the audit log (the record of every change)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.errors import PermissionDenied
from desktop.models import AuditEvent
from desktop.services import audit
from desktop.services.audit_records import record_names
from desktop.services.authz import Permission, denial
from desktop.services.context import ServiceContext, resolve_actor


def _kinds() -> dict[str, str]:
    """Table name -> the entity type the audit log and the tabs use (Account -> account)."""
    from desktop.models.base import Base

    out = {}
    for mapper in Base.registry.mappers:
        name = mapper.class_.__name__
        kind = "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")
        table = getattr(mapper.local_table, "name", None)
        if table:
            out[table] = kind
    return out


def _name_records(session: Session, report: audit.ChainReport) -> None:
    """Each record changed outside the app by its name in the app (e.g. "Facebook @SKHealth"),
    and what opens it, where the record still exists."""
    if not report.records:
        return
    kinds = _kinds()
    wanted: dict[str, set[str]] = {}
    for change in report.records:
        kind = kinds.get(change.table)
        if kind:
            wanted.setdefault(kind, set()).add(_canonical_id(change.record_id))
    names = record_names(session, wanted)
    named = []
    for change in report.records:
        key = (kinds.get(change.table, ""), _canonical_id(change.record_id))
        found = names.get(key)
        if found is None:
            named.append(change)
            continue
        label, open_type, open_id = found
        named.append(replace(change, label=label))
        if open_type and open_id:
            report.opens[(change.table, change.record_id)] = (open_type, open_id)
    report.records = named


def _canonical_id(record_id: str) -> str:
    try:
        return str(uuid.UUID(record_id))
    except ValueError:
        return record_id


@dataclass(frozen=True)
class AuditRow:
    seq: int
    occurred_at: datetime
    actor_login: str
    action: str
    entity_type: str
    entity_id: str
    before: dict[str, Any]
    after: dict[str, Any]


class AuditService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def _require_reader(self) -> None:
        with self.ctx.read() as session:
            actor = resolve_actor(session, self.ctx.login)
        reason = denial(actor.roles, Permission.EXPORT)
        if reason:
            raise PermissionDenied(reason)

    def verify(self, checkpoint: str | None = None) -> audit.ChainReport:
        """Walk the whole hash chain; the report names the first event that does not hold.

        The chain is held against the latest signed checkpoint in the database and, when
        given, against ``checkpoint`` ("SEQ:HASH", e.g. from a report's footer), so events cut
        off its end or a chain re-hashed from some event on are caught.
        """
        from desktop.services.checkpoints import checkpoint_anchors, parse_checkpoint

        given = [parse_checkpoint(checkpoint)] if checkpoint else []
        self._require_reader()
        with self.ctx.read() as session:
            anchors, problems = checkpoint_anchors(session)
            report = audit.verify(session, anchors + given)
            _name_records(session, report)
        if problems:
            report.ok = False
            report.problems.extend(problems)
        return report

    def recent(
        self,
        limit: int = 200,
        *,
        entity_id: str | uuid.UUID | None = None,
        before_seq: int | None = None,
    ) -> list[AuditRow]:
        """Newest events first, optionally of one record, keyset-paged by sequence number."""
        self._require_reader()
        stmt = select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(limit)
        if entity_id is not None:
            stmt = stmt.where(AuditEvent.entity_id == str(entity_id))
        if before_seq is not None:
            stmt = stmt.where(AuditEvent.seq < before_seq)
        with self.ctx.read() as session:
            return [
                AuditRow(
                    e.seq or 0,
                    e.occurred_at,
                    e.actor_login,
                    e.action,
                    e.entity_type,
                    e.entity_id,
                    json.loads(e.before) if e.before else {},
                    json.loads(e.after) if e.after else {},
                )
                for e in session.scalars(stmt)
            ]
