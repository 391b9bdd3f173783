"""The numbers of one account's half-year evaluation: goals, engagement, service, moderation,
permission changes and the evaluation record itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from desktop.enums import (
    BanKind,
    BanStatus,
    EvaluationStatus,
    GoalStatus,
    Recommendation,
    RemovalCategory,
)
from desktop.models import Account, Ban, Comment, Evaluation, Goal, MetricSnapshot, Person, Strike
from desktop.policy.engagement import Trend, trend
from desktop.policy.goal_pace import GoalPace, MonthValue, goal_pace
from desktop.policy.settings import PolicySettings
from desktop.policy.sla import BusinessCalendar
from desktop.reports.data.comment_stats import (
    IsCancelled,
    OverdueItem,
    SlaCounts,
    TimeTaken,
    in_window,
    official_handles,
    overdue_items,
    service_rules,
    sla_counts,
    time_taken,
)
from desktop.reports.data.common import AccountRef, ReportPeriod, local_day
from desktop.reports.data.permissions_data import RoleChange, role_changes

OVERDUE_LISTED = 25

# The engagement fields shown month by month, in the order a person reads them.
MONTH_FIELDS = (
    "responses_positive",
    "responses_negative",
    "shares",
    "comments",
    "time_on_page_seconds",
    "reach",
    "reactions",
    "views",
    "watch_time_seconds",
)


@dataclass(frozen=True)
class MonthRow:
    month: date
    recorded: bool
    responses_positive: int = 0
    responses_negative: int = 0
    shares: int = 0
    comments: int = 0
    time_on_page_seconds: int = 0
    reach: int = 0
    reactions: int = 0  # these three come from the platforms' export files
    views: int = 0
    watch_time_seconds: int = 0

    @property
    def engagement_actions(self) -> int:
        return (
            self.responses_positive
            + self.responses_negative
            + self.reactions
            + self.shares
            + self.comments
        )


@dataclass(frozen=True)
class GoalRow:
    title: str
    metric: str
    status: GoalStatus
    goal_start: date
    goal_end: date
    baseline: float  # for the goal's whole period
    target: float
    pace: GoalPace  # compared like with like over the days in both periods

    @property
    def actual(self) -> float:
        return self.pace.actual

    @property
    def percent_of_target(self) -> float | None:
        return self.pace.percent


@dataclass(frozen=True)
class Moderation:
    strikes: tuple[tuple[RemovalCategory, int], ...]  # by category, most first
    bans: tuple[tuple[BanKind, BanStatus, int], ...]

    @property
    def strike_total(self) -> int:
        return sum(n for _, n in self.strikes)

    @property
    def ban_total(self) -> int:
        return sum(n for *_, n in self.bans)


@dataclass(frozen=True)
class EvaluationRecord:
    status: EvaluationStatus
    summary: str
    recommendation: Recommendation | None
    drafted_by: str
    completed_by: str
    completed_at: datetime | None


@dataclass(frozen=True)
class EvaluationReportData:
    account: AccountRef
    period: ReportPeriod
    months: tuple[MonthRow, ...]
    goals: tuple[GoalRow, ...]
    service: SlaCounts
    time_taken: TimeTaken
    moderation: Moderation
    role_changes: tuple[RoleChange, ...]
    evaluation: EvaluationRecord | None
    overdue: tuple[OverdueItem, ...]  # the oldest comments still waiting past a due time
    overdue_total: int
    official_handles: frozenset[str]
    rules: str  # the service levels in force, in words
    today: date  # the as-of day in the branch's zone

    @property
    def month_running(self) -> bool:
        """The last month shown is the as-of month, still running."""
        return bool(self.months) and self.months[-1].month == self.today.replace(day=1)

    @property
    def engagement_trend(self) -> Trend:
        """Over the recorded months: a month not entered yet is not a month without engagement."""
        return trend([m.engagement_actions for m in self.months if m.recorded])


def evaluation_data(
    session: Session,
    account: AccountRef,
    period: ReportPeriod,
    *,
    as_of: datetime,
    settings: PolicySettings,
    calendar: BusinessCalendar,
    cancelled: IsCancelled | None = None,
) -> EvaluationReportData:
    lo, hi = period.bounds(settings.timezone, as_of)
    months = monthly_metrics(session, account, period, local_day(as_of, settings.timezone))
    where = and_(Comment.account_id == account.id, in_window(lo, hi))
    overdue, overdue_total = overdue_items(session, where, as_of, OVERDUE_LISTED)
    return EvaluationReportData(
        account=account,
        period=period,
        months=months,
        goals=goals_against_actuals(
            session, account, period, months, local_day(as_of, settings.timezone)
        ),
        service=sla_counts(session, where, as_of),
        time_taken=time_taken(session, where, as_of, calendar, cancelled),
        moderation=moderation(session, account, lo, hi),
        role_changes=role_changes(session, Account.id == account.id, lo, hi),
        evaluation=evaluation_record(session, account, period),
        overdue=overdue,
        overdue_total=overdue_total,
        official_handles=official_handles(session),
        rules=service_rules(settings),
        today=local_day(as_of, settings.timezone),
    )


def monthly_metrics(
    session: Session, account: AccountRef, period: ReportPeriod, today: date
) -> tuple[MonthRow, ...]:
    """Every month of the period up to today's; one without a snapshot is zeros, not recorded."""
    months = period.months(today)
    rows = session.execute(
        select(
            MetricSnapshot.period_start, *(getattr(MetricSnapshot, f) for f in MONTH_FIELDS)
        ).where(
            MetricSnapshot.account_id == account.id,
            MetricSnapshot.period_start.between(months[0], months[-1]),
        )
    ).all()
    found = {r[0]: r for r in rows}
    out = []
    for month in months:
        r = found.get(month)
        if r is None:
            out.append(MonthRow(month, recorded=False))
        else:
            out.append(MonthRow(month, True, *(int(v) for v in r[1:])))
    return tuple(out)


def goals_against_actuals(
    session: Session,
    account: AccountRef,
    period: ReportPeriod,
    months: tuple[MonthRow, ...],
    today: date,
) -> tuple[GoalRow, ...]:
    """Goals whose dates overlap the period, each compared over the days in both that have
    metrics recorded (``desktop.policy.goal_pace``)."""
    goals = session.execute(
        select(
            Goal.title,
            Goal.metric,
            Goal.status,
            Goal.period_start,
            Goal.period_end,
            Goal.baseline_value,
            Goal.target_value,
        )
        .where(
            Goal.account_id == account.id,
            Goal.period_start <= period.end,
            Goal.period_end >= period.start,
        )
        .order_by(Goal.period_start, Goal.title)
    ).all()
    end = min(period.end, today)
    rows = []
    for g in goals:
        values = [
            MonthValue(m.month, float(getattr(m, g.metric, 0)) if m.recorded else None)
            for m in months
        ]
        pace = goal_pace(
            g.period_start,
            g.period_end,
            g.target_value,
            g.baseline_value,
            values,
            period.start,
            end,
        )
        rows.append(
            GoalRow(
                g.title,
                g.metric,
                g.status,
                g.period_start,
                g.period_end,
                g.baseline_value,
                g.target_value,
                pace,
            )
        )
    return tuple(rows)


def moderation(session: Session, account: AccountRef, lo: datetime, hi: datetime) -> Moderation:
    """Strikes recorded in the period on the account's comments, and bans of those commenters."""
    on_account = (
        select(Strike.commenter_id)
        .join(Comment, Comment.id == Strike.comment_id)
        .where(Comment.account_id == account.id)
    )
    strikes = session.execute(
        select(Strike.category, func.count())
        .join(Comment, Comment.id == Strike.comment_id)
        .where(Comment.account_id == account.id, Strike.recorded_at >= lo, Strike.recorded_at < hi)
        .group_by(Strike.category)
    ).all()
    bans = session.execute(
        select(Ban.kind, Ban.status, func.count())
        .where(
            Ban.commenter_id.in_(on_account),
            Ban.platform == account.platform,
            Ban.proposed_at >= lo,
            Ban.proposed_at < hi,
        )
        .group_by(Ban.kind, Ban.status)
    ).all()
    return Moderation(
        strikes=tuple(sorted(((c, int(n)) for c, n in strikes), key=lambda x: (-x[1], x[0]))),
        bans=tuple(sorted((k, s, int(n)) for k, s, n in bans)),
    )


def evaluation_record(
    session: Session, account: AccountRef, period: ReportPeriod
) -> EvaluationRecord | None:
    if period.half_year is None:
        return None
    drafter, completer = aliased(Person), aliased(Person)
    row = session.execute(
        select(
            Evaluation.status,
            Evaluation.summary,
            Evaluation.recommendation,
            drafter.name,
            completer.name,
            Evaluation.completed_at,
        )
        .outerjoin(drafter, drafter.id == Evaluation.drafted_by_id)
        .outerjoin(completer, completer.id == Evaluation.completed_by_id)
        .where(Evaluation.account_id == account.id, Evaluation.period == period.half_year.label)
    ).first()
    if row is None:
        return None
    return EvaluationRecord(row[0], row[1], row[2], row[3] or "", row[4] or "", row[5])
