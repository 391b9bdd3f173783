"""The approval tracker: each workflow end to end, who may sign, and what approval changes."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import date, timedelta

import pytest

from desktop.enums import AccountStatus, ApprovalState, GoalStatus, Platform, StepState
from desktop.errors import ConflictError, DomainError, PermissionDenied
from desktop.models import Account, AuditEvent, Campaign, Goal
from desktop.services.accounts import AccountInput, AccountService
from desktop.services.approvals import ApprovalService
from desktop.services.campaigns import CampaignService
from tests.factories import Cast

TODAY = date(2026, 11, 18)


def _svc(cast: Cast, who: str) -> ApprovalService:
    return ApprovalService(cast.ctx(who))


def _proposed(cast: Cast, who: str = "officer") -> Account:
    data = AccountInput(Platform.FACEBOOK, "SKHealthNew", cast.health.id, "new@gov.sk.ca")
    return AccountService(cast.ctx(who)).propose(data)


def _campaign(cast: Cast, ministry_id: uuid.UUID | None = None) -> Campaign:
    return CampaignService(cast.ctx("officer")).create(
        "Flu shots", ministry_id or cast.health.id, "Prairie Ads Inc.", TODAY, date(2027, 1, 31)
    )


def _goals(cast: Cast, account: Account, count: int = 2) -> list[uuid.UUID]:
    rows = [
        Goal(
            account_id=account.id,
            title=f"Goal {n}",
            metric="shares",
            target_value=100.0 * (n + 1),
            period_start=date(2027, 1, 1),
            period_end=date(2027, 12, 31),
        )
        for n in range(count)
    ]
    with cast.db.write() as s:
        s.add_all(rows)
    return [g.id for g in rows]


def _goal_states(cast: Cast, account: Account) -> list[tuple[GoalStatus, bool]]:
    with cast.db.read() as s:
        goals = s.query(Goal).filter_by(account_id=account.id).order_by(Goal.title).all()
    return [(g.status, g.finalized_at is not None) for g in goals]


def _status(cast: Cast, account: Account) -> Account:
    with cast.db.read() as s:
        row = s.get(Account, account.id)
    assert row is not None
    return row


def _actions(cast: Cast, approval_id: uuid.UUID) -> list[str]:
    with cast.db.read() as s:
        events = s.query(AuditEvent).filter_by(entity_id=str(approval_id)).order_by(AuditEvent.seq)
        return [e.action for e in events]


# -- new account ---------------------------------------------------------------------------


def test_new_account_end_to_end(cast: Cast) -> None:
    account = _proposed(cast)
    officer = _svc(cast, "officer")
    draft = officer.request_new_account(account.id, "Reach parents before flu season")
    assert (draft.title, draft.state) == ("New account: Facebook @SKHealthNew", ApprovalState.DRAFT)
    with pytest.raises(DomainError, match="still a draft; it must be submitted"):
        _svc(cast, "dso").approve(draft.id)
    officer.submit(draft.id)
    with pytest.raises(PermissionDenied, match="Only Digital Strategy and Operations can sign"):
        _svc(cast, "council").approve(draft.id)
    _svc(cast, "dso").approve(draft.id, "Fits the digital program")

    (row,) = _svc(cast, "auditor").tracker(cast.clock() + timedelta(days=3))
    assert (row.subject_label, row.account_id, row.submitter_name, row.state) == (
        "Facebook @SKHealthNew",
        account.id,
        "Officer Person",
        ApprovalState.SUBMITTED,
    )
    assert row.stage_label == "Stage 2 of 2: Senior Executive Council approval"
    assert (row.waiting_on, row.age_days) == (("Executive Council",), 3)
    assert _status(cast, account).status == AccountStatus.PROPOSED

    done = _svc(cast, "council").approve(draft.id)
    assert done.state == ApprovalState.APPROVED
    assert done.decided_at == cast.clock()
    approved = _status(cast, account)
    assert (approved.status, approved.status_changed_at) == (AccountStatus.APPROVED, cast.clock())
    assert AccountService(cast.ctx("dso")).activate(account.id).status == AccountStatus.ACTIVE

    detail = _svc(cast, "auditor").detail(draft.id)
    assert [(s.label, s.state, s.decided_by_name, s.comment) for s in detail.steps] == [
        (
            "Digital Program alignment (DSO)",
            StepState.APPROVED,
            "Dso Person",
            "Fits the digital program",
        ),
        ("Senior Executive Council approval", StepState.APPROVED, "Council Person", ""),
    ]
    assert detail.on_approved.startswith("Digital Strategy and Operations may now create")
    assert _actions(cast, draft.id) == [
        "approval.request", "approval.submit", "approval.approve", "approval.approve",
    ]  # fmt: skip
    with cast.db.read() as s:
        signed = s.query(AuditEvent).filter_by(action="approval.approve").order_by(AuditEvent.seq)
        after = json.loads(signed.all()[0].after)
    assert (after["step"], after["comment"]) == (
        "Digital Program alignment (DSO)",
        "Fits the digital program",
    )
    assert _svc(cast, "auditor").tracker(cast.clock()) == []
    assert len(_svc(cast, "auditor").tracker(cast.clock(), include_closed=True)) == 1


def test_dso_who_submitted_cannot_sign_the_dso_step(cast: Cast) -> None:
    account = _proposed(cast, "dso")
    dso = _svc(cast, "dso")
    request = dso.submit(dso.request_new_account(account.id, "Central channel").id)
    assert dso.why_not(request.id, "approve", "dso") == "You cannot sign your own request."
    with pytest.raises(PermissionDenied, match="You cannot sign your own request"):
        dso.approve(request.id)
    assert dso.why_not(request.id, "withdraw", "dso") is None
    assert dso.why_not(request.id, "withdraw", "council") == (
        "Only the person who submitted this request can withdraw it."
    )


def test_changes_at_council_keep_the_dso_alignment(cast: Cast) -> None:
    officer = _svc(cast, "officer")
    request = officer.submit(officer.request_new_account(_proposed(cast).id, "Short case").id)
    _svc(cast, "dso").approve(request.id)
    _svc(cast, "council").request_changes(request.id, "Say who will moderate on weekends")
    with pytest.raises(DomainError, match="Changes were requested on this request; resubmit"):
        officer.submit(request.id)
    officer.resubmit(request.id, "Added", business_case="Short case. Weekend moderation: Officer")
    detail = officer.detail(request.id)
    assert detail.business_case == "Short case. Weekend moderation: Officer"
    assert [s.state for s in detail.steps] == [StepState.APPROVED, StepState.PENDING]
    assert _svc(cast, "council").approve(request.id).state == ApprovalState.APPROVED


@pytest.mark.parametrize("who", ["dci", "council", "minister", "agency", "auditor"])
def test_roles_that_may_not_request_a_new_account(cast: Cast, who: str) -> None:
    account = _proposed(cast)
    with pytest.raises(PermissionDenied, match="Proposing an account needs the role"):
        _svc(cast, who).request_new_account(account.id, "Because")


def test_new_account_request_needs_a_proposed_account_and_a_case(cast: Cast) -> None:
    officer = _svc(cast, "officer")
    gone = cast.account("SKHealthOld")
    AccountService(cast.ctx("dso")).retire(gone.id, "Program ended")
    with pytest.raises(DomainError, match="is shut down; only a proposed account, or one regis"):
        officer.request_new_account(gone.id, "Because")
    account = _proposed(cast)
    with pytest.raises(DomainError, match="Business case is required") as err:
        officer.request_new_account(account.id, "   ")
    assert err.value.field == "business_case"
    officer.request_new_account(account.id, "Because")
    with pytest.raises(ConflictError, match="already has an open request of this kind \\(draft\\)"):
        _svc(cast, "comms").request_new_account(account.id, "Again")


@pytest.mark.parametrize("who", ["officer", "comms", "minister", "agency", "auditor", "admin"])
def test_only_the_steps_role_may_sign(cast: Cast, who: str) -> None:
    account = _proposed(cast, "dso")
    request = _svc(cast, "dso").request_new_account(account.id, "Central channel")
    _svc(cast, "dso").submit(request.id)
    with pytest.raises(PermissionDenied, match="Only Digital Strategy and Operations can sign"):
        _svc(cast, who).approve(request.id)
    with pytest.raises(PermissionDenied, match="Only Digital Strategy and Operations can sign"):
        _svc(cast, who).reject(request.id, "No")


# -- campaign content ----------------------------------------------------------------------


def test_campaign_content_signed_by_the_three_in_any_order(cast: Cast) -> None:
    campaign = _campaign(cast)
    officer = _svc(cast, "officer")
    request = officer.request_campaign_content(campaign.id, "Four posts, one video, Dec–Jan")
    assert request.title == "Campaign content: Flu shots"
    officer.submit(request.id)
    waiting = [
        "Ministry Director of Communications", "Minister's Office", "Executive Council",
    ]  # fmt: skip
    for who, label in (
        ("council", "Executive Council"),
        ("minister", "Minister's Office"),
        ("comms", "Ministry Director of Communications"),
    ):
        (row,) = _svc(cast, "auditor").tracker(cast.clock())
        assert (row.state, list(row.waiting_on)) == (ApprovalState.SUBMITTED, waiting)
        assert (row.subject_label, row.account_id) == ("Campaign Flu shots", None)
        _svc(cast, who).approve(request.id, f"OK from {who}")
        waiting.remove(label)
    detail = _svc(cast, "officer").detail(request.id)
    assert detail.state == ApprovalState.APPROVED
    assert {s.decided_by_name for s in detail.steps} == {
        "Council Person", "Minister Person", "Comms Person",
    }  # fmt: skip


def test_comms_director_of_another_ministry_cannot_sign(cast: Cast) -> None:
    campaign = _campaign(cast, cast.environment.id)
    officer = _svc(cast, "officer")
    request = officer.submit(officer.request_campaign_content(campaign.id, "Park posts").id)
    sentence = (
        "Only the Director of Communications of Ministry of Environment can sign for "
        "Ministry of Environment."
    )
    assert officer.why_not(request.id, "approve", "comms") == sentence
    with pytest.raises(PermissionDenied, match=sentence):
        _svc(cast, "comms").approve(request.id)
    assert officer.why_not(request.id, "approve", "minister") is None


def test_content_of_a_finished_campaign_is_not_approved(cast: Cast) -> None:
    campaign = CampaignService(cast.ctx("officer")).create(
        "Summer", cast.health.id, "Agency", date(2026, 6, 1), date(2026, 8, 31)
    )
    with pytest.raises(DomainError, match="ended on 2026-08-31; its content can no longer"):
        _svc(cast, "officer").request_campaign_content(campaign.id, "Posts")


# -- termination ---------------------------------------------------------------------------


def test_termination_escalates_to_council_on_disagreement(cast: Cast) -> None:
    account = cast.account()
    officer = _svc(cast, "officer")
    request = officer.request_termination(account.id, "No engagement for 12 months")
    officer.submit(request.id)
    dci = _svc(cast, "dci")
    assert dci.why_not(request.id, "reject", "dci") is None
    with pytest.raises(DomainError, match="Give the reason in the comment to reject"):
        dci.reject(request.id, " ")
    escalated = dci.reject(request.id, "The audience is small but growing")
    assert escalated.state == ApprovalState.SUBMITTED
    (row,) = dci.tracker(cast.clock(), waiting_for="council")
    assert row.stage_label == ("Stage 2 of 2: Executive Council final decision (disagreement)")
    assert _status(cast, account).status == AccountStatus.ACTIVE
    _svc(cast, "council").approve(request.id, "Terminate: no engagement")
    terminated = _status(cast, account)
    assert (terminated.status, terminated.status_reason) == (
        AccountStatus.TERMINATED,
        "No engagement for 12 months",
    )
    assert [s.state for s in dci.detail(request.id).steps] == [
        StepState.REJECTED,
        StepState.APPROVED,
    ]


def test_termination_agreed_by_dci_and_refused_by_council(cast: Cast) -> None:
    first, second = cast.account(), cast.account("SKHealthX", Platform.X)
    officer = _svc(cast, "officer")
    agreed = officer.submit(officer.request_termination(first.id, "Duplicate channel").id)
    _svc(cast, "dci").approve(agreed.id)
    assert _status(cast, first).status == AccountStatus.TERMINATED
    with pytest.raises(DomainError, match="is terminated; only an active or suspended"):
        officer.request_termination(first.id, "Again")

    refused = officer.submit(officer.request_termination(second.id, "Quiet").id)
    _svc(cast, "dci").reject(refused.id, "Keep it")
    with pytest.raises(PermissionDenied, match="You already signed"):
        _svc(cast, "dci").approve(refused.id)  # the director who disagreed does not decide
    assert _svc(cast, "council").reject(refused.id, "Keep it").state == ApprovalState.REJECTED
    assert _status(cast, second).status == AccountStatus.ACTIVE


# -- goals ---------------------------------------------------------------------------------


def test_goals_review_finalizes_the_goals(cast: Cast) -> None:
    account = cast.account()
    officer = _svc(cast, "officer")
    with pytest.raises(DomainError, match="@SKHealth has no draft goals to send for review"):
        officer.request_goals_review(account.id)
    _goals(cast, account)
    request = officer.request_goals_review(account.id)
    assert _goal_states(cast, account) == [(GoalStatus.IN_REVIEW, False)] * 2
    officer.submit(request.id)

    _svc(cast, "dci").request_changes(request.id, "Goal 2 needs a baseline")
    assert _goal_states(cast, account) == [(GoalStatus.DRAFT, False)] * 2
    with pytest.raises(DomainError, match="Changes were requested; the submitter must resubmit"):
        _svc(cast, "dci").approve(request.id)
    officer.resubmit(request.id, "Baseline added")
    assert _goal_states(cast, account) == [(GoalStatus.IN_REVIEW, False)] * 2

    _svc(cast, "dci").approve(request.id)
    with pytest.raises(PermissionDenied, match=r"You already signed .Director, Digital Channels"):
        _svc(cast, "dci").approve(request.id)
    _svc(cast, "council").approve(request.id)
    assert _goal_states(cast, account) == [(GoalStatus.FINAL, True)] * 2
    assert _actions(cast, request.id)[-4:] == [
        "approval.request_changes", "approval.resubmit", "approval.approve", "approval.approve",
    ]  # fmt: skip


def test_refused_goals_go_back_to_draft(cast: Cast) -> None:
    account = cast.account()
    _goals(cast, account, 1)
    officer = _svc(cast, "officer")
    request = officer.submit(officer.request_goals_review(account.id).id)
    _svc(cast, "dci").reject(request.id, "Measure engagement, not followers")
    assert _goal_states(cast, account) == [(GoalStatus.DRAFT, False)]
    again = officer.request_goals_review(account.id)
    officer.withdraw(again.id, "Will redo them")
    assert _goal_states(cast, account) == [(GoalStatus.DRAFT, False)]


_REQUESTS: dict[str, Callable[[ApprovalService, Cast], object]] = {
    "termination": lambda s, c: s.request_termination(c.account().id, "Quiet"),
    "goals": lambda s, c: s.request_goals_review(c.account().id),
    "campaign": lambda s, c: s.request_campaign_content(_campaign(c).id, "Posts"),
}


@pytest.mark.parametrize(
    ("kind", "who"),
    [(k, w) for k in ("termination", "campaign") for w in ("dci", "council", "minister")]
    + [(k, w) for k in _REQUESTS for w in ("agency", "auditor")]
    + [("goals", "council"), ("goals", "minister")],
)
def test_roles_that_may_not_raise_requests(cast: Cast, kind: str, who: str) -> None:
    with pytest.raises(PermissionDenied, match="needs the role"):
        _REQUESTS[kind](_svc(cast, who), cast)


# -- submitter actions, concurrency, tracker ------------------------------------------------


def test_only_the_submitter_submits_or_withdraws(cast: Cast) -> None:
    account = _proposed(cast)
    request = _svc(cast, "officer").request_new_account(account.id, "Because")
    with pytest.raises(PermissionDenied, match="Only the person who drafted this request"):
        _svc(cast, "comms").submit(request.id)
    _svc(cast, "officer").submit(request.id)
    with pytest.raises(PermissionDenied, match="Only the person who submitted this request"):
        _svc(cast, "dso").withdraw(request.id)
    withdrawn = _svc(cast, "officer").withdraw(request.id, "Merged into @SKHealth")
    assert (withdrawn.state, withdrawn.decided_at) == (ApprovalState.WITHDRAWN, cast.clock())
    with pytest.raises(DomainError, match="This request is withdrawn; it can no longer be changed"):
        _svc(cast, "dso").approve(request.id)
    (row,) = _svc(cast, "auditor").tracker(cast.clock(), include_closed=True)
    assert (row.stage_label, row.waiting_on) == ("Withdrawn", ())
    with cast.db.read() as s:
        event = s.query(AuditEvent).filter_by(action="approval.withdraw").one()
    assert json.loads(event.after)["comment"] == "Merged into @SKHealth"


def test_stale_version_is_a_conflict(cast: Cast) -> None:
    officer = _svc(cast, "officer")
    request = officer.submit(officer.request_campaign_content(_campaign(cast).id, "Posts").id)
    seen = _svc(cast, "minister").detail(request.id).version
    _svc(cast, "council").approve(request.id, version=seen)  # only a step row changes
    with pytest.raises(ConflictError, match="Someone else acted on this request"):
        _svc(cast, "minister").approve(request.id, version=seen)
    fresh = _svc(cast, "minister").detail(request.id).version
    assert _svc(cast, "minister").approve(request.id, version=fresh).version == fresh + 1


def test_tracker_waiting_for_a_person(cast: Cast) -> None:
    officer = _svc(cast, "officer")
    draft = officer.request_new_account(_proposed(cast).id, "Because")
    content = officer.submit(officer.request_campaign_content(_campaign(cast).id, "Posts").id)
    at = cast.clock()
    assert [r.id for r in officer.tracker(at, waiting_for="officer")] == [draft.id]
    assert [r.id for r in officer.tracker(at, waiting_for="minister")] == [content.id]
    assert [r.id for r in officer.tracker(at, waiting_for="officer2")] == []
    assert officer.tracker(at, waiting_for="nobody") == []
    rows = {r.id: r for r in officer.tracker(at)}
    assert (rows[draft.id].stage_label, rows[draft.id].age_days) == ("Draft, not submitted", None)
