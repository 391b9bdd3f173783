"""How figures read in the reports: per cents, durations, dates and times in the branch's zone."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

DASH = "\u2014"
TIME_METRIC = "time_on_page_seconds"


def pct(value: float | None) -> str:
    """'87.5 %'; a dash when there was nothing to measure."""
    return DASH if value is None else f"{value:.1f} %"


def num(value: int | float) -> str:
    """Thousands separated: 1,234,567; a float keeps one decimal unless it is whole."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def duration(value: timedelta | None) -> str:
    """'45 min', '3 h 05 min', '2 d 4 h' (wall-clock days); a dash when unknown."""
    if value is None:
        return DASH
    minutes = int(value.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {rest:02d} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


def day(value: date | None) -> str:
    return DASH if value is None else value.isoformat()


def when(value: datetime | None, timezone: str) -> str:
    """'2026-11-18 09:00' in the branch's zone."""
    if value is None:
        return DASH
    return value.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")


def when_zoned(value: datetime, timezone: str) -> str:
    """'2026-11-18 09:00 CST' - for the title block, where the zone must be explicit."""
    local = value.astimezone(ZoneInfo(timezone))
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def month(value: date) -> str:
    return value.strftime("%b %Y")


def plural(n: int, noun: str, many: str | None = None) -> str:
    """'1 comment', '3 comments', with thousands separated."""
    return f"{n:,} {noun if n == 1 else (many or noun + 's')}"


def words(value: str) -> str:
    """An enum value as words: 'changes_requested' -> 'Changes requested'."""
    return value.replace("_", " ").capitalize()


def metric_amount(metric: str, value: float, *, target: bool = False) -> str:
    """A goal's or a metric's amount as people count it: time on page in hours ('412.5 h'),
    everything else in whole numbers (a target rounded up: 2,067.5 responses is 2,068)."""
    if metric == TIME_METRIC:
        return f"{value / 3600:,.1f} h"
    whole = math.ceil(value - 1e-9) if target else round(value)
    return f"{whole:,}"


def metric_label(metric: str) -> str:
    """A metric's name, time on page in the hours it is shown in."""
    from desktop.services.metrics import METRIC_LABELS

    if metric == TIME_METRIC:
        return "Time on page (hours)"
    return METRIC_LABELS.get(metric, metric)
