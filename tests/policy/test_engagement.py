"""Tests of engagement measures: what counts, rates, trends and the no-engagement rule."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.policy.engagement import (
    NO_ENGAGEMENT_DEFINITION,
    MetricTotals,
    engagement_actions,
    engagement_rate,
    has_engagement,
    no_engagement,
    trend,
)

AS_OF = date(2026, 6, 30)
YEAR_AGO = date(2025, 6, 30)


def test_engagement_actions_sum_responses_shares_and_comments() -> None:
    t = MetricTotals(responses_positive=4, responses_negative=2, shares=3, comments=1)
    assert engagement_actions(t) == 10


def test_followers_posts_and_reach_never_count() -> None:
    vanity = MetricTotals(followers=50_000, posts=300, reach=1_000_000)
    assert engagement_actions(vanity) == 0
    assert not has_engagement(vanity)
    assert engagement_rate(vanity) == 0.0


def test_time_on_page_alone_is_engagement() -> None:
    t = MetricTotals(time_on_page_seconds=45)
    assert engagement_actions(t) == 0
    assert has_engagement(t)


def test_negative_responses_are_engagement_too() -> None:
    assert has_engagement(MetricTotals(responses_negative=1))


def test_totals_add_field_by_field() -> None:
    a = MetricTotals(1, 2, 3, 4, 5, 6, 7, 8)
    b = MetricTotals(10, 20, 30, 40, 50, 60, 70, 80)
    assert a + b == MetricTotals(11, 22, 33, 44, 55, 66, 77, 88)
    assert sum([a, b], MetricTotals()) == a + b


def test_totals_refuse_negative_counts() -> None:
    with pytest.raises(ValueError, match="Shares cannot be negative"):
        MetricTotals(shares=-1)


def test_engagement_rate() -> None:
    assert engagement_rate(MetricTotals(shares=5, comments=5, reach=200)) == 0.05
    assert engagement_rate(MetricTotals(shares=5)) is None


@pytest.mark.parametrize(
    ("series", "expected"),
    [
        ([], "none"),
        ([0, 0, 0, 0], "none"),
        ([5], "flat"),
        ([10, 10, 10, 10, 10, 10], "flat"),
        ([100, 50, 110], "flat"),  # +10 % exactly: the band edge is flat
        ([100, 50, 90], "flat"),  # -10 % exactly
        ([100, 50, 111], "rising"),
        ([100, 50, 89], "falling"),
        ([10, 12, 20, 30, 40, 50], "rising"),  # first third mean 11, last third mean 45
        ([50, 40, 30, 20, 12, 10], "falling"),
        ([0, 0, 3], "rising"),  # growth from nothing
        ([0, 7, 0], "flat"),  # first and last thirds both empty of activity
        ([9, 0, 0], "falling"),
    ],
)
def test_trend_bands(series: list[int], expected: str) -> None:
    assert trend(series) == expected


def test_trend_refuses_negative_values() -> None:
    with pytest.raises(ValueError, match="zero or more"):
        trend([1, -1, 2])


def test_no_engagement_when_nothing_engaged_for_the_whole_window() -> None:
    vanity = MetricTotals(followers=900, posts=40, reach=12_000)
    assert no_engagement(vanity, YEAR_AGO, AS_OF)
    assert no_engagement(MetricTotals(), date(2020, 1, 1), AS_OF)


def test_no_snapshot_in_the_window_counts_as_no_engagement() -> None:
    assert no_engagement(None, YEAR_AGO, AS_OF)


def test_any_engagement_clears_the_account() -> None:
    assert not no_engagement(MetricTotals(comments=1), YEAR_AGO, AS_OF)
    assert not no_engagement(MetricTotals(time_on_page_seconds=1), YEAR_AGO, AS_OF)


def test_active_for_less_than_the_window_is_not_a_candidate() -> None:
    assert not no_engagement(None, date(2025, 7, 1), AS_OF)
    assert not no_engagement(MetricTotals(), date(2026, 6, 1), AS_OF)
    assert not no_engagement(None, None, AS_OF)


def test_window_length_is_a_setting() -> None:
    assert no_engagement(None, date(2025, 12, 30), AS_OF, window_months=6)
    assert not no_engagement(None, date(2025, 12, 31), AS_OF, window_months=6)


def test_definition_names_what_counts_and_who_decides() -> None:
    text = NO_ENGAGEMENT_DEFINITION
    for words in ("12 months", "time on page", "no metric snapshot", "Digital Channels"):
        assert words in text
    assert "\n" not in text
