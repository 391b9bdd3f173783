"""The service-level clock as stored: the SlaPolicy built from settings and closures, the
emergency covering a comment, and the bulk recomputation of stored due times.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from desktop.enums import CommentStatus
from desktop.models import Account, Closure, Comment, Emergency, EmergencyAccount, EmergencyMinistry
from desktop.policy.settings import PolicySettings
from desktop.policy.sla import BusinessCalendar, DueTimes, SlaPolicy
from desktop.services.context import load_settings

OPEN_STATUSES = (CommentStatus.NEW, CommentStatus.ACKNOWLEDGED)
# Settings whose change moves due times.
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

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]

_comments = Comment.__table__
_c = _comments.c


class Cancelled(Exception):
    """The person cancelled a recomputation; the caller's transaction should roll back."""


def policy_from(settings: PolicySettings, closures: Iterable[date]) -> SlaPolicy:
    calendar = BusinessCalendar(
        settings.timezone,
        closures,
        opening=settings.business_open,
        closing=settings.business_close,
    )
    return SlaPolicy(
        calendar=calendar,
        acknowledge_within=timedelta(hours=settings.acknowledge_business_hours),
        emergency_acknowledge_within=timedelta(hours=settings.emergency_acknowledge_hours),
        emergency_answer_within=timedelta(hours=settings.emergency_answer_hours),
    )


def sla_policy(session: Session) -> SlaPolicy:
    """The service levels in force: stored settings plus the branch's closure days."""
    closures = session.scalars(select(Closure.day)).all()
    return policy_from(load_settings(session), closures)


def emergency_covering(
    session: Session, account_id: uuid.UUID, ministry_id: uuid.UUID | None, at: datetime
) -> Emergency | None:
    """The earliest-declared emergency naming the account or its ministry that runs at ``at``."""
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


@dataclass(frozen=True, slots=True)
class _Cover:
    declared_at: datetime
    ended_at: datetime | None
    emergency_id: uuid.UUID


class _EmergencyIndex:
    """Every emergency by the accounts and ministries it names, loaded in two queries."""

    def __init__(self, session: Session) -> None:
        covers = {
            row.id: _Cover(row.declared_at, row.ended_at, row.id)
            for row in session.execute(
                select(Emergency.id, Emergency.declared_at, Emergency.ended_at)
            )
        }
        self.by_account: dict[uuid.UUID, list[_Cover]] = {}
        self.by_ministry: dict[uuid.UUID, list[_Cover]] = {}
        for em_id, account_id in session.execute(
            select(EmergencyAccount.emergency_id, EmergencyAccount.account_id)
        ):
            self.by_account.setdefault(account_id, []).append(covers[em_id])
        for em_id, ministry_id in session.execute(
            select(EmergencyMinistry.emergency_id, EmergencyMinistry.ministry_id)
        ):
            self.by_ministry.setdefault(ministry_id, []).append(covers[em_id])
        for covers_list in (*self.by_account.values(), *self.by_ministry.values()):
            covers_list.sort(key=lambda c: (c.declared_at, str(c.emergency_id)))
        self.ministry_of: dict[uuid.UUID, uuid.UUID] = (
            dict(session.execute(select(Account.id, Account.ministry_id)).tuples().all())
            if covers
            else {}
        )

    def __bool__(self) -> bool:
        return bool(self.by_account or self.by_ministry)

    def covering(self, account_id: uuid.UUID, at: datetime) -> uuid.UUID | None:
        best: _Cover | None = None
        ministry_id = self.ministry_of.get(account_id)
        by_ministry = self.by_ministry.get(ministry_id) if ministry_id else None
        for covers in (self.by_account.get(account_id), by_ministry):
            for cover in covers or ():
                if cover.declared_at <= at and (cover.ended_at is None or at < cover.ended_at):
                    if best is None or (cover.declared_at, str(cover.emergency_id)) < (
                        best.declared_at,
                        str(best.emergency_id),
                    ):
                        best = cover
                    break  # sorted: the first running one is this list's earliest
        return best.emergency_id if best else None


def covering_filter(
    account_ids: Iterable[uuid.UUID], ministry_ids: Iterable[uuid.UUID]
) -> ColumnElement[bool]:
    """Comments on the given accounts or on any account of the given ministries."""
    accounts, ministries = list(account_ids), list(ministry_ids)
    clauses: list[ColumnElement[bool]] = []
    if accounts:
        clauses.append(_c.account_id.in_(accounts))
    if ministries:
        clauses.append(
            _c.account_id.in_(select(Account.id).where(Account.ministry_id.in_(ministries)))
        )
    return or_(*clauses) if clauses else _c.id.is_(None)


def recompute_due_times(
    session: Session,
    *,
    since: datetime | None = None,
    open_only: bool = False,
    where: ColumnElement[bool] | None = None,
    batch_size: int = 20_000,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> int:
    """Recompute the stored clock start, due times and emergency of comments; returns how many
    changed.

    Every comment, or those received at or after ``since``, only open ones (new or
    acknowledged) with ``open_only``, narrowed further by ``where`` (a condition on the
    comments table). Runs in the caller's transaction, in keyset pages of ``batch_size`` ordered
    by (received_at, id); only rows whose values change are written. ``progress(done, total)``
    is called after each page; ``cancelled()`` returning True raises :class:`Cancelled`.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    policy = sla_policy(session)
    emergencies = _EmergencyIndex(session)
    filters: list[ColumnElement[bool]] = []
    if since is not None:
        filters.append(_c.received_at >= since)
    if open_only:
        filters.append(_c.status.in_([s.value for s in OPEN_STATUSES]))
    if where is not None:
        filters.append(where)
    total = session.scalar(select(func.count()).select_from(_comments).where(*filters)) or 0
    page = (
        select(
            _c.id,
            _c.received_at,
            _c.account_id,
            _c.emergency_id,
            _c.clock_start_at,
            _c.acknowledge_due_at,
            _c.answer_due_at,
        )
        .where(*filters)
        .order_by(_c.received_at, _c.id)
        .limit(batch_size)
    )
    write = (
        update(_comments)
        .where(_c.id == bindparam("k_id"))
        .values(
            clock_start_at=bindparam("k_start"),
            acknowledge_due_at=bindparam("k_ack"),
            answer_due_at=bindparam("k_answer"),
            emergency_id=bindparam("k_emergency"),
        )
    )
    due = policy.due
    covering = emergencies.covering if emergencies else None
    done = changed = 0
    last: tuple[datetime, uuid.UUID] | None = None
    if progress:
        progress(0, total)
    while True:
        if cancelled and cancelled():
            raise Cancelled("The recomputation of due times was cancelled.")
        stmt = page if last is None else page.where(_after(*last))
        rows = session.execute(stmt).all()
        if not rows:
            break
        params: list[dict[str, Any]] = []
        for comment_id, received, account_id, em_stored, start, ack, answer in rows:
            em = covering(account_id, received) if covering else None
            d = due(received, em is not None)
            if (
                em != em_stored
                or d.clock_start != start
                or d.acknowledge_by != ack
                or d.answer_by != answer
            ):
                params.append(
                    {
                        "k_id": comment_id,
                        "k_start": d.clock_start,
                        "k_ack": d.acknowledge_by,
                        "k_answer": d.answer_by,
                        "k_emergency": em,
                    }
                )
        if params:
            session.execute(write, params)
            changed += len(params)
        done += len(rows)
        last = (rows[-1][1], rows[-1][0])
        if progress:
            progress(done, total)
        if len(rows) < batch_size:
            break
    return changed


def _after(received: datetime, comment_id: uuid.UUID) -> ColumnElement[bool]:
    # Spelled out rather than a row-value comparison so both databases use the index.
    return or_(
        _c.received_at > received,
        and_(_c.received_at == received, _c.id > comment_id),
    )


__all__ = [
    "CALENDAR_KEYS",
    "OPEN_STATUSES",
    "Cancelled",
    "covering_filter",
    "due_for",
    "emergency_covering",
    "policy_from",
    "recompute_due_times",
    "sla_policy",
]
