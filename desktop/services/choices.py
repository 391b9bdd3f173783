"""What pickers offer: ministries, accounts and people as (id, label) pairs, sorted for people.

Read-only and small (directory data, not the comment log), so dialogs can fill combo boxes and
checkable lists without knowing the models.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from desktop.enums import AccountStatus, AppRole
from desktop.models import Account, Ministry, Person, PersonRole
from desktop.services.context import ServiceContext
from desktop.services.metrics import require_reader

LIVE_STATUSES = (AccountStatus.APPROVED, AccountStatus.ACTIVE, AccountStatus.SUSPENDED)


@dataclass(frozen=True)
class Choice:
    id: uuid.UUID
    label: str
    detail: str = ""  # roles of a person, ministry code of an account
    key: str = ""  # login of a person, code of a ministry, handle of an account
    ministry_id: uuid.UUID | None = None  # of a person or an account


class ChoiceService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def ministries(self) -> list[Choice]:
        stmt = select(Ministry).where(Ministry.active.is_(True)).order_by(Ministry.name)
        with self.ctx.read() as session:
            require_reader(self.ctx, session)
            return [Choice(m.id, m.name, m.kind.value, m.code) for m in session.scalars(stmt)]

    def accounts(
        self, ministry_ids: Iterable[uuid.UUID] | None = None, *, live_only: bool = True
    ) -> list[Choice]:
        stmt = (
            select(Account.id, Account.platform, Account.handle, Account.ministry_id, Ministry.code)
            .join(Ministry, Ministry.id == Account.ministry_id)
            .order_by(Ministry.code, Account.platform, Account.handle)
        )
        if ministry_ids is not None:
            stmt = stmt.where(Account.ministry_id.in_(list(ministry_ids)))
        if live_only:
            stmt = stmt.where(Account.status.in_(LIVE_STATUSES))
        with self.ctx.read() as session:
            require_reader(self.ctx, session)
            return [
                Choice(r.id, f"{r.platform.label} @{r.handle}", r.code, r.handle, r.ministry_id)
                for r in session.execute(stmt)
            ]

    def people(
        self,
        *,
        roles: Iterable[AppRole] | None = None,
        ministry_ids: Iterable[uuid.UUID] | None = None,
    ) -> list[Choice]:
        """Active people, optionally holding one of ``roles`` or belonging to the ministries."""
        stmt = select(Person).where(Person.active.is_(True)).order_by(Person.name, Person.login)
        if roles is not None:
            holders = select(PersonRole.person_id).where(PersonRole.role.in_(list(roles)))
            stmt = stmt.where(Person.id.in_(holders))
        if ministry_ids is not None:
            stmt = stmt.where(Person.ministry_id.in_(list(ministry_ids)))
        with self.ctx.read() as session:
            require_reader(self.ctx, session)
            return [
                Choice(
                    p.id,
                    p.name,
                    ", ".join(r.label for r in AppRole if r in p.roles),
                    p.login,
                    p.ministry_id,
                )
                for p in session.scalars(stmt)
            ]
