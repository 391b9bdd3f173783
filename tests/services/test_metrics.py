from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event, select

from desktop.enums import Platform
from desktop.errors import DomainError, NotFound, PermissionDenied
from desktop.models import Account, AuditEvent, MetricSnapshot
from desktop.models.base import new_id
from desktop.policy.engagement import MetricTotals
from desktop.services.metrics import MetricsService
from desktop.storage.database import Database
from tests.factories import Cast

WRITERS = ["officer", "comms", "dci", "dso", "admin"]
NON_WRITERS = ["council", "minister", "agency", "auditor"]


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    """The SQL statements run on the database inside the block."""
    seen: list[str] = []

    def _count(*args: Any) -> None:
        seen.append(args[2])

    event.listen(db.engine, "before_cursor_execute", _count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", _count)


def _record(cast: Cast, who: str, account: Account, month: date, base: int = 1, **kw: int) -> Any:
    values = {
        "responses_positive": base,
        "responses_negative": base * 2,
        "shares": base * 3,
        "comments": base * 4,
        "time_on_page_seconds": base * 100,
    }
    values.update(kw)
    return MetricsService(cast.ctx(who)).record(account.id, month, **values)


def test_officer_records_a_month_from_any_day_with_audit(cast: Cast) -> None:
    account = cast.account()
    row = _record(cast, "officer", account, date(2026, 10, 17), reach=900, followers=50, posts=7)
    assert (row.period_start, row.period_end) == (date(2026, 10, 1), date(2026, 10, 31))
    assert (row.shares, row.reach, row.followers, row.posts) == (3, 900, 50, 7)
    assert row.recorded_by_id == cast.people["officer"].id
    with cast.db.read() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.entity_id == str(row.id))).all()
    assert [e.action for e in events] == ["metrics.record"]
    assert json.loads(events[0].after)["comments"] == 4


def test_recording_the_same_month_again_corrects_it(cast: Cast) -> None:
    account = cast.account()
    first = _record(cast, "officer", account, date(2026, 9, 1))
    second = _record(cast, "comms", account, date(2026, 9, 30), shares=40)
    assert second.id == first.id
    assert second.shares == 40
    assert second.recorded_by_id == cast.people["comms"].id
    with cast.db.read() as s:
        assert s.query(MetricSnapshot).count() == 1
        update = s.scalars(select(AuditEvent).where(AuditEvent.action == "metrics.update")).one()
    assert json.loads(update.before) == {"shares": 3, "recorded_by_id": str(first.recorded_by_id)}
    assert json.loads(update.after)["shares"] == 40


def test_current_month_is_accepted_and_future_month_refused(cast: Cast) -> None:
    account = cast.account()
    assert _record(cast, "officer", account, date(2026, 11, 30)).period_start == date(2026, 11, 1)
    with pytest.raises(DomainError, match="December 2026 has not started yet") as err:
        _record(cast, "officer", account, date(2026, 12, 1))
    assert err.value.field == "month"


LABELS = {
    "responses_positive": "Positive responses",
    "responses_negative": "Negative responses",
    "shares": "Shares and retweets",
    "comments": "Comments",
    "time_on_page_seconds": "Time on page",
    "reach": "Reach",
    "followers": "Followers",
    "posts": "Posts",
}


def test_negative_counts_are_refused_naming_the_field(cast: Cast) -> None:
    account = cast.account()
    for field, label in LABELS.items():
        with pytest.raises(
            DomainError, match=rf"{label}.* cannot be negative \(you gave -1\)"
        ) as err:
            _record(cast, "officer", account, date(2026, 10, 1), **{field: -1})
        assert err.value.field == field
    with cast.db.read() as s:
        assert s.query(MetricSnapshot).count() == 0


def test_counts_must_be_whole_numbers_that_fit(cast: Cast) -> None:
    account = cast.account()
    for value in [1.5, True, "12", None]:
        with pytest.raises(DomainError, match="Shares and retweets must be a whole number") as err:
            _record(cast, "officer", account, date(2026, 10, 1), shares=value)  # type: ignore[arg-type]
        assert err.value.field == "shares"
    with pytest.raises(DomainError, match="Reach is too large; the limit is 2,147,483,647"):
        _record(cast, "officer", account, date(2026, 10, 1), reach=2**31)
    with cast.db.read() as s:
        assert s.query(MetricSnapshot).count() == 0


@pytest.mark.parametrize("who", NON_WRITERS)
def test_roles_that_may_not_record_metrics(cast: Cast, who: str) -> None:
    account = cast.account()
    with pytest.raises(PermissionDenied, match="needs the role"):
        _record(cast, who, account, date(2026, 10, 1))


def test_officer_records_only_for_own_ministry(cast: Cast) -> None:
    health = cast.account()
    environment = cast.account("SKEnvironment", ministry_id=cast.environment.id)
    with pytest.raises(PermissionDenied, match="limited to your own ministry's accounts"):
        _record(cast, "officer2", health, date(2026, 10, 1))
    assert _record(cast, "officer2", environment, date(2026, 10, 1)).account_id == environment.id
    with cast.db.read() as s:
        assert s.query(MetricSnapshot).count() == 1


@pytest.mark.parametrize("who", WRITERS)
def test_roles_that_record_metrics(cast: Cast, who: str) -> None:
    account = cast.account()
    assert _record(cast, who, account, date(2026, 10, 1)).comments == 4


def test_directors_and_dso_are_not_limited_to_their_ministry(cast: Cast) -> None:
    environment = cast.account("SKEnvironment", ministry_id=cast.environment.id)
    for who in ["comms", "dci", "dso", "admin"]:
        assert _record(cast, who, environment, date(2026, 10, 1)).account_id == environment.id


def test_unknown_account_is_not_found(cast: Cast) -> None:
    with pytest.raises(NotFound, match="Account"):
        MetricsService(cast.ctx("officer")).record(new_id(), date(2026, 10, 1), 1, 1, 1, 1, 1)


def test_series_fills_unrecorded_months_with_zeros(cast: Cast) -> None:
    account = cast.account()
    other = cast.account("SKHealthX", Platform.X)
    _record(cast, "officer", account, date(2026, 8, 1), base=2)
    _record(cast, "officer", account, date(2026, 10, 1), base=5, reach=70)
    _record(cast, "officer", other, date(2026, 9, 1), base=9)
    rows = MetricsService(cast.ctx("auditor")).series(
        account.id, date(2026, 7, 15), date(2026, 11, 2)
    )
    assert [r.month for r in rows] == [date(2026, m, 1) for m in range(7, 12)]
    assert [r.recorded for r in rows] == [False, True, False, True, False]
    assert [r.shares for r in rows] == [0, 6, 0, 15, 0]
    assert rows[3].reach == 70
    assert rows[3].totals == MetricTotals(5, 10, 15, 20, 500, 70, 0, 0)


def test_series_and_totals_refuse_an_end_before_the_start(cast: Cast) -> None:
    account = cast.account()
    service = MetricsService(cast.ctx("officer"))
    with pytest.raises(DomainError, match="before the start"):
        service.series(account.id, date(2026, 6, 1), date(2026, 5, 31))
    with pytest.raises(DomainError, match="before the start"):
        service.totals(account.id, date(2026, 6, 1), date(2026, 5, 31))


def test_totals_sum_the_months_in_range_only(cast: Cast) -> None:
    account = cast.account()
    other = cast.account("SKHealthX", Platform.X)
    for month, base in [(6, 1), (8, 10), (10, 100), (11, 1000)]:
        _record(cast, "officer", account, date(2026, month, 1), base=base, followers=base)
    _record(cast, "officer", other, date(2026, 9, 1), base=7)
    service = MetricsService(cast.ctx("minister"))
    totals = service.totals(account.id, date(2026, 7, 20), date(2026, 10, 2))
    assert totals == MetricTotals(110, 220, 330, 440, 11000, 0, 110, 0)
    assert service.totals(account.id, date(2025, 1, 1), date(2025, 12, 31)) == MetricTotals()


def test_engagement_overview_groups_by_account_over_the_window(cast: Cast) -> None:
    a = cast.account("SKHealthA")
    b = cast.account("SKHealthB")
    silent = cast.account("SKHealthC")
    _record(cast, "officer", a, date(2025, 11, 1), base=1000)  # 13 months back: outside
    _record(cast, "officer", a, date(2025, 12, 1), base=1)  # first month of the window
    _record(cast, "officer", a, date(2026, 11, 1), base=2)
    _record(cast, "officer", b, date(2026, 5, 1), base=0, reach=40)
    overview = MetricsService(cast.ctx("auditor")).engagement_overview(date(2026, 11, 18), 12)
    assert set(overview) == {a.id, b.id}
    assert silent.id not in overview
    assert overview[a.id] == MetricTotals(3, 6, 9, 12, 300)
    assert overview[b.id] == MetricTotals(reach=40)
    three = MetricsService(cast.ctx("auditor")).engagement_overview(date(2026, 11, 18), 3)
    assert three == {a.id: MetricTotals(2, 4, 6, 8, 200)}


def test_engagement_overview_defaults_to_the_window_setting(cast: Cast) -> None:
    account = cast.account()
    _record(cast, "officer", account, date(2025, 12, 1))
    service = MetricsService(cast.ctx("dci"))
    assert service.engagement_overview(date(2026, 11, 18)) == {
        account.id: MetricTotals(1, 2, 3, 4, 100)
    }
    with pytest.raises(DomainError, match="at least one month"):
        service.engagement_overview(date(2026, 11, 18), 0)


def test_engagement_overview_is_one_query_whatever_the_number_of_accounts(cast: Cast) -> None:
    service = MetricsService(cast.ctx("auditor"))
    first = cast.account("SKHealthA")
    _record(cast, "officer", first, date(2026, 10, 1))
    with statements(cast.db) as few:
        service.engagement_overview(date(2026, 11, 18), 12)
    for i in range(4):
        more = cast.account(f"SKHealth{i}")
        _record(cast, "officer", more, date(2026, 9, 1))
    with statements(cast.db) as many:
        overview = service.engagement_overview(date(2026, 11, 18), 12)
    assert len(overview) == 5
    assert len(many) == len(few)
    assert sum("metric_snapshots" in sql for sql in many) == 1


def test_agency_may_not_read_metrics(cast: Cast) -> None:
    account = cast.account()
    service = MetricsService(cast.ctx("agency"))
    denied = "Reading the whole register needs the role"
    with pytest.raises(PermissionDenied, match=denied):
        service.series(account.id, date(2026, 1, 1), date(2026, 6, 30))
    with pytest.raises(PermissionDenied, match=denied):
        service.totals(account.id, date(2026, 1, 1), date(2026, 6, 30))
    with pytest.raises(PermissionDenied, match=denied):
        service.engagement_overview(date(2026, 11, 18), 12)
