"""Generate a report: check who asks, resolve what they asked for, read the numbers in one
read transaction, lay out the pages, and only then put the file where it was asked for.

The GUI calls ``generate_report`` from a worker thread with a progress callback and a
cancellation test; the CLI calls it without either.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from desktop.errors import DomainError
from desktop.policy.findings import Finding
from desktop.policy.settings import PolicySettings
from desktop.policy.sla import BusinessCalendar
from desktop.reports.data.approvals_data import approvals_data
from desktop.reports.data.comment_stats import official_handles
from desktop.reports.data.common import (
    ReportPeriod,
    Scope,
    local_day,
    resolve_period,
    resolve_scope,
)
from desktop.reports.data.evaluation_data import evaluation_data
from desktop.reports.data.findings_data import in_scope, run_checks, scope_subjects
from desktop.reports.data.permissions_data import permissions_data
from desktop.reports.data.portfolio_data import portfolio_data
from desktop.reports.data.sla_data import sla_data
from desktop.reports.masking import mask_findings
from desktop.reports.render.base import BaseReportRenderer, ReportHeader
from desktop.reports.spec import ReportCancelled, ReportKind, ReportResult, ReportSpec
from desktop.services.authz import Permission, require
from desktop.services.checkpoints import latest_checkpoint
from desktop.services.clock import sla_policy
from desktop.services.context import ServiceContext, load_settings, resolve_actor

Progress = Callable[[int, int, str], None]
IsCancelled = Callable[[], bool]
MakeRenderer = Callable[[ReportHeader, "tuple[Finding, ...] | None"], BaseReportRenderer]

# Reports that list compliance findings.
WITH_FINDINGS = frozenset({ReportKind.EVALUATION, ReportKind.PORTFOLIO})
_STEPS = 5


class ReportService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def generate(
        self,
        spec: ReportSpec,
        path: Path | str,
        progress: Progress | None = None,
        cancelled: IsCancelled | None = None,
    ) -> ReportResult:
        """Write the report to ``path`` (replacing it); raises ReportCancelled when cancelled.

        Needs the right to read everything. A cancelled or failed run leaves no file behind.
        """
        target = _target(Path(path))
        as_of = spec.as_of or self.ctx.now()
        if as_of.tzinfo is None or as_of.utcoffset() is None:
            raise DomainError("Give the report's as-of time with its time zone.", "as_of")

        def step(done: int, text: str) -> None:
            if cancelled is not None and cancelled():
                raise ReportCancelled
            if progress is not None:
                progress(done, _STEPS, text)

        step(0, "Checking the request")
        with self.ctx.read() as session:
            actor = resolve_actor(session, self.ctx.login)
            require(actor.roles, Permission.READ_ALL)
            settings = load_settings(session)
            calendar = sla_policy(session).calendar
            today = local_day(as_of, settings.timezone)
            scope = _scope(session, spec)
            period = resolve_period(
                spec.period,
                spec.start,
                spec.end,
                required=spec.kind.needs_period,
                as_of_day=today,
                default_current_half=spec.kind.defaults_to_current_half,
            )
            if spec.kind is ReportKind.EVALUATION and (period is None or period.half_year is None):
                raise DomainError(
                    "The account evaluation covers one half-year; give the period, e.g. "
                    f"{today.year}H1.",
                    "period",
                )
            subjects = scope_subjects(session, scope) if spec.kind in WITH_FINDINGS else None
            official = official_handles(session)
            checkpoint = latest_checkpoint(session)
            step(1, "Reading the data")
            make = _prepare(session, spec, scope, period, as_of, settings, calendar, cancelled)
        findings: tuple[Finding, ...] | None = None
        if spec.kind in WITH_FINDINGS:
            step(2, "Running the compliance checks")
            found = run_checks(self.ctx, as_of)
            findings = None if found is None else in_scope(found, subjects)
            if findings is not None and not spec.include_personal_info:
                findings = mask_findings(findings, official)
        step(3, "Laying out the pages")
        header = ReportHeader(
            title=spec.kind.label,
            scope=scope.label,
            period=_period_text(period, today),
            as_of=as_of,
            generated_at=self.ctx.now(),
            source=self.ctx.db.label if spec.name_server else self.ctx.db.name,
            author=actor.name,
            timezone=settings.timezone,
            checkpoint=checkpoint.line()
            if checkpoint
            else "No signed checkpoint of the audit log yet (smgov audit checkpoint)",
            personal_info=spec.include_personal_info if spec.kind.has_comments else None,
        )
        renderer = make(header, findings)
        partial = target.with_name(f".{target.name}.part")
        try:
            pages = renderer.render(partial, cancelled)
            step(4, "Saving the file")
            os.replace(partial, target)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise DomainError(
                f"The report could not be saved as {target} ({exc.strerror or exc}); close the "
                "file if another program has it open, or choose another place.",
                "path",
            ) from exc
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        if progress is not None:
            progress(_STEPS, _STEPS, f"Saved {target.name}")
        return ReportResult(target, header.title, pages)


def generate_report(
    ctx: ServiceContext,
    spec: ReportSpec,
    path: Path | str,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> ReportResult:
    """The one call the GUI and the CLI make (see ``ReportService.generate``)."""
    return ReportService(ctx).generate(spec, path, progress, cancelled)


def _period_text(period: ReportPeriod | None, today: date) -> str | None:
    """'2026H2', or '2026H2 (to 2026-11-18)' while the period is still running."""
    if period is None:
        return None
    return period.label if period.end <= today else f"{period.label} (to {today.isoformat()})"


def _scope(session: Session, spec: ReportSpec) -> Scope:
    if spec.kind.needs_account and not spec.account:
        raise DomainError(
            "The account evaluation is about one account: name the account.", "account"
        )
    if spec.kind.needs_account and spec.ministry:
        raise DomainError(
            "The account evaluation is about one account; leave the ministry out.", "ministry"
        )
    return resolve_scope(session, spec.account, spec.ministry)


def _target(path: Path) -> Path:
    path = path.expanduser()
    if path.suffix.lower() != ".pdf":
        raise DomainError(
            f"The report is a PDF: give a file name ending in .pdf ({path.name}).", "path"
        )
    if not path.parent.is_dir():
        raise DomainError(
            f"The folder {path.parent} does not exist; give a file in a folder that does.",
            "path",
        )
    if path.is_dir():
        raise DomainError(f"{path} is a folder; give a file name.", "path")
    return path.absolute()


def _prepare(
    session: Session,
    spec: ReportSpec,
    scope: Scope,
    period: ReportPeriod | None,
    as_of: datetime,
    settings: PolicySettings,
    calendar: BusinessCalendar,
    cancelled: IsCancelled | None,
) -> MakeRenderer:
    """Read the report's numbers now (inside the transaction); render them later."""
    from desktop.reports.render.approvals import ApprovalsRenderer
    from desktop.reports.render.evaluation import EvaluationRenderer
    from desktop.reports.render.permissions import PermissionsRenderer
    from desktop.reports.render.portfolio import PortfolioRenderer
    from desktop.reports.render.sla import SlaRenderer

    zone, kind, personal = settings.timezone, spec.kind, spec.include_personal_info
    if kind is ReportKind.PERMISSIONS:
        p = permissions_data(session, scope, period, as_of=as_of, settings=settings)
        return lambda header, _: PermissionsRenderer(header, p)
    assert period is not None  # every other report needs one (resolve_period saw to it)
    if kind is ReportKind.EVALUATION:
        assert scope.account is not None
        e = evaluation_data(
            session,
            scope.account,
            period,
            as_of=as_of,
            settings=settings,
            calendar=calendar,
            cancelled=cancelled,
        )
        return lambda header, findings: EvaluationRenderer(header, e, findings, personal)
    if kind is ReportKind.PORTFOLIO:
        f = portfolio_data(session, scope, period, as_of=as_of, settings=settings)
        return lambda header, findings: PortfolioRenderer(header, f, findings)
    if kind is ReportKind.SLA:
        s = sla_data(
            session,
            scope,
            period,
            as_of=as_of,
            settings=settings,
            calendar=calendar,
            cancelled=cancelled,
        )
        return lambda header, _: SlaRenderer(header, s, personal)
    a = approvals_data(session, scope, period, as_of=as_of, timezone=zone)
    return lambda header, _: ApprovalsRenderer(header, a)
