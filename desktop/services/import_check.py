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
from array import array
from collections.abc import Mapping, Sequence
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Table

from desktop.enums import AppRole
from desktop.errors import DomainError, PermissionDenied
from desktop.models import Checkpoint, SigningKey
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
        # The first 16 hex digits of each branch position's hash (8 bytes an event), to hold
        # the file's log against the checkpoints it carries (they come after the events).
        self._heads = array("Q")
        self._keys: dict[str, str] = {}  # signing key id -> public key (hex)
        self._checkpoints = 0

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
        self._heads.append(int(str(event.hash)[:16], 16))

    def record(self, table: Table, row: Mapping[str, Any]) -> None:
        if not digests.is_record_table(table):
            return
        full = _with_defaults(table, row)
        if table.name == SigningKey.__tablename__:
            self._keys[str(full["id"])] = str(full["public_key"])
        elif table.name == Checkpoint.__tablename__:
            self._checkpoint(full)
        self._records = (
            self._records
            + term(table.name, digests.record_id(table, full), digests.row_digest(table, full))
        ) % SET_MODULUS

    def _checkpoint(self, row: Mapping[str, Any]) -> None:
        """A checkpoint in the file must hold for the file's log: signed by a key the file
        registers, and vouching for a position the log has, with that hash."""
        from desktop.services.checkpoints.signing import holds, message

        path = f"$.tables.{Checkpoint.__tablename__}[{self._checkpoints}]"
        self._checkpoints += 1
        seq, head = int(row["seq"]), str(row["head_hash"])
        signed_at = row["signed_at"]
        if isinstance(signed_at, str):
            signed_at = datetime.fromisoformat(signed_at)
        key = self._keys.get(str(row["key_id"]))
        if key is None:
            raise TamperedFile(path, f"checkpoint #{seq} names a signing key the file lacks.")
        if not holds(
            key, str(row["signature"]), message(seq, head, signed_at, str(row["signer_login"]))
        ):
            raise TamperedFile(
                path, f"checkpoint #{seq} does not match its signature (it was changed)."
            )
        if seq > len(self._heads):
            raise TamperedFile(
                path,
                f"checkpoint #{seq} vouches for more events than the file's log has "
                f"({len(self._heads)}): events were cut from its end.",
            )
        if self._heads[seq - 1] != int(head[:16], 16):
            raise TamperedFile(
                path,
                f"checkpoint #{seq} vouches for a different hash at #{seq}: the file's audit "
                "log was rewritten.",
            )

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
