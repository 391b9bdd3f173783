"""Checks of the comment response log and emergencies: service levels, assignment, on-call.

Comment findings are one per account (the log holds millions of rows), with the count and the
oldest due time; ``since`` is that oldest due time.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from desktop.enums import Severity
from desktop.policy.checks.dates import local_text
from desktop.policy.checks.wording import hours, join_names, plural
from desktop.policy.facts import ComplianceFacts, account_label
from desktop.policy.findings import Violation, check
from desktop.policy.settings import PolicySettings


def _were(n: int) -> str:
    return "was" if n == 1 else "were"


def _oldest(n: int) -> str:
    return "it" if n == 1 else "the oldest"


@check(
    "COMMENT_ACK_OVERDUE",
    Severity.CRITICAL,
    title="Comments not acknowledged within the service level",
    policy_quote=(
        "Since the portal is 9:00 to 5:00, Monday to Friday, (except holidays) reply to "
        "questions within an hour, even if it is a note acknowledging work on providing a "
        "response."
    ),
    remedy="Acknowledge the overdue comments now, oldest first.",
)
def comment_ack_overdue(
    facts: ComplianceFacts, settings: PolicySettings, as_of: datetime
) -> Iterator[Violation]:
    within = hours(settings.acknowledge_business_hours, "business hour")
    for b in facts.comment_backlogs:
        if b.ack_overdue and b.ack_oldest_due is not None:
            n = b.ack_overdue
            yield Violation(
                b.subject,
                f"{plural(n, 'comment')} on {account_label(b.platform, b.handle)} {_were(n)} "
                f"not acknowledged within {within}; {_oldest(n)} was due "
                f"{local_text(b.ack_oldest_due, settings)}.",
                since=b.ack_oldest_due,
            )


@check(
    "COMMENT_ANSWER_OVERDUE",
    Severity.CRITICAL,
    title="Comments not answered by the next business day",
    policy_quote=(
        "The goal is to have the question answered that same day or the following day, i.e. "
        "within 48 hours."
    ),
    remedy=(
        "Answer the overdue comments now (public answer, web link, phone number or direct "
        "message), or close those that need no response."
    ),
)
def comment_answer_overdue(
    facts: ComplianceFacts, settings: PolicySettings, as_of: datetime
) -> Iterator[Violation]:
    for b in facts.comment_backlogs:
        if b.answer_overdue and b.answer_oldest_due is not None:
            n = b.answer_overdue
            yield Violation(
                b.subject,
                f"{plural(n, 'comment')} on {account_label(b.platform, b.handle)} {_were(n)} "
                f"not answered by the end of the next business day; {_oldest(n)} was due "
                f"{local_text(b.answer_oldest_due, settings)}.",
                since=b.answer_oldest_due,
            )


@check(
    "COMMENT_UNASSIGNED",
    Severity.WARNING,
    title="Open comments nobody was assigned",
    policy_quote=(
        "Always track the status of questions on the social media monitoring platform so "
        "nothing falls through the cracks."
    ),
    remedy="Assign each open comment to a person who will answer it.",
)
def comment_unassigned(
    facts: ComplianceFacts, settings: PolicySettings, as_of: datetime
) -> Iterator[Violation]:
    limit = hours(settings.comment_unassigned_hours, "business hour")
    for b in facts.comment_backlogs:
        if b.unassigned and b.unassigned_oldest is not None:
            n = b.unassigned
            verb = "has" if n == 1 else "have"
            yield Violation(
                b.subject,
                f"{plural(n, 'open comment')} on {account_label(b.platform, b.handle)} {verb} "
                f"had no assignee for more than {limit}; "
                f"{_oldest(n)} has waited since {local_text(b.unassigned_oldest, settings)}.",
                since=b.unassigned_oldest,
            )


@check(
    "EMERGENCY_NO_ON_CALL",
    Severity.CRITICAL,
    title="Emergency without both on-call people",
    policy_quote=(
        "A resource from the ministry affected by the emergency, as well as someone from the "
        "Executive Council Digital Team is required to help monitor and respond to comments "
        "after hours."
    ),
    remedy=(
        "Name the on-call person from the affected ministry and the one from the Executive "
        "Council digital team on the emergency (Tools ▸ Emergency records, or the banner's "
        "“On call and updates”: they can be named and changed while it runs)."
    ),
)
def emergency_no_on_call(
    facts: ComplianceFacts, settings: PolicySettings, as_of: datetime
) -> Iterator[Violation]:
    for e in facts.emergencies:
        if e.declared_at > as_of or (e.ended_at is not None and e.ended_at <= as_of):
            continue
        missing = [
            who
            for who, name in (
                ("the affected ministry", e.on_call_ministry),
                ("the Executive Council digital team", e.on_call_council),
            )
            if not name.strip()
        ]
        if missing:
            yield Violation(
                e.subject,
                f"The emergency \u201c{e.title}\u201d, declared "
                f"{local_text(e.declared_at, settings)}, has no on-call person named from "
                f"{join_names(missing)}.",
                since=e.declared_at,
            )
