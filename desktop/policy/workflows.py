"""The policy's approval workflows as data, and a pure state machine that signs their steps.

A request is an immutable ``ApprovalSnapshot``; ``apply`` returns the next snapshot or raises.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType

from desktop.enums import AppRole, ApprovalKind, ApprovalState, StepState
from desktop.errors import DomainError, PermissionDenied


class Action(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"
    REQUEST_CHANGES = "request_changes"
    RESUBMIT = "resubmit"
    WITHDRAW = "withdraw"


@dataclass(frozen=True)
class StepDef:
    role: AppRole
    label: str


@dataclass(frozen=True)
class WorkflowDef:
    """Stages are signed in order (1, 2, ...); the steps inside one stage in any order."""

    kind: ApprovalKind
    title: str
    stages: tuple[tuple[StepDef, ...], ...]
    # Appended as a new final stage when a step of the defined stages is rejected.
    escalation: StepDef | None
    on_approved: str


_DCI = "Director, Digital Channels and Insights"
# Third-party campaign content, and "currently the process used for content that does not get
# managed through third party advertising campaigns": all three sign.
_CONTENT_SIGNERS = (
    StepDef(AppRole.COMMS_DIRECTOR, "Ministry Director of Communications"),
    StepDef(AppRole.MINISTERS_OFFICE, "Minister's Office"),
    StepDef(AppRole.EXEC_COUNCIL, "Executive Council"),
)
_WORKFLOW_LIST = (
    WorkflowDef(
        ApprovalKind.NEW_ACCOUNT,
        "New social media account",
        (
            (StepDef(AppRole.DSO, "Digital Program alignment (DSO)"),),
            (StepDef(AppRole.EXEC_COUNCIL, "Senior Executive Council approval"),),
        ),
        None,
        "Digital Strategy and Operations may now create the account and assign permissions.",
    ),
    WorkflowDef(
        ApprovalKind.CAMPAIGN_CONTENT,
        "Third-party campaign content",
        (_CONTENT_SIGNERS,),
        None,
        "The campaign content and its timeline are approved for publication.",
    ),
    WorkflowDef(
        ApprovalKind.OFFICIAL_CONTENT,
        "Official content (posts and in-house campaigns)",
        (_CONTENT_SIGNERS,),
        None,
        "The content is approved for publication on the account.",
    ),
    WorkflowDef(
        ApprovalKind.PERSONAL_NAME,
        "Personal name with the Government's name",
        (
            (
                StepDef(AppRole.EXEC_COUNCIL, "Executive Council"),
                StepDef(AppRole.DSO, "Digital Strategy and Operations"),
            ),
        ),
        None,
        "The staff member may use this personal name; it is kept in the register.",
    ),
    WorkflowDef(
        ApprovalKind.ANNUAL_GOALS,
        "Annual measurable goals and objectives",
        (
            (StepDef(AppRole.DCI_DIRECTOR, f"{_DCI} review"),),
            (StepDef(AppRole.EXEC_COUNCIL, "Executive Council review"),),
        ),
        None,
        "The goals and objectives are final.",
    ),
    WorkflowDef(
        ApprovalKind.ACCOUNT_TERMINATION,
        "Account termination",
        ((StepDef(AppRole.DCI_DIRECTOR, f"{_DCI} decision"),),),
        StepDef(AppRole.EXEC_COUNCIL, "Executive Council final decision (disagreement)"),
        "The account may be terminated.",
    ),
)
WORKFLOWS: Mapping[ApprovalKind, WorkflowDef] = MappingProxyType(
    {w.kind: w for w in _WORKFLOW_LIST}
)


@dataclass(frozen=True)
class Step:
    stage: int  # 1-based, as in WorkflowDef.stages
    role: AppRole
    label: str
    state: StepState = StepState.PENDING
    decided_by: str | None = None  # opaque person id
    decided_at: datetime | None = None
    comment: str = ""


@dataclass(frozen=True)
class ApprovalSnapshot:
    kind: ApprovalKind
    state: ApprovalState
    submitter: str  # opaque person id
    steps: tuple[Step, ...]


_FINAL = frozenset({ApprovalState.APPROVED, ApprovalState.REJECTED, ApprovalState.WITHDRAWN})
_STEP_RESULT = {
    Action.APPROVE: StepState.APPROVED,
    Action.REJECT: StepState.REJECTED,
    Action.REQUEST_CHANGES: StepState.CHANGES_REQUESTED,
}


def initial_steps(kind: ApprovalKind) -> tuple[Step, ...]:
    """Every step of the workflow's defined stages, pending (escalation is added on demand)."""
    return tuple(
        Step(stage=number, role=d.role, label=d.label)
        for number, stage in enumerate(WORKFLOWS[kind].stages, start=1)
        for d in stage
    )


def new_draft(kind: ApprovalKind, submitter: str) -> ApprovalSnapshot:
    """A request as its author first saves it, before submitting."""
    return ApprovalSnapshot(kind, ApprovalState.DRAFT, submitter, initial_steps(kind))


def current_stage(snap: ApprovalSnapshot) -> int | None:
    """The lowest stage with a pending step while the request is submitted, else None."""
    if snap.state is not ApprovalState.SUBMITTED:
        return None
    return min((s.stage for s in snap.steps if s.state is StepState.PENDING), default=None)


def waiting_on(snap: ApprovalSnapshot) -> tuple[Step, ...]:
    stage = current_stage(snap)
    return tuple(s for s in snap.steps if s.stage == stage and s.state is StepState.PENDING)


def steps_for_actor(
    snap: ApprovalSnapshot, actor: str, roles: frozenset[AppRole]
) -> tuple[int, ...]:
    """Indexes of the steps this person may sign now: never on their own request, and never
    once they signed another step of it (the policy's sign-offs are separate people)."""
    if actor == snap.submitter or signed_by(snap, actor) is not None:
        return ()
    stage = current_stage(snap)
    return tuple(
        i
        for i, s in enumerate(snap.steps)
        if s.stage == stage and s.state is StepState.PENDING and s.role in roles
    )


def signed_by(snap: ApprovalSnapshot, actor: str) -> Step | None:
    """The step ``actor`` already signed on this request (approved, refused or sent back)."""
    return next((s for s in snap.steps if s.decided_by == actor), None)


def blocked_reason(
    snap: ApprovalSnapshot,
    action: Action,
    actor: str,
    roles: frozenset[AppRole],
    step_index: int | None = None,
    comment: str | None = None,
) -> str | None:
    """None if ``apply`` would accept the action, else the sentence it would raise.

    ``comment=None`` skips the check for a reason (a GUI asks before the reason is typed).
    """
    try:
        _resolve(snap, action, actor, roles, step_index, comment)
    except (DomainError, PermissionDenied) as exc:
        return exc.message
    return None


def apply(
    snap: ApprovalSnapshot,
    action: Action,
    actor: str,
    roles: frozenset[AppRole],
    at: datetime,
    comment: str = "",
    step_index: int | None = None,
) -> ApprovalSnapshot:
    """The snapshot after the action; raises PermissionDenied or DomainError when blocked."""
    index = _resolve(snap, action, actor, roles, step_index, comment)
    if action is Action.SUBMIT:
        return replace(snap, state=ApprovalState.SUBMITTED)
    if action is Action.WITHDRAW:
        return replace(snap, state=ApprovalState.WITHDRAWN, steps=_skip_pending(snap.steps))
    if action is Action.RESUBMIT:
        return _resubmit(snap)

    assert index is not None  # _resolve always picks a step for a signing action
    step = snap.steps[index]
    signed = Step(
        step.stage, step.role, step.label, _STEP_RESULT[action], actor, at, comment.strip()
    )
    steps = (*snap.steps[:index], signed, *snap.steps[index + 1 :])
    if action is Action.APPROVE:
        done = all(s.state is not StepState.PENDING for s in steps)
        return replace(snap, state=ApprovalState.APPROVED if done else snap.state, steps=steps)
    if action is Action.REQUEST_CHANGES:
        return replace(snap, state=ApprovalState.CHANGES_REQUESTED, steps=steps)

    workflow = WORKFLOWS[snap.kind]
    if workflow.escalation is not None and step.stage <= len(workflow.stages):
        # A disagreement is not a refusal: the escalation body takes the final decision.
        extra = Step(len(workflow.stages) + 1, workflow.escalation.role, workflow.escalation.label)
        return replace(snap, steps=(*_skip_pending(steps), extra))
    return replace(snap, state=ApprovalState.REJECTED, steps=_skip_pending(steps))


def _resolve(
    snap: ApprovalSnapshot,
    action: Action,
    actor: str,
    roles: frozenset[AppRole],
    step_index: int | None,
    comment: str | None,
) -> int | None:
    """Raise what blocks the action; for a signing action return the step it signs."""
    if snap.state in _FINAL:
        raise DomainError(f"This request is {snap.state.value}; it can no longer be changed.")
    if action not in _STEP_RESULT:
        _check_submitter_action(snap, action, actor)
        return None
    if snap.state is ApprovalState.DRAFT:
        raise DomainError("This request is still a draft; it must be submitted before signing.")
    if snap.state is ApprovalState.CHANGES_REQUESTED:
        raise DomainError("Changes were requested; the submitter must resubmit before signing.")
    if actor == snap.submitter:
        raise PermissionDenied("You cannot sign your own request.")
    earlier = signed_by(snap, actor)
    if earlier is not None:
        raise PermissionDenied(
            f"You already signed \u201c{earlier.label}\u201d on this request; another person "
            "holding the role signs the next step (the policy's sign-offs are separate people)."
        )
    index = _pick_step(snap, actor, roles, step_index)
    if action is not Action.APPROVE and comment is not None and not comment.strip():
        what = "reject this request" if action is Action.REJECT else "request changes"
        raise DomainError(f"Give the reason in the comment to {what}.", field="comment")
    return index


def _check_submitter_action(snap: ApprovalSnapshot, action: Action, actor: str) -> None:
    if action is Action.SUBMIT and snap.state is not ApprovalState.DRAFT:
        if snap.state is ApprovalState.CHANGES_REQUESTED:
            raise DomainError("Changes were requested on this request; resubmit it instead.")
        raise DomainError("This request is already submitted.")
    if action is Action.RESUBMIT and snap.state is not ApprovalState.CHANGES_REQUESTED:
        if snap.state is ApprovalState.DRAFT:
            raise DomainError("This request is still a draft; submit it instead.")
        raise DomainError("No changes were requested; there is nothing to resubmit.")
    if actor != snap.submitter:
        who = "drafted" if action is Action.SUBMIT else "submitted"
        raise PermissionDenied(f"Only the person who {who} this request can {action.value} it.")


def _pick_step(
    snap: ApprovalSnapshot, actor: str, roles: frozenset[AppRole], step_index: int | None
) -> int:
    waiting = waiting_on(snap)
    if not waiting:
        raise DomainError("No step of this request is waiting for a signature.")
    if step_index is None:
        mine = steps_for_actor(snap, actor, roles)
        if len(mine) == 1:
            return mine[0]
        if mine:
            raise DomainError("You may sign more than one step here; choose which one.")
        labels = list(dict.fromkeys(s.role.label for s in waiting))  # unique, in step order
        needed = " or ".join([", ".join(labels[:-1]), labels[-1]] if labels[1:] else labels)
        what = "steps" if len(waiting) > 1 else "step"
        raise PermissionDenied(f"Only {needed} can sign the {what} waiting now.")
    if not 0 <= step_index < len(snap.steps):
        raise DomainError(f"This request has no step number {step_index + 1}.")
    step = snap.steps[step_index]
    if step.state is not StepState.PENDING:
        state = step.state.value.replace("_", " ")
        raise DomainError(f"The step \u201c{step.label}\u201d is already decided ({state}).")
    if step.stage != waiting[0].stage:
        raise DomainError(
            f"The step \u201c{step.label}\u201d comes later; "
            f"stage {waiting[0].stage} must be signed first."
        )
    if step.role not in roles:
        raise PermissionDenied(f"Only {step.role.label} can sign this step.")
    return step_index


def _skip_pending(steps: tuple[Step, ...]) -> tuple[Step, ...]:
    # Once a request is closed nobody is waited on any more; SKIPPED says so in the history.
    return tuple(
        replace(s, state=StepState.SKIPPED) if s.state is StepState.PENDING else s for s in steps
    )


def _resubmit(snap: ApprovalSnapshot) -> ApprovalSnapshot:
    """Reset the stage where changes were requested and every later one; keep earlier ones.

    An approval of the old text does not cover the new one, so that stage signs again; earlier
    stages passed their gate and stay, so a late change does not restart the whole chain.
    """
    defined = len(WORKFLOWS[snap.kind].stages)
    changed = min(
        (s.stage for s in snap.steps if s.state is StepState.CHANGES_REQUESTED), default=1
    )
    steps: list[Step] = []
    for s in snap.steps:
        if s.stage < changed:
            steps.append(s)
        elif s.stage > defined and changed <= defined:
            continue  # an escalation belongs to a disagreement that the reset undoes
        else:
            steps.append(Step(s.stage, s.role, s.label))
    return replace(snap, state=ApprovalState.SUBMITTED, steps=tuple(steps))
