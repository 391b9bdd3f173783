"""The compliance dashboard's use cases: run the named checks, summarise them, the headline KPIs.

Read-only: one read transaction gathers the facts in SQL; the pure checks do the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from desktop.enums import AccountStatus, Severity
from desktop.errors import DomainError
from desktop.policy.checks import run_checks, select_checks
from desktop.policy.facts import ComplianceFacts
from desktop.policy.findings import Finding, FindingSummary, summarize
from desktop.services.authz import Permission, require
from desktop.services.compliance_facts import gather
from desktop.services.context import ServiceContext, load_settings, resolve_actor


@dataclass(frozen=True)
class ComplianceKpis:
    """The numbers at the top of the dashboard."""

    active_accounts: int
    overdue_comments: int  # open comments past their acknowledge or answer time
    evaluations_due: int  # active accounts whose half-yearly evaluation is overdue
    third_party_to_revoke: int  # third-party grants past campaign end + grace, or expired
    critical_findings: int


@dataclass(frozen=True)
class ComplianceOverview:
    """One run's findings with their summary and the KPIs, for the dashboard in one go."""

    as_of: datetime
    findings: list[Finding]
    summary: FindingSummary
    kpis: ComplianceKpis


class ComplianceService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def run(self, as_of: datetime, codes: Iterable[str] | None = None) -> list[Finding]:
        """The findings of the named checks (all by default) at ``as_of``, critical first."""
        return self._evaluate(as_of, codes)[1]

    def kpis(self, as_of: datetime) -> ComplianceKpis:
        facts, findings = self._evaluate(as_of, None)
        return _kpis(facts, findings)

    def overview(self, as_of: datetime) -> ComplianceOverview:
        facts, findings = self._evaluate(as_of, None)
        return ComplianceOverview(as_of, findings, summarize(findings), _kpis(facts, findings))

    @staticmethod
    def summary(findings: Iterable[Finding]) -> FindingSummary:
        """Counts per severity (all three, zero included) and per code."""
        return summarize(findings)

    def _evaluate(
        self, as_of: datetime, codes: Iterable[str] | None
    ) -> tuple[ComplianceFacts, list[Finding]]:
        if as_of.tzinfo is None or as_of.utcoffset() is None:
            raise DomainError("Give the time the checks run at with its time zone.", "as_of")
        code_list = None if codes is None else list(codes)
        select_checks(code_list)  # refuse an unknown code before touching the database
        with self.ctx.read() as session:
            actor = resolve_actor(session, self.ctx.login)
            require(actor.roles, Permission.READ_ALL)
            settings = load_settings(session)
            facts = gather(session, as_of, settings)
        return facts, run_checks(facts, settings, as_of, code_list)


def _kpis(facts: ComplianceFacts, findings: list[Finding]) -> ComplianceKpis:
    def count(code: str) -> int:
        return sum(1 for f in findings if f.code == code)

    return ComplianceKpis(
        active_accounts=sum(1 for a in facts.accounts if a.status is AccountStatus.ACTIVE),
        overdue_comments=sum(b.overdue for b in facts.comment_backlogs),
        evaluations_due=count("EVALUATION_OVERDUE"),
        third_party_to_revoke=count("THIRD_PARTY_ACCESS_NOT_REVOKED"),
        critical_findings=sum(1 for f in findings if f.severity is Severity.CRITICAL),
    )
