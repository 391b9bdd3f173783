"""What a new approval request may be about: the accounts, campaigns or people each kind of
request applies to now, for the Approvals tab's "New request" dialog (read-only)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, or_, select, true

from desktop.enums import AccountStatus, ApprovalKind, ApprovalState, GoalStatus, PersonKind
from desktop.models import Account, Approval, Campaign, Goal, Ministry, Person
from desktop.services.approvals_flow.content import PUBLISHABLE
from desktop.services.authz import Permission, can
from desktop.services.campaigns import local_date
from desktop.services.context import ServiceContext, load_settings, resolve_actor

_OPEN = (ApprovalState.DRAFT, ApprovalState.SUBMITTED, ApprovalState.CHANGES_REQUESTED)
_TERMINABLE = (AccountStatus.ACTIVE, AccountStatus.SUSPENDED)
_REGISTERED = (AccountStatus.APPROVED, AccountStatus.ACTIVE, AccountStatus.SUSPENDED)


@dataclass(frozen=True)
class Subject:
    id: uuid.UUID  # an account's id, or a campaign's for campaign content
    label: str  # "Facebook @SKHealth" or the campaign's name
    ministry_code: str
    detail: str = ""  # e.g. "ends 31 Jan 2027", "3 draft goals"


class RequestSubjectService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def subjects(self, kind: ApprovalKind, as_of: datetime | None = None) -> list[Subject]:
        """What a request of ``kind`` may be raised for now, without one already open."""
        if kind == ApprovalKind.CAMPAIGN_CONTENT:
            return self._campaigns(as_of or self.ctx.now())
        if kind == ApprovalKind.PERSONAL_NAME:
            return self._people()
        open_request = exists().where(
            Approval.account_id == Account.id, Approval.kind == kind, Approval.state.in_(_OPEN)
        )
        # Several posts of one account may wait for approval at once.
        unique = kind != ApprovalKind.OFFICIAL_CONTENT
        query = (
            select(Account.id, Account.platform, Account.handle, Ministry.code)
            .join(Ministry, Ministry.id == Account.ministry_id)
            .where(~open_request if unique else true())
            .order_by(Ministry.code, Account.platform, Account.handle)
        )
        if kind == ApprovalKind.NEW_ACCOUNT:
            approved = exists().where(
                Approval.account_id == Account.id,
                Approval.kind == kind,
                Approval.state == ApprovalState.APPROVED,
            )
            # Proposed accounts, and accounts registered without ever being approved.
            query = query.where(
                or_(
                    Account.status == AccountStatus.PROPOSED,
                    Account.status.in_(_REGISTERED) & ~approved,
                )
            )
        elif kind == ApprovalKind.OFFICIAL_CONTENT:
            query = query.where(Account.status.in_(PUBLISHABLE))
        elif kind == ApprovalKind.ACCOUNT_TERMINATION:
            query = query.where(Account.status.in_(_TERMINABLE))
        else:
            drafts = exists().where(Goal.account_id == Account.id, Goal.status == GoalStatus.DRAFT)
            query = query.where(drafts)
        with self.ctx.read() as session:
            return [
                Subject(r.id, f"{r.platform.label} @{r.handle}", r.code)
                for r in session.execute(query)
            ]

    def _people(self) -> list[Subject]:
        """Active staff; for anyone but DSO and administrators, only the person signed in."""
        with self.ctx.read() as session:
            actor = resolve_actor(session, self.ctx.login)
            query = (
                select(Person.id, Person.name, Ministry.code)
                .outerjoin(Ministry, Ministry.id == Person.ministry_id)
                .where(Person.active, Person.kind != PersonKind.AGENCY)
                .order_by(Person.name)
            )
            if not can(actor.roles, Permission.MANAGE_PEOPLE):
                query = query.where(Person.id == actor.id)
            return [Subject(r.id, r.name, r.code or "GoS") for r in session.execute(query)]

    def _campaigns(self, as_of: datetime) -> list[Subject]:
        with self.ctx.read() as session:
            today = local_date(as_of, load_settings(session))
            rows = session.execute(
                select(Campaign.id, Campaign.name, Campaign.ends_on, Ministry.code)
                .join(Ministry, Ministry.id == Campaign.ministry_id)
                .where(Campaign.ends_on >= today)  # the service refuses ended campaigns
                .order_by(Campaign.starts_on, Campaign.name)
            ).all()
        return [
            Subject(r.id, r.name, r.code, f"ends {r.ends_on.day} {r.ends_on:%b %Y}") for r in rows
        ]
