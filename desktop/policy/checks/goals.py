"""Checks of measurable goals, half-yearly evaluations and engagement of active accounts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

from desktop.enums import AccountStatus, GoalStatus, Severity
from desktop.policy.checks.dates import day_start, local_today, passed_since
from desktop.policy.checks.wording import plural
from desktop.policy.engagement import no_engagement
from desktop.policy.facts import AccountFacts, ComplianceFacts, GoalGroup
from desktop.policy.findings import Violation, check
from desktop.policy.periods import goals_last_day, next_evaluation_due
from desktop.policy.settings import PolicySettings


def _active(facts: ComplianceFacts) -> Iterator[AccountFacts]:
    return (a for a in facts.accounts if a.status is AccountStatus.ACTIVE)


def goals_end(g: GoalGroup, settings: PolicySettings) -> date:
    """The first day final goals no longer count: after their period, or after the validity."""
    last = goals_last_day(g.period_start, g.period_end, settings.goals_validity_months)
    return last + timedelta(days=1)


def _finals(a: AccountFacts) -> list[GoalGroup]:
    return [g for g in a.goals if g.status is GoalStatus.FINAL]


def _unfinished(a: AccountFacts) -> int:
    return sum(g.count for g in a.goals if g.status is not GoalStatus.FINAL)


@check(
    "GOALS_MISSING",
    Severity.WARNING,
    title="Account without measurable goals",
    policy_quote=(
        "All social media accounts must have measurable goals and objectives that can be used "
        "to evaluate the success of each account."
    ),
    remedy=(
        "Draft measurable goals and objectives for the account and submit them for review by "
        "the Director, Digital Channels and Insights and Executive Council."
    ),
)
def goals_missing(
    facts: ComplianceFacts, settings: PolicySettings, as_of: datetime
) -> Iterator[Violation]:
    for a in _active(facts):
        if not a.goals:
            yield Violation(
                a.subject,
                f"{a.label} has no measurable goals and objectives.",
                since=a.activated_at,
            )


@check(
    "GOALS_EXPIRED",
    Severity.WARNING,
    title="Goals older than 12 months and not renewed",
    policy_quote=(
        "New measurable goals and objectives should be set every 12 months to ensure continued "
        "growth and reach of all social media accounts."
    ),
    remedy="Set new goals and objectives for the next 12 months and have them finalized.",
)
def goals_expired(
    facts: ComplianceFacts, settings: PolicySettings, as_of: datetime
) -> Iterator[Violation]:
    today = local_today(as_of, settings)
    for a in _active(facts):
        finals = _finals(a)
        if not finals:
            continue
        ended = max(goals_end(g, settings) for g in finals)
        if ended > today:
            continue  # some final goals still cover today (or start later)
        pending = _unfinished(a)
        tail = (
            f"; {plural(pending, 'new goal is', 'new goals are')} drafted but not final yet"
            if pending
            else ""
        )
        yield Violation(
            a.subject,
            f"The goals of {a.label} ran out on {ended - timedelta(days=1)}; "
            f"no final goals cover today{tail}.",
            since=day_start(ended, settings),
        )


@check(
    "GOALS_NOT_FINAL",
    Severity.WARNING,
    title="Goals drafted but never finalized",
    policy_quote=(
        "The goals and objectives will be reviewed by the Director, Digital Channels and "
        "Insights and Executive Council prior to being finalized."
    ),
    remedy=(
        "Submit the goals for review by the Director, Digital Channels and Insights and "
        "Executive Council so they become final."
    ),
)
def goals_not_final(
    facts: ComplianceFacts, settings: PolicySettings, as_of: datetime
) -> Iterator[Violation]:
    for a in _active(facts):
        if a.goals and not _finals(a):
            yield Violation(
                a.subject,
                f"{a.label} has {plural(_unfinished(a), 'goal')} drafted or in review "
                "but none final.",
            )


@check(
    "EVALUATION_OVERDUE",
    Severity.WARNING,
    title="Half-yearly evaluation overdue",
    policy_quote=(
        "Evaluation is expected to happen twice a year with a report generated back to the "
        "Director, Digital Channels and Insights on the Digital Strategy and Operations team."
    ),
    remedy=(
        "Evaluate the account against its goals and complete the evaluation for the Director, "
        "Digital Channels and Insights."
    ),
)
def evaluation_overdue(
    facts: ComplianceFacts, settings: PolicySettings, as_of: datetime
) -> Iterator[Violation]:
    today = local_today(as_of, settings)
    for a in _active(facts):
        last = local_today(a.last_evaluated_at, settings) if a.last_evaluated_at else None
        live = local_today(a.activated_at, settings) if a.activated_at else None
        due = next_evaluation_due(last, live, settings.evaluation_interval_months)
        if due is None or due >= today:
            continue
        ago = plural((today - due).days, "day")
        if last is not None:
            text = f"{a.label} was last evaluated on {last}; the next evaluation was due {due}"
        else:
            text = (
                f"{a.label} has not been evaluated since it went live on {live}; "
                f"its first evaluation was due {due}"
            )
        yield Violation(a.subject, f"{text} ({ago} ago).", since=passed_since(due, settings))


@check(
    "NO_ENGAGEMENT_12_MONTHS",
    Severity.WARNING,
    title="No engagement for 12 months: termination candidate",
    policy_quote=(
        "Failure to achieve engagement on the social media channel after 12 months can and "
        "should result in the termination of the account at the discretion of the Director, "
        "Digital Channels and Insights and the communication branch."
    ),
    remedy=(
        "Review the account with the Director, Digital Channels and Insights: adopt a new "
        "strategy or request its termination."
    ),
)
def no_engagement_12_months(
    facts: ComplianceFacts, settings: PolicySettings, as_of: datetime
) -> Iterator[Violation]:
    today = local_today(as_of, settings)
    months = settings.engagement_window_months
    for a in _active(facts):
        live = local_today(a.activated_at, settings) if a.activated_at else None
        if not no_engagement(a.engagement, live, today, months):
            continue
        why = (
            "no metrics were recorded"
            if a.engagement is None
            else "its metrics show no responses, shares, comments or time on page"
        )
        yield Violation(
            a.subject,
            f"{a.label}, active since {live}, shows no engagement over the last "
            f"{plural(months, 'month')}: {why}.",
        )
