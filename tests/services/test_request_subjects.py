"""What the "New request" dialog offers for each kind of approval request."""

from __future__ import annotations

from datetime import date, timedelta

from desktop.enums import AccountStatus, ApprovalKind, GoalStatus, Platform
from desktop.models import Account, Campaign, Goal
from desktop.models.base import new_id
from desktop.services.accounts import AccountInput, AccountService
from desktop.services.approvals import ApprovalService
from desktop.services.request_subjects import RequestSubjectService, Subject
from tests.factories import Cast

TODAY = date(2026, 11, 18)


def _subjects(cast: Cast, kind: ApprovalKind) -> list[Subject]:
    return RequestSubjectService(cast.ctx("officer")).subjects(kind)


def _labels(cast: Cast, kind: ApprovalKind) -> list[str]:
    return [s.label for s in _subjects(cast, kind)]


def test_new_account_requests_are_for_proposed_accounts_without_one(cast: Cast) -> None:
    # Registered as active without approval: its new-account approval may catch up.
    registered = cast.account("SKHealth")
    gone = cast.account("SKHealthOld")
    AccountService(cast.ctx("dso")).retire(gone.id, "Duplicate")  # closed: nothing to ask
    service = AccountService(cast.ctx("officer"))
    first = service.propose(
        AccountInput(Platform.TIKTOK, "SKHealthTok", cast.health.id, "a@gov.sk.ca")
    )
    service.propose(AccountInput(Platform.YOUTUBE, "SKHealthNew", cast.health.id, "b@gov.sk.ca"))
    assert _labels(cast, ApprovalKind.NEW_ACCOUNT) == [
        "Facebook @SKHealth",
        "TikTok @SKHealthTok",
        "YouTube @SKHealthNew",
    ]
    approvals = ApprovalService(cast.ctx("officer"))
    approvals.request_new_account(first.id, "Reach teenagers")
    late = approvals.submit(approvals.request_new_account(registered.id, "Existing page").id)
    ApprovalService(cast.ctx("dso")).approve(late.id)
    ApprovalService(cast.ctx("council")).approve(late.id)
    assert _labels(cast, ApprovalKind.NEW_ACCOUNT) == ["YouTube @SKHealthNew"]
    assert _subjects(cast, ApprovalKind.NEW_ACCOUNT)[0].ministry_code == "HEA"


def test_termination_is_for_active_or_suspended_accounts(cast: Cast) -> None:
    cast.account("SKHealth")
    paused = cast.account("SKHealthX", Platform.X)
    gone = cast.account("SKHealthOld")
    with cast.db.write() as s:
        s.get_one(Account, paused.id).status = AccountStatus.SUSPENDED
        s.get_one(Account, gone.id).status = AccountStatus.TERMINATED
    assert _labels(cast, ApprovalKind.ACCOUNT_TERMINATION) == [
        "Facebook @SKHealth",
        "X (Twitter) @SKHealthX",
    ]


def test_goals_review_is_for_accounts_with_draft_goals(cast: Cast) -> None:
    with_drafts = cast.account("SKHealth")
    final = cast.account("SKHealthX", Platform.X)
    with cast.db.write() as s:
        for account, status in ((with_drafts, GoalStatus.DRAFT), (final, GoalStatus.FINAL)):
            s.add(
                Goal(
                    account_id=account.id,
                    title="Answer faster",
                    metric="responses_positive",
                    target_value=10.0,
                    period_start=date(2027, 1, 1),
                    period_end=date(2027, 12, 31),
                    status=status,
                )
            )
    assert _labels(cast, ApprovalKind.ANNUAL_GOALS) == ["Facebook @SKHealth"]


def test_campaign_content_is_for_campaigns_not_yet_ended(cast: Cast) -> None:
    with cast.db.write() as s:
        for name, ends in (("Ended", TODAY - timedelta(days=1)), ("Running", TODAY)):
            s.add(
                Campaign(
                    id=new_id(),
                    name=name,
                    ministry_id=cast.health.id,
                    agency_name="Prairie Ads Inc.",
                    starts_on=TODAY - timedelta(days=30),
                    ends_on=ends,
                )
            )
    subjects = _subjects(cast, ApprovalKind.CAMPAIGN_CONTENT)
    assert [(s.label, s.detail) for s in subjects] == [("Running", "ends 18 Nov 2026")]
