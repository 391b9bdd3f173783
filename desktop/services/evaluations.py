"""Use cases for half-yearly account evaluations, and the schedule of those due and overdue."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError

from desktop.enums import AccountStatus, EvaluationStatus, Platform, Recommendation
from desktop.errors import ConflictError, DomainError, PermissionDenied
from desktop.models import Account, Evaluation, Ministry
from desktop.models.base import new_id
from desktop.policy.periods import HalfYear, next_evaluation_due
from desktop.services import validation as v
from desktop.services.authz import Permission, can
from desktop.services.context import ServiceContext, Work, load_settings
from desktop.services.metrics import local_today, require_account_access, require_reader
from desktop.services.serialize import diff, snapshot

# An evaluation due within this many days shows as "due soon" in the schedule.
DUE_SOON_DAYS = 30
_SUMMARY_MAX = 20_000

ScheduleStatus = Literal["overdue", "due soon", "ok"]


@dataclass(frozen=True)
class ScheduleRow:
    """One active account in the evaluation schedule."""

    account_id: uuid.UUID
    account_label: str
    ministry_code: str
    last_period: str | None
    last_completed_on: date | None
    next_due: date
    days_until_due: int  # negative when overdue
    status: ScheduleStatus


class EvaluationService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def draft(
        self,
        account_id: uuid.UUID,
        period: str,
        summary: str = "",
        recommendation: Recommendation | str | None = None,
    ) -> Evaluation:
        """Start the evaluation of one account for one half-year (e.g. "2026H1")."""
        with self.ctx.write() as work:
            account = work.get(Account, account_id, "Account")
            require_account_access(work, account)
            half = _half_year(period)
            current = HalfYear.containing(local_today(work))
            if half > current:
                raise DomainError(
                    f"{half} has not started yet; evaluate {current} or an earlier half-year.",
                    "period",
                )
            existing = work.session.scalar(
                select(func.count())
                .select_from(Evaluation)
                .where(Evaluation.account_id == account.id, Evaluation.period == half.label)
            )
            if existing:
                raise _duplicate(account, half)
            evaluation = Evaluation(
                id=new_id(),
                account_id=account.id,
                period=half.label,
                period_start=half.start,
                period_end=half.end,
                status=EvaluationStatus.DRAFT,
                summary=_summary(summary),
                recommendation=_may_recommend(work, _recommendation(recommendation)),
                drafted_by_id=work.actor.id,
            )
            work.session.add(evaluation)
            try:
                work.session.flush()
            except IntegrityError as exc:  # someone drafted the same one a moment ago
                raise _duplicate(account, half) from exc
            work.audit("evaluation.draft", "evaluation", evaluation.id, after=snapshot(evaluation))
            return evaluation

    def edit(
        self,
        evaluation_id: uuid.UUID,
        summary: str,
        recommendation: Recommendation | str | None,
        *,
        version: int | None = None,
    ) -> Evaluation:
        """Change a draft's summary and recommendation."""
        with self.ctx.write() as work:
            evaluation = work.get(Evaluation, evaluation_id, "Evaluation")
            account = work.get(Account, evaluation.account_id, "Account")
            require_account_access(work, account)
            _check_open(evaluation, version)
            before = snapshot(evaluation)
            evaluation.summary = _summary(summary)
            evaluation.recommendation = _may_recommend(work, _recommendation(recommendation))
            old, new = diff(before, snapshot(evaluation))
            work.audit("evaluation.edit", "evaluation", evaluation.id, old, new)
            return evaluation

    def complete(
        self,
        evaluation_id: uuid.UUID,
        summary: str,
        recommendation: Recommendation | str | None,
        *,
        version: int | None = None,
    ) -> Evaluation:
        """The Director DCI signs the evaluation off; it cannot change afterwards."""
        with self.ctx.write() as work:
            work.require(Permission.COMPLETE_EVALUATION)
            evaluation = work.get(Evaluation, evaluation_id, "Evaluation")
            _check_open(evaluation, version)
            text = _summary(summary)
            if not text:
                raise DomainError(
                    "Write a summary of the evaluation before completing it.", "summary"
                )
            choice = _recommendation(recommendation)
            if choice is None:
                raise DomainError(
                    "Choose a recommendation before completing the evaluation: "
                    "continue, new strategy or terminate.",
                    "recommendation",
                )
            before = snapshot(evaluation)
            evaluation.summary = text
            evaluation.recommendation = choice
            evaluation.status = EvaluationStatus.COMPLETED
            evaluation.completed_by_id = work.actor.id
            evaluation.completed_at = work.at
            old, new = diff(before, snapshot(evaluation))
            work.audit("evaluation.complete", "evaluation", evaluation.id, old, new)
            return evaluation

    # -- reads ---------------------------------------------------------------------------

    def for_account(self, account_id: uuid.UUID) -> list[Evaluation]:
        """The account's evaluations, most recent half-year first."""
        with self.ctx.read() as session:
            require_reader(self.ctx, session)
            return list(
                session.scalars(
                    select(Evaluation)
                    .where(Evaluation.account_id == account_id)
                    .order_by(Evaluation.period_start.desc())
                )
            )

    def schedule(self, as_of: date) -> list[ScheduleRow]:
        """Every active account with its next evaluation due date, most urgent first.

        Due is the last completion date plus the evaluation interval, else the activation date
        plus the interval (the creation date stands in for a missing activation date).
        """
        with self.ctx.read() as session:
            require_reader(self.ctx, session)
            settings = load_settings(session)
            completed = Evaluation.status == EvaluationStatus.COMPLETED
            last = (
                select(Evaluation.account_id, func.max(Evaluation.completed_at).label("last_at"))
                .where(completed)
                .group_by(Evaluation.account_id)
                .subquery()
            )
            rows = session.execute(
                select(
                    Account.id,
                    Account.platform,
                    Account.handle,
                    Account.activated_at,
                    Account.created_at,
                    Ministry.code,
                    last.c.last_at,
                    Evaluation.period,
                )
                .join(Ministry, Ministry.id == Account.ministry_id)
                .outerjoin(last, last.c.account_id == Account.id)
                .outerjoin(
                    Evaluation,
                    and_(
                        Evaluation.account_id == Account.id,
                        Evaluation.completed_at == last.c.last_at,
                        completed,
                    ),
                )
                .where(Account.status == AccountStatus.ACTIVE)
            ).all()
        zone = ZoneInfo(settings.timezone)
        schedule: dict[uuid.UUID, ScheduleRow] = {}
        for r in rows:
            last_on = r.last_at.astimezone(zone).date() if r.last_at else None
            active_since = (r.activated_at or r.created_at).astimezone(zone).date()
            due = next_evaluation_due(last_on, active_since, settings.evaluation_interval_months)
            assert due is not None  # active_since is always known
            previous = schedule.get(r.id)
            # Two evaluations completed in the same instant: keep the later half-year.
            if previous and (previous.last_period or "") >= (r.period or ""):
                continue
            days = (due - as_of).days
            schedule[r.id] = ScheduleRow(
                account_id=r.id,
                account_label=f"{Platform(r.platform).label} @{r.handle}",
                ministry_code=r.code,
                last_period=r.period,
                last_completed_on=last_on,
                next_due=due,
                days_until_due=days,
                status="overdue" if days < 0 else "due soon" if days <= DUE_SOON_DAYS else "ok",
            )
        return sorted(schedule.values(), key=lambda row: (row.next_due, row.account_label))


def _half_year(text: str) -> HalfYear:
    try:
        return HalfYear.parse(text or "")
    except ValueError as exc:
        raise DomainError(str(exc), "period") from exc


def _summary(text: str) -> str:
    return v.text(text, "Summary", field="summary", required=False, max_len=_SUMMARY_MAX)


def _recommendation(value: Recommendation | str | None) -> Recommendation | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str) and not isinstance(value, Recommendation):
        value = value.strip().lower().replace(" ", "_")
    return v.choice(value, Recommendation, "Recommendation", field="recommendation")


def _duplicate(account: Account, half: HalfYear) -> ConflictError:
    return ConflictError(
        f"{account.label} already has an evaluation for {half}; open the existing one "
        "instead of starting another."
    )


def _check_open(evaluation: Evaluation, version: int | None) -> None:
    if version is not None and evaluation.version != version:
        raise ConflictError(
            "Someone else changed this evaluation after you opened it. "
            "Reload it and make your change again."
        )
    if evaluation.status == EvaluationStatus.COMPLETED:
        on = f" on {evaluation.completed_at:%Y-%m-%d}" if evaluation.completed_at else ""
        raise DomainError(
            f"The evaluation for {evaluation.period} was completed{on} and cannot be "
            "changed; record any new findings in the next half-year's evaluation."
        )


def _may_recommend(work: Work, recommendation: Recommendation | None) -> Recommendation | None:
    """Recommending termination is the Director DCI's (or an administrator's), even in a
    draft (DESIGN §6: "complete an evaluation, recommend termination")."""
    if recommendation == Recommendation.TERMINATE and not can(
        work.actor.roles, Permission.COMPLETE_EVALUATION
    ):
        raise PermissionDenied(
            "Recommending termination needs the role Director, Digital Channels and Insights "
            "or Administrator; draft the evaluation with another recommendation and let them "
            "decide."
        )
    return recommendation
