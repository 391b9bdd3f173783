"""The audit log as people read it: who (name and role), did what (a sentence), to which record
(its name), when; filtered by person, kind of record, record name, action and dates; paged
newest first by sequence number. Each entry says which record a tab can open for it.

``desktop.services.audit`` keeps the chain itself; this module only reads it.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from desktop.enums import AppRole
from desktop.models import (
    Account,
    AccountRole,
    Approval,
    AuditEvent,
    Campaign,
    Emergency,
    Evaluation,
    Goal,
    MetricSnapshot,
    Ministry,
    Person,
    PersonRole,
)
from desktop.services.audit import SYSTEM_LOGIN
from desktop.services.audit_records import account_label, record_names
from desktop.services.audit_service import AuditService
from desktop.services.audit_wording import action_text, changes, kind_text, sentence
from desktop.services.context import ServiceContext, load_settings

PAGE = 200
SYSTEM_NAME = "The app itself"  # demo data, imports, start-up work: no person acted


@dataclass(frozen=True)
class AuditFilter:
    """What the person narrowed the log to; empty fields do not narrow it."""

    actor_login: str | None = None
    entity_type: str | None = None
    action: str | None = None
    record: str = ""  # words of the record's name (an account, a person, a request...)
    since: date | None = None  # local days, both included
    until: date | None = None


@dataclass(frozen=True)
class AuditEntry:
    seq: int | None  # None: written on this replica, not yet accepted by the hub
    occurred_at: datetime
    who: str  # the person's name
    roles: tuple[AppRole, ...]  # their application roles today (none for the app itself)
    login: str
    what: str  # a sentence
    kind: str  # the kind of record, in words
    record: str  # the record's name
    entity_type: str
    entity_id: str
    details: tuple[str, ...]  # the fields changed, one line each
    open_type: str | None  # what a tab can open for it (an account for its goal), or None
    open_id: str | None


@dataclass(frozen=True)
class AuditPage:
    entries: tuple[AuditEntry, ...]
    more: bool  # older entries match too ("Show older")


@dataclass(frozen=True)
class AuditChoices:
    people: tuple[tuple[str, str], ...]  # (login, "Name (role)") of everyone in the log
    kinds: tuple[tuple[str, str], ...]  # (entity type, words)
    actions: tuple[tuple[str, str], ...]  # (action, words)


class AuditLogService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def choices(self) -> AuditChoices:
        """The people, kinds of record and actions the log holds (for the filters)."""
        AuditService(self.ctx)._require_reader()
        with self.ctx.read() as session:
            logins = list(session.scalars(select(AuditEvent.actor_login).distinct()))
            kinds = list(session.scalars(select(AuditEvent.entity_type).distinct()))
            seeded = set(
                session.scalars(
                    select(AuditEvent.entity_type)
                    .where(AuditEvent.action == "demo.seed")
                    .distinct()
                )
            )
            actions = list(session.scalars(select(AuditEvent.action).distinct()))
            people = _people(session, logins)
        listed = sorted(
            ((login, _who_label(*people.get(login, (login, ())))) for login in logins),
            key=lambda p: (p[0] != SYSTEM_LOGIN, p[1].lower()),
        )
        return AuditChoices(
            people=tuple(listed),
            kinds=tuple(
                sorted(
                    ((k, kind_text(k) + (" (demo data)" if k in seeded else "")) for k in kinds),
                    key=lambda k: k[1],
                )
            ),
            actions=tuple(sorted(((a, action_text(a)) for a in actions), key=lambda a: a[1])),
        )

    def page(
        self, wanted: AuditFilter, *, before_seq: int | None = None, limit: int = PAGE
    ) -> AuditPage:
        """The newest entries matching ``wanted`` (older than ``before_seq`` when given)."""
        AuditService(self.ctx)._require_reader()
        with self.ctx.read() as session:
            zone = load_settings(session).timezone
            stmt = _filtered(session, wanted, zone).order_by(AuditEvent.seq.desc())
            if before_seq is not None:
                stmt = stmt.where(AuditEvent.seq < before_seq)
            events: list[AuditEvent] = list(session.scalars(stmt.limit(limit + 1)))
            more = len(events) > limit
            events = events[:limit]
            return AuditPage(_entries(session, events), more)


# -- filtering ------------------------------------------------------------------------------


def _filtered(session: Session, wanted: AuditFilter, zone: str) -> Select[Any]:
    stmt = select(AuditEvent)
    if wanted.actor_login:
        stmt = stmt.where(AuditEvent.actor_login == wanted.actor_login)
    if wanted.entity_type:
        stmt = stmt.where(AuditEvent.entity_type == wanted.entity_type)
    if wanted.action:
        stmt = stmt.where(AuditEvent.action == wanted.action)
    local = ZoneInfo(zone)
    if wanted.since:
        stmt = stmt.where(AuditEvent.occurred_at >= datetime.combine(wanted.since, time(), local))
    if wanted.until:
        end = datetime.combine(wanted.until + timedelta(days=1), time(), local)
        stmt = stmt.where(AuditEvent.occurred_at < end)
    if wanted.record.strip():
        stmt = stmt.where(AuditEvent.entity_id.in_(_ids_named(session, wanted.record)))
    return stmt


def _ids_named(session: Session, text: str) -> list[str]:
    """Ids of the records whose name holds ``text``: accounts (and what belongs to them:
    roles, requests, goals, evaluations, metrics), people (and their roles), requests,
    campaigns, emergencies and ministries."""
    like = f"%{text.strip().lstrip('@').lower()}%"
    accounts = select(Account.id).where(
        or_(func.lower(Account.handle).like(like), func.lower(Account.display_name).like(like))
    )
    people = select(Person.id).where(func.lower(Person.name).like(like))
    queries: list[Select[Any]] = [
        accounts,
        people,
        select(AccountRole.id).where(
            or_(AccountRole.account_id.in_(accounts), AccountRole.person_id.in_(people))
        ),
        select(Approval.id).where(
            or_(func.lower(Approval.title).like(like), Approval.account_id.in_(accounts))
        ),
        select(Goal.id).where(
            or_(func.lower(Goal.title).like(like), Goal.account_id.in_(accounts))
        ),
        select(Evaluation.id).where(Evaluation.account_id.in_(accounts)),
        select(MetricSnapshot.id).where(MetricSnapshot.account_id.in_(accounts)),
        select(Campaign.id).where(func.lower(Campaign.name).like(like)),
        select(Emergency.id).where(func.lower(Emergency.title).like(like)),
        select(Ministry.id).where(
            or_(func.lower(Ministry.name).like(like), func.lower(Ministry.code).like(like))
        ),
    ]
    return [str(i) for q in queries for i in session.scalars(q)]


# -- reading --------------------------------------------------------------------------------


def _people(session: Session, logins: Iterable[str]) -> dict[str, tuple[str, tuple[AppRole, ...]]]:
    """login -> (name, application roles)."""
    wanted = [login for login in logins if login != SYSTEM_LOGIN]
    roles: dict[str, list[AppRole]] = defaultdict(list)
    names: dict[str, str] = {}
    for login, name, role in session.execute(
        select(Person.login, Person.name, PersonRole.role)
        .outerjoin(PersonRole, PersonRole.person_id == Person.id)
        .where(Person.login.in_(wanted))
    ):
        names[login] = name
        if role is not None:
            roles[login].append(role)
    out = {
        login: (name, tuple(sorted(roles[login], key=list(AppRole).index)))
        for login, name in names.items()
    }
    out[SYSTEM_LOGIN] = (SYSTEM_NAME, ())
    return out


def _who_label(name: str, roles: tuple[AppRole, ...]) -> str:
    return f"{name} ({', '.join(r.label for r in roles)})" if roles else name


def _entries(session: Session, events: list[AuditEvent]) -> tuple[AuditEntry, ...]:
    people = _people(session, {e.actor_login for e in events})
    by_type: dict[str, set[str]] = defaultdict(set)
    for e in events:
        by_type[e.entity_type].add(e.entity_id)
    records = record_names(session, by_type)
    names = _names(session, events)
    out = []
    for e in events:
        before = json.loads(e.before) if e.before else {}
        after = json.loads(e.after) if e.after else {}
        name, roles = people.get(e.actor_login, (e.actor_login, ()))
        found = records.get((e.entity_type, e.entity_id))
        label, open_type, open_id = found or (
            _gone(e.entity_type, before, after, names),
            None,
            None,
        )
        out.append(
            AuditEntry(
                seq=e.seq,
                occurred_at=e.occurred_at,
                who=name,
                roles=roles,
                login=e.actor_login,
                what=sentence(e.action, before, after),
                kind=kind_text(e.entity_type),
                record=label,
                entity_type=e.entity_type,
                entity_id=e.entity_id,
                details=tuple(changes(before, after, names)),
                open_type=open_type,
                open_id=open_id,
            )
        )
    return tuple(out)


def _gone(
    entity_type: str, before: dict[str, Any], after: dict[str, Any], names: dict[str, str]
) -> str:
    """A record no longer there (a deleted goal), named from what the log kept of it; or
    demo data, named by its table."""
    for data in (before, after):
        for key in ("title", "name", "handle"):
            if data.get(key):
                of = names.get(str(data.get("account_id")))
                named = f"{kind_text(entity_type).rstrip('s')} “{data[key]}”" if of else data[key]
                return f"{named}{f' of {of}' if of else ''} (no longer in the database)"
    if entity_type in ("database", "-"):
        return "The whole database"
    return f"{kind_text(entity_type)} (demo data)" if "rows" in after else kind_text(entity_type)


def _names(session: Session, events: list[AuditEvent]) -> dict[str, str]:
    """Names for the ids the events' fields hold (people, accounts, ministries, campaigns)."""
    found: set[uuid.UUID] = set()
    for e in events:
        for raw in (e.before, e.after):
            if not raw:
                continue
            for key, value in json.loads(raw).items():
                if key.endswith("_id") and isinstance(value, str):
                    try:
                        found.add(uuid.UUID(value))
                    except ValueError:
                        continue
    if not found:
        return {}
    names: dict[str, str] = {}
    for rid, name in session.execute(select(Person.id, Person.name).where(Person.id.in_(found))):
        names[str(rid)] = name
    for rid, name in session.execute(
        select(Ministry.id, Ministry.name).where(Ministry.id.in_(found))
    ):
        names[str(rid)] = name
    for rid, name in session.execute(
        select(Campaign.id, Campaign.name).where(Campaign.id.in_(found))
    ):
        names[str(rid)] = name
    for rid, platform, handle in session.execute(
        select(Account.id, Account.platform, Account.handle).where(Account.id.in_(found))
    ):
        names[str(rid)] = account_label(platform, handle)
    return names
