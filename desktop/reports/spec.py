"""What a person asks for when they generate a report, and what they get back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

from desktop.errors import Cancelled


class ReportKind(StrEnum):
    EVALUATION = "evaluation"
    PORTFOLIO = "portfolio"
    SLA = "sla"
    PERMISSIONS = "permissions"
    APPROVALS = "approvals"

    @property
    def label(self) -> str:
        """The report's name, as its title page and the Reports menu show it."""
        return _TITLES[self]

    @property
    def needs_account(self) -> bool:
        return self is ReportKind.EVALUATION

    @property
    def needs_period(self) -> bool:
        """Permissions are a snapshot at the as-of time; a period only adds the changes in it."""
        return self is not ReportKind.PERMISSIONS

    @property
    def defaults_to_current_half(self) -> bool:
        """Reports that cover the current half-year when no period is given."""
        return self in (ReportKind.PORTFOLIO, ReportKind.SLA, ReportKind.APPROVALS)

    @property
    def has_comments(self) -> bool:
        """Reports that quote citizens' comments or name commenters (and so mask them)."""
        return self in (ReportKind.EVALUATION, ReportKind.PORTFOLIO, ReportKind.SLA)


_TITLES = {
    ReportKind.EVALUATION: "Account evaluation",
    ReportKind.PORTFOLIO: "Portfolio summary",
    ReportKind.SLA: "Service-level compliance",
    ReportKind.PERMISSIONS: "Permission-matrix audit",
    ReportKind.APPROVALS: "Approvals status",
}


@dataclass(frozen=True)
class ReportSpec:
    """The choices of the report dialog or the command line, still as the person typed them.

    ``account`` is a handle (with or without @) or an account id; ``ministry`` a ministry code;
    the period is either ``period`` ("2026H1") or ``start`` and ``end`` (both inclusive).
    ``as_of`` defaults to now.
    """

    kind: ReportKind
    account: str | None = None
    ministry: str | None = None
    period: str | None = None
    start: date | None = None
    end: date | None = None
    as_of: datetime | None = None
    include_personal_info: bool = False
    # The "Source" line names the database's server too (never a password).
    name_server: bool = False


@dataclass(frozen=True)
class ReportResult:
    path: Path
    title: str
    pages: int


class ReportCancelled(Cancelled):
    """The person cancelled the report; no file is left behind."""
