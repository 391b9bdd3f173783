"""Third-party campaigns: who may record them, their dates, and how they bound agency access."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.enums import ApprovalState, PageRole
from desktop.errors import ConflictError, DomainError, PermissionDenied
from desktop.models import AuditEvent
from desktop.services.approvals import ApprovalService
from desktop.services.campaigns import CampaignService
from desktop.services.roles import RoleService
from tests.factories import Cast

START, END = date(2026, 12, 1), date(2027, 1, 31)


def test_officer_records_a_campaign_with_audit(cast: Cast) -> None:
    campaign = CampaignService(cast.ctx("officer")).create(
        "  Winter driving  ", cast.health.id, "Prairie Ads Inc.", START, END, "Radio and social"
    )
    assert (campaign.name, campaign.starts_on, campaign.ends_on) == ("Winter driving", START, END)
    with cast.db.read() as s:
        events = s.query(AuditEvent).filter_by(entity_id=str(campaign.id)).all()
    assert [(e.action, e.actor_login) for e in events] == [("campaign.create", "officer")]


@pytest.mark.parametrize("who", ["dci", "council", "minister", "agency", "auditor"])
def test_roles_that_may_not_record_campaigns(cast: Cast, who: str) -> None:
    with pytest.raises(
        PermissionDenied, match="campaign or official content for approval needs the role"
    ):
        CampaignService(cast.ctx(who)).create("Ads", cast.health.id, "Agency", START, END)


def test_dates_in_order_and_agency_required(cast: Cast) -> None:
    service = CampaignService(cast.ctx("comms"))
    with pytest.raises(DomainError, match=r"End date \(2026-11-30\) is before Start date") as err:
        service.create("Ads", cast.health.id, "Agency", START, date(2026, 11, 30))
    assert err.value.field == "ends_on"
    with pytest.raises(DomainError, match="Agency name is required") as err:
        service.create("Ads", cast.health.id, "  ", START, END)
    assert err.value.field == "agency_name"
    with pytest.raises(DomainError, match="Campaign name is required"):
        service.create("", cast.health.id, "Agency", START, END)
    with pytest.raises(DomainError, match="Choose the ministry"):
        service.create("Ads", cast.people["officer"].id, "Agency", START, END)
    one_day = service.create("Ads", cast.health.id, "Agency", START, START)
    assert one_day.ends_on == START


def test_edit_with_stale_version_is_a_conflict(cast: Cast) -> None:
    service = CampaignService(cast.ctx("officer"))
    campaign = service.create("Ads", cast.health.id, "Agency", START, END)
    edited = service.edit(
        campaign.id, "Ads 2", cast.environment.id, "Agency", START, END, version=campaign.version
    )
    assert (edited.name, edited.ministry_id) == ("Ads 2", cast.environment.id)
    with pytest.raises(ConflictError, match="Someone else changed this campaign"):
        service.edit(campaign.id, "Ads 3", cast.health.id, "Agency", START, END, version=1)
    with pytest.raises(PermissionDenied):
        CampaignService(cast.ctx("agency")).edit(
            campaign.id, "Mine", cast.health.id, "Agency", START, END
        )


def test_moving_the_end_earlier_cannot_strand_agency_access(cast: Cast) -> None:
    service = CampaignService(cast.ctx("officer"))
    campaign = service.create("Ads", cast.health.id, "Prairie Ads Inc.", START, END)
    account = cast.account()
    RoleService(cast.ctx("dso")).grant(
        cast.people["agency"].id,
        account.id,
        PageRole.ADVERTISER,
        business_id="1029384756",
        campaign_id=campaign.id,
    )  # until 2027-02-14
    with pytest.raises(DomainError, match=r"1 third-party access grant.*past 2027-01-14"):
        service.edit(
            campaign.id, "Ads", cast.health.id, "Prairie Ads Inc.", START, date(2026, 12, 31)
        )
    later = service.edit(
        campaign.id, "Ads", cast.health.id, "Prairie Ads Inc.", START, date(2027, 3, 1)
    )
    assert later.ends_on == date(2027, 3, 1)


def test_list_shows_the_latest_content_approval(cast: Cast) -> None:
    service = CampaignService(cast.ctx("officer"))
    older = service.create(
        "Spring", cast.health.id, "Agency A", date(2026, 3, 1), date(2026, 12, 31)
    )
    newer = service.create("Winter", cast.health.id, "Agency B", START, END)
    other = service.create("Parks", cast.environment.id, "Agency C", START, END)
    approvals = ApprovalService(cast.ctx("officer"))
    first = approvals.request_campaign_content(newer.id, "Three posts and a video")
    approvals.withdraw(first.id, "Wrong video")
    approvals.submit(approvals.request_campaign_content(newer.id, "Three posts, new video").id)

    rows = service.list(ministry_id=cast.health.id)
    assert [(r.name, r.ministry_code, r.content_state) for r in rows] == [
        ("Winter", "HEA", ApprovalState.SUBMITTED),
        ("Spring", "HEA", None),
    ]
    assert rows[1].id == older.id
    assert {r.id for r in service.list()} == {older.id, newer.id, other.id}
