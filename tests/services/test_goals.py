from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from desktop.enums import GoalStatus, Platform
from desktop.errors import ConflictError, DomainError, PermissionDenied
from desktop.models import Account, AuditEvent, Goal, Setting
from desktop.services.accounts import AccountService
from desktop.services.goals import GoalService
from desktop.services.metrics import MetricsService
from tests.factories import Cast
from tests.services.test_metrics import statements

NON_WRITERS = ["council", "minister", "agency", "auditor"]


def _draft(cast: Cast, who: str, account: Account, **kw: Any) -> Goal:
    args: dict[str, Any] = {"title": "Answer more questions", "metric": "comments"}
    args.update(kw)
    args.setdefault("target_value", 500)
    return GoalService(cast.ctx(who)).draft(account.id, **args)


def _set_status(cast: Cast, goal: Goal, status: GoalStatus) -> None:
    with cast.db.write() as s:
        row = s.get(Goal, goal.id)
        assert row is not None
        row.status = status


def _edit(cast: Cast, who: str, goal: Goal, **kw: Any) -> Goal:
    args: dict[str, Any] = {
        "title": goal.title,
        "metric": goal.metric,
        "target_value": goal.target_value,
        "baseline_value": goal.baseline_value,
        "period_start": goal.period_start,
        "period_end": goal.period_end,
    }
    args.update(kw)
    return GoalService(cast.ctx(who)).edit(goal.id, **args)


def _metrics(cast: Cast, account: Account, month: date, shares: int, comments: int) -> None:
    MetricsService(cast.ctx("officer")).record(account.id, month, 1, 1, shares, comments, 60)


def test_officer_drafts_a_goal_for_the_validity_period_from_today(cast: Cast) -> None:
    account = cast.account()
    goal = _draft(cast, "officer", account, baseline_value=120, description="Twice last year")
    assert goal.status == GoalStatus.DRAFT
    # 2026-11-18 09:00 in Regina; exactly 12 months by default (the last day included).
    assert (goal.period_start, goal.period_end) == (date(2026, 11, 18), date(2027, 11, 17))
    assert (goal.target_value, goal.baseline_value) == (500.0, 120.0)
    assert goal.description == "Twice last year"
    with cast.db.read() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.entity_id == str(goal.id))).all()
    assert [e.action for e in events] == ["goal.draft"]
    assert json.loads(events[0].after)["metric"] == "comments"


def test_default_period_follows_the_goals_validity_setting(cast: Cast) -> None:
    with cast.db.write() as s:
        s.add(Setting(key="goals_validity_months", value="6"))
    goal = _draft(cast, "officer", cast.account(), period_start=date(2026, 8, 31))
    assert goal.period_end == date(2027, 2, 27)  # six months run out on 28 February


@pytest.mark.parametrize("metric", ["followers", "posts", "Followers"])
def test_follower_and_post_goals_are_refused_with_the_policy_reason(
    cast: Cast, metric: str
) -> None:
    with pytest.raises(DomainError, match="engagement, not followers or the number of posts") as e:
        _draft(cast, "officer", cast.account(), metric=metric)
    assert e.value.field == "metric"
    assert "shares and retweets" in str(e.value)


def test_goal_validation_messages(cast: Cast) -> None:
    account = cast.account()
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"metric": "likes"}, "Metric 'likes' is not one of", "metric"),
        ({"title": "  "}, "Title is required.", "title"),
        ({"target_value": 0}, r"Target must be more than 0 \(you gave 0\)", "target_value"),
        ({"target_value": float("nan")}, "Target must be a number", "target_value"),
        ({"baseline_value": -3}, r"Baseline cannot be negative \(you gave -3\)", "baseline_value"),
        (
            {"period_start": date(2026, 7, 1), "period_end": date(2026, 6, 30)},
            r"Period end \(2026-06-30\) is before Period start",
            "period_end",
        ),
    ]
    for kw, message, field in cases:
        with pytest.raises(DomainError, match=message) as err:
            _draft(cast, "officer", account, **kw)
        assert err.value.field == field
    with cast.db.read() as s:
        assert s.query(Goal).count() == 0


def test_every_engagement_metric_is_accepted(cast: Cast) -> None:
    account = cast.account()
    metrics = [
        "responses_positive",
        "responses_negative",
        "shares",
        "comments",
        "time_on_page_seconds",
        "reach",
    ]
    for metric in metrics:
        assert _draft(cast, "officer", account, metric=metric).metric == metric


def test_closed_accounts_take_no_new_goals(cast: Cast) -> None:
    account = cast.account()
    AccountService(cast.ctx("dso")).retire(account.id, "Program ended")
    with pytest.raises(DomainError, match="shut down; closed accounts take no new goals"):
        _draft(cast, "officer", account)


@pytest.mark.parametrize("who", NON_WRITERS)
def test_roles_that_may_not_draft_edit_or_delete_goals(cast: Cast, who: str) -> None:
    account = cast.account()
    goal = _draft(cast, "officer", account)
    with pytest.raises(PermissionDenied, match="needs the role"):
        _draft(cast, who, account)
    with pytest.raises(PermissionDenied, match="needs the role"):
        _edit(cast, who, goal, title="Changed")
    with pytest.raises(PermissionDenied, match="needs the role"):
        GoalService(cast.ctx(who)).delete_draft(goal.id)


def test_officer_of_another_ministry_cannot_touch_the_goals(cast: Cast) -> None:
    account = cast.account()
    goal = _draft(cast, "officer", account)
    own = "limited to your own ministry's accounts"
    with pytest.raises(PermissionDenied, match=own):
        _draft(cast, "officer2", account)
    with pytest.raises(PermissionDenied, match=own):
        _edit(cast, "officer2", goal, title="Changed")
    with pytest.raises(PermissionDenied, match=own):
        GoalService(cast.ctx("officer2")).delete_draft(goal.id)
    env = cast.account("SKEnvironment", ministry_id=cast.environment.id)
    assert _draft(cast, "officer2", env).account_id == env.id


@pytest.mark.parametrize("who", ["comms", "dci", "dso", "admin"])
def test_directors_and_dso_draft_goals_for_any_ministry(cast: Cast, who: str) -> None:
    env = cast.account("SKEnvironment", ministry_id=cast.environment.id)
    assert _draft(cast, who, env).status == GoalStatus.DRAFT


def test_edit_a_draft_and_a_stale_version_is_a_conflict(cast: Cast) -> None:
    goal = _draft(cast, "officer", cast.account())
    edited = _edit(cast, "comms", goal, title="More shares", metric="shares", version=1)
    assert (edited.title, edited.metric, edited.version) == ("More shares", "shares", 2)
    with cast.db.read() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "goal.edit")).one()
    assert json.loads(event.before) == {"title": "Answer more questions", "metric": "comments"}
    with pytest.raises(ConflictError, match="Someone else changed this goal"):
        _edit(cast, "officer", goal, title="Stale", version=1)
    with pytest.raises(DomainError, match="engagement, not followers"):
        _edit(cast, "officer", edited, metric="followers")


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (GoalStatus.IN_REVIEW, "is in review and cannot be"),
        (GoalStatus.FINAL, "is final and cannot be"),
    ],
)
def test_goals_past_draft_cannot_be_edited_or_deleted(
    cast: Cast, status: GoalStatus, message: str
) -> None:
    goal = _draft(cast, "officer", cast.account())
    _set_status(cast, goal, status)
    with pytest.raises(DomainError, match=f"{message} changed"):
        _edit(cast, "officer", goal, title="Changed")
    with pytest.raises(DomainError, match=f"{message} deleted"):
        GoalService(cast.ctx("admin")).delete_draft(goal.id)
    with cast.db.read() as s:
        assert s.get(Goal, goal.id) is not None


def test_delete_a_draft(cast: Cast) -> None:
    account = cast.account()
    goal = _draft(cast, "officer", account)
    keep = _draft(cast, "officer", account, title="Keep me")
    GoalService(cast.ctx("officer")).delete_draft(goal.id, version=goal.version)
    assert [g.id for g in GoalService(cast.ctx("auditor")).for_account(account.id)] == [keep.id]
    with cast.db.read() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "goal.delete")).one()
    assert json.loads(event.before)["title"] == "Answer more questions"


def test_goals_against_actuals_sums_the_period(cast: Cast) -> None:
    account = cast.account()
    other = cast.account("SKHealthX", Platform.X)
    shares = _draft(
        cast, "officer", account, title="Shares", metric="shares", target_value=200,
        period_start=date(2026, 1, 1), period_end=date(2026, 12, 31),
    )  # fmt: skip
    _draft(
        cast, "officer", account, title="Comments", metric="comments", target_value=40,
        period_start=date(2026, 7, 1), period_end=date(2027, 6, 30),
    )  # fmt: skip
    _draft(
        cast, "officer", account, title="Old", metric="shares", target_value=1,
        period_start=date(2025, 1, 1), period_end=date(2025, 12, 31),
    )  # fmt: skip
    _set_status(cast, shares, GoalStatus.FINAL)
    _metrics(cast, account, date(2026, 6, 1), shares=1000, comments=1000)  # before the period
    _metrics(cast, account, date(2026, 7, 1), shares=30, comments=10)
    _metrics(cast, account, date(2026, 9, 1), shares=20, comments=5)
    _metrics(cast, account, date(2026, 11, 1), shares=100, comments=15)
    _metrics(cast, other, date(2026, 8, 1), shares=999, comments=999)
    rows = GoalService(cast.ctx("auditor")).goals_against_actuals(
        account.id, date(2026, 7, 1), date(2026, 12, 31)
    )
    assert [(r.title, r.metric_label, r.target, r.actual) for r in rows] == [
        ("Shares", "Shares and retweets", 200.0, 150),
        ("Comments", "Comments", 40.0, 30),
    ]
    assert [r.percent_of_target for r in rows] == [75.0, 75.0]
    assert rows[0].status == GoalStatus.FINAL
    assert rows[1].goal_start == date(2026, 7, 1)


def test_goals_against_actuals_without_goals_or_metrics(cast: Cast) -> None:
    account = cast.account()
    service = GoalService(cast.ctx("minister"))
    assert service.goals_against_actuals(account.id, date(2026, 1, 1), date(2026, 6, 30)) == []
    _draft(cast, "officer", account, period_start=date(2026, 1, 1), target_value=8)
    [row] = service.goals_against_actuals(account.id, date(2026, 1, 1), date(2026, 6, 30))
    assert (row.actual, row.percent_of_target) == (0, 0.0)
    with pytest.raises(DomainError, match="is before Start"):
        service.goals_against_actuals(account.id, date(2026, 6, 30), date(2026, 1, 1))


def test_goal_status_per_account(cast: Cast) -> None:
    def goal(handle: str, status: GoalStatus, end: date) -> Account:
        account = cast.account(handle)
        g = _draft(cast, "officer", account, period_start=date(2026, 1, 1), period_end=end)
        _set_status(cast, g, status)
        return account

    final = goal("Final", GoalStatus.FINAL, date(2027, 3, 31))
    _draft(cast, "officer", final, period_start=date(2025, 1, 1), period_end=date(2026, 12, 1))
    last_day = goal("LastDay", GoalStatus.FINAL, date(2026, 11, 18))
    expired = goal("Expired", GoalStatus.FINAL, date(2026, 11, 17))
    _draft(cast, "officer", expired)  # a new draft does not hide the expiry
    review = goal("Review", GoalStatus.FINAL, date(2026, 1, 1))
    _set_status(cast, _draft(cast, "officer", review), GoalStatus.IN_REVIEW)
    draft = goal("Draft", GoalStatus.DRAFT, date(2027, 1, 1))
    none = cast.account("Nothing")
    status = GoalService(cast.ctx("auditor")).goal_status(date(2026, 11, 18))
    assert status == {
        # Final goals count for 12 months at most, as GOALS_EXPIRED says: 2026 only.
        final.id: "final until 2026-12-31",
        last_day.id: "final until 2026-11-18",
        expired.id: "expired",
        review.id: "in review",
        draft.id: "draft only",
        none.id: "none",
    }


def test_goal_status_runs_the_same_queries_for_many_accounts(cast: Cast) -> None:
    service = GoalService(cast.ctx("auditor"))
    _draft(cast, "officer", cast.account("First"))
    with statements(cast.db) as few:
        service.goal_status(date(2026, 11, 18))
    for i in range(4):
        _draft(cast, "officer", cast.account(f"More{i}"))
    with statements(cast.db) as many:
        assert len(service.goal_status(date(2026, 11, 18))) == 5
    assert len(many) == len(few)


def test_agency_may_not_read_goals(cast: Cast) -> None:
    account = cast.account()
    service = GoalService(cast.ctx("agency"))
    with pytest.raises(PermissionDenied, match="Reading the whole register"):
        service.goal_status(date(2026, 11, 18))
    with pytest.raises(PermissionDenied, match="Reading the whole register"):
        service.goals_against_actuals(account.id, date(2026, 1, 1), date(2026, 6, 30))
    with pytest.raises(PermissionDenied, match="Reading the whole register"):
        service.for_account(account.id)
