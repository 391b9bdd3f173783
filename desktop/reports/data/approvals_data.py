"""The numbers of the approvals status report: open requests with their stage, whom they wait
on and their age; the signatures and final decisions of the period."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.orm import Session, aliased

from desktop.enums import ApprovalKind, ApprovalState, StepState
from desktop.models import Account, Approval, ApprovalStep, Campaign, Person
from desktop.policy import workflows as wf
from desktop.policy.workflows import ApprovalSnapshot, Step
from desktop.reports.data.common import ReportPeriod, Scope, local_day

OPEN = (ApprovalState.DRAFT, ApprovalState.SUBMITTED, ApprovalState.CHANGES_REQUESTED)
FINAL = (ApprovalState.APPROVED, ApprovalState.REJECTED, ApprovalState.WITHDRAWN)
SIGNED = (StepState.APPROVED, StepState.REJECTED, StepState.CHANGES_REQUESTED)
AGE_BUCKETS = ((7, "under a week"), (14, "1-2 weeks"), (30, "2-4 weeks"), (None, "over 4 weeks"))


@dataclass(frozen=True)
class OpenApproval:
    kind: ApprovalKind
    title: str
    subject_label: str
    submitter_name: str
    state: ApprovalState
    stage_label: str
    waiting_on: tuple[str, ...]  # role labels, or the submitter's name when it is back to them
    submitted_at: datetime | None
    age_days: int | None  # None while a draft


@dataclass(frozen=True)
class Signature:
    at: datetime
    kind: ApprovalKind
    title: str
    step_label: str
    by_name: str
    state: StepState
    comment: str


@dataclass(frozen=True)
class Outcome:
    kind: ApprovalKind
    title: str
    subject_label: str
    state: ApprovalState
    submitted_at: datetime | None
    decided_at: datetime

    @property
    def days(self) -> int | None:
        return (self.decided_at - self.submitted_at).days if self.submitted_at else None


@dataclass(frozen=True)
class ApprovalsData:
    scope: Scope
    period: ReportPeriod
    open: tuple[OpenApproval, ...]
    signatures: tuple[Signature, ...]
    outcomes: tuple[Outcome, ...]

    def open_by_kind(self) -> list[tuple[ApprovalKind, int]]:
        counts = Counter(a.kind for a in self.open)
        return [(k, counts[k]) for k in ApprovalKind]

    def open_by_age(self) -> list[tuple[str, int]]:
        counts = Counter(_age_bucket(a.age_days) for a in self.open if a.age_days is not None)
        return [(label, counts[label]) for _, label in AGE_BUCKETS]

    def outcome_counts(self) -> list[tuple[ApprovalState, int]]:
        counts = Counter(o.state for o in self.outcomes)
        return [(s, counts[s]) for s in FINAL]


def _age_bucket(days: int) -> str:
    return next(label for top, label in AGE_BUCKETS if top is None or days < top)


def _scope_filter(scope: Scope) -> ColumnElement[bool]:
    if scope.account is not None:
        return Approval.account_id == scope.account.id
    if scope.ministry is not None:
        return func.coalesce(Account.ministry_id, Campaign.ministry_id) == scope.ministry.id
    return true()


def _subject(platform: Any, handle: str | None, campaign: str | None) -> str:
    if platform is not None:
        return f"{platform.label} @{handle}"
    return f"Campaign {campaign}" if campaign else ""


def approvals_data(
    session: Session, scope: Scope, period: ReportPeriod, *, as_of: datetime, timezone: str
) -> ApprovalsData:
    submitter = aliased(Person)
    head = (
        select(
            Approval.id,
            Approval.kind,
            Approval.title,
            Approval.state,
            Approval.submitter_id,
            submitter.name.label("submitter_name"),
            Approval.submitted_at,
            Approval.decided_at,
            Account.platform,
            Account.handle,
            Campaign.name.label("campaign_name"),
        )
        .join(submitter, submitter.id == Approval.submitter_id)
        .outerjoin(Account, Account.id == Approval.account_id)
        .outerjoin(Campaign, Campaign.id == Approval.campaign_id)
        .where(_scope_filter(scope))
    )
    open_rows = session.execute(
        head.where(Approval.state.in_(OPEN)).order_by(Approval.created_at)
    ).all()
    # Oldest submission first, drafts (never submitted) last: the same on every database.
    open_rows = sorted(open_rows, key=lambda r: (r.submitted_at is None, r.submitted_at or as_of))
    steps: dict[uuid.UUID, list[Step]] = {}
    open_ids = [r.id for r in open_rows]
    for r in session.execute(
        select(
            ApprovalStep.approval_id,
            ApprovalStep.stage,
            ApprovalStep.role,
            ApprovalStep.label,
            ApprovalStep.state,
        )
        .where(ApprovalStep.approval_id.in_(open_ids))
        .order_by(ApprovalStep.approval_id, ApprovalStep.position)
    ):
        steps.setdefault(r.approval_id, []).append(Step(r.stage, r.role, r.label, r.state))
    today = local_day(as_of, timezone)
    opened = []
    for h in open_rows:
        snap = ApprovalSnapshot(h.kind, h.state, str(h.submitter_id), tuple(steps.get(h.id, ())))
        stage, waiting = _stage(snap, h.submitter_name)
        opened.append(
            OpenApproval(
                kind=h.kind,
                title=h.title,
                subject_label=_subject(h.platform, h.handle, h.campaign_name),
                submitter_name=h.submitter_name,
                state=h.state,
                stage_label=stage,
                waiting_on=waiting,
                submitted_at=h.submitted_at,
                age_days=(today - local_day(h.submitted_at, timezone)).days
                if h.submitted_at
                else None,
            )
        )

    lo, hi = period.bounds(timezone, as_of)
    outcomes = tuple(
        Outcome(
            h.kind,
            h.title,
            _subject(h.platform, h.handle, h.campaign_name),
            h.state,
            h.submitted_at,
            h.decided_at,
        )
        for h in session.execute(
            head.where(
                Approval.state.in_(FINAL), Approval.decided_at >= lo, Approval.decided_at < hi
            ).order_by(Approval.decided_at)
        )
    )
    signer = aliased(Person)
    signatures = tuple(
        Signature(r.decided_at, r.kind, r.title, r.label, r.name or "", r.state, r.comment)
        for r in session.execute(
            select(
                ApprovalStep.decided_at,
                Approval.kind,
                Approval.title,
                ApprovalStep.label,
                signer.name,
                ApprovalStep.state,
                ApprovalStep.comment,
            )
            .join(Approval, Approval.id == ApprovalStep.approval_id)
            .outerjoin(signer, signer.id == ApprovalStep.decided_by_id)
            .outerjoin(Account, Account.id == Approval.account_id)
            .outerjoin(Campaign, Campaign.id == Approval.campaign_id)
            .where(
                _scope_filter(scope),
                ApprovalStep.state.in_(SIGNED),
                ApprovalStep.decided_at >= lo,
                ApprovalStep.decided_at < hi,
            )
            .order_by(ApprovalStep.decided_at)
        )
    )
    return ApprovalsData(scope, period, tuple(opened), signatures, outcomes)


def _stage(snap: ApprovalSnapshot, submitter_name: str) -> tuple[str, tuple[str, ...]]:
    """What the request waits for, and on whom, in the tracker's words."""
    if snap.state is ApprovalState.DRAFT:
        return "Draft, not submitted", (submitter_name,)
    if snap.state is ApprovalState.CHANGES_REQUESTED:
        return "Changes requested; back with the submitter", (submitter_name,)
    waiting = wf.waiting_on(snap)
    if not waiting:
        return snap.state.value.replace("_", " ").capitalize(), ()
    total = max(s.stage for s in snap.steps)
    labels = "; ".join(s.label for s in waiting)
    roles = tuple(dict.fromkeys(s.role.label for s in waiting))
    return f"Stage {waiting[0].stage} of {total}: {labels}", roles
