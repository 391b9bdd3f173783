"""Checks of the approval tracker: accounts live without approval, campaign content, stalls."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from desktop.enums import AccountStatus, ApprovalState, Severity
from desktop.policy.checks.dates import day_start, local_text, local_today
from desktop.policy.checks.wording import join_names, plural
from desktop.policy.facts import LIVE_STATUSES, CampaignFacts, ComplianceFacts
from desktop.policy.findings import Violation, check
from desktop.policy.settings import PolicySettings
from desktop.policy.workflows import WORKFLOWS


@check(
    "ACCOUNT_NOT_APPROVED",
    Severity.CRITICAL,
    title="Account live without an approved business case",
    policy_quote=(
        "All new social media accounts must be approved by senior Executive Council staff "
        "prior to launch."
    ),
    remedy=(
        "Submit the account's business case for approval (DSO alignment, then senior "
        "Executive Council), or suspend the account until it is approved."
    ),
)
def account_not_approved(
    facts: ComplianceFacts, settings: PolicySettings, as_of: datetime
) -> Iterator[Violation]:
    for a in facts.accounts:
        if a.status in LIVE_STATUSES and not a.new_account_approved:
            yield Violation(
                a.subject,
                f"{a.label} is {a.status.value} without an approved new-account request.",
                since=a.activated_at,
            )


_CONTENT_STATE_TEXT = {
    ApprovalState.SUBMITTED: "its content is still waiting for signatures",
    ApprovalState.CHANGES_REQUESTED: "changes were requested on its content",
    ApprovalState.DRAFT: "its content approval request is still a draft",
    ApprovalState.REJECTED: "its content was rejected",
    ApprovalState.WITHDRAWN: "its content approval request was withdrawn",
}


def _content_status(c: CampaignFacts) -> str:
    for state, text in _CONTENT_STATE_TEXT.items():
        if state in c.content_states:
            return text
    return "no content approval was requested"


@check(
    "CONTENT_NOT_APPROVED",
    Severity.CRITICAL,
    title="Campaign running without approved content",
    policy_quote=(
        "Ministry communications personnel will send content prepared for third party "
        "advertising campaigns, as well as proposed tentative timelines for said campaigns, "
        "to be approved by the Ministry Director of Communications, the Minister's Office, and "
        "Executive Council."
    ),
    remedy=(
        "Stop the campaign until its content is approved by the Ministry Director of "
        "Communications, the Minister's Office and Executive Council."
    ),
)
def content_not_approved(
    facts: ComplianceFacts, settings: PolicySettings, as_of: datetime
) -> Iterator[Violation]:
    today = local_today(as_of, settings)
    for c in facts.campaigns:
        running = c.starts_on <= today <= c.ends_on
        if running and ApprovalState.APPROVED not in c.content_states:
            agency = f" ({c.agency_name})" if c.agency_name else ""
            yield Violation(
                c.subject,
                f"Campaign \u201c{c.name}\u201d{agency} has been running since {c.starts_on} "
                f"without approved content: {_content_status(c)}.",
                since=day_start(c.starts_on, settings),
            )


@check(
    "APPROVAL_STALLED",
    Severity.WARNING,
    title="Approval request waiting too long for a decision",
    policy_quote=(
        "The Executive Director and Director of Communications is responsible for ensuring "
        "that appropriate corporate and senior executive agreement are in place for all "
        "communications initiatives."
    ),
    remedy="Remind the people the request is waiting on, or withdraw it if it is obsolete.",
)
def approval_stalled(
    facts: ComplianceFacts, settings: PolicySettings, as_of: datetime
) -> Iterator[Violation]:
    stall = timedelta(days=settings.approval_stall_days)
    for p in facts.pending_approvals:
        signed = p.last_decision_at is not None and p.last_decision_at > p.submitted_at
        last = p.last_decision_at if signed and p.last_decision_at else p.submitted_at
        if as_of - last < stall:
            continue
        what = (
            "the last signature"
            if signed
            else ("it was resubmitted" if p.resubmitted else "it was submitted")
        )
        waiting = join_names(list(dict.fromkeys(r.label for r in p.waiting_on)))
        tail = f"; it is waiting on {waiting}" if waiting else ""
        yield Violation(
            p.subject,
            f"\u201c{p.title}\u201d ({WORKFLOWS[p.kind].title.lower()}) has had no decision for "
            f"{plural((as_of - last).days, 'day')} since {what} on "
            f"{local_text(last, settings)}{tail}.",
            since=last + stall,
        )


@check(
    "STATUS_WITHOUT_APPROVAL",
    Severity.WARNING,
    title="Record reached a state without its approval",
    policy_quote=(
        "Failure to achieve engagement on the social media channel after 12 months can and "
        "should result in the termination of the account at the discretion of the Director, "
        "Digital Channels and Insights and the communication branch. In the event of "
        "disagreement, Executive Council will have final say on the status of the account."
    ),
    remedy=(
        "Raise the approval the state needs (new account, termination, annual goals review) "
        "and have it signed, or correct the record; imported or older data shows up here."
    ),
)
def status_without_approval(
    facts: ComplianceFacts, settings: PolicySettings, as_of: datetime
) -> Iterator[Violation]:
    """Approved accounts without an approved new-account request, terminated accounts without
    an approved termination request, final goals without an approved review (live accounts
    without approval are ACCOUNT_NOT_APPROVED's)."""
    for a in facts.accounts:
        if a.status is AccountStatus.APPROVED and not a.new_account_approved:
            yield Violation(
                a.subject,
                f"{a.label} is approved without an approved new-account request "
                "(DSO alignment, then senior Executive Council).",
                since=a.status_changed_at,
            )
        elif a.status is AccountStatus.TERMINATED and not a.termination_approved:
            yield Violation(
                a.subject,
                f"{a.label} is terminated without an approved termination request (the "
                "Director, Digital Channels and Insights decides; Executive Council on "
                "disagreement).",
                since=a.status_changed_at,
            )
        if a.unreviewed_final_goals:
            goals = plural(a.unreviewed_final_goals, "final goal")
            yield Violation(
                a.subject,
                f"{a.label} has {goals} that no approved review by the Director, Digital "
                "Channels and Insights and Executive Council finalized.",
            )
