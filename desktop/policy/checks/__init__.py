"""The named compliance checks, one module per area; importing this package registers them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from desktop.errors import DomainError
from desktop.policy.checks import accounts, approvals, comments, goals, moderation, permissions
from desktop.policy.facts import ComplianceFacts
from desktop.policy.findings import CHECKS, CheckSpec, Finding, sort_findings
from desktop.policy.settings import PolicySettings

__all__ = ["accounts", "approvals", "comments", "goals", "moderation", "permissions"]


def select_checks(codes: Iterable[str] | None = None) -> list[CheckSpec]:
    """The named checks (all when ``codes`` is None), refusing an unknown code."""
    if codes is None:
        return list(CHECKS.values())
    wanted = list(dict.fromkeys(c.strip().upper() for c in codes))
    unknown = [c for c in wanted if c not in CHECKS]
    if unknown:
        raise DomainError(
            f"There is no check called {', '.join(unknown)}; the checks are: "
            f"{', '.join(sorted(CHECKS))}.",
            "codes",
        )
    return [CHECKS[c] for c in wanted]


def run_checks(
    facts: ComplianceFacts,
    settings: PolicySettings,
    as_of: datetime,
    codes: Iterable[str] | None = None,
) -> list[Finding]:
    """Every selected check over the facts at ``as_of``, critical findings first."""
    if as_of.tzinfo is None or as_of.utcoffset() is None:
        raise ValueError("as_of must be timezone-aware.")
    return sort_findings(
        finding for spec in select_checks(codes) for finding in spec.func(facts, settings, as_of)
    )
