"""The demo generator's workbench: seeded randomness, row building, bulk inserts, the audit trail.

Every generator module receives one ``Seeder``: it owns the write session, the as-of instant,
one random stream per topic (so adding rows to one topic never shifts another), and the list of
audit events that is appended to the hash chain, oldest first, at the very end.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from desktop.enums import AccountStatus, AppRole, Platform
from desktop.models.audit import DatabaseMeta
from desktop.models.base import Base
from desktop.models.setting import Setting
from desktop.services import audit
from desktop.services.serialize import to_jsonable
from desktop.storage.auditlog.baseline import record_layouts, vouch_tables
from desktop.storage.auditlog.chain import ORIGIN_KEY, forget_origin
from desktop.storage.auditlog.digests import record_tables

Row = dict[str, Any]
Progress = Callable[[str], None]

BATCH = 20_000
# Marks a database made by the demo generator: only there may a person choose whom to act as.
DEMO_DATA_KEY = "demo_data"


def new_id(rng: random.Random) -> uuid.UUID:
    """A version-4 UUID drawn from ``rng``: the same seed gives the same ids."""
    return uuid.UUID(int=rng.getrandbits(128), version=4)


_V4_KEEP = ~(0xF000 << 64) & ~(0xC000 << 48)
_V4_SET = (0x4000 << 64) | (0x8000 << 48)


class IdStream:
    """``n`` ids drawn exactly as ``new_id`` draws them, handed out in ascending order.

    With random keys every insert lands on a random page of the primary-key index; loading a
    million comments with sorted keys is several times faster on SQLite. Past ``n`` the stream
    goes on with unsorted draws.
    """

    def __init__(self, rng: random.Random, n: int) -> None:
        # The same bits uuid.UUID(int=..., version=4) sets, applied before sorting.
        self._ints = sorted((rng.getrandbits(128) & _V4_KEEP) | _V4_SET for _ in range(n))
        self._next = 0
        self._rng = rng

    def __call__(self) -> uuid.UUID:
        return uuid.UUID(int=self.next_int())

    def next_int(self) -> int:
        """The next id as its 128-bit number (cheaper to encode than a UUID object)."""
        if self._next < len(self._ints):
            value = self._ints[self._next]
            self._next += 1
            return value
        return new_id(self._rng).int


def seed_for(as_of: datetime, size: str) -> int:
    text = f"smgov-demo|{size}|{as_of.astimezone(UTC).isoformat()}"
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


@dataclass(frozen=True)
class Size:
    """How much of everything one demo size makes."""

    officers_per_ministry: int
    accounts: int  # 0: the catalogue's accounts only
    comments: int
    days: int  # the comments' window before the as-of
    commenters: int
    texts_per_ministry: int
    response_share: float  # answered comments that get a Response row
    troll_factor: int  # multiplies the ordinary moderation cases


SIZES = {
    "small": Size(3, 0, 2_000, 90, 700, 150, 1.0, 1),
    # ~30 % of answered comments keep their Response row: enough for reports, and fast.
    "large": Size(8, 500, 1_000_000, 365, 80_000, 1_500, 0.3, 60),
}


@dataclass(frozen=True)
class PersonRef:
    id: uuid.UUID
    login: str
    name: str
    ministry: str | None  # ministry code
    roles: frozenset[AppRole]


@dataclass(frozen=True)
class AccountRef:
    id: uuid.UUID
    platform: Platform
    handle: str
    ministry: str
    status: AccountStatus
    story: str
    central: bool
    activated_at: datetime | None
    status_changed_at: datetime
    created_at: datetime
    owner: PersonRef | None

    @property
    def label(self) -> str:
        return f"{self.platform.label} @{self.handle}"

    @property
    def live(self) -> bool:
        """Active or suspended: it has roles, goals, metrics and evaluations."""
        return self.status in (AccountStatus.ACTIVE, AccountStatus.SUSPENDED)


@dataclass
class World:
    """What the generators have made so far, for the ones that come after."""

    tz: ZoneInfo
    start: datetime  # when the register begins: ministries and people exist from here
    ministries: dict[str, uuid.UUID] = field(default_factory=dict)
    people: list[PersonRef] = field(default_factory=list)
    accounts: list[AccountRef] = field(default_factory=list)

    def with_role(self, role: AppRole, ministry: str | None = None) -> list[PersonRef]:
        return [
            p
            for p in self.people
            if role in p.roles and (ministry is None or p.ministry == ministry)
        ]

    def one(self, role: AppRole, ministry: str | None = None) -> PersonRef:
        return self.with_role(role, ministry)[0]

    def person(self, name: str) -> PersonRef:
        return next(p for p in self.people if p.name == name)

    def account(self, platform: Platform, handle: str) -> AccountRef:
        return next(a for a in self.accounts if a.platform == platform and a.handle == handle)


@dataclass(frozen=True)
class _Event:
    at: datetime
    order: int
    actor: PersonRef | None
    action: str
    entity_type: str
    entity_id: str
    after: dict[str, Any] | None


class Codec:
    """Values as the database stores them, for the tables too large for typed binds.

    Binding a million rows through the typed columns costs more than a minute on SQLite (the
    aware-datetime type runs per value). On SQLite the big tables are bound pre-encoded, in the
    exact text SQLAlchemy's SQLite DATETIME writes ("2026-11-18 15:00:00.000000", UTC, as
    UTCDateTime stores it) and UUIDs as 32 hex digits; on PostgreSQL values stay as they are.
    """

    def __init__(self, sqlite: bool) -> None:
        self.sqlite = sqlite

    def at(self, value: datetime | None) -> Any:
        if value is None or not self.sqlite:
            return value
        text = value.astimezone(UTC).isoformat(" ")[:-6]  # without "+00:00"
        return text if len(text) == 26 else text + ".000000"

    def ref(self, value: uuid.UUID | None) -> Any:
        if value is None or not self.sqlite:
            return value
        return value.hex

    def ref_int(self, value: int) -> Any:
        """An id given as its 128-bit number, as bound."""
        return f"{value:032x}" if self.sqlite else uuid.UUID(int=value)


# Tables too large for one audit event per row: one "demo.seed" summary each.
BULK_TABLES = frozenset(
    {
        "key_contacts",
        "closures",
        "goals",
        "metric_snapshots",
        "evaluations",
        "commenters",
        "comments",
        "responses",
        "strikes",
        "bans",
        "group_updates",
    }
)


@dataclass
class Seeder:
    """The write session and everything the generator modules share (see the module doc)."""

    session: Session
    as_of: datetime
    size: str
    progress: Progress
    counts: dict[str, int] = field(default_factory=dict)
    _events: list[_Event] = field(default_factory=list)
    _sql: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.plan = SIZES[self.size]
        self.seed = seed_for(self.as_of, self.size)
        self.sqlite = self.session.get_bind().dialect.name == "sqlite"
        self.codec = Codec(self.sqlite)

    def rng(self, topic: str) -> random.Random:
        """An independent random stream for one topic of the demo."""
        return random.Random(f"{self.seed}:{topic}")

    # -- rows ------------------------------------------------------------------------------

    def row(self, model: type[Base], at: datetime, **values: Any) -> Row:
        """Every column of ``model``: the given values, else the column's scalar default.

        Creation and update instants are set explicitly: the models' defaults read the wall
        clock, and the demo must come out the same every time for the same as-of.
        """
        out: Row = {}
        for column in model.__table__.columns:
            name = column.name
            if name in values:
                out[name] = values.pop(name)
            elif name in ("created_at", "updated_at"):
                out[name] = at
            elif name == "version":
                out[name] = 1
            elif column.default is not None and column.default.is_scalar:
                out[name] = column.default.arg
            else:
                out[name] = None
        if values:
            raise TypeError(f"{model.__name__} has no column(s) {', '.join(values)}")
        return out

    def insert(self, model: type[Base], rows: Sequence[Row]) -> None:
        """Typed Core inserts in batches; counts the rows under the table's name."""
        table = _table(model)
        for start in range(0, len(rows), BATCH):
            self.session.execute(insert(table), list(rows[start : start + BATCH]))
        self.count(table.name, len(rows))

    def insert_encoded(
        self, model: type[Base], columns: tuple[str, ...], rows: Sequence[tuple[Any, ...]]
    ) -> None:
        """Rows as tuples in ``columns`` order, instants and ids encoded by ``codec``.

        On SQLite they go straight to the driver's executemany: even untyped, SQLAlchemy's
        per-row parameter handling costs as much as SQLite's own work for a million rows.
        """
        table = _table(model)
        if set(columns) != set(table.columns.keys()):
            missing = sorted(set(table.columns.keys()) ^ set(columns))
            raise AssertionError(f"{table.name}: encoded rows miss or add {missing}")
        if not self.sqlite:
            self.insert(model, [dict(zip(columns, r, strict=True)) for r in rows])
            return
        sql = self._sql.get(table.name)
        if sql is None:
            marks = ", ".join("?" for _ in columns)
            sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"
            self._sql[table.name] = sql
        cursor = self.session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            for start in range(0, len(rows), BATCH):
                cursor.executemany(sql, rows[start : start + BATCH])
        finally:
            cursor.close()
        self.count(table.name, len(rows))

    def count(self, table: str, n: int) -> None:
        self.counts[table] = self.counts.get(table, 0) + n

    # -- audit -----------------------------------------------------------------------------

    def audit(
        self,
        at: datetime,
        action: str,
        entity_type: str,
        entity_id: uuid.UUID | str,
        after: Row | None = None,
        actor: PersonRef | None = None,
    ) -> None:
        """Queue an event; they are appended in time order by ``write_audit``."""
        payload = None
        if after is not None:
            payload = {
                k: to_jsonable(v) for k, v in after.items() if k not in ("created_at", "updated_at")
            }
        self._events.append(
            _Event(at, len(self._events), actor, action, entity_type, str(entity_id), payload)
        )

    def audit_rows(self, rows: Iterable[Row], action: str, entity_type: str) -> None:
        """One event per row, at the row's creation, by the system."""
        for r in rows:
            self.audit(r["created_at"], action, entity_type, r["id"], r)

    def write_audit(self) -> int:
        """Append the queued events (oldest first), then one "demo.seed" per table that
        vouches for the digests of all its records (the log's sum equals the records')."""
        rng = self.rng("audit")
        # The same demo comes out the same on any database: its own origin id too.
        origin = self.session.get(DatabaseMeta, ORIGIN_KEY)
        if origin is not None:
            origin.value = str(new_id(rng))
            self.session.flush()
            forget_origin(self.session)
        self.session.add(
            Setting(
                key=DEMO_DATA_KEY,
                value="true",
                updated_at=self.as_of,
                created_at=self.as_of,
                version=1,
            )
        )
        self.session.flush()
        events = sorted(self._events, key=lambda e: (e.at, e.order))
        for e in events:
            audit.append(
                self.session,
                at=e.at,
                actor_id=e.actor.id if e.actor else None,
                actor_login=e.actor.login if e.actor else audit.SYSTEM_LOGIN,
                action=e.action,
                entity_type=e.entity_type,
                entity_id=e.entity_id,
                after=e.after,
                # A reproducible demo needs seeded ids, not random ones.
                event_id=new_id(rng),
            )
        entries = vouch_tables(self.session, record_tables())
        record_layouts(self.session, record_tables())
        for entry in entries:
            table = entry[0]
            after: dict[str, Any] = {"rows": self.counts.get(table, 0), "size": self.size}
            if table not in BULK_TABLES:
                after = {"size": self.size}
            audit.append(
                self.session,
                at=self.as_of,
                actor_id=None,
                actor_login=audit.SYSTEM_LOGIN,
                action="demo.seed",
                entity_type=table,
                entity_id=table,
                after=after,
                records=[entry],
                event_id=new_id(rng),
            )
        self.session.flush()
        n = len(events) + len(entries)
        self.count("audit_events", n)
        return n


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)
