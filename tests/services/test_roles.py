"""The permission matrix: who may grant, the Facebook admin rule, third-party access limits."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from desktop.enums import PageRole, PersonKind, Platform
from desktop.errors import ConflictError, DomainError, PermissionDenied
from desktop.models import Account, AccountRole, AuditEvent, Campaign, Setting
from desktop.services.accounts import AccountInput, AccountService
from desktop.services.campaigns import CampaignService
from desktop.services.people import PeopleService
from desktop.services.roles import RoleService
from tests.factories import Cast, approve_new_account

TODAY = date(2026, 11, 18)  # the cast's clock, in Regina
BUSINESS_ID = "1029384756"
NOT_MANAGERS = ["officer", "officer2", "comms", "dci", "council", "minister", "agency", "auditor"]


def _campaign(cast: Cast, ends_on: date = TODAY + timedelta(days=30)) -> Campaign:
    return CampaignService(cast.ctx("officer")).create(
        "Flu shots 2026", cast.health.id, "Prairie Ads Inc.", ends_on - timedelta(days=60), ends_on
    )


def test_dso_grants_editor_and_the_matrix_shows_it(cast: Cast) -> None:
    account = cast.account()
    grant = RoleService(cast.ctx("dso")).grant(
        cast.people["officer"].id, account.id, PageRole.EDITOR
    )
    assert grant.granted_by_id == cast.people["dso"].id
    rows = RoleService(cast.ctx("auditor")).active_roles(account_id=account.id)
    assert [(r.person_name, r.login, r.role, r.account_label) for r in rows] == [
        ("Officer Person", "officer", PageRole.EDITOR, "Facebook @SKHealth")
    ]
    assert rows[0].granted_at == cast.clock()
    assert (rows[0].expires_on, rows[0].campaign_name) == (None, None)
    with cast.db.read() as s:
        actions = [e.action for e in s.query(AuditEvent).filter_by(entity_id=str(grant.id))]
    assert actions == ["account_role.grant"]


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_dso_and_admin_grant(cast: Cast, who: str) -> None:
    account = cast.account()
    with pytest.raises(PermissionDenied, match="granting or revoking roles needs the role"):
        RoleService(cast.ctx(who)).grant(cast.people["officer"].id, account.id, PageRole.EDITOR)


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_dso_and_admin_change_or_revoke(cast: Cast, who: str) -> None:
    account = cast.account()
    grant = RoleService(cast.ctx("admin")).grant(
        cast.people["officer"].id, account.id, PageRole.EDITOR
    )
    service = RoleService(cast.ctx(who))
    with pytest.raises(PermissionDenied, match="needs the role"):
        service.revoke(grant.id, "left the team")
    with pytest.raises(PermissionDenied, match="needs the role"):
        service.change(grant.id, PageRole.MODERATOR)
    with pytest.raises(PermissionDenied, match="needs the role"):
        service.revoke_expired(TODAY)
    assert len(RoleService(cast.ctx("auditor")).active_roles(account_id=account.id)) == 1


def test_one_active_role_per_person_per_account_change_instead(cast: Cast) -> None:
    account = cast.account()
    service = RoleService(cast.ctx("dso"))
    grant = service.grant(cast.people["officer"].id, account.id, PageRole.EDITOR)
    with pytest.raises(ConflictError, match=r"already holds the role Editor.*change that role"):
        service.grant(cast.people["officer"].id, account.id, PageRole.ANALYST)
    changed = service.change(grant.id, PageRole.ANALYST, version=grant.version)
    assert changed.role == PageRole.ANALYST
    with pytest.raises(DomainError, match="already Analyst"):
        service.change(grant.id, "analyst")
    service.revoke(grant.id, "moved to another branch")
    with pytest.raises(DomainError, match="already revoked on 2026-11-18"):
        service.revoke(grant.id)
    again = service.grant(cast.people["officer"].id, account.id, PageRole.MODERATOR)
    assert [r.id for r in service.active_roles(person_id=cast.people["officer"].id)] == [again.id]


def test_stale_version_on_change_is_a_conflict(cast: Cast) -> None:
    account = cast.account()
    service = RoleService(cast.ctx("dso"))
    grant = service.grant(cast.people["officer"].id, account.id, PageRole.EDITOR)
    service.change(grant.id, PageRole.MODERATOR, version=grant.version)
    with pytest.raises(ConflictError, match="Someone else changed this access"):
        service.change(grant.id, PageRole.ANALYST, version=grant.version)
    with pytest.raises(ConflictError, match="Someone else changed this access"):
        service.revoke(grant.id, version=grant.version)


@pytest.mark.parametrize("who", ["comms", "dci"])
def test_facebook_admins_are_the_two_directors(cast: Cast, who: str) -> None:
    account = cast.account()
    grant = RoleService(cast.ctx("dso")).grant(cast.people[who].id, account.id, PageRole.ADMIN)
    assert grant.role == PageRole.ADMIN


@pytest.mark.parametrize("who", ["officer", "dso", "council", "agency"])
def test_anyone_else_is_refused_facebook_admin_with_the_rule(cast: Cast, who: str) -> None:
    account = cast.account()
    with pytest.raises(DomainError, match="All other staff posting to Facebook have the page role"):
        RoleService(cast.ctx("dso")).grant(
            cast.people[who].id, account.id, PageRole.ADMIN, business_id=BUSINESS_ID
        )


def test_comms_director_of_another_ministry_is_not_facebook_admin(cast: Cast) -> None:
    env_page = cast.account("SaskEnvironment", ministry_id=cast.environment.id)
    service = RoleService(cast.ctx("dso"))
    with pytest.raises(DomainError, match="cannot be Admin of Facebook @SaskEnvironment"):
        service.grant(cast.people["comms"].id, env_page.id, PageRole.ADMIN)
    editor = service.grant(cast.people["comms"].id, env_page.id, PageRole.EDITOR)
    with pytest.raises(DomainError, match="page role Editor"):
        service.change(editor.id, PageRole.ADMIN)


def test_admin_rule_is_for_facebook_only(cast: Cast) -> None:
    x = cast.account("SKHealthX", Platform.X)
    grant = RoleService(cast.ctx("dso")).grant(cast.people["officer"].id, x.id, PageRole.ADMIN)
    assert grant.role == PageRole.ADMIN


def test_third_party_needs_business_id_and_campaign(cast: Cast) -> None:
    account = cast.account()
    service = RoleService(cast.ctx("dso"))
    agency = cast.people["agency"].id
    campaign = _campaign(cast)
    with pytest.raises(DomainError, match="need a Facebook Business ID or X advertiser") as err:
        service.grant(agency, account.id, PageRole.ADVERTISER, campaign_id=campaign.id)
    assert err.value.field == "business_id"
    with pytest.raises(DomainError, match="duration of an advertising campaign") as err:
        service.grant(agency, account.id, PageRole.ADVERTISER, business_id=BUSINESS_ID)
    assert err.value.field == "campaign_id"


def _agency_grant(
    cast: Cast, account: Account, campaign: Campaign, expires_on: date | None = None
) -> AccountRole:
    return RoleService(cast.ctx("dso")).grant(
        cast.people["agency"].id,
        account.id,
        PageRole.ADVERTISER,
        business_id=BUSINESS_ID,
        campaign_id=campaign.id,
        expires_on=expires_on,
    )


def test_third_party_access_defaults_to_campaign_end_plus_14_days(cast: Cast) -> None:
    grant = _agency_grant(cast, cast.account(), _campaign(cast, ends_on=date(2026, 12, 20)))
    assert grant.expires_on == date(2027, 1, 3)
    (row,) = RoleService(cast.ctx("dso")).active_roles(person_id=cast.people["agency"].id)
    assert (row.kind, row.business_id, row.campaign_name, row.expires_on) == (
        PersonKind.AGENCY,
        BUSINESS_ID,
        "Flu shots 2026",
        date(2027, 1, 3),
    )


def test_third_party_expiry_cannot_pass_the_deadline(cast: Cast) -> None:
    account = cast.account()
    campaign = _campaign(cast, ends_on=date(2026, 12, 20))
    with pytest.raises(DomainError, match=r"no later than 2027-01-03, 14 days after") as err:
        _agency_grant(cast, account, campaign, date(2027, 1, 4))
    assert err.value.field == "expires_on"
    with pytest.raises(DomainError, match="cannot expire in the past"):
        _agency_grant(cast, account, campaign, date(2026, 11, 17))
    assert _agency_grant(cast, account, campaign, date(2026, 12, 1)).expires_on == date(2026, 12, 1)


def test_campaign_over_more_than_the_window_is_refused(cast: Cast) -> None:
    account = cast.account()
    ended = _campaign(cast, ends_on=TODAY - timedelta(days=15))
    with pytest.raises(DomainError, match="ended on 2026-11-03; third-party access ends"):
        _agency_grant(cast, account, ended)
    recent = _campaign(cast, ends_on=TODAY - timedelta(days=14))
    assert _agency_grant(cast, account, recent).expires_on == TODAY


def test_window_comes_from_the_settings(cast: Cast) -> None:
    with cast.db.write() as s:
        s.add(Setting(key="third_party_revoke_days", value=json.dumps(7)))
    grant = _agency_grant(cast, cast.account(), _campaign(cast, ends_on=date(2026, 12, 20)))
    assert grant.expires_on == date(2026, 12, 27)


def test_grants_only_on_approved_or_active_accounts(cast: Cast) -> None:
    proposed = AccountService(cast.ctx("officer")).propose(
        AccountInput(Platform.FACEBOOK, "SKHealthNew", cast.health.id, "new@gov.sk.ca")
    )
    retired = cast.account()
    AccountService(cast.ctx("dso")).retire(retired.id, "Program ended")
    service = RoleService(cast.ctx("dso"))
    officer = cast.people["officer"].id
    for account, status in ((proposed, "proposed"), (retired, "shut down")):
        with pytest.raises(DomainError, match=f"is {status}; roles are granted only on approved"):
            service.grant(officer, account.id, "editor")
    approve_new_account(cast, proposed.id)
    assert service.grant(officer, proposed.id, "editor").role == PageRole.EDITOR


def test_inactive_person_gets_no_access(cast: Cast) -> None:
    account = cast.account()
    PeopleService(cast.ctx("admin")).deactivate(cast.people["officer2"].id)
    with pytest.raises(DomainError, match="Officer2 Person is no longer active"):
        RoleService(cast.ctx("dso")).grant(cast.people["officer2"].id, account.id, "editor")


def test_unknown_page_role_is_refused_with_the_choices(cast: Cast) -> None:
    account = cast.account()
    with pytest.raises(DomainError, match="'owner' is not one of: admin, editor"):
        RoleService(cast.ctx("dso")).grant(cast.people["officer"].id, account.id, "owner")


def test_revoke_expired_revokes_due_access_in_one_audited_step(cast: Cast) -> None:
    account = cast.account()
    x = cast.account("SKHealthX", Platform.X)
    service = RoleService(cast.ctx("dso"))
    campaign = _campaign(cast, ends_on=date(2026, 12, 20))
    short = _agency_grant(cast, account, campaign, date(2026, 12, 1))
    full = _agency_grant(cast, x, campaign)  # to 2027-01-03
    student = service.grant(
        cast.people["officer2"].id, account.id, "analyst", expires_on=date(2026, 12, 31)
    )
    staff = service.grant(cast.people["officer"].id, account.id, "editor")

    assert service.revoke_expired(date(2026, 12, 1)) == []  # the expiry day is still allowed
    due = sorted([short.id, full.id, student.id], key=str)
    assert service.revoke_expired(date(2027, 1, 4)) == due
    assert [r.id for r in service.active_roles()] == [staff.id]
    with cast.db.read() as s:
        events = (
            s.query(AuditEvent)
            .filter_by(action="account_role.revoke_expired")
            .order_by(AuditEvent.seq)
            .all()
        )
    assert [json.loads(e.after)["revoked"] for e in events] == [[], [str(i) for i in due]]
    with pytest.raises(ConflictError, match="Someone else changed"):
        service.revoke(short.id, version=short.version)  # the bulk revoke moved the version
