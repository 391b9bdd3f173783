"""The service-level clock as stored: the SlaPolicy built from settings and closures, and the
emergency covering a comment. The bulk recomputation lives in ``desktop.services.recompute``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from desktop.enums import CommentStatus
from desktop.models import Account, Closure, Emergency, EmergencyAccount, EmergencyMinistry
from desktop.policy.settings import PolicySettings
from desktop.policy.sla import BusinessCalendar, DueTimes, SlaPolicy
from desktop.services.context import load_settings

# Re-exported for callers that import the recomputation from here (the benchmarks).
from desktop.services.recompute import IsCancelled as IsCancelled
from desktop.services.recompute import Progress as Progress
from desktop.services.recompute import covering_filter as covering_filter
from desktop.services.recompute import recompute_due_times as recompute_due_times

OPEN_STATUSES = (CommentStatus.NEW, CommentStatus.ACKNOWLEDGED)
# The settings whose change moves due times.
CALENDAR_KEYS = frozenset(
    {
        "timezone",
        "business_open",
        "business_close",
        "acknowledge_business_hours",
        "emergency_acknowledge_hours",
        "emergency_answer_hours",
    }
)


def policy_from(settings: PolicySettings, closures: Iterable[date]) -> SlaPolicy:
    calendar = BusinessCalendar(
        settings.timezone, closures, opening=settings.business_open, closing=settings.business_close
    )
    return SlaPolicy(
        calendar=calendar,
        acknowledge_within=timedelta(hours=settings.acknowledge_business_hours),
        emergency_acknowledge_within=timedelta(hours=settings.emergency_acknowledge_hours),
        emergency_answer_within=timedelta(hours=settings.emergency_answer_hours),
    )


def sla_policy(session: Session) -> SlaPolicy:
    """The service levels in force: the stored settings plus the branch's closure days."""
    closures = session.scalars(select(Closure.day)).all()
    return policy_from(load_settings(session), closures)


def emergency_covering(
    session: Session, account_id: uuid.UUID, ministry_id: uuid.UUID | None, at: datetime
) -> Emergency | None:
    """The earliest-declared emergency naming the account or its ministry running at ``at``."""
    named = or_(
        Emergency.id.in_(
            select(EmergencyAccount.emergency_id).where(EmergencyAccount.account_id == account_id)
        ),
        Emergency.id.in_(
            select(EmergencyMinistry.emergency_id).where(
                EmergencyMinistry.ministry_id == ministry_id
            )
        ),
    )
    return session.scalars(
        select(Emergency)
        .where(
            named,
            Emergency.declared_at <= at,
            or_(Emergency.ended_at.is_(None), Emergency.ended_at > at),
        )
        .order_by(Emergency.declared_at, Emergency.id)
        .limit(1)
    ).first()


def due_for(
    session: Session, account_id: uuid.UUID, received_at: datetime
) -> tuple[DueTimes, Emergency | None]:
    """Due times of one comment as they would be stored now, and the emergency covering it."""
    ministry_id = session.scalar(select(Account.ministry_id).where(Account.id == account_id))
    emergency = emergency_covering(session, account_id, ministry_id, received_at)
    return sla_policy(session).due(received_at, emergency is not None), emergency
