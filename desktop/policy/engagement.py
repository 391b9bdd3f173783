"""Engagement as the policy counts it: responses, shares, comments, time on page, not followers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import Literal

from desktop.policy.periods import add_months

Trend = Literal["rising", "falling", "flat", "none"]

# Relative change of the last third against the first third that still counts as "flat".
TREND_BAND = 0.10

NO_ENGAGEMENT_DEFINITION = (
    "An account shows no engagement when it is active, has been active for at least the whole "
    "trailing window (default 12 months), and its metric snapshots over that window add up to "
    "zero engagement actions (positive or negative responses, reactions and likes, shares or "
    "retweets, comments) and zero time on page and video watch time. Followers, reach, views "
    "and the number of posts do not count: the policy asks "
    "to move beyond them. An account with no metric snapshot at all in the window counts as "
    "showing no engagement too, since nothing measured is nothing shown. Such an account is a "
    "termination candidate, at the discretion of the Director, Digital Channels and Insights "
    "and the communications branch, with Executive Council deciding on disagreement."
)


@dataclass(frozen=True)
class MetricTotals:
    """Counts for one account over some period; add two to combine periods."""

    responses_positive: int = 0
    responses_negative: int = 0
    shares: int = 0  # shares, retweets and reposts
    comments: int = 0
    time_on_page_seconds: int = 0
    reach: int = 0
    followers: int = 0
    posts: int = 0
    # From the platforms' export files.
    reactions: int = 0  # reactions and likes
    views: int = 0  # impressions and views: seen, not engaged with
    watch_time_seconds: int = 0

    def __post_init__(self) -> None:
        for f in fields(self):
            if getattr(self, f.name) < 0:
                raise ValueError(f"{f.name.replace('_', ' ').capitalize()} cannot be negative.")

    def __add__(self, other: object) -> MetricTotals:
        if not isinstance(other, MetricTotals):
            return NotImplemented
        return MetricTotals(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )


def engagement_actions(t: MetricTotals) -> int:
    """Responses, reactions, shares and comments; followers, posts, reach and views are
    deliberately left out."""
    return t.responses_positive + t.responses_negative + t.reactions + t.shares + t.comments


def has_engagement(t: MetricTotals) -> bool:
    return engagement_actions(t) > 0 or t.time_on_page_seconds > 0 or t.watch_time_seconds > 0


def engagement_rate(t: MetricTotals) -> float | None:
    """Engagement actions per person reached; None when reach is unknown (zero)."""
    return engagement_actions(t) / t.reach if t.reach else None


def trend(series: Sequence[int]) -> Trend:
    """Direction of a series of non-negative counts, oldest first.

    Compares the mean of the last third with the mean of the first third (at least one value
    each; with one or two values the thirds are the first and last value). A change within
    +/-10 % of the first mean, band edges included, is "flat"; growth from a zero start is
    "rising". An empty or all-zero series is "none": there is nothing to show a trend of.
    """
    if any(v < 0 for v in series):
        raise ValueError("A trend needs counts that are zero or more.")
    if not any(series):
        return "none"
    k = max(1, len(series) // 3)
    first = sum(series[:k]) / k
    last = sum(series[-k:]) / k
    if first == 0:
        # Any growth from nothing is unbounded in relative terms.
        return "rising" if last > 0 else "flat"
    change = (last - first) / first
    if change > TREND_BAND:
        return "rising"
    if change < -TREND_BAND:
        return "falling"
    return "flat"


def no_engagement(
    totals_in_window: MetricTotals | None,
    active_since: date | None,
    as_of: date,
    window_months: int = 12,
) -> bool:
    """True for an account active the whole window with nothing engaged in it (see above).

    The caller passes only active accounts; ``totals_in_window`` is the sum of the snapshots
    in the window, or None when there is none. Without an activation date nothing is claimed.
    """
    if active_since is None or active_since > add_months(as_of, -window_months):
        return False
    return totals_in_window is None or not has_engagement(totals_in_window)
