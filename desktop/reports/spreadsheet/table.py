"""A table to export: typed columns and rows in the order they are shown."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["text", "int", "float", "date", "datetime", "bool", "percent"]


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = "text"
    width: int = 16  # characters


@dataclass
class TableData:
    """``rows`` may be a generator (the comment log streams page by page); ``total`` is how
    many rows to expect, for the progress bar, when known. Instants are aware datetimes and
    are written in ``timezone``."""

    name: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    total: int | None = None
    timezone: str = "America/Regina"
