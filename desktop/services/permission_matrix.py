"""The permission matrix as the Permissions tab shows it: people × accounts, each cell the role
held, with the policy violations of each cell worked out in the same read."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from desktop.enums import AccountStatus, AppRole, PageRole, PersonKind, Platform
from desktop.models import Account, AccountRole, Campaign, Ministry, Person, PersonRole
from desktop.policy.settings import email_domain_allowed
from desktop.services.authz import Permission, require
from desktop.services.campaigns import local_date
from desktop.services.context import ServiceContext, load_settings, resolve_actor

# Accounts that may hold roles; others appear only while someone still holds a role on them.
SHOWN_STATUSES = (AccountStatus.APPROVED, AccountStatus.ACTIVE, AccountStatus.SUSPENDED)
# Agency staff sign in with their agency's address; the e-mail rule binds government staff
# (the same reading as the compliance check PERSONAL_EMAIL_ON_ACCOUNT).
STAFF_KINDS = (PersonKind.EMPLOYEE, PersonKind.CONTRACTOR)


class Violation(StrEnum):
    """What is wrong with one cell of the matrix, most serious first."""

    EXTRA_FACEBOOK_ADMIN = "extra_facebook_admin"
    PAST_REVOCATION = "past_revocation"
    PERSONAL_EMAIL = "personal_email"

    @property
    def label(self) -> str:
        return _VIOLATION_LABELS[self]


_VIOLATION_LABELS = {
    Violation.EXTRA_FACEBOOK_ADMIN: "Extra Facebook admin",
    Violation.PAST_REVOCATION: "Access past its revocation date",
    Violation.PERSONAL_EMAIL: "Personal e-mail holding a role",
}


def role_label(role: PageRole) -> str:
    return role.value.title()


@dataclass(frozen=True)
class MatrixFilter:
    ministry_id: uuid.UUID | None = None  # of the accounts, and of the people without roles
    platform: Platform | None = None
    person_kind: PersonKind | None = None
    holders_only: bool = False  # leave out people who hold no role on the accounts shown
    violations_only: bool = False  # only the cells with a violation, and their rows/columns


@dataclass(frozen=True)
class MatrixPerson:
    id: uuid.UUID
    name: str
    login: str
    email: str
    kind: PersonKind
    ministry_code: str
    agency_name: str
    active: bool
    personal_email: bool  # staff whose address is not on an allowed government domain
    app_roles: tuple[AppRole, ...]


@dataclass(frozen=True)
class MatrixAccount:
    id: uuid.UUID
    platform: Platform
    handle: str
    ministry_id: uuid.UUID
    ministry_code: str
    status: AccountStatus

    @property
    def label(self) -> str:
        return f"{self.platform.label} @{self.handle}"


@dataclass(frozen=True)
class MatrixCell:
    account_role_id: uuid.UUID
    person_id: uuid.UUID
    account_id: uuid.UUID
    role: PageRole
    version: int
    granted_at: datetime
    expires_on: date | None
    business_id: str
    campaign_name: str | None
    campaign_ends_on: date | None
    deadline: date | None  # the last day the access may remain (expiry or campaign + grace)
    violations: tuple[Violation, ...]  # in Violation order: the first is the most serious


@dataclass(frozen=True)
class PermissionMatrix:
    people: tuple[MatrixPerson, ...]
    accounts: tuple[MatrixAccount, ...]
    cells: Mapping[tuple[uuid.UUID, uuid.UUID], MatrixCell]  # by (person id, account id)
    today: date
    revoke_days: int
    # Grants anywhere (not just in the filter) that ``RoleService.revoke_expired`` would revoke.
    due_for_revocation: int
    counts: Mapping[Violation, int] = field(default_factory=dict)

    def cell(self, person_id: uuid.UUID, account_id: uuid.UUID) -> MatrixCell | None:
        return self.cells.get((person_id, account_id))


class PermissionMatrixService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def matrix(
        self, filters: MatrixFilter | None = None, as_of: datetime | None = None
    ) -> PermissionMatrix:
        """People, accounts and the cells between them for ``filters`` at ``as_of`` (now)."""
        f = filters or MatrixFilter()
        with self.ctx.read() as session:
            require(resolve_actor(session, self.ctx.login).roles, Permission.READ_ALL)
            settings = load_settings(session)
            today = local_date(as_of or self.ctx.now(), settings)
            grace = timedelta(days=settings.third_party_revoke_days)
            accounts = _accounts(session, f)
            grant_rows = session.execute(_grants_query(f)).all()
            people = _people(session, f, settings.allowed_email_domains)
            due = session.scalar(
                select(func.count())
                .select_from(AccountRole)
                .where(AccountRole.revoked_at.is_(None), AccountRole.expires_on < today)
            )
        personal = {p.id for p in people if p.personal_email}
        cells: dict[tuple[uuid.UUID, uuid.UUID], MatrixCell] = {}
        for g in grant_rows:
            cell = _cell(g, today, grace, g.person_id in personal)
            if cell.violations or not f.violations_only:
                cells[(cell.person_id, cell.account_id)] = cell
        held_people = {p for p, _ in cells}
        held_accounts = {a for _, a in cells}
        if f.violations_only:
            accounts = [a for a in accounts if a.id in held_accounts]
        people = [p for p in people if p.id in held_people or _shown_without_roles(p, f)]
        counts = {v: 0 for v in Violation}
        for cell in cells.values():
            for v in cell.violations:
                counts[v] += 1
        return PermissionMatrix(
            people=tuple(people),
            accounts=tuple(accounts),
            cells=cells,
            today=today,
            revoke_days=settings.third_party_revoke_days,
            due_for_revocation=int(due or 0),
            counts=counts,
        )


def _account_filters(f: MatrixFilter) -> list[Any]:
    where: list[Any] = []
    if f.ministry_id is not None:
        where.append(Account.ministry_id == f.ministry_id)
    if f.platform is not None:
        where.append(Account.platform == f.platform)
    return where


def _accounts(session: Session, f: MatrixFilter) -> list[MatrixAccount]:
    held = exists().where(AccountRole.account_id == Account.id, AccountRole.revoked_at.is_(None))
    query = (
        select(
            Account.id,
            Account.platform,
            Account.handle,
            Account.ministry_id,
            Ministry.code,
            Account.status,
        )
        .join(Ministry, Ministry.id == Account.ministry_id)
        .where(or_(Account.status.in_(SHOWN_STATUSES), held), *_account_filters(f))
        .order_by(Ministry.code, Account.platform, Account.handle)
    )
    return [MatrixAccount(*row) for row in session.execute(query)]


def _grants_query(f: MatrixFilter) -> Any:
    def holds(role: AppRole) -> Any:
        return exists().where(
            PersonRole.person_id == AccountRole.person_id, PersonRole.role == role
        )

    # The Facebook rule of the policy: Admins are the account ministry's Director of
    # Communications and the Director, Digital Channels and Insights; nobody else.
    allowed_admin = or_(
        holds(AppRole.DCI_DIRECTOR),
        and_(holds(AppRole.COMMS_DIRECTOR), Person.ministry_id == Account.ministry_id),
    )
    extra_admin = and_(
        Account.platform == Platform.FACEBOOK,
        AccountRole.role == PageRole.ADMIN,
        ~allowed_admin,
    )
    query = (
        select(
            AccountRole.id,
            AccountRole.person_id,
            AccountRole.account_id,
            AccountRole.role,
            AccountRole.version,
            AccountRole.granted_at,
            AccountRole.expires_on,
            AccountRole.business_id,
            Campaign.name.label("campaign_name"),
            Campaign.ends_on.label("campaign_ends_on"),
            extra_admin.label("extra_admin"),
        )
        .join(Person, Person.id == AccountRole.person_id)
        .join(Account, Account.id == AccountRole.account_id)
        .outerjoin(Campaign, Campaign.id == AccountRole.campaign_id)
        .where(AccountRole.revoked_at.is_(None), *_account_filters(f))
    )
    if f.person_kind is not None:
        query = query.where(Person.kind == f.person_kind)
    return query


def _people(session: Session, f: MatrixFilter, domains: tuple[str, ...]) -> list[MatrixPerson]:
    holders = (
        select(AccountRole.person_id)
        .join(Account, Account.id == AccountRole.account_id)
        .where(AccountRole.revoked_at.is_(None), *_account_filters(f))
    )
    others: ColumnElement[bool] = Person.active.is_(True)
    if f.ministry_id is not None:
        others = and_(others, Person.ministry_id == f.ministry_id)
    query = (
        select(Person, Ministry.code)
        .outerjoin(Ministry, Ministry.id == Person.ministry_id)
        .where(or_(Person.id.in_(holders), others))
        # By ministry, as the accounts are: each ministry's roles form a block on the diagonal.
        .order_by(Ministry.code.is_(None), Ministry.code, Person.name, Person.login)
    )
    if f.person_kind is not None:
        query = query.where(Person.kind == f.person_kind)
    return [
        MatrixPerson(
            id=p.id,
            name=p.name,
            login=p.login,
            email=p.email,
            kind=p.kind,
            ministry_code=code or "",
            agency_name=p.agency_name,
            active=p.active,
            personal_email=p.kind in STAFF_KINDS and not email_domain_allowed(p.email, domains),
            app_roles=tuple(r for r in AppRole if r in p.roles),
        )
        for p, code in session.execute(query)
    ]


def _shown_without_roles(person: MatrixPerson, f: MatrixFilter) -> bool:
    # ``_people`` also returned people without roles in the filter: keep them unless told not to.
    return person.active and not f.holders_only and not f.violations_only


def _cell(g: Any, today: date, grace: timedelta, personal_email: bool) -> MatrixCell:
    limits = [d for d in (g.expires_on, g.campaign_ends_on and g.campaign_ends_on + grace) if d]
    deadline = min(limits, default=None)
    found = {
        Violation.EXTRA_FACEBOOK_ADMIN: bool(g.extra_admin),
        Violation.PAST_REVOCATION: deadline is not None and deadline < today,
        Violation.PERSONAL_EMAIL: personal_email,
    }
    return MatrixCell(
        account_role_id=g.id,
        person_id=g.person_id,
        account_id=g.account_id,
        role=g.role,
        version=g.version,
        granted_at=g.granted_at,
        expires_on=g.expires_on,
        business_id=g.business_id,
        campaign_name=g.campaign_name,
        campaign_ends_on=g.campaign_ends_on,
        deadline=deadline,
        violations=tuple(v for v in Violation if found[v]),
    )
