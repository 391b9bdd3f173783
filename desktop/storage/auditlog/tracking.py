"""Which records a write transaction touched, and their digests before and after it.

The unit of work registers a tracker on its session: every flushed insert, update and delete of
an ORM object is noted; a bulk statement names its rows with ``touch``. When the transaction's
audit event is written, each noted record is read back as stored and compared with the digest
the audit log last recorded for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table, event, inspect, select
from sqlalchemy.orm import Session, UOWTransaction

from desktop.models import RecordDigest
from desktop.storage.auditlog import digests
from desktop.storage.auditlog.hashing import RecordEntry

_CHUNK = 500


class RecordTracker:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.keys: dict[str, set[tuple[Any, ...]]] = {}
        event.listen(session, "after_flush", self._after_flush)

    def close(self) -> None:
        if event.contains(self.session, "after_flush", self._after_flush):
            event.remove(self.session, "after_flush", self._after_flush)

    def _after_flush(self, session: Session, _flush: UOWTransaction) -> None:
        for obj in (*session.new, *session.dirty, *session.deleted):
            state = inspect(obj)
            table = state.mapper.local_table
            if not isinstance(table, Table) or not digests.is_record_table(table):
                continue
            key = state.mapper.primary_key_from_instance(obj)
            if any(part is None for part in key):
                continue
            self.keys.setdefault(table.name, set()).add(tuple(key))

    def touch(self, table: Table, keys: Iterable[Sequence[Any]]) -> None:
        """Rows a bulk statement wrote (their primary keys as values)."""
        if digests.is_record_table(table):
            self.keys.setdefault(table.name, set()).update(tuple(k) for k in keys)

    def entries(self) -> list[RecordEntry]:
        """Every touched record whose digest changed: (table, id, before, after)."""
        self.session.flush()
        out: list[RecordEntry] = []
        for name in sorted(self.keys):
            table = digests.record_table(name)
            if table is None:
                continue
            keys = self.keys[name]
            after = digests.read(self.session, table, keys)
            ids = sorted({digests.key_id(k) for k in keys})
            before: dict[str, str] = {}
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                before.update(
                    self.session.execute(
                        select(RecordDigest.record_id, RecordDigest.digest).where(
                            RecordDigest.table_name == name, RecordDigest.record_id.in_(chunk)
                        )
                    ).all()
                )
            for rid in ids:
                b, a = before.get(rid, ""), after.get(rid, "")
                if a != b:
                    out.append((name, rid, b, a))
        return out
