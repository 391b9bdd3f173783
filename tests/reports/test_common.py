"""Period and scope resolution: what the person typed, or one clear sentence."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from desktop.enums import Platform
from desktop.errors import DomainError
from desktop.policy.periods import HalfYear
from desktop.reports.data.common import resolve_period, resolve_scope
from tests.factories import Cast

TODAY = date(2026, 11, 18)


def test_half_year_period() -> None:
    p = resolve_period("2026h1", None, None, required=True, as_of_day=TODAY)
    assert p is not None
    assert (p.start, p.end, p.label, p.half_year) == (
        date(2026, 1, 1),
        date(2026, 6, 30),
        "2026H1",
        HalfYear(2026, 1),
    )
    assert p.months()[0] == date(2026, 1, 1)
    assert len(p.months()) == 6


def test_date_range_period_and_one_that_is_a_half_year() -> None:
    p = resolve_period(None, date(2026, 3, 1), date(2026, 4, 15), required=True, as_of_day=TODAY)
    assert p is not None
    assert p.label == "2026-03-01 to 2026-04-15"
    assert p.half_year is None
    h = resolve_period(None, date(2026, 7, 1), date(2026, 12, 31), required=True, as_of_day=TODAY)
    assert h is not None
    assert h.half_year == HalfYear(2026, 2)


def test_bounds_stop_at_the_as_of_time_inclusive() -> None:
    p = resolve_period("2026H2", None, None, required=True, as_of_day=TODAY)
    assert p is not None
    as_of = datetime(2026, 11, 18, 15, tzinfo=UTC)
    lo, hi = p.bounds("America/Regina", as_of)
    assert lo == datetime(2026, 7, 1, 6, tzinfo=UTC)  # midnight in Regina
    assert as_of < hi < datetime(2026, 11, 18, 15, 0, 1, tzinfo=UTC)
    assert p.months(TODAY)[-1] == date(2026, 11, 1)


@pytest.mark.parametrize(
    ("period", "start", "end", "message"),
    [
        ("2026Q1", None, None, "Period must look like 2026H1 or 2026H2 (you gave '2026Q1')."),
        ("2026H1", date(2026, 1, 1), None, "either a half-year period or a from/to"),
        (None, date(2026, 1, 1), None, "The date range needs a to date too."),
        (None, None, date(2026, 1, 1), "The date range needs a from date too."),
        (None, date(2026, 5, 1), date(2026, 4, 1), "ends (2026-04-01) before it starts"),
        ("2027H1", None, None, "starts after the data's as-of date (2026-11-18)"),
        (None, None, None, "This report covers a period: give one, e.g. 2026H1"),
    ],
)
def test_bad_periods_say_what_to_fix(
    period: str | None, start: date | None, end: date | None, message: str
) -> None:
    with pytest.raises(DomainError) as err:
        resolve_period(period, start, end, required=True, as_of_day=TODAY)
    assert message in str(err.value)


def test_no_period_where_none_is_needed() -> None:
    assert resolve_period(None, None, None, required=False, as_of_day=TODAY) is None


def test_scope_by_handle_id_platform_and_ministry(cast: Cast) -> None:
    page = cast.account("SKHealth", Platform.FACEBOOK)
    with cast.db.read() as s:
        by_handle = resolve_scope(s, "@skhealth", None)
        by_id = resolve_scope(s, str(page.id), None)
        ministry = resolve_scope(s, None, "hea")
        everything = resolve_scope(s, None, None)
    assert by_handle.account is not None
    assert by_handle.account.id == page.id
    assert by_handle.label == "Facebook @SKHealth (Ministry of Health)"
    assert by_id.account == by_handle.account
    assert ministry.ministry is not None
    assert ministry.label == "Ministry of Health (HEA)"
    assert everything.kind == "all"


def test_a_handle_on_two_platforms_must_be_told_apart(cast: Cast) -> None:
    cast.account("SKHealth", Platform.FACEBOOK)
    x = cast.account("SKHealth", Platform.X)
    with cast.db.read() as s:
        with pytest.raises(DomainError, match="names 2 accounts; say which one: facebook:SKHealth"):
            resolve_scope(s, "SKHealth", None)
        scope = resolve_scope(s, "x:@SKHealth", None)
    assert scope.account is not None
    assert scope.account.id == x.id


@pytest.mark.parametrize(
    ("account", "ministry", "message"),
    [
        ("NoSuchPage", None, "There is no account 'NoSuchPage'; give its handle or its id."),
        (None, "XYZ", "There is no ministry with the code 'XYZ'; the codes are ENV, HEA."),
        ("SKHealth", "HEA", "Give either an account or a ministry, not both."),
        ("myspace:SKHealth", None, "'myspace' is not a platform; use one of facebook, x,"),
    ],
)
def test_unknown_scope_is_one_clear_sentence(
    cast: Cast, account: str | None, ministry: str | None, message: str
) -> None:
    cast.account("SKHealth", Platform.FACEBOOK)
    with cast.db.read() as s, pytest.raises(DomainError) as err:
        resolve_scope(s, account, ministry)
    assert message in str(err.value)
    assert "\n" not in str(err.value)
