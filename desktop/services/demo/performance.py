"""Monthly engagement metrics, half-yearly evaluations and annual goals of the live accounts."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from desktop.enums import AppRole, ApprovalKind, EvaluationStatus, GoalStatus, Platform
from desktop.enums import Recommendation as Rec
from desktop.models import Evaluation, MetricSnapshot
from desktop.models import Goal as GoalRow
from desktop.policy.periods import HalfYear, add_months
from desktop.policy.workflows import Action
from desktop.services.demo.approvals import Act, ApprovalBook
from desktop.services.demo.builder import AccountRef, Row, Seeder, World, new_id

MONTHS = 18
# Monthly reach of a typical account per platform, before the ministry's weight.
_REACH = {
    Platform.FACEBOOK: 40_000,
    Platform.X: 15_000,
    Platform.INSTAGRAM: 12_000,
    Platform.YOUTUBE: 5_000,
    Platform.LINKEDIN: 4_000,
    Platform.TIKTOK: 8_000,
    Platform.WECHAT: 2_000,
}
ENGAGEMENT = ("responses_positive", "shares", "comments", "time_on_page_seconds")
_GOAL_TITLES = {
    "responses_positive": "Positive responses up {p} %",
    "shares": "Shares and reposts up {p} %",
    "comments": "Conversation: comments up {p} %",
    "time_on_page_seconds": "Time spent on our content up {p} %",
}
Series = dict[object, list[Row]]  # account id -> its monthly snapshots, oldest first


def _months(as_of_day: date) -> list[tuple[date, date]]:
    this_month = as_of_day.replace(day=1)
    out = []
    for k in range(MONTHS, 0, -1):
        first = add_months(this_month, -k)
        out.append((first, add_months(first, 1) - timedelta(days=1)))
    return out


def seed_metrics(s: Seeder, world: World) -> Series:
    rng = s.rng("metrics")
    today = s.as_of.astimezone(world.tz).date()
    months = _months(today)
    series: Series = {}
    rows: list[Row] = []
    for acc in world.accounts:
        if not acc.live or acc.activated_at is None:
            continue
        since = acc.activated_at.astimezone(world.tz).date()
        weight = 3.0 if acc.ministry == "EXC" else rng.uniform(0.5, 1.6)
        reach = _REACH[acc.platform] * weight
        growth = rng.uniform(-0.03, 0.04)
        rates = [rng.uniform(0.004, 0.02), rng.uniform(0.002, 0.01), rng.uniform(0.001, 0.006)]
        followers = int(reach * rng.uniform(0.8, 2.5))
        recorder = acc.owner or world.with_role(AppRole.OFFICER, acc.ministry)[0]
        mine: list[Row] = []
        for first, last in months:
            if last < since:
                continue
            reach *= (1 + growth) * rng.uniform(0.85, 1.15)
            followers = int(followers * rng.uniform(1.0, 1.02)) + 1
            r = max(int(reach), 50)
            dead = acc.story == "no_engagement"
            positive = 0 if dead else max(1, int(r * rates[0]))
            recorded = datetime.combine(
                last + timedelta(days=rng.randint(3, 9)), time(10), world.tz
            )
            mine.append(
                s.row(
                    MetricSnapshot,
                    min(recorded, s.as_of - timedelta(hours=1)),
                    id=new_id(rng),
                    account_id=acc.id,
                    period_start=max(first, since),
                    period_end=last,
                    responses_positive=positive,
                    responses_negative=0 if dead else int(positive * rng.uniform(0.05, 0.3)),
                    shares=0 if dead else max(1, int(r * rates[1])),
                    comments=0 if dead else max(1, int(r * rates[2])),
                    time_on_page_seconds=0 if dead else int(r * rng.uniform(2, 10)),
                    reach=r // 20 if dead else r,
                    followers=followers,
                    posts=rng.randint(2, 6) if dead else rng.randint(8, 60),
                    recorded_by_id=recorder.id,
                )
            )
        series[acc.id] = mine
        rows += mine
    s.insert(MetricSnapshot, rows)
    s.progress(f"{len(rows):,} monthly metric snapshots")
    return series


def plan_goals(s: Seeder, world: World, book: ApprovalBook, series: Series) -> list[Row]:
    """Goal rows (inserted after the approvals they point to) and their approvals."""
    rng = s.rng("goals")
    dci = world.one(AppRole.DCI_DIRECTOR)
    council = world.with_role(AppRole.EXEC_COUNCIL)
    rows: list[Row] = []
    for acc in world.accounts:
        if not acc.live or acc.activated_at is None or acc.story == "no_goals":
            continue
        who = acc.owner or world.with_role(AppRole.OFFICER, acc.ministry)[0]
        ec = council[rng.randrange(len(council))]
        status = GoalStatus.FINAL
        if acc.story == "expired_goals":
            final: datetime | None = s.as_of - timedelta(days=rng.randint(440, 470))
        elif acc.story == "goals_in_review":
            final = None
        else:
            earliest = acc.activated_at + timedelta(days=20)
            final = max(earliest, s.as_of - timedelta(days=rng.randint(15, 330)))
        if final is None:
            status = GoalStatus.IN_REVIEW
            created = s.as_of - timedelta(days=6, hours=2)
            acts = [
                Act(Action.SUBMIT, who, created + timedelta(days=1)),
                Act(Action.APPROVE, dci, s.as_of - timedelta(days=2, hours=4)),
            ]
            start = (s.as_of + timedelta(days=14)).astimezone(world.tz).date()
        else:
            created = final - timedelta(days=rng.randint(14, 25))
            acts = [
                Act(Action.SUBMIT, who, created + timedelta(hours=rng.randint(2, 30))),
                Act(Action.APPROVE, dci, final - timedelta(days=rng.randint(4, 9))),
                Act(Action.APPROVE, ec, final),
            ]
            start = final.astimezone(world.tz).date()
        approval = book.record(
            ApprovalKind.ANNUAL_GOALS,
            f"Goals {start.year}-{start.year + 1}: {acc.label}",
            who,
            created,
            acts,
            account_id=acc.id,
            business_case=_CASE,
        )
        last = acts[-1].at
        rows += _goal_set(s, rng, acc, series, approval, start, status, final, last)
        if final is not None and not acc.story and s.as_of - final > timedelta(days=290):
            # Renewal is near: next year's goals are being drafted.
            start = add_months(start, 12)
            drafted = s.as_of - timedelta(days=rng.randint(2, 10), hours=rng.randint(1, 6))
            title = f"Goals {start.year}-{start.year + 1}: {acc.label}"
            draft = book.record(
                ApprovalKind.ANNUAL_GOALS,
                title,
                who,
                drafted,
                [],
                account_id=acc.id,
                business_case=_CASE,
            )
            rows += _goal_set(s, rng, acc, series, draft, start, GoalStatus.DRAFT, None, drafted)
    return rows


_CASE = "Measurable engagement goals for the next 12 months."


def _goal_set(
    s: Seeder,
    rng: random.Random,
    acc: AccountRef,
    series: Series,
    approval: Row,
    start: date,
    status: GoalStatus,
    final: datetime | None,
    changed: datetime,
) -> list[Row]:
    """Two or three goals on engagement metrics, with last year's totals as the baseline."""
    end = add_months(start, 12) - timedelta(days=1)
    past = [r for r in series.get(acc.id, []) if r["period_end"] < start][-12:]
    rows = []
    for metric in rng.sample(ENGAGEMENT, rng.randint(2, 3)):
        baseline = float(sum(r[metric] for r in past))
        pct = rng.choice((5, 10, 15, 20, 25))
        rows.append(
            s.row(
                GoalRow,
                approval["created_at"],
                id=new_id(rng),
                account_id=acc.id,
                title=_GOAL_TITLES[metric].format(p=pct),
                description=f"Measured over the 12 months from {start:%B %Y}.",
                metric=metric,
                target_value=round(max(baseline, 10.0) * (1 + pct / 100), 1),
                baseline_value=baseline,
                period_start=start,
                period_end=end,
                status=status,
                approval_id=approval["id"],
                finalized_at=final,
                updated_at=changed,
            )
        )
    return rows


def seed_evaluations(s: Seeder, world: World, series: Series) -> None:
    rng = s.rng("evaluations")
    today = s.as_of.astimezone(world.tz).date()
    last = HalfYear.containing(today).previous()
    dci = world.one(AppRole.DCI_DIRECTOR)
    rows: list[Row] = []
    for acc in world.accounts:
        if not acc.live or acc.activated_at is None:
            continue
        since = acc.activated_at.astimezone(world.tz).date()
        plan: list[tuple[HalfYear, bool]] = [(last, True), (last.previous(), True)]
        if acc.story == "overdue_evaluation":
            plan = [(last.previous(), False), (last.previous().previous(), True)]
        for period, completed in plan:
            if since > period.end:
                continue
            rows.append(_evaluation(s, rng, world, acc, period, completed, dci.id, series))
    s.insert(Evaluation, rows)


def _evaluation(
    s: Seeder,
    rng: random.Random,
    world: World,
    acc: AccountRef,
    period: HalfYear,
    completed: bool,
    dci_id: object,
    series: Series,
) -> Row:
    opened = datetime.combine(period.end + timedelta(days=1), time(9), world.tz)
    window = s.as_of - opened
    done = opened + timedelta(days=rng.uniform(3, 45))
    if done >= s.as_of - timedelta(hours=1):
        done = opened + window * rng.uniform(0.2, 0.9)
    drafted = done - timedelta(days=rng.randint(5, 15))
    snaps = [r for r in series.get(acc.id, []) if period.start <= r["period_start"] <= period.end]
    rec = Rec.CONTINUE if rng.random() < 0.75 else Rec.NEW_STRATEGY
    if acc.story == "no_engagement":
        rec = Rec.TERMINATE
    summary = _summary(snaps, rec)
    who = acc.owner or world.with_role(AppRole.OFFICER, acc.ministry)[0]
    return s.row(
        Evaluation,
        drafted if completed else opened + timedelta(days=rng.randint(5, 20)),
        id=new_id(rng),
        account_id=acc.id,
        period=period.label,
        period_start=period.start,
        period_end=period.end,
        status=EvaluationStatus.COMPLETED if completed else EvaluationStatus.DRAFT,
        summary=summary if completed else "Draft: metrics entered, analysis to do.",
        recommendation=rec if completed else None,
        drafted_by_id=who.id,
        completed_by_id=dci_id if completed else None,
        completed_at=done if completed else None,
        updated_at=done if completed else opened + timedelta(days=rng.randint(20, 30)),
    )


def _summary(snaps: list[Row], rec: Rec) -> str:
    shares = sum(r["shares"] for r in snaps)
    comments = sum(r["comments"] for r in snaps)
    positive = sum(r["responses_positive"] for r in snaps)
    text = {
        Rec.CONTINUE: "On track against the goals; continue the current strategy.",
        Rec.NEW_STRATEGY: "Below target on shares; a new content strategy is needed.",
        Rec.TERMINATE: "No engagement in the period; recommend termination.",
    }[rec]
    return (
        f"{shares:,} shares, {comments:,} comments and {positive:,} positive responses over "
        f"{len(snaps)} months. {text}"
    )
