"""Compliance findings for the reports: run the checks, keep those about the report's scope."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from desktop.enums import Severity
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
from desktop.policy.findings import CHECKS, Finding
from desktop.policy.risk import risk_key
from desktop.reports.data.common import Scope
from desktop.reports.masking import CITIZEN_SUBJECTS
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
    """The findings about the scope's records, most severe and riskiest first."""
    kept = (f for f in findings if subjects is None or (f.subject_type, f.subject_id) in subjects)
    return tuple(
        sorted(
            kept,
            key=lambda f: (*risk_key(f.code, f.severity), f.subject_label.lower(), f.subject_id),
        )
    )


@dataclass(frozen=True)
class CheckSummary:
    """One check's findings in a summary: how many, and the records behind them."""

    code: str
    severity: Severity
    title: str
    remedy: str  # the check's general remedy (each finding may name its own fix)
    records: tuple[str, ...]  # the records' labels, A to Z, each once
    count: int
    citizens: bool  # the records are members of the public


def by_check(findings: Sequence[Finding]) -> tuple[CheckSummary, ...]:
    """The findings grouped by check, most severe and riskiest check first."""
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(f.code, []).append(f)
    out = []
    for code, items in groups.items():
        spec = CHECKS.get(code)
        severity = items[0].severity
        out.append(
            CheckSummary(
                code=code,
                severity=severity,
                title=spec.title if spec is not None else code,
                remedy=spec.remedy if spec is not None else items[0].remedy,
                records=tuple(sorted({f.subject_label for f in items}, key=str.lower)),
                count=len(items),
                citizens=all(f.subject_type in CITIZEN_SUBJECTS for f in items),
            )
        )
    return tuple(sorted(out, key=lambda c: risk_key(c.code, c.severity)))
