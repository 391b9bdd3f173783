"""A thin Qt table model of one account's monthly metrics over a half-year, with a total row."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from desktop.services.metrics import MonthMetrics, month_end

(
    COL_MONTH,
    COL_POSITIVE,
    COL_NEGATIVE,
    COL_SHARES,
    COL_COMMENTS,
    COL_TIME,
    COL_REACH,
    COL_FOLLOWERS,
    COL_POSTS,
    COL_REACTIONS,
    COL_VIEWS,
    COL_WATCH,
) = range(12)
HEADERS = (
    "Month",
    "Positive",
    "Negative",
    "Shares",
    "Comments",
    "Time (h)",
    "Reach",
    "Followers",
    "Posts",
    "Reactions",
    "Views",
    "Watched (h)",
)
# The MonthMetrics field behind each numeric column.
FIELDS: dict[int, str] = {
    COL_POSITIVE: "responses_positive",
    COL_NEGATIVE: "responses_negative",
    COL_SHARES: "shares",
    COL_COMMENTS: "comments",
    COL_TIME: "time_on_page_seconds",
    COL_REACH: "reach",
    COL_FOLLOWERS: "followers",
    COL_POSTS: "posts",
    COL_REACTIONS: "reactions",
    COL_VIEWS: "views",
    COL_WATCH: "watch_time_seconds",
}
HEADER_TIPS = {
    COL_POSITIVE: "Positive responses in the month.",
    COL_NEGATIVE: "Negative responses in the month.",
    COL_SHARES: "Shares and retweets in the month.",
    COL_COMMENTS: "Comments on the account's posts in the month.",
    COL_TIME: "Time people spent on the page in the month, in hours.",
    COL_REACH: "How many people saw the account's posts in the month.",
    COL_FOLLOWERS: "Followers at the end of the month: a count, not engagement; the total row "
    "shows the latest month recorded.",
    COL_POSTS: "Posts published in the month.",
    COL_REACTIONS: "Reactions and likes in the month, from the platform's export files "
    "(File ▸ Import platform file).",
    COL_VIEWS: "Views and impressions in the month, from the platform's export files: seen, "
    "not engaged with.",
    COL_WATCH: "Video watch time in the month, in hours, from the platform's export files (not "
    "time on page).",
}

PLATFORM_COLUMNS = (COL_REACTIONS, COL_VIEWS, COL_WATCH)

MonthRole = Qt.ItemDataRole.UserRole + 1  # the MonthMetrics; None on the total row
ValueRole = Qt.ItemDataRole.UserRole + 2  # the number in a cell (None when not recorded)

MUTED_TEXT = QColor("#6e7781")
TOTAL_BACKGROUND = QColor("#eef2f6")
_Index = QModelIndex | QPersistentModelIndex


def hours_text(seconds: int) -> str:
    """Seconds on the page as hours people read: '27.2 h'."""
    return f"{seconds / 3600:,.1f} h"


def month_text(month: date) -> str:
    return f"{month:%b %Y}"


class MetricsTableModel(QAbstractTableModel):
    """The months of one half-year, oldest first, then a total over the recorded months."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.months: list[MonthMetrics] = []
        self.today: date | None = None  # months not over by then are "not yet", not "not recorded"
        # The platform measures come from imported files: their columns only when there are any.
        self.platform_columns = False

    def set_months(self, months: Sequence[MonthMetrics], today: date | None = None) -> None:
        self.beginResetModel()
        self.months = list(months)
        self.today = today
        self.platform_columns = any(
            getattr(m, FIELDS[c]) for m in self.months for c in PLATFORM_COLUMNS
        )
        self.endResetModel()

    @property
    def recorded(self) -> list[MonthMetrics]:
        return [m for m in self.months if m.recorded]

    def total(self, column: int) -> int | None:
        """The total row's value: a sum, except followers (the latest recorded month)."""
        recorded = self.recorded
        if not recorded or column not in FIELDS:
            return None
        if column == COL_FOLLOWERS:
            return int(recorded[-1].followers)
        return sum(int(getattr(m, FIELDS[column])) for m in recorded)

    def value(self, row: int, column: int) -> int | None:
        if row == len(self.months):
            return self.total(column)
        month = self.months[row]
        if not month.recorded or column not in FIELDS:
            return None
        return int(getattr(month, FIELDS[column]))

    # -- Qt ------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or not self.months:
            return 0
        return len(self.months) + 1

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return len(HEADERS) if self.platform_columns else len(HEADERS) - len(PLATFORM_COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(section)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        row, column = index.row(), index.column()
        is_total = row == len(self.months)
        month = None if is_total else self.months[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(month, row, column)
        if role == MonthRole:
            return month
        if role == ValueRole:
            return self.value(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == COL_MONTH:
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and is_total:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and is_total:
            return TOTAL_BACKGROUND
        if role == Qt.ItemDataRole.ForegroundRole and month is not None and not month.recorded:
            return MUTED_TEXT
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(month, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{HEADERS[column]}: {self._display(month, row, column)}"
        return None

    def _display(self, month: MonthMetrics | None, row: int, column: int) -> str:
        if column == COL_MONTH:
            if month is None:
                return "Total"
            if month.recorded:
                return month_text(month.month)
            return f"{month_text(month.month)} · {self._missing(month)}"
        value = self.value(row, column)
        if value is None:
            return "—"
        return hours_text(value) if column in (COL_TIME, COL_WATCH) else f"{value:,}"

    def _missing(self, month: MonthMetrics) -> str:
        # The month in progress and later ones cannot have been recorded yet.
        ended = self.today is None or month_end(month.month) < self.today
        return "not recorded" if ended else "not yet"

    def _tooltip(self, month: MonthMetrics | None, column: int) -> str | None:
        if month is not None and not month.recorded:
            if self._missing(month) == "not yet":
                return f"{month_text(month.month)} has not ended yet; it is entered once it has."
            return f"Nothing was entered for {month_text(month.month)}."
        if month is None and column == COL_FOLLOWERS:
            return "Followers in the latest month recorded (followers are not summed)."
        if month is None and column == COL_MONTH:
            count = len(self.recorded)
            return f"The sum of the {count} month{'s' if count != 1 else ''} recorded."
        return None
