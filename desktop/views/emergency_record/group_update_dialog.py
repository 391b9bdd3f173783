"""Post a group update during an emergency: a statement, a Q&A, an infographic, or the phone
number or link where people find more information, instead of many individual replies."""

from __future__ import annotations

import uuid
from html import escape
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.enums import GroupUpdateKind
from desktop.services.context import ServiceContext
from desktop.services.emergencies import EmergencyService
from desktop.views.comments.restricted_topics import RestrictedTopicsBox
from desktop.views.field_errors import FieldErrors, error_label
from desktop.views.worker import Progress, run_in_background

UPDATE_KINDS = {
    GroupUpdateKind.STATEMENT: "Statement",
    GroupUpdateKind.QA: "Q&A document",
    GroupUpdateKind.INFOGRAPHIC: "Infographic",
    GroupUpdateKind.PHONE_OR_LINK: "Phone number or link for more information",
}


SHORT_KINDS = {
    GroupUpdateKind.STATEMENT: "Statement",
    GroupUpdateKind.QA: "Q&A",
    GroupUpdateKind.INFOGRAPHIC: "Infographic",
    GroupUpdateKind.PHONE_OR_LINK: "Phone or link",
}


def update_kind_label(kind: GroupUpdateKind, *, short: bool = False) -> str:
    return (SHORT_KINDS if short else UPDATE_KINDS)[kind]


class GroupUpdateDialog(QDialog):
    """Saves through ``EmergencyService.add_group_update``."""

    def __init__(
        self,
        ctx: ServiceContext,
        emergency_id: uuid.UUID,
        title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.emergency_id = emergency_id
        self.saved: Any = None
        self.setObjectName("groupUpdateDialog")
        self.setWindowTitle("Post a group update")
        self.setMinimumWidth(600)
        intro = QLabel(
            f"<b>{escape(title)}</b><br>In an emergency many people ask the same questions: answer "
            "them with a few updates, and give a phone number or a link where people can get "
            "more information."
        )
        intro.setWordWrap(True)
        self.kind = QComboBox()
        self.kind.setObjectName("updateKind")
        self.kind.setAccessibleName("Kind of update")
        for kind, label in UPDATE_KINDS.items():
            self.kind.addItem(label, kind)
        self.text = QPlainTextEdit()
        self.text.setObjectName("updateText")
        self.text.setAccessibleName("Update text")
        self.text.setPlaceholderText("The update as it will be posted")
        self.text.setMinimumHeight(90)
        self.link = QLineEdit()
        self.link.setObjectName("updateLink")
        self.link.setAccessibleName("Link")
        self.link.setPlaceholderText("https://www.saskatchewan.ca/…")
        self.phone = QLineEdit()
        self.phone.setObjectName("updatePhone")
        self.phone.setAccessibleName("Phone number")
        self.phone.setPlaceholderText("1-855-559-5502")
        self.topics = RestrictedTopicsBox("the update")
        labels = {f: error_label(f"error_{f}") for f in ("kind", "text", "link_url", "phone")}
        form = QFormLayout()
        form.addRow("&Kind", _stack(self.kind, labels["kind"]))
        form.addRow("&Update", _stack(self.text, labels["text"]))
        form.addRow("&Link", _stack(self.link, labels["link_url"]))
        form.addRow("&Phone", _stack(self.phone, labels["phone"]))
        self.general_error = error_label("formError")
        self.errors = FieldErrors.for_fields(
            {
                "kind": (self.kind, labels["kind"]),
                "text": (self.text, labels["text"]),
                "link_url": (self.link, labels["link_url"]),
                "phone": (self.phone, labels["phone"]),
                "restricted_topics_cleared": (self.topics, self.topics.error),
            },
            self.general_error,
        )
        self.save_button = QPushButton("&Post update")
        self.save_button.setObjectName("postUpdateButton")
        self.save_button.setDefault(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._on_save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.topics)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)

    def values(self) -> dict[str, Any]:
        return {
            "kind": self.kind.currentData(),
            "text": self.text.toPlainText(),
            "link_url": self.link.text(),
            "phone": self.phone.text(),
            "restricted_topics_cleared": self.topics.cleared(),
        }

    @Slot()
    def _on_save(self) -> None:
        self.errors.clear()
        values, service, emergency_id = self.values(), EmergencyService(self.ctx), self.emergency_id

        def save(_p: Progress) -> Any:
            return service.add_group_update(emergency_id, **values)

        def failed(exc: BaseException) -> None:
            self.save_button.setEnabled(True)
            self.errors.show(exc, self)

        def saved(update: Any) -> None:
            self.saved = update
            self.accept()

        self.save_button.setEnabled(False)
        run_in_background(self, save, on_success=saved, on_failure=failed)


def _stack(widget: QWidget, error: QLabel) -> QWidget:
    cell = QWidget()
    box = QVBoxLayout(cell)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(2)
    box.addWidget(widget)
    box.addWidget(error)
    return cell
