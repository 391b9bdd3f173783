"""Use cases of the permission matrix: grant, change and revoke people's roles on accounts."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update

from desktop.enums import AccountStatus, AppRole, PageRole, PersonKind, Platform
from desktop.errors import ConflictError, DomainError
from desktop.models import Account, AccountRole, Campaign, Person
from desktop.models.base import new_id
from desktop.policy.settings import email_domain_allowed
from desktop.services import validation as v
from desktop.services.authz import Permission
from desktop.services.campaigns import access_deadline, local_date
from desktop.services.context import ServiceContext, Work
from desktop.services.serialize import snapshot

GRANTABLE = frozenset({AccountStatus.APPROVED, AccountStatus.ACTIVE})

FACEBOOK_ADMIN_RULE = (
    "On Facebook pages only the ministry's Director of Communications and the Director, "
    "Digital Channels and Insights are Admins. All other staff posting to Facebook have the "
    "page role Editor."
)


@dataclass(frozen=True)
class RoleRow:
    """One active cell of the permission matrix, as the matrix view and reports show it."""

    id: uuid.UUID
    person_id: uuid.UUID
    person_name: str
    login: str
    kind: PersonKind
    account_id: uuid.UUID
    account_label: str
    role: PageRole
    granted_at: datetime
    expires_on: date | None
    business_id: str
    campaign_name: str | None
    version: int


class RoleService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def grant(
        self,
        person_id: uuid.UUID,
        account_id: uuid.UUID,
        role: PageRole | str,
        *,
        business_id: str = "",
        campaign_id: uuid.UUID | None = None,
        expires_on: date | None = None,
    ) -> AccountRole:
        page_role = v.choice(role, PageRole, "Page role", field="role")
        with self.ctx.write() as work:
            work.require(Permission.MANAGE_ACCOUNTS)
            person = work.get(Person, person_id, "Person")
            account = work.get(Account, account_id, "Account")
            if not person.active:
                raise DomainError(
                    f"{person.name} is no longer active; only active people get access.",
                    "person_id",
                )
            if person.kind != PersonKind.AGENCY and not email_domain_allowed(
                person.email, work.settings.allowed_email_domains
            ):
                raise DomainError(
                    f"{person.name} is recorded with {person.email or 'no e-mail address'}, "
                    "which is not a government address: accounts are worked under government "
                    "e-mail only (personal e-mail may not be used). Record their government "
                    "address in People first.",
                    "person_id",
                )
            if account.status not in GRANTABLE:
                status = account.status.value.replace("_", " ")
                raise DomainError(
                    f"{account.label} is {status}; roles are granted only on approved or "
                    "active accounts.",
                    "account_id",
                )
            held = work.session.scalar(
                select(AccountRole.role).where(
                    AccountRole.person_id == person.id,
                    AccountRole.account_id == account.id,
                    AccountRole.revoked_at.is_(None),
                )
            )
            if held is not None:
                raise ConflictError(
                    f"{person.name} already holds the role {held.value.title()} on "
                    f"{account.label}; change that role instead of granting another."
                )
            _check_facebook_admin(account, person, page_role)
            grant = AccountRole(
                id=new_id(),
                person_id=person.id,
                account_id=account.id,
                role=page_role,
                granted_by_id=work.actor.id,
                granted_at=work.at,
                business_id=v.text(
                    business_id, "Business ID", field="business_id", required=False, max_len=80
                ),
                campaign_id=None,
                expires_on=expires_on,
            )
            if campaign_id is not None:
                grant.campaign_id = work.get(Campaign, campaign_id, "Campaign").id
            if person.kind == PersonKind.AGENCY:
                _check_third_party(work, grant)
            elif expires_on is not None and expires_on < local_date(work.at, work.settings):
                raise DomainError("The access cannot expire in the past.", "expires_on")
            work.session.add(grant)
            work.audit("account_role.grant", "account_role", grant.id, after=snapshot(grant))
            return grant

    def change(
        self, account_role_id: uuid.UUID, role: PageRole | str, version: int | None = None
    ) -> AccountRole:
        page_role = v.choice(role, PageRole, "Page role", field="role")
        with self.ctx.write() as work:
            work.require(Permission.MANAGE_ACCOUNTS)
            grant = _active_grant(work, account_role_id, version)
            if grant.role == page_role:
                raise DomainError(f"The role is already {page_role.value.title()}.", "role")
            account = work.get(Account, grant.account_id, "Account")
            _check_facebook_admin(account, work.get(Person, grant.person_id, "Person"), page_role)
            before = grant.role.value
            grant.role = page_role
            work.audit(
                "account_role.change",
                "account_role",
                grant.id,
                {"role": before},
                {"role": page_role.value},
            )
            return grant

    def revoke(
        self, account_role_id: uuid.UUID, reason: str = "", *, version: int | None = None
    ) -> AccountRole:
        with self.ctx.write() as work:
            work.require(Permission.MANAGE_ACCOUNTS)
            grant = _active_grant(work, account_role_id, version)
            grant.revoked_at = work.at
            grant.revoked_by_id = work.actor.id
            work.audit(
                "account_role.revoke",
                "account_role",
                grant.id,
                {"revoked_at": None},
                {
                    "revoked_at": work.at.isoformat(),
                    "reason": v.text(reason, "Reason", field="reason", required=False),
                },
            )
            return grant

    def revoke_expired(self, as_of: date | datetime) -> list[uuid.UUID]:
        """Revoke every access whose expiry date has passed; returns the revoked grants' ids.

        Expiry dates are the last day of access, so a grant expiring on ``as_of`` stays.
        """
        with self.ctx.write() as work:
            work.require(Permission.MANAGE_ACCOUNTS)
            day = local_date(as_of, work.settings) if isinstance(as_of, datetime) else as_of
            due = (AccountRole.revoked_at.is_(None), AccountRole.expires_on < day)
            ids = sorted(work.session.scalars(select(AccountRole.id).where(*due)), key=str)
            if ids:
                # One UPDATE, not a loop over rows; the version bump keeps open dialogs honest.
                work.session.execute(
                    update(AccountRole)
                    .where(AccountRole.id.in_(ids), AccountRole.revoked_at.is_(None))
                    .values(
                        revoked_at=work.at,
                        revoked_by_id=work.actor.id,
                        version=AccountRole.version + 1,
                        updated_at=work.at,
                    )
                    .execution_options(synchronize_session=False)
                )
                work.touch(AccountRole, [(i,) for i in ids])
            work.audit(
                "account_role.revoke_expired",
                "account_role",
                f"expired:{day.isoformat()}",
                None,
                {"as_of": day.isoformat(), "revoked": [str(i) for i in ids]},
            )
            return ids

    def active_roles(
        self, account_id: uuid.UUID | None = None, person_id: uuid.UUID | None = None
    ) -> list[RoleRow]:
        """The current permission matrix (optionally for one account or one person)."""
        query = (
            select(
                AccountRole.id,
                Person.id,
                Person.name,
                Person.login,
                Person.kind,
                Account.id,
                Account.platform,
                Account.handle,
                AccountRole.role,
                AccountRole.granted_at,
                AccountRole.expires_on,
                AccountRole.business_id,
                Campaign.name,
                AccountRole.version,
            )
            .join(Person, Person.id == AccountRole.person_id)
            .join(Account, Account.id == AccountRole.account_id)
            .outerjoin(Campaign, Campaign.id == AccountRole.campaign_id)
            .where(AccountRole.revoked_at.is_(None))
            .order_by(Account.platform, Account.handle, Person.name)
        )
        if account_id is not None:
            query = query.where(AccountRole.account_id == account_id)
        if person_id is not None:
            query = query.where(AccountRole.person_id == person_id)
        with self.ctx.read() as session:
            return [
                RoleRow(
                    id=r[0],
                    person_id=r[1],
                    person_name=r[2],
                    login=r[3],
                    kind=r[4],
                    account_id=r[5],
                    account_label=f"{r[6].label} @{r[7]}",
                    role=r[8],
                    granted_at=r[9],
                    expires_on=r[10],
                    business_id=r[11],
                    campaign_name=r[12],
                    version=r[13],
                )
                for r in session.execute(query)
            ]


def _active_grant(work: Work, account_role_id: uuid.UUID, version: int | None) -> AccountRole:
    grant = work.get(AccountRole, account_role_id, "Account role")
    if version is not None and grant.version != version:
        raise ConflictError(
            "Someone else changed this access after you opened it. "
            "Reload it and make your change again."
        )
    if grant.revoked_at is not None:
        raise DomainError(
            f"This access was already revoked on {grant.revoked_at.date().isoformat()}."
        )
    return grant


def facebook_admin_denial(
    platform: Platform,
    role: PageRole,
    person_name: str,
    person_roles: Collection[AppRole],
    same_ministry: bool,
) -> str | None:
    """Why the person may not hold ``role`` on a page of ``platform`` under the Facebook Admin
    rule (None when they may); the Permissions tab says it before anyone asks."""
    if platform != Platform.FACEBOOK or role != PageRole.ADMIN:
        return None
    if AppRole.DCI_DIRECTOR in person_roles:
        return None
    if AppRole.COMMS_DIRECTOR in person_roles and same_ministry:
        return None
    return (
        f"{person_name} cannot be Admin of a Facebook page: only the ministry's Director of "
        "Communications and the Director, Digital Channels and Insights are; everyone else "
        "who posts is Editor."
    )


def _check_facebook_admin(account: Account, person: Person, role: PageRole) -> None:
    same = person.ministry_id == account.ministry_id
    if facebook_admin_denial(account.platform, role, person.name, person.roles, same):
        raise DomainError(
            f"{person.name} cannot be Admin of {account.label}. {FACEBOOK_ADMIN_RULE}"
        )


def _check_third_party(work: Work, grant: AccountRole) -> None:
    """Agencies get access only with a business identity, for one campaign, for a while."""
    if not grant.business_id:
        raise DomainError(
            "Third parties need a Facebook Business ID or X advertiser access before they get "
            "access to a government account; enter it in Business ID.",
            "business_id",
        )
    if grant.campaign_id is None:
        raise DomainError(
            "Third parties get access only for the duration of an advertising campaign; "
            "choose the campaign.",
            "campaign_id",
        )
    campaign = work.get(Campaign, grant.campaign_id, "Campaign")
    deadline = access_deadline(campaign.ends_on, work.settings)
    days = work.settings.third_party_revoke_days
    today = local_date(work.at, work.settings)
    if deadline < today:
        raise DomainError(
            f"The campaign {campaign.name} ended on {campaign.ends_on.isoformat()}; third-party "
            f"access ends no later than {days} days after a campaign ends.",
            "campaign_id",
        )
    if grant.expires_on is None:
        grant.expires_on = deadline
    elif grant.expires_on > deadline:
        raise DomainError(
            f"Third-party access must end no later than {deadline.isoformat()}, {days} days "
            f"after the campaign ends on {campaign.ends_on.isoformat()}.",
            "expires_on",
        )
    elif grant.expires_on < today:
        raise DomainError("The access cannot expire in the past.", "expires_on")
