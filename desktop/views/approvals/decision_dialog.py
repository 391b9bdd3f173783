"""Asking for the comment that goes with a decision (required to reject or request changes),
and for a resubmission the revised text; the decision is made from the dialog so the service's
message shows next to the field it names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.views.errors import clear_inline, show_inline
from desktop.views.worker import Progress, run_in_background

# Called with (comment, revised business case or None) on a worker thread; returns the result.
Perform = Callable[[str, str | None], Any]


class DecisionDialog(QDialog):
    """``result_value`` holds what ``perform`` returned once the service accepted it."""

    def __init__(
        self,
        title: str,
        intro: str,
        action_label: str,
        perform: Perform,
        *,
        comment_required: bool,
        business_case: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.perform = perform
        self.result_value: Any = None
        self.setObjectName("decisionDialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(520)

        text = QLabel(intro)
        text.setWordWrap(True)
        caption = "Comment (required)" if comment_required else "Comment (optional)"
        self.comment_label = QLabel(f"&{caption}")
        self.comment = QPlainTextEdit()
        self.comment.setObjectName("decisionComment")
        self.comment.setAccessibleName(caption)
        self.comment.setTabChangesFocus(True)
        self.comment.setFixedHeight(90)
        if comment_required:
            self.comment.setPlaceholderText("Say why, so the submitter knows what to change.")
        self.comment_label.setBuddy(self.comment)
        self.business_case: QPlainTextEdit | None = None

        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = QPushButton(action_label)
        self.ok_button.setObjectName("decisionOk")
        self.ok_button.setDefault(True)
        self.buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._on_ok)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(text)
        self.fields: dict[str, QWidget] = {"comment": self.comment}
        if business_case is not None:
            self.business_case = QPlainTextEdit(business_case)
            self.business_case.setObjectName("decisionBusinessCase")
            self.business_case.setAccessibleName("Revised text of the request")
            self.business_case.setTabChangesFocus(True)
            self.business_case.setMinimumHeight(140)
            label = QLabel("Revised &text of the request")
            label.setBuddy(self.business_case)
            layout.addWidget(label)
            layout.addWidget(self.business_case, 1)
            self.fields["business_case"] = self.business_case
        layout.addWidget(self.comment_label)
        layout.addWidget(self.comment)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        (self.business_case or self.comment).setFocus()

    @Slot()
    def _on_ok(self) -> None:
        clear_inline(self.fields, self.error)
        comment = self.comment.toPlainText()
        revised = self.business_case.toPlainText() if self.business_case is not None else None
        self.ok_button.setEnabled(False)
        perform = self.perform

        def work(_p: Progress) -> Any:
            return perform(comment, revised)

        run_in_background(self, work, on_success=self._on_done, on_failure=self._on_failed)

    def _on_done(self, value: Any) -> None:
        self.result_value = value
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        show_inline(self.fields, self.error, exc, self)
