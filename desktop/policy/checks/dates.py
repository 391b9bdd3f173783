"""Instants seen as days of the branch's calendar: what day it is, when a day-deadline passed."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from desktop.policy.settings import PolicySettings


def local_today(as_of: datetime, settings: PolicySettings) -> date:
    """The calendar day ``as_of`` falls on in the configured zone."""
    return as_of.astimezone(ZoneInfo(settings.timezone)).date()


def day_start(day: date, settings: PolicySettings) -> datetime:
    """Midnight starting ``day`` in the configured zone, as aware UTC."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(settings.timezone)).astimezone(UTC)


def passed_since(last_day: date, settings: PolicySettings) -> datetime:
    """The instant a deadline that includes ``last_day`` passed: midnight after it."""
    return day_start(last_day + timedelta(days=1), settings)


def local_text(t: datetime, settings: PolicySettings) -> str:
    """'2026-11-17 10:00' in the configured zone, as messages show times."""
    return t.astimezone(ZoneInfo(settings.timezone)).strftime("%Y-%m-%d %H:%M")
