"""An emergency's record as a person reads it: what it covers, who is on call, the group
updates posted during it and how many comments it put on the 24/7 clock."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from desktop.enums import EmergencyKind, GroupUpdateKind
from desktop.errors import NotFound
from desktop.models import (
    Account,
    Comment,
    Emergency,
    EmergencyAccount,
    EmergencyMinistry,
    GroupUpdate,
    Ministry,
    Person,
)
from desktop.services.context import ServiceContext
from desktop.services.metrics import require_reader


@dataclass(frozen=True)
class GroupUpdateView:
    id: uuid.UUID
    kind: GroupUpdateKind
    text: str
    link_url: str
    phone: str
    posted_at: datetime
    posted_by: str


@dataclass(frozen=True)
class EmergencyRecord:
    id: uuid.UUID
    version: int
    title: str
    kind: EmergencyKind
    description: str
    declared_at: datetime
    declared_by: str
    ended_at: datetime | None
    ended_by: str
    ministry_ids: tuple[uuid.UUID, ...]  # named, and those of the named accounts
    ministries: tuple[str, ...]
    accounts: tuple[str, ...]
    on_call_ministry_id: uuid.UUID | None
    on_call_ministry: str
    on_call_council_id: uuid.UUID | None
    on_call_council: str
    comments: int  # comments whose clock this emergency set
    updates: tuple[GroupUpdateView, ...]

    @property
    def running(self) -> bool:
        return self.ended_at is None


@dataclass(frozen=True)
class EmergencySummary:
    id: uuid.UUID
    title: str
    kind: EmergencyKind
    declared_at: datetime
    ended_at: datetime | None


class EmergencyRecordService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def list(self, *, running_only: bool = False) -> list[EmergencySummary]:
        """Emergencies, the latest declared first."""
        stmt = select(
            Emergency.id, Emergency.title, Emergency.kind, Emergency.declared_at, Emergency.ended_at
        ).order_by(Emergency.declared_at.desc(), Emergency.id)
        if running_only:
            stmt = stmt.where(Emergency.ended_at.is_(None))
        with self.ctx.read() as session:
            require_reader(self.ctx, session)
            return [EmergencySummary(*row) for row in session.execute(stmt)]

    def record(self, emergency_id: uuid.UUID) -> EmergencyRecord:
        with self.ctx.read() as session:
            require_reader(self.ctx, session)
            e = session.get(Emergency, emergency_id)
            if e is None:
                raise NotFound(
                    f"Emergency {emergency_id} does not exist (it may have been removed)."
                )
            ministries = session.execute(
                select(Ministry.id, Ministry.name)
                .join(EmergencyMinistry, EmergencyMinistry.ministry_id == Ministry.id)
                .where(EmergencyMinistry.emergency_id == e.id)
                .order_by(Ministry.name)
            ).all()
            accounts = session.execute(
                select(Account.platform, Account.handle, Account.ministry_id)
                .join(EmergencyAccount, EmergencyAccount.account_id == Account.id)
                .where(EmergencyAccount.emergency_id == e.id)
                .order_by(Account.platform, Account.handle)
            ).all()
            people = {e.declared_by_id, e.ended_by_id, e.on_call_ministry_id, e.on_call_council_id}
            updates = session.execute(
                select(GroupUpdate, Person.name)
                .outerjoin(Person, Person.id == GroupUpdate.posted_by_id)
                .where(GroupUpdate.emergency_id == e.id)
                .order_by(GroupUpdate.posted_at, GroupUpdate.id)
            ).all()
            found = dict(
                session.execute(
                    select(Person.id, Person.name).where(Person.id.in_(people - {None}))
                ).all()
            )

            def name(person_id: uuid.UUID | None) -> str:
                return found.get(person_id, "") if person_id is not None else ""

            comments = session.scalar(
                select(func.count()).select_from(Comment).where(Comment.emergency_id == e.id)
            )
            ministry_ids = [m.id for m in ministries]
            ministry_ids += [a.ministry_id for a in accounts if a.ministry_id not in ministry_ids]
            return EmergencyRecord(
                id=e.id,
                version=e.version,
                title=e.title,
                kind=e.kind,
                description=e.description,
                declared_at=e.declared_at,
                declared_by=name(e.declared_by_id),
                ended_at=e.ended_at,
                ended_by=name(e.ended_by_id),
                ministry_ids=tuple(ministry_ids),
                ministries=tuple(m.name for m in ministries),
                accounts=tuple(f"{a.platform.label} @{a.handle}" for a in accounts),
                on_call_ministry_id=e.on_call_ministry_id,
                on_call_ministry=name(e.on_call_ministry_id),
                on_call_council_id=e.on_call_council_id,
                on_call_council=name(e.on_call_council_id),
                comments=comments or 0,
                updates=tuple(
                    GroupUpdateView(
                        u.id, u.kind, u.text, u.link_url, u.phone, u.posted_at, poster or ""
                    )
                    for u, poster in updates
                ),
            )
