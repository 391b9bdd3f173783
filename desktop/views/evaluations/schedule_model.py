"""A thin Qt table model of the evaluation schedule: active accounts by due date, overdue rows red
and those due soon amber; by default only the due and overdue ones."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from desktop.services.evaluations import DUE_SOON_DAYS, ScheduleRow

(COL_ACCOUNT, COL_MINISTRY, COL_DUE, COL_STATUS) = range(4)
HEADERS = ("Account", "Ministry", "Next due", "Status")

RowRole = Qt.ItemDataRole.UserRole + 1  # the ScheduleRow
AccountIdRole = Qt.ItemDataRole.UserRole + 2  # the account's uuid
StatusRole = Qt.ItemDataRole.UserRole + 3  # "overdue" / "due soon" / "ok"

RED_BACKGROUND, RED_TEXT = QColor("#fdecea"), QColor("#b42318")
AMBER_BACKGROUND, AMBER_TEXT = QColor("#fff4e0"), QColor("#b25e00")
BACKGROUNDS = {"overdue": RED_BACKGROUND, "due soon": AMBER_BACKGROUND}
FOREGROUNDS = {"overdue": RED_TEXT, "due soon": AMBER_TEXT}
_Index = QModelIndex | QPersistentModelIndex


def days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def status_text(row: ScheduleRow) -> str:
    if row.status == "overdue":
        return f"{days(-row.days_until_due)} overdue"
    if row.days_until_due == 0:
        return "Due today"
    return f"Due in {days(row.days_until_due)}"


def due_tip(row: ScheduleRow) -> str:
    if row.last_completed_on is None:
        last = "No evaluation was completed yet, so it counts from the activation date."
    else:
        last = f"The last, {row.last_period}, was completed on {row.last_completed_on:%d %b %Y}."
    return f"{row.account_label}: next evaluation due on {row.next_due:%d %b %Y}. {last}"


class ScheduleModel(QAbstractTableModel):
    """The schedule's rows, most urgent first; ``show_all`` adds the accounts not yet due."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.all_rows: list[ScheduleRow] = []
        self.rows: list[ScheduleRow] = []
        self.show_all = False

    def set_rows(self, rows: Sequence[ScheduleRow]) -> None:
        self.beginResetModel()
        self.all_rows = list(rows)
        self._apply()
        self.endResetModel()

    def set_show_all(self, show_all: bool) -> None:
        self.beginResetModel()
        self.show_all = show_all
        self._apply()
        self.endResetModel()

    def _apply(self) -> None:
        self.rows = [r for r in self.all_rows if self.show_all or r.status != "ok"]

    def count(self, status: str) -> int:
        return sum(1 for r in self.all_rows if r.status == status)

    def position_of(self, account_id: uuid.UUID) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r.account_id == account_id), None)

    def row_at(self, position: int) -> ScheduleRow | None:
        return self.rows[position] if 0 <= position < len(self.rows) else None

    # -- Qt ------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole and section == COL_STATUS:
            return (
                f"Red: overdue. Amber: due within {DUE_SOON_DAYS} days. Double-click a row to "
                "evaluate that account."
            )
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == RowRole:
            return row
        if role == AccountIdRole:
            return row.account_id
        if role == StatusRole:
            return row.status
        if role == Qt.ItemDataRole.BackgroundRole:
            return BACKGROUNDS.get(row.status)
        if role == Qt.ItemDataRole.ForegroundRole:
            return FOREGROUNDS.get(row.status)
        if role == Qt.ItemDataRole.ToolTipRole and column != COL_MINISTRY:
            return due_tip(row)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{HEADERS[column]}: {self._display(row, column)}"
        return None

    @staticmethod
    def _display(row: ScheduleRow, column: int) -> str:
        if column == COL_ACCOUNT:
            return row.account_label
        if column == COL_MINISTRY:
            return row.ministry_code
        if column == COL_DUE:
            return f"{row.next_due:%d %b %Y}"
        return status_text(row)
