"""Tests of the approval workflows: every transition, every refusal, and their messages."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from desktop.enums import AppRole, ApprovalKind, ApprovalState, StepState
from desktop.errors import DomainError, PermissionDenied
from desktop.policy.workflows import (
    WORKFLOWS,
    Action,
    ApprovalSnapshot,
    Step,
    apply,
    blocked_reason,
    current_stage,
    initial_steps,
    new_draft,
    steps_for_actor,
    waiting_on,
)

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
OFFICER = "p-officer"
R = AppRole


def roles(*r: AppRole) -> frozenset[AppRole]:
    return frozenset(r)


def submitted(kind: ApprovalKind) -> ApprovalSnapshot:
    return apply(new_draft(kind, OFFICER), Action.SUBMIT, OFFICER, roles(R.OFFICER), T0)


def sign(
    snap: ApprovalSnapshot,
    role: AppRole,
    action: Action = Action.APPROVE,
    comment: str = "",
    step_index: int | None = None,
) -> ApprovalSnapshot:
    actor = f"p-{role.value}"
    return apply(snap, action, actor, roles(role), T0, comment=comment, step_index=step_index)


# --- definitions -----------------------------------------------------------------------------


def test_every_kind_has_a_workflow() -> None:
    assert set(WORKFLOWS) == set(ApprovalKind)
    for kind, wf in WORKFLOWS.items():
        assert wf.kind is kind
        assert wf.title
        assert wf.on_approved


def test_initial_steps_follow_the_definitions() -> None:
    assert [(s.stage, s.role) for s in initial_steps(ApprovalKind.NEW_ACCOUNT)] == [
        (1, R.DSO),
        (2, R.EXEC_COUNCIL),
    ]
    campaign = initial_steps(ApprovalKind.CAMPAIGN_CONTENT)
    assert {s.role for s in campaign} == {R.COMMS_DIRECTOR, R.MINISTERS_OFFICE, R.EXEC_COUNCIL}
    assert {s.stage for s in campaign} == {1}
    assert [(s.stage, s.role) for s in initial_steps(ApprovalKind.ANNUAL_GOALS)] == [
        (1, R.DCI_DIRECTOR),
        (2, R.EXEC_COUNCIL),
    ]
    termination = initial_steps(ApprovalKind.ACCOUNT_TERMINATION)
    assert [(s.stage, s.role) for s in termination] == [(1, R.DCI_DIRECTOR)]
    assert all(s.state is StepState.PENDING and s.decided_by is None for s in termination)


def test_a_draft_waits_on_nobody() -> None:
    draft = new_draft(ApprovalKind.NEW_ACCOUNT, OFFICER)
    assert draft.state is ApprovalState.DRAFT
    assert current_stage(draft) is None
    assert waiting_on(draft) == ()
    assert steps_for_actor(draft, "p-dso", roles(R.DSO)) == ()


# --- transitions -----------------------------------------------------------------------------


def test_submit_moves_draft_to_submitted_waiting_on_stage_one() -> None:
    snap = submitted(ApprovalKind.NEW_ACCOUNT)
    assert snap.state is ApprovalState.SUBMITTED
    assert current_stage(snap) == 1
    assert [s.role for s in waiting_on(snap)] == [R.DSO]


def test_new_account_approved_after_both_stages() -> None:
    snap = sign(submitted(ApprovalKind.NEW_ACCOUNT), R.DSO, comment="Aligned.")
    assert snap.state is ApprovalState.SUBMITTED
    assert current_stage(snap) == 2
    assert snap.steps[0] == Step(
        1, R.DSO, snap.steps[0].label, StepState.APPROVED, "p-dso", T0, "Aligned."
    )
    snap = sign(snap, R.EXEC_COUNCIL)
    assert snap.state is ApprovalState.APPROVED
    assert snap.steps[1].decided_by == "p-exec_council"
    assert waiting_on(snap) == ()
    assert current_stage(snap) is None


def test_annual_goals_need_dci_then_executive_council() -> None:
    snap = submitted(ApprovalKind.ANNUAL_GOALS)
    assert [s.role for s in waiting_on(snap)] == [R.DCI_DIRECTOR]
    snap = sign(snap, R.DCI_DIRECTOR)
    assert [s.role for s in waiting_on(snap)] == [R.EXEC_COUNCIL]
    assert sign(snap, R.EXEC_COUNCIL).state is ApprovalState.APPROVED


def test_reject_closes_the_request_and_skips_the_rest() -> None:
    snap = sign(submitted(ApprovalKind.NEW_ACCOUNT), R.DSO, Action.REJECT, "Not aligned.")
    assert snap.state is ApprovalState.REJECTED
    assert snap.steps[0].state is StepState.REJECTED
    assert snap.steps[0].comment == "Not aligned."
    assert snap.steps[1].state is StepState.SKIPPED


def test_request_changes_then_resubmit() -> None:
    snap = sign(submitted(ApprovalKind.NEW_ACCOUNT), R.DSO, Action.REQUEST_CHANGES, "Add costs.")
    assert snap.state is ApprovalState.CHANGES_REQUESTED
    assert snap.steps[0].state is StepState.CHANGES_REQUESTED
    assert waiting_on(snap) == ()
    snap = apply(snap, Action.RESUBMIT, OFFICER, roles(), T0 + timedelta(days=1))
    assert snap.state is ApprovalState.SUBMITTED
    assert snap.steps == initial_steps(ApprovalKind.NEW_ACCOUNT)


def test_resubmit_keeps_earlier_stages_and_resets_current_and_later() -> None:
    snap = sign(submitted(ApprovalKind.NEW_ACCOUNT), R.DSO)
    snap = sign(snap, R.EXEC_COUNCIL, Action.REQUEST_CHANGES, "Clarify the audience.")
    snap = apply(snap, Action.RESUBMIT, OFFICER, roles(), T0)
    assert snap.steps[0].state is StepState.APPROVED
    assert snap.steps[0].decided_by == "p-dso"
    assert snap.steps[1] == initial_steps(ApprovalKind.NEW_ACCOUNT)[1]
    assert current_stage(snap) == 2


def test_resubmit_resets_parallel_approvals_of_the_same_stage() -> None:
    snap = sign(submitted(ApprovalKind.CAMPAIGN_CONTENT), R.COMMS_DIRECTOR)
    snap = sign(snap, R.MINISTERS_OFFICE, Action.REQUEST_CHANGES, "Change the timeline.")
    snap = apply(snap, Action.RESUBMIT, OFFICER, roles(), T0)
    assert all(s.state is StepState.PENDING for s in snap.steps)
    assert len(waiting_on(snap)) == 3


@pytest.mark.parametrize("state_path", ["draft", "submitted", "changes"])
def test_withdraw_by_submitter(state_path: str) -> None:
    snap = new_draft(ApprovalKind.ANNUAL_GOALS, OFFICER)
    if state_path != "draft":
        snap = apply(snap, Action.SUBMIT, OFFICER, roles(), T0)
    if state_path == "changes":
        snap = sign(snap, R.DCI_DIRECTOR, Action.REQUEST_CHANGES, "Targets too vague.")
    snap = apply(snap, Action.WITHDRAW, OFFICER, roles(), T0)
    assert snap.state is ApprovalState.WITHDRAWN
    assert StepState.PENDING not in {s.state for s in snap.steps}


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_campaign_content_in_any_order(order: tuple[int, ...]) -> None:
    snap = submitted(ApprovalKind.CAMPAIGN_CONTENT)
    for n, index in enumerate(order):
        assert snap.state is ApprovalState.SUBMITTED
        assert len(waiting_on(snap)) == 3 - n
        snap = sign(snap, snap.steps[index].role)
    assert snap.state is ApprovalState.APPROVED
    assert all(s.state is StepState.APPROVED for s in snap.steps)


def test_campaign_rejected_by_any_one_signer() -> None:
    snap = sign(submitted(ApprovalKind.CAMPAIGN_CONTENT), R.COMMS_DIRECTOR)
    snap = sign(snap, R.EXEC_COUNCIL, Action.REJECT, "Off message.")
    assert snap.state is ApprovalState.REJECTED
    assert [s.state for s in snap.steps] == [
        StepState.APPROVED,
        StepState.SKIPPED,
        StepState.REJECTED,
    ]


def test_one_person_with_two_roles_chooses_one_step_and_signs_only_that() -> None:
    snap = submitted(ApprovalKind.CAMPAIGN_CONTENT)
    both = roles(R.COMMS_DIRECTOR, R.MINISTERS_OFFICE)
    assert steps_for_actor(snap, "p-x", both) == (0, 1)
    with pytest.raises(DomainError, match="choose which one"):
        apply(snap, Action.APPROVE, "p-x", both, T0)
    snap = apply(snap, Action.APPROVE, "p-x", both, T0, step_index=1)
    assert snap.steps[1].state is StepState.APPROVED
    # The other sign-off is someone else's: the policy's signers are separate people.
    assert steps_for_actor(snap, "p-x", both) == ()
    with pytest.raises(PermissionDenied, match="already signed \u201cMinister's Office\u201d"):
        apply(snap, Action.APPROVE, "p-x", both, T0, step_index=0)
    assert blocked_reason(snap, Action.REJECT, "p-x", both, 0, "No.") is not None


@pytest.mark.parametrize(
    ("kind", "held"),
    [
        (ApprovalKind.CAMPAIGN_CONTENT, (R.COMMS_DIRECTOR, R.MINISTERS_OFFICE, R.EXEC_COUNCIL)),
        (ApprovalKind.NEW_ACCOUNT, (R.DSO, R.EXEC_COUNCIL)),
        (ApprovalKind.ANNUAL_GOALS, (R.DCI_DIRECTOR, R.EXEC_COUNCIL)),
    ],
)
def test_a_person_holding_every_role_cannot_approve_a_request_alone(
    kind: ApprovalKind, held: tuple[AppRole, ...]
) -> None:
    snap = submitted(kind)
    everything = roles(*held)
    snap = apply(snap, Action.APPROVE, "p-x", everything, T0, step_index=0)
    assert snap.state is ApprovalState.SUBMITTED
    assert steps_for_actor(snap, "p-x", everything) == ()
    with pytest.raises(PermissionDenied, match="already signed"):
        apply(snap, Action.APPROVE, "p-x", everything, T0)
    # A second person with one of the roles carries it on.
    for step in waiting_on(snap):
        assert steps_for_actor(snap, "p-y", roles(step.role))


def test_the_director_dci_who_disagreed_does_not_take_the_final_decision() -> None:
    both = roles(R.DCI_DIRECTOR, R.EXEC_COUNCIL)
    snap = submitted(ApprovalKind.ACCOUNT_TERMINATION)
    snap = apply(snap, Action.REJECT, "p-x", both, T0, "Keep it.")
    assert [s.role for s in waiting_on(snap)] == [R.EXEC_COUNCIL]
    assert steps_for_actor(snap, "p-x", both) == ()
    with pytest.raises(PermissionDenied, match="already signed"):
        apply(snap, Action.APPROVE, "p-x", both, T0)
    assert sign(snap, R.EXEC_COUNCIL).state is ApprovalState.APPROVED


# --- termination escalation ------------------------------------------------------------------


def test_termination_agreed_by_dci_is_approved() -> None:
    snap = sign(submitted(ApprovalKind.ACCOUNT_TERMINATION), R.DCI_DIRECTOR)
    assert snap.state is ApprovalState.APPROVED
    assert len(snap.steps) == 1


def _disagreement() -> ApprovalSnapshot:
    snap = submitted(ApprovalKind.ACCOUNT_TERMINATION)
    return sign(snap, R.DCI_DIRECTOR, Action.REJECT, "Engagement is recovering.")


def test_termination_disagreement_escalates_to_executive_council() -> None:
    snap = _disagreement()
    assert snap.state is ApprovalState.SUBMITTED
    assert snap.steps[0].state is StepState.REJECTED
    assert current_stage(snap) == 2
    (step,) = waiting_on(snap)
    assert step.role is R.EXEC_COUNCIL
    assert step.label == "Executive Council final decision (disagreement)"


@pytest.mark.parametrize(
    ("action", "final"),
    [(Action.APPROVE, ApprovalState.APPROVED), (Action.REJECT, ApprovalState.REJECTED)],
)
def test_executive_council_has_the_final_say(action: Action, final: ApprovalState) -> None:
    snap = sign(_disagreement(), R.EXEC_COUNCIL, action, "Decided.")
    assert snap.state is final
    assert len(snap.steps) == 2


def test_escalation_changes_requested_keeps_the_disagreement() -> None:
    snap = sign(_disagreement(), R.EXEC_COUNCIL, Action.REQUEST_CHANGES, "Send the metrics.")
    snap = apply(snap, Action.RESUBMIT, OFFICER, roles(), T0)
    assert [s.state for s in snap.steps] == [StepState.REJECTED, StepState.PENDING]
    assert [s.role for s in waiting_on(snap)] == [R.EXEC_COUNCIL]


def test_dci_cannot_sign_the_escalation() -> None:
    with pytest.raises(PermissionDenied, match="already signed"):
        sign(_disagreement(), R.DCI_DIRECTOR)  # the director who disagreed
    with pytest.raises(PermissionDenied, match="Only Executive Council can sign"):
        apply(_disagreement(), Action.APPROVE, "p-another-dci", roles(R.DCI_DIRECTOR), T0)


# --- refusals --------------------------------------------------------------------------------


def test_wrong_role_is_denied_naming_the_role() -> None:
    snap = submitted(ApprovalKind.NEW_ACCOUNT)
    with pytest.raises(PermissionDenied) as exc:
        apply(snap, Action.APPROVE, "p-x", roles(R.EXEC_COUNCIL), T0, step_index=0)
    assert str(exc.value) == "Only Digital Strategy and Operations can sign this step."
    with pytest.raises(PermissionDenied, match="Only Digital Strategy and Operations can sign"):
        apply(snap, Action.APPROVE, "p-x", roles(R.OFFICER), T0)


def test_admin_does_not_sign_without_the_step_role() -> None:
    snap = submitted(ApprovalKind.CAMPAIGN_CONTENT)
    with pytest.raises(PermissionDenied) as exc:
        apply(snap, Action.APPROVE, "p-admin", roles(R.ADMIN), T0)
    assert str(exc.value) == (
        "Only Ministry Director of Communications, Minister's Office or Executive Council "
        "can sign the steps waiting now."
    )
    assert steps_for_actor(snap, "p-admin", roles(R.ADMIN)) == ()
    snap = apply(snap, Action.APPROVE, "p-admin", roles(R.ADMIN, R.EXEC_COUNCIL), T0)
    assert snap.steps[2].state is StepState.APPROVED


def test_nobody_signs_their_own_request() -> None:
    snap = submitted(ApprovalKind.NEW_ACCOUNT)
    with pytest.raises(PermissionDenied) as exc:
        apply(snap, Action.APPROVE, OFFICER, roles(R.DSO), T0)
    assert str(exc.value) == "You cannot sign your own request."
    assert steps_for_actor(snap, OFFICER, roles(R.DSO)) == ()


def test_later_stage_step_cannot_be_signed_early() -> None:
    snap = submitted(ApprovalKind.NEW_ACCOUNT)
    with pytest.raises(DomainError, match="comes later; stage 1 must be signed first"):
        sign(snap, R.EXEC_COUNCIL, step_index=1)
    with pytest.raises(PermissionDenied, match="Only Digital Strategy and Operations"):
        sign(snap, R.EXEC_COUNCIL)


def test_decided_step_cannot_be_signed_again() -> None:
    snap = sign(submitted(ApprovalKind.CAMPAIGN_CONTENT), R.COMMS_DIRECTOR)
    director = roles(R.COMMS_DIRECTOR)
    with pytest.raises(DomainError, match="already decided"):
        apply(snap, Action.APPROVE, "p-another-director", director, T0, step_index=0)
    with pytest.raises(DomainError, match="no step number 9"):
        apply(snap, Action.APPROVE, "p-another-director", director, T0, step_index=8)


@pytest.mark.parametrize("action", [Action.REJECT, Action.REQUEST_CHANGES])
@pytest.mark.parametrize("comment", ["", "   "])
def test_reason_required_to_reject_or_request_changes(action: Action, comment: str) -> None:
    snap = submitted(ApprovalKind.NEW_ACCOUNT)
    with pytest.raises(DomainError, match="Give the reason in the comment") as exc:
        sign(snap, R.DSO, action, comment)
    assert exc.value.field == "comment"
    # Without a comment to judge, the GUI is told the action is open to this person.
    assert blocked_reason(snap, action, "p-dso", roles(R.DSO)) is None
    assert blocked_reason(snap, action, "p-dso", roles(R.DSO), comment=comment) is not None


@pytest.mark.parametrize("action", [Action.APPROVE, Action.REJECT, Action.REQUEST_CHANGES])
def test_signing_a_draft_is_refused(action: Action) -> None:
    draft = new_draft(ApprovalKind.NEW_ACCOUNT, OFFICER)
    with pytest.raises(DomainError, match="still a draft"):
        sign(draft, R.DSO, action, "reason")


def test_signing_while_changes_requested_is_refused() -> None:
    snap = sign(
        submitted(ApprovalKind.CAMPAIGN_CONTENT),
        R.COMMS_DIRECTOR,
        Action.REQUEST_CHANGES,
        "Fix the logo.",
    )
    with pytest.raises(DomainError, match="must resubmit"):
        sign(snap, R.EXEC_COUNCIL)


def test_submit_and_resubmit_only_from_their_states() -> None:
    draft = new_draft(ApprovalKind.NEW_ACCOUNT, OFFICER)
    with pytest.raises(DomainError, match="submit it instead"):
        apply(draft, Action.RESUBMIT, OFFICER, roles(), T0)
    snap = apply(draft, Action.SUBMIT, OFFICER, roles(), T0)
    with pytest.raises(DomainError, match="already submitted"):
        apply(snap, Action.SUBMIT, OFFICER, roles(), T0)
    with pytest.raises(DomainError, match="nothing to resubmit"):
        apply(snap, Action.RESUBMIT, OFFICER, roles(), T0)
    snap = sign(snap, R.DSO, Action.REQUEST_CHANGES, "More detail.")
    with pytest.raises(DomainError, match="resubmit it instead"):
        apply(snap, Action.SUBMIT, OFFICER, roles(), T0)


def test_only_the_submitter_submits_resubmits_and_withdraws() -> None:
    draft = new_draft(ApprovalKind.NEW_ACCOUNT, OFFICER)
    everything = frozenset(AppRole)
    with pytest.raises(PermissionDenied, match="Only the person who drafted this request"):
        apply(draft, Action.SUBMIT, "p-other", everything, T0)
    snap = apply(draft, Action.SUBMIT, OFFICER, roles(), T0)
    with pytest.raises(PermissionDenied) as exc:
        apply(snap, Action.WITHDRAW, "p-other", everything, T0)
    assert str(exc.value) == "Only the person who submitted this request can withdraw it."
    snap = sign(snap, R.DSO, Action.REQUEST_CHANGES, "More detail.")
    with pytest.raises(PermissionDenied, match="can resubmit it"):
        apply(snap, Action.RESUBMIT, "p-dso", everything, T0)


def _finals() -> list[ApprovalSnapshot]:
    approved = sign(sign(submitted(ApprovalKind.ANNUAL_GOALS), R.DCI_DIRECTOR), R.EXEC_COUNCIL)
    rejected = sign(submitted(ApprovalKind.ANNUAL_GOALS), R.DCI_DIRECTOR, Action.REJECT, "No.")
    withdrawn = apply(submitted(ApprovalKind.ANNUAL_GOALS), Action.WITHDRAW, OFFICER, roles(), T0)
    return [approved, rejected, withdrawn]


@pytest.mark.parametrize("snap", _finals(), ids=lambda s: s.state.value)
@pytest.mark.parametrize("action", list(Action))
def test_final_states_accept_nothing(snap: ApprovalSnapshot, action: Action) -> None:
    everything = frozenset(AppRole)
    for actor in (OFFICER, "p-other"):
        with pytest.raises(DomainError) as exc:
            apply(snap, action, actor, everything, T0, comment="reason")
        assert str(exc.value) == (
            f"This request is {snap.state.value}; it can no longer be changed."
        )
    assert steps_for_actor(snap, "p-other", everything) == ()


# --- blocked_reason agrees with apply --------------------------------------------------------


def _scenarios() -> list[ApprovalSnapshot]:
    out: list[ApprovalSnapshot] = []
    for kind in ApprovalKind:
        draft = new_draft(kind, OFFICER)
        snap = submitted(kind)
        changes = sign(snap, snap.steps[0].role, Action.REQUEST_CHANGES, "Fix it.")
        out += [draft, snap, changes, sign(snap, snap.steps[0].role)]
    out += [_disagreement(), *_finals()]
    return out


_ROLE_SETS = [
    roles(),
    roles(R.ADMIN),
    roles(R.OFFICER),
    roles(R.DSO),
    roles(R.EXEC_COUNCIL),
    roles(R.DCI_DIRECTOR),
    roles(R.COMMS_DIRECTOR, R.MINISTERS_OFFICE),
    frozenset(AppRole),
]


def _outcome(
    snap: ApprovalSnapshot,
    action: Action,
    actor: str,
    role_set: frozenset[AppRole],
    index: int | None,
    comment: str,
) -> str | None:
    try:
        after = apply(snap, action, actor, role_set, T0, comment, index)
    except (DomainError, PermissionDenied) as exc:
        return str(exc)
    assert after != snap
    return None


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role_set", _ROLE_SETS, ids=lambda r: "+".join(sorted(r)) or "none")
def test_blocked_reason_is_none_exactly_when_apply_succeeds(
    action: Action, role_set: frozenset[AppRole]
) -> None:
    for n, snap in enumerate(_scenarios()):
        for actor, index, comment in itertools.product(
            (OFFICER, "p-other"), (None, *range(len(snap.steps) + 1)), ("", "A reason.")
        ):
            case = (n, snap.kind.value, snap.state.value, actor, index, comment)
            reason = blocked_reason(snap, action, actor, role_set, index, comment)
            assert reason == _outcome(snap, action, actor, role_set, index, comment), case
            # Without a comment the answer is the one for a person who will give a reason.
            loose = blocked_reason(snap, action, actor, role_set, index)
            assert loose == blocked_reason(snap, action, actor, role_set, index, "A reason.")
            if index is None and action in (Action.APPROVE, Action.REJECT):
                # With no step named, exactly one signable step must be open to this person.
                mine = steps_for_actor(snap, actor, role_set)
                assert (loose is None) == (len(mine) == 1), case
