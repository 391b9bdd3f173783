"""The value parsers of the platforms' export files: counts, durations, dates, ids.

A blank cell, "-" or "undefined" is a value the platform did not give: None, never 0.
Each raises ValueError with the sentence a person reads next to the row.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

MISSING = frozenset({"", "-", "–", "—", "undefined", "n/a", "N/A", "null"})
_GROUPED = re.compile(r"^-?\d{1,3}(,\d{3})+$")  # 5,431 (TikTok's thousands)
_DURATION = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})(?:\.\d+)?$")
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060"), None)
# A date-only value is placed at local noon, so that no zone moves it to another day.
NOON = time(12)


def header_key(text: str) -> str:
    """A header as compared with the alias tables: NFKC, no BOM or zero-width characters,
    no surrounding quotes or spaces, case-folded."""
    cleaned = unicodedata.normalize("NFKC", str(text)).translate(_INVISIBLE)
    return " ".join(cleaned.strip().strip('"').split()).casefold()


def is_missing(text: object) -> bool:
    return text is None or (isinstance(text, str) and text.strip() in MISSING)


def count(text: object) -> int | None:
    """A whole count: "3423" and "3423.0" are 3423, "5,431" is 5431; blank and "-" are None."""
    if is_missing(text):
        return None
    if isinstance(text, bool):
        raise ValueError(f"{text!r} is not a number")
    if isinstance(text, int):
        return text
    if isinstance(text, float):
        if not text.is_integer():
            raise ValueError(f"{text:g} is not a whole number")
        return int(text)
    raw = str(text).strip()
    if _GROUPED.match(raw):
        raw = raw.replace(",", "")
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{raw!r} is not a number") from None
    if not value.is_integer():
        raise ValueError(f"{raw!r} is not a whole number")
    return int(value)


def number(text: object) -> float | None:
    """A decimal (a rate, hours): "4395.683", "0.52"; a trailing "%" is allowed."""
    if is_missing(text):
        return None
    if isinstance(text, int | float) and not isinstance(text, bool):
        return float(text)
    raw = str(text).strip().rstrip("%").strip()
    try:
        return float(raw)
    except ValueError:
        raise ValueError(f"{str(text).strip()!r} is not a number") from None


def hours_as_seconds(text: object) -> int | None:
    """YouTube's watch time in decimal hours, as whole seconds."""
    hours = number(text)
    return None if hours is None else round(hours * 3600)


def seconds(text: object) -> int | None:
    """Seconds given as a number ("4395.683") or as a clock ("0:04:23", "4:23")."""
    if is_missing(text):
        return None
    raw = str(text).strip()
    match = _DURATION.match(raw)
    if match:
        h, m, s = match.groups()
        return int(h or 0) * 3600 + int(m) * 60 + int(s)
    value = number(raw)
    return None if value is None else round(value)


def post_id(text: object) -> str:
    """An id as text, trimmed (YouTube puts a space before ids that start with "-")."""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    return str(text or "").strip().lstrip("'")


def parse_date(text: object, pattern: str) -> date:
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    raw = " ".join(str(text or "").split())
    try:
        return datetime.strptime(raw, pattern).date()
    except ValueError:
        raise ValueError(f"{raw!r} is not a date like {_example(pattern)}") from None


def parse_time(text: object, pattern: str, zone: str) -> datetime:
    """A time in the file's pattern; one without an offset is read in ``zone``. UTC out."""
    if isinstance(text, datetime):
        value = text
    else:
        raw = " ".join(str(text or "").split())
        try:
            value = datetime.strptime(raw, pattern)
        except ValueError:
            raise ValueError(f"{raw!r} is not a time like {_example(pattern)}") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(zone))
    return value.astimezone(UTC)


def day_at_noon(day: date, zone: str) -> datetime:
    return datetime.combine(day, NOON, tzinfo=ZoneInfo(zone)).astimezone(UTC)


_EXAMPLE_TIME = datetime(2025, 9, 1, 21, 13, tzinfo=UTC)


def _example(pattern: str) -> str:
    return _EXAMPLE_TIME.strftime(pattern)
