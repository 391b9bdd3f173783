"""A thin Qt table model of an account's goals against what it achieved over the half-year."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from desktop.enums import GoalStatus
from desktop.services.goals import GoalProgress
from desktop.views.evaluations.metrics_model import hours_text

(
    COL_GOAL,
    COL_METRIC,
    COL_BASELINE,
    COL_TARGET,
    COL_ACTUAL,
    COL_PERCENT,
    COL_STATUS,
) = range(7)
HEADERS = ("Goal", "Metric", "Baseline", "Target", "Actual", "Of target", "Status")

GoalRole = Qt.ItemDataRole.UserRole + 1  # the GoalProgress
LevelRole = Qt.ItemDataRole.UserRole + 2  # "met" / "short" of the percent cell

MET_TEXT = QColor("#1a7f37")
SHORT_TEXT = QColor("#b25e00")
STATUS_LABELS = {
    GoalStatus.DRAFT: "Draft",
    GoalStatus.IN_REVIEW: "In review",
    GoalStatus.FINAL: "Final",
}
_NUMERIC = (COL_BASELINE, COL_TARGET, COL_ACTUAL, COL_PERCENT)
_Index = QModelIndex | QPersistentModelIndex


def amount_text(metric: str, value: float, *, target: bool = False) -> str:
    """Time on page in hours, counts in whole numbers (a target rounded up, as the reports
    do: 2,067.5 positive responses is a target of 2,068)."""
    if metric == "time_on_page_seconds":
        return hours_text(int(value))
    return f"{math.ceil(value - 1e-9) if target else round(value):,}"


def level(goal: GoalProgress) -> str:
    return "met" if goal.percent_of_target >= 100 else "short"


class GoalsTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.goals: list[GoalProgress] = []

    def set_goals(self, goals: Sequence[GoalProgress]) -> None:
        self.beginResetModel()
        self.goals = list(goals)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.goals)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole and section == COL_ACTUAL:
            return "What the account achieved on the goal's metric over the chosen half-year."
        if role == Qt.ItemDataRole.ToolTipRole and section == COL_PERCENT:
            return "Actual as a share of the target; green once the target is met."
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.goals):
            return None
        goal, column = self.goals[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(goal, column)
        if role == GoalRole:
            return goal
        if role == LevelRole and column == COL_PERCENT:
            return level(goal)
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_PERCENT:
            return MET_TEXT if level(goal) == "met" else SHORT_TEXT
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column in (COL_GOAL, COL_STATUS):
            return (
                f"{goal.title}: set for {goal.goal_start:%d %b %Y} to {goal.goal_end:%d %b %Y}, "
                f"{STATUS_LABELS.get(goal.status, goal.status.value).lower()}."
            )
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{HEADERS[column]}: {self._display(goal, column)}"
        return None

    @staticmethod
    def _display(goal: GoalProgress, column: int) -> str:
        if column == COL_GOAL:
            return goal.title
        if column == COL_METRIC:
            # The amounts of time are shown in hours, not the seconds they are stored in.
            return (
                "Time on page (hours)"
                if goal.metric == "time_on_page_seconds"
                else (goal.metric_label)
            )
        if column == COL_BASELINE:
            return amount_text(goal.metric, goal.baseline)
        if column == COL_TARGET:
            return amount_text(goal.metric, goal.target, target=True)
        if column == COL_ACTUAL:
            return amount_text(goal.metric, goal.actual)
        if column == COL_PERCENT:
            return f"{goal.percent_of_target:,.0f} %"
        return STATUS_LABELS.get(goal.status, goal.status.value)
