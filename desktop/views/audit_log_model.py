"""A thin table model over the audit log's readable entries (newest first): when, who (name
and role), what happened (a sentence), to which record (its name)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.enums import AppRole
from desktop.services.audit_log import AuditEntry
from desktop.views.local_time import format_when

COL_WHEN, COL_WHO, COL_WHAT, COL_RECORD = range(4)
HEADERS = ("When", "Who", "What", "Record")
EntryRole = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


# Roles as a column has room for them; the tooltip and the detail give them in full.
SHORT_ROLES = {
    AppRole.OFFICER: "Officer",
    AppRole.COMMS_DIRECTOR: "Comms director",
    AppRole.DCI_DIRECTOR: "Director DCI",
    AppRole.DSO: "DSO",
    AppRole.EXEC_COUNCIL: "Executive Council",
    AppRole.MINISTERS_OFFICE: "Minister's Office",
    AppRole.AGENCY: "Agency",
    AppRole.AUDITOR: "Auditor",
    AppRole.ADMIN: "Administrator",
}


def who_text(entry: AuditEntry, *, short: bool = False) -> str:
    """'Wyatt Patel (Director, Digital Channels and Insights)', or with short role names."""
    if not entry.roles:
        return entry.who
    names = [SHORT_ROLES[r] if short else r.label for r in entry.roles]
    return f"{entry.who} ({', '.join(names)})"


class AuditLogModel(QAbstractTableModel):
    def __init__(self, timezone: str = "America/Regina") -> None:
        super().__init__()
        self.rows: list[AuditEntry] = []
        self.timezone = timezone

    def set_rows(self, rows: Sequence[AuditEntry], timezone: str | None = None) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        if timezone:
            self.timezone = timezone
        self.endResetModel()

    def append_rows(self, rows: Sequence[AuditEntry]) -> None:
        """Older entries, as "Show older" fetches them."""
        if not rows:
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self.rows.extend(rows)
        self.endInsertRows()

    def oldest_seq(self) -> int | None:
        return self.rows[-1].seq if self.rows else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self.rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._display(entry, column, full=role == Qt.ItemDataRole.ToolTipRole)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{HEADERS[column]}: {self._display(entry, column, full=True)}"
        if role == EntryRole:
            return entry
        return None

    def _display(self, entry: AuditEntry, column: int, *, full: bool) -> str:
        if column == COL_WHEN:
            return format_when(entry.occurred_at, self.timezone)
        if column == COL_WHO:
            return who_text(entry, short=not full)
        if column == COL_WHAT:
            return entry.what
        return f"{entry.record} ({entry.kind.lower()})" if full else entry.record
