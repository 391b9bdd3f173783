"""Rows as sync moves them: keys, JSON snapshots and back, which tables never conflict."""

from __future__ import annotations

import enum
import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    DateTime,
    Enum,
    Table,
    TypeDecorator,
    Uuid,
    and_,
    select,
)
from sqlalchemy.engine import Connection

from desktop.hub.changes import replicated_tables

# Records that are only ever added: they never conflict (docs/trust-and-sync.md §6).
APPEND_ONLY = frozenset({"audit_events", "checkpoints"})


def tables_by_name() -> dict[str, Table]:
    return {t.name: t for t in replicated_tables()}


def is_versioned(table: Table) -> bool:
    return "version" in table.c


def key_text(table: Table, row: Any) -> str:
    """The row's key as the feed and the outbox write it: a JSON list of its primary key,
    UUIDs as 32 hex digits."""
    parts = []
    for c in table.primary_key.columns:
        v = row[c.name]
        if isinstance(c.type, Uuid):
            v = (v if isinstance(v, uuid.UUID) else uuid.UUID(str(v))).hex
        elif isinstance(v, enum.Enum):
            v = v.value
        parts.append(None if v is None else str(v))
    return json.dumps(parts, separators=(",", ":"))


def key_values(table: Table, key: str) -> dict[str, Any]:
    values = json.loads(key)
    out: dict[str, Any] = {}
    for c, v in zip(table.primary_key.columns, values, strict=True):
        out[c.name] = uuid.UUID(v) if isinstance(c.type, Uuid) else _enum_in(c.type, v)
    return out


def where_key(table: Table, key: str) -> ColumnElement[bool]:
    return and_(*(table.c[name] == v for name, v in key_values(table, key).items()))


def where_keys(table: Table, keys: Sequence[str]) -> ColumnElement[bool]:
    cols = list(table.primary_key.columns)
    if len(cols) == 1:
        return cols[0].in_([key_values(table, k)[cols[0].name] for k in keys])
    from sqlalchemy import or_

    return or_(*(where_key(table, k) for k in keys))


def _base_type(t: Any) -> Any:
    return t.impl if isinstance(t, TypeDecorator) else t


def _enum_in(t: Any, v: Any) -> Any:
    if v is None:
        return None
    enum_class = getattr(t, "enum_class", None)
    if isinstance(t, Enum) and enum_class is not None:
        try:
            return enum_class(v)
        except ValueError:
            return v
    return v


def encode(table: Table, row: Any) -> dict[str, Any]:
    """A row as JSON values (datetimes and dates ISO, ids as text, enums by value)."""
    out: dict[str, Any] = {}
    for c in table.columns:
        v = row[c.name]
        if isinstance(v, datetime | date):
            v = v.isoformat()
        elif isinstance(v, uuid.UUID):
            v = str(v)
        elif isinstance(v, enum.Enum):
            v = v.value
        out[c.name] = v
    return out


def decode(table: Table, data: Mapping[str, Any]) -> dict[str, Any]:
    """``encode``'s values back as the columns bind them."""
    out: dict[str, Any] = {}
    for c in table.columns:
        if c.name not in data:
            continue
        v = data[c.name]
        base = _base_type(c.type)
        if v is not None:
            if isinstance(base, DateTime):
                v = datetime.fromisoformat(v)
            elif isinstance(base, Date):
                v = date.fromisoformat(v)
            elif isinstance(c.type, Uuid):
                v = uuid.UUID(v)
            else:
                v = _enum_in(c.type, v)
        out[c.name] = v
    return out


def dumps(data: Mapping[str, Any] | None) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def fetch(conn: Connection, table: Table, key: str) -> dict[str, Any] | None:
    row = conn.execute(select(table).where(where_key(table, key))).mappings().first()
    return encode(table, row) if row is not None else None
