"""Reading and verifying the audit log (the record of every change)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from desktop.errors import PermissionDenied
from desktop.models import AuditEvent
from desktop.services import audit
from desktop.services.authz import Permission, denial
from desktop.services.context import ServiceContext, resolve_actor


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
