"""Moderate a comment: the removal category it breaks → a strike against its author (the
comment is hidden, its text kept as evidence) → the ban proposal, approved or declined.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.enums import BanKind, RemovalCategory
from desktop.errors import DomainError
from desktop.services.comment_detail import CommentDetail
from desktop.services.comments import CommentService
from desktop.services.context import ServiceContext
from desktop.services.moderation import ModerationService, StrikeResult
from desktop.views.field_errors import FieldErrors, error_label
from desktop.views.worker import Progress, run_in_background


def _stack(widget: QWidget, error: QLabel) -> QWidget:
    cell = QWidget()
    box = QVBoxLayout(cell)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(2)
    box.addWidget(widget)
    box.addWidget(error)
    return cell


class ModerateDialog(QDialog):
    """Page 1 records the strike (or only hides the comment); page 2 decides a proposed ban.

    The dialog is accepted once anything was saved, so the tab refreshes the comment.
    """

    def __init__(
        self, ctx: ServiceContext, detail: CommentDetail, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail = detail
        self.moderation = ModerationService(ctx)
        self.comments = CommentService(ctx)
        self.strike: StrikeResult | None = None
        self.decision: Any = None
        self.setObjectName("moderateDialog")
        self.setWindowTitle("Moderate a comment")
        self.setMinimumWidth(600)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._strike_page())
        self.pages.addWidget(self._ban_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

    # -- page 1: the strike --------------------------------------------------------------

    def _strike_page(self) -> QWidget:
        row = self.detail.row
        page = QWidget()
        handle = self.detail.author_handle
        who = f"@{handle}" if handle else "an author without a handle"
        intro = QLabel(
            f"A comment that breaks the public conduct policy is hidden, and a strike is "
            f"recorded against {escape(who)} on {escape(self.detail.platform.label)}. "
            f"The text is kept as evidence."
        )
        intro.setWordWrap(True)
        intro.setProperty("role", "muted")
        self.category = QComboBox()
        self.category.setObjectName("moderateCategory")
        self.category.setAccessibleName("Removal category")
        self.category.addItem("Choose the rule it breaks…", None)
        for category in RemovalCategory:
            self.category.addItem(category.label, category)
        self.evidence = QPlainTextEdit(self.detail.text)
        self.evidence.setObjectName("moderateEvidence")
        self.evidence.setAccessibleName("Evidence text")
        self.evidence.setMinimumHeight(90)
        self.evidence_url = QLineEdit(self.detail.url)
        self.evidence_url.setObjectName("moderateEvidenceUrl")
        self.evidence_url.setAccessibleName("Evidence link")
        self.evidence_url.setPlaceholderText("https://… link to the comment or a screenshot")
        errors = {name: error_label(f"{name}Error") for name in ("category", "text", "url")}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow("&Category", _stack(self.category, errors["category"]))
        form.addRow("&Evidence", _stack(self.evidence, errors["text"]))
        form.addRow("&Link", _stack(self.evidence_url, errors["url"]))
        self.general_error = error_label("formError")
        self.errors = FieldErrors.for_fields(
            {
                "category": (self.category, errors["category"]),
                "evidence_text": (self.evidence, errors["text"]),
                "evidence_url": (self.evidence_url, errors["url"]),
            },
            self.general_error,
        )
        self.strike_button = QPushButton("Record &strike and hide")
        self.strike_button.setObjectName("recordStrikeButton")
        self.strike_button.setDefault(True)
        self.strike_button.clicked.connect(self._on_strike)
        self.hide_button = QPushButton("&Hide only")
        self.hide_button.setObjectName("hideOnlyButton")
        self.hide_button.setToolTip("Hide the comment without a strike (e.g. an author unknown)")
        self.hide_button.clicked.connect(self._on_hide_only)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.reject)
        for button in (self.hide_button, cancel):
            button.setAutoDefault(False)  # Enter records the strike, whatever has focus
        if not handle:
            self.strike_button.setEnabled(False)
            self.strike_button.setToolTip(
                "This comment has no author handle: there is nobody to record a strike against."
            )
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.hide_button, cancel, self.strike_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(f"<b>{escape(row.author)}</b> on {escape(row.account)}"))
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addLayout(buttons)
        return page

    def _chosen(self) -> RemovalCategory | None:
        data = self.category.currentData()
        return RemovalCategory(data) if data else None

    def _category(self) -> RemovalCategory | None:
        """The chosen category; None (with the message shown) when none is chosen."""
        chosen = self._chosen()
        if chosen is None:
            message = DomainError("Choose the removal category it breaks.", "category")
            self.errors.show(message, self)
        return chosen

    @Slot()
    def _on_strike(self) -> None:
        self.errors.clear()
        chosen = self._category()
        if chosen is None:
            return
        category: RemovalCategory = chosen
        comment_id, service = self.detail.row.id, self.moderation
        evidence, url = self.evidence.toPlainText(), self.evidence_url.text()

        def record(_p: Progress) -> StrikeResult:
            return service.record_strike(
                comment_id, category=category, evidence_text=evidence, evidence_url=url
            )

        self._busy(True)
        run_in_background(
            self,
            record,
            on_success=self._recorded,
            on_failure=self._failed,
            progress_label="Saving…",
        )

    @Slot()
    def _on_hide_only(self) -> None:
        self.errors.clear()
        chosen = self._category()
        if chosen is None:
            return
        category: RemovalCategory = chosen
        row, service = self.detail.row, self.comments
        self._busy(True)
        run_in_background(
            self,
            lambda _p: service.hide(row.id, category, version=row.version),
            on_success=lambda _c: self.accept(),
            on_failure=self._failed,
            progress_label="Hiding…",
        )

    def _busy(self, busy: bool) -> None:
        self.strike_button.setEnabled(not busy and bool(self.detail.author_handle))
        self.hide_button.setEnabled(not busy)

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        self.errors.show(exc, self)

    def _recorded(self, result: StrikeResult) -> None:
        self.strike = result
        if result.ban_proposal is None:
            self.accept()
            return
        ban = result.ban_proposal
        length = "permanent removal" if ban.kind == BanKind.PERMANENT else "a temporary ban"
        self.proposal.setText(
            f"<b>Strike recorded</b> — {result.strikes_in_window} strikes in the window. "
            f"The policy now proposes <b>{length}</b> of @{escape(self.detail.author_handle)} "
            f"on {escape(self.detail.platform.label)}.<br><br>{escape(ban.reason)}"
        )
        self.pages.setCurrentIndex(1)

    # -- page 2: the ban proposal --------------------------------------------------------

    def _ban_page(self) -> QWidget:
        page = QWidget()
        frame = QFrame()
        frame.setProperty("role", "card")
        self.proposal = QLabel()
        self.proposal.setObjectName("banProposal")
        self.proposal.setWordWrap(True)
        inner = QVBoxLayout(frame)
        inner.setContentsMargins(12, 10, 12, 10)
        inner.addWidget(self.proposal)
        self.ban_error = error_label("banError")
        self.approve_button = QPushButton("&Approve ban")
        self.approve_button.setObjectName("approveBanButton")
        self.approve_button.setProperty("role", "primary")
        self.approve_button.clicked.connect(lambda: self._decide(True))
        self.decline_button = QPushButton("&Decline")
        self.decline_button.setObjectName("declineBanButton")
        self.decline_button.clicked.connect(lambda: self._decide(False))
        later = QPushButton("Decide &later")
        later.setToolTip("The proposal stays open; the strike is already saved.")
        later.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (later, self.decline_button, self.approve_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(frame)
        layout.addWidget(self.ban_error)
        layout.addStretch(1)
        layout.addLayout(buttons)
        return page

    def _decide(self, approve: bool) -> None:
        assert self.strike is not None
        assert self.strike.ban_proposal is not None
        ban_id, service = self.strike.ban_proposal.id, self.moderation
        self.ban_error.hide()

        def decided(ban: Any) -> None:
            self.decision = ban
            self.accept()

        def failed(exc: BaseException) -> None:
            FieldErrors(self.ban_error).show(exc, self)

        run_in_background(
            self,
            lambda _p: service.decide_ban(ban_id, approve),
            on_success=decided,
            on_failure=failed,
            progress_label="Saving the decision…",
        )
