"""Write checked rows in batches: plain inserts into an empty database, or a merge that
matches the records already present.

A merge compares each row of the file with the database's copy of the same record:
identical ones are matched and left alone, new ones inserted; when both differ, the copy with
the higher ``version`` (the one edited later) stays and the change is counted. Two different
copies at the same version, or a new record that takes another record's unique name, cannot
be reconciled by the app: the import is refused in one sentence naming that record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, UniqueConstraint, and_, insert, select, tuple_, update
from sqlalchemy.orm import Session

from desktop.errors import DomainError
from desktop.models import AuditEvent

BATCH = 5000
CHANGES_LISTED = 20

# How a person reads a record of a table in a message: its noun and, where it has one, the
# name people know it by. Citizens' records (comments, commenters) are named by id only.
_NOUNS: dict[str, str] = {
    "accounts": "account",
    "people": "person",
    "ministries": "ministry",
    "settings": "setting",
    "closures": "closure",
    "comments": "comment",
    "commenters": "commenter",
    "responses": "response",
    "approvals": "approval",
    "approval_steps": "approval step",
    "campaigns": "campaign",
    "goals": "goal",
    "evaluations": "evaluation",
    "metric_snapshots": "metric snapshot",
    "emergencies": "emergency",
    "account_roles": "page role",
    "person_roles": "application role",
    "personal_names": "personal name",
    "response_media": "image or video of a reply",
}
_NAMES: dict[str, Callable[[dict[str, Any]], str]] = {
    "accounts": lambda r: f"@{r.get('handle', '')} ({r.get('id')})",
    "people": lambda r: f"{r.get('login', '')} ({r.get('id')})",
    "ministries": lambda r: f"{r.get('code', '')} ({r.get('id')})",
    "settings": lambda r: str(r.get("key", "")),
    "closures": lambda r: str(r.get("day", "")),
}


def record_label(table: Table, row: dict[str, Any]) -> str:
    noun = _NOUNS.get(table.name, f"{table.name} row")
    name = _NAMES.get(table.name)
    if name is not None:
        return f"{noun} {name(row)}"
    key = ", ".join(str(row.get(c.key)) for c in table.primary_key.columns)
    return f"{noun} {key}"


@dataclass
class ImportSummary:
    """What an import did; ``rows`` counts every row read from the file."""

    merge: bool = False
    rows: int = 0
    inserted: int = 0
    matched: int = 0  # a merge found the same record here, unchanged
    updated: int = 0  # a merge took the file's copy, edited later than this database's
    kept: int = 0  # a merge kept this database's copy, edited later than the file's
    audit_events_skipped: int = 0  # a merge keeps this database's audit log
    changes: list[str] = field(default_factory=list)  # the first records updated or kept

    @property
    def message(self) -> str:
        if not self.merge:
            return f"Imported {self.rows:,} rows."
        parts = [f"{self.inserted:,} new", f"{self.matched:,} already here"]
        if self.updated:
            parts.append(f"{self.updated:,} updated from the file (edited later there)")
        if self.kept:
            parts.append(f"{self.kept:,} kept as they are here (edited later here)")
        text = f"Merged {self.rows:,} rows: " + ", ".join(parts) + "."
        if self.audit_events_skipped:
            text += (
                f" The file's {self.audit_events_skipped:,} audit events stay in the file; "
                "this database keeps its own log."
            )
        return text

    def audit_record(self, file_name: str) -> dict[str, Any]:
        return {
            "file": file_name,
            "rows": self.rows,
            "inserted": self.inserted,
            "matched": self.matched,
            "updated": self.updated,
            "kept": self.kept,
            "changes": self.changes,
        }


Touch = Callable[[Table, list[tuple[Any, ...]]], None]


class Loader:
    """Takes parsed rows table by table in file order and writes them in batches; ``touch``
    is told the keys of the rows a merge wrote (the audit event vouches for them)."""

    def __init__(
        self,
        session: Session,
        summary: ImportSummary,
        batch: int = BATCH,
        touch: Touch | None = None,
    ) -> None:
        self.session = session
        self.summary = summary
        self.batch = batch
        self.touch = touch
        self._table: Table | None = None
        self._pending: list[dict[str, Any]] = []

    def add(self, table: Table, row: dict[str, Any]) -> None:
        if table is not self._table:
            self.flush()
            self._table = table
        self._pending.append(row)
        if len(self._pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        table, rows = self._table, self._pending
        if table is None or not rows:
            return
        self._pending = []
        if not self.summary.merge:
            self.session.execute(insert(table), rows)
            self.summary.inserted += len(rows)
        elif table.name == AuditEvent.__tablename__:
            self.summary.audit_events_skipped += len(rows)
        else:
            self._merge(table, rows)

    # -- merge ---------------------------------------------------------------------------

    def _merge(self, table: Table, rows: list[dict[str, Any]]) -> None:
        here = _existing(self.session, table, rows)
        new: list[dict[str, Any]] = []
        written: list[dict[str, Any]] = []
        versioned = "version" in table.c
        for row in rows:
            current = here.get(_key(table, row))
            if current is None:
                new.append(row)
            elif all(current.get(k) == v for k, v in row.items()):
                self.summary.matched += 1
            elif versioned and row["version"] > current["version"]:
                pk = table.primary_key.columns
                self.session.execute(
                    update(table).where(and_(*(c == row[c.key] for c in pk))).values(row)
                )
                self._changed(table, row, f"updated to the file's version {row['version']}")
                self.summary.updated += 1
                written.append(row)
            elif versioned and row["version"] < current["version"]:
                self._changed(table, row, f"kept this database's version {current['version']}")
                self.summary.kept += 1
            else:
                raise DomainError(
                    f"The file's {record_label(table, row)} differs from this database's copy "
                    + (
                        f"at the same version ({row['version']}): both were edited since they "
                        "were one record"
                        if versioned
                        else "(the app cannot tell which is right)"
                    )
                    + "; nothing was imported. Make the two agree, then merge again."
                )
        if new:
            _check_unique(self.session, table, new)
            self.session.execute(insert(table), new)
            self.summary.inserted += len(new)
        if self.touch is not None and (new or written):
            names = [c.key for c in table.primary_key.columns]
            self.touch(table, [tuple(r[k] for k in names) for r in (*new, *written)])

    def _changed(self, table: Table, row: dict[str, Any], what: str) -> None:
        if len(self.summary.changes) < CHANGES_LISTED:
            self.summary.changes.append(f"{record_label(table, row)}: {what}")


def _key(table: Table, row: dict[str, Any]) -> Any:
    columns = table.primary_key.columns
    if len(columns) == 1:
        return row.get(next(iter(columns)).key)
    return tuple(row.get(c.key) for c in columns)


def _existing(session: Session, table: Table, rows: list[dict[str, Any]]) -> dict[Any, Any]:
    """This database's copies of the records of ``rows``, by primary key."""
    pk = list(table.primary_key.columns)
    keys = [_key(table, row) for row in rows]
    where = pk[0].in_(keys) if len(pk) == 1 else tuple_(*pk).in_(keys)
    found = session.execute(select(table).where(where)).mappings()
    return {_key(table, dict(r)): dict(r) for r in found}


def _unique_sets(table: Table) -> list[list[Any]]:
    return [
        list(c.columns)
        for c in table.constraints
        if isinstance(c, UniqueConstraint) and len(c.columns)
    ] + [list(i.columns) for i in table.indexes if i.unique]


def _check_unique(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """A new record may not take a unique name (login, handle, code...) held by another."""
    pk = list(table.primary_key.columns)
    for columns in _unique_sets(table):
        values = [tuple(row.get(c.key) for c in columns) for row in rows]
        if len(columns) == 1:
            where = columns[0].in_([v[0] for v in values])
        else:
            where = tuple_(*columns).in_(values)
        taken = {
            tuple(r[len(pk) :]): tuple(r[: len(pk)])
            for r in session.execute(select(*pk, *columns).where(where))
        }
        for row, value in zip(rows, values, strict=True):
            holder = taken.get(value)
            if holder is not None and holder != tuple(row.get(c.key) for c in pk):
                names = ", ".join(c.key for c in columns)
                raise DomainError(
                    f"The file's {record_label(table, row)} has the same {names} as a different "
                    "record in this database; nothing was imported. Rename or remove one of "
                    "them, then merge again."
                )
