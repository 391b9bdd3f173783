"""A platform export format described as data, and the one reader that applies it.

A format is recognised by a required subset of its headers (each with its historic and
localized aliases); the other known headers are read or deliberately left out, and any
header nobody knows is reported, never fatal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from desktop.enums import Platform
from desktop.services.imports import values as v
from desktop.services.imports.model import (
    POST_MEASURES,
    DailyRecord,
    Location,
    ParsedFile,
    PostRecord,
    RowError,
)
from desktop.services.imports.sources import Sheet

Convert = Callable[[Any], Any]
# The fields that are measures; every other field says what a post is, whose, and when.
MEASURES = frozenset(POST_MEASURES) | {"posts", "unfollows"}


@dataclass(frozen=True, eq=False)  # compared and hashed by identity
class Spec:
    key: str
    label: str
    platform: Platform
    shape: Literal["posts", "daily"]
    columns: Mapping[str, Sequence[str]]  # field -> header aliases (English first)
    required: Sequence[str]
    date_patterns: Sequence[str]  # one per known variant of the format, tried in order
    unused: Sequence[str] = ()  # headers known and deliberately not imported
    unused_prefixes: Sequence[str] = ()
    converters: Mapping[str, Convert] = field(default_factory=dict)
    versions: Sequence[tuple[str, str]] = ()  # (a header that marks it, the version's name)
    default_version: str = "English headers"
    sum_per_day: bool = False  # several rows per day (per video) add up
    timed: bool = True  # the date field has a clock time (read in the chosen zone)
    post_id_from: Callable[[dict[str, Any]], str] | None = None

    def aliases(self) -> dict[str, str]:
        return {v.header_key(a): f for f, names in self.columns.items() for a in names}

    def match(self, headers: Sequence[str]) -> int:
        """How many headers this format knows, or 0 when a required one is missing."""
        known = self.aliases()
        found = {known[h] for h in headers if h in known}
        if not set(self.required) <= found:
            return 0
        return len(found)


def read_table(
    spec: Spec,
    sheet: Sheet,
    header_at: int,
    out: ParsedFile,
    zone: str,
    measure_override: Mapping[str, str] | None = None,
) -> None:
    """Read the rows under the header at ``sheet.rows[header_at]`` into ``out``."""
    _header_line, header_cells = sheet.rows[header_at]
    headers = [v.header_key(h) for h in header_cells]
    aliases = spec.aliases()
    unused = {v.header_key(u) for u in spec.unused}
    index: dict[str, int] = {}
    for position, (raw, key) in enumerate(zip(header_cells, headers, strict=True)):
        name = aliases.get(key)
        if name is not None:
            name = (measure_override or {}).get(name, name)
            index.setdefault(name, position)
        elif key and (key in unused or key.startswith(tuple(spec.unused_prefixes))):
            _note(out.unused_columns, str(raw).strip())
        elif key:
            _note(out.unknown_columns, str(raw).strip())
    for marker, version in spec.versions:
        if v.header_key(marker) in headers:
            out.format_version = version
            break
    for name in index:
        if name in MEASURES and name not in out.measures:
            out.measures.append(name)
    seen: dict[Any, int] = {}
    days: dict[date, DailyRecord] = {}
    for line, cells in sheet.rows[header_at + 1 :]:
        if not any(str(c).strip() for c in cells if c is not None):
            continue
        where = Location(sheet.file, line, sheet.name)
        first = str(cells[0]).strip().casefold() if cells else ""
        if first == "total":
            out.skipped.append(f"{where}: the “Total” row (the sum of the rows)")
            continue
        if len(cells) < len(header_cells) and max(index.values(), default=0) >= len(cells):
            out.errors.append(
                RowError(
                    where,
                    f"the row has {len(cells)} cells where the header has {len(header_cells)} "
                    "(the file may be cut short, or a comma is missing its quotes)",
                )
            )
            continue
        try:
            record = _record(spec, index, header_cells, cells, where, zone)
        except ValueError as exc:
            out.errors.append(RowError(where, str(exc)))
            continue
        if isinstance(record, PostRecord):
            earlier = seen.get(record.post_id)
            if earlier is not None:
                out.skipped.append(f"{where}: post {record.post_id} again (as on line {earlier})")
                continue
            seen[record.post_id] = line
            out.posts.append(record)
        elif spec.sum_per_day and record.day in days:
            total = days[record.day]
            for k, value in record.values.items():
                if value is not None:
                    total.values[k] = (total.values.get(k) or 0) + value
        elif record.day in days:
            out.errors.append(RowError(where, f"{record.day} appears twice in the file"))
        else:
            days[record.day] = record
            out.days.append(record)
        if not out.account_hint and "account_name" in index:
            out.account_hint = str(cells[index["account_name"]] or "").strip()


def _note(bucket: list[str], header: str) -> None:
    if header not in bucket:
        bucket.append(header)


def _record(
    spec: Spec,
    index: Mapping[str, int],
    header_cells: Sequence[Any],
    cells: Sequence[Any],
    where: Location,
    zone: str,
) -> PostRecord | DailyRecord:
    def cell(name: str) -> Any:
        position = index.get(name)
        return cells[position] if position is not None and position < len(cells) else None

    values: dict[str, int | None] = {}
    problems: list[str] = []
    for name, position in index.items():
        if name not in MEASURES:
            continue
        convert = spec.converters.get(name, v.count)
        try:
            values[name] = convert(cell(name))
        except ValueError as exc:
            problems.append(f"{str(header_cells[position]).strip()}: {exc}")
    rate: float | None = None
    if "engagement_rate" in index:
        try:
            rate = v.number(cell("engagement_rate"))
        except ValueError as exc:
            problems.append(f"{str(header_cells[index['engagement_rate']]).strip()}: {exc}")
    date_field = "published" if spec.shape == "posts" else "day"
    when: datetime | date | None = None
    raw_when = cell(date_field)
    if v.is_missing(raw_when):
        if spec.shape == "daily":
            problems.append("the date is missing")
    else:
        when = _when(spec, raw_when, zone, problems)
    if problems:
        raise ValueError("; ".join(problems))
    if spec.shape == "daily":
        assert isinstance(when, date)
        day = when.date() if isinstance(when, datetime) else when
        return DailyRecord(where, day, values)
    post_id = (
        spec.post_id_from({n: cell(n) for n in index})
        if spec.post_id_from
        else v.post_id(cell("post_id"))
    )
    if not post_id:
        raise ValueError("the post id is missing")
    if isinstance(when, date) and not isinstance(when, datetime):
        when = v.day_at_noon(when, zone)
    title = str(cell("title") or cell("description") or "").strip()
    return PostRecord(
        where=where,
        post_id=post_id,
        published_at=when,
        title=" ".join(title.split())[:300],
        permalink=str(cell("permalink") or "").strip()[:500],
        post_type=str(cell("post_type") or "").strip()[:60],
        values=values,
        engagement_rate=rate,
    )


def _when(spec: Spec, raw: Any, zone: str, problems: list[str]) -> datetime | date | None:
    errors = []
    for pattern in spec.date_patterns:
        try:
            if spec.timed and spec.shape == "posts":
                return v.parse_time(raw, pattern, zone)
            return v.parse_date(raw, pattern)
        except ValueError as exc:
            errors.append(str(exc))
    problems.append(errors[0] if errors else f"{raw!r} is not a date")
    return None
