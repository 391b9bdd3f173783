"""Rows as plain JSON-ready dicts: for audit before/after snapshots and the JSON export."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import DeclarativeBase


def to_jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        items = [to_jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    raise TypeError(f"Cannot serialise {type(value).__name__}")


def snapshot(
    obj: DeclarativeBase, *, skip: tuple[str, ...] = ("created_at", "updated_at")
) -> dict[str, Any]:
    """Every mapped column of ``obj`` by attribute name, as JSON-ready values."""
    mapper = inspect(type(obj))
    return {
        attr.key: to_jsonable(getattr(obj, attr.key))
        for attr in mapper.column_attrs
        if attr.key not in skip
    }


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that changed, on both sides (keeps audit events small and readable)."""
    keys = [k for k in after if before.get(k) != after.get(k) and k != "version"]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
