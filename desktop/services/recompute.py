"""The bulk recomputation of the comments' stored clock start, due times and covering emergency,
after the calendar, the clock settings or an emergency change (keyset pages, changed rows only).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Integer,
    Table,
    and_,
    bindparam,
    false,
    func,
    literal_column,
    null,
    or_,
    select,
    tuple_,
    type_coerce,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.types import UserDefinedType

from desktop.errors import Cancelled
from desktop.models import Account, Comment, Emergency, EmergencyAccount, EmergencyMinistry
from desktop.policy.sla import SlaPolicy

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]

_comments = cast(Table, Comment.__table__)
_c = _comments.c


def covering_filter(
    account_ids: Iterable[uuid.UUID], ministry_ids: Iterable[uuid.UUID]
) -> ColumnElement[bool]:
    """A ``where`` for :func:`recompute_due_times`: comments on the given accounts or on any
    account of the given ministries."""
    accounts, ministries = list(account_ids), list(ministry_ids)
    clauses: list[ColumnElement[bool]] = []
    if accounts:
        clauses.append(_c.account_id.in_(accounts))
    if ministries:
        clauses.append(
            _c.account_id.in_(select(Account.id).where(Account.ministry_id.in_(ministries)))
        )
    return or_(*clauses) if clauses else false()


def recompute_due_times(
    session: Session,
    *,
    since: datetime | None = None,
    open_only: bool = False,
    where: ColumnElement[bool] | None = None,
    batch_size: int = 20_000,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> int:
    """Recompute the stored clock start, due times and covering emergency of comments, in the
    caller's transaction; returns how many comments changed.

    Every comment, or those received at or after ``since``, only open ones (new or
    acknowledged) with ``open_only``, narrowed further by ``where`` (a condition on the
    comments table). Keyset pages of ``batch_size``; only rows whose values change are
    written, one executemany per page. ``progress(done, total)`` is called after each page;
    ``cancelled()`` returning True raises :class:`Cancelled`.
    """
    # Imported here: the clock module re-exports this one, so a top-level import would cycle.
    from desktop.services.clock import OPEN_STATUSES, sla_policy

    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    sqlite = session.get_bind().dialect.name == "sqlite"
    table = _UtcDueTable(sla_policy(session))
    emergencies = _EmergencyIndex(session)
    covering = emergencies.covering if emergencies else None
    filters: list[ColumnElement[bool]] = []
    if since is not None:
        filters.append(_c.received_at >= since)
    if open_only:
        filters.append(_c.status.in_([s.value for s in OPEN_STATUSES]))
    if where is not None:
        filters.append(where)
    total = session.scalar(select(func.count()).select_from(_comments).where(*filters)) or 0

    # On SQLite a large pass reads the table in storage order (rowid, no index): a third of
    # the time of an index walk with a row lookup each, and immune to the planner pairing a
    # filter's index with a sort of every match for every page. Small filtered passes, and
    # PostgreSQL (whose row ids move on update), page along the (received_at, id) index.
    storage_order = sqlite and (not filters or total > 2 * batch_size)
    rowid = literal_column("comments.rowid", Integer)
    # Rows are written back by rowid on that path, which also spares reading the id text.
    target = rowid if storage_order else _raw(_c.id)
    keys: tuple[ColumnElement[Any], ...] = (
        () if storage_order else (_raw(_c.received_at), _raw(_c.id))
    )
    page = (
        select(
            target.label("target"),
            _raw(_c.received_at) if sqlite else _naive_utc(_c.received_at),
            _raw(_c.account_id) if covering else null().label("account_id"),
            _raw(_c.emergency_id),
            _raw(_c.clock_start_at) if sqlite else _naive_utc(_c.clock_start_at),
            _raw(_c.acknowledge_due_at) if sqlite else _naive_utc(_c.acknowledge_due_at),
            _raw(_c.answer_due_at) if sqlite else _naive_utc(_c.answer_due_at),
            *(key.label(f"key_{n}") for n, key in enumerate(keys)),
        )
        .order_by(*(keys or (rowid,)))
        .limit(batch_size)
    )
    if storage_order and filters:
        # "(...) IS 1" keeps SQLite from answering the filter through an index.
        page = page.where(and_(*filters).is_(True))
    else:
        page = page.where(*filters)
    # Setting emergency_id only where it changes spares SQLite an index update per row.
    write_due = (
        update(_comments)
        .where(target == bindparam("k_id", type_=_RAW))
        .values(
            clock_start_at=bindparam("k_start"),
            acknowledge_due_at=bindparam("k_ack"),
            answer_due_at=bindparam("k_answer"),
            # Derived values, not an edit of the comment: its update time (and its record
            # digest, docs/trust-and-sync.md §4) stay as they were.
            updated_at=_c.updated_at,
        )
    )
    write_all = write_due.values(emergency_id=bindparam("k_emergency", type_=_RAW))
    # SQLite hands back UTCDateTime's stored text: naive UTC in one fixed ISO layout.
    instant: Callable[[Any], datetime] = datetime.fromisoformat if sqlite else _identity
    due = table.due
    done = changed = 0
    last: tuple[Any, ...] | None = None
    if progress:
        progress(0, total)
    while True:
        if cancelled and cancelled():
            raise Cancelled("The recomputation of due times was cancelled.")
        if last is None:
            stmt = page
        elif storage_order:
            stmt = page.where(rowid > last[0])
        else:
            stmt = page.where(tuple_(*keys) > tuple_(*last))
        # The driver's plain tuples, not Row objects: a page of Rows outlives the young GC
        # generations and sets off a full collection nearly every page, each holding the GIL
        # for 50-150 ms (a frozen GUI while this runs in the background); tuples of plain
        # values are untracked at once. No column of the page converts its values anyway.
        # (Run on the session's connection: a Core result, never the ORM's wrapper of it.)
        result = session.connection().execute(stmt)
        rows = result.cursor.fetchall()
        result.close()
        if not rows:
            break
        params: list[dict[str, Any]] = []
        moved: list[dict[str, Any]] = []  # also changed emergency
        for row in rows:
            target_id, received, account_id, em_stored, start, ack, answer = row[:7]
            received = instant(received)
            em = covering(account_id, received) if covering else None
            d_start, d_ack, d_answer = due(received, em is not None)
            if (
                d_answer != instant(answer)
                or d_ack != instant(ack)
                or d_start != instant(start)
                or em != em_stored
            ):
                (params if em == em_stored else moved).append(
                    {
                        "k_id": target_id,
                        "k_start": d_start.replace(tzinfo=UTC),
                        "k_ack": d_ack.replace(tzinfo=UTC),
                        "k_answer": d_answer.replace(tzinfo=UTC),
                        "k_emergency": em,
                    }
                )
        if params:
            session.execute(write_due, params)
        if moved:
            session.execute(write_all, moved)
        changed += len(params) + len(moved)
        done += len(rows)
        last = (rows[-1][0],) if storage_order else tuple(rows[-1][7:])
        if progress:
            progress(done, total)
        if len(rows) < batch_size:
            break
    return changed


# -- bulk internals ------------------------------------------------------------------------
# The bulk pass works on naive UTC instants and driver-level values: SQLAlchemy's per-value
# conversions (hex text to UUID, text to aware datetime) and comparisons of datetimes in
# different zones cost more than everything else together on a million rows.


class _Opaque(UserDefinedType[Any]):
    """Values pass to and from the driver untouched (ids stay str on SQLite, UUID on PG)."""

    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        raise NotImplementedError("only used in expressions, never in DDL")


_RAW = _Opaque()


def _raw(column: Any) -> ColumnElement[Any]:
    return type_coerce(column, _RAW)


def _naive_utc(column: Any) -> ColumnElement[Any]:
    return func.timezone("UTC", _raw(column))  # PostgreSQL: timestamptz -> UTC timestamp


def _identity(value: datetime) -> datetime:
    return value


_Info = tuple[datetime | None, datetime | None, datetime, datetime, datetime, bool]


class _UtcDueTable:
    """``SlaPolicy.due`` on naive UTC instants from a per-day table, with the policy's own
    ``due`` for the rare cases the table does not settle (tests compare the two)."""

    def __init__(self, policy: SlaPolicy) -> None:
        self.policy = policy
        cal = policy.calendar
        self._tz = ZoneInfo(cal.timezone)
        self._segments: dict[date, list[tuple[datetime, _Info]]] = {}
        self._infos: dict[date, _Info] = {}
        self._ack = policy.acknowledge_within
        self._em_ack = policy.emergency_acknowledge_within
        self._em_answer = policy.emergency_answer_within

    def due(self, received: datetime, emergency: bool) -> tuple[datetime, datetime, datetime]:
        """(clock start, acknowledge by, answer by) of a naive UTC ``received``, naive UTC."""
        if emergency:
            return received, received + self._em_ack, received + self._em_answer
        segments = self._segments.get(received.date()) or self._segments_of(received.date())
        info = segments[-1][1]
        for seg_start, seg_info in segments:
            if received >= seg_start:
                info = seg_info
                break
        opens, closes, next_opens, next_closes, after_closes, uniform = info
        if uniform:
            if opens is not None and closes is not None and received < closes:
                start = received if received > opens else opens
                ack = start + self._ack
                if ack <= closes:
                    return start, ack, next_closes
                ack = next_opens + (ack - closes)
                if ack <= next_closes:
                    return start, ack, next_closes
            else:
                ack = next_opens + self._ack
                if ack <= next_closes:
                    return next_opens, ack, after_closes
        d = self.policy.due(received.replace(tzinfo=UTC))
        return _utc(d.clock_start), _utc(d.acknowledge_by), _utc(d.answer_by)

    def _segments_of(self, utc_day: date) -> list[tuple[datetime, _Info]]:
        """The local days overlapping one UTC day, latest first, each with its UTC start."""
        day_start = datetime.combine(utc_day, time(0))
        day_end = day_start + timedelta(days=1)
        starts = [(self._local_midnight(utc_day + timedelta(days=k)), k) for k in range(-2, 3)]
        first = max(s for s in starts if s[0] <= day_start)
        segments = [first, *(s for s in starts if day_start < s[0] < day_end)]
        found = [(s, self._info(utc_day + timedelta(days=k))) for s, k in segments]
        found.sort(key=lambda seg: seg[0], reverse=True)
        self._segments[utc_day] = found
        return found

    def _local_midnight(self, day: date) -> datetime:
        return _utc(datetime.combine(day, time(0), self._tz))

    def _info(self, day: date) -> _Info:
        """Opening and closing of ``day`` (None when closed), the next business day's opening
        and closing, the closing after that, and whether wall-clock and elapsed time agree."""
        found = self._infos.get(day)
        if found is None:
            cal = self.policy.calendar
            nxt = self._next_business_day(day)
            after = self._next_business_day(nxt)
            local = [
                *((self._at(day, cal.opening), self._at(day, cal.closing))
                  if cal.is_business_day(day) else ()),
                self._at(nxt, cal.opening),
                self._at(nxt, cal.closing),
                self._at(after, cal.closing),
            ]  # fmt: skip
            # A UTC offset change inside business hours makes wall-clock sums differ from
            # elapsed ones; those days go to the policy itself.
            uniform = len({t.utcoffset() for t in local[:-1]}) == 1
            utc = [_utc(t) for t in local]
            if len(utc) == 3:
                found = (None, None, utc[0], utc[1], utc[2], uniform)
            else:
                found = (utc[0], utc[1], utc[2], utc[3], utc[4], uniform)
            self._infos[day] = found
        return found

    def _next_business_day(self, day: date) -> date:
        day += timedelta(days=1)
        while not self.policy.calendar.is_business_day(day):
            day += timedelta(days=1)
        return day

    def _at(self, day: date, wall: time) -> datetime:
        return datetime.combine(day, wall, self._tz)


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None)


@dataclass(frozen=True, slots=True)
class _Cover:
    declared_at: datetime  # naive UTC
    ended_at: datetime | None
    emergency_id: Any  # driver-level id


class _EmergencyIndex:
    """Every emergency by the driver-level ids of the accounts and ministries it names."""

    def __init__(self, session: Session) -> None:
        covers = {
            em_id: _Cover(_utc(declared), _utc(ended) if ended else None, em_id)
            for em_id, declared, ended in session.execute(
                select(_raw(Emergency.id), Emergency.declared_at, Emergency.ended_at)
            )
        }
        self.by_account: dict[Any, list[_Cover]] = {}
        self.by_ministry: dict[Any, list[_Cover]] = {}
        self.ministry_of: dict[Any, Any] = {}
        if not covers:
            return
        for em_id, account_id in session.execute(
            select(_raw(EmergencyAccount.emergency_id), _raw(EmergencyAccount.account_id))
        ):
            self.by_account.setdefault(account_id, []).append(covers[em_id])
        for em_id, ministry_id in session.execute(
            select(_raw(EmergencyMinistry.emergency_id), _raw(EmergencyMinistry.ministry_id))
        ):
            self.by_ministry.setdefault(ministry_id, []).append(covers[em_id])
        for found in (*self.by_account.values(), *self.by_ministry.values()):
            found.sort(key=lambda c: (c.declared_at, str(c.emergency_id)))
        # A few hundred accounts: one dict beats joining accounts into every page.
        self.ministry_of = dict(
            session.execute(select(_raw(Account.id), _raw(Account.ministry_id))).all()
        )

    def __bool__(self) -> bool:
        return bool(self.by_account or self.by_ministry)

    def covering(self, account_id: Any, at: datetime) -> Any:
        """The id of the earliest-declared emergency running at naive UTC ``at``, or None."""
        best: _Cover | None = None
        ministry_id = self.ministry_of.get(account_id)
        by_ministry = self.by_ministry.get(ministry_id) if ministry_id is not None else None
        for covers in (self.by_account.get(account_id), by_ministry):
            for cover in covers or ():
                if cover.declared_at <= at and (cover.ended_at is None or at < cover.ended_at):
                    key = (cover.declared_at, str(cover.emergency_id))
                    if best is None or key < (best.declared_at, str(best.emergency_id)):
                        best = cover
                    break  # sorted: the first running one is the earliest of this list
        return best.emergency_id if best else None
