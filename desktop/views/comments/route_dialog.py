"""Route a logged comment to another ministry for its answer ("Questions are monitored out of
Executive Council and routed to the appropriate ministry for a response"); the reason is kept in
the audit log."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.services.choices import Choice
from desktop.services.comment_detail import CommentDetail
from desktop.services.comment_work.routing import CommentRoutingService
from desktop.services.context import ServiceContext
from desktop.views.field_errors import FieldErrors, general_error_label
from desktop.views.worker import Progress, run_in_background


class RouteDialog(QDialog):
    def __init__(
        self,
        ctx: ServiceContext,
        detail: CommentDetail,
        ministries: list[Choice],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail = detail
        self.saved: Any = None
        self.setObjectName("routeDialog")
        self.setWindowTitle("Route the comment")
        self.setMinimumWidth(520)
        now = detail.ministry_name or "no ministry"
        intro = QLabel(
            f"This comment on {detail.row.account} is routed to <b>{now}</b>. Route it to the "
            "ministry that should answer; whoever it is assigned to keeps it only if they "
            "belong to that ministry."
        )
        intro.setWordWrap(True)
        self.ministry = QComboBox()
        self.ministry.setAccessibleName("Ministry")
        for m in ministries:
            if m.id != detail.ministry_id:
                self.ministry.addItem(m.label, m.id)
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason")
        self.reason.setPlaceholderText("e.g. A wildfire question: Environment answers it")
        self.errors = FieldErrors(general_error_label())
        form = QFormLayout()
        form.addRow("&Route to", self.errors.wrap("ministry_id", self.ministry))
        form.addRow("R&eason", self.errors.wrap("reason", self.reason))
        self.save_button = QPushButton("&Route")
        self.save_button.setObjectName("routeSaveButton")
        self.save_button.setDefault(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._on_save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.errors.general)
        layout.addWidget(buttons)

    @Slot()
    def _on_save(self) -> None:
        self.errors.clear()
        ministry_id: uuid.UUID = self.ministry.currentData()
        reason, row = self.reason.text(), self.detail.row
        service = CommentRoutingService(self.ctx)

        def save(_p: Progress) -> Any:
            return service.reroute(row.id, ministry_id, reason, version=row.version)

        def failed(exc: BaseException) -> None:
            self.save_button.setEnabled(True)
            self.errors.show(exc, self)

        def saved(comment: Any) -> None:
            self.saved = comment
            self.accept()

        self.save_button.setEnabled(False)
        run_in_background(self, save, on_success=saved, on_failure=failed)
