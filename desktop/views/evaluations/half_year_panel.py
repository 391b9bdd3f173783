"""One account's half-year as numbers: the engagement chart, the monthly metrics with their
total, and the goals against what was achieved."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QSplitter, QVBoxLayout, QWidget

from desktop.services.goals import GoalProgress
from desktop.services.metrics import MonthMetrics
from desktop.views.evaluations.column_fit import ColumnFitter
from desktop.views.evaluations.engagement_chart import EngagementChart
from desktop.views.evaluations.goals_model import COL_GOAL, GoalsTableModel
from desktop.views.evaluations.metrics_model import COL_MONTH, MetricsTableModel
from desktop.views.evaluations.read_only_table import read_only_table


def _group(title: str, *widgets: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(8, 8, 8, 8)
    for widget in widgets:
        layout.addWidget(widget)
    return box


class HalfYearPanel(QSplitter):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.setObjectName("evaluationsLeftSplitter")
        self.setChildrenCollapsible(False)
        self.chart = EngagementChart()
        # Parented: a model the Python collector frees on a worker thread would crash Qt.
        self.metrics_model = MetricsTableModel(parent=self)
        self.metrics_table = read_only_table("metricsTable", "Monthly metrics", self.metrics_model)
        ColumnFitter(self.metrics_table, COL_MONTH)
        self.goals_model = GoalsTableModel(parent=self)
        self.goals_table = read_only_table("goalsTable", "Goals against actuals", self.goals_model)
        ColumnFitter(self.goals_table, COL_GOAL, fill_min=150)
        self.goals_empty = QLabel()
        self.goals_empty.setObjectName("goalsEmpty")
        self.goals_empty.setProperty("role", "muted")
        self.goals_empty.setWordWrap(True)
        self.goals_empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.goals_empty.hide()

        self.addWidget(_group("Engagement per month", self.chart))
        self.addWidget(_group("Monthly metrics", self.metrics_table))
        self.addWidget(_group("Goals against actuals", self.goals_empty, self.goals_table))
        self.setSizes([250, 250, 240])
        # The six months and their total always show whole; the chart and goals give way.
        rows = self.metrics_table.verticalHeader().defaultSectionSize()
        header = self.metrics_table.horizontalHeader().sizeHint().height()
        self.metrics_table.setMinimumHeight(header + 7 * rows + 4)
        for position, stretch in enumerate((1, 0, 1)):
            self.setStretchFactor(position, stretch)

    def show_half_year(
        self,
        months: Sequence[MonthMetrics],
        goals: Sequence[GoalProgress],
        today: date | None,
        no_goals: str,
    ) -> None:
        """``no_goals`` is what the goals box says when there are none."""
        self.chart.set_months(months, today)
        self.metrics_model.set_months(months, today)
        self.goals_model.set_goals(goals)
        self.goals_table.setVisible(bool(goals))
        self.goals_empty.setVisible(not goals)
        self.goals_empty.setText(no_goals)
