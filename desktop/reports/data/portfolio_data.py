"""The numbers of a director's portfolio summary: every account of a ministry (or all) with its
status, engagement trend, service levels and due dates; termination candidates; renewals due.

Every figure is a GROUP BY over the whole scope (a handful of queries, whatever its size).
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from desktop.enums import AccountStatus, EvaluationStatus, GoalStatus, Platform
from desktop.models import Account, Comment, Evaluation, Goal, MetricSnapshot, Ministry
from desktop.policy.engagement import MetricTotals, Trend, no_engagement, trend
from desktop.policy.periods import add_months, next_evaluation_due
from desktop.policy.settings import PolicySettings
from desktop.reports.data.comment_stats import SlaCounts, in_window, sla_counts_by
from desktop.reports.data.common import ReportPeriod, Scope, local_day

DUE_SOON_DAYS = 30  # as the evaluation schedule shows "due soon"

DueStatus = Literal["overdue", "due soon", "ok", "none"]

_ENGAGEMENT = (
    MetricSnapshot.responses_positive
    + MetricSnapshot.responses_negative
    + MetricSnapshot.shares
    + MetricSnapshot.comments
)


@dataclass(frozen=True)
class PortfolioAccount:
    id: uuid.UUID
    label: str
    ministry_code: str
    status: AccountStatus
    active_since: date | None
    engagement: tuple[int | None, ...]  # engagement actions per month; None: not recorded
    service: SlaCounts
    last_evaluated_on: date | None
    evaluation_due: date | None  # active accounts only
    goals_until: date | None  # end of the latest final goals
    goals_in_review: bool
    no_engagement: bool  # termination candidate: nothing engaged in the trailing window

    @property
    def engagement_total(self) -> int:
        return sum(v for v in self.engagement if v is not None)

    @property
    def trend(self) -> Trend:
        """Over the recorded months: a month not entered yet is not a month without engagement."""
        return trend([v for v in self.engagement if v is not None])

    def evaluation_status(self, today: date) -> DueStatus:
        return _due_status(self.evaluation_due, today)

    def goals_status(self, today: date) -> DueStatus:
        """'none' when there are no final goals at all (renewal due as much as expired)."""
        if self.status is not AccountStatus.ACTIVE:
            return "ok"
        return _due_status(self.goals_until, today) if self.goals_until else "none"


def _due_status(due: date | None, today: date) -> DueStatus:
    if due is None:
        return "ok"
    days = (due - today).days
    return "overdue" if days < 0 else "due soon" if days <= DUE_SOON_DAYS else "ok"


@dataclass(frozen=True)
class PortfolioData:
    scope: Scope
    period: ReportPeriod
    today: date  # the as-of day in the branch's zone
    engagement_window_months: int
    months: tuple[date, ...]
    accounts: tuple[PortfolioAccount, ...]

    @property
    def status_counts(self) -> list[tuple[AccountStatus, int]]:
        counts = Counter(a.status for a in self.accounts)
        return [(s, counts[s]) for s in AccountStatus if counts[s]]

    @property
    def monthly_engagement(self) -> list[tuple[date, int | None]]:
        """Engagement actions of every account by month; None for a month no account has
        metrics recorded for yet (not a month of zero)."""
        out: list[tuple[date, int | None]] = []
        for i, m in enumerate(self.months):
            known = [a.engagement[i] for a in self.accounts if a.engagement[i] is not None]
            out.append((m, sum(v for v in known if v is not None) if known else None))
        return out

    @property
    def month_running(self) -> bool:
        """The last month shown is the as-of month, still running."""
        return bool(self.months) and self.months[-1] == self.today.replace(day=1)

    @property
    def service(self) -> SlaCounts:
        return sum((a.service for a in self.accounts), SlaCounts())

    @property
    def termination_candidates(self) -> list[PortfolioAccount]:
        return [a for a in self.accounts if a.no_engagement]

    @property
    def evaluations_due(self) -> list[PortfolioAccount]:
        due = [a for a in self.accounts if a.evaluation_status(self.today) != "ok"]
        return sorted(due, key=lambda a: (a.evaluation_due or self.today, a.label))

    @property
    def goal_renewals_due(self) -> list[PortfolioAccount]:
        due = [a for a in self.accounts if a.goals_status(self.today) != "ok"]
        return sorted(due, key=lambda a: (a.goals_until or date.min, a.label))


def portfolio_data(
    session: Session,
    scope: Scope,
    period: ReportPeriod,
    *,
    as_of: datetime,
    settings: PolicySettings,
) -> PortfolioData:
    zone = settings.timezone
    today = local_day(as_of, zone)
    in_scope = scope.accounts(Account.id, Account.ministry_id)
    months = tuple(period.months(today))
    accounts = session.execute(
        select(
            Account.id,
            Account.platform,
            Account.handle,
            Ministry.code,
            Account.status,
            Account.activated_at,
            Account.created_at,
        )
        .join(Ministry, Ministry.id == Account.ministry_id)
        .where(in_scope)
        .order_by(Ministry.code, Account.platform, Account.handle)
    ).all()
    ids = select(Account.id).where(in_scope)

    series: dict[uuid.UUID, dict[date, int]] = {}
    for account_id, month, actions in session.execute(
        select(MetricSnapshot.account_id, MetricSnapshot.period_start, func.sum(_ENGAGEMENT))
        .where(
            MetricSnapshot.account_id.in_(ids),
            MetricSnapshot.period_start.between(months[0], months[-1]),
        )
        .group_by(MetricSnapshot.account_id, MetricSnapshot.period_start)
    ):
        series.setdefault(account_id, {})[month] = int(actions or 0)

    window = settings.engagement_window_months
    last_month = date(today.year, today.month, 1)
    window_totals = {
        r[0]: MetricTotals(*(int(v or 0) for v in r[1:]))
        for r in session.execute(
            select(
                MetricSnapshot.account_id,
                func.sum(MetricSnapshot.responses_positive),
                func.sum(MetricSnapshot.responses_negative),
                func.sum(MetricSnapshot.shares),
                func.sum(MetricSnapshot.comments),
                func.sum(MetricSnapshot.time_on_page_seconds),
            )
            .where(
                MetricSnapshot.account_id.in_(ids),
                MetricSnapshot.period_start.between(add_months(last_month, 1 - window), last_month),
            )
            .group_by(MetricSnapshot.account_id)
        )
    }

    last_evaluated: dict[uuid.UUID, datetime] = {
        account_id: at
        for account_id, at in session.execute(
            select(Evaluation.account_id, func.max(Evaluation.completed_at))
            .where(
                Evaluation.account_id.in_(ids),
                Evaluation.status == EvaluationStatus.COMPLETED,
                Evaluation.completed_at <= as_of,
            )
            .group_by(Evaluation.account_id)
        )
        if at is not None
    }
    goals_until: dict[uuid.UUID, date] = {}
    in_review: set[uuid.UUID] = set()
    for account_id, status, last_end in session.execute(
        select(Goal.account_id, Goal.status, func.max(Goal.period_end))
        .where(Goal.account_id.in_(ids), Goal.status != GoalStatus.DRAFT)
        .group_by(Goal.account_id, Goal.status)
    ):
        if status is GoalStatus.FINAL:
            goals_until[account_id] = last_end
        else:
            in_review.add(account_id)

    lo, hi = period.bounds(zone, as_of)
    where = (
        in_window(lo, hi)
        if scope.kind == "all"
        else and_(in_window(lo, hi), Comment.account_id.in_(ids))
    )
    service = {
        k[0]: v for k, v in sla_counts_by(session, [Comment.account_id], where, as_of).items()
    }

    rows = []
    for r in accounts:
        active_since = local_day(r.activated_at or r.created_at, zone)
        is_active = r.status is AccountStatus.ACTIVE
        evaluated = last_evaluated.get(r.id)
        evaluated_on = local_day(evaluated, zone) if evaluated else None
        by_month = series.get(r.id, {})
        rows.append(
            PortfolioAccount(
                id=r.id,
                label=f"{Platform(r.platform).label} @{r.handle}",
                ministry_code=r.code,
                status=r.status,
                active_since=active_since if r.activated_at else None,
                engagement=tuple(by_month.get(m) for m in months),
                service=service.get(r.id, SlaCounts()),
                last_evaluated_on=evaluated_on,
                evaluation_due=next_evaluation_due(
                    evaluated_on, active_since, settings.evaluation_interval_months
                )
                if is_active
                else None,
                goals_until=goals_until.get(r.id),
                goals_in_review=r.id in in_review,
                no_engagement=is_active
                and no_engagement(window_totals.get(r.id), active_since, today, window),
            )
        )
    return PortfolioData(scope, period, today, window, months, tuple(rows))
