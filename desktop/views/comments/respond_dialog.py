"""Respond to a comment by one of the policy's four methods, after answering the
restricted-topics checklist; a high-profile comment gets the standard referral text.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.enums import ResponseMethod, RestrictedTopic
from desktop.services.comment_detail import CommentDetail
from desktop.services.comments import CommentService
from desktop.services.context import ServiceContext
from desktop.views.comments.media_box import MediaBox
from desktop.views.field_errors import FieldErrors, error_label, fit_height
from desktop.views.worker import Progress, run_in_background

METHOD_HINTS = {
    ResponseMethod.PUBLIC_ANSWER: "a. A direct answer, posted publicly.",
    ResponseMethod.WEB_LINK: "b. A web link to a form or to the information asked for.",
    ResponseMethod.PHONE_NUMBER: "c. A phone number the person can call.",
    ResponseMethod.DIRECT_MESSAGE: "d. Ask the person to send a direct message, then follow up.",
}
NOT_DISCUSSED, DISCUSSED = 1, 2


class RespondDialog(QDialog):
    """Saves through ``CommentService.respond``; messages appear next to the field named."""

    def __init__(
        self, ctx: ServiceContext, detail: CommentDetail, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail = detail
        self.service = CommentService(ctx)
        self.saved: Any = None
        self.referral_inserted = False
        self.setObjectName("respondDialog")
        self.setWindowTitle("Respond to a comment")
        self.setMinimumWidth(640)

        row = detail.row
        quote = QLabel(
            f"<b>{escape(row.author)}</b> on {escape(row.account)}:<br>{_quote(detail.text)}"
        )
        quote.setObjectName("respondQuote")
        quote.setWordWrap(True)
        quote.setProperty("role", "muted")

        # -- method ------------------------------------------------------------------------
        self.methods = QButtonGroup(self)
        method_box = QGroupBox("How will you respond?")
        method_grid = QGridLayout(method_box)
        method_grid.setHorizontalSpacing(16)
        self.method_buttons: dict[ResponseMethod, QRadioButton] = {}
        for i, method in enumerate(ResponseMethod):
            button = QRadioButton(method.label)
            button.setObjectName(f"method_{method.value}")
            button.setToolTip(METHOD_HINTS[method])
            button.setAccessibleName(f"Respond by {method.label.lower()}")
            self.methods.addButton(button, i)
            self.method_buttons[method] = button
            method_grid.addWidget(button, i // 2, i % 2)
        self.method_error = error_label("methodError")
        method_grid.addWidget(self.method_error, 2, 0, 1, 2)
        self.method_buttons[ResponseMethod.PUBLIC_ANSWER].setChecked(True)
        self.methods.idToggled.connect(self._on_method_changed)

        # -- reply -------------------------------------------------------------------------
        self.text = QPlainTextEdit()
        self.text.setObjectName("replyText")
        self.text.setAccessibleName("Reply text")
        self.text.setMinimumHeight(100)
        self.link = QLineEdit()
        self.link.setObjectName("replyLink")
        self.link.setAccessibleName("Web link")
        self.link.setPlaceholderText("https://www.saskatchewan.ca/…")
        self.phone = QLineEdit()
        self.phone.setObjectName("replyPhone")
        self.phone.setAccessibleName("Phone number")
        self.phone.setPlaceholderText("306-787-0000")
        self.text_error = error_label("textError")
        self.link_error = error_label("linkError")
        self.phone_error = error_label("phoneError")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow("&Reply", _stack(self.text, self.text_error))
        form.addRow("Web &link", _stack(self.link, self.link_error))
        form.addRow("&Phone", _stack(self.phone, self.phone_error))

        # -- high profile ------------------------------------------------------------------
        self.referral_frame = QFrame()
        self.referral_frame.setObjectName("referralFrame")
        self.referral_frame.setProperty("role", "card")
        referral_note = QLabel(
            "<b>High-profile or media comment.</b> The policy asks for the standard referral "
            "to the Minister's office."
        )
        referral_note.setWordWrap(True)
        self.referral_button = QPushButton("Insert &referral text")
        self.referral_button.setObjectName("insertReferralButton")
        self.referral_button.clicked.connect(self._on_insert_referral)
        self.referral_error = error_label("referralError")
        referral_layout = QGridLayout(self.referral_frame)
        referral_layout.setContentsMargins(10, 8, 10, 8)
        referral_layout.addWidget(referral_note, 0, 0)
        referral_layout.addWidget(self.referral_button, 0, 1)
        referral_layout.addWidget(self.referral_error, 1, 0, 1, 2)
        referral_layout.setColumnStretch(0, 1)
        self.referral_frame.setVisible(row.high_profile)

        # -- restricted topics -------------------------------------------------------------
        self.topics_box = QGroupBox("Restricted topics: does the reply discuss any of these?")
        self.topics_box.setObjectName("restrictedTopics")
        topics = QGridLayout(self.topics_box)
        topics.setHorizontalSpacing(14)
        topics.setVerticalSpacing(4)
        self.topic_groups: dict[RestrictedTopic, QButtonGroup] = {}
        for i, topic in enumerate(RestrictedTopic):
            label = QLabel(topic.label)
            no = QRadioButton("Not discussed")
            no.setObjectName(f"topic_{topic.value}_no")
            no.setAccessibleName(f"{topic.label}: not discussed")
            yes = QRadioButton("Discussed")
            yes.setObjectName(f"topic_{topic.value}_yes")
            yes.setAccessibleName(f"{topic.label}: discussed")
            group = QButtonGroup(self)
            group.addButton(no, NOT_DISCUSSED)
            group.addButton(yes, DISCUSSED)
            group.idToggled.connect(self._on_topic_answered)
            self.topic_groups[topic] = group
            topics.addWidget(label, i, 0)
            topics.addWidget(no, i, 1)
            topics.addWidget(yes, i, 2)
        topics.setColumnStretch(0, 1)
        self.topics_hint = QLabel()
        self.topics_hint.setObjectName("topicsHint")
        self.topics_hint.setWordWrap(True)
        self.topics_hint.setProperty("role", "muted")
        self.topics_error = error_label("topicsError")
        topics.addWidget(self.topics_hint, len(RestrictedTopic), 0, 1, 3)
        topics.addWidget(self.topics_error, len(RestrictedTopic) + 1, 0, 1, 3)

        self.media_box = MediaBox()
        self.general_error = error_label("formError")
        self.errors = FieldErrors.for_fields(
            {
                **self.media_box.errors,
                "method": (method_box, self.method_error),
                "text": (self.text, self.text_error),
                "link_url": (self.link, self.link_error),
                "phone": (self.phone, self.phone_error),
                "restricted_topics_cleared": (self.topics_box, self.topics_error),
                "high_profile_referral": (self.referral_button, self.referral_error),
            },
            self.general_error,
        )
        self.save_button = QPushButton("&Save response")
        self.save_button.setObjectName("saveResponseButton")
        self.save_button.setDefault(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._on_save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(quote)
        layout.addWidget(method_box)
        layout.addWidget(self.referral_frame)
        layout.addLayout(form)
        layout.addWidget(self.topics_box)
        layout.addWidget(self.media_box)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        self._on_method_changed()

    # -- state ---------------------------------------------------------------------------

    def method(self) -> ResponseMethod:
        for method, button in self.method_buttons.items():
            if button.isChecked():
                return method
        return ResponseMethod.PUBLIC_ANSWER

    def topics_cleared(self) -> bool:
        """Every restricted topic answered "not discussed"."""
        return all(g.checkedId() == NOT_DISCUSSED for g in self.topic_groups.values())

    @Slot()
    def _on_method_changed(self, *_args: object) -> None:
        method = self.method()
        self.link.setEnabled(method == ResponseMethod.WEB_LINK)
        self.phone.setEnabled(method == ResponseMethod.PHONE_NUMBER)
        self.text.setPlaceholderText(
            {
                ResponseMethod.PUBLIC_ANSWER: "The answer as it will be posted",
                ResponseMethod.WEB_LINK: "A sentence to go with the link (optional)",
                ResponseMethod.PHONE_NUMBER: "A sentence to go with the number (optional)",
                ResponseMethod.DIRECT_MESSAGE: "e.g. Please send us a direct message so we can "
                "follow up with you.",
            }[method]
        )
        self._on_topic_answered()

    @Slot()
    def _on_topic_answered(self, *_args: object) -> None:
        bare = self.method() in (ResponseMethod.WEB_LINK, ResponseMethod.PHONE_NUMBER)
        discussed = [t.label for t, g in self.topic_groups.items() if g.checkedId() == DISCUSSED]
        if discussed:
            text = (
                "A reply may not discuss these, in public or in a message: take them out, or "
                "reply with only a phone number or a link where the person can get help."
            )
        elif bare:
            text = (
                "Required as soon as the reply has words in it; a bare link or phone number "
                "needs no checklist."
            )
        else:
            text = "Answer every line before saving: the reply puts words in public or a message."
        if self.topics_cleared():
            text = "Checked: the reply discusses none of the restricted topics."
        self.topics_hint.setText(text)
        fit_height(self)  # a hint that wraps onto a second line gets its room

    @Slot()
    def _on_insert_referral(self) -> None:
        ministry_id = self.detail.ministry_id
        if ministry_id is None:
            return
        service = self.service

        def inserted(text: str) -> None:
            self.referral_inserted = True
            self.errors.clear()
            current = self.text.toPlainText().strip()
            self.text.setPlainText(f"{current}\n\n{text}".strip() if current else text)

        run_in_background(
            self,
            lambda _p: service.high_profile_referral_text(ministry_id),
            on_success=inserted,
            on_failure=lambda exc: self.errors.show(exc, self),
        )

    # -- saving --------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        method = self.method()
        return {
            "method": method,
            "text": self.text.toPlainText(),
            "link_url": self.link.text() if method == ResponseMethod.WEB_LINK else "",
            "phone": self.phone.text() if method == ResponseMethod.PHONE_NUMBER else "",
            "restricted_topics_cleared": self.topics_cleared(),
            "high_profile_referral": self.referral_inserted,
            "media": self.media_box.items(),
        }

    @Slot()
    def _on_save(self) -> None:
        self.errors.clear()
        values = self.values()
        service, row = self.service, self.detail.row

        def save(_p: Progress) -> Any:
            return service.respond(row.id, **values, version=row.version)

        self.save_button.setEnabled(False)
        run_in_background(
            self, save, on_success=self._saved, on_failure=self._failed, progress_label="Saving…"
        )

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.errors.show(exc, self)

    def _saved(self, response: Any) -> None:
        self.saved = response
        self.accept()


def _stack(widget: QWidget, error: QLabel) -> QWidget:
    cell = QWidget()
    box = QVBoxLayout(cell)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(2)
    box.addWidget(widget)
    box.addWidget(error)
    return cell


def _quote(text: str, limit: int = 400) -> str:
    flat = " ".join(text.split())
    return escape(flat if len(flat) <= limit else flat[: limit - 1] + "…")
