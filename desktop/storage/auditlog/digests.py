"""The digest of one record: SHA-256 over its table and the canonical values of its columns.

Which tables are records and which columns count is declared on the models:
``info={"record_digest": False}`` on a table (the log and its bookkeeping) or on a column
(derived values the app recomputes in bulk, such as a comment's due times) leaves it out. A
record's id is its primary key as text (parts joined by "/").

Values are read the same way wherever a digest is computed — when the app writes, when
``audit verify`` scans, and from an export file — so the same row always gives the same digest.
"""

from __future__ import annotations

import enum
import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Enum,
    String,
    Table,
    Uuid,
    and_,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session

from desktop.models import Base

SCAN_BATCH = 5000
_CHUNK = 500


def is_record_table(table: Table) -> bool:
    return bool(table.info.get("record_digest", True))


def record_tables() -> list[Table]:
    return [t for t in Base.metadata.sorted_tables if is_record_table(t)]


def record_table(name: str) -> Table | None:
    table = Base.metadata.tables.get(name)
    return table if table is not None and is_record_table(table) else None


def digest_columns(table: Table) -> list[Column[Any]]:
    """The columns a record's digest covers, by name."""
    return sorted(
        (c for c in table.columns if c.info.get("record_digest", True)), key=lambda c: c.name
    )


def pk_columns(table: Table) -> list[Column[Any]]:
    return list(table.primary_key.columns)


def layout(table: Table) -> str:
    """A fingerprint of what a digest of ``table`` covers; when it changes (a migration added
    a column), the table's records are vouched for again (``baseline``)."""
    parts = [table.name, [c.name for c in pk_columns(table)]]
    parts += [[c.name, type(c.type).__name__] for c in digest_columns(table)]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:16]


def value(v: Any) -> Any:
    """A column value in canonical JSON form."""
    if v is None or isinstance(v, bool | int | str):
        return v
    if isinstance(v, enum.Enum):
        return v.value
    if isinstance(v, float):
        return v
    if isinstance(v, uuid.UUID):
        return str(v)
    if isinstance(v, datetime):
        if v.tzinfo is None:
            v = v.replace(tzinfo=UTC)
        return v.astimezone(UTC).isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def _column_value(column: Column[Any], v: Any) -> Any:
    if isinstance(column.type, Uuid) and v is not None and not isinstance(v, uuid.UUID):
        try:
            return str(uuid.UUID(str(v)))  # as stored on SQLite: 32 hex digits
        except ValueError:
            return str(v)  # damaged: digested as it is, never refused
    return value(v)


def record_id(table: Table, row: Mapping[str, Any] | Any) -> str:
    return "/".join(str(_column_value(c, row[c.name])) for c in pk_columns(table))


def row_digest(table: Table, row: Mapping[str, Any] | Any) -> str:
    data = {c.name: _column_value(c, row[c.name]) for c in digest_columns(table)}
    text = json.dumps([table.name, data], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _selected(table: Table) -> list[ColumnElement[Any]]:
    """The pk and digest columns, enums and ids as stored (a value a later version of the app
    no longer knows, or a damaged one, must still be digested, not refused)."""
    names = {c.name for c in pk_columns(table)} | {c.name for c in digest_columns(table)}
    out: list[ColumnElement[Any]] = []
    for c in table.columns:
        if c.name in names:
            raw = isinstance(c.type, Enum | Uuid)
            out.append(type_coerce(c, String()).label(c.name) if raw else c)
    return out


def _ordered(table: Table, postgres: bool) -> list[ColumnElement[Any]]:
    """Primary key order that equals the order of the record ids as Python strings."""
    out: list[ColumnElement[Any]] = []
    for c in pk_columns(table):
        textual = isinstance(c.type, String | Enum)
        out.append(type_coerce(c, String()).collate("C") if textual and postgres else c)
    return out


def scan(session: Session, table: Table, batch: int = SCAN_BATCH) -> Iterator[tuple[str, str]]:
    """(record id, digest) of every record of ``table``, in record id order."""
    postgres = session.get_bind().dialect.name == "postgresql"
    stmt = (
        select(*_selected(table))
        .order_by(*_ordered(table, postgres))
        .execution_options(yield_per=batch)
    )
    result = session.execute(stmt)
    try:
        for row in result:
            mapping = row._mapping
            yield record_id(table, mapping), row_digest(table, mapping)
    finally:
        result.close()


def read(session: Session, table: Table, keys: Iterable[Sequence[Any]]) -> dict[str, str]:
    """record id → digest of the records with these primary keys that exist."""
    keys = list(keys)
    cols = pk_columns(table)
    out: dict[str, str] = {}
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        if len(cols) == 1:
            where: ColumnElement[bool] = cols[0].in_([k[0] for k in chunk])
        else:
            where = or_(*(and_(*(c == k[i] for i, c in enumerate(cols))) for k in chunk))
        for row in session.execute(select(*_selected(table)).where(where)):
            out[record_id(table, row._mapping)] = row_digest(table, row._mapping)
    return out


def key_id(key: Sequence[Any]) -> str:
    """The record id of a primary key given as values (as the ORM holds them)."""
    return "/".join(str(value(v)) for v in key)
