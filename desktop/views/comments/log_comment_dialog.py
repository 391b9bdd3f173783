"""Log a citizen's comment: where and when it was posted, who wrote it and what it says, with
the acknowledge-by and answer-by times shown live before it is saved.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDateTime, QTimer, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.enums import CommentKind
from desktop.errors import DomainError
from desktop.policy.sla import DueTimes
from desktop.services.choices import Choice
from desktop.services.comments import CommentService
from desktop.services.context import ServiceContext
from desktop.views.field_errors import FieldErrors, error_label
from desktop.views.worker import Progress, run_in_background

PREVIEW_DELAY_MS = 150
KIND_LABELS = {
    CommentKind.QUESTION: "Question",
    CommentKind.COMMENT: "Comment",
    CommentKind.COMPLAINT: "Complaint",
    CommentKind.COMPLIMENT: "Compliment",
    CommentKind.MEDIA: "Media enquiry",
}


def _with_error(widget: QWidget, error: QLabel) -> QWidget:
    """A field with its error line under it, as one form cell."""
    cell = QWidget()
    box = QVBoxLayout(cell)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(2)
    box.addWidget(widget)
    box.addWidget(error)
    return cell


class LogCommentDialog(QDialog):
    """Saves through ``CommentService.log``; stays open with the message next to the field."""

    def __init__(
        self,
        ctx: ServiceContext,
        accounts: Sequence[Choice],
        parent: QWidget | None = None,
        *,
        timezone: str = "America/Regina",
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = CommentService(ctx)
        self.timezone = timezone
        self._tz = ZoneInfo(timezone)
        self.saved: Any = None
        self.preview: DueTimes | None = None
        self._preview_generation = 0
        self.setObjectName("logCommentDialog")
        self.setWindowTitle("Log a comment")
        self.setMinimumWidth(600)

        self.account = QComboBox()
        self.account.setObjectName("logAccount")
        self.account.addItem("Choose the account it was posted on…", None)
        for choice in accounts:
            self.account.addItem(f"{choice.label} · {choice.detail}", str(choice.id))
        self.received = QDateTimeEdit()
        self.received.setObjectName("logReceived")
        self.received.setCalendarPopup(True)
        self.received.setDisplayFormat("ddd d MMM yyyy  HH:mm")
        self.received.setDateTime(self._to_widget(ctx.now()))
        zone = QLabel(ctx.now().astimezone(self._tz).tzname() or timezone)
        zone.setProperty("role", "muted")
        self.author = QLineEdit()
        self.author.setObjectName("logAuthor")
        self.author.setPlaceholderText("Name as shown on the platform (optional)")
        self.handle = QLineEdit()
        self.handle.setObjectName("logHandle")
        self.handle.setPlaceholderText("@handle (optional; needed to record strikes)")
        self.url = QLineEdit()
        self.url.setObjectName("logUrl")
        self.url.setPlaceholderText("https://… link to the comment (optional)")
        self.text = QPlainTextEdit()
        self.text.setObjectName("logText")
        self.text.setPlaceholderText("The comment or question, as posted")
        self.text.setMinimumHeight(110)
        self.kind = QComboBox()
        self.kind.setObjectName("logKind")
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind)
        self.high_profile = QCheckBox("High-profile member of the community or the media")
        self.high_profile.setObjectName("logHighProfile")

        self.due_frame = QFrame()
        self.due_frame.setProperty("role", "card")
        self.due_label = QLabel("Choose the account to see when it is due.")
        self.due_label.setObjectName("duePreview")
        self.due_label.setWordWrap(True)
        due_box = QVBoxLayout(self.due_frame)
        due_box.setContentsMargins(10, 8, 10, 8)
        due_box.addWidget(self.due_label)

        errors = {
            name: error_label(f"{name}Error")
            for name in (
                "account_id",
                "received_at",
                "author_name",
                "author_handle",
                "url",
                "text",
                "kind",
            )
        }
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow("&Account", _with_error(self.account, errors["account_id"]))
        received_line = QWidget()
        line = QVBoxLayout(received_line)
        line.setContentsMargins(0, 0, 0, 0)
        when = QHBoxLayout()
        when.setContentsMargins(0, 0, 0, 0)
        when.addWidget(self.received, 1)
        when.addWidget(zone)
        line.addLayout(when)
        line.addWidget(errors["received_at"])
        form.addRow("&Received", received_line)
        form.addRow("A&uthor", _with_error(self.author, errors["author_name"]))
        form.addRow("&Handle", _with_error(self.handle, errors["author_handle"]))
        form.addRow("&Text", _with_error(self.text, errors["text"]))
        form.addRow("&Link", _with_error(self.url, errors["url"]))
        form.addRow("&Kind", _with_error(self.kind, errors["kind"]))
        form.addRow("", self.high_profile)
        for widget, name in (
            (self.account, "Account"),
            (self.received, "Received time"),
            (self.author, "Author name"),
            (self.handle, "Author handle"),
            (self.text, "Comment text"),
            (self.url, "Link to the comment"),
            (self.kind, "Kind of comment"),
            (self.due_label, "Due times"),
        ):
            widget.setAccessibleName(name)

        self.general_error = error_label("formError")
        self.errors = FieldErrors.for_fields(
            {
                "account_id": (self.account, errors["account_id"]),
                "received_at": (self.received, errors["received_at"]),
                "author_name": (self.author, errors["author_name"]),
                "author_handle": (self.handle, errors["author_handle"]),
                "url": (self.url, errors["url"]),
                "text": (self.text, errors["text"]),
                "kind": (self.kind, errors["kind"]),
            },
            self.general_error,
        )
        self.save_button = QPushButton("&Save comment")
        self.save_button.setObjectName("saveCommentButton")
        self.save_button.setDefault(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._on_save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.due_frame)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)

        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self._update_preview)
        self.account.currentIndexChanged.connect(self._on_when_where_changed)
        self.received.dateTimeChanged.connect(self._on_when_where_changed)

    # -- time conversion -----------------------------------------------------------------

    def _to_widget(self, value: datetime) -> QDateTime:
        local = value.astimezone(self._tz)
        return QDateTime(
            local.year, local.month, local.day, local.hour, local.minute, 0
        )  # wall time of the branch's zone, whatever the PC's zone is

    def received_at(self) -> datetime:
        shown = self.received.dateTime()
        d, t = shown.date(), shown.time()
        return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=self._tz)

    def _format(self, value: datetime) -> str:
        return value.astimezone(self._tz).strftime("%a %d %b %Y, %H:%M %Z")

    # -- the live due times --------------------------------------------------------------

    @Slot()
    def _on_when_where_changed(self, *_args: object) -> None:
        self._preview_timer.start()

    @Slot()
    def _update_preview(self) -> None:
        account_id = self.account_id()
        self._preview_generation += 1
        generation = self._preview_generation
        if account_id is None:
            self.preview = None
            self.due_label.setText("Choose the account to see when it is due.")
            return
        received, service = self.received_at(), self.service

        def shown(due: DueTimes | BaseException) -> None:
            if generation != self._preview_generation:
                return
            if isinstance(due, BaseException):
                self.preview = None
                self.due_label.setText(f"Cannot compute the due times: {due}")
                return
            self.preview = due
            self.due_label.setText(
                f"<b>Acknowledge by</b> {self._format(due.acknowledge_by)}<br>"
                f"<b>Answer by</b> {self._format(due.answer_by)}"
            )

        run_in_background(
            self,
            lambda _p: service.preview_due(account_id, received),
            on_success=shown,
            on_failure=shown,
        )

    # -- saving --------------------------------------------------------------------------

    def account_id(self) -> uuid.UUID | None:
        data = self.account.currentData()
        return uuid.UUID(data) if data else None

    def values(self) -> dict[str, Any]:
        return {
            "account_id": self.account_id(),
            "received_at": self.received_at(),
            "text": self.text.toPlainText(),
            "author_name": self.author.text(),
            "author_handle": self.handle.text(),
            "url": self.url.text(),
            "kind": self.kind.currentData(),
            "high_profile": self.high_profile.isChecked(),
        }

    @Slot()
    def _on_save(self) -> None:
        self.errors.clear()
        values = self.values()
        if values["account_id"] is None:
            self._failed(_no_account())
            return
        service = self.service

        def save(_p: Progress) -> Any:
            return service.log(**values)

        self.save_button.setEnabled(False)
        run_in_background(
            self, save, on_success=self._saved, on_failure=self._failed, progress_label="Saving…"
        )

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.errors.show(exc, self)

    def _saved(self, comment: Any) -> None:
        self.saved = comment
        self.accept()


def _no_account() -> BaseException:
    return DomainError("Choose the account the comment was posted on.", "account_id")
