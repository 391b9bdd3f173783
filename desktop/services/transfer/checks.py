"""The checks of an import, as a pipeline every parsed row goes through before it is written.

Each check sees the rows in file order (``row``) and has a last word before the transaction
commits (``finish``); any ImportRefused rolls the whole import back. A check that must see the
whole file before anything may stand (a digest of every record, a signed chain head) raises
in ``finish``: the rows written so far are only in the open transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, Protocol

from sqlalchemy import Table

from desktop.models import AuditEvent
from desktop.services.import_check import FileAudit, TamperedFile
from desktop.services.transfer.columns import ImportRefused


class RowCheck(Protocol):
    def row(self, table: Table, path: str, index: int, row: dict[str, Any]) -> None: ...

    def finish(self) -> None: ...


def _compact(value: Any) -> Any:
    # A million keys are held at once: a UUID as its integer takes a third of the memory.
    return value.int if isinstance(value, uuid.UUID) else value


class KeyCheck:
    """No two rows of a table with the same primary key; remembers every key for references."""

    def __init__(self) -> None:
        self.keys: dict[str, set[Any]] = {}
        self._columns: dict[str, tuple[str, ...]] = {}

    def row(self, table: Table, path: str, index: int, row: dict[str, Any]) -> None:
        columns = self._columns.get(table.name)
        if columns is None:
            columns = tuple(c.key for c in table.primary_key.columns)
            self._columns[table.name] = columns
            self.keys[table.name] = set()
        if len(columns) == 1:
            key = _compact(row.get(columns[0]))
        else:
            key = tuple(_compact(row.get(c)) for c in columns)
        seen = self.keys[table.name]
        if key in seen:
            shown = tuple(row.get(c) for c in columns) if len(columns) > 1 else row.get(columns[0])
            raise ImportRefused(
                f"{path}[{index}]", f"duplicates the key {shown} of an earlier row."
            )
        seen.add(key)

    def finish(self) -> None:
        pass


class ReferenceCheck:
    """Every foreign key points to a row earlier in the file (tables come in dependency
    order, a table after the tables it refers to)."""

    def __init__(self, keys: KeyCheck) -> None:
        self._keys = keys
        self._references: dict[str, list[tuple[str, str]]] = {}

    def _of(self, table: Table) -> list[tuple[str, str]]:
        found = self._references.get(table.name)
        if found is None:
            # In column order, so the same file always fails at the same column.
            found = [
                (column.key, fk.column.table.name)
                for column in table.columns
                for fk in column.foreign_keys
                if len(list(fk.column.table.primary_key.columns)) == 1
            ]
            self._references[table.name] = found
        return found

    def row(self, table: Table, path: str, index: int, row: dict[str, Any]) -> None:
        for column, target in self._of(table):
            value = row.get(column)
            if value is not None and _compact(value) not in self._keys.keys.get(target, ()):
                where = (
                    "which is not in the file"
                    if target in self._keys.keys
                    else f"but no {target} came before it ({target} must come before "
                    f"{table.name}, as the app writes them)"
                )
                raise ImportRefused(
                    f"{path}[{index}].{column}", f"refers to {target} {value}, {where}."
                )

    def finish(self) -> None:
        pass


class FileAuditCheck:
    """The file's audit log and records hold together (``desktop.services.import_check``):
    both chains link, every event matches its hashes, and the records add up to what the log
    vouches for — fed row by row, so a million comments take no memory here."""

    def __init__(self) -> None:
        self._audit = FileAudit()

    def row(self, table: Table, path: str, index: int, row: dict[str, Any]) -> None:
        try:
            if table.name == AuditEvent.__tablename__:
                self._audit.event(row, index)
            else:
                self._audit.record(table, row)
        except TamperedFile as exc:
            raise ImportRefused(exc.path, exc.problem) from exc

    def finish(self) -> None:
        try:
            self._audit.finish()
        except TamperedFile as exc:
            raise ImportRefused(exc.path, exc.problem) from exc


def standard_checks() -> list[RowCheck]:
    """The checks every import runs, in order: keys, references, the audit log and records."""
    keys = KeyCheck()
    return [keys, ReferenceCheck(keys), FileAuditCheck()]


def run_finish(checks: Sequence[RowCheck]) -> None:
    for check in checks:
        check.finish()
