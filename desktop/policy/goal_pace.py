"""Goals against actuals, like with like.

A goal's baseline and target are for its own period (usually 12 months); the metrics are
recorded month by month. Set against a report's half-year, the goal is compared over the days
that are in both and whose month has metrics recorded: the target and baseline are pro-rated
to those days, and a month's recorded figure counts for the share of its days that fall in
them. A goal that starts after the report's data, or whose days have no metrics recorded, is
not compared at all (never "0 % of target").
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class MonthValue:
    month: date  # the first day of the month
    value: float | None  # None: no metrics recorded for the month


@dataclass(frozen=True)
class GoalPace:
    """One goal compared over the days it shares with a period (see the module's docstring)."""

    first: date | None  # the first and last day compared; None when nothing is compared
    last: date | None
    days: int  # days compared
    goal_days: int  # days of the goal's whole period
    target: float  # the goal's target pro-rated to the days compared
    baseline: float  # the baseline likewise
    actual: float  # the metric over the days compared

    @property
    def compared(self) -> bool:
        return self.days > 0

    @property
    def share(self) -> float:
        """The part of the goal's period compared, 0 to 1."""
        return self.days / self.goal_days if self.goal_days else 0.0

    @property
    def percent(self) -> float | None:
        """The actual as a share of the pro-rated target, in per cent; None when not compared
        or there is no target."""
        if not self.compared or self.target <= 0:
            return None
        return 100.0 * self.actual / self.target


def _month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def goal_pace(
    goal_start: date,
    goal_end: date,
    target: float,
    baseline: float,
    months: Sequence[MonthValue],
    window_start: date,
    window_end: date,
) -> GoalPace:
    """The goal compared over [window_start, window_end] (both included) and its own period."""
    goal_days = (goal_end - goal_start).days + 1
    lo, hi = max(goal_start, window_start), min(goal_end, window_end)
    days = 0
    actual = 0.0
    first: date | None = None
    last: date | None = None
    for m in months:
        if m.value is None:
            continue
        start, end = max(m.month, lo), min(_month_end(m.month), hi)
        if end < start:
            continue
        inside = (end - start).days + 1
        days += inside
        actual += m.value * inside / ((_month_end(m.month) - m.month).days + 1)
        first = start if first is None else min(first, start)
        last = end if last is None else max(last, end)
    share = days / goal_days if goal_days > 0 else 0.0
    return GoalPace(
        first=first,
        last=last,
        days=days,
        goal_days=max(goal_days, 0),
        target=target * share,
        baseline=baseline * share,
        actual=actual,
    )


def months_between(start: date, end: date) -> list[date]:
    """The first day of every month from ``start``'s to ``end``'s."""
    out: list[date] = []
    month = start.replace(day=1)
    while month <= end:
        out.append(month)
        month = (_month_end(month) + timedelta(days=1)).replace(day=1)
    return out
