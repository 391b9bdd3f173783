"""Tests of the service-level clock (DESIGN §4): table cases for every edge, then properties."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from desktop.policy.sla import BusinessCalendar, DueTimes, SlaPolicy

REGINA = ZoneInfo("America/Regina")
TORONTO = ZoneInfo("America/Toronto")
SHANGHAI = ZoneInfo("Asia/Shanghai")
HOUR = timedelta(hours=1)

CAL = BusinessCalendar(timezone="America/Regina", closures={date(2026, 12, 28)})
POLICY = SlaPolicy(calendar=CAL)


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    """A Regina wall time."""
    return datetime(y, mo, d, h, mi, s, tzinfo=REGINA)


# received (Regina) -> clock start, acknowledge by, answer by
# fmt: off
DUE_CASES = [
    pytest.param(
        at(2026, 3, 2, 10), at(2026, 3, 2, 10), at(2026, 3, 2, 11), at(2026, 3, 3, 17),
        id="mon-10:00-answer-tue-17:00",
    ),
    pytest.param(
        at(2026, 3, 2, 17), at(2026, 3, 3, 9), at(2026, 3, 3, 10), at(2026, 3, 4, 17),
        id="exactly-17:00-is-closed",
    ),
    pytest.param(
        at(2026, 3, 2, 16, 59, 59), at(2026, 3, 2, 16, 59, 59), at(2026, 3, 3, 9, 59, 59),
        at(2026, 3, 3, 17),
        id="16:59:59-is-open",
    ),
    pytest.param(
        at(2026, 3, 2, 8, 15), at(2026, 3, 2, 9), at(2026, 3, 2, 10), at(2026, 3, 3, 17),
        id="before-09:00",
    ),
    pytest.param(
        at(2026, 3, 2, 0), at(2026, 3, 2, 9), at(2026, 3, 2, 10), at(2026, 3, 3, 17),
        id="midnight",
    ),
    pytest.param(
        at(2026, 3, 2, 9), at(2026, 3, 2, 9), at(2026, 3, 2, 10), at(2026, 3, 3, 17),
        id="exactly-09:00",
    ),
    pytest.param(
        at(2026, 3, 2, 16, 30), at(2026, 3, 2, 16, 30), at(2026, 3, 3, 9, 30),
        at(2026, 3, 3, 17),
        id="16:30-acknowledge-next-morning",
    ),
    pytest.param(
        at(2026, 3, 2, 16), at(2026, 3, 2, 16), at(2026, 3, 2, 17), at(2026, 3, 3, 17),
        id="16:00-acknowledge-at-closing",
    ),
    pytest.param(
        at(2026, 3, 6, 16, 30), at(2026, 3, 6, 16, 30), at(2026, 3, 9, 9, 30),
        at(2026, 3, 9, 17),
        id="fri-16:30-over-weekend",
    ),
    pytest.param(
        at(2026, 3, 6, 18), at(2026, 3, 9, 9), at(2026, 3, 9, 10), at(2026, 3, 10, 17),
        id="fri-evening",
    ),
    pytest.param(
        at(2026, 3, 7, 11), at(2026, 3, 9, 9), at(2026, 3, 9, 10), at(2026, 3, 10, 17),
        id="saturday",
    ),
    pytest.param(
        at(2026, 3, 8, 23, 59), at(2026, 3, 9, 9), at(2026, 3, 9, 10), at(2026, 3, 10, 17),
        id="sunday-late",
    ),
    pytest.param(
        at(2026, 4, 2, 10), at(2026, 4, 2, 10), at(2026, 4, 2, 11), at(2026, 4, 6, 17),
        id="day-before-good-friday",
    ),
    pytest.param(
        at(2026, 4, 2, 16, 30), at(2026, 4, 2, 16, 30), at(2026, 4, 6, 9, 30),
        at(2026, 4, 6, 17),
        id="thu-16:30-before-good-friday",
    ),
    pytest.param(
        at(2026, 4, 3, 10), at(2026, 4, 6, 9), at(2026, 4, 6, 10), at(2026, 4, 7, 17),
        id="good-friday-2026",
    ),
    pytest.param(
        at(2026, 4, 6, 10), at(2026, 4, 6, 10), at(2026, 4, 6, 11), at(2026, 4, 7, 17),
        id="easter-monday-is-open-in-sk",
    ),
    pytest.param(
        at(2026, 2, 13, 16, 30), at(2026, 2, 13, 16, 30), at(2026, 2, 17, 9, 30),
        at(2026, 2, 17, 17),
        id="fri-before-family-day",
    ),
    pytest.param(
        at(2026, 2, 16, 10), at(2026, 2, 17, 9), at(2026, 2, 17, 10), at(2026, 2, 18, 17),
        id="family-day",
    ),
    pytest.param(
        at(2026, 5, 15, 16, 30), at(2026, 5, 15, 16, 30), at(2026, 5, 19, 9, 30),
        at(2026, 5, 19, 17),
        id="victoria-day-long-weekend",
    ),
    pytest.param(
        at(2026, 5, 18, 12), at(2026, 5, 19, 9), at(2026, 5, 19, 10), at(2026, 5, 20, 17),
        id="victoria-day",
    ),
    pytest.param(
        at(2026, 7, 31, 16, 30), at(2026, 7, 31, 16, 30), at(2026, 8, 4, 9, 30),
        at(2026, 8, 4, 17),
        id="fri-before-saskatchewan-day",
    ),
    pytest.param(
        at(2026, 8, 3, 10), at(2026, 8, 4, 9), at(2026, 8, 4, 10), at(2026, 8, 5, 17),
        id="saskatchewan-day",
    ),
    pytest.param(
        at(2025, 12, 26, 10), at(2025, 12, 26, 10), at(2025, 12, 26, 11), at(2025, 12, 29, 17),
        id="boxing-day-2025-is-open-in-sk",
    ),
    pytest.param(
        at(2026, 12, 24, 16, 30), at(2026, 12, 24, 16, 30), at(2026, 12, 29, 9, 30),
        at(2026, 12, 29, 17),
        id="christmas-eve-then-christmas-weekend-and-closure",
    ),
    pytest.param(
        at(2026, 12, 25, 10), at(2026, 12, 29, 9), at(2026, 12, 29, 10), at(2026, 12, 30, 17),
        id="christmas-2026",
    ),
    pytest.param(
        at(2026, 12, 28, 10), at(2026, 12, 29, 9), at(2026, 12, 29, 10), at(2026, 12, 30, 17),
        id="closure-day",
    ),
    pytest.param(
        at(2025, 12, 31, 10), at(2025, 12, 31, 10), at(2025, 12, 31, 11), at(2026, 1, 2, 17),
        id="year-end-dec-31-answer-jan-2",
    ),
    pytest.param(
        at(2025, 12, 31, 16, 30), at(2025, 12, 31, 16, 30), at(2026, 1, 2, 9, 30),
        at(2026, 1, 2, 17),
        id="year-end-16:30",
    ),
    pytest.param(
        at(2026, 12, 31, 10), at(2026, 12, 31, 10), at(2026, 12, 31, 11), at(2027, 1, 4, 17),
        id="year-end-2026-over-new-year-weekend",
    ),
    pytest.param(
        at(2027, 12, 24, 10), at(2027, 12, 24, 10), at(2027, 12, 24, 11), at(2027, 12, 28, 17),
        id="christmas-2027-saturday-observed-monday",
    ),
    pytest.param(
        at(2028, 6, 30, 16, 30), at(2028, 6, 30, 16, 30), at(2028, 7, 4, 9, 30),
        at(2028, 7, 4, 17),
        id="canada-day-2028-saturday-observed-monday",
    ),
    pytest.param(
        at(2028, 7, 3, 10), at(2028, 7, 4, 9), at(2028, 7, 4, 10), at(2028, 7, 5, 17),
        id="canada-day-2028-observed-day",
    ),
]
# fmt: on


@pytest.mark.parametrize(("received", "start", "acknowledge", "answer"), DUE_CASES)
def test_due_times(
    received: datetime, start: datetime, acknowledge: datetime, answer: datetime
) -> None:
    due = POLICY.due(received)
    assert due == DueTimes(start, acknowledge, answer)
    for value in (due.clock_start, due.acknowledge_by, due.answer_by):
        assert value.tzinfo is not None
        assert value.utcoffset() == timedelta(hours=-6)


# What the holidays package (SK, PUBLIC category, observed days on) actually lists.
HOLIDAY_CASES = [
    pytest.param(date(2026, 1, 1), True, id="new-year"),
    pytest.param(date(2026, 2, 16), True, id="family-day-third-monday-feb"),
    pytest.param(date(2026, 4, 3), True, id="good-friday"),
    pytest.param(date(2026, 4, 6), False, id="easter-monday-not-public-in-sk"),
    pytest.param(date(2026, 5, 18), True, id="victoria-day"),
    pytest.param(date(2026, 8, 3), True, id="saskatchewan-day-first-monday-aug"),
    pytest.param(date(2026, 11, 11), True, id="remembrance-day"),
    pytest.param(date(2026, 12, 25), True, id="christmas"),
    pytest.param(date(2025, 12, 26), False, id="boxing-day-not-public-in-sk"),
    pytest.param(date(2026, 12, 28), False, id="boxing-day-observed-not-public"),
    pytest.param(date(2028, 7, 1), True, id="canada-day-2028-saturday"),
    pytest.param(date(2028, 7, 3), True, id="canada-day-2028-observed-monday"),
    pytest.param(date(2027, 12, 27), True, id="christmas-2027-observed-monday"),
    pytest.param(date(2028, 1, 3), True, id="new-year-2028-observed-monday"),
]


@pytest.mark.parametrize(("day", "listed"), HOLIDAY_CASES)
def test_sk_public_holidays(day: date, listed: bool) -> None:
    listed_days = dict(CAL.holidays_in_year(day.year))
    assert (day in listed_days) is listed
    if listed:
        assert not CAL.is_business_day(day)


def test_holidays_in_year_sorted_with_names() -> None:
    found = CAL.holidays_in_year(2028)
    assert found == sorted(found)
    names = dict(found)
    assert names[date(2028, 7, 1)] == "Canada Day"
    assert names[date(2028, 7, 3)] == "Canada Day (observed)"
    assert names[date(2028, 8, 7)] == "Saskatchewan Day"
    assert names[date(2028, 9, 4)] == "Labour Day"
    assert len(found) == 13


def test_closures_and_weekends_are_not_business_days() -> None:
    assert not CAL.is_business_day(date(2026, 12, 28))
    assert BusinessCalendar().is_business_day(date(2026, 12, 28))
    assert not CAL.is_business_day(date(2026, 3, 7))
    assert not CAL.is_business_day(date(2026, 3, 8))
    assert CAL.is_business_day(date(2026, 3, 9))


def test_emergency_is_wall_clock() -> None:
    received = at(2026, 3, 7, 22, 15)
    due = POLICY.due(received, emergency=True)
    assert due.clock_start == received
    assert due.acknowledge_by == at(2026, 3, 7, 23, 15)
    assert due.answer_by == at(2026, 3, 9, 22, 15)


def test_emergency_counts_elapsed_hours_across_dst() -> None:
    policy = SlaPolicy(calendar=BusinessCalendar(timezone="America/Toronto"))
    received = datetime(2026, 3, 7, 12, tzinfo=TORONTO)  # DST starts 2026-03-08 02:00
    due = policy.due(received, emergency=True)
    # Same-zone subtraction in Python is wall-clock, so compare the instants in UTC.
    assert due.answer_by.astimezone(UTC) - received.astimezone(UTC) == timedelta(hours=48)
    assert due.answer_by.astimezone(TORONTO).hour == 13


ZONE_CASES = [
    pytest.param(at(2026, 3, 6, 16, 30), id="fri-16:30"),
    pytest.param(at(2026, 3, 2, 20), id="mon-evening-is-tue-in-utc"),
    pytest.param(at(2026, 7, 15, 8, 59), id="summer-dst-elsewhere"),
    pytest.param(at(2026, 12, 31, 23, 30), id="new-year-already-in-shanghai"),
]


@pytest.mark.parametrize("received", ZONE_CASES)
@pytest.mark.parametrize("zone", [UTC, TORONTO, SHANGHAI], ids=["utc", "toronto", "shanghai"])
def test_input_zone_does_not_matter(received: datetime, zone: ZoneInfo) -> None:
    expected = POLICY.due(received)
    got = POLICY.due(received.astimezone(zone))
    assert got == expected
    assert got.clock_start.tzinfo == REGINA
    assert CAL.is_business_time(received.astimezone(zone)) is CAL.is_business_time(received)


def test_utc_instant_maps_to_regina_local_time() -> None:
    # 22:30 UTC on Friday is 16:30 in Regina: still open, acknowledged Monday 09:30.
    due = POLICY.due(datetime(2026, 3, 6, 22, 30, tzinfo=UTC))
    assert due.clock_start == at(2026, 3, 6, 16, 30)
    assert due.acknowledge_by == at(2026, 3, 9, 9, 30)


NAIVE = datetime(2026, 3, 2, 10)


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: POLICY.due(NAIVE), id="due"),
        pytest.param(lambda: POLICY.due(NAIVE, emergency=True), id="due-emergency"),
        pytest.param(lambda: CAL.is_business_time(NAIVE), id="is_business_time"),
        pytest.param(lambda: CAL.next_business_start(NAIVE), id="next_business_start"),
        pytest.param(lambda: CAL.add_business_time(NAIVE, HOUR), id="add_business_time"),
        pytest.param(lambda: CAL.business_time_between(NAIVE, at(2026, 3, 3)), id="between-start"),
        pytest.param(lambda: CAL.business_time_between(at(2026, 3, 1), NAIVE), id="between-end"),
    ],
)
def test_naive_input_is_rejected(call: object) -> None:
    assert callable(call)
    with pytest.raises(ValueError, match="timezone-aware"):
        call()


def test_calendar_validation() -> None:
    with pytest.raises(ValueError, match="before closing"):
        BusinessCalendar(opening=time(17), closing=time(9))
    with pytest.raises(ValueError, match="before closing"):
        BusinessCalendar(opening=time(9), closing=time(9))
    with pytest.raises(ValueError, match="Mars/Olympus"):
        BusinessCalendar(timezone="Mars/Olympus")
    with pytest.raises(TypeError):
        BusinessCalendar(closures=[datetime(2026, 12, 28, tzinfo=REGINA)])
    with pytest.raises(ValueError, match="negative"):
        CAL.add_business_time(at(2026, 3, 2, 10), -HOUR)


def test_calendar_is_immutable_value() -> None:
    a = BusinessCalendar(closures=[date(2026, 12, 28)])
    b = BusinessCalendar(timezone="America/Regina", closures={date(2026, 12, 28)})
    assert a == b
    assert hash(a) == hash(b)
    assert a.closures == frozenset({date(2026, 12, 28)})
    assert isinstance(a.closures, frozenset)
    assert (a.opening, a.closing, a.timezone) == (time(9), time(17), "America/Regina")
    with pytest.raises(AttributeError):
        a.closures = frozenset()  # type: ignore[misc]
    assert a != BusinessCalendar()


def test_custom_hours() -> None:
    cal = BusinessCalendar(opening=time(8, 30), closing=time(16, 30))
    assert cal.is_business_time(at(2026, 3, 2, 8, 30))
    assert not cal.is_business_time(at(2026, 3, 2, 16, 30))
    due = SlaPolicy(calendar=cal).due(at(2026, 3, 2, 16))
    assert due.acknowledge_by == at(2026, 3, 3, 9)
    assert due.answer_by == at(2026, 3, 3, 16, 30)


def test_next_business_start() -> None:
    assert CAL.next_business_start(at(2026, 3, 2, 12)) == at(2026, 3, 2, 12)
    assert CAL.next_business_start(at(2026, 3, 2, 17)) == at(2026, 3, 3, 9)
    assert CAL.next_business_start(at(2026, 4, 2, 17)) == at(2026, 4, 6, 9)
    got = CAL.next_business_start(datetime(2026, 3, 2, 18, tzinfo=UTC))
    assert got == at(2026, 3, 2, 12)
    assert got.tzinfo == REGINA


def test_add_business_time() -> None:
    assert CAL.add_business_time(at(2026, 3, 2, 16), HOUR) == at(2026, 3, 2, 17)
    assert CAL.add_business_time(at(2026, 3, 6, 17), 8 * HOUR) == at(2026, 3, 9, 17)
    assert CAL.add_business_time(at(2026, 3, 7, 12), HOUR) == at(2026, 3, 9, 10)
    assert CAL.add_business_time(at(2026, 3, 7, 12), timedelta(0)) == at(2026, 3, 7, 12)
    # Ten business days from Thursday morning skip Good Friday and end at a closing time.
    assert CAL.add_business_time(at(2026, 4, 2, 9), 80 * HOUR) == at(2026, 4, 16, 17)


def test_business_time_over_a_year() -> None:
    # 2026: 261 weekdays, all ten SK public holidays fall on weekdays, plus the closure.
    total = CAL.business_time_between(at(2026, 1, 1), at(2027, 1, 1))
    assert total == (261 - 10 - 1) * 8 * HOUR
    assert CAL.business_time_between(at(2027, 1, 1), at(2026, 1, 1)) == timedelta(0)


# --- properties -----------------------------------------------------------------------------

ZONES = st.sampled_from([UTC, REGINA])
MOMENTS = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=ZONES
)
DAYS = st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31))
FAST = settings(max_examples=150, deadline=None)


def _oracle_is_business_time(t: datetime) -> bool:
    local = t.astimezone(REGINA)
    holidays = {d for d, _ in CAL.holidays_in_year(local.year)} | CAL.closures
    return (
        local.weekday() < 5 and local.date() not in holidays and time(9) <= local.time() < time(17)
    )


@FAST
@given(MOMENTS)
def test_is_business_time_matches_oracle(t: datetime) -> None:
    assert CAL.is_business_time(t) is _oracle_is_business_time(t)


@FAST
@given(MOMENTS, MOMENTS, MOMENTS)
def test_business_time_is_additive(x: datetime, y: datetime, z: datetime) -> None:
    a, b, c = sorted((x, y, z))
    between = CAL.business_time_between
    assert between(a, b) + between(b, c) == between(a, c)


@FAST
@given(MOMENTS)
def test_at_most_eight_hours_in_any_24_hours(t: datetime) -> None:
    assert timedelta(0) <= CAL.business_time_between(t, t + timedelta(days=1)) <= 8 * HOUR


@FAST
@given(DAYS)
def test_calendar_day_has_zero_or_eight_hours(d: date) -> None:
    start = datetime.combine(d, time(0), REGINA)
    total = CAL.business_time_between(start, start + timedelta(days=1))
    assert total == (8 * HOUR if CAL.is_business_day(d) else timedelta(0))


@FAST
@given(DAYS, st.integers(min_value=0, max_value=86_399))
def test_weekends_and_holidays_have_no_business_time(d: date, second: int) -> None:
    holidays = {h for h, _ in CAL.holidays_in_year(d.year)}
    assume(d.weekday() >= 5 or d in holidays or d in CAL.closures)
    assert not CAL.is_business_day(d)
    start = datetime.combine(d, time(0), REGINA)
    assert CAL.business_time_between(start, start + timedelta(days=1)) == timedelta(0)
    assert not CAL.is_business_time(start + timedelta(seconds=second))


@FAST
@given(MOMENTS, st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30)))
def test_add_and_between_are_inverse(start: datetime, delta: timedelta) -> None:
    end = CAL.add_business_time(start, delta)
    assert end >= start
    assert CAL.business_time_between(start, end) == delta


@FAST
@given(MOMENTS)
def test_next_business_start_is_business_time(t: datetime) -> None:
    start = CAL.next_business_start(t)
    assert start >= t
    assert CAL.is_business_time(start)
    assert CAL.business_time_between(t, start) == timedelta(0)
    assert CAL.next_business_start(start) == start


@FAST
@given(MOMENTS)
def test_due_ordering(received: datetime) -> None:
    due = POLICY.due(received)
    assert received <= due.clock_start <= due.acknowledge_by < due.answer_by
    assert CAL.is_business_time(due.clock_start)
    assert CAL.business_time_between(due.clock_start, due.acknowledge_by) == HOUR
    answer = due.answer_by.astimezone(REGINA)
    assert answer.time() == time(17)
    assert CAL.is_business_day(answer.date())
    start_day = due.clock_start.astimezone(REGINA).date()
    assert answer.date() > start_day
    # The answer day is the first business day after the clock starts.
    gap = (answer.date() - start_day).days
    assert not any(CAL.is_business_day(start_day + timedelta(days=i)) for i in range(1, gap))


@FAST
@given(MOMENTS, st.sampled_from([UTC, REGINA, TORONTO, SHANGHAI]))
def test_due_is_same_in_any_zone(received: datetime, zone: ZoneInfo) -> None:
    assert POLICY.due(received.astimezone(zone)) == POLICY.due(received)


@FAST
@given(MOMENTS)
def test_emergency_due(received: datetime) -> None:
    due = POLICY.due(received, emergency=True)
    assert due.clock_start == received
    assert due.acknowledge_by - received == HOUR
    assert due.answer_by - received == timedelta(hours=48)
