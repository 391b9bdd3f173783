"""Tests of the "3 strikes" rule: when a temporary ban or a permanent removal is proposed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from desktop.enums import BanKind, BanStatus, RemovalCategory
from desktop.policy.moderation import (
    BanRecord,
    StrikeRecord,
    ban_is_expired,
    proposal_after_strike,
    strikes_in_window,
)

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
C = RemovalCategory


def strike(days_ago: float, category: RemovalCategory = C.SPAM) -> StrikeRecord:
    return StrikeRecord(NOW - days_ago * DAY, category)


def ban(
    status: BanStatus,
    starts_days_ago: float,
    kind: BanKind = BanKind.TEMPORARY,
    length_days: float | None = 30,
) -> BanRecord:
    starts = NOW - starts_days_ago * DAY
    ends = None if length_days is None else starts + length_days * DAY
    return BanRecord(kind, status, starts, ends)


def test_two_strikes_propose_nothing() -> None:
    assert proposal_after_strike([strike(10), strike(0)], [], NOW) is None


def test_third_strike_within_window_proposes_temporary_ban() -> None:
    strikes = [strike(200, C.HARASSMENT), strike(20, C.THREATS), strike(0, C.SPAM)]
    proposal = proposal_after_strike(strikes, [], NOW)
    assert proposal is not None
    assert proposal.kind is BanKind.TEMPORARY
    assert proposal.starts_at == NOW
    assert proposal.ends_at == NOW + 30 * DAY
    assert proposal.reason == (
        "3 strikes within 365 days (harassment, spam, threats): temporary ban for 30 days."
    )


def test_categories_named_once_in_plain_words() -> None:
    strikes = [strike(3, C.GRAPHIC_VIOLENCE), strike(2, C.GRAPHIC_VIOLENCE), strike(1, C.SPAM)]
    proposal = proposal_after_strike(strikes, [], NOW)
    assert proposal is not None
    assert "(graphic violence, spam)" in proposal.reason


def test_three_strikes_spread_beyond_the_window_propose_nothing() -> None:
    strikes = [strike(400), strike(200), strike(0)]
    assert strikes_in_window(strikes, NOW, 365 * DAY) == 2
    assert proposal_after_strike(strikes, [], NOW) is None


def test_window_includes_both_ends_and_ignores_future_strikes() -> None:
    strikes = [strike(365), strike(0), strike(-1)]
    assert strikes_in_window(strikes, NOW, 365 * DAY) == 2
    assert strikes_in_window([strike(365.001)], NOW, 365 * DAY) == 0


def test_settings_change_threshold_window_and_duration() -> None:
    strikes = [strike(50), strike(0)]
    proposal = proposal_after_strike(
        strikes, [], NOW, threshold=2, window=90 * DAY, ban_duration=7 * DAY
    )
    assert proposal is not None
    assert proposal.ends_at == NOW + 7 * DAY
    assert proposal.reason.startswith("2 strikes within 90 days")
    assert proposal.reason.endswith("temporary ban for 7 days.")
    assert proposal_after_strike(strikes, [], NOW, threshold=2, window=30 * DAY) is None


def test_reason_uses_singular_for_one() -> None:
    proposal = proposal_after_strike([strike(0)], [], NOW, threshold=1, ban_duration=DAY)
    assert proposal is not None
    assert proposal.reason == "1 strike within 365 days (spam): temporary ban for 1 day."


def test_threshold_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        proposal_after_strike([strike(0)], [], NOW, threshold=0)


@pytest.mark.parametrize(
    "current",
    [
        ban(BanStatus.ACTIVE, 5),
        ban(BanStatus.ACTIVE, 500, BanKind.PERMANENT, None),
        ban(BanStatus.PROPOSED, 1),
    ],
    ids=["active-temporary", "active-permanent", "proposed"],
)
def test_nothing_while_a_ban_is_active_or_proposed(current: BanRecord) -> None:
    strikes = [strike(3), strike(2), strike(1), strike(0)]
    assert proposal_after_strike(strikes, [current], NOW) is None


@pytest.mark.parametrize("status", [BanStatus.EXPIRED, BanStatus.LIFTED, BanStatus.ACTIVE])
def test_banned_before_and_three_new_strikes_propose_permanent_removal(
    status: BanStatus,
) -> None:
    # The ACTIVE case is a temporary ban whose end has passed but is not marked expired yet.
    earlier = ban(status, 100)
    strikes = [strike(110), strike(105), strike(100), strike(30), strike(10), strike(0)]
    proposal = proposal_after_strike(strikes, [earlier], NOW)
    assert proposal is not None
    assert proposal.kind is BanKind.PERMANENT
    assert proposal.starts_at == NOW
    assert proposal.ends_at is None
    assert proposal.reason == (
        "3 strikes within 365 days since an earlier ban (spam): permanent removal."
    )


def test_strikes_that_led_to_a_ban_do_not_count_again() -> None:
    earlier = ban(BanStatus.EXPIRED, 100)
    # Three strikes before and at the ban's start are spent; two since do not reach three.
    strikes = [strike(110), strike(105), strike(100), strike(10), strike(0)]
    assert strikes_in_window(strikes, NOW, 365 * DAY) == 5
    assert proposal_after_strike(strikes, [earlier], NOW) is None


def test_latest_ban_start_is_the_cut() -> None:
    bans = [ban(BanStatus.EXPIRED, 300), ban(BanStatus.LIFTED, 60)]
    strikes = [strike(200), strike(100), strike(70), strike(5), strike(0)]
    assert proposal_after_strike(strikes, bans, NOW) is None
    proposal = proposal_after_strike([*strikes, strike(0.5)], bans, NOW)
    assert proposal is not None
    assert proposal.kind is BanKind.PERMANENT


def test_declined_proposal_is_asked_again_only_after_a_new_strike() -> None:
    strikes = [strike(20), strike(10), strike(5)]
    declined = ban(BanStatus.DECLINED, 5)
    assert proposal_after_strike(strikes, [declined], NOW) is None
    proposal = proposal_after_strike([*strikes, strike(0)], [declined], NOW)
    assert proposal is not None
    # A declined proposal is not a ban: the next one is still temporary, strikes still count.
    assert proposal.kind is BanKind.TEMPORARY
    assert proposal.reason.startswith("4 strikes")


def test_ban_is_expired_only_for_active_temporary_bans_past_their_end() -> None:
    assert ban_is_expired(ban(BanStatus.ACTIVE, 30), NOW)
    assert ban_is_expired(ban(BanStatus.ACTIVE, 40), NOW)
    assert not ban_is_expired(ban(BanStatus.ACTIVE, 29), NOW)
    assert not ban_is_expired(ban(BanStatus.EXPIRED, 40), NOW)
    assert not ban_is_expired(ban(BanStatus.ACTIVE, 400, BanKind.PERMANENT, None), NOW)
    assert not ban_is_expired(ban(BanStatus.ACTIVE, 40, length_days=None), NOW)
