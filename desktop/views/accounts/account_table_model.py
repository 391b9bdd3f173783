"""A thin Qt table model over the account rows of ``AccountListService``: display text,
in-memory sorting (the inventory is hundreds of rows, not millions) and the warning colours.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from desktop.enums import AccountStatus, PostingTool
from desktop.services.account_list import AccountRow, PasswordLevel
from desktop.views.local_time import format_when

(
    COL_PLATFORM,
    COL_HANDLE,
    COL_MINISTRY,
    COL_STATUS,
    COL_EMAIL,
    COL_OWNER,
    COL_PASSWORD_AGE,
    COL_NEXT_EVALUATION,
    COL_GOALS,
) = range(9)
HEADERS = (
    "Platform",
    "Handle",
    "Ministry",
    "Status",
    "Government e-mail",
    "Owner",
    "Password age",
    "Next evaluation",
    "Goals",
)

RowRole = Qt.ItemDataRole.UserRole + 1  # the AccountRow
IdRole = Qt.ItemDataRole.UserRole + 2  # the account's uuid
SortRole = Qt.ItemDataRole.UserRole + 3  # the value a column sorts by
LevelRole = Qt.ItemDataRole.UserRole + 4  # "ok" / "due_soon" / "overdue" (red) of a cell

AMBER_BACKGROUND, AMBER_TEXT = QColor("#fff4e0"), QColor("#b25e00")
RED_BACKGROUND, RED_TEXT = QColor("#fdecea"), QColor("#b42318")
MUTED_TEXT = QColor("#6e7781")

TOOL_LABELS = {
    PostingTool.NATIVE: "The platform's own site or app",
    PostingTool.TWEETDECK: "TweetDeck / X Pro",
    PostingTool.OTHER: "Another tool",
}

_LIFECYCLE = list(AccountStatus)
_CLOSED = (AccountStatus.SHUT_DOWN, AccountStatus.TERMINATED)
_Index = QModelIndex | QPersistentModelIndex


def status_text(status: AccountStatus) -> str:
    return status.value.replace("_", " ").capitalize()


def password_text(row: AccountRow) -> str:
    if row.password_age_days is None:
        return "Never recorded" if row.password_level == PasswordLevel.OVERDUE else "—"
    days = f"{row.password_age_days} day" + ("" if row.password_age_days == 1 else "s")
    suffix = {PasswordLevel.DUE_SOON: " · change soon", PasswordLevel.OVERDUE: " · overdue"}
    return days + suffix.get(row.password_level, "")


def evaluation_text(row: AccountRow) -> str:
    if row.next_evaluation is None:
        return "—"
    suffix = {"due soon": " · due soon", "overdue": " · overdue"}
    return f"{row.next_evaluation:%d %b %Y}" + suffix.get(row.evaluation_status or "", "")


def goals_text(row: AccountRow) -> str:
    text = row.goals_status
    return text[:1].upper() + text[1:]


def _password_level(row: AccountRow) -> str | None:
    return None if row.password_level == PasswordLevel.NOT_APPLICABLE else row.password_level.value


def _evaluation_level(row: AccountRow) -> str | None:
    return {"ok": "ok", "due soon": "due_soon", "overdue": "overdue"}.get(
        row.evaluation_status or ""
    )


def _email_level(row: AccountRow) -> str | None:
    return None if row.email_allowed else "overdue"  # a rule broken now, shown red


_LEVELS: dict[int, Callable[[AccountRow], str | None]] = {
    COL_EMAIL: _email_level,
    COL_PASSWORD_AGE: _password_level,
    COL_NEXT_EVALUATION: _evaluation_level,
}
_BACKGROUND = {"due_soon": AMBER_BACKGROUND, "overdue": RED_BACKGROUND}
_FOREGROUND = {"due_soon": AMBER_TEXT, "overdue": RED_TEXT}


def _password_key(row: AccountRow) -> Any:
    # A live account with no password change recorded has the oldest password of all.
    if row.password_age_days is None:
        return float("inf") if row.password_level == PasswordLevel.OVERDUE else None
    return row.password_age_days


# The value each column sorts by; None (nothing to compare) sorts last both ways.
_SORT_KEYS: dict[int, Callable[[AccountRow], Any]] = {
    COL_PLATFORM: lambda r: (r.platform.label.lower(), r.handle.lower()),
    COL_HANDLE: lambda r: r.handle.lower(),
    COL_MINISTRY: lambda r: (r.ministry_code, r.handle.lower()),
    COL_STATUS: lambda r: (_LIFECYCLE.index(r.status), r.handle.lower()),
    COL_EMAIL: lambda r: r.government_email.lower(),
    COL_OWNER: lambda r: r.owner_name.lower() if r.owner_name else None,
    COL_PASSWORD_AGE: _password_key,
    COL_NEXT_EVALUATION: lambda r: r.next_evaluation,
    COL_GOALS: lambda r: r.goals_status,
}


class AccountTableModel(QAbstractTableModel):
    """The rows of one load, sorted by the column the person clicked."""

    def __init__(self, timezone: str = "America/Regina") -> None:
        super().__init__()
        self.timezone = timezone  # the configured zone dates and times are shown in
        self.rows: list[AccountRow] = []
        self.sort_column = COL_PLATFORM
        self.sort_order = Qt.SortOrder.AscendingOrder

    # -- rows ----------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[AccountRow]) -> None:
        self.beginResetModel()
        self.rows = self._sorted(rows)
        self.endResetModel()

    def replace_row(self, row: AccountRow) -> bool:
        """Show an account's new state in place (after an edit); False if it is not listed."""
        position = self.position_of(row.id)
        if position is None:
            return False
        self.rows[position] = row
        self.dataChanged.emit(self.index(position, 0), self.index(position, len(HEADERS) - 1))
        return True

    def position_of(self, account_id: uuid.UUID) -> int | None:
        for i, row in enumerate(self.rows):
            if row.id == account_id:
                return i
        return None

    def row_at(self, position: int) -> AccountRow | None:
        return self.rows[position] if 0 <= position < len(self.rows) else None

    # -- Qt ------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column not in _SORT_KEYS:
            return
        self.sort_column, self.sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        ids = [self.rows[i.row()].id if i.isValid() else None for i in before]
        self.rows = self._sorted(self.rows)
        positions = {row.id: n for n, row in enumerate(self.rows)}
        after = [
            self.index(positions[account_id], old.column())
            if account_id is not None
            else QModelIndex()
            for old, account_id in zip(before, ids, strict=True)
        ]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def _sorted(self, rows: Sequence[AccountRow]) -> list[AccountRow]:
        key = _SORT_KEYS[self.sort_column]
        known = [r for r in rows if key(r) is not None]
        blank = sorted((r for r in rows if key(r) is None), key=lambda r: r.handle.lower())
        descending = self.sort_order == Qt.SortOrder.DescendingOrder
        return sorted(known, key=key, reverse=descending) + blank

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return _HEADER_TIPS.get(section, f"Click to sort by {HEADERS[section].lower()}.")
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == RowRole:
            return row
        if role == IdRole:
            return row.id
        if role == SortRole:
            return _SORT_KEYS[column](row)
        level = _LEVELS[column](row) if column in _LEVELS else None
        if role == LevelRole:
            return level
        if role == Qt.ItemDataRole.BackgroundRole:
            return _BACKGROUND.get(level or "")
        if role == Qt.ItemDataRole.ForegroundRole:
            if level in _FOREGROUND:
                return _FOREGROUND[level]
            if row.status in _CLOSED or (column == COL_OWNER and not row.owner_active):
                return MUTED_TEXT
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{HEADERS[column]}: {self._display(row, column)}"
        return None

    @staticmethod
    def _display(row: AccountRow, column: int) -> str:
        if column == COL_PLATFORM:
            return row.platform.label
        if column == COL_HANDLE:
            return f"@{row.handle}"
        if column == COL_MINISTRY:
            return row.ministry_code
        if column == COL_STATUS:
            return status_text(row.status)
        if column == COL_EMAIL:
            return row.government_email
        if column == COL_OWNER:
            if row.owner_name is None:
                return "No owner"
            return row.owner_name + ("" if row.owner_active else " (inactive)")
        if column == COL_PASSWORD_AGE:
            return password_text(row)
        if column == COL_NEXT_EVALUATION:
            return evaluation_text(row)
        return goals_text(row)

    def _tooltip(self, row: AccountRow, column: int) -> str | None:
        if column == COL_MINISTRY:
            return row.ministry_name
        if column == COL_EMAIL and not row.email_allowed:
            return (
                f"{row.government_email} is not on an allowed government domain; accounts "
                "must be tied to a government address, never a personal one."
            )
        if column == COL_STATUS and row.status_reason:
            return f"{status_text(row.status)}: {row.status_reason}"
        if column == COL_PASSWORD_AGE:
            every = (
                f"The password must be changed every {row.rotation_days} days "
                "(quarterly, counted from the last change)."
            )
            if row.password_changed_at is None or row.password_due_at is None:
                return f"No password change has been recorded. {every}"
            changed = format_when(row.password_changed_at, self.timezone)
            due = format_when(row.password_due_at, self.timezone)
            return f"Last changed {changed}; next change due by {due}. {every}"
        if column == COL_NEXT_EVALUATION:
            if row.next_evaluation is None:
                return "Only active accounts are evaluated, twice a year."
            return _due_in(row.next_evaluation, row)
        return None


def _due_in(due: date, row: AccountRow) -> str:
    if row.evaluation_status == "overdue":
        return f"The half-yearly evaluation was due on {due:%d %b %Y}."
    return f"The next half-yearly evaluation is due on {due:%d %b %Y}."


_HEADER_TIPS = {
    COL_EMAIL: "The government e-mail the account is registered with.",
    COL_OWNER: "The accountable owner of the account. Click to sort.",
    COL_PASSWORD_AGE: "Days since the password was last changed; amber shortly before "
    "rotation is due, red when it is overdue. Click to sort.",
    COL_NEXT_EVALUATION: "When the next half-yearly evaluation is due. Click to sort.",
    COL_GOALS: "The state of the account's annual goals. Click to sort.",
}
