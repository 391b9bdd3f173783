"""The register of staff members' personal social media names that include the Government's
name, with the decision on each (Executive Council and Digital Strategy and Operations)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.enums import ApprovalState
from desktop.services.approvals_flow.personal_names import PersonalNameRow, PersonalNameService
from desktop.services.context import ServiceContext
from desktop.views.errors import show_error
from desktop.views.worker import run_in_background

HEADERS = ("Staff member", "Personal account", "Decision", "Decided")
DECISIONS = {
    ApprovalState.DRAFT: "Draft, not submitted",
    ApprovalState.SUBMITTED: "Waiting for signatures",
    ApprovalState.CHANGES_REQUESTED: "Changes requested",
    ApprovalState.APPROVED: "Approved",
    ApprovalState.REJECTED: "Refused",
    ApprovalState.WITHDRAWN: "Withdrawn",
}


class PersonalNamesDialog(QDialog):
    """Read-only; a new name is asked for with New request › Personal name."""

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("personalNamesDialog")
        self.setWindowTitle("Register of personal names with the Government's name")
        self.setMinimumSize(720, 380)
        intro = QLabel(
            "Personal social media names that include the Government's name need the prior "
            "approval of Executive Council and Digital Strategy and Operations. Ask for one "
            "with New request › Personal name with the Government's name."
        )
        intro.setWordWrap(True)
        intro.setProperty("role", "muted")
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("personalNamesTable")
        self.table.setAccessibleName("Personal names register")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.count = QLabel("Loading…")
        self.count.setObjectName("personalNamesCount")
        self.count.setProperty("role", "muted")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        layout.addWidget(buttons)
        service = PersonalNameService(ctx)
        run_in_background(
            self,
            lambda _p: service.register(),
            on_success=self._fill,
            on_failure=lambda exc: show_error(self, exc),
        )

    def _fill(self, rows: list[PersonalNameRow]) -> None:
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            decided = f"{row.decided_at:%d %b %Y}" if row.decided_at else ""
            for column, text in enumerate(
                (row.person_name, row.label, DECISIONS[row.state], decided)
            ):
                self.table.setItem(i, column, QTableWidgetItem(text))
        for column in (0, 2, 3):
            self.table.resizeColumnToContents(column)
        approved = sum(1 for r in rows if r.state == ApprovalState.APPROVED)
        names = "1 name" if len(rows) == 1 else f"{len(rows)} names"
        self.count.setText(
            f"{names} asked for, {approved} approved." if rows else "No names asked for yet."
        )
