"""Use cases of the approval tracker: raise requests, sign their steps, apply what they decide.

The rules live in ``desktop.policy.workflows``; this module writes its snapshots back to rows.
Reading (the tracker, a request's detail, why not) lives in ``desktop.services.approval_tracker``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import flag_modified

from desktop.enums import AccountStatus, ApprovalKind, ApprovalState, GoalStatus, StepState
from desktop.errors import ConflictError, DomainError, PermissionDenied
from desktop.models import Account, Approval, ApprovalStep, Campaign, Goal
from desktop.models.base import new_id
from desktop.policy import workflows as wf
from desktop.policy.workflows import Action, ApprovalSnapshot
from desktop.services import validation as v
from desktop.services.accounts import TRANSITIONS
from desktop.services.approval_tracker import (
    OPEN,
    ApprovalDetail,
    ApprovalTracker,
    TrackerRow,
    ministry_denial,
    roles_for,
    to_snapshot,
)
from desktop.services.approvals_flow.gates import has_approved
from desktop.services.authz import Permission
from desktop.services.campaigns import local_date
from desktop.services.context import ServiceContext, Work
from desktop.services.serialize import snapshot


class ApprovalService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- requests ------------------------------------------------------------------------

    def request_new_account(self, account_id: uuid.UUID, business_case: str) -> Approval:
        with self.ctx.write() as work:
            account = work.get(Account, account_id, "Account")
            work.require(Permission.PROPOSE_ACCOUNT, ministry_id=account.ministry_id)
            if account.status not in NEEDS_NEW_ACCOUNT_APPROVAL:
                raise DomainError(
                    f"{account.label} is {_words(account.status)}; only a proposed account, or "
                    "one registered without its approval, needs a new-account approval."
                )
            if account.status != AccountStatus.PROPOSED and has_approved(
                work.session, ApprovalKind.NEW_ACCOUNT, account.id
            ):
                raise DomainError(f"{account.label} already has an approved new-account request.")
            text = v.text(business_case, "Business case", field="business_case", max_len=8000)
            refuse_open(work, ApprovalKind.NEW_ACCOUNT, account.label, account_id=account.id)
            title = f"New account: {account.label}"
            return new_request(work, ApprovalKind.NEW_ACCOUNT, title, text, account_id=account.id)

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
            return new_request(
                work, ApprovalKind.CAMPAIGN_CONTENT, title, text, campaign_id=campaign.id
            )

    def request_goals_review(self, account_id: uuid.UUID) -> Approval:
        with self.ctx.write() as work:
            account = work.get(Account, account_id, "Account")
            work.require(Permission.DRAFT_RECORDS, ministry_id=account.ministry_id)
            refuse_open(work, ApprovalKind.ANNUAL_GOALS, account.label, account_id=account.id)
            approval = new_request(
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
            refuse_open(work, kind, account.label, account_id=account.id)
            return new_request(
                work, kind, f"Terminate: {account.label}", text, account_id=account.id
            )

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
            before = to_snapshot(approval)
            held = work.actor.roles
            roles = roles_for(work.session, approval, held, work.actor.ministry_id)
            denial = ministry_denial(work.session, approval, before, action, actor, held, roles)
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
            elif action is Action.RESUBMIT:
                # The first submission stays for history; stalls count from this one.
                approval.resubmitted_at = work.at
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

    # -- reading (answered by ApprovalTracker) ---------------------------------------------

    def tracker(
        self, as_of: datetime, waiting_for: str | None = None, include_closed: bool = False
    ) -> list[TrackerRow]:
        return ApprovalTracker(self.ctx).tracker(as_of, waiting_for, include_closed)

    def detail(self, approval_id: uuid.UUID) -> ApprovalDetail:
        return ApprovalTracker(self.ctx).detail(approval_id)

    def why_not(self, approval_id: uuid.UUID, action: Action | str, login: str) -> str | None:
        """None if ``login`` may take ``action`` now, else the sentence saying why not."""
        return ApprovalTracker(self.ctx).why_not(approval_id, action, login)


_CLOSED_BY_NO = (ApprovalState.REJECTED, ApprovalState.WITHDRAWN)
_GOVERNS_STATUS = (ApprovalKind.NEW_ACCOUNT, ApprovalKind.ACCOUNT_TERMINATION)
# A new-account request is for a proposed account, or (catching up) for one that was registered
# while already on the platform and never approved.
NEEDS_NEW_ACCOUNT_APPROVAL = (
    AccountStatus.PROPOSED,
    AccountStatus.APPROVED,
    AccountStatus.ACTIVE,
    AccountStatus.SUSPENDED,
)


def _words(value: StrEnum) -> str:
    return value.value.replace("_", " ")


def _person_id(work: Work) -> str:
    if work.actor.id is None:
        raise PermissionDenied("Approval requests are raised and signed by people, not the system.")
    return str(work.actor.id)


def refuse_open(work: Work, kind: ApprovalKind, label: str, *, account_id: uuid.UUID) -> None:
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


def new_request(
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
    if state != ApprovalState.APPROVED or kind not in _GOVERNS_STATUS:
        return {}
    account = work.get(Account, approval.account_id, "Account")
    if kind == ApprovalKind.NEW_ACCOUNT and account.status != AccountStatus.PROPOSED:
        # An account registered before its approval: the approval catches up, status stays.
        return {"account_status": account.status.value, "approved_after_registration": True}
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
        work.touch(Goal, [(i,) for i in ids])
    return sorted(str(i) for i in ids)
