"""The numbers of the service-level compliance report: on-time shares by ministry and account,
the spread of business time taken, the overdue items, and emergency periods on their own."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from desktop.enums import EmergencyKind, GroupUpdateKind, Platform
from desktop.models import (
    Account,
    Comment,
    Emergency,
    EmergencyAccount,
    EmergencyMinistry,
    GroupUpdate,
    Ministry,
)
from desktop.policy.settings import PolicySettings
from desktop.policy.sla import BusinessCalendar
from desktop.reports.data.comment_stats import (
    IsCancelled,
    OverdueItem,
    SlaCounts,
    TimeTaken,
    in_window,
    official_handles,
    overdue_items,
    service_rules,
    sla_counts_by,
    time_taken,
)
from desktop.reports.data.common import ReportPeriod, Scope

OVERDUE_LISTED = 200  # the oldest ones; the total is always given


@dataclass(frozen=True)
class GroupRow:
    key: uuid.UUID
    label: str
    ministry_code: str
    normal: SlaCounts
    emergency: SlaCounts


@dataclass(frozen=True)
class GroupUpdateRow:
    """A group update posted during an emergency: the policy's few updates for many questions."""

    kind: GroupUpdateKind
    posted_at: datetime
    text: str
    link_url: str
    phone: str


@dataclass(frozen=True)
class EmergencyRow:
    title: str
    kind: EmergencyKind
    declared_at: datetime
    ended_at: datetime | None
    counts: SlaCounts
    updates: tuple[GroupUpdateRow, ...] = ()


@dataclass(frozen=True)
class SlaData:
    scope: Scope
    period: ReportPeriod
    by_ministry: tuple[GroupRow, ...]
    by_account: tuple[GroupRow, ...]
    time_taken: TimeTaken
    overdue: tuple[OverdueItem, ...]
    overdue_total: int
    emergencies: tuple[EmergencyRow, ...]
    official_handles: frozenset[str]
    rules: str  # the service levels in force, in words

    @property
    def normal(self) -> SlaCounts:
        return sum((g.normal for g in self.by_ministry), SlaCounts())

    @property
    def emergency(self) -> SlaCounts:
        return sum((g.emergency for g in self.by_ministry), SlaCounts())


def sla_data(
    session: Session,
    scope: Scope,
    period: ReportPeriod,
    *,
    as_of: datetime,
    settings: PolicySettings,
    calendar: BusinessCalendar,
    cancelled: IsCancelled | None = None,
) -> SlaData:
    lo, hi = period.bounds(settings.timezone, as_of)
    base = in_window(lo, hi)
    if scope.kind != "all":
        base = and_(
            base,
            Comment.account_id.in_(
                select(Account.id).where(scope.accounts(Account.id, Account.ministry_id))
            ),
        )
    emergency = Comment.emergency_id.is_not(None)
    by_acc = sla_counts_by(session, [Comment.account_id, emergency], base, as_of)
    accounts = session.execute(
        select(Account.id, Account.platform, Account.handle, Account.ministry_id, Ministry.code)
        .join(Ministry, Ministry.id == Account.ministry_id)
        .where(Account.id.in_(list({k[0] for k in by_acc})))
    ).all()
    empty = SlaCounts()
    by_account = tuple(
        sorted(
            (
                GroupRow(
                    a.id,
                    f"{Platform(a.platform).label} @{a.handle}",
                    a.code,
                    by_acc.get((a.id, False), empty),
                    by_acc.get((a.id, True), empty),
                )
                for a in accounts
            ),
            key=lambda g: (g.ministry_code, g.label),
        )
    )
    # Ministries add up their accounts: already aggregated, so no second pass over comments.
    ministry_of = {a.id: a.ministry_id for a in accounts}
    normal: dict[uuid.UUID, SlaCounts] = {}
    urgent: dict[uuid.UUID, SlaCounts] = {}
    for g in by_account:
        m = ministry_of[g.key]
        normal[m] = normal.get(m, empty) + g.normal
        urgent[m] = urgent.get(m, empty) + g.emergency
    ministries = session.execute(
        select(Ministry.id, Ministry.name, Ministry.code).where(Ministry.id.in_(list(normal)))
    ).all()
    by_ministry = tuple(
        sorted(
            (GroupRow(m.id, m.name, m.code, normal[m.id], urgent[m.id]) for m in ministries),
            key=lambda g: g.ministry_code,
        )
    )
    overdue, total = overdue_items(session, base, as_of, OVERDUE_LISTED)
    return SlaData(
        scope=scope,
        period=period,
        by_ministry=by_ministry,
        by_account=by_account,
        time_taken=time_taken(session, base, as_of, calendar, cancelled),
        overdue=overdue,
        overdue_total=total,
        emergencies=emergency_rows(session, scope, base, lo, hi, as_of),
        official_handles=official_handles(session),
        rules=service_rules(settings),
    )


def emergency_rows(
    session: Session,
    scope: Scope,
    base: ColumnElement[bool],
    lo: datetime,
    hi: datetime,
    as_of: datetime,
) -> tuple[EmergencyRow, ...]:
    """Emergencies that ran during the period, with the comments handled under each.

    A scoped report shows those naming its accounts or ministry, or covering its comments.
    """
    counts = {
        k[0]: v
        for k, v in sla_counts_by(session, [Comment.emergency_id], base, as_of).items()
        if k[0] is not None
    }
    query = (
        select(
            Emergency.id, Emergency.title, Emergency.kind, Emergency.declared_at, Emergency.ended_at
        )
        .where(
            Emergency.declared_at < hi,
            or_(Emergency.ended_at.is_(None), Emergency.ended_at >= lo),
        )
        .order_by(Emergency.declared_at)
    )
    if scope.kind != "all":
        accounts = select(Account.id).where(scope.accounts(Account.id, Account.ministry_id))
        named = [
            Emergency.id.in_(
                select(EmergencyAccount.emergency_id).where(
                    EmergencyAccount.account_id.in_(accounts)
                )
            ),
            Emergency.id.in_(list(counts)),
        ]
        if scope.ministry is not None:
            named.append(
                Emergency.id.in_(
                    select(EmergencyMinistry.emergency_id).where(
                        EmergencyMinistry.ministry_id == scope.ministry.id
                    )
                )
            )
        query = query.where(or_(*named))
    rows = session.execute(query).all()
    updates: dict[uuid.UUID, list[GroupUpdateRow]] = {}
    for emergency_id, kind, posted, text, link, phone in session.execute(
        select(
            GroupUpdate.emergency_id,
            GroupUpdate.kind,
            GroupUpdate.posted_at,
            GroupUpdate.text,
            GroupUpdate.link_url,
            GroupUpdate.phone,
        )
        .where(GroupUpdate.emergency_id.in_([r.id for r in rows]))
        .order_by(GroupUpdate.posted_at, GroupUpdate.id)
    ):
        updates.setdefault(emergency_id, []).append(GroupUpdateRow(kind, posted, text, link, phone))
    return tuple(
        EmergencyRow(
            r.title,
            r.kind,
            r.declared_at,
            r.ended_at,
            counts.get(r.id, SlaCounts()),
            tuple(updates.get(r.id, ())),
        )
        for r in rows
    )
