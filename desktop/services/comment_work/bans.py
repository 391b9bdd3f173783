"""The bans as the moderation list shows them: proposed, active (expired ones flagged), and
the ones that ended, with the commenter and who decided."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import aliased

from desktop.enums import BanKind, BanStatus, Platform
from desktop.models import Ban, Commenter, Person
from desktop.services.context import ServiceContext
from desktop.services.metrics import require_reader


@dataclass(frozen=True)
class BanRow:
    id: uuid.UUID
    version: int
    handle: str
    platform: Platform
    kind: BanKind
    status: BanStatus
    reason: str
    proposed_at: datetime
    starts_at: datetime | None
    ends_at: datetime | None
    decided_by: str

    def past_end(self, as_of: datetime) -> bool:
        """An active temporary ban whose end has passed: it only awaits being expired."""
        return (
            self.status is BanStatus.ACTIVE
            and self.kind is BanKind.TEMPORARY
            and self.ends_at is not None
            and self.ends_at <= as_of
        )


class BanListService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def bans(self, statuses: Iterable[BanStatus] | None = None) -> list[BanRow]:
        """Bans in the given states (all when None), proposed ones first, then by date."""
        decider = aliased(Person)
        stmt = (
            select(Ban, Commenter.handle, decider.name)
            .join(Commenter, Commenter.id == Ban.commenter_id)
            .outerjoin(decider, decider.id == Ban.decided_by_id)
            .order_by(Ban.proposed_at.desc(), Ban.id)
        )
        if statuses is not None:
            stmt = stmt.where(Ban.status.in_(list(statuses)))
        with self.ctx.read() as session:
            require_reader(self.ctx, session)
            rows = [
                BanRow(
                    b.id,
                    b.version,
                    handle,
                    b.platform,
                    b.kind,
                    b.status,
                    b.reason,
                    b.proposed_at,
                    b.starts_at,
                    b.ends_at,
                    decided or "",
                )
                for b, handle, decided in session.execute(stmt).all()
            ]
        order = {BanStatus.PROPOSED: 0, BanStatus.ACTIVE: 1}
        return sorted(rows, key=lambda r: order.get(r.status, 2))
