"""One row of an export file checked and converted column by column to insertable values.

A row is checked a million times over in a full import: each column's parser is chosen once
per table, and a value's JSON path is spelled out only when it is wrong.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any

from sqlalchemy import Boolean, Date, Enum, Float, Integer, String, Table, Text, Uuid

from desktop.errors import DomainError
from desktop.models.base import UTCDateTime


class ImportRefused(DomainError):
    """The file is not a valid export; ``path`` is the JSON path of the first bad value."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem} Nothing was imported.", field=path)
        self.path = path


_MISSING = object()
Parse = Callable[[Any], Any]


class _Said(ValueError):
    """A problem already phrased as the sentence the person reads."""


@dataclass(frozen=True)
class Columns:
    keys: frozenset[str]
    parsers: tuple[tuple[str, Parse, bool, bool], ...]  # key, parse, nullable, may be missing


_COLUMNS: dict[Table, Columns] = {}


def columns_of(table: Table) -> Columns:
    found = _COLUMNS.get(table)
    if found is None:
        found = Columns(
            frozenset(table.c.keys()),
            tuple(
                (
                    c.key,
                    _parser(c.type),
                    bool(c.nullable),
                    bool(c.nullable) or c.default is not None,
                )
                for c in table.columns
            ),
        )
        _COLUMNS[table] = found
    return found


def parse_row(table: Table, raw: Any, path: str, index: int) -> dict[str, Any]:
    """``raw``, the row at ``path[index]``, checked and converted column by column."""
    if not isinstance(raw, dict):
        raise ImportRefused(f"{path}[{index}]", "must be an object.")
    columns = columns_of(table)
    if not columns.keys.issuperset(raw):
        for key in raw:
            if key not in columns.keys:
                raise ImportRefused(f"{path}[{index}].{key}", f"is not a column of {table.name}.")
    row: dict[str, Any] = {}
    for key, parse, nullable, optional in columns.parsers:
        value = raw.get(key, _MISSING)
        try:
            if value is None:
                if not nullable:
                    raise ValueError("may not be null")
                row[key] = None
            elif value is _MISSING:
                if not optional:
                    raise ValueError("is missing")
            else:
                row[key] = parse(value)
        except (ValueError, TypeError) as exc:
            problem = str(exc) if isinstance(exc, _Said) else f"{exc}."
            raise ImportRefused(f"{path}[{index}].{key}", problem) from exc
    return row


def _parser(type_: Any) -> Parse:
    """The check and conversion of one non-null JSON value of a column of ``type_``."""
    if isinstance(type_, Uuid):
        return lambda value: uuid.UUID(str(value))
    if isinstance(type_, UTCDateTime):
        return _aware
    if isinstance(type_, Enum):
        assert type_.enum_class is not None
        return partial(_enum, type_.enum_class, frozenset(type_.enums), ", ".join(type_.enums))
    if isinstance(type_, Date):
        return lambda value: date.fromisoformat(str(value))
    if isinstance(type_, Boolean):
        return _boolean
    if isinstance(type_, Integer):
        return _integer
    if isinstance(type_, Float):
        return _number
    if isinstance(type_, String | Text):
        return partial(_text, getattr(type_, "length", None))
    return partial(_unknown, type_)


def _aware(value: Any) -> datetime:
    parsed = datetime.fromisoformat(str(value))
    if parsed.tzinfo is None:
        raise ValueError("a time without a time zone")
    return parsed


def _enum(enum_class: Any, values: frozenset[str], listed: str, value: Any) -> Any:
    if value not in values:
        raise ValueError(f"{value!r} is not one of {listed}")
    return enum_class(value)


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("expected true or false")
    return value


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("expected a whole number")
    return value


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("expected a number")
    return float(value)


def _text(length: int | None, value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected text")
    if length and len(value) > length:
        raise ValueError(f"text longer than {length} characters")
    return value


def _unknown(type_: Any, _value: Any) -> Any:
    raise _Said(f"has a type this importer does not know ({type_}).")
