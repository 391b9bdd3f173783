"""Compliance findings for the reports: run the checks, keep those about the report's scope."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from desktop.models import (
    Account,
    AccountRole,
    Approval,
    Ban,
    Campaign,
    Comment,
    EmergencyAccount,
    EmergencyMinistry,
    Person,
    Strike,
)
from desktop.policy.findings import Finding, sort_findings
from desktop.reports.data.common import Scope
from desktop.services.context import ServiceContext

Subjects = frozenset[tuple[str, str]]


def run_checks(ctx: ServiceContext, as_of: datetime) -> tuple[Finding, ...] | None:
    """Every finding at ``as_of``; None while the compliance service is not installed."""
    try:
        from desktop.services.compliance import ComplianceService
    except ModuleNotFoundError as exc:
        if exc.name != "desktop.services.compliance":
            raise
        return None
    return tuple(ComplianceService(ctx).run(as_of))


def scope_subjects(session: Session, scope: Scope) -> Subjects | None:
    """The records a scoped report answers for, as (subject type, id); None for everything."""
    if scope.kind == "all":
        return None
    accounts = select(Account.id).where(scope.accounts(Account.id, Account.ministry_id))
    subjects: set[tuple[str, str]] = set()

    def add(kind: str, ids: Iterable[object]) -> None:
        subjects.update((kind, str(i)) for i in ids)

    add("account", session.scalars(accounts))
    add(
        "account_role",
        session.scalars(select(AccountRole.id).where(AccountRole.account_id.in_(accounts))),
    )
    campaigns = select(AccountRole.campaign_id).where(AccountRole.account_id.in_(accounts))
    if scope.ministry is not None:
        campaigns = select(Campaign.id).where(Campaign.ministry_id == scope.ministry.id)
        add(
            "person",
            session.scalars(select(Person.id).where(Person.ministry_id == scope.ministry.id)),
        )
    add("campaign", (c for c in session.scalars(campaigns) if c is not None))
    add(
        "approval",
        session.scalars(
            select(Approval.id).where(
                or_(Approval.account_id.in_(accounts), Approval.campaign_id.in_(campaigns))
            )
        ),
    )
    # Strikes are few next to comments: reach commenters through them, not the comment log.
    struck = (
        select(Strike.commenter_id)
        .join(Comment, Comment.id == Strike.comment_id)
        .where(Comment.account_id.in_(accounts))
    )
    add("commenter", session.scalars(struck.distinct()))
    add("ban", session.scalars(select(Ban.id).where(Ban.commenter_id.in_(struck))))
    add(
        "emergency",
        session.scalars(
            select(EmergencyAccount.emergency_id).where(EmergencyAccount.account_id.in_(accounts))
        ),
    )
    if scope.ministry is not None:
        add(
            "emergency",
            session.scalars(
                select(EmergencyMinistry.emergency_id).where(
                    EmergencyMinistry.ministry_id == scope.ministry.id
                )
            ),
        )
    return frozenset(subjects)


def in_scope(findings: Iterable[Finding], subjects: Subjects | None) -> tuple[Finding, ...]:
    """The findings about the scope's records, most severe first."""
    kept = (f for f in findings if subjects is None or (f.subject_type, f.subject_id) in subjects)
    return tuple(sort_findings(kept))
