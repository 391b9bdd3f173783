"""The numbers of the permission-matrix audit: who holds which role on every account at the
as-of time, third-party access against its deadlines, Facebook Admin rule violations, and the
grants and revocations of a period."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session, aliased

from desktop.enums import AccountStatus, AppRole, PageRole, PersonKind, Platform
from desktop.models import Account, AccountRole, Campaign, Ministry, Person, PersonRole
from desktop.policy.checks.permissions import facebook_admins
from desktop.policy.facts import AccountFacts, ComplianceFacts, DirectorFacts, GrantFacts
from desktop.policy.findings import Finding
from desktop.policy.settings import PolicySettings
from desktop.reports.data.common import ReportPeriod, Scope, local_day

CLOSED = (AccountStatus.SHUT_DOWN, AccountStatus.TERMINATED)
# Without a period, third-party access revoked this long before the as-of time is still shown.
RECENT = timedelta(days=183)
_SYS = "System"


@dataclass(frozen=True)
class Holder:
    person_name: str
    kind: PersonKind
    role: PageRole
    granted_at: datetime
    expires_on: date | None
    agency_name: str


@dataclass(frozen=True)
class AccountMatrix:
    id: uuid.UUID
    label: str
    ministry_code: str
    status: AccountStatus
    holders: tuple[Holder, ...]


ThirdPartyState = Literal["active", "no end date", "not revoked", "revoked", "revoked late"]


@dataclass(frozen=True)
class ThirdPartyRow:
    person_name: str
    agency_name: str
    account_label: str
    role: PageRole
    business_id: str
    campaign_name: str
    campaign_ends_on: date | None
    deadline: date | None  # the last day the access may remain
    revoked_on: date | None
    state: ThirdPartyState
    days_late: int  # past the deadline: still held, or revoked that many days after it


@dataclass(frozen=True)
class RoleChange:
    at: datetime
    account_label: str
    person_name: str
    role: PageRole
    change: Literal["granted", "revoked"]
    by_name: str


@dataclass(frozen=True)
class PermissionsData:
    scope: Scope
    today: date
    period: ReportPeriod | None
    accounts: tuple[AccountMatrix, ...]
    third_party: tuple[ThirdPartyRow, ...]
    admin_violations: tuple[Finding, ...]
    changes: tuple[RoleChange, ...]
    revoke_days: int  # third-party access ends at the latest this long after a campaign

    @property
    def grant_count(self) -> int:
        return sum(len(a.holders) for a in self.accounts)


def held_at(as_of: datetime) -> ColumnElement[bool]:
    return and_(
        AccountRole.granted_at <= as_of,
        or_(AccountRole.revoked_at.is_(None), AccountRole.revoked_at > as_of),
    )


def permissions_data(
    session: Session,
    scope: Scope,
    period: ReportPeriod | None,
    *,
    as_of: datetime,
    settings: PolicySettings,
) -> PermissionsData:
    zone = settings.timezone
    today = local_day(as_of, zone)
    in_scope = scope.accounts(Account.id, Account.ministry_id)
    accounts = session.execute(
        select(
            Account.id,
            Account.platform,
            Account.handle,
            Account.ministry_id,
            Ministry.code,
            Ministry.name,
            Account.status,
        )
        .join(Ministry, Ministry.id == Account.ministry_id)
        .where(in_scope)
        .order_by(Ministry.code, Account.platform, Account.handle)
    ).all()
    rank = {role: i for i, role in enumerate(PageRole)}
    grants = sorted(
        session.execute(
            select(
                AccountRole.id,
                AccountRole.account_id,
                AccountRole.person_id,
                Person.name,
                Person.kind,
                Person.email,
                Person.agency_name,
                AccountRole.role,
                AccountRole.granted_at,
                AccountRole.expires_on,
                AccountRole.business_id,
                Account.platform,
                Account.handle,
            )
            .join(Person, Person.id == AccountRole.person_id)
            .join(Account, Account.id == AccountRole.account_id)
            .where(in_scope, held_at(as_of))
        ).all(),
        key=lambda g: (rank[g.role], g.name),
    )
    by_account: dict[uuid.UUID, list[Holder]] = {}
    for g in grants:
        by_account.setdefault(g.account_id, []).append(
            Holder(g.name, g.kind, g.role, g.granted_at, g.expires_on, g.agency_name)
        )
    matrix = tuple(
        AccountMatrix(
            a.id,
            f"{Platform(a.platform).label} @{a.handle}",
            a.code,
            a.status,
            tuple(by_account.get(a.id, ())),
        )
        for a in accounts
        if a.status not in CLOSED or a.id in by_account
    )

    facts = ComplianceFacts(
        accounts=tuple(
            AccountFacts(str(a.id), a.platform, a.handle, str(a.ministry_id), a.status, a.name)
            for a in accounts
        ),
        grants=tuple(
            GrantFacts(
                id=str(g.id),
                account_id=str(g.account_id),
                platform=g.platform,
                handle=g.handle,
                person_id=str(g.person_id),
                person_name=g.name,
                person_kind=g.kind,
                person_email=g.email,
                role=g.role,
                granted_at=g.granted_at,
            )
            for g in grants
            if g.role is PageRole.ADMIN
        ),
        directors=directors(session),
    )
    return PermissionsData(
        scope=scope,
        today=today,
        period=period,
        accounts=matrix,
        third_party=third_party(session, in_scope, as_of, settings, period),
        # The rule itself lives in the compliance checks: the report shows what they find.
        admin_violations=tuple(facebook_admins(facts, settings, as_of)),
        changes=role_changes(session, in_scope, *period.bounds(zone, as_of)) if period else (),
        revoke_days=settings.third_party_revoke_days,
    )


def directors(session: Session) -> tuple[DirectorFacts, ...]:
    """Active people holding the roles Facebook pages must have as Admins."""
    rows = session.execute(
        select(Person.id, Person.name, PersonRole.role, Person.ministry_id)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(
            Person.active.is_(True),
            PersonRole.role.in_([AppRole.COMMS_DIRECTOR, AppRole.DCI_DIRECTOR]),
        )
    ).all()
    return tuple(
        DirectorFacts(str(r.id), r.name, r.role, str(r.ministry_id) if r.ministry_id else None)
        for r in rows
    )


def third_party(
    session: Session,
    in_scope: ColumnElement[bool],
    as_of: datetime,
    settings: PolicySettings,
    period: ReportPeriod | None,
) -> tuple[ThirdPartyRow, ...]:
    """Agency access held at the as-of time, and access revoked in the period (or lately)."""
    zone = settings.timezone
    today = local_day(as_of, zone)
    shown_from = period.bounds(zone, as_of)[0] if period else as_of - RECENT
    rows = session.execute(
        select(
            Person.name,
            Person.agency_name,
            Account.platform,
            Account.handle,
            AccountRole.role,
            AccountRole.business_id,
            Campaign.name.label("campaign_name"),
            Campaign.ends_on,
            AccountRole.expires_on,
            AccountRole.revoked_at,
        )
        .join(Person, Person.id == AccountRole.person_id)
        .join(Account, Account.id == AccountRole.account_id)
        .outerjoin(Campaign, Campaign.id == AccountRole.campaign_id)
        .where(
            in_scope,
            Person.kind == PersonKind.AGENCY,
            AccountRole.granted_at <= as_of,
            or_(AccountRole.revoked_at.is_(None), AccountRole.revoked_at >= shown_from),
        )
        .order_by(Person.agency_name, Person.name, Account.handle)
    ).all()
    grace = timedelta(days=settings.third_party_revoke_days)
    out = []
    for r in rows:
        limits = [d for d in (r.ends_on + grace if r.ends_on else None, r.expires_on) if d]
        deadline = min(limits) if limits else None
        revoked = r.revoked_at if r.revoked_at is not None and r.revoked_at <= as_of else None
        revoked_on = local_day(revoked, zone) if revoked else None
        state: ThirdPartyState
        if revoked_on is not None:
            late = (revoked_on - deadline).days if deadline else 0
            state = "revoked late" if late > 0 else "revoked"
        elif deadline is None:
            state, late = "no end date", 0
        else:
            late = (today - deadline).days
            state = "not revoked" if late > 0 else "active"
        out.append(
            ThirdPartyRow(
                person_name=r.name,
                agency_name=r.agency_name,
                account_label=f"{Platform(r.platform).label} @{r.handle}",
                role=r.role,
                business_id=r.business_id,
                campaign_name=r.campaign_name or "",
                campaign_ends_on=r.ends_on,
                deadline=deadline,
                revoked_on=revoked_on,
                state=state,
                days_late=max(late, 0),
            )
        )
    return tuple(out)


def role_changes(
    session: Session, in_scope: ColumnElement[bool], lo: datetime, hi: datetime
) -> tuple[RoleChange, ...]:
    """Every grant and revocation in [lo, hi), oldest first."""
    granter, revoker, holder = aliased(Person), aliased(Person), aliased(Person)
    rows = session.execute(
        select(
            Account.platform,
            Account.handle,
            holder.name,
            AccountRole.role,
            AccountRole.granted_at,
            granter.name,
            AccountRole.revoked_at,
            revoker.name,
        )
        .join(Account, Account.id == AccountRole.account_id)
        .join(holder, holder.id == AccountRole.person_id)
        .outerjoin(granter, granter.id == AccountRole.granted_by_id)
        .outerjoin(revoker, revoker.id == AccountRole.revoked_by_id)
        .where(
            in_scope,
            or_(
                and_(AccountRole.granted_at >= lo, AccountRole.granted_at < hi),
                and_(AccountRole.revoked_at >= lo, AccountRole.revoked_at < hi),
            ),
        )
    ).all()
    changes: list[RoleChange] = []
    for platform, handle, name, role, granted_at, granted_by, revoked_at, revoked_by in rows:
        label = f"{Platform(platform).label} @{handle}"
        if lo <= granted_at < hi:
            changes.append(RoleChange(granted_at, label, name, role, "granted", granted_by or _SYS))
        if revoked_at is not None and lo <= revoked_at < hi:
            changes.append(RoleChange(revoked_at, label, name, role, "revoked", revoked_by or _SYS))
    return tuple(sorted(changes, key=lambda c: (c.at, c.account_label, c.person_name)))
