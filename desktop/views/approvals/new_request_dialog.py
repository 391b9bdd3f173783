"""Raising a new approval request: what it is about (a proposed account, a campaign, an account
with draft goals, an account to terminate or to post on, a staff member's personal name) and,
for most kinds, the text that justifies it.
The request is saved as a draft; its author submits it from the tracker."""

from __future__ import annotations

from dataclasses import dataclass
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

from desktop.enums import ApprovalKind, Platform
from desktop.services.approvals import ApprovalService
from desktop.services.approvals_flow.content import ContentApprovalService
from desktop.services.approvals_flow.personal_names import PersonalNameService
from desktop.services.context import ServiceContext
from desktop.services.request_subjects import RequestSubjectService, Subject
from desktop.views.errors import clear_inline, show_inline
from desktop.views.worker import Progress, run_in_background


@dataclass(frozen=True)
class RequestForm:
    """How one kind of request is asked for."""

    title: str
    intro: str
    subject_label: str
    subject_field: str  # the service's field name for the subject
    none_text: str  # said when nothing qualifies
    text_label: str = ""  # "" when the kind takes no text
    text_field: str = ""
    placeholder: str = ""
    name_fields: bool = False  # a personal account's platform and name


FORMS: dict[ApprovalKind, RequestForm] = {
    ApprovalKind.NEW_ACCOUNT: RequestForm(
        "New account business case",
        "A proposed account goes live only after Digital Strategy and Operations align it with "
        "the digital program and the senior Executive Council approves it. An account "
        "registered without that approval can have it now.",
        "&Account",
        "account_id",
        "No proposed account is waiting for a business case, and every registered account is "
        "approved. Propose the account in the Accounts tab first.",
        "&Business case",
        "business_case",
        "Audience, purpose, the ministry's capacity to answer comments, how success is measured.",
    ),
    ApprovalKind.CAMPAIGN_CONTENT: RequestForm(
        "Campaign content approval",
        "Third-party campaign content needs the Ministry Director of Communications, the "
        "Minister's Office and the Executive Council: all three.",
        "&Campaign",
        "campaign_id",
        "No campaign is running or planned. Record the campaign first.",
        "Content &summary",
        "content_summary",
        "What will be published, where, and on which dates.",
    ),
    ApprovalKind.ANNUAL_GOALS: RequestForm(
        "Annual goals review",
        "The account's draft goals go to the Director, Digital Channels and Insights and then "
        "the Executive Council; they become final when both approve.",
        "&Account",
        "account_id",
        "No account has draft goals to send. Draft the goals first.",
    ),
    ApprovalKind.ACCOUNT_TERMINATION: RequestForm(
        "Account termination",
        "The Director, Digital Channels and Insights decides; if they disagree, the Executive "
        "Council takes the final decision.",
        "&Account",
        "account_id",
        "No active or suspended account can be terminated right now.",
        "&Reason",
        "reason",
        "Why the account should close (e.g. no engagement for 12 months, program ended).",
    ),
    ApprovalKind.OFFICIAL_CONTENT: RequestForm(
        "Official content approval",
        "Official posts and in-house campaigns (no agency) take the approvals of traditional "
        "media: the Ministry Director of Communications, the Minister's Office and the "
        "Executive Council sign, as for third-party campaign content.",
        "&Account",
        "account_id",
        "No approved or active account can take content right now.",
        "Content &summary",
        "content_summary",
        "The post, series or in-house campaign: what it says, images or video used, dates.",
    ),
    ApprovalKind.PERSONAL_NAME: RequestForm(
        "Personal name with the Government's name",
        "A personal social media name that includes the Government's name (e.g. SKGov) needs "
        "the prior approval of Executive Council and Digital Strategy and Operations. "
        "Approved names are kept in the register.",
        "&Staff member",
        "person_id",
        "You are not registered as active staff.",
        "&Reason",
        "reason",
        "Why the name includes the Government's name, and how the account is used.",
        name_fields=True,
    ),
}


class NewRequestDialog(QDialog):
    """Saves the draft on "Save draft"; ``created`` holds it once the service accepted it."""

    def __init__(
        self, ctx: ServiceContext, kind: ApprovalKind, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = kind
        self.form = FORMS[kind]
        self.created: Any = None
        self.setObjectName("newRequestDialog")
        self.setWindowTitle(self.form.title)
        self.setMinimumWidth(560)

        intro = QLabel(self.form.intro)
        intro.setWordWrap(True)
        intro.setProperty("role", "muted")
        self.subject = QComboBox()
        self.subject.setObjectName("requestSubject")
        self.subject.setAccessibleName(self.form.subject_label.replace("&", ""))
        self.subject.addItem("Loading…", None)
        self.none_label = QLabel(self.form.none_text)
        self.none_label.setObjectName("requestNone")
        self.none_label.setWordWrap(True)
        self.none_label.setProperty("role", "muted")
        self.none_label.hide()
        self.text: QPlainTextEdit | None = None
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.form.subject_label, self.subject)
        form.addRow("", self.none_label)
        self.fields: dict[str, QWidget] = {self.form.subject_field: self.subject}
        self.platform: QComboBox | None = None
        self.handle: QLineEdit | None = None
        if self.form.name_fields:
            self.platform = QComboBox()
            self.platform.setObjectName("requestPlatform")
            self.platform.setAccessibleName("Platform")
            for platform in Platform:
                self.platform.addItem(platform.label, platform)
            self.handle = QLineEdit()
            self.handle.setObjectName("requestHandle")
            self.handle.setAccessibleName("Personal account name")
            self.handle.setPlaceholderText("e.g. JaneAtSKGov (without the @)")
            form.addRow("&Platform", self.platform)
            form.addRow("Personal account &name", self.handle)
            self.fields |= {"platform": self.platform, "handle": self.handle}
        if self.form.text_field:
            self.text = QPlainTextEdit()
            self.text.setObjectName("requestText")
            self.text.setAccessibleName(self.form.text_label.replace("&", ""))
            self.text.setPlaceholderText(self.form.placeholder)
            self.text.setTabChangesFocus(True)
            self.text.setMinimumHeight(160)
            form.addRow(self.form.text_label, self.text)
            self.fields[self.form.text_field] = self.text

        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = QPushButton("Save draft")
        self.save_button.setObjectName("requestSave")
        self.save_button.setDefault(True)
        self.save_button.setEnabled(False)  # until the subjects are loaded
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._load()

    def _load(self) -> None:
        service, kind = RequestSubjectService(self.ctx), self.kind
        run_in_background(self, lambda _p: service.subjects(kind), on_success=self._fill)

    def _fill(self, subjects: list[Subject]) -> None:
        self.subject.clear()
        for s in subjects:
            detail = f", {s.detail}" if s.detail else ""
            self.subject.addItem(f"{s.label} ({s.ministry_code}{detail})", s.id)
        self.none_label.setVisible(not subjects)
        self.subject.setEnabled(bool(subjects))
        self.save_button.setEnabled(bool(subjects))

    @Slot()
    def _on_save(self) -> None:
        clear_inline(self.fields, self.error)
        subject = self.subject.currentData()
        text = self.text.toPlainText() if self.text is not None else ""
        service, kind, ctx = ApprovalService(self.ctx), self.kind, self.ctx
        platform = self.platform.currentData() if self.platform is not None else ""
        handle = self.handle.text() if self.handle is not None else ""
        self.save_button.setEnabled(False)

        def save(_p: Progress) -> Any:
            if kind == ApprovalKind.NEW_ACCOUNT:
                return service.request_new_account(subject, text)
            if kind == ApprovalKind.CAMPAIGN_CONTENT:
                return service.request_campaign_content(subject, text)
            if kind == ApprovalKind.ANNUAL_GOALS:
                return service.request_goals_review(subject)
            if kind == ApprovalKind.OFFICIAL_CONTENT:
                return ContentApprovalService(ctx).request_official_content(subject, text)
            if kind == ApprovalKind.PERSONAL_NAME:
                return PersonalNameService(ctx).request(subject, platform, handle, text)
            return service.request_termination(subject, text)

        run_in_background(self, save, on_success=self._on_saved, on_failure=self._on_failed)

    def _on_saved(self, approval: Any) -> None:
        self.created = approval
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        show_inline(self.fields, self.error, exc, self)
