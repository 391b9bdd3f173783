"""The Evaluations tab's models without widgets: monthly metrics with their total, goals against
actuals, the schedule's colours, and the chart's axis ticks."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.enums import GoalStatus
from desktop.services.evaluations import ScheduleRow, ScheduleStatus
from desktop.services.goals import GoalProgress
from desktop.services.metrics import MonthMetrics
from desktop.views.evaluations.engagement_chart import month_summary, nice_ticks
from desktop.views.evaluations.goals_model import (
    COL_ACTUAL,
    COL_METRIC,
    COL_PERCENT,
    COL_TARGET,
    MET_TEXT,
    SHORT_TEXT,
    GoalsTableModel,
    LevelRole,
)
from desktop.views.evaluations.metrics_model import (
    COL_FOLLOWERS,
    COL_MONTH,
    COL_POSITIVE,
    COL_TIME,
    MUTED_TEXT,
    MetricsTableModel,
    ValueRole,
)
from desktop.views.evaluations.schedule_model import (
    AMBER_BACKGROUND,
    COL_ACCOUNT,
    COL_STATUS,
    RED_BACKGROUND,
    RED_TEXT,
    AccountIdRole,
    ScheduleModel,
)


def month(m: int, positive: int = 0, *, recorded: bool = True, **kw: int) -> MonthMetrics:
    return MonthMetrics(date(2026, m, 1), recorded, responses_positive=positive, **kw)


@pytest.fixture
def metrics(qtbot: QtBot) -> MetricsTableModel:  # qtbot: fonts and colours need the application
    model = MetricsTableModel()
    model.set_months(
        [
            month(7, 100, followers=500, time_on_page_seconds=7200),
            month(8, 50, followers=520, time_on_page_seconds=1800),
            month(9, recorded=False),
            month(10, 10, followers=530),
            month(11, recorded=False),
            month(12, recorded=False),
        ],
        today=date(2026, 11, 18),
    )
    return model


def column(model: MetricsTableModel, col: int, role: int = Qt.ItemDataRole.DisplayRole) -> list:
    return [model.index(r, col).data(role) for r in range(model.rowCount())]


def test_metrics_rows_are_the_months_then_a_total(metrics: MetricsTableModel) -> None:
    assert column(metrics, COL_MONTH) == [
        "Jul 2026",
        "Aug 2026",
        "Sep 2026 · not recorded",
        "Oct 2026",
        "Nov 2026 · not yet",  # the month in progress
        "Dec 2026 · not yet",
        "Total",
    ]
    assert column(metrics, COL_POSITIVE) == ["100", "50", "—", "10", "—", "—", "160"]
    assert column(metrics, COL_POSITIVE, ValueRole)[-1] == 160


def test_time_is_in_hours_and_followers_total_is_the_latest(metrics: MetricsTableModel) -> None:
    assert column(metrics, COL_TIME)[:2] == ["2.0 h", "0.5 h"]
    assert column(metrics, COL_TIME)[-1] == "2.5 h"
    assert column(metrics, COL_FOLLOWERS)[-1] == "530"  # a count, not a sum


def test_months_not_recorded_are_muted(metrics: MetricsTableModel) -> None:
    colours = column(metrics, COL_MONTH, Qt.ItemDataRole.ForegroundRole)
    assert [c == MUTED_TEXT for c in colours] == [False, False, True, False, True, True, False]


def test_no_months_no_rows(qtbot: QtBot) -> None:
    model = MetricsTableModel()
    model.set_months([])
    assert model.rowCount() == 0


def goal(title: str, metric: str, target: float, actual: int) -> GoalProgress:
    return GoalProgress(
        goal_id=uuid.uuid4(),
        title=title,
        metric=metric,
        metric_label="Time on page (seconds)" if metric == "time_on_page_seconds" else "Shares",
        status=GoalStatus.FINAL,
        goal_start=date(2026, 2, 3),
        goal_end=date(2027, 2, 2),
        baseline=0,
        target=target,
        actual=actual,
        percent_of_target=100.0 * actual / target,
    )


def test_goals_show_actuals_against_targets_met_in_green(qtbot: QtBot) -> None:
    model = GoalsTableModel()
    model.set_goals(
        [goal("More shares", "shares", 400, 500), goal("Time", "time_on_page_seconds", 36000, 9000)]
    )
    assert [model.index(r, COL_PERCENT).data() for r in range(2)] == ["125 %", "25 %"]
    assert [model.index(r, COL_PERCENT).data(LevelRole) for r in range(2)] == ["met", "short"]
    colours = [model.index(r, COL_PERCENT).data(Qt.ItemDataRole.ForegroundRole) for r in range(2)]
    assert colours == [MET_TEXT, SHORT_TEXT]
    assert model.index(1, COL_METRIC).data() == "Time on page (hours)"
    assert [model.index(1, c).data() for c in (COL_TARGET, COL_ACTUAL)] == ["10.0 h", "2.5 h"]


def schedule_row(label: str, status: ScheduleStatus, days: int) -> ScheduleRow:
    return ScheduleRow(
        account_id=uuid.uuid4(),
        account_label=label,
        ministry_code="HEA",
        last_period="2025H2",
        last_completed_on=date(2026, 1, 20),
        next_due=date(2026, 7, 20),
        days_until_due=days,
        status=status,
    )


@pytest.fixture
def schedule(qtbot: QtBot) -> ScheduleModel:
    model = ScheduleModel()
    model.set_rows(
        [
            schedule_row("Facebook @Late", "overdue", -121),
            schedule_row("X (Twitter) @Soon", "due soon", 12),
            schedule_row("YouTube @Fine", "ok", 90),
        ]
    )
    return model


def test_schedule_shows_due_and_overdue_with_colours(schedule: ScheduleModel) -> None:
    assert [schedule.index(r, COL_ACCOUNT).data() for r in range(schedule.rowCount())] == [
        "Facebook @Late",
        "X (Twitter) @Soon",
    ]
    late, soon = (schedule.index(r, COL_STATUS) for r in range(2))
    assert late.data() == "121 days overdue"
    assert late.data(Qt.ItemDataRole.BackgroundRole) == RED_BACKGROUND
    assert late.data(Qt.ItemDataRole.ForegroundRole) == RED_TEXT
    assert soon.data() == "Due in 12 days"
    assert soon.data(Qt.ItemDataRole.BackgroundRole) == AMBER_BACKGROUND
    assert isinstance(late.data(AccountIdRole), uuid.UUID)


def test_show_all_adds_the_accounts_not_yet_due_uncoloured(schedule: ScheduleModel) -> None:
    schedule.set_show_all(True)
    assert schedule.rowCount() == 3
    fine = schedule.index(2, COL_STATUS)
    assert fine.data() == "Due in 90 days"
    assert fine.data(Qt.ItemDataRole.BackgroundRole) is None
    assert (schedule.count("overdue"), schedule.count("due soon"), schedule.count("ok")) == (
        1,
        1,
        1,
    )


@pytest.mark.parametrize(
    ("maximum", "ticks"),
    [
        (347, [0, 100, 200, 300, 400]),
        (40, [0, 10, 20, 30, 40]),
        (34.9, [0, 10, 20, 30, 40]),
        (9, [0, 2, 4, 6, 8, 10]),
        (1_250, [0, 250, 500, 750, 1_000, 1_250]),
        (0, [0, 1]),
    ],
)
def test_nice_ticks_are_round_and_cover_the_maximum(maximum: float, ticks: list[float]) -> None:
    assert nice_ticks(maximum) == ticks


def test_a_month_reads_as_a_sentence() -> None:
    text = month_summary(month(7, 100, shares=4, time_on_page_seconds=5400))
    assert text == (
        "Jul 2026: positive responses 100, negative responses 0, shares 4, comments 0; "
        "time on page 1.5 h."
    )
    assert month_summary(month(9, recorded=False)) == "Sep 2026: not recorded."
