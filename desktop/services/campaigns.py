"""Use cases of third-party advertising campaigns, whose dates bound an agency's access."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from desktop.enums import AppRole, ApprovalKind, ApprovalState
from desktop.errors import ConflictError, DomainError
from desktop.models import AccountRole, Approval, Campaign, Ministry, Person
from desktop.models.base import new_id
from desktop.policy.settings import PolicySettings
from desktop.services import validation as v
from desktop.services.authz import Permission, can, require
from desktop.services.context import ServiceContext, Work, resolve_actor
from desktop.services.serialize import diff, snapshot


def local_date(at: datetime, settings: PolicySettings) -> date:
    """The calendar day ``at`` falls on in the branch's time zone (days roll over in Regina)."""
    return at.astimezone(ZoneInfo(settings.timezone)).date()


def access_deadline(ends_on: date, settings: PolicySettings) -> date:
    """The last day a third party may keep access to accounts for a campaign ending ``ends_on``."""
    return ends_on + timedelta(days=settings.third_party_revoke_days)


@dataclass(frozen=True)
class CampaignRow:
    id: uuid.UUID
    name: str
    ministry_id: uuid.UUID
    ministry_code: str
    agency_name: str
    starts_on: date
    ends_on: date
    description: str
    # State of the most recent campaign-content approval request, None when none was made.
    content_state: ApprovalState | None
    version: int


class CampaignService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def create(
        self,
        name: str,
        ministry_id: uuid.UUID,
        agency_name: str,
        starts_on: date,
        ends_on: date,
        description: str = "",
    ) -> Campaign:
        with self.ctx.write() as work:
            work.require(Permission.SUBMIT_CAMPAIGN)
            campaign = Campaign(id=new_id())
            _apply(work, campaign, name, ministry_id, agency_name, starts_on, ends_on, description)
            work.session.add(campaign)
            work.audit("campaign.create", "campaign", campaign.id, after=snapshot(campaign))
            return campaign

    def edit(
        self,
        campaign_id: uuid.UUID,
        name: str,
        ministry_id: uuid.UUID,
        agency_name: str,
        starts_on: date,
        ends_on: date,
        description: str = "",
        *,
        version: int | None = None,
    ) -> Campaign:
        with self.ctx.write() as work:
            work.require(Permission.SUBMIT_CAMPAIGN)
            campaign = work.get(Campaign, campaign_id, "Campaign")
            if version is not None and campaign.version != version:
                raise ConflictError(
                    "Someone else changed this campaign after you opened it. "
                    "Reload it and make your change again."
                )
            before = snapshot(campaign)
            _apply(work, campaign, name, ministry_id, agency_name, starts_on, ends_on, description)
            _check_access_fits(work, campaign)
            old, new = diff(before, snapshot(campaign))
            work.audit("campaign.edit", "campaign", campaign.id, old, new)
            return campaign

    def list(self, ministry_id: uuid.UUID | None = None) -> list[CampaignRow]:
        """Campaigns, newest first, with the state of their latest content approval."""
        latest_state = (
            select(Approval.state)
            .where(
                Approval.campaign_id == Campaign.id,
                Approval.kind == ApprovalKind.CAMPAIGN_CONTENT,
            )
            .order_by(Approval.created_at.desc(), Approval.id)
            .limit(1)
            .correlate(Campaign)
            .scalar_subquery()
        )
        query = (
            select(
                Campaign.id,
                Campaign.name,
                Campaign.ministry_id,
                Ministry.code,
                Campaign.agency_name,
                Campaign.starts_on,
                Campaign.ends_on,
                Campaign.description,
                latest_state,
                Campaign.version,
            )
            .join(Ministry, Ministry.id == Campaign.ministry_id)
            .order_by(Campaign.starts_on.desc(), Campaign.name)
        )
        if ministry_id is not None:
            query = query.where(Campaign.ministry_id == ministry_id)
        with self.ctx.read() as session:
            actor = resolve_actor(session, self.ctx.login)
            if not can(actor.roles, Permission.READ_ALL):
                # An agency sees its own campaigns (DESIGN §6); nobody else without READ_ALL.
                if AppRole.AGENCY not in actor.roles:
                    require(actor.roles, Permission.READ_ALL)
                agency = session.scalar(select(Person.agency_name).where(Person.id == actor.id))
                query = query.where(Campaign.agency_name != "", Campaign.agency_name == agency)
            return [
                CampaignRow(
                    id=r[0],
                    name=r[1],
                    ministry_id=r[2],
                    ministry_code=r[3],
                    agency_name=r[4],
                    starts_on=r[5],
                    ends_on=r[6],
                    description=r[7],
                    content_state=ApprovalState(r[8]) if r[8] is not None else None,
                    version=r[9],
                )
                for r in session.execute(query)
            ]


def _apply(
    work: Work,
    campaign: Campaign,
    name: str,
    ministry_id: uuid.UUID,
    agency_name: str,
    starts_on: date,
    ends_on: date,
    description: str,
) -> None:
    if work.session.get(Ministry, ministry_id) is None:
        raise DomainError("Choose the ministry the campaign is for.", "ministry_id")
    campaign.name = v.text(name, "Campaign name", field="name")
    campaign.agency_name = v.text(agency_name, "Agency name", field="agency_name")
    v.date_order(starts_on, ends_on, "Start date", "End date", field="ends_on")
    campaign.ministry_id = ministry_id
    campaign.starts_on = starts_on
    campaign.ends_on = ends_on
    campaign.description = v.text(
        description, "Description", field="description", required=False, max_len=4000
    )


def _check_access_fits(work: Work, campaign: Campaign) -> None:
    """Moving the end earlier must not leave an agency with access past the new deadline."""
    deadline = access_deadline(campaign.ends_on, work.settings)
    outlasting = work.session.scalar(
        select(func.count())
        .select_from(AccountRole)
        .where(
            AccountRole.campaign_id == campaign.id,
            AccountRole.revoked_at.is_(None),
            AccountRole.expires_on > deadline,
        )
    )
    if outlasting:
        raise DomainError(
            f"{outlasting} third-party access grant(s) for this campaign run past "
            f"{deadline.isoformat()}, the last day allowed with the new end date; "
            "revoke them first, then grant access again up to the new deadline.",
            "ends_on",
        )
