"""Reading approval requests: the tracker list, one request's detail, and who may act on it now.

The write side (``desktop.services.approvals``) shares the rows-to-snapshot mapping and the
ministry rule for directors defined here.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from desktop.enums import AppRole, ApprovalKind, ApprovalState, StepState
from desktop.errors import NotFound
from desktop.models import (
    Account,
    Approval,
    ApprovalStep,
    Campaign,
    Ministry,
    Person,
    PersonalName,
)
from desktop.policy import workflows as wf
from desktop.policy.workflows import Action, ApprovalSnapshot, Step
from desktop.services.context import ServiceContext
from desktop.services.metrics import require_reader

OPEN = (ApprovalState.DRAFT, ApprovalState.SUBMITTED, ApprovalState.CHANGES_REQUESTED)
SIGNING = frozenset({Action.APPROVE, Action.REJECT, Action.REQUEST_CHANGES})


@dataclass(frozen=True)
class TrackerRow:
    id: uuid.UUID
    kind: ApprovalKind
    title: str
    subject_label: str
    submitter_name: str
    state: ApprovalState
    stage_label: str
    waiting_on: tuple[str, ...]  # role labels of the steps that may be signed now
    age_days: int | None  # since submitted: to as_of while open, to the decision once closed
    version: int
    account_id: uuid.UUID | None = None  # the account the request is about; None for a campaign
    # While open, days since the latest (re)submission: what "stalled" counts from.
    waiting_days: int | None = None


@dataclass(frozen=True)
class StepRow:
    stage: int
    label: str
    role: AppRole
    state: StepState
    decided_by_name: str | None
    decided_at: datetime | None
    comment: str


@dataclass(frozen=True)
class ApprovalDetail:
    id: uuid.UUID
    kind: ApprovalKind
    title: str
    business_case: str
    subject_label: str
    submitter_name: str
    state: ApprovalState
    submitted_at: datetime | None  # the first submission
    decided_at: datetime | None
    on_approved: str
    version: int
    steps: tuple[StepRow, ...]
    resubmitted_at: datetime | None = None  # the latest resubmission after changes


class ApprovalTracker:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def tracker(
        self, as_of: datetime, waiting_for: str | None = None, include_closed: bool = False
    ) -> list[TrackerRow]:
        """The approvals list: open requests (or all), optionally only those awaiting a login.

        ``waiting_for`` keeps the requests that person may sign now, and their own drafts and
        requests sent back for changes.
        """
        where = [] if include_closed else [Approval.state.in_(OPEN)]
        with self.ctx.read() as session:
            require_reader(self.ctx, session)
            person = None
            if waiting_for is not None:
                person = session.scalar(select(Person).where(Person.login == waiting_for))
                if person is None or not person.active:
                    return []
            heads = session.execute(
                _head_query().where(*where).order_by(Approval.created_at, Approval.id)
            ).all()
            steps: dict[uuid.UUID, list[Step]] = {}
            for r in session.execute(_steps_query().where(*where)):
                by = str(r.decided_by_id) if r.decided_by_id else None
                step = Step(r.stage, r.role, r.label, r.state, by, r.decided_at, r.comment)
                steps.setdefault(r.approval_id, []).append(step)
        rows = []
        for h in heads:
            snap = ApprovalSnapshot(
                h.kind, h.state, str(h.submitter_id), tuple(steps.get(h.id, ()))
            )
            if person is not None and not _awaits(snap, person, h.ministry_id):
                continue
            waiting = wf.waiting_on(snap)
            end = h.decided_at if h.state not in OPEN else as_of
            rows.append(
                TrackerRow(
                    id=h.id,
                    kind=h.kind,
                    title=h.title,
                    subject_label=_subject(h),
                    submitter_name=h.submitter_name,
                    state=h.state,
                    stage_label=_stage_label(snap, waiting),
                    waiting_on=tuple(dict.fromkeys(s.role.label for s in waiting)),
                    age_days=(end - h.submitted_at).days if h.submitted_at and end else None,
                    version=h.version,
                    account_id=h.account_id,
                    waiting_days=(
                        (as_of - (h.resubmitted_at or h.submitted_at)).days
                        if h.submitted_at and h.state in OPEN
                        else None
                    ),
                )
            )
        return rows

    def detail(self, approval_id: uuid.UUID) -> ApprovalDetail:
        with self.ctx.read() as session:
            require_reader(self.ctx, session)
            query = _head_query().add_columns(Approval.business_case)
            h = session.execute(query.where(Approval.id == approval_id)).one_or_none()
            if h is None:
                raise NotFound(f"Approval request {approval_id} does not exist.")
            steps = session.execute(
                select(ApprovalStep, Person.name)
                .outerjoin(Person, Person.id == ApprovalStep.decided_by_id)
                .where(ApprovalStep.approval_id == approval_id)
                .order_by(ApprovalStep.position)
            ).all()
        return ApprovalDetail(
            id=h.id,
            kind=h.kind,
            title=h.title,
            business_case=h.business_case,
            subject_label=_subject(h),
            submitter_name=h.submitter_name,
            state=h.state,
            submitted_at=h.submitted_at,
            resubmitted_at=h.resubmitted_at,
            decided_at=h.decided_at,
            on_approved=wf.WORKFLOWS[h.kind].on_approved,
            version=h.version,
            steps=tuple(
                StepRow(s.stage, s.label, s.role, s.state, name, s.decided_at, s.comment)
                for s, name in steps
            ),
        )

    def why_not(self, approval_id: uuid.UUID, action: Action | str, login: str) -> str | None:
        """None if ``login`` may take ``action`` now, else the sentence saying why not."""
        act = Action(action)
        with self.ctx.read() as session:
            require_reader(self.ctx, session)
            approval = session.get(Approval, approval_id)
            if approval is None:
                return "This request no longer exists."
            person = session.scalar(select(Person).where(Person.login == login))
            if person is None or not person.active:
                return f"Your login {login!r} is not registered as an active person."
            snap = to_snapshot(approval)
            held = person.roles
            roles = roles_for(session, approval, held, person.ministry_id)
            actor = str(person.id)
            return ministry_denial(session, approval, snap, act, actor, held, roles) or (
                wf.blocked_reason(snap, act, actor, roles)
            )


# -- shared with the write side ------------------------------------------------------------


def to_snapshot(approval: Approval) -> ApprovalSnapshot:
    steps = tuple(_to_step(s) for s in sorted(approval.steps, key=lambda s: s.position))
    return ApprovalSnapshot(approval.kind, approval.state, str(approval.submitter_id), steps)


def roles_for(
    session: Session, approval: Approval, roles: frozenset[AppRole], own: uuid.UUID | None
) -> frozenset[AppRole]:
    return _effective_roles(roles, own, _subject_ministry(session, approval))


def ministry_denial(
    session: Session,
    approval: Approval,
    snap: ApprovalSnapshot,
    action: Action,
    actor: str,
    held: frozenset[AppRole],
    roles: frozenset[AppRole],
) -> str | None:
    """The sentence for a director of another ministry, whom the workflow alone would let sign."""
    if held == roles or action not in SIGNING:
        return None
    if wf.blocked_reason(snap, action, actor, roles) is None:
        return None
    if wf.blocked_reason(snap, action, actor, held) is not None:
        return None
    ministry = session.get(Ministry, _subject_ministry(session, approval))
    name = ministry.name if ministry else "the ministry concerned"
    return f"Only the Director of Communications of {name} can sign for {name}."


# -- helpers -------------------------------------------------------------------------------


def _to_step(row: ApprovalStep) -> Step:
    by = str(row.decided_by_id) if row.decided_by_id else None
    return Step(row.stage, row.role, row.label, row.state, by, row.decided_at, row.comment)


def _subject_ministry(session: Session, approval: Approval) -> uuid.UUID | None:
    if approval.account_id is not None:
        return session.scalar(select(Account.ministry_id).where(Account.id == approval.account_id))
    if approval.campaign_id is not None:
        return session.scalar(
            select(Campaign.ministry_id).where(Campaign.id == approval.campaign_id)
        )
    return None


def _effective_roles(
    roles: frozenset[AppRole], own: uuid.UUID | None, subject: uuid.UUID | None
) -> frozenset[AppRole]:
    # A Ministry Director of Communications speaks for their own ministry only.
    if subject is not None and own != subject:
        return roles - {AppRole.COMMS_DIRECTOR}
    return roles


def _head_query() -> Any:
    return (
        select(
            Approval.id,
            Approval.kind,
            Approval.title,
            Approval.state,
            Approval.submitter_id,
            Person.name.label("submitter_name"),
            Approval.submitted_at,
            Approval.resubmitted_at,
            Approval.decided_at,
            Approval.version,
            Approval.account_id,
            Account.platform,
            Account.handle,
            Campaign.name.label("campaign_name"),
            func.coalesce(Account.ministry_id, Campaign.ministry_id).label("ministry_id"),
            PersonalName.platform.label("name_platform"),
            PersonalName.handle.label("name_handle"),
            _NAMED.name.label("named_person"),
        )
        .join(Person, Person.id == Approval.submitter_id)
        .outerjoin(Account, Account.id == Approval.account_id)
        .outerjoin(Campaign, Campaign.id == Approval.campaign_id)
        .outerjoin(PersonalName, PersonalName.approval_id == Approval.id)
        .outerjoin(_NAMED, _NAMED.id == PersonalName.person_id)
    )


_NAMED = aliased(Person)  # the staff member a personal-name request is about


def _steps_query() -> Any:
    return (
        select(
            ApprovalStep.approval_id,
            ApprovalStep.stage,
            ApprovalStep.role,
            ApprovalStep.label,
            ApprovalStep.state,
            ApprovalStep.decided_by_id,
            ApprovalStep.decided_at,
            ApprovalStep.comment,
        )
        .join(Approval, Approval.id == ApprovalStep.approval_id)
        .order_by(ApprovalStep.approval_id, ApprovalStep.position)
    )


def _subject(row: Any) -> str:
    if row.platform is not None:
        return f"{row.platform.label} @{row.handle}"
    if row.name_platform is not None:
        return f"{row.named_person}: personal {row.name_platform.label} @{row.name_handle}"
    return f"Campaign {row.campaign_name}" if row.campaign_name else ""


def _awaits(snap: ApprovalSnapshot, person: Person, ministry: uuid.UUID | None) -> bool:
    me = str(person.id)
    if snap.state in (ApprovalState.DRAFT, ApprovalState.CHANGES_REQUESTED):
        return snap.submitter == me
    roles = _effective_roles(person.roles, person.ministry_id, ministry)
    return bool(wf.steps_for_actor(snap, me, roles))


def _stage_label(snap: ApprovalSnapshot, waiting: tuple[Step, ...]) -> str:
    if snap.state is ApprovalState.DRAFT:
        return "Draft, not submitted"
    if snap.state is ApprovalState.CHANGES_REQUESTED:
        return "Changes requested; waiting for the submitter to resubmit"
    if snap.state is not ApprovalState.SUBMITTED or not waiting:
        return snap.state.value.replace("_", " ").capitalize()
    total = max(s.stage for s in snap.steps)
    labels = "; ".join(s.label for s in waiting)
    return f"Stage {waiting[0].stage} of {total}: {labels}"
