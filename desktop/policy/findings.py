"""Findings of the compliance checks, and the registry of named checks that produce them.

A check module declares each rule with ``@check(...)``; importing ``desktop.policy.checks``
fills ``CHECKS``. A check yields ``Violation``s; the decorator turns them into ``Finding``s.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from desktop.enums import Severity
from desktop.policy.facts import ComplianceFacts, Subject
from desktop.policy.settings import PolicySettings

SEVERITY_ORDER = {Severity.CRITICAL: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    subject_type: str
    subject_id: str
    subject_label: str
    message: str
    remedy: str
    since: datetime | None

    def to_json(self) -> dict[str, str | None]:
        """Exactly the field names; the severity as its value, ``since`` in ISO 8601."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "subject_label": self.subject_label,
            "message": self.message,
            "remedy": self.remedy,
            "since": self.since.isoformat() if self.since is not None else None,
        }


@dataclass(frozen=True)
class Violation:
    """What a check function yields: the record, what is wrong, since when.

    ``remedy`` replaces the check's general remedy when the fix can be named exactly.
    """

    subject: Subject
    message: str
    since: datetime | None = None
    remedy: str | None = None


CheckFunc = Callable[[ComplianceFacts, PolicySettings, datetime], list[Finding]]
RawCheck = Callable[[ComplianceFacts, PolicySettings, datetime], Iterable[Violation]]


@dataclass(frozen=True)
class CheckSpec:
    code: str
    severity: Severity
    title: str
    policy_quote: str  # the sentence of the policy it enforces, verbatim
    remedy: str
    func: CheckFunc


CHECKS: dict[str, CheckSpec] = {}


def check(
    code: str, severity: Severity, *, title: str, policy_quote: str, remedy: str
) -> Callable[[RawCheck], CheckFunc]:
    """Register a pure check under a stable code; the decorated function returns Findings."""

    def register(raw: RawCheck) -> CheckFunc:
        if code in CHECKS:
            raise ValueError(f"A check with code {code} is already registered.")

        @functools.wraps(raw)
        def run(facts: ComplianceFacts, settings: PolicySettings, as_of: datetime) -> list[Finding]:
            return [
                Finding(
                    code=code,
                    severity=severity,
                    subject_type=v.subject.type,
                    subject_id=v.subject.id,
                    subject_label=v.subject.label,
                    message=v.message,
                    remedy=v.remedy or remedy,
                    since=v.since,
                )
                for v in raw(facts, settings, as_of)
            ]

        CHECKS[code] = CheckSpec(code, severity, title, policy_quote, remedy, run)
        return run

    return register


def sort_key(f: Finding) -> tuple[int, str, str, str]:
    return (SEVERITY_ORDER[f.severity], f.code, f.subject_label.lower(), f.subject_id)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Critical first, then by code and the record's label."""
    return sorted(findings, key=sort_key)


@dataclass(frozen=True)
class FindingSummary:
    total: int
    by_severity: dict[Severity, int]  # every severity, zero included
    by_code: dict[str, int]  # only codes that found something

    @property
    def has_critical(self) -> bool:
        return self.by_severity[Severity.CRITICAL] > 0

    @property
    def line(self) -> str:
        """'5 findings: 3 critical, 2 warning, 0 info'."""
        counts = ", ".join(f"{self.by_severity[s]} {s.value}" for s in SEVERITY_ORDER)
        noun = "finding" if self.total == 1 else "findings"
        return f"{self.total} {noun}: {counts}"


def summarize(findings: Iterable[Finding]) -> FindingSummary:
    items = list(findings)
    severities = Counter(f.severity for f in items)
    codes = Counter(f.code for f in items)
    return FindingSummary(
        total=len(items),
        by_severity={s: severities.get(s, 0) for s in SEVERITY_ORDER},
        by_code=dict(sorted(codes.items())),
    )
