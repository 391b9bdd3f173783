"""The compliance service on real databases: violations built in the data are found, and only them.

Records the services would refuse (a personal e-mail, a stale grant) are written directly, as an
import or a change of settings would leave them.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update

from desktop.enums import (
    AppRole,
    ApprovalKind,
    ApprovalState,
    BanKind,
    BanStatus,
    CommentStatus,
    EmergencyKind,
    EvaluationStatus,
    GoalStatus,
    PageRole,
    PersonKind,
    Platform,
    PostingTool,
    RemovalCategory,
    Severity,
    StepState,
)
from desktop.errors import DomainError, PermissionDenied
from desktop.models import (
    Account,
    AccountRole,
    Approval,
    ApprovalStep,
    Ban,
    Campaign,
    Comment,
    Commenter,
    Emergency,
    Evaluation,
    Goal,
    MetricSnapshot,
    Person,
    PersonRole,
    Strike,
)
from desktop.models.base import new_id
from desktop.policy.findings import Finding
from desktop.services.accounts import AccountService
from desktop.services.compliance import ComplianceService
from tests.conftest import FIXED_NOW
from tests.factories import ROLE_CAST, Cast

NOW = FIXED_NOW  # Wednesday 2026-11-18 09:00 in Regina


def regina(y: int, mo: int, d: int, h: int = 12, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=UTC) + timedelta(hours=6)


def add(cast: Cast, *rows: Any) -> None:
    with cast.db.write() as s:
        s.add_all(rows)


def change(cast: Cast, model: Any, ident: uuid.UUID, **values: Any) -> None:
    with cast.db.write() as s:
        s.execute(update(model).where(model.id == ident).values(**values))


def run(cast: Cast, *codes: str, who: str = "auditor", as_of: datetime = NOW) -> list[Finding]:
    return ComplianceService(cast.ctx(who)).run(as_of, codes or None)


def found(findings: list[Finding]) -> set[tuple[str, str]]:
    return {(f.code, f.subject_label) for f in findings}


def approve_new_account(cast: Cast, account_id: uuid.UUID) -> None:
    add(
        cast,
        Approval(
            id=new_id(),
            kind=ApprovalKind.NEW_ACCOUNT,
            state=ApprovalState.APPROVED,
            title="Business case",
            account_id=account_id,
            submitter_id=cast.people["officer"].id,
            submitted_at=NOW - timedelta(days=30),
            decided_at=NOW - timedelta(days=20),
        ),
    )


def grant(
    cast: Cast, who: str | uuid.UUID, account_id: uuid.UUID, role: PageRole, **kw: Any
) -> None:
    person_id = cast.people[who].id if isinstance(who, str) else who
    add(
        cast,
        AccountRole(
            id=new_id(),
            person_id=person_id,
            account_id=account_id,
            role=role,
            granted_at=kw.pop("granted_at", NOW - timedelta(days=50)),
            **kw,
        ),
    )


def compliant_account(cast: Cast, handle: str = "SKHealth") -> Account:
    """An active Facebook page that breaks no rule."""
    account = cast.account(handle)
    approve_new_account(cast, account.id)
    AccountService(cast.ctx("officer")).record_password_change(account.id, NOW - timedelta(1))
    grant(cast, "comms", account.id, PageRole.ADMIN)
    grant(cast, "dci", account.id, PageRole.ADMIN)
    grant(cast, "officer", account.id, PageRole.EDITOR)
    review = Approval(
        id=new_id(),
        kind=ApprovalKind.ANNUAL_GOALS,
        state=ApprovalState.APPROVED,
        title="Goals 2026",
        account_id=account.id,
        submitter_id=cast.people["officer"].id,
        submitted_at=NOW - timedelta(days=330),
        decided_at=NOW - timedelta(days=320),
    )
    add(cast, review)
    add(
        cast,
        Goal(
            id=new_id(),
            account_id=account.id,
            title="Grow shares",
            metric="shares",
            target_value=100.0,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            status=GoalStatus.FINAL,
            approval_id=review.id,  # final after the review by the Director DCI and Council
        ),
        MetricSnapshot(
            id=new_id(),
            account_id=account.id,
            period_start=date(2026, 10, 1),
            period_end=date(2026, 10, 31),
            shares=40,
        ),
    )
    return account


def test_a_compliant_account_has_no_findings(cast: Cast) -> None:
    compliant_account(cast)
    assert run(cast) == []


def test_account_configuration_violations(cast: Cast) -> None:
    gmail = compliant_account(cast, "SKHealthGmail")
    change(cast, Account, gmail.id, government_email="skhealth.social@gmail.com")
    orphan = compliant_account(cast, "SKHealthOrphan")
    change(cast, Account, orphan.id, owner_id=None)
    x = cast.account("SKHealthX", Platform.X)
    change(cast, Account, x.id, posting_tool=PostingTool.NATIVE)
    codes = ("ACCOUNT_EMAIL_DOMAIN", "ACCOUNT_NO_OWNER", "X_POSTING_TOOL")
    findings = run(cast, *codes)
    assert found(findings) == {
        ("ACCOUNT_EMAIL_DOMAIN", "Facebook @SKHealthGmail"),
        ("ACCOUNT_NO_OWNER", "Facebook @SKHealthOrphan"),
        ("X_POSTING_TOOL", "X (Twitter) @SKHealthX"),
    }
    assert all(f.severity is Severity.CRITICAL and f.subject_type == "account" for f in findings)
    by_code = {f.code: f for f in findings}
    assert by_code["ACCOUNT_EMAIL_DOMAIN"].subject_id == str(gmail.id)
    assert "skhealth.social@gmail.com" in by_code["ACCOUNT_EMAIL_DOMAIN"].message


def test_password_rotation_and_approval_of_live_accounts(cast: Cast) -> None:
    fresh = compliant_account(cast, "Fresh")
    stale = compliant_account(cast, "Stale")
    AccountService(cast.ctx("officer")).record_password_change(stale.id, NOW - timedelta(days=91))
    never = cast.account("Never")
    approve_new_account(cast, never.id)
    unapproved = cast.account("Unapproved")
    add(
        cast,
        Approval(
            id=new_id(),
            kind=ApprovalKind.NEW_ACCOUNT,
            state=ApprovalState.SUBMITTED,
            title="Still in review",
            account_id=unapproved.id,
            submitter_id=cast.people["officer"].id,
            submitted_at=NOW - timedelta(days=2),
        ),
    )
    findings = run(cast, "PASSWORD_ROTATION_OVERDUE", "ACCOUNT_NOT_APPROVED")
    assert found(findings) == {
        ("PASSWORD_ROTATION_OVERDUE", "Facebook @Stale"),
        ("PASSWORD_ROTATION_OVERDUE", "Facebook @Never"),
        ("PASSWORD_ROTATION_OVERDUE", "Facebook @Unapproved"),
        ("ACCOUNT_NOT_APPROVED", "Facebook @Unapproved"),
    }
    assert fresh.id not in {f.subject_id for f in findings}
    stale_finding = next(f for f in findings if f.subject_label == "Facebook @Stale")
    assert stale_finding.since == NOW - timedelta(days=1)


def test_permission_matrix_violations(cast: Cast) -> None:
    page = compliant_account(cast, "SKHealth")
    grant(cast, "officer2", page.id, PageRole.ADMIN)  # an extra Admin
    contractor = Person(
        id=new_id(),
        login="casey",
        name="Casey Contractor",
        email="casey.c@gmail.com",
        kind=PersonKind.CONTRACTOR,
        ministry_id=cast.health.id,
    )
    add(cast, contractor)
    grant(cast, contractor.id, page.id, PageRole.EDITOR)
    ended = Campaign(
        id=new_id(),
        name="Summer safety",
        ministry_id=cast.health.id,
        agency_name="Prairie Ads Inc.",
        starts_on=date(2026, 7, 1),
        ends_on=date(2026, 9, 30),
    )
    add(cast, ended)
    grant(cast, "agency", page.id, PageRole.ADVERTISER, business_id="", campaign_id=ended.id)
    findings = run(
        cast,
        "FACEBOOK_ADMINS",
        "PERSONAL_EMAIL_ON_ACCOUNT",
        "THIRD_PARTY_NO_BUSINESS_ID",
        "THIRD_PARTY_ACCESS_NOT_REVOKED",
        "THIRD_PARTY_NO_CAMPAIGN",
    )
    by_code = {f.code: f for f in findings}
    assert sorted(by_code) == [
        "FACEBOOK_ADMINS",
        "PERSONAL_EMAIL_ON_ACCOUNT",
        "THIRD_PARTY_ACCESS_NOT_REVOKED",
        "THIRD_PARTY_NO_BUSINESS_ID",
    ]
    assert len(findings) == 4
    assert by_code["FACEBOOK_ADMINS"].message.endswith(
        "Officer2 Person is an Admin but should be Editor."
    )
    personal = by_code["PERSONAL_EMAIL_ON_ACCOUNT"]
    assert (personal.subject_type, personal.subject_id) == ("person", str(contractor.id))
    revoke = by_code["THIRD_PARTY_ACCESS_NOT_REVOKED"]
    assert (revoke.subject_type, revoke.subject_label) == (
        "account_role",
        "Agency Person on Facebook @SKHealth",
    )
    assert "ended 2026-09-30 and access had to be revoked by 2026-10-14" in revoke.message
    assert revoke.since == regina(2026, 10, 15, 0)


def test_campaign_content_and_stalled_approvals(cast: Cast) -> None:
    def campaign(name: str, state: ApprovalState) -> Campaign:
        c = Campaign(
            id=new_id(),
            name=name,
            ministry_id=cast.health.id,
            starts_on=date(2026, 11, 1),
            ends_on=date(2026, 11, 30),
        )
        add(cast, c)
        add(
            cast,
            Approval(
                id=new_id(),
                kind=ApprovalKind.CAMPAIGN_CONTENT,
                state=state,
                title=f"Content of {name}",
                campaign_id=c.id,
                submitter_id=cast.people["officer"].id,
                submitted_at=NOW - timedelta(days=3),
            ),
        )
        return c

    campaign("Flu shots", ApprovalState.SUBMITTED)
    campaign("Road safety", ApprovalState.APPROVED)
    stalled = Approval(
        id=new_id(),
        kind=ApprovalKind.NEW_ACCOUNT,
        state=ApprovalState.SUBMITTED,
        title="Launch @SKHealthJobs",
        submitter_id=cast.people["officer"].id,
        submitted_at=NOW - timedelta(days=20),
    )
    stalled.steps = [
        ApprovalStep(
            id=new_id(),
            position=0,
            stage=1,
            role=AppRole.DSO,
            label="DSO alignment",
            state=StepState.APPROVED,
            decided_at=NOW - timedelta(days=11),
        ),
        ApprovalStep(id=new_id(), position=1, stage=2, role=AppRole.EXEC_COUNCIL, label="Council"),
    ]
    add(cast, stalled)
    findings = run(cast, "CONTENT_NOT_APPROVED", "APPROVAL_STALLED")
    assert found(findings) == {
        ("CONTENT_NOT_APPROVED", "Flu shots"),
        ("APPROVAL_STALLED", "Launch @SKHealthJobs"),
    }
    stall = next(f for f in findings if f.code == "APPROVAL_STALLED")
    assert "no decision for 11 days since the last signature" in stall.message
    assert stall.message.endswith("it is waiting on Executive Council.")
    # The campaign content requests (3 days old) are not stalled.
    assert stall.subject_id == str(stalled.id)


def test_goals_evaluations_and_engagement(cast: Cast) -> None:
    old = compliant_account(cast, "Old")
    change(cast, Account, old.id, activated_at=NOW - timedelta(days=800))
    with cast.db.write() as s:
        s.execute(
            update(Goal)
            .where(Goal.account_id == old.id)
            .values(period_end=date(2025, 12, 31), period_start=date(2025, 1, 1))
        )
        s.execute(
            update(MetricSnapshot)
            .where(MetricSnapshot.account_id == old.id)
            .values(shares=0, followers=9000)
        )
    add(
        cast,
        Evaluation(
            id=new_id(),
            account_id=old.id,
            period="2026H1",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 6, 30),
            status=EvaluationStatus.COMPLETED,
            completed_at=regina(2026, 5, 10),
        ),
    )
    drafted = compliant_account(cast, "Drafted")
    with cast.db.write() as s:
        s.execute(
            update(Goal).where(Goal.account_id == drafted.id).values(status=GoalStatus.IN_REVIEW)
        )
    bare = compliant_account(cast, "Bare")
    with cast.db.write() as s:
        s.execute(Goal.__table__.delete().where(Goal.account_id == bare.id))
    codes = (
        "GOALS_MISSING",
        "GOALS_EXPIRED",
        "GOALS_NOT_FINAL",
        "EVALUATION_OVERDUE",
        "NO_ENGAGEMENT_12_MONTHS",
    )
    findings = run(cast, *codes)
    assert found(findings) == {
        ("GOALS_EXPIRED", "Facebook @Old"),
        ("EVALUATION_OVERDUE", "Facebook @Old"),
        ("NO_ENGAGEMENT_12_MONTHS", "Facebook @Old"),
        ("GOALS_NOT_FINAL", "Facebook @Drafted"),
        ("GOALS_MISSING", "Facebook @Bare"),
    }
    evaluation = next(f for f in findings if f.code == "EVALUATION_OVERDUE")
    assert evaluation.message.startswith(
        "Facebook @Old was last evaluated on 2026-05-10; the next evaluation was due 2026-11-10"
    )


def comment(cast: Cast, account_id: uuid.UUID, status: CommentStatus, **kw: Any) -> Comment:
    received = kw.pop("received_at", regina(2026, 11, 17, 9))
    return Comment(
        id=new_id(),
        account_id=account_id,
        received_at=received,
        text="When does the clinic open?",
        status=status,
        clock_start_at=kw.pop("clock_start_at", received),
        acknowledge_due_at=kw.pop("acknowledge_due_at", received + timedelta(hours=1)),
        answer_due_at=kw.pop("answer_due_at", regina(2026, 11, 18, 17)),
        assignee_id=kw.pop("assignee_id", cast.people["officer"].id),
        **kw,
    )


def test_comment_backlog_is_counted_per_account(cast: Cast) -> None:
    gov = compliant_account(cast, "SKGov")
    quiet = compliant_account(cast, "Quiet")
    new, ack = CommentStatus.NEW, CommentStatus.ACKNOWLEDGED
    add(
        cast,
        # Not acknowledged in time: three, the oldest due Tuesday 10:00.
        comment(cast, gov.id, new, acknowledge_due_at=regina(2026, 11, 17, 10)),
        comment(cast, gov.id, new, acknowledge_due_at=regina(2026, 11, 17, 11)),
        comment(cast, gov.id, new, acknowledge_due_at=regina(2026, 11, 17, 16)),
        # Acknowledged but not answered by Tuesday 17:00.
        comment(cast, gov.id, ack, answer_due_at=regina(2026, 11, 17, 17)),
        # Open, nobody assigned, for 21 hours.
        comment(cast, gov.id, ack, assignee_id=None, clock_start_at=regina(2026, 11, 17, 12)),
        # Not due yet, or done: nothing to report.
        comment(cast, quiet.id, new, acknowledge_due_at=NOW + timedelta(minutes=30)),
        comment(cast, quiet.id, ack, assignee_id=None, clock_start_at=NOW - timedelta(hours=3)),
        comment(cast, quiet.id, CommentStatus.CLOSED, acknowledge_due_at=regina(2026, 1, 5)),
        comment(cast, quiet.id, CommentStatus.HIDDEN, answer_due_at=regina(2026, 1, 5)),
    )
    findings = run(cast, "COMMENT_ACK_OVERDUE", "COMMENT_ANSWER_OVERDUE", "COMMENT_UNASSIGNED")
    assert [(f.code, f.subject_label, f.message) for f in findings] == [
        (
            "COMMENT_ACK_OVERDUE",
            "Facebook @SKGov",
            "3 comments on Facebook @SKGov were not acknowledged within 1 business hour; "
            "the oldest was due 2026-11-17 10:00.",
        ),
        (
            "COMMENT_ANSWER_OVERDUE",
            "Facebook @SKGov",
            "1 comment on Facebook @SKGov was not answered by the end of the next business "
            "day; it was due 2026-11-17 17:00.",
        ),
        (
            "COMMENT_UNASSIGNED",
            "Facebook @SKGov",
            "1 open comment on Facebook @SKGov has had no assignee for more than 4 business hours; "
            "it has waited since 2026-11-17 12:00.",
        ),
    ]
    assert findings[0].since == regina(2026, 11, 17, 10)
    assert findings[0].subject_id == str(gov.id)
    kpis = ComplianceService(cast.ctx("auditor")).kpis(NOW)
    assert kpis.overdue_comments == 4
    # On Tuesday at 10:30 only the first comment was late.
    earlier = run(cast, "COMMENT_ACK_OVERDUE", as_of=regina(2026, 11, 17, 10, 30))
    assert [f.message[:9] for f in earlier] == ["1 comment"]


def test_moderation_and_emergency_violations(cast: Cast) -> None:
    troll = Commenter(id=new_id(), platform=Platform.FACEBOOK, handle="troll42")
    banned = Commenter(id=new_id(), platform=Platform.FACEBOOK, handle="proposed")
    served = Commenter(id=new_id(), platform=Platform.FACEBOOK, handle="served")
    add(cast, troll, banned, served)
    strikes = [
        Strike(
            id=new_id(),
            commenter_id=who.id,
            platform=Platform.FACEBOOK,
            category=RemovalCategory.HARASSMENT,
            evidence_text="You people are ...",
            recorded_at=NOW - timedelta(days=days),
        )
        for who in (troll, banned)
        for days in (50, 20, 1)
    ]
    # Two strikes on another platform do not add up with the Facebook ones.
    strikes.append(
        Strike(
            id=new_id(),
            commenter_id=served.id,
            platform=Platform.X,
            category=RemovalCategory.SPAM,
            evidence_text="Buy now",
            recorded_at=NOW - timedelta(days=3),
        )
    )

    def ban(who: Commenter, status: BanStatus, ends_at: datetime) -> Ban:
        return Ban(
            id=new_id(),
            commenter_id=who.id,
            platform=Platform.FACEBOOK,
            kind=BanKind.TEMPORARY,
            status=status,
            starts_at=ends_at - timedelta(days=30),
            ends_at=ends_at,
            proposed_at=ends_at - timedelta(days=30),
        )

    add(
        cast,
        *strikes,
        ban(banned, BanStatus.PROPOSED, NOW + timedelta(days=30)),
        ban(served, BanStatus.ACTIVE, regina(2026, 11, 17, 8, 30)),
        ban(troll, BanStatus.EXPIRED, NOW - timedelta(days=400)),
    )
    on_call = cast.people["officer"].id
    add(
        cast,
        Emergency(
            id=new_id(),
            kind=EmergencyKind.FLOOD,
            title="Spring flood",
            declared_at=NOW - timedelta(hours=5),
            on_call_ministry_id=on_call,
        ),
        Emergency(
            id=new_id(),
            kind=EmergencyKind.FOREST_FIRE,
            title="Fire, over",
            declared_at=NOW - timedelta(days=9),
            ended_at=NOW - timedelta(days=2),
        ),
    )
    findings = run(
        cast, "STRIKE_THRESHOLD_REACHED", "BAN_EXPIRED_NOT_LIFTED", "EMERGENCY_NO_ON_CALL"
    )
    assert found(findings) == {
        ("STRIKE_THRESHOLD_REACHED", "Facebook @troll42"),
        ("BAN_EXPIRED_NOT_LIFTED", "Facebook @served"),
        ("EMERGENCY_NO_ON_CALL", "Spring flood"),
    }
    strike = next(f for f in findings if f.code == "STRIKE_THRESHOLD_REACHED")
    assert strike.subject_id == str(troll.id)
    # Banned before, however long ago: the next step is a permanent removal.
    assert strike.remedy == "Propose a permanent removal: this person was banned before."


def test_kpis_and_overview(cast: Cast) -> None:
    compliant_account(cast, "Fine")
    cast.account("NoApproval")
    service = ComplianceService(cast.ctx("dci"))
    kpis = service.kpis(NOW)
    assert kpis.active_accounts == 2
    assert kpis.overdue_comments == 0
    assert kpis.evaluations_due == 0
    assert kpis.third_party_to_revoke == 0
    overview = service.overview(NOW)
    assert overview.kpis == kpis
    assert overview.findings == service.run(NOW)
    assert kpis.critical_findings == overview.summary.by_severity[Severity.CRITICAL] > 0
    assert overview.summary.by_code["ACCOUNT_NOT_APPROVED"] == 1


def test_settings_thresholds_apply(cast: Cast) -> None:
    from desktop.models import Setting

    account = compliant_account(cast)
    AccountService(cast.ctx("officer")).record_password_change(account.id, NOW - timedelta(40))
    assert run(cast, "PASSWORD_ROTATION_OVERDUE") == []
    add(cast, Setting(key="password_rotation_days", value="30"))
    assert found(run(cast, "PASSWORD_ROTATION_OVERDUE")) == {
        ("PASSWORD_ROTATION_OVERDUE", "Facebook @SKHealth")
    }


@pytest.mark.parametrize("who", sorted(set(ROLE_CAST) - {"agency"}))
def test_every_reader_may_run_the_checks(cast: Cast, who: str) -> None:
    cast.account("NoApproval")
    assert "ACCOUNT_NOT_APPROVED" in {f.code for f in run(cast, who=who)}


def test_agency_may_not_run_the_checks(cast: Cast) -> None:
    with pytest.raises(PermissionDenied, match="Reading the whole register needs the role"):
        run(cast, who="agency")


def test_unknown_code_and_naive_time_are_refused(cast: Cast) -> None:
    service = ComplianceService(cast.ctx("auditor"))
    with pytest.raises(DomainError, match="There is no check called NOPE"):
        service.run(NOW, ["NOPE"])
    with pytest.raises(DomainError, match="with its time zone"):
        service.run(datetime(2026, 11, 18, 9))


def test_unregistered_login_is_refused(cast: Cast) -> None:
    from desktop.services.context import ServiceContext

    with pytest.raises(PermissionDenied, match="not registered"):
        ComplianceService(ServiceContext(cast.db, "stranger")).run(NOW)


def test_an_acting_comms_director_may_hold_admin_instead(cast: Cast) -> None:
    page = compliant_account(cast)
    acting = Person(
        id=new_id(),
        login="acting",
        name="Acting Comms",
        email="acting@gov.sk.ca",
        ministry_id=cast.health.id,
    )
    add(cast, acting, PersonRole(person_id=acting.id, role=AppRole.COMMS_DIRECTOR))
    assert run(cast, "FACEBOOK_ADMINS") == []
    with cast.db.write() as s:
        s.execute(
            update(AccountRole)
            .where(
                AccountRole.account_id == page.id, AccountRole.person_id == cast.people["comms"].id
            )
            .values(person_id=acting.id)
        )
    assert run(cast, "FACEBOOK_ADMINS") == []
