"""The schedule of evaluations due and overdue; activating a row asks to evaluate that account."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.services.evaluations import ScheduleRow
from desktop.views.evaluations.column_fit import ColumnFitter
from desktop.views.evaluations.read_only_table import read_only_table
from desktop.views.evaluations.schedule_model import COL_ACCOUNT, AccountIdRole, ScheduleModel


class SchedulePanel(QGroupBox):
    """``account_activated`` carries the account of a double-clicked row (or Enter on it)."""

    account_activated = Signal(object)  # the account's uuid

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Evaluation schedule", parent)
        self.setObjectName("evaluationSchedule")
        # Parented: a model the Python collector frees on a worker thread would crash Qt.
        self.model = ScheduleModel(parent=self)
        self.table = read_only_table("scheduleTable", "Evaluation schedule", self.model)
        ColumnFitter(self.table, COL_ACCOUNT, fill_min=150)
        self.table.doubleClicked.connect(self._on_activated)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self._on_enter)
        self.show_all = QCheckBox("Show all active accounts")
        self.show_all.setObjectName("scheduleShowAll")
        self.show_all.setToolTip("Also the accounts whose next evaluation is not due soon.")
        self.show_all.toggled.connect(self._on_show_all)
        self.count = QLabel()
        self.count.setObjectName("scheduleCount")
        self.count.setProperty("role", "muted")
        bar = QHBoxLayout()
        bar.addWidget(self.count, 1)
        bar.addWidget(self.show_all)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(bar)
        layout.addWidget(self.table)

    def set_rows(self, rows: Sequence[ScheduleRow]) -> None:
        self.model.set_rows(rows)
        self._update_count()

    def row_for(self, account_id: uuid.UUID | None) -> ScheduleRow | None:
        """The account's row, shown or not; None for an account that is not active."""
        return next((r for r in self.model.all_rows if r.account_id == account_id), None)

    def _update_count(self) -> None:
        overdue, soon = self.model.count("overdue"), self.model.count("due soon")
        if not overdue and not soon:
            self.count.setText("No evaluation is due soon or overdue.")
        else:
            self.count.setText(f"{overdue} overdue, {soon} due soon")

    @Slot(bool)
    def _on_show_all(self, checked: bool) -> None:
        self.model.set_show_all(checked)

    @Slot()
    def _on_enter(self) -> None:
        self._on_activated(self.table.currentIndex())

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        account_id = self.model.data(index, AccountIdRole) if index.isValid() else None
        if isinstance(account_id, uuid.UUID):
            self.account_activated.emit(account_id)
