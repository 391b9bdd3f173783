"""Record when an account's password was changed (the password itself is never stored)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QDateTime, QTime, Slot
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.models import Account
from desktop.services.account_list import AccountRow
from desktop.services.accounts import AccountService
from desktop.services.context import ServiceContext
from desktop.views.field_errors import FieldErrors, general_error_label
from desktop.views.worker import Progress, run_in_background


class PasswordChangeDialog(QDialog):
    """When the password of ``row`` was changed (now by default), in the configured zone."""

    def __init__(
        self,
        ctx: ServiceContext,
        row: AccountRow,
        timezone: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.row = row
        self.zone = ZoneInfo(timezone)
        self.saved: Account | None = None
        self.setObjectName("passwordChangeDialog")
        self.setWindowTitle(f"Record a password change — {row.label}")
        self.setMinimumWidth(460)
        intro = QLabel(
            f"Passwords are changed every {row.rotation_days} days. Record when the password "
            f"of {row.label} was changed; the password itself is never stored here."
        )
        intro.setWordWrap(True)
        intro.setProperty("role", "muted")
        now = ctx.now().astimezone(self.zone)
        self.changed_at = QDateTimeEdit(
            QDateTime(QDate(now.year, now.month, now.day), QTime(now.hour, now.minute))
        )
        self.changed_at.setObjectName("passwordChangedAt")
        self.changed_at.setAccessibleName("When the password was changed")
        self.changed_at.setCalendarPopup(True)
        self.changed_at.setDisplayFormat("dd MMM yyyy HH:mm")
        self.error = general_error_label()
        self.errors = FieldErrors(self.error)
        form = QFormLayout()
        form.addRow("&Changed at", self.errors.wrap("changed_at", self.changed_at))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = QPushButton("Record change")
        self.save_button.setObjectName("passwordSave")
        self.save_button.setDefault(True)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def when(self) -> datetime:
        local = self.changed_at.dateTime().toPython()
        assert isinstance(local, datetime)
        return local.replace(tzinfo=self.zone).astimezone(UTC)

    @Slot()
    def _on_save(self) -> None:
        self.errors.clear()
        service = AccountService(self.ctx)
        account_id, when = self.row.id, self.when()

        def save(_progress: Progress) -> Account:
            return service.record_password_change(account_id, when)

        def failed(exc: BaseException) -> None:
            self.save_button.setEnabled(True)
            self.errors.show(exc, self)

        self.save_button.setEnabled(False)
        run_in_background(self, save, on_success=self._saved, on_failure=failed)

    def _saved(self, account: Account) -> None:
        self.saved = account
        self.accept()
