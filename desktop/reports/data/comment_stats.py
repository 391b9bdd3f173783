"""Service-level figures of the comment log: on-time counts in SQL, business-time spreads.

A comment counts as acknowledged at its first action (acknowledged, answered or closed) and as
answered when answered or closed; hidden and deleted comments need no reply and are left out.
Only what happened by the as-of time counts. Items not yet due and not yet handled are not
measured, so a share on time is never spoiled by comments that still have time left.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from desktop.enums import CommentStatus, Platform
from desktop.models import Account, Comment
from desktop.policy.settings import PolicySettings
from desktop.policy.sla import BusinessCalendar
from desktop.reports.data.common import percent
from desktop.reports.spec import ReportCancelled

_c = Comment.__table__.c
REMOVED = (CommentStatus.HIDDEN, CommentStatus.DELETED)

IsCancelled = Callable[[], bool]


def first_action() -> ColumnElement[Any]:
    return func.coalesce(_c.acknowledged_at, _c.answered_at, _c.closed_at)


def resolved() -> ColumnElement[Any]:
    return func.coalesce(_c.answered_at, _c.closed_at)


def in_window(lo: datetime, hi: datetime) -> ColumnElement[bool]:
    """Comments received in [lo, hi) that call for a reply."""
    return and_(_c.received_at >= lo, _c.received_at < hi, _c.status.not_in(REMOVED))


@dataclass(frozen=True)
class SlaCounts:
    received: int = 0
    ack_measured: int = 0  # acknowledged, or past the acknowledge-by time
    ack_on_time: int = 0
    answer_measured: int = 0
    answer_on_time: int = 0
    ack_overdue: int = 0  # not acknowledged and past due at the as-of time
    answer_overdue: int = 0
    overdue: int = 0  # past either due time (each comment once)

    @property
    def ack_pct(self) -> float | None:
        return percent(self.ack_on_time, self.ack_measured)

    @property
    def answer_pct(self) -> float | None:
        return percent(self.answer_on_time, self.answer_measured)

    def __add__(self, other: SlaCounts) -> SlaCounts:
        return SlaCounts(*(a + b for a, b in zip(_astuple(self), _astuple(other), strict=True)))


def _astuple(c: SlaCounts) -> tuple[int, ...]:
    return (
        c.received,
        c.ack_measured,
        c.ack_on_time,
        c.answer_measured,
        c.answer_on_time,
        c.ack_overdue,
        c.answer_overdue,
        c.overdue,
    )


_FIELDS = 8


def _flag(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def count_columns(as_of: datetime) -> list[Any]:
    """The SlaCounts fields as SQL aggregates, in field order."""
    acted, done = first_action(), resolved()
    acted_by = acted <= as_of
    done_by = done <= as_of
    return [
        func.count().label("received"),
        _flag(or_(acted_by, _c.acknowledge_due_at <= as_of)).label("ack_measured"),
        _flag(and_(acted_by, acted <= _c.acknowledge_due_at)).label("ack_on_time"),
        _flag(or_(done_by, _c.answer_due_at <= as_of)).label("answer_measured"),
        _flag(and_(done_by, done <= _c.answer_due_at)).label("answer_on_time"),
        _flag(and_(or_(acted.is_(None), acted > as_of), _c.acknowledge_due_at <= as_of)).label(
            "ack_overdue"
        ),
        _flag(and_(or_(done.is_(None), done > as_of), _c.answer_due_at <= as_of)).label(
            "answer_overdue"
        ),
        _flag(
            or_(
                and_(or_(acted.is_(None), acted > as_of), _c.acknowledge_due_at <= as_of),
                and_(or_(done.is_(None), done > as_of), _c.answer_due_at <= as_of),
            )
        ).label("overdue"),
    ]


def to_counts(row: Any, offset: int = 0) -> SlaCounts:
    return SlaCounts(*(int(row[offset + i] or 0) for i in range(_FIELDS)))


def sla_counts(session: Session, where: ColumnElement[bool], as_of: datetime) -> SlaCounts:
    row = session.execute(select(*count_columns(as_of)).where(where)).one()
    return to_counts(row)


def sla_counts_by(
    session: Session,
    keys: Sequence[Any],
    where: ColumnElement[bool],
    as_of: datetime,
    joins: Sequence[tuple[Any, Any]] = (),
) -> dict[tuple[Any, ...], SlaCounts]:
    """SlaCounts per combination of the ``keys`` columns, in one GROUP BY."""
    query = select(*keys, *count_columns(as_of)).select_from(Comment.__table__)
    for target, on in joins:
        query = query.join(target, on)
    rows = session.execute(query.where(where).group_by(*keys)).all()
    n = len(keys)
    return {tuple(r[:n]): to_counts(r, n) for r in rows}


def service_rules(settings: PolicySettings) -> str:
    """The service levels in force, in a sentence (they are settings, not constants)."""
    ack = settings.acknowledge_business_hours
    return (
        f"Acknowledge within {ack:g} business hour{'' if ack == 1 else 's'} of the clock "
        "starting; answer by the close of the next business day. Business hours are "
        f"{settings.business_open:%H:%M}\u2013{settings.business_close:%H:%M} on business days. "
        f"During a declared emergency the clock runs 24/7: acknowledge within "
        f"{settings.emergency_acknowledge_hours:g} h and answer within "
        f"{settings.emergency_answer_hours:g} h of receipt."
    )


# -- still waiting ------------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueItem:
    received_at: datetime
    account_label: str
    author: str
    excerpt: str  # unmasked; the renderer masks it unless asked not to
    what: str  # "acknowledge" or "answer"
    due_at: datetime
    emergency: bool


def overdue_items(
    session: Session, base: ColumnElement[bool], as_of: datetime, limit: int
) -> tuple[tuple[OverdueItem, ...], int]:
    """Comments of the period still waiting, past a due time, at the as-of time; oldest first."""
    acted, done = first_action(), resolved()
    ack_late = and_(or_(acted.is_(None), acted > as_of), Comment.acknowledge_due_at <= as_of)
    answer_late = and_(or_(done.is_(None), done > as_of), Comment.answer_due_at <= as_of)
    where = and_(base, or_(ack_late, answer_late))
    total = session.scalar(select(func.count()).select_from(Comment).where(where)) or 0
    rows = session.execute(
        select(
            Comment.received_at,
            Account.platform,
            Account.handle,
            Comment.author_name,
            Comment.author_handle,
            func.substr(Comment.text, 1, 240),
            ack_late,
            Comment.acknowledge_due_at,
            Comment.answer_due_at,
            Comment.emergency_id.is_not(None),
        )
        .join(Account, Account.id == Comment.account_id)
        .where(where)
        .order_by(Comment.received_at, Comment.id)
        .limit(limit)
    ).all()
    items = tuple(
        OverdueItem(
            received_at=r[0],
            account_label=f"{Platform(r[1]).label} @{r[2]}",
            author=" ".join(p for p in (r[3], f"@{r[4]}" if r[4] else "") if p),
            excerpt=r[5] or "",
            what="acknowledge" if r[6] else "answer",
            due_at=r[7] if r[6] else r[8],
            emergency=bool(r[9]),
        )
        for r in rows
    )
    return items, int(total)


def official_handles(session: Session) -> frozenset[str]:
    """Handles of the government's own accounts, lower case: naming them is not personal."""
    return frozenset(h.lower() for h in session.scalars(select(Account.handle)))


# -- time taken ---------------------------------------------------------------------------

BUCKETS: tuple[tuple[str, timedelta], ...] = (
    ("under 15 min", timedelta(minutes=15)),
    ("15-30 min", timedelta(minutes=30)),
    ("30-60 min", timedelta(hours=1)),
    ("1-2 h", timedelta(hours=2)),
    ("2-4 h", timedelta(hours=4)),
    ("4-8 h", timedelta(hours=8)),
    ("1-2 days", timedelta(hours=16)),
    ("over 2 days", timedelta.max),
)
"""Upper bounds (exclusive) of business time; a business day is 8 hours."""
_TOPS = [top for _, top in BUCKETS[:-1]]


@dataclass(frozen=True)
class Spread:
    """How long something took over many comments."""

    count: int
    median: timedelta | None
    p90: timedelta | None
    buckets: tuple[tuple[str, int], ...]  # label, count; every bucket, zeros included

    @classmethod
    def of(cls, values: Sequence[timedelta]) -> Spread:
        ordered = sorted(values)
        counts = [0] * len(BUCKETS)
        for v in ordered:
            counts[bisect_right(_TOPS, v)] += 1
        return cls(
            count=len(ordered),
            median=_median(ordered),
            p90=ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))] if ordered else None,
            buckets=tuple((label, n) for (label, _), n in zip(BUCKETS, counts, strict=True)),
        )


def _median(ordered: Sequence[timedelta]) -> timedelta | None:
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


@dataclass(frozen=True)
class TimeTaken:
    """Business time to acknowledge and to answer (normal service), wall-clock in emergencies."""

    acknowledge: Spread
    answer: Spread
    emergency_acknowledge: Spread
    emergency_answer: Spread


def time_taken(
    session: Session,
    where: ColumnElement[bool],
    as_of: datetime,
    calendar: BusinessCalendar,
    cancelled: IsCancelled | None = None,
) -> TimeTaken:
    """Measured per comment in Python (business time needs the calendar), over plain tuples."""
    acted, done = first_action(), resolved()
    query = select(
        _c.clock_start_at,
        _c.received_at,
        case((acted <= as_of, acted), else_=None),
        case((done <= as_of, done), else_=None),
        _c.emergency_id.is_not(None),
    ).where(where, or_(acted <= as_of, done <= as_of))
    ack: list[timedelta] = []
    answer: list[timedelta] = []
    e_ack: list[timedelta] = []
    e_answer: list[timedelta] = []
    between = calendar.business_time_between
    # A server-side cursor on PostgreSQL: close it even when the person cancels half-way.
    result = session.execute(query.execution_options(yield_per=5000))
    try:
        for n, (start, received, acted_at, done_at, emergency) in enumerate(result):
            if cancelled is not None and n % 5000 == 0 and cancelled():
                raise ReportCancelled
            if emergency:
                if acted_at is not None:
                    e_ack.append(max(acted_at - received, timedelta(0)))
                if done_at is not None:
                    e_answer.append(max(done_at - received, timedelta(0)))
                continue
            if acted_at is not None:
                ack.append(between(start, acted_at))
            if done_at is not None:
                answer.append(between(start, done_at))
    finally:
        result.close()
    return TimeTaken(Spread.of(ack), Spread.of(answer), Spread.of(e_ack), Spread.of(e_answer))
