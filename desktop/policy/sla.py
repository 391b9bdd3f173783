"""The service-level clock: business hours, Saskatchewan holidays and comment due times.

Pure code (no Qt, no database); the semantics are those of DESIGN §4.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_ONE_DAY = timedelta(days=1)
_ZERO = timedelta(0)

# Per local date: (opening, closing) or (None, None) on a closed day, then the opening and
# closing of the next business day and the closing of the one after. due() needs nothing else.
_Day = tuple[datetime | None, datetime | None, datetime, datetime, datetime]


def _require_aware(value: datetime, name: str) -> None:
    # A naive value would be read as the machine's local time by astimezone(), silently.
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {value!r}")


@dataclass(frozen=True, init=False)
class BusinessCalendar:
    """Opening hours on Monday to Friday, closed on SK public holidays and on extra closures."""

    timezone: str
    closures: frozenset[date]
    opening: time
    closing: time
    _tz: ZoneInfo = field(repr=False, compare=False)
    # Caches are filled lazily; they never change what the calendar answers, only how fast.
    _holidays: dict[int, dict[date, str]] = field(repr=False, compare=False)
    _open_days: dict[date, bool] = field(repr=False, compare=False)
    _days: dict[date, _Day] = field(repr=False, compare=False)

    def __init__(
        self,
        timezone: str = "America/Regina",
        closures: Iterable[date] = (),
        *,
        opening: time = time(9),
        closing: time = time(17),
    ) -> None:
        try:
            tz = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            raise ValueError(f"Unknown time zone {timezone!r}") from None
        if opening.tzinfo is not None or closing.tzinfo is not None:
            raise ValueError("Opening and closing times are local wall times without a zone")
        if not opening < closing:
            raise ValueError(
                f"Opening time {opening:%H:%M} must be before closing time {closing:%H:%M}"
            )
        days = frozenset(closures)
        for day in days:
            # A datetime is a date too, but it would never match a calendar day.
            if not isinstance(day, date) or isinstance(day, datetime):
                raise TypeError(f"Closure {day!r} is not a date")
        set_ = object.__setattr__
        set_(self, "timezone", timezone)
        set_(self, "closures", days)
        set_(self, "opening", opening)
        set_(self, "closing", closing)
        set_(self, "_tz", tz)
        set_(self, "_holidays", {})
        set_(self, "_open_days", {})
        set_(self, "_days", {})

    def _year_holidays(self, year: int) -> dict[date, str]:
        found = self._holidays.get(year)
        if found is None:
            import holidays  # ~40 ms, imported when a calendar first needs it

            table = holidays.country_holidays(
                "CA", subdiv="SK", years=year, categories=(holidays.PUBLIC,), language="en_CA"
            )
            found = dict(table.items())
            self._holidays[year] = found
        return found

    def holidays_in_year(self, year: int) -> list[tuple[date, str]]:
        """SK public holidays of ``year`` (observed days included) by date, for display."""
        return sorted(self._year_holidays(year).items())

    def is_business_day(self, d: date) -> bool:
        """Whether ``d`` is a weekday that is neither a holiday nor a closure."""
        if isinstance(d, datetime):
            raise TypeError("is_business_day takes a date; use is_business_time for a datetime")
        is_open = self._open_days.get(d)
        if is_open is None:
            is_open = (
                d.weekday() < 5 and d not in self.closures and d not in self._year_holidays(d.year)
            )
            self._open_days[d] = is_open
        return is_open

    def _next_business_date(self, d: date) -> date:
        d += _ONE_DAY
        while not self.is_business_day(d):
            d += _ONE_DAY
        return d

    def _at(self, d: date, t: time) -> datetime:
        return datetime.combine(d, t, self._tz)

    def _day(self, d: date) -> _Day:
        info = self._days.get(d)
        if info is None:
            nxt = self._next_business_date(d)
            after = self._next_business_date(nxt)
            if self.is_business_day(d):
                opens: datetime | None = self._at(d, self.opening)
                closes: datetime | None = self._at(d, self.closing)
            else:
                opens = closes = None
            info = (
                opens,
                closes,
                self._at(nxt, self.opening),
                self._at(nxt, self.closing),
                self._at(after, self.closing),
            )
            self._days[d] = info
        return info

    def _local(self, t: datetime, name: str) -> datetime:
        _require_aware(t, name)
        return t.astimezone(self._tz)

    def is_business_time(self, t: datetime) -> bool:
        """Whether the instant ``t`` falls in [opening, closing) of a business day."""
        local = self._local(t, "t")
        opens, closes = self._day(local.date())[:2]
        return opens is not None and closes is not None and opens <= local < closes

    def next_business_start(self, t: datetime) -> datetime:
        """``t`` (in the calendar zone) if it is business time, else the next opening."""
        local = self._local(t, "t")
        opens, closes, next_opens = self._day(local.date())[:3]
        if opens is None or closes is None or local >= closes:
            return next_opens
        return max(local, opens)

    def add_business_time(self, start: datetime, delta: timedelta) -> datetime:
        """The instant when ``delta`` of business time has passed since ``start``.

        A result that lands exactly on a closing time stays there rather than moving to
        the next opening, so 16:00 plus one hour is 17:00 the same day.
        """
        if delta < _ZERO:
            raise ValueError(f"delta must not be negative, got {delta}")
        local = self._local(start, "start")
        if not delta:
            return local
        current = self.next_business_start(local)
        remaining = delta
        while True:
            info = self._day(current.date())
            closes = info[1]
            assert closes is not None  # current is always business time here
            left = closes - current
            if remaining <= left:
                return current + remaining
            remaining -= left
            current = info[2]

    def subtract_business_time(self, end: datetime, delta: timedelta) -> datetime:
        """The latest instant ``s`` with ``business_time_between(s, end) == delta``: how far
        back ``delta`` of business time reaches from ``end``. A clock that started (in
        business time) before ``s`` has run more than ``delta`` by ``end``."""
        if delta < _ZERO:
            raise ValueError(f"delta must not be negative, got {delta}")
        last = self._local(end, "end")
        if not delta:
            return last
        remaining = delta
        day = last.date()
        hi_limit: datetime | None = last
        while True:
            opens, closes = self._day(day)[:2]
            if opens is not None and closes is not None:
                hi = closes if hi_limit is None else min(hi_limit, closes)
                if hi > opens:
                    if remaining <= hi - opens:
                        return hi - remaining
                    remaining -= hi - opens
            hi_limit = None
            day -= _ONE_DAY

    def business_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Business time in [start, end); zero when ``end`` is not after ``start``."""
        first = self._local(start, "start")
        last = self._local(end, "end")
        total = _ZERO
        if last <= first:
            return total
        # One step per calendar day, so a year costs a few hundred iterations.
        day = first.date()
        last_day = last.date()
        while day <= last_day:
            opens, closes = self._day(day)[:2]
            if opens is not None and closes is not None:
                lo = max(first, opens)
                hi = min(last, closes)
                if hi > lo:
                    total += hi - lo
            day += _ONE_DAY
        return total


@dataclass(frozen=True, slots=True)
class DueTimes:
    """When the clock started for a comment, and when it must be acknowledged and answered."""

    clock_start: datetime
    acknowledge_by: datetime
    answer_by: datetime


@dataclass(frozen=True)
class SlaPolicy:
    """The service levels: acknowledge within business time, answer by the next day's close."""

    calendar: BusinessCalendar = field(default_factory=BusinessCalendar)
    acknowledge_within: timedelta = timedelta(hours=1)
    emergency_acknowledge_within: timedelta = timedelta(hours=1)
    emergency_answer_within: timedelta = timedelta(hours=48)

    def __post_init__(self) -> None:
        for name in ("acknowledge_within", "emergency_acknowledge_within"):
            if getattr(self, name) <= _ZERO:
                raise ValueError(f"{name} must be positive")
        if self.emergency_answer_within < self.emergency_acknowledge_within:
            raise ValueError("emergency_answer_within must not be shorter than acknowledging")

    def due(self, received_at: datetime, emergency: bool = False) -> DueTimes:
        """Due times of a comment received at ``received_at`` (aware), in the calendar zone.

        Called once per stored comment whenever the calendar changes, so the common path
        is a dict lookup and a few comparisons.
        """
        cal = self.calendar
        local = cal._local(received_at, "received_at")
        if emergency:
            # Elapsed hours, not business time: add in UTC so a DST change cannot stretch it.
            utc = received_at.astimezone(UTC)
            return DueTimes(
                local,
                (utc + self.emergency_acknowledge_within).astimezone(cal._tz),
                (utc + self.emergency_answer_within).astimezone(cal._tz),
            )
        d = local.date()
        info = cal._days.get(d) or cal._day(d)
        opens, closes, next_opens, next_closes, after_closes = info
        if opens is not None and closes is not None and local < closes:
            start = max(local, opens)
            answer_by = next_closes
        else:
            start = next_opens
            closes = next_closes
            answer_by = after_closes
        acknowledge_by = start + self.acknowledge_within
        if acknowledge_by > closes:
            acknowledge_by = cal.add_business_time(start, self.acknowledge_within)
        return DueTimes(start, acknowledge_by, answer_by)
