"""Use cases for an account's measurable goals: draft, edit, delete, and read them against actuals.

Submitting goals for review belongs to the approvals service (``request_goals_review``).
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from desktop.enums import AccountStatus, GoalStatus
from desktop.errors import ConflictError, DomainError
from desktop.models import Account, Goal
from desktop.models.base import new_id
from desktop.policy.periods import goals_last_day, goals_period_end
from desktop.services import validation as v
from desktop.services.context import ServiceContext, Work, load_settings
from desktop.services.metrics import (
    ENGAGEMENT_METRICS,
    METRIC_LABELS,
    local_today,
    require_account_access,
    require_reader,
    sum_months,
)
from desktop.services.serialize import diff, snapshot

_CLOSED = (AccountStatus.SHUT_DOWN, AccountStatus.TERMINATED)


@dataclass(frozen=True)
class GoalProgress:
    """One goal with what the account actually achieved over the period asked about."""

    goal_id: uuid.UUID
    title: str
    metric: str
    metric_label: str
    status: GoalStatus
    goal_start: date
    goal_end: date
    baseline: float
    target: float
    actual: int
    percent_of_target: float


class GoalService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def draft(
        self,
        account_id: uuid.UUID,
        title: str,
        metric: str,
        target_value: float,
        baseline_value: float = 0,
        period_start: date | None = None,
        period_end: date | None = None,
        description: str = "",
    ) -> Goal:
        """A new goal in draft; by default it runs from today for the goals validity period."""
        with self.ctx.write() as work:
            account = work.get(Account, account_id, "Account")
            require_account_access(work, account)
            if account.status in _CLOSED:
                raise DomainError(
                    f"{account.label} is {account.status.value.replace('_', ' ')}; "
                    "closed accounts take no new goals."
                )
            start = period_start or local_today(work)
            # Exactly the validity period: 12 months from 2026-11-18 end on 2027-11-17.
            end = period_end or goals_period_end(start, work.settings.goals_validity_months)
            goal = Goal(id=new_id(), account_id=account.id, status=GoalStatus.DRAFT)
            _apply(goal, title, metric, target_value, baseline_value, start, end, description)
            work.session.add(goal)
            work.audit("goal.draft", "goal", goal.id, after=snapshot(goal))
            return goal

    def edit(
        self,
        goal_id: uuid.UUID,
        title: str,
        metric: str,
        target_value: float,
        baseline_value: float,
        period_start: date,
        period_end: date,
        description: str = "",
        *,
        version: int | None = None,
    ) -> Goal:
        """Change a goal while it is still a draft."""
        with self.ctx.write() as work:
            goal = self._draft_goal(work, goal_id, version, "changed")
            before = snapshot(goal)
            _apply(
                goal,
                title,
                metric,
                target_value,
                baseline_value,
                period_start,
                period_end,
                description,
            )
            old, new = diff(before, snapshot(goal))
            work.audit("goal.edit", "goal", goal.id, old, new)
            return goal

    def delete_draft(self, goal_id: uuid.UUID, *, version: int | None = None) -> None:
        with self.ctx.write() as work:
            goal = self._draft_goal(work, goal_id, version, "deleted")
            before = snapshot(goal)
            work.session.delete(goal)
            work.audit("goal.delete", "goal", goal.id, before=before)

    # -- reads ---------------------------------------------------------------------------

    def for_account(self, account_id: uuid.UUID) -> list[Goal]:
        """Every goal of the account, newest period first."""
        with self.ctx.read() as session:
            require_reader(self.ctx, session)
            return list(
                session.scalars(
                    select(Goal)
                    .where(Goal.account_id == account_id)
                    .order_by(Goal.period_start.desc(), Goal.title)
                )
            )

    def goals_against_actuals(
        self, account_id: uuid.UUID, period_start: date, period_end: date
    ) -> list[GoalProgress]:
        """Goals whose period overlaps the given one, each with the metric's sum over it."""
        v.date_order(period_start, period_end, "Start", "End", field="period_end")
        with self.ctx.read() as session:
            require_reader(self.ctx, session)
            goals = list(
                session.scalars(
                    select(Goal)
                    .where(
                        Goal.account_id == account_id,
                        Goal.period_start <= period_end,
                        Goal.period_end >= period_start,
                    )
                    .order_by(Goal.period_start, Goal.title)
                )
            )
            if not goals:
                return []
            totals = sum_months(session, account_id, period_start, period_end)
        rows = []
        for goal in goals:
            actual = int(getattr(totals, goal.metric))
            rows.append(
                GoalProgress(
                    goal_id=goal.id,
                    title=goal.title,
                    metric=goal.metric,
                    metric_label=METRIC_LABELS.get(goal.metric, goal.metric),
                    status=goal.status,
                    goal_start=goal.period_start,
                    goal_end=goal.period_end,
                    baseline=goal.baseline_value,
                    target=goal.target_value,
                    actual=actual,
                    percent_of_target=100.0 * actual / goal.target_value,
                )
            )
        return rows

    def goal_status(self, as_of: date) -> dict[uuid.UUID, str]:
        """Per account: "final until YYYY-MM-DD", "in review", "expired", "draft only" or "none".

        Final goals still running win; then goals in review (renewal under way); then expired
        final goals (renewal needed, even with new drafts); then drafts.
        """
        with self.ctx.read() as session:
            require_reader(self.ctx, session)
            months = load_settings(session).goals_validity_months
            account_ids = list(session.scalars(select(Account.id)))
            grouped = session.execute(
                select(
                    Goal.account_id,
                    Goal.status,
                    Goal.period_start,
                    func.max(Goal.period_end).label("last_end"),
                ).group_by(Goal.account_id, Goal.status, Goal.period_start)
            ).all()
        by_account: dict[uuid.UUID, dict[GoalStatus, date]] = {}
        for row in grouped:
            # Final goals count until their period ends or their validity runs out, whichever
            # is first: the day GOALS_EXPIRED agrees with.
            last = goals_last_day(row.period_start, row.last_end, months)
            statuses = by_account.setdefault(row.account_id, {})
            statuses[row.status] = max(statuses.get(row.status, last), last)
        return {a: _status_text(by_account.get(a, {}), as_of) for a in account_ids}

    # -- helpers -------------------------------------------------------------------------

    @staticmethod
    def _draft_goal(work: Work, goal_id: uuid.UUID, version: int | None, verb: str) -> Goal:
        goal = work.get(Goal, goal_id, "Goal")
        account = work.get(Account, goal.account_id, "Account")
        require_account_access(work, account)
        if version is not None and goal.version != version:
            raise ConflictError(
                "Someone else changed this goal after you opened it. "
                "Reload it and make your change again."
            )
        if goal.status == GoalStatus.IN_REVIEW:
            raise DomainError(
                f"The goal {goal.title!r} is in review and cannot be {verb}; "
                "ask the reviewers to request changes first."
            )
        if goal.status == GoalStatus.FINAL:
            raise DomainError(
                f"The goal {goal.title!r} is final and cannot be {verb}; "
                "draft new goals for the next period instead."
            )
        return goal


def _status_text(statuses: dict[GoalStatus, date], as_of: date) -> str:
    final_end = statuses.get(GoalStatus.FINAL)
    if final_end is not None and final_end >= as_of:
        return f"final until {final_end.isoformat()}"
    if GoalStatus.IN_REVIEW in statuses:
        return "in review"
    if final_end is not None:
        return "expired"
    if GoalStatus.DRAFT in statuses:
        return "draft only"
    return "none"


def _metric(value: str) -> str:
    metric = (value or "").strip().lower()
    if metric in ("followers", "posts"):
        raise DomainError(
            "Goals must measure engagement, not followers or the number of posts: the policy "
            "asks to move beyond those counts. Choose one of: "
            + ", ".join(METRIC_LABELS[m].lower() for m in ENGAGEMENT_METRICS)
            + ".",
            "metric",
        )
    if metric not in ENGAGEMENT_METRICS:
        raise DomainError(
            f"Metric {value!r} is not one of: {', '.join(ENGAGEMENT_METRICS)}.", "metric"
        )
    return metric


def _number(value: float, label: str, field: str, *, positive: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise DomainError(f"{label} must be a number, e.g. 1200.", field)
    if positive and value <= 0:
        raise DomainError(f"{label} must be more than 0 (you gave {value:g}).", field)
    if value < 0:
        raise DomainError(f"{label} cannot be negative (you gave {value:g}).", field)
    return float(value)


def _apply(
    goal: Goal,
    title: str,
    metric: str,
    target_value: float,
    baseline_value: float,
    start: date,
    end: date,
    description: str,
) -> None:
    goal.title = v.text(title, "Title", field="title")
    goal.metric = _metric(metric)
    goal.target_value = _number(target_value, "Target", "target_value", positive=True)
    goal.baseline_value = _number(baseline_value, "Baseline", "baseline_value", positive=False)
    v.date_order(start, end, "Period start", "Period end", field="period_end")
    goal.period_start = start
    goal.period_end = end
    goal.description = v.text(
        description, "Description", field="description", required=False, max_len=4000
    )
