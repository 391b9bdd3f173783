"""Use cases of emergencies: declare and end them (the clock runs 24/7 for what they cover),
record group updates, and list the running ones for the banner.

Declaring and ending need EMERGENCY. Group updates are replies to the public, so the people
who handle comments may post them too, as may the Executive Council on-call person.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from desktop.enums import AppRole, EmergencyKind, GroupUpdateKind
from desktop.errors import DomainError, PermissionDenied
from desktop.models import (
    Account,
    Emergency,
    EmergencyAccount,
    EmergencyMinistry,
    GroupUpdate,
    Ministry,
    Person,
)
from desktop.models.base import new_id
from desktop.services import validation as v
from desktop.services.authz import ALLOWED, Permission, can
from desktop.services.comment_replies import RESTRICTED_TOPICS_TEXT
from desktop.services.context import ServiceContext, Work
from desktop.services.emergency_work.on_call import check_on_call
from desktop.services.metrics import require_reader
from desktop.services.recompute import covering_filter, recompute_due_times
from desktop.services.serialize import snapshot

GROUP_UPDATE_PERMISSIONS = (Permission.EMERGENCY, Permission.HANDLE_COMMENTS)


@dataclass(frozen=True)
class ActiveEmergency:
    """One running emergency as the banner shows it."""

    id: uuid.UUID
    title: str
    kind: EmergencyKind
    ministries: tuple[str, ...]
    accounts: tuple[str, ...]
    since: datetime
    on_call_ministry: str
    on_call_council: str


class EmergencyService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def declare(
        self,
        kind: EmergencyKind | str,
        title: str,
        ministry_ids: Iterable[uuid.UUID],
        account_ids: Iterable[uuid.UUID] = (),
        description: str = "",
        on_call_ministry_id: uuid.UUID | None = None,
        on_call_council_id: uuid.UUID | None = None,
        declared_at: datetime | None = None,
    ) -> Emergency:
        """Declare an emergency; open comments it covers get 24/7 due times at once."""
        what = v.choice(kind, EmergencyKind, "Kind of emergency", field="kind")
        ministries = list(dict.fromkeys(ministry_ids))
        accounts = list(dict.fromkeys(account_ids))
        with self.ctx.write() as work:
            work.require(Permission.EMERGENCY)
            name = v.text(title, "Title", field="title")
            when = _instant(declared_at or work.at, work, "declared")
            if not ministries and not accounts:
                raise DomainError("Name at least one affected ministry or account.", "ministry_ids")
            affected = {self._ministry(work, m).id for m in ministries}
            for account_id in accounts:
                account = work.session.get(Account, account_id)
                if account is None:
                    raise DomainError(f"Account {account_id} does not exist.", "account_ids")
                affected.add(account.ministry_id)
            check_on_call(work, affected, on_call_ministry_id, on_call_council_id)
            emergency = Emergency(
                id=new_id(),
                kind=what,
                title=name,
                description=v.text(
                    description, "Description", field="description", required=False, max_len=4000
                ),
                declared_at=when,
                declared_by_id=work.actor.id,
                on_call_ministry_id=on_call_ministry_id,
                on_call_council_id=on_call_council_id,
                ministry_rows=[EmergencyMinistry(ministry_id=m) for m in ministries],
                account_rows=[EmergencyAccount(account_id=a) for a in accounts],
            )
            work.session.add(emergency)
            work.session.flush()
            moved = recompute_due_times(
                work.session,
                since=when,
                open_only=True,
                where=covering_filter(accounts, ministries),
            )
            after = snapshot(emergency)
            after.update(
                ministry_ids=[str(m) for m in ministries],
                account_ids=[str(a) for a in accounts],
                comments_recomputed=moved,
            )
            work.audit("emergency.declare", "emergency", emergency.id, after=after)
            return emergency

    def end(self, emergency_id: uuid.UUID, ended_at: datetime | None = None) -> Emergency:
        """End an emergency (now, or at an earlier time); open comments received after the end
        return to business-hours due times."""
        with self.ctx.write() as work:
            work.require(Permission.EMERGENCY)
            emergency = work.get(Emergency, emergency_id, "Emergency")
            if emergency.ended_at is not None:
                raise DomainError(
                    f"This emergency already ended at {emergency.ended_at:%Y-%m-%d %H:%M} UTC."
                )
            when = _instant(ended_at or work.at, work, "ended")
            if when < emergency.declared_at:
                raise DomainError(
                    "An emergency cannot end before it was declared "
                    f"({emergency.declared_at:%Y-%m-%d %H:%M} UTC).",
                    "ended_at",
                )
            emergency.ended_at = when
            emergency.ended_by_id = work.actor.id
            work.session.flush()
            moved = recompute_due_times(
                work.session,
                since=when,
                open_only=True,
                where=covering_filter(
                    (r.account_id for r in emergency.account_rows),
                    (r.ministry_id for r in emergency.ministry_rows),
                ),
            )
            work.audit(
                "emergency.end",
                "emergency",
                emergency.id,
                {"ended_at": None},
                {"ended_at": when.isoformat(), "comments_recomputed": moved},
            )
            return emergency

    def add_group_update(
        self,
        emergency_id: uuid.UUID,
        kind: GroupUpdateKind | str,
        text: str,
        link_url: str = "",
        phone: str = "",
        restricted_topics_cleared: bool = False,
    ) -> GroupUpdate:
        """Record a group update (statement, Q&A, infographic, phone or link) instead of many
        individual replies. It is posted in public: the restricted topics must be cleared."""
        what = v.choice(kind, GroupUpdateKind, "Kind of update", field="kind")
        with self.ctx.write() as work:
            _require_any(work, GROUP_UPDATE_PERMISSIONS, "Recording a group update")
            emergency = work.get(Emergency, emergency_id, "Emergency")
            if emergency.ended_at is not None:
                raise DomainError(
                    "This emergency has ended; group updates are recorded while it runs."
                )
            update = GroupUpdate(
                id=new_id(),
                emergency_id=emergency.id,
                kind=what,
                text=v.text(text, "Update text", field="text", max_len=8000),
                link_url=v.url(link_url, "Link", field="link_url"),
                phone=v.phone(phone, "Phone number", field="phone"),
                posted_at=work.at,
                posted_by_id=work.actor.id,
            )
            if what == GroupUpdateKind.PHONE_OR_LINK and not (update.link_url or update.phone):
                raise DomainError(
                    "Give the phone number or the link where people can find more information.",
                    "link_url",
                )
            if not restricted_topics_cleared:
                raise DomainError(
                    "Before posting the update, confirm it discusses none of the topics that may "
                    f"not be discussed with the public: {RESTRICTED_TOPICS_TEXT}.",
                    "restricted_topics_cleared",
                )
            work.session.add(update)
            after = snapshot(update)
            after["restricted_topics_cleared"] = True
            work.audit("emergency.group_update", "group_update", update.id, after=after)
            return update

    def updates(self, emergency_id: uuid.UUID) -> list[GroupUpdate]:
        """The group updates of one emergency, oldest first."""
        with self.ctx.read() as session:
            require_reader(self.ctx, session)
            return list(
                session.scalars(
                    select(GroupUpdate)
                    .where(GroupUpdate.emergency_id == emergency_id)
                    .order_by(GroupUpdate.posted_at, GroupUpdate.id)
                )
            )

    def active(self, as_of: datetime) -> list[ActiveEmergency]:
        """Emergencies running at ``as_of``, earliest first, for the banner."""
        if as_of.tzinfo is None or as_of.utcoffset() is None:
            raise DomainError("The time to look at needs a time zone.", "as_of")
        with self.ctx.read() as session:
            require_reader(self.ctx, session)
            rows = session.execute(
                select(
                    Emergency.id,
                    Emergency.title,
                    Emergency.kind,
                    Emergency.declared_at,
                    Emergency.on_call_ministry_id,
                    Emergency.on_call_council_id,
                )
                .where(
                    Emergency.declared_at <= as_of,
                    or_(Emergency.ended_at.is_(None), Emergency.ended_at > as_of),
                )
                .order_by(Emergency.declared_at, Emergency.id)
            ).all()
            ids = [r.id for r in rows]
            ministries: dict[uuid.UUID, list[str]] = {}
            for em_id, name in session.execute(
                select(EmergencyMinistry.emergency_id, Ministry.name)
                .join(Ministry, Ministry.id == EmergencyMinistry.ministry_id)
                .where(EmergencyMinistry.emergency_id.in_(ids))
                .order_by(Ministry.name)
            ):
                ministries.setdefault(em_id, []).append(name)
            accounts: dict[uuid.UUID, list[str]] = {}
            for em_id, platform, handle in session.execute(
                select(EmergencyAccount.emergency_id, Account.platform, Account.handle)
                .join(Account, Account.id == EmergencyAccount.account_id)
                .where(EmergencyAccount.emergency_id.in_(ids))
                .order_by(Account.platform, Account.handle)
            ):
                accounts.setdefault(em_id, []).append(f"{platform.label} @{handle}")
            people = {r.on_call_ministry_id for r in rows} | {r.on_call_council_id for r in rows}
            names = dict(
                session.execute(
                    select(Person.id, Person.name).where(Person.id.in_(people - {None}))
                ).all()
            )
            return [
                ActiveEmergency(
                    id=r.id,
                    title=r.title,
                    kind=r.kind,
                    ministries=tuple(ministries.get(r.id, ())),
                    accounts=tuple(accounts.get(r.id, ())),
                    since=r.declared_at,
                    on_call_ministry=names.get(r.on_call_ministry_id, ""),
                    on_call_council=names.get(r.on_call_council_id, ""),
                )
                for r in rows
            ]

    @staticmethod
    def _ministry(work: Work, ministry_id: uuid.UUID) -> Ministry:
        ministry = work.session.get(Ministry, ministry_id)
        if ministry is None:
            raise DomainError(f"Ministry {ministry_id} does not exist.", "ministry_ids")
        return ministry


def _instant(value: datetime, work: Work, verb: str) -> datetime:
    field = f"{verb}_at"
    if value.tzinfo is None or value.utcoffset() is None:
        raise DomainError(f"The time the emergency {verb} needs a time zone.", field)
    if value > work.at:
        raise DomainError(
            f"The time the emergency {verb} is in the future; record it when it happens.", field
        )
    return value


def _require_any(work: Work, permissions: tuple[Permission, ...], action: str) -> None:
    roles = work.actor.roles
    if any(can(roles, p) for p in permissions):
        return
    allowed = frozenset().union(*(ALLOWED[p] for p in permissions))
    needed = [r.label for r in AppRole if r in allowed]
    held = ", ".join(r.label for r in AppRole if r in roles) or "no role"
    raise PermissionDenied(
        f"{action} needs the role {', '.join(needed[:-1])} or {needed[-1]}; you hold {held}."
    )
