from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from desktop.enums import AccountStatus, ApprovalKind, ApprovalState, PageRole, Platform
from desktop.errors import NotFound, PermissionDenied
from desktop.models import Account
from desktop.models.base import new_id
from desktop.services.account_list import (
    AccountFilters,
    AccountListService,
    AccountRow,
    PasswordLevel,
    password_level,
)
from desktop.services.accounts import AccountInput, AccountService
from desktop.services.approvals import ApprovalService
from desktop.services.goals import GoalService
from desktop.services.metrics import MetricsService
from desktop.services.people import PeopleService
from desktop.services.roles import RoleService
from tests.factories import Cast
from tests.services.test_metrics import statements


def _handles(rows: list[AccountRow]) -> list[str]:
    return sorted(r.handle for r in rows)


@pytest.fixture
def inventory(cast: Cast) -> Cast:
    cast.account("SKHealth", Platform.FACEBOOK)
    cast.account("SKHealthX", Platform.X)
    cast.account(
        "SKEnvironment",
        Platform.FACEBOOK,
        ministry_id=cast.environment.id,
        owner_id=cast.people["officer2"].id,
        government_email="environment@gov.sk.ca",
    )
    AccountService(cast.ctx("officer")).propose(
        AccountInput(Platform.YOUTUBE, "HealthVideos", cast.health.id, "video@gov.sk.ca")
    )
    return cast


def test_rows_join_ministry_and_owner(inventory: Cast) -> None:
    rows = AccountListService(inventory.ctx("auditor")).rows(inventory.clock())
    by_handle = {r.handle: r for r in rows}
    assert _handles(rows) == ["HealthVideos", "SKEnvironment", "SKHealth", "SKHealthX"]
    env = by_handle["SKEnvironment"]
    assert (env.ministry_code, env.ministry_name) == ("ENV", "Ministry of Environment")
    assert env.owner_name == "Officer2 Person"
    assert env.government_email == "environment@gov.sk.ca"
    assert env.email_allowed
    assert by_handle["HealthVideos"].owner_name is None
    assert by_handle["HealthVideos"].status == AccountStatus.PROPOSED


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (AccountFilters(platform=Platform.X), ["SKHealthX"]),
        (AccountFilters(status=AccountStatus.PROPOSED), ["HealthVideos"]),
        (AccountFilters(search="environment"), ["SKEnvironment"]),  # e-mail and ministry
        (AccountFilters(search="@skhealth"), ["SKHealth", "SKHealthX"]),  # handle, with the @
        (AccountFilters(search="officer2"), ["SKEnvironment"]),  # owner's name
        (AccountFilters(search="%"), []),  # a literal percent sign, not a wildcard
        (AccountFilters(platform=Platform.FACEBOOK, search="health"), ["SKHealth"]),
    ],
)
def test_filters_narrow_the_rows(
    inventory: Cast, filters: AccountFilters, expected: list[str]
) -> None:
    rows = AccountListService(inventory.ctx("officer")).rows(inventory.clock(), filters)
    assert _handles(rows) == expected


def test_filter_by_ministry(inventory: Cast) -> None:
    service = AccountListService(inventory.ctx("officer"))
    rows = service.rows(inventory.clock(), AccountFilters(ministry_id=inventory.environment.id))
    assert _handles(rows) == ["SKEnvironment"]


def test_password_age_and_level(inventory: Cast) -> None:
    now = inventory.clock()
    rows = {r.handle: r for r in AccountListService(inventory.ctx("dso")).rows(now)}
    accounts = AccountService(inventory.ctx("dso"))
    accounts.record_password_change(rows["SKHealth"].id, now - timedelta(days=80))
    accounts.record_password_change(rows["SKHealthX"].id, now - timedelta(days=95))
    accounts.record_password_change(rows["SKEnvironment"].id, now - timedelta(days=10))
    rows = {r.handle: r for r in AccountListService(inventory.ctx("dso")).rows(now)}
    assert rows["SKHealth"].password_age_days == 80
    assert rows["SKHealth"].password_level == PasswordLevel.DUE_SOON
    assert rows["SKHealthX"].password_level == PasswordLevel.OVERDUE
    assert rows["SKEnvironment"].password_level == PasswordLevel.OK
    assert rows["HealthVideos"].password_age_days is None
    assert rows["HealthVideos"].password_level == PasswordLevel.NOT_APPLICABLE


def test_password_level_follows_the_rotation_setting() -> None:
    at = datetime(2026, 11, 18, 15, tzinfo=UTC)
    assert password_level(None, at, 90, live=True) == PasswordLevel.OVERDUE
    assert password_level(at - timedelta(days=75), at, 90, live=True) == PasswordLevel.OK
    assert password_level(at - timedelta(days=76), at, 90, live=True) == PasswordLevel.DUE_SOON
    assert password_level(at - timedelta(days=90), at, 90, live=True) == PasswordLevel.DUE_SOON
    assert password_level(at - timedelta(days=91), at, 90, live=True) == PasswordLevel.OVERDUE
    assert password_level(at - timedelta(days=50), at, 45, live=True) == PasswordLevel.OVERDUE
    assert password_level(None, at, 90, live=False) == PasswordLevel.NOT_APPLICABLE


def test_next_evaluation_and_goals_status(inventory: Cast) -> None:
    now = inventory.clock()
    rows = {r.handle: r for r in AccountListService(inventory.ctx("officer")).rows(now)}
    # Activated today: the first evaluation is due six months on; proposed ones have none.
    assert rows["SKHealth"].next_evaluation == date(2027, 5, 18)
    assert rows["SKHealth"].evaluation_status == "ok"
    assert rows["HealthVideos"].next_evaluation is None
    assert rows["SKHealth"].goals_status == "none"
    GoalService(inventory.ctx("officer")).draft(
        rows["SKHealth"].id, "Answer questions", "comments", 100
    )
    row = AccountListService(inventory.ctx("officer")).row(rows["SKHealth"].id, now)
    assert row.goals_status == "draft only"


def test_an_address_off_the_allowed_domains_is_flagged(cast: Cast) -> None:
    # Registered before the domain rule, or the domains setting changed since.
    with cast.db.write() as session:
        session.add(
            Account(
                id=new_id(),
                platform=Platform.INSTAGRAM,
                handle="HealthPhotos",
                ministry_id=cast.health.id,
                status=AccountStatus.ACTIVE,
                government_email="health.photos@gmail.com",
            )
        )
    (row,) = AccountListService(cast.ctx("officer")).rows(cast.clock())
    assert not row.email_allowed


def test_row_of_a_missing_account(inventory: Cast) -> None:
    with pytest.raises(NotFound, match="does not exist"):
        AccountListService(inventory.ctx("officer")).row(new_id(), inventory.clock())


def test_agency_may_not_read_the_inventory(inventory: Cast) -> None:
    with pytest.raises(PermissionDenied, match="Reading the whole register needs the role"):
        AccountListService(inventory.ctx("agency")).rows(inventory.clock())


def test_to_input_round_trips_through_edit(inventory: Cast) -> None:
    service = AccountListService(inventory.ctx("officer"))
    row = next(r for r in service.rows(inventory.clock()) if r.handle == "SKHealthX")
    accounts = AccountService(inventory.ctx("officer"))
    # Saving the row's own values changes nothing, so nothing is written.
    accounts.edit(row.id, row.to_input(), version=row.version)
    assert service.row(row.id, inventory.clock()).version == row.version
    data = row.to_input()
    data.display_name = "Health news on X"
    accounts.edit(row.id, data, version=row.version)
    after = service.row(row.id, inventory.clock())
    assert (after.display_name, after.version) == ("Health news on X", row.version + 1)


def test_choices_offer_ministries_and_active_people(cast: Cast) -> None:
    PeopleService(cast.ctx("admin")).deactivate(cast.people["council2"].id)
    choices = AccountListService(cast.ctx("officer")).choices()
    assert [m.key for m in choices.ministries] == ["ENV", "HEA"]
    names = [p.label for p in choices.owners]
    assert "Officer Person" in names
    assert "Council2 Person" not in names


def test_detail_collects_goals_roles_approvals_metrics_and_history(cast: Cast) -> None:
    now = cast.clock()
    proposed = AccountService(cast.ctx("officer")).propose(
        AccountInput(Platform.INSTAGRAM, "HealthPics", cast.health.id, "pics@gov.sk.ca")
    )
    ApprovalService(cast.ctx("officer")).request_new_account(proposed.id, "Reach young people.")
    active = cast.account("SKHealth")
    GoalService(cast.ctx("officer")).draft(active.id, "Answer questions", "comments", 100)
    RoleService(cast.ctx("dso")).grant(cast.people["officer"].id, active.id, PageRole.EDITOR)
    MetricsService(cast.ctx("officer")).record(active.id, date(2026, 10, 1), 5, 1, 3, 7, 60)
    AccountService(cast.ctx("officer")).record_password_change(active.id, now)

    service = AccountListService(cast.ctx("auditor"))
    detail = service.detail(active.id, now)
    assert [g.title for g in detail.goals] == ["Answer questions"]
    assert [(r.person_name, r.role) for r in detail.roles] == [("Officer Person", PageRole.EDITOR)]
    assert detail.approvals == []
    assert len(detail.months) == 12
    assert detail.months[-1].month == date(2026, 11, 1)
    assert detail.engagement[-2] == 5 + 1 + 3 + 7
    assert [h.action for h in detail.history] == ["account.password_changed", "account.create"]

    other = service.detail(proposed.id, now)
    assert [(a.tracker.kind, a.tracker.state) for a in other.approvals] == [
        (ApprovalKind.NEW_ACCOUNT, ApprovalState.DRAFT)
    ]
    assert other.approvals[0].steps
    assert [h.action for h in other.history] == ["account.propose"]


def test_five_hundred_accounts_load_in_a_fixed_number_of_queries(cast: Cast) -> None:
    """No query per account: the table's speed is measured in benchmarks/, not here."""
    now = cast.clock()
    with cast.db.write() as session:
        session.add_all(
            Account(
                id=new_id(),
                platform=Platform.FACEBOOK,
                handle=f"Account{i:03d}",
                ministry_id=cast.health.id,
                status=AccountStatus.ACTIVE,
                activated_at=now - timedelta(days=i),
                government_email=f"a{i}@gov.sk.ca",
                owner_id=cast.people["officer"].id,
                password_changed_at=now - timedelta(days=i % 120),
            )
            for i in range(500)
        )
    service = AccountListService(cast.ctx("officer"))
    with statements(cast.db) as seen:
        rows = service.rows(now)
    assert len(rows) == 500
    assert len(seen) < 30, f"{len(seen)} queries for 500 accounts"
