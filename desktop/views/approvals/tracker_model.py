"""A thin Qt table model over the approval tracker's rows: what is asked, by whom, how far it
got, who it waits on and for how long; plus the proxy that sorts and searches it."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from desktop.enums import ApprovalKind, ApprovalState
from desktop.services.approval_tracker import TrackerRow

(COL_KIND, COL_SUBJECT, COL_SUBMITTER, COL_STAGE, COL_WAITING, COL_AGE) = range(6)
HEADERS = ("Kind", "Subject", "Submitted by", "Stage", "Waiting on", "Age")

RowRole = Qt.ItemDataRole.UserRole + 1  # the TrackerRow
IdRole = Qt.ItemDataRole.UserRole + 2  # the approval's uuid
SortRole = Qt.ItemDataRole.UserRole + 3  # what the column sorts by

KIND_LABELS = {
    ApprovalKind.NEW_ACCOUNT: "New account",
    ApprovalKind.CAMPAIGN_CONTENT: "Campaign content",
    ApprovalKind.ANNUAL_GOALS: "Annual goals",
    ApprovalKind.ACCOUNT_TERMINATION: "Termination",
    ApprovalKind.OFFICIAL_CONTENT: "Official content",
    ApprovalKind.PERSONAL_NAME: "Personal name",
}
STATE_LABELS = {
    ApprovalState.DRAFT: "Draft",
    ApprovalState.SUBMITTED: "Submitted",
    ApprovalState.CHANGES_REQUESTED: "Changes requested",
    ApprovalState.APPROVED: "Approved",
    ApprovalState.REJECTED: "Rejected",
    ApprovalState.WITHDRAWN: "Withdrawn",
}
# Text colour of the stage by the request's state (green done, red refused, amber back to you).
STATE_COLOURS = {
    ApprovalState.DRAFT: QColor("#57606a"),
    ApprovalState.SUBMITTED: QColor("#1f2328"),
    ApprovalState.CHANGES_REQUESTED: QColor("#b25e00"),
    ApprovalState.APPROVED: QColor("#1a7f37"),
    ApprovalState.REJECTED: QColor("#b42318"),
    ApprovalState.WITHDRAWN: QColor("#8c959f"),
}
STALLED_BACKGROUND, STALLED_TEXT = QColor("#fff4e0"), QColor("#b25e00")
_OPEN = (ApprovalState.DRAFT, ApprovalState.SUBMITTED, ApprovalState.CHANGES_REQUESTED)
_Index = QModelIndex | QPersistentModelIndex


def age_text(days: int | None) -> str:
    if days is None:
        return "—"
    return "today" if days == 0 else f"{days} d"


class ApprovalTrackerModel(QAbstractTableModel):
    def __init__(self, stall_days: int = 10, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[TrackerRow] = []
        self.stall_days = stall_days

    def set_rows(self, rows: list[TrackerRow], stall_days: int | None = None) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        if stall_days is not None:
            self.stall_days = stall_days
        self.endResetModel()

    def row_at(self, position: int) -> TrackerRow | None:
        return self.rows[position] if 0 <= position < len(self.rows) else None

    def position_of(self, approval_id: uuid.UUID) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r.id == approval_id), None)

    def stalled(self, row: TrackerRow) -> bool:
        """Open and (re)submitted longer ago than the setting allows without a decision."""
        waited = row.waiting_days if row.waiting_days is not None else row.age_days
        return row.state in _OPEN and waited is not None and waited > self.stall_days

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
        if role == Qt.ItemDataRole.ToolTipRole and section == COL_AGE:
            return "Days since the request was submitted (to its decision once closed)."
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        column = index.column()
        if role == RowRole:
            return row
        if role == IdRole:
            return row.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == SortRole:
            if column == COL_AGE:
                return -1 if row.age_days is None else row.age_days
            return self._text(row, column).casefold()
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == COL_STAGE:
                return STATE_COLOURS[row.state]
            if column == COL_AGE and self.stalled(row):
                return STALLED_TEXT
        if role == Qt.ItemDataRole.BackgroundRole and column == COL_AGE and self.stalled(row):
            return STALLED_BACKGROUND
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_AGE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _text(row: TrackerRow, column: int) -> str:
        if column == COL_KIND:
            return KIND_LABELS[row.kind]
        if column == COL_SUBJECT:
            return row.subject_label or row.title
        if column == COL_SUBMITTER:
            return row.submitter_name
        if column == COL_STAGE:
            return row.stage_label
        if column == COL_WAITING:
            if row.state == ApprovalState.DRAFT:
                return "Submitter (to submit)"
            if row.state == ApprovalState.CHANGES_REQUESTED:
                return "Submitter (to resubmit)"
            return ", ".join(row.waiting_on) or "—"
        return age_text(row.age_days)

    def _tooltip(self, row: TrackerRow, column: int) -> str:
        waited = row.waiting_days if row.waiting_days is not None else row.age_days
        if column == COL_AGE and self.stalled(row):
            return (
                f"Waiting {waited} days: longer than the {self.stall_days} days after "
                "which a request counts as stalled."
            )
        if column == COL_AGE and waited is not None and waited != row.age_days:
            return (
                f"Submitted {_days(row.age_days)} ago; resubmitted after changes "
                f"{_days(waited)} ago, which is what counts for a stall."
            )
        return f"{row.title}\n{STATE_LABELS[row.state]}: {row.stage_label}"


def _days(n: int | None) -> str:
    return "1 day" if n == 1 else f"{n} days"


class TrackerProxy(QSortFilterProxyModel):
    """Sorts by ``SortRole`` and keeps the rows whose text holds the search, in any column."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self.setFilterKeyColumn(-1)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
