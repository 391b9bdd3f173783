"""Instants as people read them: in the branch's configured time zone, never in UTC."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def format_when(value: datetime, timezone: str) -> str:
    """ "Wed 18 Nov 2026, 09:00 CST" in ``timezone`` (an IANA name from the settings)."""
    local = value.astimezone(ZoneInfo(timezone))
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M} {local.tzname() or ''}".strip()
