"""Tools ▸ Audit log: the latest changes, older ones on demand, and verifying the hash chain."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.services.audit import ChainReport
from desktop.services.audit_service import AuditRow, AuditService
from desktop.services.context import ServiceContext
from desktop.views.audit_log_model import (
    COL_ACTION,
    COL_RECORD,
    COL_SEQ,
    COL_WHEN,
    COL_WHO,
    AuditLogModel,
)
from desktop.views.errors import show_error
from desktop.views.worker import Progress, run_in_background

PAGE = 200


class AuditLogDialog(QDialog):
    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = AuditService(ctx)
        self.setObjectName("auditLogDialog")
        self.setWindowTitle("Audit log")
        self.resize(1000, 620)

        intro = QLabel(
            "Every change is recorded here with who made it and when. Each event is chained "
            "to the previous one by its hash, so a change made outside the app shows up when "
            "the chain is verified."
        )
        intro.setWordWrap(True)
        intro.setProperty("role", "muted")
        self.verify_button = QPushButton("Verify the chain")
        self.verify_button.setObjectName("verifyButton")
        self.verify_button.setProperty("role", "primary")
        self.verify_button.clicked.connect(self._on_verify)
        self.verify_result = QLabel("Not verified yet.")
        self.verify_result.setObjectName("verifyResult")
        self.verify_result.setWordWrap(True)
        self.verify_result.setAccessibleName("Verification result")
        top = QHBoxLayout()
        top.addWidget(self.verify_button)
        top.addWidget(self.verify_result, 1)

        self.model = AuditLogModel()
        self.table = QTableView()
        self.table.setObjectName("auditTable")
        self.table.setAccessibleName("Audit events")
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((COL_SEQ, 60), (COL_WHEN, 200), (COL_WHO, 100), (COL_ACTION, 150)):
            header.resizeSection(column, width)
        header.resizeSection(COL_RECORD, 150)

        self.older_button = QPushButton("Show older")
        self.older_button.setObjectName("olderButton")
        self.older_button.clicked.connect(self._on_older)
        self.older_button.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.older_button)
        bottom.addStretch(1)
        bottom.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self._load(None)

    def _load(self, before_seq: int | None) -> None:
        service, ctx = self.service, self.ctx

        def fetch(_progress: Progress) -> tuple[list[AuditRow], str]:
            rows = service.recent(PAGE, before_seq=before_seq)
            return rows, ctx.settings().timezone

        def show(result: tuple[list[AuditRow], str]) -> None:
            rows, timezone = result
            if before_seq is None:
                self.model.set_rows(rows, timezone)
            else:
                self.model.append_rows(rows)
            self.older_button.setEnabled(len(rows) == PAGE)

        run_in_background(self, fetch, on_success=show, progress_label="Loading the audit log…")

    @Slot()
    def _on_older(self) -> None:
        self.older_button.setEnabled(False)
        self._load(self.model.oldest_seq())

    @Slot()
    def _on_verify(self) -> None:
        self.verify_button.setEnabled(False)
        self.verify_result.setText("Verifying…")
        service = self.service

        def verify(_progress: Progress) -> ChainReport:
            return service.verify()

        def failed(exc: BaseException) -> None:
            self.verify_button.setEnabled(True)
            self.verify_result.setText("Could not verify.")
            show_error(self, exc)

        run_in_background(
            self,
            verify,
            on_success=self._show_report,
            on_failure=failed,
            progress_label="Verifying the audit log…",
        )

    def _show_report(self, report: ChainReport) -> None:
        self.verify_button.setEnabled(True)
        self.verify_result.setText(report.message)
        self.verify_result.setProperty("severity", "ok" if report.ok else "critical")
        self.verify_result.style().unpolish(self.verify_result)
        self.verify_result.style().polish(self.verify_result)
        self.verify_result.setAlignment(Qt.AlignmentFlag.AlignVCenter)
