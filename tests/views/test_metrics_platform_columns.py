"""The Evaluations tab's monthly table shows the imported platform measures (reactions, views,
watch time) once an account has any, and keeps its width otherwise."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from desktop.services.metrics import MonthMetrics
from desktop.views.evaluations.metrics_model import COL_WATCH, HEADERS, MetricsTableModel


def test_platform_columns_appear_with_imported_numbers() -> None:
    model = MetricsTableModel()
    model.set_months([MonthMetrics(date(2026, 1, 1), True, shares=3)])
    assert model.columnCount() == len(HEADERS) - 3
    model.set_months(
        [MonthMetrics(date(2026, 1, 1), True, reactions=40, views=900, watch_time_seconds=5400)]
    )
    assert model.columnCount() == len(HEADERS)
    header = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(HEADERS))]
    assert header[-3:] == ["Reactions", "Views", "Watched (h)"]
    assert model.index(0, COL_WATCH).data() == "1.5 h"
    assert model.index(1, COL_WATCH).data() == "1.5 h"  # the total row
