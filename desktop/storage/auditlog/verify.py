"""``audit verify``: the branch chain, every origin chain, the record digests and the
checkpoints, each problem named.

One streaming pass over the events (branch order, then pending events per origin), one over the
record digests the database keeps, one over the live records of each table (merged with the
digests in record id order). Memory stays flat however long the log is.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import String, func, select, type_coerce
from sqlalchemy.orm import Session

from desktop.models import AuditEvent, DatabaseMeta, RecordDigest
from desktop.storage.auditlog import digests
from desktop.storage.auditlog.hashing import (
    GENESIS,
    SET_MODULUS,
    branch_hash,
    decode_records,
    entries_delta,
    origin_hash,
    term,
)

BATCH = 5000
MAX_PROBLEMS = 50
MAX_RECORDS = 1000
LEGACY_KEY = "legacy_chain"  # what the conversion to two chains found (migration 0003)

_EVENT_COLUMNS = (
    AuditEvent.id,
    AuditEvent.origin,
    AuditEvent.origin_seq,
    AuditEvent.origin_prev_hash,
    AuditEvent.origin_hash,
    AuditEvent.seq,
    AuditEvent.prev_hash,
    AuditEvent.hash,
    AuditEvent.occurred_at,
    AuditEvent.actor_id,
    AuditEvent.actor_login,
    AuditEvent.action,
    AuditEvent.entity_type,
    AuditEvent.entity_id,
    AuditEvent.before,
    AuditEvent.after,
    AuditEvent.records,
)


@dataclass(frozen=True)
class RecordChange:
    """A record whose stored state is not what the audit log last vouched for."""

    table: str
    record_id: str
    kind: str  # "changed", "added" or "deleted" (outside the app)
    label: str = ""

    @property
    def sentence(self) -> str:
        what = f"{self.table} {self.record_id}" + (f" ({self.label})" if self.label else "")
        return {
            "changed": f"{what} was changed outside the app.",
            "added": f"{what} was added outside the app.",
            "deleted": f"{what} was deleted outside the app.",
        }[self.kind]


@dataclass(frozen=True)
class Anchor:
    """A checkpoint to hold the chain against: from the database or given by a person."""

    seq: int
    head_hash: str
    source: str  # e.g. "checkpoint signed by pat on 2026-11-18" or "--checkpoint"


@dataclass
class ChainReport:
    ok: bool
    events: int
    broken_seq: int | None = None
    broken_id: str | None = None
    reason: str = ""
    problems: list[str] = field(default_factory=list)
    records: list[RecordChange] = field(default_factory=list)
    records_checked: int = 0
    pending: int = 0
    anchors: list[str] = field(default_factory=list)  # anchors that held
    # (table, record id) of a record named in ``records`` -> (entity type, id) a tab opens
    opens: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    _header: int = -1  # the problem already said in the first line

    @property
    def message(self) -> str:
        if self.ok:
            text = f"Audit log intact: {self.events} events, hash chain verified"
            if self.pending:
                text += f" ({self.pending} waiting for the hub)"
            text += f"; {self.records_checked} records match their audited state"
            if self.anchors:
                text += "; " + "; ".join(self.anchors)
            return text + "."
        lines = []
        if self.broken_seq is not None:
            lines.append(
                f"Audit log broken at event #{self.broken_seq} (id {self.broken_id}): {self.reason}"
            )
        lines += [p for i, p in enumerate(self.problems) if i != self._header]
        if self.records:
            lines.append(
                f"{len(self.records)} record(s) differ from what the audit log last recorded:"
            )
            lines += [f"  {r.sentence}" for r in self.records[:MAX_RECORDS]]
        return "\n".join(lines)


class _Walk:
    """State of the pass over the events."""

    def __init__(self, anchors: list[Anchor]) -> None:
        self.report = ChainReport(ok=True, events=0)
        self.expected_seq = 1
        self.prev = GENESIS
        self.origins: dict[str, tuple[int, str]] = {}
        self.total = 0  # the set digest the events add up to
        self.anchors = {a.seq: a for a in sorted(anchors, key=lambda a: a.seq)}
        self.all_anchors = anchors
        self.seen_anchor: set[int] = set()

    def problem(self, row: Any, reason: str) -> None:
        report = self.report
        report.ok = False
        if report.broken_seq is None and row is not None:
            report.broken_seq = row.seq if row.seq is not None else row.origin_seq
            report.broken_id = str(row.id)
            report.reason = reason
            report._header = len(report.problems)
        if len(report.problems) < MAX_PROBLEMS:
            where = ""
            if row is not None:
                where = (
                    f"Event #{row.seq}: "
                    if row.seq is not None
                    else f"Pending event {row.origin_seq} of {row.origin}: "
                )
            report.problems.append(where + reason)

    def event(self, row: Any) -> None:
        self.report.events += 1
        stored = origin_hash(
            id=row.id,
            origin=row.origin,
            origin_seq=row.origin_seq,
            occurred_at=row.occurred_at,
            actor_id=row.actor_id,
            actor_login=row.actor_login,
            action=row.action,
            entity_type=row.entity_type,
            entity_id=row.entity_id,
            before=row.before or "",
            after=row.after or "",
            records=row.records or "",
            origin_prev_hash=row.origin_prev_hash,
        )
        if stored != row.origin_hash:
            self.problem(
                row, "its stored fields do not match its hash (it was changed outside the app)."
            )
        last_seq, last_hash = self.origins.get(row.origin, (0, GENESIS))
        if row.origin_seq != last_seq + 1:
            self.problem(
                row,
                f"it is event {row.origin_seq} of its origin {row.origin} but "
                f"{last_seq + 1} was expected: events of that origin are missing or reordered.",
            )
        elif row.origin_prev_hash != last_hash:
            self.problem(
                row,
                "it does not point to the previous event of its origin (an event was removed, "
                "inserted or changed before it).",
            )
        self.origins[row.origin] = (row.origin_seq, row.origin_hash)
        try:
            self.total += entries_delta(decode_records(row.records or ""))
        except ValueError:
            self.problem(row, "its list of records is unreadable (changed outside the app).")

    def branch(self, row: Any) -> None:
        if row.seq != self.expected_seq:
            self.problem(
                row,
                f"expected event #{self.expected_seq} here; events are missing or renumbered.",
            )
        elif row.prev_hash != self.prev:
            self.problem(
                row,
                "it does not point to the previous event's hash (an event was removed, "
                "inserted or changed before it).",
            )
        elif branch_hash(row.seq, row.prev_hash, row.origin_hash) != row.hash:
            self.problem(row, "its branch hash does not match (it was changed outside the app).")
        anchor = self.anchors.get(row.seq)
        if anchor is not None:
            self.seen_anchor.add(row.seq)
            # A person may give the first digits of the hash (as a report's footer prints).
            if not anchor.head_hash or not str(row.hash).startswith(anchor.head_hash):
                self.problem(
                    row,
                    f"the {anchor.source} vouches for a different hash at #{row.seq} "
                    f"({anchor.head_hash[:12]}…, the log has {str(row.hash)[:12]}…): the log "
                    "was rewritten.",
                )
            else:
                self.report.anchors.append(f"{anchor.source} holds")
        self.expected_seq = row.seq + 1
        self.prev = row.hash
        self.event(row)

    def finish_anchors(self) -> None:
        for anchor in self.all_anchors:
            if anchor.seq not in self.seen_anchor:
                self.problem(
                    None,
                    f"The {anchor.source} vouches for event #{anchor.seq}, but the log ends at "
                    f"#{self.expected_seq - 1}: events were removed from its end.",
                )


def _events(session: Session, pending: bool) -> Iterator[Any]:
    stmt = select(*_EVENT_COLUMNS)
    if pending:
        stmt = stmt.where(AuditEvent.seq.is_(None)).order_by(
            AuditEvent.origin, AuditEvent.origin_seq
        )
    else:
        stmt = stmt.where(AuditEvent.seq.is_not(None)).order_by(AuditEvent.seq)
    result = session.execute(stmt.execution_options(yield_per=BATCH))
    try:
        yield from result
    finally:
        result.close()


def walk_events(session: Session, anchors: list[Anchor]) -> _Walk:
    walk = _Walk(anchors)
    for row in _events(session, pending=False):
        walk.branch(row)
    for row in _events(session, pending=True):
        walk.report.pending += 1
        walk.event(row)
    walk.finish_anchors()
    legacy = session.scalar(select(DatabaseMeta.value).where(DatabaseMeta.key == LEGACY_KEY))
    if legacy:
        found = json.loads(legacy)
        if not found.get("ok", True):
            walk.problem(
                None,
                "When this log was converted to two chains (on upgrading the app), the earlier "
                f"chain was already broken: {found.get('message', '')}",
            )
    return walk


def _digests(session: Session, table: str | None = None) -> Iterator[tuple[str, str, str]]:
    postgres = session.get_bind().dialect.name == "postgresql"
    rid = type_coerce(RecordDigest.record_id, String())
    order = [RecordDigest.table_name, rid.collate("C") if postgres else rid]
    stmt = select(RecordDigest.table_name, RecordDigest.record_id, RecordDigest.digest)
    if table is not None:
        stmt = stmt.where(RecordDigest.table_name == table)
    result = session.execute(stmt.order_by(*order).execution_options(yield_per=BATCH))
    try:
        for row in result:
            yield row[0], row[1], row[2]
    finally:
        result.close()


def check_records(session: Session, walk: _Walk) -> None:
    """Live records against the digests the database keeps, and both against the log."""
    report = walk.report
    kept = 0
    for table_name, rid, digest in _digests(session):
        kept = (kept + term(table_name, rid, digest)) % SET_MODULUS
    live = 0
    known = {t.name for t in digests.record_tables()}
    for table in digests.record_tables():
        live = (live + _merge(session, table, report)) % SET_MODULUS
    stray = session.scalar(
        select(func.count())
        .select_from(RecordDigest)
        .where(RecordDigest.table_name.not_in(sorted(known)))
    )
    if stray:
        report.ok = False
        report.problems.append(
            f"{stray} record digest(s) name tables this app does not have (written outside it)."
        )
    chain_total = walk.total % SET_MODULUS
    if kept != chain_total:
        report.ok = False
        report.problems.append(
            "The record digests the database keeps do not add up to what the audit log "
            "recorded: the log lost events, or the digests were changed outside the app."
        )
    if live != chain_total and not report.records:
        report.ok = False
        report.problems.append(
            "The records do not add up to what the audit log recorded, although each matches "
            "the digest kept for it: records and their digests were both changed outside the "
            "app."
        )


def _merge(session: Session, table: Any, report: ChainReport) -> int:
    """Compare one table's records with their kept digests in record id order; returns the
    set digest of the live records."""
    total = 0
    live = digests.scan(session, table)
    kept = ((rid, d) for _t, rid, d in _digests(session, table.name))
    a = next(live, None)
    b = next(kept, None)
    while a is not None or b is not None:
        if b is None or (a is not None and a[0] < b[0]):
            assert a is not None
            _change(report, table.name, a[0], "added")
            total += term(table.name, a[0], a[1])
            report.records_checked += 1
            a = next(live, None)
        elif a is None or b[0] < a[0]:
            _change(report, table.name, b[0], "deleted")
            b = next(kept, None)
        else:
            if a[1] != b[1]:
                _change(report, table.name, a[0], "changed")
            total += term(table.name, a[0], a[1])
            report.records_checked += 1
            a = next(live, None)
            b = next(kept, None)
    return total % SET_MODULUS


def _change(report: ChainReport, table: str, rid: str, kind: str) -> None:
    report.ok = False
    if len(report.records) < MAX_RECORDS:
        report.records.append(RecordChange(table, rid, kind))


def verify(session: Session, anchors: list[Anchor] | None = None) -> ChainReport:
    walk = walk_events(session, anchors or [])
    check_records(session, walk)
    return walk.report
