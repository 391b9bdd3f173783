"""A thin table model over audit log rows (newest first), for the audit log dialog and any
record's history panel.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.services.audit_service import AuditRow
from desktop.views.local_time import format_when

COL_SEQ, COL_WHEN, COL_WHO, COL_ACTION, COL_RECORD, COL_CHANGES = range(6)
HEADERS = ("#", "When", "Who", "Action", "Record", "Changes")
SeqRole = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


def _value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


def changes(row: AuditRow) -> str:
    """ "status: active → suspended; handle: a → b" over the keys the event touched."""
    keys = sorted(set(row.before) | set(row.after))
    parts = []
    for key in keys:
        if key in ("id", "version", "updated_at"):
            continue
        old, new = row.before.get(key), row.after.get(key)
        if key in row.before and key in row.after:
            parts.append(f"{key}: {_value(old)} → {_value(new)}")
        elif key in row.after:
            parts.append(f"{key}: {_value(new)}")
        else:
            parts.append(f"{key}: {_value(old)} removed")
    return "; ".join(parts)


class AuditLogModel(QAbstractTableModel):
    def __init__(self, timezone: str = "America/Regina") -> None:
        super().__init__()
        self.rows: list[AuditRow] = []
        self.timezone = timezone

    def set_rows(self, rows: Sequence[AuditRow], timezone: str | None = None) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        if timezone:
            self.timezone = timezone
        self.endResetModel()

    def append_rows(self, rows: Sequence[AuditRow]) -> None:
        """Older events, as "Show older" fetches them."""
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
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_CHANGES:
            return changes(row) or None
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_RECORD:
            return f"{row.entity_type} {row.entity_id}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_SEQ:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == SeqRole:
            return row.seq
        return None

    def _display(self, row: AuditRow, column: int) -> str:
        if column == COL_SEQ:
            return str(row.seq)
        if column == COL_WHEN:
            return format_when(row.occurred_at, self.timezone)
        if column == COL_WHO:
            return row.actor_login
        if column == COL_ACTION:
            return row.action
        if column == COL_RECORD:
            return f"{row.entity_type} {row.entity_id[:8]}"
        return changes(row)
