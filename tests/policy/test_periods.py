"""Tests of half-year periods and of month arithmetic for evaluation and goal due dates."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.policy.periods import (
    HalfYear,
    add_months,
    goals_expire_on,
    next_evaluation_due,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026H1", HalfYear(2026, 1)),
        ("2026H2", HalfYear(2026, 2)),
        ("2026h2", HalfYear(2026, 2)),
        (" 1999H1 ", HalfYear(1999, 1)),
    ],
)
def test_parse(text: str, expected: HalfYear) -> None:
    assert HalfYear.parse(text) == expected


@pytest.mark.parametrize("text", ["", "2026", "2026H3", "2026H0", "26H1", "2026-H1", "H1 2026"])
def test_parse_refuses_bad_text(text: str) -> None:
    with pytest.raises(ValueError, match=r"^Period must look like 2026H1 or 2026H2\.$"):
        HalfYear.parse(text)


def test_constructor_refuses_a_third_half() -> None:
    with pytest.raises(ValueError, match="Period must look like"):
        HalfYear(2026, 3)


def test_label_and_str() -> None:
    assert HalfYear(2026, 1).label == "2026H1"
    assert str(HalfYear(2026, 2)) == "2026H2"
    assert HalfYear.parse(str(HalfYear(2031, 2))) == HalfYear(2031, 2)


def test_boundaries() -> None:
    h1, h2 = HalfYear(2026, 1), HalfYear(2026, 2)
    assert (h1.start, h1.end) == (date(2026, 1, 1), date(2026, 6, 30))
    assert (h2.start, h2.end) == (date(2026, 7, 1), date(2026, 12, 31))


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2026, 1, 1), "2026H1"),
        (date(2026, 6, 30), "2026H1"),
        (date(2026, 7, 1), "2026H2"),
        (date(2026, 12, 31), "2026H2"),
    ],
)
def test_containing(d: date, expected: str) -> None:
    assert HalfYear.containing(d).label == expected


def test_next_previous_and_order() -> None:
    assert HalfYear(2026, 1).next() == HalfYear(2026, 2)
    assert HalfYear(2026, 2).next() == HalfYear(2027, 1)
    assert HalfYear(2027, 1).previous() == HalfYear(2026, 2)
    assert HalfYear(2026, 2).previous() == HalfYear(2026, 1)
    periods = [HalfYear(2027, 1), HalfYear(2026, 2), HalfYear(2026, 1)]
    assert sorted(periods) == periods[::-1]
    assert HalfYear(2026, 2).end < HalfYear(2026, 2).next().start


@pytest.mark.parametrize(
    ("d", "months", "expected"),
    [
        (date(2026, 1, 15), 6, date(2026, 7, 15)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # leap year
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 11, 30), 2, date(2027, 1, 30)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 5, 5), 0, date(2026, 5, 5)),
    ],
)
def test_add_months_clamps_to_month_end(d: date, months: int, expected: date) -> None:
    assert add_months(d, months) == expected


def test_next_evaluation_due() -> None:
    assert next_evaluation_due(date(2026, 1, 10), date(2024, 5, 1)) == date(2026, 7, 10)
    assert next_evaluation_due(None, date(2025, 8, 31)) == date(2026, 2, 28)
    assert next_evaluation_due(None, None) is None
    assert next_evaluation_due(date(2026, 1, 10), None, interval_months=3) == date(2026, 4, 10)


def test_goals_expire_on() -> None:
    assert goals_expire_on(date(2026, 3, 15)) == date(2027, 3, 15)
    assert goals_expire_on(date(2024, 2, 29)) == date(2025, 2, 28)
    assert goals_expire_on(date(2026, 3, 15), validity_months=6) == date(2026, 9, 15)
