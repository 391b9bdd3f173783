"""An export file's audit log and records, verified before anything of it is written, and who
may import it.

The same checks ``audit verify`` runs on a database, on the file's rows: both chains link and
every event matches its hashes, the file's checkpoints hold, and the records add up to what the
log vouches for — so a file with an event cut off its end, a re-hashed chain, edited records or
no audit log at all is refused (docs/trust-and-sync.md §4). ``FileAudit`` takes rows one by one
(a streaming reader feeds it as it goes; memory stays flat); ``check_file`` runs it over rows
already in memory.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Table

from desktop.enums import AppRole
from desktop.errors import DomainError, PermissionDenied
from desktop.storage.auditlog import digests
from desktop.storage.auditlog.hashing import SET_MODULUS, term
from desktop.storage.auditlog.verify import Anchor, _Walk

EVENTS = "audit_events"
DEMO_DATA_KEY = "demo_data"


class TamperedFile(DomainError):
    """The file's audit log or records do not hold; ``path`` is the JSON path to look at."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem} Nothing was imported.", field=path)
        self.path = path
        self.problem = problem


class FileAudit:
    """Feed it every event (in the file's order: by branch position) and every record row;
    ``finish`` says whether they hold together. Raises TamperedFile at the first problem."""

    def __init__(self, anchors: Sequence[Anchor] = ()) -> None:
        self._walk = _Walk(list(anchors))
        self._pending: list[tuple[int, SimpleNamespace]] = []
        self._events = 0
        self._last_seq = 0
        self._records = 0

    def event(self, row: Mapping[str, Any], index: int | None = None) -> None:
        index = self._events if index is None else index
        self._events += 1
        event = _event(row)
        if event.seq is None:
            self._pending.append((index, event))  # a replica's events waiting for the hub
            return
        if event.seq <= self._last_seq:
            raise TamperedFile(
                f"$.tables.{EVENTS}[{index}]", "the audit events are not in their order."
            )
        self._last_seq = event.seq
        self._walk.branch(event)
        self._refuse_if_broken(index)

    def record(self, table: Table, row: Mapping[str, Any]) -> None:
        if not digests.is_record_table(table):
            return
        full = _with_defaults(table, row)
        self._records = (
            self._records
            + term(table.name, digests.record_id(table, full), digests.row_digest(table, full))
        ) % SET_MODULUS

    def finish(self) -> None:
        for index, event in sorted(self._pending, key=lambda p: (p[1].origin, p[1].origin_seq)):
            self._walk.event(event)
            self._refuse_if_broken(index)
        self._walk.finish_anchors()
        self._refuse_if_broken(self._events)
        if self._records != self._walk.total % SET_MODULUS:
            what = (
                "the file has records but no audit log"
                if not self._events
                else "the records in the file are not those its audit log vouches for (records "
                "were changed, added or removed, or events were cut from the log)"
            )
            raise TamperedFile(f"$.tables.{EVENTS}", f"{what}.")

    def _refuse_if_broken(self, index: int) -> None:
        report = self._walk.report
        if report.ok:
            return
        problem = report.reason or (report.problems[0] if report.problems else "")
        raise TamperedFile(
            f"$.tables.{EVENTS}[{index}]", f"the audit log is broken here: {problem}"
        )


def check_file(
    rows_by_table: Mapping[str, Sequence[Mapping[str, Any]]], anchors: Sequence[Anchor] = ()
) -> None:
    """FileAudit over a whole document already in memory (events taken in branch order)."""
    audit = FileAudit(anchors)
    events = list(rows_by_table.get(EVENTS, []))
    order = sorted(
        range(len(events)),
        key=lambda i: (events[i].get("seq") is None, events[i].get("seq") or 0),
    )
    for i in order:
        audit.event(events[i], i)
    for table in digests.record_tables():
        for row in rows_by_table.get(table.name, []):
            audit.record(table, row)
    audit.finish()


def restore_allowed(rows_by_table: Mapping[str, Sequence[Mapping[str, Any]]], login: str) -> Any:
    """Who restores a file into an empty database: an active administrator in the file (the
    person row, returned), or anybody when the file is demo data (None). PermissionDenied
    otherwise: a file must not make its importer somebody they are not."""
    for row in rows_by_table.get("settings", []):
        if row.get("key") == DEMO_DATA_KEY and json.loads(str(row.get("value"))) is True:
            return None
    person = next((p for p in rows_by_table.get("people", []) if p.get("login") == login), None)
    admin = person is not None and any(
        r.get("person_id") == person.get("id") and str(r.get("role")) == AppRole.ADMIN.value
        for r in rows_by_table.get("person_roles", [])
    )
    if person is None or not person.get("active", True) or not admin:
        raise PermissionDenied(
            f"Restoring an export needs an active administrator of that export; your login "
            f"{login!r} is not one in this file."
        )
    return person


def _event(row: Mapping[str, Any]) -> SimpleNamespace:
    data: dict[str, Any] = {
        "before": "",
        "after": "",
        "records": "",
        "actor_id": None,
        "seq": None,
        "prev_hash": None,
        "hash": None,
    }
    data.update(row)
    return SimpleNamespace(**data)


def _with_defaults(table: Table, row: Mapping[str, Any]) -> Mapping[str, Any]:
    missing = [c for c in table.columns if c.name not in row]
    if not missing:
        return row
    full = dict(row)
    for c in missing:
        default = c.default
        scalar = default is not None and getattr(default, "is_scalar", False)
        full[c.name] = getattr(default, "arg", None) if scalar else None
    return full
