"""The portfolio summary's numbers: statuses, trends, due dates, termination candidates."""

from __future__ import annotations

from datetime import date, datetime

from desktop.enums import AccountStatus
from desktop.reports.data.common import resolve_scope
from desktop.reports.data.portfolio_data import PortfolioData, portfolio_data
from tests.reports.conftest import World, half_year, on_time_share, reading


def _data(world: World, as_of: datetime, ministry: str | None = None) -> PortfolioData:
    with reading(world.cast.db) as (s, settings, _):
        scope = resolve_scope(s, None, ministry)
        return portfolio_data(s, scope, half_year(), as_of=as_of, settings=settings)


def test_every_account_with_status_trend_and_service(world: World, as_of: datetime) -> None:
    d = _data(world, as_of)
    by_label = {a.label: a for a in d.accounts}
    assert list(by_label) == [
        "Facebook @SKEnvironment",
        "Facebook @SKHealth",
        "X (Twitter) @SaskHealthX",
    ]
    page = by_label["Facebook @SKHealth"]
    assert page.status is AccountStatus.ACTIVE
    assert page.trend == "rising"
    assert page.engagement_total == sum(sum(m[:4]) for m in world.monthly.values())
    assert (page.service.ack_on_time, page.service.ack_measured) == on_time_share(
        world.comments, as_of, answer=False
    )
    assert by_label["Facebook @SKEnvironment"].trend == "none"
    assert d.status_counts == [(AccountStatus.ACTIVE, 3)]
    assert d.monthly_engagement[1] == (
        date(2026, 8, 1),
        sum(world.monthly[date(2026, 8, 1)][:4]) + 11,
    )


def test_termination_candidates_and_what_is_due(world: World, as_of: datetime) -> None:
    d = _data(world, as_of)
    # Active since mid-2024 without a single metric snapshot: nothing measured, nothing shown.
    assert [a.label for a in d.termination_candidates] == ["Facebook @SKEnvironment"]
    due = {a.label: (a.evaluation_due, a.evaluation_status(d.today)) for a in d.evaluations_due}
    assert due == {
        "Facebook @SKEnvironment": (date(2024, 12, 1), "overdue"),
        "X (Twitter) @SaskHealthX": (date(2025, 9, 1), "overdue"),
    }
    page = next(a for a in d.accounts if a.label == "Facebook @SKHealth")
    assert page.last_evaluated_on == date(2026, 11, 18)
    assert page.evaluation_due == date(2027, 5, 18)
    renewals = {a.label: (a.goals_status(d.today), a.goals_in_review) for a in d.goal_renewals_due}
    assert renewals["Facebook @SKHealth"] == ("none", True)  # goals in review, none final yet
    assert len(renewals) == 3


def test_a_ministry_sees_only_its_accounts(world: World, as_of: datetime) -> None:
    d = _data(world, as_of, "ENV")
    assert [a.label for a in d.accounts] == ["Facebook @SKEnvironment"]
    assert d.service.received == 0
