"""Push the outbox to the hub and pull the hub's change feed (docs/trust-and-sync.md §6).

Push, as the person's own hub login, in one hub transaction per batch (a savepoint per row):
a change id already in ``hub_applied`` is not applied again (exactly once); an update applies
only where the hub's version is the base version, an insert with ``ON CONFLICT DO NOTHING``;
success is what ``RETURNING`` gives back. No row back → the hub's row is fetched and a conflict
is recorded for a person; a refusal by the hub (rights, invariants) → a rejection with its
reason, the row back to the hub's state and an audit event that undoes the author's own (§4).

Before a batch goes out each entry is *claimed*: the row as it is then is kept in the entry
with its change id, so a retry after a crash pushes the same thing under the same id, and an
edit made meanwhile gets an entry of its own.

Pull by ``hub_changes.seq`` in one REPEATABLE READ snapshot of the hub; rows with a local
change waiting (or an open conflict) are skipped, rows gone from the hub are deleted.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Table,
    and_,
    create_engine,
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from desktop.errors import StorageUnavailable
from desktop.storage.auditlog import digests
from desktop.sync import rows as R
from desktop.sync.tables import (
    hub_changes,
    sync_conflicts,
    sync_outbox,
    sync_rejections,
    sync_state,
)
from desktop.sync.triggers import APPLYING

log = logging.getLogger(__name__)

PUSH_BATCH = 500
PULL_BATCH = 5000
HUB_URL = "hub_url"
HUB_LOGIN = "hub_login"
PULL_SEQ = "pull_seq"
LAST_SYNC = "last_sync"
OFFLINE_SINCE = "offline_since"
BLOCKED = "push_blocked"
NOT_YOURS = "The shared database does not let you change this record (row-level security)."
# Pulled rows of these tables move due times (settings, closures, emergencies).
RECOMPUTE_AFTER = frozenset(
    {"settings", "closures", "emergencies", "emergency_ministries", "emergency_accounts"}
)


# -- local helpers -------------------------------------------------------------------------


def get_state(conn: Connection, key: str, default: str | None = None) -> str | None:
    found = conn.execute(select(sync_state.c.value).where(sync_state.c.key == key)).scalar()
    return default if found is None else str(found)


def set_state(conn: Connection, key: str, value: str | None) -> None:
    conn.execute(delete(sync_state).where(sync_state.c.key == key))
    if value is not None:
        conn.execute(insert(sync_state).values(key=key, value=value))


@contextmanager
def applying(conn: Connection) -> Iterator[None]:
    """Rows written inside are the hub's: the outbox triggers stay silent."""
    set_state(conn, APPLYING, "1")
    try:
        yield
    finally:
        set_state(conn, APPLYING, None)


def upsert_local(conn: Connection, table: Table, data: dict[str, Any]) -> None:
    values = R.decode(table, data)
    pk = [c.name for c in table.primary_key.columns]
    stmt = sqlite_insert(table).values(values)
    others = {k: stmt.excluded[k] for k in values if k not in pk}
    conn.execute(
        stmt.on_conflict_do_update(index_elements=pk, set_=others)
        if others
        else stmt.on_conflict_do_nothing()
    )


def delete_local(conn: Connection, table: Table, key: str) -> None:
    conn.execute(delete(table).where(R.where_key(table, key)))


_READ = object()  # fix_digest reads the live row itself


def fix_digest(conn: Connection, table: Table, key: str, live: Any = _READ) -> None:
    """A replica's own bookkeeping after a pull applied a row, or a conflict or refusal
    settled: the kept digest of the record is that of its live row (the log's sum agrees once
    the events that led there are all here, §4; pulled events leave kept digests alone).
    ``live`` is the row as just written (encoded, None when deleted), or it is read here."""
    from desktop.models import RecordDigest

    rid = digests.record_id(table, R.key_values(table, key))
    if live is _READ:
        live = R.fetch(conn, table, key)
    if live is None:
        conn.execute(
            delete(RecordDigest).where(
                and_(RecordDigest.table_name == table.name, RecordDigest.record_id == rid)
            )
        )
        return
    digest = digests.row_digest(table, R.decode(table, live))
    conn.execute(
        sqlite_insert(RecordDigest)
        .values(table_name=table.name, record_id=rid, digest=digest, event_id=None)
        .on_conflict_do_update(
            index_elements=[RecordDigest.table_name, RecordDigest.record_id],
            set_={"digest": digest, "event_id": None},
        )
    )


@dataclass
class PushReport:
    pushed: int = 0
    conflicts: int = 0
    rejected: int = 0
    already: int = 0
    blocked: str = ""


@dataclass
class PullReport:
    changes: int = 0
    applied: int = 0
    skipped: int = 0
    last_seq: int = 0
    recomputed: int = 0  # open comments whose due times a pulled setting moved


@dataclass
class Status:
    online: bool  # the last attempt reached the hub
    offline_since: datetime | None
    waiting: int
    conflicts: int
    rejections: int
    last_sync: datetime | None
    blocked: str = ""
    hub: str = ""
    events_waiting: int = 0  # audit events not yet on the hub (not shown as changes)
    login: str = ""

    def line(self) -> str:
        parts = ["online" if self.online else "offline"]
        if not self.online and self.offline_since is not None:
            parts[0] = f"offline since {self.offline_since.astimezone():%H:%M}"
        parts.append(f"{self.waiting} change{'s' if self.waiting != 1 else ''} waiting")
        parts.append(f"{self.conflicts} conflict{'s' if self.conflicts != 1 else ''}")
        if self.rejections:
            parts.append(f"{self.rejections} refused by the hub")
        if self.blocked:
            parts.append(f"push stopped: {self.blocked}")
        return " · ".join(parts)


@dataclass
class Undo:
    table: Table
    key: str
    mine: str
    base: str
    records: list[tuple[str, str, str, str]] = field(default_factory=list)


# -- the syncer ----------------------------------------------------------------------------


class Syncer:
    """One replica and its hub. ``local`` is the replica's engine (SQLite); ``hub`` an engine
    connected as the replica's owner."""

    def __init__(self, local: Engine, hub: Engine, clock: Any = None) -> None:
        self.local = local
        self.hub = hub
        self.clock = clock or (lambda: datetime.now(UTC))
        self.tables = R.tables_by_name()

    # .. push ..

    def push(self, batch: int = PUSH_BATCH) -> PushReport:
        report = PushReport()
        while True:
            entries = self._claim(batch)
            if not entries:
                return report
            results = self._send(entries, report)
            self._finish(entries, results, report)
            if report.blocked or len(results) < len(entries):
                return report

    def _claim(self, batch: int) -> list[dict[str, Any]]:
        with self.local.begin() as conn:
            open_rows = select(sync_conflicts.c.table_name, sync_conflicts.c.row_key).where(
                sync_conflicts.c.resolved_at.is_(None)
            )
            blocked = {(r[0], r[1]) for r in conn.execute(open_rows)}
            found = [
                dict(r)
                for r in conn.execute(
                    select(sync_outbox).order_by(sync_outbox.c.pos).limit(batch * 2)
                ).mappings()
            ]
            entries: list[dict[str, Any]] = []
            in_batch: set[tuple[str, str]] = set()
            for e in found:
                row = (e["table_name"], e["row_key"])
                if row in blocked:
                    continue  # a person settles the row's conflict first
                if row in in_batch or len(entries) >= batch:
                    # One entry per row and batch: a later one waits to see how the first
                    # fares (its base is the version the first one pushes), and so does every
                    # entry after it.
                    break
                in_batch.add(row)
                # A pending entry was never sent: the hub cannot know its change id yet.
                e["fresh"] = e["state"] == "pending"
                if e["fresh"]:
                    table = self.tables[e["table_name"]]
                    data = None if e["op"] == "delete" else R.fetch(conn, table, e["row_key"])
                    e["payload"] = R.dumps(data) if data is not None else None
                entries.append(e)
            entries = self._whole_changes(entries, found, blocked)
            for e in entries:
                if e["fresh"]:
                    e["state"] = "sending"
                    conn.execute(
                        update(sync_outbox)
                        .where(sync_outbox.c.id == e["id"])
                        .values(state="sending", payload=e["payload"])
                    )
            return entries

    def _whole_changes(
        self,
        entries: list[dict[str, Any]],
        found: list[dict[str, Any]],
        blocked: set[tuple[str, str]],
    ) -> list[dict[str, Any]]:
        """The batch cut before the first audit event whose row change waits in the outbox
        outside the batch, so that an event travels with the row it records and the hub knows
        how the row fared before the event arrives (``_send``). A row's entry carries the
        changes made since ``since_origin_seq``: an event after that is one of them. A change
        larger than a batch is split all the same."""
        ids = {e["id"] for e in entries}
        waiting: dict[tuple[str, str], int] = {}
        for e in found:
            row = (e["table_name"], e["row_key"])
            if e["id"] in ids or e["table_name"] == "audit_events" or row in blocked:
                continue
            table = self.tables[e["table_name"]]
            if digests.is_record_table(table):
                rid = (table.name, digests.record_id(table, R.key_values(table, row[1])))
                waiting[rid] = min(waiting.get(rid, e["since_origin_seq"]), e["since_origin_seq"])
        if not waiting:
            return entries
        for i, e in enumerate(entries):
            if e["table_name"] != "audit_events" or not e["payload"] or i == 0:
                continue
            event = json.loads(e["payload"])
            records = event.get("records") or ""
            for named in json.loads(records) if records.startswith("[") else []:
                since = waiting.get((named[0], named[1]))
                if since is not None and since < int(event.get("origin_seq") or 0):
                    return entries[:i]
        return entries

    def _send(
        self, entries: list[dict[str, Any]], report: PushReport
    ) -> dict[int, tuple[str, str]]:
        while entries:
            part = PushReport()
            try:
                results = self._send_batch(entries, part)
            except _EventRefused as refused:
                # The origin chain cannot go on without this event: nothing of the batch is
                # kept (rows go before events in it), and what came before the event in the
                # outbox goes again without it; the push stops there with the hub's reason.
                report.blocked = refused.reason
                entries = [e for e in entries if e["pos"] < refused.pos]
                continue
            report.already += part.already
            return results
        return {}

    def _send_batch(
        self, entries: list[dict[str, Any]], report: PushReport
    ) -> dict[int, tuple[str, str]]:
        results: dict[int, tuple[str, str]] = {}
        # Records whose change the hub did not take in this batch (conflict or refusal): the
        # events of that change, later in the batch, must not move the hub's kept digests of
        # them. Their first event starts from the digest the hub still keeps when it refused
        # the row, and would otherwise carry it to a state the row never reached there.
        lost: list[list[str]] = []
        # Rows first, then events (each in the outbox's order): an event's records are
        # vouched for once the hub has taken, or not, the rows they record.
        rows_first = sorted(entries, key=lambda e: e["table_name"] == "audit_events")
        # What the hub did with each change, recorded in one statement at the end of the batch
        # (the same transaction as the changes; a round trip per entry less on a WAN).
        applied: list[tuple[str, str, str]] = []
        opened = False  # the entry savepoint exists (released when the next entry opens it)
        with self.hub.connect() as h, h.begin():
            for e in rows_first:
                cid = e["change_id"]
                prev = (
                    None
                    if e.get("fresh")
                    else h.execute(
                        text("SELECT result, detail FROM smgov_sync_result(:c)"), {"c": cid}
                    ).first()
                )
                table = self.tables[e["table_name"]]
                if prev is not None:
                    result, detail = str(prev[0]), str(prev[1])
                    # Applied before the connection dropped: the hub's row as it is now, not
                    # as it was then (the pull that follows brings what changed since).
                    if result == "conflict":
                        detail = R.dumps(R.fetch(h, table, e["row_key"]))
                    elif result == "rejected":
                        found = json.loads(detail)
                        found["theirs"] = R.fetch(h, table, e["row_key"])
                        detail = R.dumps(found)
                    results[e["id"]] = (result, detail)
                    report.already += 1
                    self._note_lost(lost, table, e, result)
                    continue
                _entry_savepoint(h, cid, lost, release=opened)
                opened = True
                try:
                    result, detail = self._apply(h, table, e)
                except DBAPIError as exc:
                    if _connection_lost(exc):
                        raise
                    if table.name == "audit_events":
                        raise _EventRefused(e["pos"], _reason(exc)) from exc
                    _raw(h, "ROLLBACK TO SAVEPOINT smgov_entry")
                    reason = _reason(exc)
                    result = "rejected"
                    detail = R.dumps({"reason": reason, "theirs": R.fetch(h, table, e["row_key"])})
                if result == "conflict" and R.is_versioned(table) and e["op"] != "insert":
                    theirs = json.loads(detail) if detail else None
                    if theirs is not None and theirs.get("version") == e["base_version"]:
                        # The hub's row is still at the base: no row came back because the
                        # hub's row-level security does not let this login change it.
                        result = "rejected"
                        detail = R.dumps({"reason": NOT_YOURS, "theirs": theirs})
                applied.append((cid, result, detail))
                results[e["id"]] = (result, detail)
                self._note_lost(lost, table, e, result)
            if applied:
                cids, res, det = (list(column) for column in zip(*applied, strict=True))
                h.execute(
                    text(
                        "SELECT smgov_sync_applied(c, r, d) FROM unnest("
                        "CAST(:c AS text[]), CAST(:r AS text[]), CAST(:d AS text[])) AS u(c, r, d)"
                    ),
                    {"c": cids, "r": res, "d": det},
                )

        return results

    @staticmethod
    def _note_lost(lost: list[list[str]], table: Table, e: dict[str, Any], result: str) -> None:
        if result in ("conflict", "rejected") and digests.is_record_table(table):
            lost.append([table.name, digests.record_id(table, R.key_values(table, e["row_key"]))])

    def _apply(self, h: Connection, table: Table, e: dict[str, Any]) -> tuple[str, str]:
        key, op, base = e["row_key"], e["op"], e["base_version"]
        data = json.loads(e["payload"]) if e["payload"] else None
        versioned = R.is_versioned(table)
        where = R.where_key(table, key)
        if op != "delete" and data is None:
            return "ok", ""  # the row is gone locally; its delete follows
        if op == "insert":
            values = R.decode(table, data or {})
            stmt = pg_insert(table).values(values).on_conflict_do_nothing()
            pk = list(table.primary_key.columns)
            if h.execute(stmt.returning(*pk)).first() is not None:
                return "ok", ""
            if table.name in R.APPEND_ONLY or not versioned:
                return "ok", "already on the hub"
            return "conflict", R.dumps(R.fetch(h, table, key))
        if op == "update":
            values = R.decode(table, data or {})
            names = {c.name for c in table.primary_key.columns}
            values = {k: v for k, v in values.items() if k not in names}
            cond = and_(where, table.c.version == base) if versioned else where
            pkcols = list(table.primary_key.columns)
            changed = update(table).where(cond).values(values).returning(*pkcols)
            if h.execute(changed).first() is not None:
                return "ok", ""
            return "conflict", R.dumps(R.fetch(h, table, key))
        cond = and_(where, table.c.version == base) if versioned else where
        pkcols = list(table.primary_key.columns)
        if h.execute(delete(table).where(cond).returning(*pkcols)).first() is not None:
            return "ok", ""
        theirs = R.fetch(h, table, key)
        if theirs is None:
            return "ok", "already deleted on the hub"
        return "conflict", R.dumps(theirs)

    def _finish(
        self,
        entries: list[dict[str, Any]],
        results: dict[int, tuple[str, str]],
        report: PushReport,
    ) -> None:
        now = self.clock()
        with self.local.begin() as conn:
            for e in entries:
                if e["id"] not in results:
                    continue
                result, detail = results[e["id"]]
                table = self.tables[e["table_name"]]
                conn.execute(delete(sync_outbox).where(sync_outbox.c.id == e["id"]))
                if result == "ok":
                    report.pushed += 1
                elif result == "conflict":
                    report.conflicts += 1
                    known = conn.execute(
                        select(sync_conflicts.c.id).where(
                            sync_conflicts.c.table_name == table.name,
                            sync_conflicts.c.row_key == e["row_key"],
                            sync_conflicts.c.resolved_at.is_(None),
                        )
                    ).scalar()
                    if known is not None:
                        # One open conflict per row, from the first change the hub missed.
                        conn.execute(
                            update(sync_conflicts)
                            .where(sync_conflicts.c.id == known)
                            .values(mine=e["payload"] or "null", theirs=detail or "null")
                        )
                        continue
                    conn.execute(
                        insert(sync_conflicts).values(
                            table_name=table.name,
                            row_key=e["row_key"],
                            change_id=e["change_id"],
                            base_version=e["base_version"],
                            since_origin_seq=e["since_origin_seq"],
                            mine=e["payload"] or "null",
                            theirs=detail or "null",
                            detected_at=now,
                            resolution="",
                        )
                    )
                else:
                    report.rejected += 1
                    found = json.loads(detail)
                    conn.execute(
                        insert(sync_rejections).values(
                            table_name=table.name,
                            row_key=e["row_key"],
                            change_id=e["change_id"],
                            op=e["op"],
                            reason=found.get("reason", ""),
                            mine=e["payload"] or "null",
                            rejected_at=now,
                        )
                    )
                    # Later edits of the row were built on the refused one: they go too.
                    conn.execute(
                        delete(sync_outbox).where(
                            sync_outbox.c.table_name == table.name,
                            sync_outbox.c.row_key == e["row_key"],
                            sync_outbox.c.state == "pending",
                        )
                    )
                    from desktop.sync.resolve import settle

                    settle(
                        conn,
                        table,
                        e["row_key"],
                        e["since_origin_seq"],
                        found.get("theirs"),
                        "refused",
                        now,
                    )
            set_state(conn, BLOCKED, report.blocked or None)

    # .. pull ..

    def pull(self, limit: int | None = PULL_BATCH) -> PullReport:
        report = PullReport()
        while True:
            part = self._pull_once(limit)
            report.changes += part.changes
            report.applied += part.applied
            report.skipped += part.skipped
            report.recomputed += part.recomputed
            report.last_seq = part.last_seq or report.last_seq
            if part.changes == 0 or (limit is not None and part.changes < limit):
                return report

    def _pull_once(self, limit: int | None) -> PullReport:
        report = PullReport()
        with self.local.connect() as c:
            cursor = int(get_state(c, PULL_SEQ, "0") or 0)
        with self.hub.connect() as h:
            h = h.execution_options(isolation_level="REPEATABLE READ")
            with h.begin():
                stmt = (
                    select(hub_changes.c.seq, hub_changes.c.table_name, hub_changes.c.row_key)
                    .where(hub_changes.c.seq > cursor)
                    .order_by(hub_changes.c.seq)
                )
                if limit is not None:
                    stmt = stmt.limit(limit)
                changes = h.execute(stmt).all()
                if not changes:
                    return report
                report.changes = len(changes)
                report.last_seq = int(changes[-1][0])
                order: dict[tuple[str, str], None] = {}
                for _seq, name, key in changes:
                    if name in self.tables:
                        order.setdefault((name, key), None)
                fetched = self._fetch_rows(h, list(order))
        try:
            self._apply_pulled(list(order), fetched, report)
        except IntegrityError:
            if limit is None:
                raise
            # A row refers to one that a later change brings: take everything at once.
            return self._pull_once(None)
        return report

    def _fetch_rows(
        self, h: Connection, keys: list[tuple[str, str]]
    ) -> dict[tuple[str, str], dict[str, Any]]:
        by_table: dict[str, list[str]] = {}
        for name, key in keys:
            by_table.setdefault(name, []).append(key)
        out: dict[tuple[str, str], dict[str, Any]] = {}
        for name, ks in by_table.items():
            table = self.tables[name]
            for start in range(0, len(ks), 500):
                chunk = ks[start : start + 500]
                for row in h.execute(select(table).where(R.where_keys(table, chunk))).mappings():
                    out[(name, R.key_text(table, row))] = R.encode(table, row)
        return out

    def _apply_pulled(
        self,
        keys: list[tuple[str, str]],
        fetched: dict[tuple[str, str], dict[str, Any]],
        report: PullReport,
    ) -> None:
        with self.local.begin() as conn:
            conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            waiting = {
                (r[0], r[1])
                for r in conn.execute(select(sync_outbox.c.table_name, sync_outbox.c.row_key))
            }
            conflicted = {
                (r[0], r[1]): r[2]
                for r in conn.execute(
                    select(
                        sync_conflicts.c.table_name, sync_conflicts.c.row_key, sync_conflicts.c.id
                    ).where(sync_conflicts.c.resolved_at.is_(None))
                )
            }
            touched: set[str] = set()
            with applying(conn):
                for name, key in keys:
                    table = self.tables[name]
                    row = fetched.get((name, key))
                    if name not in R.APPEND_ONLY and (name, key) in conflicted:
                        conn.execute(
                            update(sync_conflicts)
                            .where(sync_conflicts.c.id == conflicted[(name, key)])
                            .values(theirs=R.dumps(row) if row is not None else "null")
                        )
                        report.skipped += 1
                        continue
                    if name not in R.APPEND_ONLY and (name, key) in waiting:
                        report.skipped += 1
                        continue
                    if row is None:
                        delete_local(conn, table, key)
                    else:
                        upsert_local(conn, table, row)
                    if digests.is_record_table(table):
                        fix_digest(conn, table, key, row)
                    report.applied += 1
                    touched.add(name)
                set_state(conn, PULL_SEQ, str(report.last_seq))
            if touched & RECOMPUTE_AFTER:
                # Comments logged here offline got due times from the settings of then; the
                # changes go out like any other (the hub's own comments move there).
                from sqlalchemy.orm import Session

                from desktop.services.recompute import recompute_due_times

                with Session(bind=conn) as session:
                    report.recomputed = recompute_due_times(session, open_only=True)
                    session.flush()

    # .. both ..

    def sync_once(self) -> tuple[PushReport, PullReport]:
        try:
            pushed = self.push()
            pulled = self.pull()
        except (OperationalError, DBAPIError) as exc:
            if isinstance(exc, DBAPIError) and not _connection_lost(exc):
                raise
            self._mark_offline()
            raise StorageUnavailable(f"The hub cannot be reached: {_reason(exc)}") from exc
        with self.local.begin() as conn:
            set_state(conn, LAST_SYNC, self.clock().isoformat())
            set_state(conn, OFFLINE_SINCE, None)
        return pushed, pulled

    def _mark_offline(self) -> None:
        with self.local.begin() as conn:
            if get_state(conn, OFFLINE_SINCE) is None:
                set_state(conn, OFFLINE_SINCE, self.clock().isoformat())


def status(local: Engine, online: bool | None = None) -> Status:
    with local.connect() as conn:
        waiting = conn.execute(
            select(func.count())
            .select_from(sync_outbox)
            .where(sync_outbox.c.table_name != "audit_events")
        ).scalar_one()
        events = conn.execute(
            select(func.count())
            .select_from(sync_outbox)
            .where(sync_outbox.c.table_name == "audit_events")
        ).scalar_one()
        conflicts = conn.execute(
            select(func.count())
            .select_from(sync_conflicts)
            .where(sync_conflicts.c.resolved_at.is_(None))
        ).scalar_one()
        rejections = conn.execute(
            select(func.count())
            .select_from(sync_rejections)
            .where(sync_rejections.c.seen_at.is_(None))
        ).scalar_one()
        offline = get_state(conn, OFFLINE_SINCE)
        last = get_state(conn, LAST_SYNC)
        return Status(
            online=offline is None if online is None else online,
            offline_since=datetime.fromisoformat(offline) if offline else None,
            waiting=int(waiting),
            events_waiting=int(events),
            conflicts=int(conflicts),
            rejections=int(rejections),
            last_sync=datetime.fromisoformat(last) if last else None,
            blocked=get_state(conn, BLOCKED) or "",
            hub=get_state(conn, HUB_URL) or "",
            login=get_state(conn, HUB_LOGIN) or "",
        )


class _EventRefused(Exception):
    """The hub refused an audit event of this replica's (at ``pos`` in the outbox)."""

    def __init__(self, pos: int, reason: str) -> None:
        super().__init__(reason)
        self.pos = pos
        self.reason = reason


def _raw(h: Connection, statement: Any) -> None:
    """Statements sent as one simple query (several of them in one round trip) on the hub
    connection's own transaction; a driver error comes out as SQLAlchemy's, as from
    ``execute``."""
    import psycopg

    raw = h.connection.driver_connection
    try:
        raw.execute(statement)  # type: ignore[union-attr]
    except psycopg.Error as exc:
        raise DBAPIError.instance(
            str(statement),
            None,
            exc,
            psycopg.Error,
            connection_invalidated=bool(getattr(raw, "closed", False)),
        ) from exc


def _entry_savepoint(h: Connection, change_id: str, lost: list[list[str]], release: bool) -> None:
    """One round trip before each pushed entry: the previous entry's savepoint released, this
    one's made, and the change id and the records to skip set for the hub's triggers.

    Before the batch's first entry, the audit chain's lock, which the hub's triggers take at
    the first write anyway: taken first, a push never holds a row's lock while it waits for
    the chain's, so two pushes changing the same rows in opposite orders cannot deadlock."""
    from psycopg import sql

    from desktop.storage.auditlog.chain import CHAIN_LOCK

    _raw(
        h,
        sql.SQL(
            "{release}SAVEPOINT smgov_entry; SELECT set_config('smgov.change_id', {c}, true), "
            "set_config('smgov.skip_records', {s}, true)"
        ).format(
            release=sql.SQL(
                "RELEASE SAVEPOINT smgov_entry; "
                if release
                else f"SELECT pg_advisory_xact_lock({int(CHAIN_LOCK)}); "
            ),
            c=sql.Literal(change_id),
            s=sql.Literal(json.dumps(lost) if lost else ""),
        ),
    )


def _connection_lost(exc: DBAPIError) -> bool:
    if exc.connection_invalidated or isinstance(exc, OperationalError):
        return True
    import psycopg

    orig = getattr(exc, "orig", None)
    return isinstance(orig, psycopg.OperationalError | psycopg.InterfaceError)


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", exc)
    diag = getattr(orig, "diag", None)
    primary = getattr(diag, "message_primary", None)
    text_ = primary or str(orig).strip()
    return text_.splitlines()[0] if text_ else type(exc).__name__


def hub_engine(url: str | URL, password: str | None = None, timeout: int = 5) -> Engine:
    u = make_url(url) if isinstance(url, str) else url
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    if password is not None and u.password is None:
        u = u.set(password=password)
    from desktop.storage.timeouts import pg_connect_args

    # The app's bounds on a hub that stalls (statement and lock timeouts, keepalives): a frozen
    # hub ends a round with an error the worker backs off from, never a wait without end.
    args = {**pg_connect_args(), "connect_timeout": timeout, "application_name": "smgov-sync"}
    return create_engine(u, pool_pre_ping=True, connect_args=args)


def new_change_id() -> str:
    return uuid.uuid4().hex
