"""The named compliance checks on hand-built facts: each finds its violation and nothing else.

A compliant world yields no finding at all; each case below breaks one rule of it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from desktop.enums import (
    AccountStatus,
    AppRole,
    ApprovalKind,
    ApprovalState,
    BanKind,
    BanStatus,
    EmergencyKind,
    GoalStatus,
    PageRole,
    PersonKind,
    Platform,
    PostingTool,
    RemovalCategory,
    Severity,
)
from desktop.errors import DomainError
from desktop.policy.checks import run_checks, select_checks
from desktop.policy.engagement import NO_ENGAGEMENT_DEFINITION, MetricTotals
from desktop.policy.facts import (
    AccountFacts,
    BanFacts,
    CampaignFacts,
    CommentBacklog,
    CommenterFacts,
    ComplianceFacts,
    DirectorFacts,
    EmergencyFacts,
    GoalGroup,
    GrantFacts,
    PendingApprovalFacts,
)
from desktop.policy.findings import CHECKS, Finding, check, sort_findings, summarize
from desktop.policy.moderation import BanRecord, StrikeRecord
from desktop.policy.settings import PolicySettings

ROOT = Path(__file__).resolve().parents[2]
AS_OF = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)  # Wednesday 09:00 in Regina
TODAY = date(2026, 11, 18)
S = PolicySettings()


def regina(y: int, mo: int, d: int, h: int = 12, mi: int = 0) -> datetime:
    """A Regina wall-clock time (UTC-6 all year) as aware UTC."""
    return datetime(y, mo, d, h, mi, tzinfo=UTC) + timedelta(hours=6)


# -- a compliant world ---------------------------------------------------------------------

ACCOUNT = AccountFacts(
    id="a1",
    platform=Platform.FACEBOOK,
    handle="SKHealth",
    ministry_id="m1",
    ministry_name="Ministry of Health",
    government_email="web@gov.sk.ca",
    owner_id="p-officer",
    owner_name="Olive Officer",
    password_changed_at=AS_OF - timedelta(days=10),
    activated_at=AS_OF - timedelta(days=400),
    new_account_approved=True,
    goals=(GoalGroup(GoalStatus.FINAL, date(2026, 1, 1), date(2026, 12, 31), 3),),
    last_evaluated_at=AS_OF - timedelta(days=60),
    engagement=MetricTotals(shares=12, comments=4),
)
COMMS = DirectorFacts("p-comms", "Cora Comms", AppRole.COMMS_DIRECTOR, "m1")
DCI = DirectorFacts("p-dci", "Dana Dci", AppRole.DCI_DIRECTOR, "m0")


def grant(person_id: str, name: str, role: PageRole = PageRole.ADMIN, **kw: object) -> GrantFacts:
    base: dict[str, object] = {
        "id": f"g-{person_id}",
        "account_id": "a1",
        "platform": Platform.FACEBOOK,
        "handle": "SKHealth",
        "person_id": person_id,
        "person_name": name,
        "person_kind": PersonKind.EMPLOYEE,
        "person_email": f"{person_id}@gov.sk.ca",
        "role": role,
        "granted_at": AS_OF - timedelta(days=100),
    }
    base.update(kw)
    return GrantFacts(**base)  # type: ignore[arg-type]


AGENCY_GRANT = grant(
    "p-agency",
    "Ada Agency",
    PageRole.ADVERTISER,
    person_kind=PersonKind.AGENCY,
    person_email="ada@prairieads.ca",
    agency_name="Prairie Ads Inc.",
    business_id="BM-4471",
    campaign_id="c1",
    campaign_name="Flu shots 2026",
    campaign_ends_on=date(2026, 11, 30),
)
CAMPAIGN = CampaignFacts(
    id="c1",
    name="Flu shots 2026",
    ministry_id="m1",
    starts_on=date(2026, 11, 1),
    ends_on=date(2026, 11, 30),
    agency_name="Prairie Ads Inc.",
    content_states=(ApprovalState.APPROVED,),
)
CLEAN = ComplianceFacts(
    accounts=(ACCOUNT,),
    grants=(
        grant("p-comms", "Cora Comms"),
        grant("p-dci", "Dana Dci"),
        grant("p-officer", "Olive Officer", PageRole.EDITOR),
        AGENCY_GRANT,
    ),
    directors=(COMMS, DCI),
    campaigns=(CAMPAIGN,),
)


def with_account(**kw: object) -> ComplianceFacts:
    return replace(CLEAN, accounts=(replace(ACCOUNT, **kw),))  # type: ignore[arg-type]


def with_agency_grant(**kw: object) -> ComplianceFacts:
    grants = (*CLEAN.grants[:3], replace(AGENCY_GRANT, **kw))  # type: ignore[arg-type]
    return replace(CLEAN, grants=grants)


def backlog(**kw: object) -> ComplianceFacts:
    b = CommentBacklog(account_id="a1", platform=Platform.FACEBOOK, handle="SKGov", **kw)  # type: ignore[arg-type]
    return replace(CLEAN, comment_backlogs=(b,))


def approval(**kw: object) -> ComplianceFacts:
    base: dict[str, object] = {
        "id": "ap1",
        "title": "Launch @SKHealthJobs",
        "kind": ApprovalKind.NEW_ACCOUNT,
        "submitted_at": AS_OF - timedelta(days=10),
        "waiting_on": (AppRole.EXEC_COUNCIL,),
    }
    base.update(kw)
    return replace(CLEAN, pending_approvals=(PendingApprovalFacts(**base),))  # type: ignore[arg-type]


def commenter(
    strike_days_ago: tuple[int, ...], bans: tuple[BanRecord, ...] = ()
) -> ComplianceFacts:
    strikes = tuple(
        StrikeRecord(AS_OF - timedelta(days=d), RemovalCategory.SPAM) for d in strike_days_ago
    )
    c = CommenterFacts("cm1", Platform.FACEBOOK, "troll42", "Tee Roll", strikes, bans)
    return replace(CLEAN, repeat_commenters=(c,))


def active_ban(ends_at: datetime) -> ComplianceFacts:
    ban = BanRecord(BanKind.TEMPORARY, BanStatus.ACTIVE, ends_at - timedelta(days=30), ends_at)
    return replace(CLEAN, active_bans=(BanFacts("b1", "cm1", "troll42", Platform.FACEBOOK, ban),))


def emergency(council: str, ended_at: datetime | None = None) -> ComplianceFacts:
    e = EmergencyFacts(
        "e1",
        "Spring flood 2026",
        EmergencyKind.FLOOD,
        AS_OF - timedelta(hours=20),
        ended_at,
        "Olive Officer",
        council,
    )
    return replace(CLEAN, emergencies=(e,))


def goals(*groups: GoalGroup) -> ComplianceFacts:
    return with_account(goals=groups)


def final(start: date, end: date) -> GoalGroup:
    return GoalGroup(GoalStatus.FINAL, start, end)


def draft(n: int = 2) -> GoalGroup:
    return GoalGroup(GoalStatus.DRAFT, date(2027, 1, 1), date(2027, 12, 31), n)


# -- one case that finds and one that does not, per check ----------------------------------


@dataclass(frozen=True)
class Case:
    code: str
    finds: ComplianceFacts
    message: str  # a fragment of the message a user reads
    clean: ComplianceFacts  # as close to the violation as the rule allows


CASES = [
    Case(
        "ACCOUNT_EMAIL_DOMAIN",
        with_account(government_email="skhealth.social@gmail.com"),
        "Facebook @SKHealth is tied to skhealth.social@gmail.com, which is not on an allowed "
        "government domain",
        with_account(government_email="web@health.gov.sk.ca"),
    ),
    Case(
        "ACCOUNT_NO_OWNER",
        with_account(owner_id=None, owner_name=""),
        "Facebook @SKHealth has no accountable owner.",
        with_account(owner_id=None, status=AccountStatus.SHUT_DOWN),
    ),
    Case(
        "PASSWORD_ROTATION_OVERDUE",
        with_account(password_changed_at=AS_OF - timedelta(days=91)),
        "The password of Facebook @SKHealth was last changed 2026-08-19 09:00 (91 days ago); "
        "the next change was due by 2026-11-17 09:00 (every 90 days).",
        with_account(password_changed_at=AS_OF - timedelta(days=89)),
    ),
    Case(
        "X_POSTING_TOOL",
        with_account(platform=Platform.X, posting_tool=PostingTool.NATIVE),
        "X (Twitter) @SKHealth is posted to through the platform's own site or app, "
        "not TweetDeck / X Pro.",
        with_account(platform=Platform.X, posting_tool=PostingTool.TWEETDECK),
    ),
    Case(
        "INTERNATIONAL_NO_LANGUAGE",
        with_account(platform=Platform.WECHAT, is_international=True, language=" "),
        "WeChat @SKHealth is an international account with no language recorded.",
        with_account(platform=Platform.WECHAT, is_international=True, language="Mandarin"),
    ),
    Case(
        "PERSONAL_EMAIL_ON_ACCOUNT",
        replace(
            CLEAN,
            grants=(
                *CLEAN.grants[:2],
                grant(
                    "p-officer", "Olive Officer", PageRole.EDITOR, person_email="olive@gmail.com"
                ),
                AGENCY_GRANT,
            ),
        ),
        "Olive Officer (employee) holds roles on Facebook @SKHealth under olive@gmail.com, "
        "which is not a government address.",
        CLEAN,  # the agency person's ada@prairieads.ca is their agency's address: allowed
    ),
    Case(
        "FACEBOOK_ADMINS",
        replace(
            CLEAN,
            grants=(
                grant("p-comms", "Cora Comms"),
                grant("p-officer", "Olive Officer"),
                AGENCY_GRANT,
            ),
        ),
        "Admins of Facebook @SKHealth are not exactly the two directors: the Director, Digital "
        "Channels and Insights (Dana Dci) is not an Admin; Olive Officer is an Admin but "
        "should be Editor.",
        # Instagram pages are not under the Facebook Admin rule.
        replace(
            CLEAN,
            accounts=(replace(ACCOUNT, platform=Platform.INSTAGRAM),),
            grants=(grant("p-officer", "Olive Officer"),),
        ),
    ),
    Case(
        "THIRD_PARTY_NO_BUSINESS_ID",
        with_agency_grant(business_id=" "),
        "Prairie Ads Inc. (Ada Agency) holds Advertiser access to Facebook @SKHealth without "
        "a Facebook Business ID.",
        with_agency_grant(business_id="BM-4471"),
    ),
    Case(
        "THIRD_PARTY_ACCESS_NOT_REVOKED",
        # Ended 2026-11-03: the 14 days of grace ended with 2026-11-17.
        with_agency_grant(campaign_ends_on=date(2026, 11, 3)),
        "Prairie Ads Inc. (Ada Agency) still holds Advertiser access to Facebook @SKHealth: the "
        "campaign \u201cFlu shots 2026\u201d ended 2026-11-03 and access had to be revoked by "
        "2026-11-17 (1 day ago).",
        with_agency_grant(campaign_ends_on=date(2026, 11, 4)),  # today is its last day
    ),
    Case(
        "THIRD_PARTY_NO_CAMPAIGN",
        with_agency_grant(campaign_id=None, campaign_name="", campaign_ends_on=None),
        "Prairie Ads Inc. (Ada Agency) holds Advertiser access to Facebook @SKHealth that is "
        "not tied to any campaign.",
        # Staff roles need no campaign.
        replace(CLEAN, grants=CLEAN.grants[:3]),
    ),
    Case(
        "ACCOUNT_NOT_APPROVED",
        with_account(new_account_approved=False),
        "Facebook @SKHealth is active without an approved new-account request.",
        with_account(new_account_approved=False, status=AccountStatus.PROPOSED),
    ),
    Case(
        "STATUS_WITHOUT_APPROVAL",
        with_account(status=AccountStatus.TERMINATED, status_changed_at=regina(2026, 11, 2)),
        "Facebook @SKHealth is terminated without an approved termination request (the "
        "Director, Digital Channels and Insights decides; Executive Council on disagreement).",
        with_account(status=AccountStatus.TERMINATED, termination_approved=True),
    ),
    Case(
        "CONTENT_NOT_APPROVED",
        replace(CLEAN, campaigns=(replace(CAMPAIGN, content_states=(ApprovalState.SUBMITTED,)),)),
        "Campaign \u201cFlu shots 2026\u201d (Prairie Ads Inc.) has been running since "
        "2026-11-01 without approved content: its content is still waiting for signatures.",
        replace(
            CLEAN,
            campaigns=(replace(CAMPAIGN, starts_on=date(2026, 11, 19), content_states=()),),
        ),
    ),
    Case(
        "APPROVAL_STALLED",
        approval(submitted_at=regina(2026, 11, 8, 9)),
        "\u201cLaunch @SKHealthJobs\u201d (new social media account) has had no decision for "
        "10 days since it was submitted on 2026-11-08 09:00; it is waiting on Executive Council.",
        approval(submitted_at=AS_OF - timedelta(days=30), last_decision_at=AS_OF - timedelta(9)),
    ),
    Case(
        "GOALS_MISSING",
        goals(),
        "Facebook @SKHealth has no measurable goals and objectives.",
        goals(draft()),
    ),
    Case(
        "GOALS_EXPIRED",
        goals(final(date(2025, 1, 1), date(2025, 12, 31)), draft()),
        "The goals of Facebook @SKHealth ran out on 2025-12-31; no final goals cover today; "
        "2 new goals are drafted but not final yet.",
        goals(final(date(2025, 1, 1), date(2025, 12, 31)), final(date(2026, 1, 1), TODAY)),
    ),
    Case(
        "GOALS_NOT_FINAL",
        goals(draft(1)),
        "Facebook @SKHealth has 1 goal drafted or in review but none final.",
        goals(draft(1), final(date(2026, 1, 1), date(2026, 12, 31))),
    ),
    Case(
        "EVALUATION_OVERDUE",
        with_account(last_evaluated_at=regina(2026, 5, 17)),
        "Facebook @SKHealth was last evaluated on 2026-05-17; the next evaluation was due "
        "2026-11-17 (1 day ago).",
        with_account(last_evaluated_at=regina(2026, 5, 18)),  # due today
    ),
    Case(
        "NO_ENGAGEMENT_12_MONTHS",
        with_account(engagement=MetricTotals(followers=80_000, posts=120, reach=500_000)),
        "shows no engagement over the last 12 months: its metrics show no responses, shares, "
        "comments or time on page.",
        with_account(engagement=MetricTotals(time_on_page_seconds=30)),
    ),
    Case(
        "COMMENT_ACK_OVERDUE",
        backlog(ack_overdue=14, ack_oldest_due=regina(2026, 11, 17, 10)),
        "14 comments on Facebook @SKGov were not acknowledged within 1 business hour; "
        "the oldest was due 2026-11-17 10:00.",
        backlog(unassigned=2, unassigned_oldest=regina(2026, 11, 17, 10)),
    ),
    Case(
        "COMMENT_ANSWER_OVERDUE",
        backlog(answer_overdue=1, answer_oldest_due=regina(2026, 11, 17, 17)),
        "1 comment on Facebook @SKGov was not answered by the end of the next business day; "
        "it was due 2026-11-17 17:00.",
        backlog(ack_overdue=3, ack_oldest_due=regina(2026, 11, 17, 10)),
    ),
    Case(
        "COMMENT_UNASSIGNED",
        backlog(unassigned=5, unassigned_oldest=regina(2026, 11, 17, 9)),
        "5 open comments on Facebook @SKGov have had no assignee for more than 4 business hours; "
        "the oldest has waited since 2026-11-17 09:00.",
        backlog(answer_overdue=1, answer_oldest_due=regina(2026, 11, 17, 17)),
    ),
    Case(
        "EMERGENCY_NO_ON_CALL",
        emergency(council=""),
        "The emergency \u201cSpring flood 2026\u201d, declared 2026-11-17 13:00, has no on-call "
        "person named from the Executive Council digital team.",
        emergency(council="", ended_at=AS_OF - timedelta(minutes=1)),
    ),
    Case(
        "STRIKE_THRESHOLD_REACHED",
        commenter((40, 20, 2)),
        "Facebook @troll42 has 3 strikes within 365 days and no ban is proposed or active.",
        commenter(
            (40, 20, 2),
            (BanRecord(BanKind.TEMPORARY, BanStatus.PROPOSED, AS_OF, AS_OF + timedelta(30)),),
        ),
    ),
    Case(
        "BAN_EXPIRED_NOT_LIFTED",
        active_ban(regina(2026, 11, 17, 8, 30)),
        "The temporary ban of @troll42 on Facebook ended 2026-11-17 08:30 but is still "
        "recorded as active.",
        active_ban(AS_OF + timedelta(minutes=1)),
    ),
]


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def test_a_compliant_world_has_no_findings() -> None:
    assert run_checks(CLEAN, S, AS_OF) == []


def test_every_registered_check_has_a_case() -> None:
    assert sorted(c.code for c in CASES) == sorted(CHECKS)


@pytest.mark.parametrize("case", CASES, ids=[c.code for c in CASES])
def test_check_finds_its_violation(case: Case) -> None:
    findings = run_checks(case.finds, S, AS_OF)
    assert codes(findings) == [case.code]
    (finding,) = findings
    assert case.message in finding.message
    assert finding.severity is CHECKS[case.code].severity
    assert finding.remedy


@pytest.mark.parametrize("case", CASES, ids=[c.code for c in CASES])
def test_check_does_not_find_the_compliant_neighbour(case: Case) -> None:
    assert case.code not in codes(run_checks(case.clean, S, AS_OF))


# -- variants a user would notice ----------------------------------------------------------


def test_owner_who_left_is_no_accountable_owner() -> None:
    (f,) = run_checks(with_account(owner_active=False), S, AS_OF, ["ACCOUNT_NO_OWNER"])
    assert f.message == (
        "The accountable owner of Facebook @SKHealth, Olive Officer, is no longer active."
    )


def test_password_never_recorded_counts_as_overdue() -> None:
    (f,) = run_checks(with_account(password_changed_at=None), S, AS_OF)
    assert f.code == "PASSWORD_ROTATION_OVERDUE"
    assert "No password change has ever been recorded" in f.message
    assert f.since is None


def test_facebook_admins_names_a_missing_director_role() -> None:
    facts = replace(CLEAN, directors=(DCI,))
    (f,) = run_checks(facts, S, AS_OF, ["FACEBOOK_ADMINS"])
    assert "no Ministry Director of Communications is registered for Ministry of Health" in (
        f.message
    )
    assert "Cora Comms is an Admin but should be Editor" in f.message
    assert f.remedy.startswith("Register the Ministry Director of Communications")


def test_facebook_admins_the_comms_director_of_another_ministry_does_not_count() -> None:
    other = DirectorFacts("p-comms2", "Eve Env", AppRole.COMMS_DIRECTOR, "m2")
    facts = replace(
        CLEAN,
        directors=(COMMS, DCI, other),
        grants=(grant("p-comms2", "Eve Env"), grant("p-dci", "Dana Dci")),
    )
    (f,) = run_checks(facts, S, AS_OF, ["FACEBOOK_ADMINS"])
    assert "the Ministry Director of Communications (Cora Comms) is not an Admin" in f.message
    assert "Eve Env is an Admin but should be Editor" in f.message
    assert f.remedy == "Give Cora Comms the Admin role; change Eve Env to Editor."


def test_third_party_access_past_its_own_expiry() -> None:
    facts = with_agency_grant(expires_on=date(2026, 11, 10))
    (f,) = run_checks(facts, S, AS_OF, ["THIRD_PARTY_ACCESS_NOT_REVOKED"])
    assert "the access expired on 2026-11-10 (8 days ago)" in f.message
    assert f.since == regina(2026, 11, 11, 0)


def test_x_advertiser_access_is_named_for_x_accounts() -> None:
    facts = with_agency_grant(business_id="", platform=Platform.X)
    (f,) = run_checks(facts, S, AS_OF, ["THIRD_PARTY_NO_BUSINESS_ID"])
    assert f.message.endswith("without X advertiser access.")


def test_repeat_offender_is_proposed_for_permanent_removal() -> None:
    earlier = BanRecord(
        BanKind.TEMPORARY, BanStatus.EXPIRED, AS_OF - timedelta(100), AS_OF - timedelta(70)
    )
    (f,) = run_checks(commenter((60, 30, 5), (earlier,)), S, AS_OF)
    assert f.code == "STRIKE_THRESHOLD_REACHED"
    assert f.remedy == "Propose a permanent removal: this person was banned before."
    assert f.since == AS_OF - timedelta(days=5)


def test_goals_older_than_their_validity_expire_even_within_their_period() -> None:
    # An 18-month period still needs renewal after 12 months.
    (f,) = run_checks(goals(final(date(2025, 6, 1), date(2026, 12, 31))), S, AS_OF)
    assert f.code == "GOALS_EXPIRED"
    assert "ran out on 2026-05-31" in f.message


def test_never_evaluated_account_is_due_six_months_after_going_live() -> None:
    facts = with_account(last_evaluated_at=None, activated_at=regina(2026, 4, 1))
    (f,) = run_checks(facts, S, AS_OF, ["EVALUATION_OVERDUE"])
    assert f.message == (
        "Facebook @SKHealth has not been evaluated since it went live on 2026-04-01; its first "
        "evaluation was due 2026-10-01 (48 days ago)."
    )


def test_account_younger_than_the_window_is_not_a_termination_candidate() -> None:
    facts = with_account(engagement=None, activated_at=AS_OF - timedelta(days=300))
    assert run_checks(facts, S, AS_OF) == []
    old = with_account(engagement=None)
    (f,) = run_checks(old, S, AS_OF)
    assert f.message.endswith("no metrics were recorded.")


def test_suspended_accounts_are_not_asked_for_goals_or_engagement() -> None:
    facts = with_account(status=AccountStatus.SUSPENDED, goals=(), engagement=None)
    assert run_checks(facts, S, AS_OF) == []


@dataclass(frozen=True)
class Threshold:
    code: str
    facts: ComplianceFacts
    setting: dict[str, object]  # a stricter value that makes the facts a violation


THRESHOLDS = [
    Threshold(
        "PASSWORD_ROTATION_OVERDUE",
        with_account(password_changed_at=AS_OF - timedelta(days=31)),
        {"password_rotation_days": 30},
    ),
    Threshold(
        "THIRD_PARTY_ACCESS_NOT_REVOKED",
        with_agency_grant(campaign_ends_on=date(2026, 11, 10)),
        {"third_party_revoke_days": 7},
    ),
    Threshold(
        "APPROVAL_STALLED",
        approval(submitted_at=AS_OF - timedelta(days=5)),
        {"approval_stall_days": 5},
    ),
    Threshold(
        "EVALUATION_OVERDUE",
        with_account(last_evaluated_at=AS_OF - timedelta(days=100)),
        {"evaluation_interval_months": 3},
    ),
    Threshold(
        "GOALS_EXPIRED",
        goals(final(date(2026, 1, 1), date(2026, 12, 31))),
        {"goals_validity_months": 6},
    ),
    Threshold(
        "STRIKE_THRESHOLD_REACHED",
        commenter((10, 5)),
        {"strike_threshold": 2},
    ),
    Threshold(
        "ACCOUNT_EMAIL_DOMAIN",
        with_account(government_email="web@saskpower.com"),
        {"allowed_email_domains": ("gov.sk.ca",)},
    ),
]


@pytest.mark.parametrize("t", THRESHOLDS, ids=[t.code for t in THRESHOLDS])
def test_thresholds_come_from_the_settings(t: Threshold) -> None:
    assert t.code not in codes(run_checks(t.facts, S, AS_OF))
    stricter = replace(S, **t.setting)  # type: ignore[arg-type]
    assert t.code in codes(run_checks(t.facts, stricter, AS_OF))


def test_the_day_is_the_configured_zone_s_day() -> None:
    # 2026-11-18 03:00 UTC is still 2026-11-17 in Regina: the grace period has not run out.
    early = datetime(2026, 11, 18, 3, 0, tzinfo=UTC)
    facts = with_agency_grant(campaign_ends_on=date(2026, 11, 3))
    assert "THIRD_PARTY_ACCESS_NOT_REVOKED" not in codes(run_checks(facts, S, early))
    utc = replace(S, timezone="UTC")
    assert "THIRD_PARTY_ACCESS_NOT_REVOKED" in codes(run_checks(facts, utc, early))


# -- findings, registry and summary --------------------------------------------------------


def test_finding_json_has_exactly_the_field_names_and_iso_times() -> None:
    (f,) = run_checks(backlog(ack_overdue=2, ack_oldest_due=regina(2026, 11, 17, 10)), S, AS_OF)
    data = f.to_json()
    assert list(data) == [field.name for field in dataclasses.fields(Finding)]
    assert data["severity"] == "critical"
    assert data["subject_type"] == "account"
    assert data["subject_id"] == "a1"
    assert data["since"] == "2026-11-17T16:00:00+00:00"


def test_findings_are_sorted_critical_first_then_code_and_label() -> None:
    facts = replace(
        with_account(password_changed_at=None, owner_id=None),
        accounts=(
            replace(ACCOUNT, password_changed_at=None, owner_id=None),
            replace(ACCOUNT, id="a0", handle="AbcHealth", password_changed_at=None),
        ),
    )
    found = [(f.severity.value, f.code, f.subject_label) for f in run_checks(facts, S, AS_OF)]
    assert found == sorted(found, key=lambda x: ({"critical": 0, "warning": 1}[x[0]], x[1], x[2]))
    assert found[0] == ("critical", "ACCOUNT_NO_OWNER", "Facebook @SKHealth")
    assert sort_findings(reversed(run_checks(facts, S, AS_OF))) == run_checks(facts, S, AS_OF)


def test_summary_counts_every_severity_and_each_code() -> None:
    findings = run_checks(with_account(password_changed_at=None, owner_id=None), S, AS_OF)
    summary = summarize(findings)
    assert summary.by_severity == {Severity.CRITICAL: 1, Severity.WARNING: 1, Severity.INFO: 0}
    assert summary.by_code == {"ACCOUNT_NO_OWNER": 1, "PASSWORD_ROTATION_OVERDUE": 1}
    assert summary.has_critical
    assert summary.line == "2 findings: 1 critical, 1 warning, 0 info"
    assert not summarize([]).has_critical


def test_codes_select_checks_and_unknown_codes_are_refused() -> None:
    facts = with_account(password_changed_at=None, owner_id=None)
    only = run_checks(facts, S, AS_OF, ["password_rotation_overdue"])
    assert codes(only) == ["PASSWORD_ROTATION_OVERDUE"]
    with pytest.raises(DomainError, match="There is no check called NO_SUCH_CHECK; the checks"):
        select_checks(["NO_SUCH_CHECK"])


def test_as_of_must_be_aware() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        run_checks(CLEAN, S, datetime(2026, 11, 18, 9))


def test_a_code_cannot_be_registered_twice() -> None:
    decorate: Callable[..., object] = check(
        "ACCOUNT_NO_OWNER", Severity.INFO, title="t", policy_quote="q", remedy="r"
    )
    with pytest.raises(ValueError, match="already registered"):
        decorate(lambda facts, settings, as_of: [])


# -- the documentation traces each check to the policy -------------------------------------


def _doc_rows() -> dict[str, list[str]]:
    text = (ROOT / "docs" / "policy-checks.md").read_text(encoding="utf-8")
    rows: dict[str, list[str]] = {}
    for line in text.splitlines():
        match = re.match(r"\|\s*`([A-Z0-9_]+)`\s*\|(.*)\|\s*$", line)
        if match:
            rows[match.group(1)] = [cell.strip() for cell in match.group(2).split(" | ")]
    return rows


def test_every_check_has_a_row_quoting_the_policy_verbatim() -> None:
    policy = (ROOT / "desktop" / "resources" / "policy" / "social-media-policy.txt").read_text(
        "utf-8"
    )
    rows = _doc_rows()
    assert sorted(rows) == sorted(CHECKS)
    for code, spec in CHECKS.items():
        severity, _title, quote, remedy = rows[code]
        assert severity == spec.severity.value, code
        assert quote == f"\u201c{spec.policy_quote}\u201d", code
        assert spec.policy_quote in policy, code
        assert remedy == spec.remedy, code


def test_the_doc_defines_no_engagement() -> None:
    text = (ROOT / "docs" / "policy-checks.md").read_text(encoding="utf-8")
    assert NO_ENGAGEMENT_DEFINITION in " ".join(text.split())


def test_approved_without_its_request_and_unreviewed_goals_are_flagged() -> None:
    approved = with_account(
        status=AccountStatus.APPROVED, new_account_approved=False, unreviewed_final_goals=0
    )
    (finding,) = run_checks(approved, S, AS_OF, ["STATUS_WITHOUT_APPROVAL"])
    assert finding.message == (
        "Facebook @SKHealth is approved without an approved new-account request "
        "(DSO alignment, then senior Executive Council)."
    )
    # Through the workflow: nothing to say; a proposed account needs no approval yet.
    for clean in (
        with_account(status=AccountStatus.APPROVED, new_account_approved=True),
        with_account(status=AccountStatus.PROPOSED, new_account_approved=False),
        with_account(status=AccountStatus.SHUT_DOWN, new_account_approved=False),
    ):
        assert run_checks(clean, S, AS_OF, ["STATUS_WITHOUT_APPROVAL"]) == []
    (goals_finding,) = run_checks(
        with_account(unreviewed_final_goals=2), S, AS_OF, ["STATUS_WITHOUT_APPROVAL"]
    )
    assert goals_finding.message == (
        "Facebook @SKHealth has 2 final goals that no approved review by the Director, "
        "Digital Channels and Insights and Executive Council finalized."
    )


def test_a_resubmitted_request_stalls_from_its_resubmission() -> None:
    resubmitted = approval(submitted_at=regina(2026, 11, 8, 9), resubmitted=True)
    (finding,) = run_checks(resubmitted, S, AS_OF, ["APPROVAL_STALLED"])
    assert "10 days since it was resubmitted on 2026-11-08 09:00" in finding.message
    fresh = approval(submitted_at=regina(2026, 11, 17, 9), resubmitted=True)
    assert run_checks(fresh, S, AS_OF, ["APPROVAL_STALLED"]) == []


def test_password_due_at_the_instant_the_inventory_shows() -> None:
    from desktop.policy.periods import password_due
    from desktop.services.account_list import PasswordLevel, password_level

    changed = AS_OF - timedelta(days=90)
    due = password_due(changed, S.password_rotation_days)
    assert due == AS_OF
    at_due = with_account(password_changed_at=changed)
    assert run_checks(at_due, S, due, ["PASSWORD_ROTATION_OVERDUE"]) == []
    assert password_level(changed, due, 90, live=True) is PasswordLevel.DUE_SOON
    later = due + timedelta(seconds=1)
    assert codes(run_checks(at_due, S, later, ["PASSWORD_ROTATION_OVERDUE"])) == [
        "PASSWORD_ROTATION_OVERDUE"
    ]
    assert password_level(changed, later, 90, live=True) is PasswordLevel.OVERDUE


def test_an_international_account_without_cultural_notes_is_asked_for_them() -> None:
    bare = with_account(is_international=True, language="Mandarin", has_cultural_notes=False)
    (finding,) = run_checks(bare, S, AS_OF, ["INTERNATIONAL_NO_LANGUAGE"])
    assert finding.message == (
        "Facebook @SKHealth is an international account with no cultural notes recorded."
    )
    neither = with_account(is_international=True, language="", has_cultural_notes=False)
    (finding,) = run_checks(neither, S, AS_OF, ["INTERNATIONAL_NO_LANGUAGE"])
    assert "with no language or cultural notes recorded" in finding.message
    # Not international: nothing asked.
    local = with_account(is_international=False, language="", has_cultural_notes=False)
    assert run_checks(local, S, AS_OF, ["INTERNATIONAL_NO_LANGUAGE"]) == []
