"""The permission matrix read: people × accounts, the cells, and the violations of each cell."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from desktop.enums import AccountStatus, PageRole, PersonKind, Platform
from desktop.errors import PermissionDenied
from desktop.models import Account, AccountRole, Campaign, Setting
from desktop.models.base import new_id
from desktop.services.campaigns import CampaignService
from desktop.services.people import PeopleService, PersonInput
from desktop.services.permission_matrix import (
    MatrixFilter,
    PermissionMatrix,
    PermissionMatrixService,
    Violation,
)
from desktop.services.roles import RoleService
from tests.factories import Cast

TODAY = date(2026, 11, 18)


def _matrix(cast: Cast, who: str = "auditor", **filters: object) -> PermissionMatrix:
    return PermissionMatrixService(cast.ctx(who)).matrix(MatrixFilter(**filters))  # type: ignore[arg-type]


def _plant(
    cast: Cast,
    person: str | uuid.UUID,
    account: Account,
    role: PageRole,
    *,
    campaign_id: uuid.UUID | None = None,
    expires_on: date | None = None,
) -> uuid.UUID:
    """A grant the services would refuse today, as old data or an import brings it."""
    person_id = cast.people[person].id if isinstance(person, str) else person
    grant = AccountRole(
        id=new_id(),
        person_id=person_id,
        account_id=account.id,
        role=role,
        granted_at=cast.clock() - timedelta(days=90),
        business_id="1029384756" if campaign_id else "",
        campaign_id=campaign_id,
        expires_on=expires_on,
    )
    with cast.db.write() as s:
        s.add(grant)
    return grant.id


def _ended_campaign(cast: Cast, ends_on: date) -> uuid.UUID:
    campaign = Campaign(
        id=new_id(),
        name="Flu shots 2026",
        ministry_id=cast.health.id,
        agency_name="Prairie Ads Inc.",
        starts_on=ends_on - timedelta(days=60),
        ends_on=ends_on,
    )
    with cast.db.write() as s:
        s.add(campaign)
    return campaign.id


def _contractor(cast: Cast, email: str = "tyler.k@gmail.com") -> uuid.UUID:
    person = PeopleService(cast.ctx("admin")).add(
        PersonInput(
            "tkowal", "Tyler Kowalchuk", email, ministry_id=cast.health.id,
            kind=PersonKind.CONTRACTOR,
        )
    )  # fmt: skip
    return person.id


def test_cells_hold_the_role_and_the_directors_are_lawful_admins(cast: Cast) -> None:
    fb = cast.account("SKHealth", Platform.FACEBOOK)
    x = cast.account("SKHealthX", Platform.X)
    roles = RoleService(cast.ctx("dso"))
    for who, account, role in [
        ("officer", fb, PageRole.EDITOR),
        ("officer", x, PageRole.ADMIN),
        ("comms", fb, PageRole.ADMIN),
        ("dci", fb, PageRole.ADMIN),
    ]:
        roles.grant(cast.people[who].id, account.id, role)
    matrix = _matrix(cast)
    assert [a.label for a in matrix.accounts] == ["Facebook @SKHealth", "X (Twitter) @SKHealthX"]
    officer = cast.people["officer"].id
    assert matrix.cell(officer, fb.id) is not None
    got = {
        (p.name, a.label): (c.role, c.violations)
        for p in matrix.people
        for a in matrix.accounts
        if (c := matrix.cell(p.id, a.id)) is not None
    }
    assert got == {
        ("Officer Person", "Facebook @SKHealth"): (PageRole.EDITOR, ()),
        # An Admin on X is no Facebook admin: the rule is about Facebook pages.
        ("Officer Person", "X (Twitter) @SKHealthX"): (PageRole.ADMIN, ()),
        ("Comms Person", "Facebook @SKHealth"): (PageRole.ADMIN, ()),
        ("Dci Person", "Facebook @SKHealth"): (PageRole.ADMIN, ()),
    }
    assert matrix.counts == {v: 0 for v in Violation}
    # Everyone active is a row, so a role can be granted to someone who holds none yet.
    assert {p.name for p in matrix.people} == {p.name for p in cast.people.values()}


def test_extra_facebook_admins_are_flagged(cast: Cast) -> None:
    health_page = cast.account("SKHealth", Platform.FACEBOOK)
    env_page = cast.account("SKEnvironment", Platform.FACEBOOK, ministry_id=cast.environment.id)
    _plant(cast, "officer", health_page, PageRole.ADMIN)
    _plant(cast, "comms", health_page, PageRole.ADMIN)
    # The Health director of communications is no Admin of another ministry's page.
    _plant(cast, "comms", env_page, PageRole.ADMIN)
    _plant(cast, "dci", env_page, PageRole.ADMIN)
    matrix = _matrix(cast)

    def flags(who: str, account: Account) -> tuple[Violation, ...]:
        cell = matrix.cell(cast.people[who].id, account.id)
        assert cell is not None
        return cell.violations

    assert flags("officer", health_page) == (Violation.EXTRA_FACEBOOK_ADMIN,)
    assert flags("comms", health_page) == ()
    assert flags("comms", env_page) == (Violation.EXTRA_FACEBOOK_ADMIN,)
    assert flags("dci", env_page) == ()
    assert matrix.counts[Violation.EXTRA_FACEBOOK_ADMIN] == 2


def test_third_party_access_past_its_revocation_date_is_flagged(cast: Cast) -> None:
    page = cast.account()
    x = cast.account("SKHealthX", Platform.X)
    ended = _ended_campaign(cast, TODAY - timedelta(days=15))  # deadline yesterday
    _plant(cast, "agency", page, PageRole.ADVERTISER, campaign_id=ended)
    _plant(cast, "agency", x, PageRole.ADVERTISER, expires_on=TODAY - timedelta(days=1))
    matrix = _matrix(cast)
    agency = cast.people["agency"].id
    by_campaign = matrix.cell(agency, page.id)
    by_expiry = matrix.cell(agency, x.id)
    assert by_campaign is not None
    assert by_expiry is not None
    assert by_campaign.deadline == TODAY - timedelta(days=1)
    assert by_campaign.campaign_name == "Flu shots 2026"
    assert by_campaign.violations == (Violation.PAST_REVOCATION,)
    assert by_expiry.violations == (Violation.PAST_REVOCATION,)
    # Only the grant with an expiry date is what "revoke due access" revokes.
    assert matrix.due_for_revocation == 1


def test_access_on_its_last_day_is_not_yet_past_its_deadline(cast: Cast) -> None:
    page = cast.account()
    ended = _ended_campaign(cast, TODAY - timedelta(days=14))  # deadline today
    _plant(cast, "agency", page, PageRole.ADVERTISER, campaign_id=ended, expires_on=TODAY)
    cell = _matrix(cast).cell(cast.people["agency"].id, page.id)
    assert cell is not None
    assert (cell.deadline, cell.violations) == (TODAY, ())


def test_the_revocation_window_is_a_setting(cast: Cast) -> None:
    page = cast.account()
    ended = _ended_campaign(cast, TODAY - timedelta(days=10))
    _plant(cast, "agency", page, PageRole.ADVERTISER, campaign_id=ended)
    with cast.db.write() as s:
        s.add(Setting(key="third_party_revoke_days", value="7"))
    matrix = _matrix(cast)
    cell = matrix.cell(cast.people["agency"].id, page.id)
    assert cell is not None
    assert cell.violations == (Violation.PAST_REVOCATION,)
    assert matrix.revoke_days == 7


def test_staff_with_a_personal_email_holding_a_role_is_flagged(cast: Cast) -> None:
    page = cast.account()
    tyler = _contractor(cast)
    # Refused at grant time now (issue 14): a grant from before, or imported.
    _plant(cast, tyler, page, PageRole.EDITOR)
    # Agency staff use their agency's address: that is not a personal e-mail.
    campaign = CampaignService(cast.ctx("officer")).create(
        "Flu", cast.health.id, "Prairie Ads Inc.", TODAY, TODAY + timedelta(days=30)
    )
    RoleService(cast.ctx("dso")).grant(
        cast.people["agency"].id, page.id, PageRole.ADVERTISER,
        business_id="1029384756", campaign_id=campaign.id,
    )  # fmt: skip
    matrix = _matrix(cast)
    person = next(p for p in matrix.people if p.id == tyler)
    assert person.personal_email
    cell = matrix.cell(tyler, page.id)
    assert cell is not None
    assert cell.violations == (Violation.PERSONAL_EMAIL,)
    agency = matrix.cell(cast.people["agency"].id, page.id)
    assert agency is not None
    assert agency.violations == ()
    assert agency.deadline == TODAY + timedelta(days=44)


def test_allowed_domains_are_the_setting(cast: Cast) -> None:
    page = cast.account()
    tyler = _contractor(cast, "tyler@partner.ca")
    _plant(cast, tyler, page, PageRole.EDITOR)  # refused at grant time now (issue 14)
    assert _matrix(cast).counts[Violation.PERSONAL_EMAIL] == 1
    with cast.db.write() as s:
        s.add(Setting(key="allowed_email_domains", value='["gov.sk.ca", "partner.ca"]'))
    assert _matrix(cast).counts[Violation.PERSONAL_EMAIL] == 0


def test_several_violations_in_one_cell_most_serious_first(cast: Cast) -> None:
    page = cast.account()
    tyler = _contractor(cast)
    _plant(cast, tyler, page, PageRole.ADMIN, expires_on=TODAY - timedelta(days=3))
    cell = _matrix(cast).cell(tyler, page.id)
    assert cell is not None
    assert cell.violations == tuple(Violation)


def test_filter_by_person_kind(cast: Cast) -> None:
    page = cast.account()
    tyler = _contractor(cast, "tyler.k@gov.sk.ca")
    roles = RoleService(cast.ctx("dso"))
    roles.grant(tyler, page.id, PageRole.EDITOR)
    roles.grant(cast.people["officer"].id, page.id, PageRole.EDITOR)
    contractors = _matrix(cast, person_kind=PersonKind.CONTRACTOR)
    assert [p.name for p in contractors.people] == ["Tyler Kowalchuk"]
    assert list(contractors.cells) == [(tyler, page.id)]
    agencies = _matrix(cast, person_kind=PersonKind.AGENCY)
    assert [p.name for p in agencies.people] == ["Agency Person"]
    assert agencies.cells == {}


def test_filter_by_ministry_and_platform(cast: Cast) -> None:
    health_fb = cast.account("SKHealth", Platform.FACEBOOK)
    cast.account("SKHealthX", Platform.X)
    env_fb = cast.account("SKEnv", Platform.FACEBOOK, ministry_id=cast.environment.id)
    RoleService(cast.ctx("dso")).grant(cast.people["officer"].id, env_fb.id, PageRole.EDITOR)
    env = _matrix(cast, ministry_id=cast.environment.id)
    assert [a.label for a in env.accounts] == ["Facebook @SKEnv"]
    # The ministry's own people, and whoever holds a role on its accounts; by ministry code.
    assert [p.name for p in env.people] == ["Officer2 Person", "Officer Person"]
    facebook = _matrix(cast, platform=Platform.FACEBOOK)
    # By ministry code (ENV before HEA), then platform and handle.
    assert [a.id for a in facebook.accounts] == [env_fb.id, health_fb.id]


def test_holders_only_and_violations_only(cast: Cast) -> None:
    page = cast.account()
    other = cast.account("SKHealthX", Platform.X)
    RoleService(cast.ctx("dso")).grant(cast.people["officer"].id, other.id, PageRole.EDITOR)
    _plant(cast, "council", page, PageRole.ADMIN)
    holders = _matrix(cast, holders_only=True)
    assert [p.name for p in holders.people] == ["Council Person", "Officer Person"]
    assert len(holders.accounts) == 2
    bad = _matrix(cast, violations_only=True)
    assert [p.name for p in bad.people] == ["Council Person"]
    assert [a.label for a in bad.accounts] == ["Facebook @SKHealth"]
    assert list(bad.cells) == [(cast.people["council"].id, page.id)]


def test_accounts_shown_are_those_that_may_hold_roles_or_still_do(cast: Cast) -> None:
    live = cast.account("SKHealth")
    gone = cast.account("SKHealthOld")
    proposed = cast.account("SKHealthNew")
    _plant(cast, "officer", gone, PageRole.EDITOR)
    with cast.db.write() as s:
        s.get_one(Account, gone.id).status = AccountStatus.TERMINATED
        s.get_one(Account, proposed.id).status = AccountStatus.PROPOSED
    labels = [a.label for a in _matrix(cast).accounts]
    # A terminated account still appears while someone holds a role on it: revoke it there.
    assert labels == ["Facebook @SKHealth", "Facebook @SKHealthOld"]
    assert live.id != gone.id


def test_revoked_grants_are_not_cells(cast: Cast) -> None:
    page = cast.account()
    roles = RoleService(cast.ctx("dso"))
    grant = roles.grant(cast.people["officer"].id, page.id, PageRole.EDITOR)
    roles.revoke(grant.id, "Moved to another branch")
    assert _matrix(cast).cells == {}


@pytest.mark.parametrize("who", ["officer", "comms", "dci", "dso", "council", "admin"])
def test_every_reader_sees_the_matrix(cast: Cast, who: str) -> None:
    page = cast.account()
    RoleService(cast.ctx("dso")).grant(cast.people["officer"].id, page.id, PageRole.EDITOR)
    assert len(_matrix(cast, who).cells) == 1


def test_agency_staff_cannot_read_the_whole_matrix(cast: Cast) -> None:
    with pytest.raises(PermissionDenied, match="Reading the whole register needs the role"):
        _matrix(cast, "agency")
