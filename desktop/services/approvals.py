"""Use cases of the approval tracker: raise requests, sign their steps, apply what they decide.

The rules live in ``desktop.policy.workflows``; this module maps rows to its snapshots and back.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from desktop.enums import (
    AccountStatus,
    AppRole,
    ApprovalKind,
    ApprovalState,
    GoalStatus,
    StepState,
)
from desktop.errors import ConflictError, DomainError, NotFound, PermissionDenied
from desktop.models import Account, Approval, ApprovalStep, Campaign, Goal, Ministry, Person
from desktop.models.base import new_id
from desktop.policy import workflows as wf
from desktop.policy.workflows import Action, ApprovalSnapshot, Step
from desktop.services import validation as v
from desktop.services.accounts import TRANSITIONS
from desktop.services.authz import Permission
from desktop.services.campaigns import local_date
from desktop.services.context import ServiceContext, Work
from desktop.services.serialize import snapshot

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
    submitted_at: datetime | None
    decided_at: datetime | None
    on_approved: str
    version: int
    steps: tuple[StepRow, ...]


class ApprovalService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- requests ------------------------------------------------------------------------

    def request_new_account(self, account_id: uuid.UUID, business_case: str) -> Approval:
        with self.ctx.write() as work:
            account = work.get(Account, account_id, "Account")
            work.require(Permission.PROPOSE_ACCOUNT, ministry_id=account.ministry_id)
            if account.status != AccountStatus.PROPOSED:
                raise DomainError(
                    f"{account.label} is {_words(account.status)}; only a proposed account "
                    "needs a new-account approval."
                )
            text = v.text(business_case, "Business case", field="business_case", max_len=8000)
            _refuse_open(work, ApprovalKind.NEW_ACCOUNT, account.label, account_id=account.id)
            title = f"New account: {account.label}"
            return _new(work, ApprovalKind.NEW_ACCOUNT, title, text, account_id=account.id)

    def request_campaign_content(self, campaign_id: uuid.UUID, content_summary: str) -> Approval:
        with self.ctx.write() as work:
            campaign = work.get(Campaign, campaign_id, "Campaign")
            work.require(Permission.SUBMIT_CAMPAIGN, ministry_id=campaign.ministry_id)
            text = v.text(content_summary, "Content summary", field="content_summary", max_len=8000)
            if campaign.ends_on < local_date(work.at, work.settings):
                raise DomainError(
                    f"The campaign {campaign.name} ended on {campaign.ends_on.isoformat()}; "
                    "its content can no longer be approved."
                )
            title = f"Campaign content: {campaign.name}"
            return _new(work, ApprovalKind.CAMPAIGN_CONTENT, title, text, campaign_id=campaign.id)

    def request_goals_review(self, account_id: uuid.UUID) -> Approval:
        with self.ctx.write() as work:
            account = work.get(Account, account_id, "Account")
            work.require(Permission.DRAFT_RECORDS, ministry_id=account.ministry_id)
            _refuse_open(work, ApprovalKind.ANNUAL_GOALS, account.label, account_id=account.id)
            approval = _new(
                work, ApprovalKind.ANNUAL_GOALS, f"Annual goals: {account.label}", "",
                account_id=account.id, audit=False,
            )  # fmt: skip
            goals = _move_goals(work, approval, GoalStatus.DRAFT, GoalStatus.IN_REVIEW)
            if not goals:
                raise DomainError(
                    f"{account.label} has no draft goals to send for review; draft them first."
                )
            after = _approval_snapshot(approval) | {"goals": goals}
            work.audit("approval.request", "approval", approval.id, after=after)
            return approval

    def request_termination(self, account_id: uuid.UUID, reason: str) -> Approval:
        with self.ctx.write() as work:
            account = work.get(Account, account_id, "Account")
            work.require(Permission.REQUEST_TERMINATION, ministry_id=account.ministry_id)
            if AccountStatus.TERMINATED not in TRANSITIONS[account.status]:
                raise DomainError(
                    f"{account.label} is {_words(account.status)}; only an active or suspended "
                    "account can be terminated."
                )
            text = v.text(reason, "Reason", field="reason", max_len=8000)
            kind = ApprovalKind.ACCOUNT_TERMINATION
            _refuse_open(work, kind, account.label, account_id=account.id)
            return _new(work, kind, f"Terminate: {account.label}", text, account_id=account.id)

    # -- decisions -------------------------------------------------------------------------

    def submit(self, approval_id: uuid.UUID, *, version: int | None = None) -> Approval:
        return self._act(approval_id, Action.SUBMIT, "", None, version)

    def approve(
        self,
        approval_id: uuid.UUID,
        comment: str = "",
        step_index: int | None = None,
        *,
        version: int | None = None,
    ) -> Approval:
        return self._act(approval_id, Action.APPROVE, comment, step_index, version)

    def reject(
        self,
        approval_id: uuid.UUID,
        comment: str,
        step_index: int | None = None,
        *,
        version: int | None = None,
    ) -> Approval:
        return self._act(approval_id, Action.REJECT, comment, step_index, version)

    def request_changes(
        self,
        approval_id: uuid.UUID,
        comment: str,
        step_index: int | None = None,
        *,
        version: int | None = None,
    ) -> Approval:
        return self._act(approval_id, Action.REQUEST_CHANGES, comment, step_index, version)

    def resubmit(
        self,
        approval_id: uuid.UUID,
        comment: str = "",
        *,
        business_case: str | None = None,
        version: int | None = None,
    ) -> Approval:
        """Send back after changes; ``business_case`` replaces the request's text if given."""
        return self._act(approval_id, Action.RESUBMIT, comment, None, version, business_case)

    def withdraw(
        self, approval_id: uuid.UUID, comment: str = "", *, version: int | None = None
    ) -> Approval:
        return self._act(approval_id, Action.WITHDRAW, comment, None, version)

    def _act(
        self,
        approval_id: uuid.UUID,
        action: Action,
        comment: str,
        step_index: int | None,
        version: int | None,
        business_case: str | None = None,
    ) -> Approval:
        comment = v.text(comment, "Comment", field="comment", required=False, max_len=4000)
        with self.ctx.write() as work:
            approval = work.get(Approval, approval_id, "Approval request")
            if version is not None and approval.version != version:
                raise ConflictError(
                    "Someone else acted on this request after you opened it. "
                    "Reload it and decide again."
                )
            actor = _person_id(work)
            before = _to_snapshot(approval)
            held = work.actor.roles
            roles = _roles_for(work.session, approval, held, work.actor.ministry_id)
            denial = _ministry_denial(work.session, approval, before, action, actor, held, roles)
            if denial:
                raise PermissionDenied(denial)
            after = wf.apply(before, action, actor, roles, work.at, comment, step_index)
            if business_case is not None:
                approval.business_case = v.text(
                    business_case, "Business case", field="business_case", max_len=8000
                )
            _write_back(approval, after)
            if action is Action.SUBMIT:
                approval.submitted_at = work.at
            if after.state in (ApprovalState.APPROVED, *_CLOSED_BY_NO):
                approval.decided_at = work.at
            # Signing a middle step changes only a step row; the request's version must move too.
            approval.updated_at = work.at
            flag_modified(approval, "updated_at")
            signed = [
                s.label
                for old, s in zip(before.steps, after.steps, strict=False)
                if old.state is StepState.PENDING and s.decided_by == actor
            ]
            record: dict[str, Any] = {"state": after.state.value, "comment": comment}
            if signed:
                record["step"] = signed[0]
            record |= _consequences(work, approval, action, after.state)
            work.audit(
                f"approval.{action.value}",
                "approval",
                approval.id,
                {"state": before.state.value},
                record,
            )
            return approval

    # -- reading ---------------------------------------------------------------------------

    def tracker(
        self, as_of: datetime, waiting_for: str | None = None, include_closed: bool = False
    ) -> list[TrackerRow]:
        """The approvals list: open requests (or all), optionally only those awaiting a login.

        ``waiting_for`` keeps the requests that person may sign now, and their own drafts and
        requests sent back for changes.
        """
        where = [] if include_closed else [Approval.state.in_(OPEN)]
        with self.ctx.read() as session:
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
                    subject_label=_subject(h.platform, h.handle, h.campaign_name),
                    submitter_name=h.submitter_name,
                    state=h.state,
                    stage_label=_stage_label(snap, waiting),
                    waiting_on=tuple(dict.fromkeys(s.role.label for s in waiting)),
                    age_days=(end - h.submitted_at).days if h.submitted_at and end else None,
                    version=h.version,
                )
            )
        return rows

    def detail(self, approval_id: uuid.UUID) -> ApprovalDetail:
        with self.ctx.read() as session:
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
            subject_label=_subject(h.platform, h.handle, h.campaign_name),
            submitter_name=h.submitter_name,
            state=h.state,
            submitted_at=h.submitted_at,
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
            approval = session.get(Approval, approval_id)
            if approval is None:
                return "This request no longer exists."
            person = session.scalar(select(Person).where(Person.login == login))
            if person is None or not person.active:
                return f"Your login {login!r} is not registered as an active person."
            snap = _to_snapshot(approval)
            held = person.roles
            roles = _roles_for(session, approval, held, person.ministry_id)
            actor = str(person.id)
            return _ministry_denial(session, approval, snap, act, actor, held, roles) or (
                wf.blocked_reason(snap, act, actor, roles)
            )


_CLOSED_BY_NO = (ApprovalState.REJECTED, ApprovalState.WITHDRAWN)


def _words(value: StrEnum) -> str:
    return value.value.replace("_", " ")


def _person_id(work: Work) -> str:
    if work.actor.id is None:
        raise PermissionDenied("Approval requests are raised and signed by people, not the system.")
    return str(work.actor.id)


def _refuse_open(work: Work, kind: ApprovalKind, label: str, *, account_id: uuid.UUID) -> None:
    state = work.session.scalar(
        select(Approval.state).where(
            Approval.kind == kind, Approval.account_id == account_id, Approval.state.in_(OPEN)
        )
    )
    if state is not None:
        raise ConflictError(
            f"{label} already has an open request of this kind ({_words(state)}); "
            "follow that one instead."
        )


def _new(
    work: Work,
    kind: ApprovalKind,
    title: str,
    text: str,
    *,
    account_id: uuid.UUID | None = None,
    campaign_id: uuid.UUID | None = None,
    audit: bool = True,
) -> Approval:
    submitter = _person_id(work)
    approval = Approval(
        id=new_id(),
        kind=kind,
        state=ApprovalState.DRAFT,
        title=title[:300],
        business_case=text,
        account_id=account_id,
        campaign_id=campaign_id,
        submitter_id=uuid.UUID(submitter),
    )
    _write_back(approval, wf.new_draft(kind, submitter))
    work.session.add(approval)
    if audit:
        work.audit("approval.request", "approval", approval.id, after=_approval_snapshot(approval))
    return approval


def _approval_snapshot(approval: Approval) -> dict[str, Any]:
    return snapshot(approval) | {"steps": [s.label for s in approval.steps]}


def _to_step(row: ApprovalStep) -> Step:
    by = str(row.decided_by_id) if row.decided_by_id else None
    return Step(row.stage, row.role, row.label, row.state, by, row.decided_at, row.comment)


def _to_snapshot(approval: Approval) -> ApprovalSnapshot:
    steps = tuple(_to_step(s) for s in sorted(approval.steps, key=lambda s: s.position))
    return ApprovalSnapshot(approval.kind, approval.state, str(approval.submitter_id), steps)


def _write_back(approval: Approval, snap: ApprovalSnapshot) -> None:
    """Rows follow the snapshot position by position: the workflow only appends or drops
    trailing (escalation) steps, so a row keeps its identity across decisions."""
    rows = sorted(approval.steps, key=lambda s: s.position)
    for position, step in enumerate(snap.steps):
        if position == len(rows):
            rows.append(ApprovalStep(id=new_id(), position=position))
        values: dict[str, Any] = {
            "position": position,
            "stage": step.stage,
            "role": step.role,
            "label": step.label,
            "state": step.state,
            "decided_by_id": uuid.UUID(step.decided_by) if step.decided_by else None,
            "decided_at": step.decided_at,
            "comment": step.comment,
        }
        row = rows[position]
        for key, value in values.items():
            if getattr(row, key, None) != value:  # untouched rows keep their version
                setattr(row, key, value)
    approval.steps = rows[: len(snap.steps)]
    if approval.state != snap.state:
        approval.state = snap.state


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


def _roles_for(
    session: Session, approval: Approval, roles: frozenset[AppRole], own: uuid.UUID | None
) -> frozenset[AppRole]:
    return _effective_roles(roles, own, _subject_ministry(session, approval))


def _ministry_denial(
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


def _consequences(
    work: Work, approval: Approval, action: Action, state: ApprovalState
) -> dict[str, Any]:
    """Apply what the decision means for the records it governs; returns it for the audit."""
    kind = approval.kind
    if kind == ApprovalKind.ANNUAL_GOALS:
        if state == ApprovalState.APPROVED:
            return {"goals_final": _move_goals(work, approval, GoalStatus.IN_REVIEW, None)}
        if state in (*_CLOSED_BY_NO, ApprovalState.CHANGES_REQUESTED):
            # Back to draft so they can be edited (or re-requested after a refusal).
            return {
                "goals_draft": _move_goals(work, approval, GoalStatus.IN_REVIEW, GoalStatus.DRAFT)
            }
        if action is Action.RESUBMIT:
            goals = _move_goals(work, approval, GoalStatus.DRAFT, GoalStatus.IN_REVIEW)
            if not goals:
                raise DomainError("The account has no draft goals to resubmit; draft them first.")
            return {"goals_in_review": goals}
        return {}
    if state != ApprovalState.APPROVED or kind == ApprovalKind.CAMPAIGN_CONTENT:
        return {}
    account = work.get(Account, approval.account_id, "Account")
    target = (
        AccountStatus.APPROVED if kind == ApprovalKind.NEW_ACCOUNT else AccountStatus.TERMINATED
    )
    if target not in TRANSITIONS[account.status]:
        raise DomainError(
            f"{account.label} is now {_words(account.status)} and cannot become "
            f"{_words(target)}; withdraw this request instead."
        )
    account.status = target
    account.status_changed_at = work.at
    if target == AccountStatus.TERMINATED:
        account.status_reason = approval.business_case
    return {"account_status": target.value}


def _move_goals(
    work: Work, approval: Approval, source: GoalStatus, target: GoalStatus | None
) -> list[str]:
    """Move goals between statuses in one UPDATE; ``target=None`` means final.

    Draft goals are the whole account's (they join the review); others are this request's.
    """
    which = (
        Goal.account_id == approval.account_id
        if source == GoalStatus.DRAFT
        else Goal.approval_id == approval.id
    )
    ids = list(work.session.scalars(select(Goal.id).where(which, Goal.status == source)))
    if ids:
        values: dict[str, Any] = {
            "status": target or GoalStatus.FINAL,
            "approval_id": approval.id,
            "version": Goal.version + 1,
            "updated_at": work.at,
        }
        if target is None:
            values["finalized_at"] = work.at
        work.session.execute(
            update(Goal)
            .where(Goal.id.in_(ids))
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    return sorted(str(i) for i in ids)


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
            Approval.decided_at,
            Approval.version,
            Account.platform,
            Account.handle,
            Campaign.name.label("campaign_name"),
            func.coalesce(Account.ministry_id, Campaign.ministry_id).label("ministry_id"),
        )
        .join(Person, Person.id == Approval.submitter_id)
        .outerjoin(Account, Account.id == Approval.account_id)
        .outerjoin(Campaign, Campaign.id == Approval.campaign_id)
    )


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


def _subject(platform: Any, handle: str | None, campaign_name: str | None) -> str:
    if platform is not None:
        return f"{platform.label} @{handle}"
    return f"Campaign {campaign_name}" if campaign_name else ""


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
