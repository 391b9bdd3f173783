"""Half-year reporting periods and the date arithmetic behind evaluation and goal due dates."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

_PERIOD = re.compile(r"(\d{4})[Hh]([12])")
_BAD_PERIOD = "Period must look like 2026H1 or 2026H2."


@dataclass(frozen=True, order=True)
class HalfYear:
    """H1 is January to June, H2 is July to December; ordered chronologically."""

    year: int
    half: int

    def __post_init__(self) -> None:
        if self.half not in (1, 2):
            raise ValueError(_BAD_PERIOD)
        if not 1 <= self.year <= 9999:
            raise ValueError(_BAD_PERIOD)

    @classmethod
    def parse(cls, text: str) -> HalfYear:
        """``2026H1`` or ``2026h2``; surrounding spaces are ignored."""
        match = _PERIOD.fullmatch(text.strip())
        if match is None:
            raise ValueError(_BAD_PERIOD)
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, d: date) -> HalfYear:
        return cls(d.year, 1 if d.month <= 6 else 2)

    @property
    def start(self) -> date:
        return date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> date:
        """The last day, inclusive."""
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    @property
    def label(self) -> str:
        return f"{self.year}H{self.half}"

    def __str__(self) -> str:
        return self.label

    def next(self) -> HalfYear:
        return HalfYear(self.year, 2) if self.half == 1 else HalfYear(self.year + 1, 1)

    def previous(self) -> HalfYear:
        return HalfYear(self.year - 1, 2) if self.half == 1 else HalfYear(self.year, 1)


def add_months(d: date, months: int) -> date:
    """Same day ``months`` later (or earlier if negative), clamped to the month's last day."""
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def next_evaluation_due(
    last_evaluated_on: date | None, active_since: date | None, interval_months: int = 6
) -> date | None:
    """Last completed evaluation + interval, else activation + interval; None if neither."""
    base = last_evaluated_on if last_evaluated_on is not None else active_since
    return None if base is None else add_months(base, interval_months)


def goals_expire_on(goals_final_on: date, validity_months: int = 12) -> date:
    """The first day on which the goals are out of date and new ones are due."""
    return add_months(goals_final_on, validity_months)


def goals_period_end(period_start: date, validity_months: int = 12) -> date:
    """The default last day (inclusive) of goals starting ``period_start``: exactly
    ``validity_months`` later, less one day (2026-11-18 -> 2027-11-17)."""
    return goals_expire_on(period_start, validity_months) - timedelta(days=1)


def goals_last_day(period_start: date, period_end: date, validity_months: int = 12) -> date:
    """The last day final goals count: their period's end, or the end of their validity."""
    return min(period_end, goals_period_end(period_start, validity_months))


def password_due(changed_at: datetime, rotation_days: int) -> datetime:
    """When a password changed at ``changed_at`` must be changed again.

    "Quarterly" is a rolling interval, not calendar quarters: every password is at most
    ``rotation_days`` (90) old. Calendar quarters would let a password changed on 1 January
    stand until 30 June while counting as changed "this quarter" twice, or call a password
    changed on 31 March overdue the next day.
    """
    return changed_at + timedelta(days=rotation_days)
