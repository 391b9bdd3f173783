"""What every report's numbers start from: the period, the scope (account, ministry or all),
and the instants that bound them in UTC. Unknown names raise a ``DomainError`` in one sentence.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.orm import Session

from desktop.enums import AccountStatus, Platform
from desktop.errors import DomainError
from desktop.models import Account, Ministry, Person
from desktop.policy.periods import HalfYear

_INSTANT = timedelta(microseconds=1)


@dataclass(frozen=True)
class ReportPeriod:
    """Calendar days from ``start`` to ``end``, both included, in the branch's time zone."""

    start: date
    end: date
    label: str  # "2026H1" or "2026-01-01 to 2026-03-31"
    half_year: HalfYear | None = None

    def bounds(self, timezone: str, as_of: datetime) -> tuple[datetime, datetime]:
        """[first instant, end instant) in UTC. The end never goes past the data's as-of time,
        which itself counts: what was done at that very instant is part of the data."""
        zone = ZoneInfo(timezone)
        lo = datetime.combine(self.start, time(), zone)
        hi = datetime.combine(self.end + timedelta(days=1), time(), zone)
        return lo, min(hi, as_of + _INSTANT)

    def months(self, until: date | None = None) -> list[date]:
        """The first day of every month the period touches (up to ``until``'s), oldest first."""
        last = self.end if until is None else min(self.end, until)
        out: list[date] = []
        month = date(self.start.year, self.start.month, 1)
        while month <= last:
            out.append(month)
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        return out


def resolve_period(
    period: str | None,
    start: date | None,
    end: date | None,
    *,
    required: bool,
    as_of_day: date,
    default_current_half: bool = False,
) -> ReportPeriod | None:
    """The period named by ``--period`` or by ``--from``/``--to``. When neither is given: the
    half-year of ``as_of_day`` if ``default_current_half``, else None when none is required."""
    if period and (start or end):
        raise DomainError(
            "Give either a half-year period or a from/to date range, not both.", "period"
        )
    if period:
        try:
            half = HalfYear.parse(period)
        except ValueError as exc:
            raise DomainError(f"{str(exc)[:-1]} (you gave {period!r}).", "period") from exc
        result = ReportPeriod(half.start, half.end, half.label, half)
    elif start or end:
        if start is None or end is None:
            missing = "from" if start is None else "to"
            raise DomainError(f"The date range needs a {missing} date too.", "period")
        if end < start:
            raise DomainError(
                f"The period ends ({end.isoformat()}) before it starts ({start.isoformat()}).",
                "period",
            )
        half = HalfYear.containing(start)
        exact = half if (half.start, half.end) == (start, end) else None
        label = exact.label if exact else f"{start.isoformat()} to {end.isoformat()}"
        result = ReportPeriod(start, end, label, exact)
    elif default_current_half:
        half = HalfYear.containing(as_of_day)
        result = ReportPeriod(half.start, half.end, half.label, half)
    elif required:
        raise DomainError(
            "This report covers a period: give one, e.g. 2026H1, or a from/to date range.",
            "period",
        )
    else:
        return None
    if result.start > as_of_day:
        raise DomainError(
            f"The period {result.label} starts after the data's as-of date "
            f"({as_of_day.isoformat()}); give an earlier period.",
            "period",
        )
    return result


@dataclass(frozen=True)
class AccountRef:
    id: uuid.UUID
    platform: Platform
    handle: str
    display_name: str
    status: AccountStatus
    ministry_id: uuid.UUID
    ministry_code: str
    ministry_name: str
    owner_name: str
    government_email: str
    activated_at: datetime | None
    created_at: datetime

    @property
    def label(self) -> str:
        return f"{self.platform.label} @{self.handle}"


@dataclass(frozen=True)
class MinistryRef:
    id: uuid.UUID
    code: str
    name: str


@dataclass(frozen=True)
class Scope:
    """Which accounts a report covers: one, those of one ministry, or all."""

    kind: Literal["all", "ministry", "account"]
    label: str
    ministry: MinistryRef | None = None
    account: AccountRef | None = None

    def accounts(self, column_account_id: Any, column_ministry_id: Any) -> ColumnElement[bool]:
        """A WHERE clause on an account id and its ministry id column."""
        if self.account is not None:
            return column_account_id == self.account.id  # type: ignore[no-any-return]
        if self.ministry is not None:
            return column_ministry_id == self.ministry.id  # type: ignore[no-any-return]
        return true()


ALL = Scope("all", "All ministries and accounts")


def resolve_scope(session: Session, account: str | None, ministry: str | None) -> Scope:
    if account and ministry:
        raise DomainError("Give either an account or a ministry, not both.", "account")
    if account:
        ref = resolve_account(session, account)
        return Scope("account", f"{ref.label} ({ref.ministry_name})", account=ref)
    if ministry:
        m = resolve_ministry(session, ministry)
        return Scope("ministry", f"{m.name} ({m.code})", ministry=m)
    return ALL


def resolve_ministry(session: Session, code: str) -> MinistryRef:
    wanted = code.strip()
    row = session.execute(
        select(Ministry.id, Ministry.code, Ministry.name).where(
            func.lower(Ministry.code) == wanted.lower()
        )
    ).first()
    if row is None:
        codes = sorted(session.scalars(select(Ministry.code)))
        known = f"; the codes are {', '.join(codes)}" if 0 < len(codes) <= 40 else ""
        raise DomainError(f"There is no ministry with the code {wanted!r}{known}.", "ministry")
    return MinistryRef(row.id, row.code, row.name)


def resolve_account(session: Session, text: str) -> AccountRef:
    """An account by id, by handle (``@`` optional, any case) or by ``platform:handle``."""
    wanted = text.strip()
    query = (
        select(
            Account.id,
            Account.platform,
            Account.handle,
            Account.display_name,
            Account.status,
            Account.ministry_id,
            Ministry.code,
            Ministry.name,
            Person.name.label("owner_name"),
            Account.government_email,
            Account.activated_at,
            Account.created_at,
        )
        .join(Ministry, Ministry.id == Account.ministry_id)
        .outerjoin(Person, Person.id == Account.owner_id)
    )
    try:
        rows = session.execute(query.where(Account.id == uuid.UUID(wanted))).all()
    except ValueError:
        platform, _, handle = wanted.rpartition(":")
        handle = handle.strip().lstrip("@")
        query = query.where(func.lower(Account.handle) == handle.lower())
        if platform:
            try:
                query = query.where(Account.platform == Platform(platform.strip().lower()))
            except ValueError:
                names = ", ".join(p.value for p in Platform)
                raise DomainError(
                    f"{platform!r} is not a platform; use one of {names}.", "account"
                ) from None
        rows = session.execute(query.order_by(Account.platform)).all()
    if not rows:
        raise DomainError(f"There is no account {wanted!r}; give its handle or its id.", "account")
    if len(rows) > 1:
        options = ", ".join(f"{r.platform.value}:{r.handle}" for r in rows)
        raise DomainError(
            f"The handle {wanted!r} names {len(rows)} accounts; say which one: {options}.",
            "account",
        )
    r = rows[0]
    return AccountRef(
        id=r.id,
        platform=r.platform,
        handle=r.handle,
        display_name=r.display_name,
        status=r.status,
        ministry_id=r.ministry_id,
        ministry_code=r.code,
        ministry_name=r.name,
        owner_name=r.owner_name or "",
        government_email=r.government_email,
        activated_at=r.activated_at,
        created_at=r.created_at,
    )


def percent(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` in per cent; None when there is nothing to divide by."""
    return 100.0 * part / whole if whole else None


def local_day(at: datetime, timezone: str) -> date:
    return at.astimezone(ZoneInfo(timezone)).date()
