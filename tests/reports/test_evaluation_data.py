"""The account evaluation's numbers, checked against the rows the world inserted."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from desktop.enums import BanKind, BanStatus, EvaluationStatus, PageRole, Recommendation
from desktop.enums import RemovalCategory as C
from desktop.reports.data.common import resolve_account
from desktop.reports.data.evaluation_data import EvaluationReportData, evaluation_data
from tests.reports.conftest import PERSONAL_TEXT, World, half_year, on_time_share, reading


def _data(world: World, as_of: datetime) -> EvaluationReportData:
    with reading(world.cast.db) as (s, settings, calendar):
        account = resolve_account(s, "SKHealth")
        return evaluation_data(
            s, account, half_year(), as_of=as_of, settings=settings, calendar=calendar
        )


def test_on_time_shares_match_the_inserted_comments(world: World, as_of: datetime) -> None:
    d = _data(world, as_of)
    ack = on_time_share(world.comments, as_of, answer=False)
    answer = on_time_share(world.comments, as_of, answer=True)
    assert (d.service.ack_on_time, d.service.ack_measured) == ack == (4, 6)
    assert (d.service.answer_on_time, d.service.answer_measured) == answer == (3, 6)
    assert d.service.ack_pct == pytest.approx(100 * 4 / 6)
    # Hidden comments need no reply; the one received just now is counted but not measured.
    assert d.service.received == 7
    assert (d.service.ack_overdue, d.service.answer_overdue, d.service.overdue) == (1, 1, 1)


def test_business_time_medians(world: World, as_of: datetime) -> None:
    t = _data(world, as_of).time_taken
    # Acknowledged after 30 min, 2 h, 45 min (Friday 16:30 to Monday 09:15) and 20 min.
    assert t.acknowledge.count == 4
    assert t.acknowledge.median == timedelta(minutes=37.5)
    assert dict(t.acknowledge.buckets)["30-60 min"] == 2
    # The flood comment is measured on the wall clock, apart.
    assert t.emergency_acknowledge.count == 1
    assert t.emergency_acknowledge.median == timedelta(minutes=30)
    assert t.emergency_answer.median == timedelta(hours=10)


def test_months_goals_and_trend(world: World, as_of: datetime) -> None:
    d = _data(world, as_of)
    assert [m.month for m in d.months] == [date(2026, m, 1) for m in range(7, 12)]
    assert [m.recorded for m in d.months] == [True, True, True, True, False]
    oct_ = world.monthly[date(2026, 10, 1)]
    assert d.months[3].engagement_actions == sum(oct_[:4])
    assert d.engagement_trend == "rising"  # the unrecorded November does not count as zero
    (goal,) = d.goals
    assert goal.actual == sum(m[2] for m in world.monthly.values())  # shares
    # Like with like: the 12-month target of 1,000 shares, pro-rated to the 123 days of July
    # to October (November has no metrics yet), against the shares of those same days.
    assert (goal.pace.first, goal.pace.last, goal.pace.days) == (
        date(2026, 7, 1),
        date(2026, 10, 31),
        123,
    )
    assert goal.pace.target == pytest.approx(1000 * 123 / 365)
    assert goal.percent_of_target == pytest.approx(100 * goal.actual / (1000 * 123 / 365))


def test_moderation_permissions_and_the_evaluation(world: World, as_of: datetime) -> None:
    d = _data(world, as_of)
    assert d.moderation.strikes == ((C.HARASSMENT, 2), (C.SPAM, 1))
    assert d.moderation.bans == ((BanKind.TEMPORARY, BanStatus.ACTIVE, 1),)
    granted = {(c.person_name, c.role) for c in d.role_changes if c.change == "granted"}
    assert ("Zoë Nguyễn", PageRole.EDITOR) in granted
    assert ("Agency Person", PageRole.ADVERTISER) in granted
    assert all(c.account_label == "Facebook @SKHealth" for c in d.role_changes)
    e = d.evaluation
    assert e is not None
    assert (e.status, e.recommendation) == (EvaluationStatus.COMPLETED, Recommendation.CONTINUE)
    assert e.completed_by == "Dci Person"


def test_overdue_comments_are_listed_unmasked_for_the_renderer(
    world: World, as_of: datetime
) -> None:
    d = _data(world, as_of)
    (item,) = d.overdue
    assert item.excerpt == PERSONAL_TEXT
    assert (item.what, item.author) == ("acknowledge", "Jane Doe @janedoe99")
    assert "skhealth" in d.official_handles


def test_an_earlier_as_of_time_sees_only_what_had_happened(world: World) -> None:
    as_of = datetime(2026, 9, 19, 4, 30, tzinfo=UTC)  # Friday 22:30 in Regina
    d = _data(world, as_of)
    ack = on_time_share(world.comments, as_of, answer=False)
    assert (d.service.ack_on_time, d.service.ack_measured) == ack
    assert d.moderation.strikes == ()
    assert d.evaluation is not None  # the record exists; the report says what it holds now
