"""Use cases for monthly engagement metrics: record a month, read series, totals and overviews.

Also the two access checks shared by the metrics, goals and evaluations services.
"""

from __future__ import annotations

import calendar
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop.enums import AppRole
from desktop.errors import ConflictError, DomainError, PermissionDenied
from desktop.models import Account, MetricSnapshot
from desktop.models.base import new_id
from desktop.policy.engagement import MetricTotals
from desktop.policy.periods import add_months
from desktop.services.authz import ALLOWED, Permission, require
from desktop.services.context import ServiceContext, Work, load_settings, resolve_actor
from desktop.services.serialize import diff, snapshot

# Every counted field of a snapshot, in the order a person reads them, with its label.
METRIC_LABELS: dict[str, str] = {
    "responses_positive": "Positive responses",
    "responses_negative": "Negative responses",
    "shares": "Shares and retweets",
    "comments": "Comments",
    "time_on_page_seconds": "Time on page (seconds)",
    "reach": "Reach",
    "followers": "Followers",
    "posts": "Posts",
    "reactions": "Reactions and likes",
    "views": "Views and impressions",
    "watch_time_seconds": "Watch time (seconds)",
}
METRIC_FIELDS = tuple(METRIC_LABELS)
# What goals may measure: engagement, not follower or post counts (the policy says so).
ENGAGEMENT_METRICS = tuple(f for f in METRIC_FIELDS if f not in ("followers", "posts"))

_INT_MAX = 2**31 - 1  # the INTEGER column's limit on PostgreSQL


@dataclass(frozen=True)
class MonthMetrics:
    """One month of one account's metrics; ``recorded`` is False for a zero-filled gap."""

    month: date
    recorded: bool
    responses_positive: int = 0
    responses_negative: int = 0
    shares: int = 0
    comments: int = 0
    time_on_page_seconds: int = 0
    reach: int = 0
    followers: int = 0
    posts: int = 0
    reactions: int = 0
    views: int = 0
    watch_time_seconds: int = 0

    @property
    def totals(self) -> MetricTotals:
        return MetricTotals(**{f: getattr(self, f) for f in METRIC_FIELDS})


def month_start(d: date) -> date:
    return date(d.year, d.month, 1)


def month_end(d: date) -> date:
    return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


def local_today(work: Work) -> date:
    return work.at.astimezone(ZoneInfo(work.settings.timezone)).date()


def require_account_access(work: Work, account: Account) -> None:
    """DRAFT_RECORDS, and an officer (with no wider role) only on their own ministry's accounts."""
    work.require(Permission.DRAFT_RECORDS)
    held = ALLOWED[Permission.DRAFT_RECORDS] & work.actor.roles
    if held <= {AppRole.OFFICER} and work.actor.ministry_id != account.ministry_id:
        raise PermissionDenied(
            "Entering metrics and drafting goals and evaluations is limited to your own "
            f"ministry's accounts for your role; {account.label} belongs to another ministry."
        )


def require_reader(ctx: ServiceContext, session: Session) -> None:
    """Reading the register needs READ_ALL (agencies see only their own campaigns)."""
    require(resolve_actor(session, ctx.login).roles, Permission.READ_ALL)


def _count(name: str, value: Any) -> int:
    label = METRIC_LABELS[name]
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(f"{label} must be a whole number, e.g. 0 or 125.", name)
    if value < 0:
        raise DomainError(f"{label} cannot be negative (you gave {value}).", name)
    if value > _INT_MAX:
        raise DomainError(f"{label} is too large; the limit is {_INT_MAX:,}.", name)
    return value


def _sums() -> list[Any]:
    return [func.coalesce(func.sum(getattr(MetricSnapshot, f)), 0).label(f) for f in METRIC_FIELDS]


def _totals(row: Any) -> MetricTotals:
    return MetricTotals(**{f: int(getattr(row, f)) for f in METRIC_FIELDS})


class MetricsService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def record(
        self,
        account_id: uuid.UUID,
        month: date,
        responses_positive: int,
        responses_negative: int,
        shares: int,
        comments: int,
        time_on_page_seconds: int,
        reach: int = 0,
        followers: int = 0,
        posts: int = 0,
        *,
        reactions: int | None = None,
        views: int | None = None,
        watch_time_seconds: int | None = None,
    ) -> MetricSnapshot:
        """Record (or correct) one month's figures; any day of the month names the month."""
        values = {
            "responses_positive": responses_positive,
            "responses_negative": responses_negative,
            "shares": shares,
            "comments": comments,
            "time_on_page_seconds": time_on_page_seconds,
            "reach": reach,
            "followers": followers,
            "posts": posts,
        }
        # The platform measures usually come from imported files: left as they are unless given.
        platform = {
            "reactions": reactions,
            "views": views,
            "watch_time_seconds": watch_time_seconds,
        }
        values.update({k: v for k, v in platform.items() if v is not None})
        counts = {name: _count(name, value) for name, value in values.items()}
        start = month_start(month)
        with self.ctx.write() as work:
            account = work.get(Account, account_id, "Account")
            require_account_access(work, account)
            current = month_start(local_today(work))
            if start > current:
                raise DomainError(
                    f"{start:%B %Y} has not started yet; record metrics for "
                    f"{current:%B %Y} or an earlier month.",
                    "month",
                )
            row = work.session.scalar(
                select(MetricSnapshot).where(
                    MetricSnapshot.account_id == account.id, MetricSnapshot.period_start == start
                )
            )
            if row is None:
                row = MetricSnapshot(
                    id=new_id(),
                    account_id=account.id,
                    period_start=start,
                    period_end=month_end(start),
                    recorded_by_id=work.actor.id,
                    **counts,
                )
                work.session.add(row)
                _flush(work, account, start)
                work.audit("metrics.record", "metric_snapshot", row.id, after=snapshot(row))
                return row
            before = snapshot(row)
            for name, value in counts.items():
                setattr(row, name, value)
            row.recorded_by_id = work.actor.id
            old, new = diff(before, snapshot(row))
            work.audit("metrics.update", "metric_snapshot", row.id, old, new)
            return row

    def series(self, account_id: uuid.UUID, start: date, end: date) -> list[MonthMetrics]:
        """Every month from ``start``'s to ``end``'s, oldest first; unrecorded months are zeros."""
        first, last = _month_range(start, end)
        with self.ctx.read() as session:
            require_reader(self.ctx, session)
            rows = session.execute(
                select(
                    MetricSnapshot.period_start,
                    *(getattr(MetricSnapshot, f) for f in METRIC_FIELDS),
                ).where(
                    MetricSnapshot.account_id == account_id,
                    MetricSnapshot.period_start.between(first, last),
                )
            ).all()
        found = {r.period_start: r for r in rows}
        months: list[MonthMetrics] = []
        month = first
        while month <= last:
            r = found.get(month)
            if r is None:
                months.append(MonthMetrics(month, recorded=False))
            else:
                counts = {f: int(getattr(r, f)) for f in METRIC_FIELDS}
                months.append(MonthMetrics(month, recorded=True, **counts))
            month = add_months(month, 1)
        return months

    def totals(self, account_id: uuid.UUID, start: date, end: date) -> MetricTotals:
        """The sum of the months from ``start``'s to ``end``'s, both included."""
        with self.ctx.read() as session:
            require_reader(self.ctx, session)
            return sum_months(session, account_id, start, end)

    def engagement_overview(
        self, as_of: date, window_months: int | None = None
    ) -> dict[uuid.UUID, MetricTotals]:
        """Totals per account over the ``window_months`` calendar months ending with as_of's.

        The window defaults to the engagement window setting (12 months). Accounts with no
        snapshot in the window are absent, which ``policy.engagement.no_engagement`` reads as
        "nothing measured".
        """
        with self.ctx.read() as session:
            require_reader(self.ctx, session)
            months = (
                load_settings(session).engagement_window_months
                if window_months is None
                else window_months
            )
            if months < 1:
                raise DomainError("The engagement window must be at least one month.")
            last = month_start(as_of)
            first = add_months(last, -(months - 1))
            rows = session.execute(
                select(MetricSnapshot.account_id, *_sums())
                .where(MetricSnapshot.period_start.between(first, last))
                .group_by(MetricSnapshot.account_id)
            ).all()
        return {r.account_id: _totals(r) for r in rows}


def sum_months(session: Session, account_id: uuid.UUID, start: date, end: date) -> MetricTotals:
    """SUM in SQL of the account's snapshots for the months from ``start``'s to ``end``'s."""
    first, last = _month_range(start, end)
    row = session.execute(
        select(*_sums()).where(
            MetricSnapshot.account_id == account_id,
            MetricSnapshot.period_start.between(first, last),
        )
    ).one()
    return _totals(row)


def _month_range(start: date, end: date) -> tuple[date, date]:
    first, last = month_start(start), month_start(end)
    if last < first:
        raise DomainError(
            f"The end ({end.isoformat()}) is before the start ({start.isoformat()}); "
            "swap them or correct one.",
            "end",
        )
    return first, last


def _flush(work: Work, account: Account, month: date) -> None:
    # Two people recording the same month at once: the unique key catches the second one.
    try:
        work.session.flush()
    except IntegrityError as exc:
        raise ConflictError(
            f"Someone else recorded {month:%B %Y} for {account.label} at the same time. "
            "Reload and make your change again."
        ) from exc
