"""The account dialog: propose (or, for DSO, register) an account, or edit one.

It saves through ``AccountService`` off the GUI thread and stays open on a mistake, with the
service's message shown under the field it names.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.enums import AccountStatus, Platform, PostingTool
from desktop.errors import DomainError
from desktop.models import Account
from desktop.policy.international import is_official_language
from desktop.services.account_list import AccountChoices, AccountRow
from desktop.services.accounts import AccountInput, AccountService
from desktop.services.authz import Permission, denial
from desktop.services.context import Actor, ServiceContext
from desktop.views.accounts.account_table_model import TOOL_LABELS
from desktop.views.accounts.combos import select_data
from desktop.views.field_errors import FieldErrors, general_error_label
from desktop.views.worker import Progress, run_in_background

NO_OWNER = "(no accountable owner yet)"
# What a new account is recorded as: proposing needs an approval; DSO may register the rest.
NEW_STATUSES = (
    (AccountStatus.PROPOSED, "Proposed (needs approval)"),
    (AccountStatus.ACTIVE, "Active (already exists; register it)"),
)
NEW_STATUS_TIP = (
    "A proposed account goes through the new-account approval: business case, DSO alignment "
    "and Executive Council; it becomes approved when they sign. DSO may register an account "
    "that already exists on the platform; it is flagged until its approval catches up."
)


class AccountDialog(QDialog):
    """Proposes (or, for DSO, registers) a new account, or edits ``row``; ``saved`` is the row."""

    def __init__(
        self,
        ctx: ServiceContext,
        actor: Actor,
        choices: AccountChoices,
        row: AccountRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.actor = actor
        self.row = row
        self.saved: Account | None = None
        self.setObjectName("accountDialog")
        self.setWindowTitle(f"Edit {row.label}" if row else "Propose an account")
        self.setMinimumWidth(820)

        self.platform = QComboBox()
        for platform in Platform:
            self.platform.addItem(platform.label, platform)
        self.platform.currentIndexChanged.connect(self._on_platform_changed)
        self.handle = QLineEdit()
        self.handle.setPlaceholderText("e.g. SaskHealth (without the @)")
        self.display_name = QLineEdit()
        self.display_name.setPlaceholderText("The name shown on the platform")
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://www.facebook.com/SaskHealth")
        self.ministry = QComboBox()
        for ministry in choices.ministries:
            self.ministry.addItem(f"{ministry.label} ({ministry.key})", ministry.id)
        self.status = QComboBox()
        for status, text in NEW_STATUSES:
            self.status.addItem(text, status)
        self.status.setToolTip(NEW_STATUS_TIP)
        self.purpose = QPlainTextEdit()
        self.purpose.setPlaceholderText("What the account is for and who it serves")
        self.purpose.setFixedHeight(64)
        self.government_email = QLineEdit()
        self.government_email.setPlaceholderText("e.g. health.social@gov.sk.ca")
        self.owner = QComboBox()
        self.owner.addItem(NO_OWNER, None)
        for person in choices.owners:
            text = f"{person.label} — {person.detail}" if person.detail else person.label
            self.owner.addItem(text, person.id)
        self.posting_tool = QComboBox()
        for tool in PostingTool:
            self.posting_tool.addItem(TOOL_LABELS[tool], tool)
        self.tool_hint = QLabel("X accounts must be managed through TweetDeck / X Pro.")
        self.tool_hint.setProperty("role", "muted")
        self.tool_hint.setWordWrap(True)
        self.is_international = QCheckBox("International account")
        self.is_international.setToolTip(
            "Posts for audiences abroad; the same rules apply, with its language and "
            "cultural notes recorded."
        )
        self.is_international.toggled.connect(self._on_international_toggled)
        self.language = QLineEdit()
        self.language.setPlaceholderText("e.g. Mandarin")
        self.language.textEdited.connect(self._on_language_edited)
        self.cultural_notes = QPlainTextEdit()
        self.cultural_notes.setPlaceholderText(
            "Required if international: local language and cultural norms to respect"
        )
        self.cultural_notes.setFixedHeight(56)
        self.is_central = QCheckBox("A central @SKGov account")

        self.error = general_error_label()
        self.errors = FieldErrors(self.error)
        w = self.errors.wrap
        tool_box = QWidget()
        tool_layout = QVBoxLayout(tool_box)
        tool_layout.setContentsMargins(0, 0, 0, 0)
        tool_layout.setSpacing(2)
        tool_layout.addWidget(w("posting_tool", self.posting_tool))
        tool_layout.addWidget(self.tool_hint)
        left: list[tuple[str, QWidget, QWidget]] = [
            ("&Platform", w("platform", self.platform), self.platform),
            ("&Handle", w("handle", self.handle), self.handle),
            ("&Display name", w("display_name", self.display_name), self.display_name),
            ("Account &URL", w("url", self.url), self.url),
            ("&Ministry", w("ministry_id", self.ministry), self.ministry),
        ]
        if row is None:
            left.append(("&Record as", w("status", self.status), self.status))
        left.append(("P&urpose", w("purpose", self.purpose), self.purpose))
        right: list[tuple[str, QWidget, QWidget]] = [
            (
                "Government &e-mail",
                w("government_email", self.government_email),
                self.government_email,
            ),
            ("Accountable &owner", w("owner_id", self.owner), self.owner),
            ("Posting &tool", tool_box, self.posting_tool),
            ("", self.is_international, self.is_international),
            ("&Language", w("language", self.language), self.language),
            ("Cultural &notes", w("cultural_notes", self.cultural_notes), self.cultural_notes),
            ("", self.is_central, self.is_central),
        ]
        # One grid for both columns: a message under a field in one column moves the row
        # beside it down too, so the two columns stay level.
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(6)
        grid.setColumnMinimumWidth(2, 12)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(4, 1)
        for column, rows in ((0, left), (3, right)):
            for n, (text, cell, focus) in enumerate(rows):
                if text:
                    label = QLabel(text)
                    label.setBuddy(focus)
                    label.setContentsMargins(0, 5, 0, 0)  # level with the text in the box
                    grid.addWidget(label, n, column, Qt.AlignmentFlag.AlignTop)
                grid.addWidget(cell, n, column + 1, Qt.AlignmentFlag.AlignTop)
        grid.setRowStretch(max(len(left), len(right)), 1)
        self.is_international.setObjectName("field_is_international")
        self.is_central.setObjectName("field_is_central")
        for widget, name in (
            (self.platform, "Platform"),
            (self.handle, "Handle"),
            (self.display_name, "Display name"),
            (self.url, "Account URL"),
            (self.ministry, "Ministry"),
            (self.status, "Record the new account as"),
            (self.purpose, "Purpose"),
            (self.government_email, "Government e-mail"),
            (self.owner, "Accountable owner"),
            (self.posting_tool, "Posting tool"),
            (self.is_international, "International account"),
            (self.language, "Language"),
            (self.cultural_notes, "Cultural notes"),
            (self.is_central, "Central @SKGov account"),
        ):
            widget.setAccessibleName(name)

        intro = QLabel(
            "Every official account is tied to a government e-mail address (personal e-mail "
            "may not be used) and has an accountable owner, a real person."
        )
        intro.setWordWrap(True)
        intro.setProperty("role", "muted")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = QPushButton("Save changes" if row else "Save")
        self.save_button.setObjectName("accountSave")
        self.save_button.setDefault(True)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self._fill(choices)

    def _fill(self, choices: AccountChoices) -> None:
        row = self.row
        if row is None:
            if self.actor.ministry_id is not None:
                select_data(self.ministry, self.actor.ministry_id)
            refused = denial(self.actor.roles, Permission.MANAGE_ACCOUNTS)
            if refused:
                self.status.setEnabled(False)
                self.status.setToolTip(refused)
            self._on_platform_changed()
            self._on_international_toggled(False)
            return
        select_data(self.platform, row.platform)
        self.handle.setText(row.handle)
        self.display_name.setText(row.display_name)
        self.url.setText(row.url)
        if not select_data(self.ministry, row.ministry_id):
            self.ministry.addItem(f"{row.ministry_name} ({row.ministry_code})", row.ministry_id)
            self.ministry.setCurrentIndex(self.ministry.count() - 1)
        self.purpose.setPlainText(row.purpose)
        self.government_email.setText(row.government_email)
        # An owner who has left stays shown, so saving asks for an active one instead of
        # silently clearing the owner.
        if row.owner_id is not None and not select_data(self.owner, row.owner_id):
            self.owner.addItem(f"{row.owner_name} (no longer active)", row.owner_id)
            self.owner.setCurrentIndex(self.owner.count() - 1)
        select_data(self.posting_tool, row.posting_tool)
        self.is_international.setChecked(row.is_international)
        self.language.setText(row.language)
        self.cultural_notes.setPlainText(row.cultural_notes)
        self.is_central.setChecked(row.is_central)
        self._on_international_toggled(row.is_international)
        self.tool_hint.setVisible(row.platform == Platform.X)

    # -- behaviour -----------------------------------------------------------------------

    @Slot()
    def _on_platform_changed(self, _index: int = 0) -> None:
        is_x = self.platform.currentData() == Platform.X
        self.tool_hint.setVisible(is_x)
        if is_x and self.posting_tool.currentData() == PostingTool.NATIVE:
            select_data(self.posting_tool, PostingTool.TWEETDECK)
        if self.row is None and self.platform.currentData() == Platform.WECHAT:
            self.is_international.setChecked(True)  # WeChat is the policy's example

    @Slot(str)
    def _on_language_edited(self, text: str) -> None:
        if self.row is None and text.strip() and not is_official_language(text):
            self.is_international.setChecked(True)

    @Slot(bool)
    def _on_international_toggled(self, checked: bool) -> None:
        self.cultural_notes.setEnabled(checked)

    def values(self) -> AccountInput:
        return AccountInput(
            platform=self.platform.currentData(),
            handle=self.handle.text(),
            ministry_id=self.ministry.currentData(),
            government_email=self.government_email.text(),
            owner_id=self.owner.currentData(),
            display_name=self.display_name.text(),
            url=self.url.text(),
            purpose=self.purpose.toPlainText(),
            posting_tool=self.posting_tool.currentData(),
            is_international=self.is_international.isChecked(),
            language=self.language.text(),
            cultural_notes=(
                self.cultural_notes.toPlainText() if self.is_international.isChecked() else ""
            ),
            is_central=self.is_central.isChecked(),
        )

    @Slot()
    def _on_save(self) -> None:
        self.errors.clear()
        data = self.values()
        if data.ministry_id is None:
            self.errors.show(
                DomainError("Choose the ministry the account belongs to.", "ministry_id"), self
            )
            return
        service = AccountService(self.ctx)
        row, status = self.row, self.status.currentData()

        def save(_progress: Progress) -> Account:
            if row is not None:
                return service.edit(row.id, data, version=row.version)
            if status == AccountStatus.PROPOSED:
                return service.propose(data)
            return service.create(data, status=status)

        def failed(exc: BaseException) -> None:
            self.save_button.setEnabled(True)
            self.errors.show(exc, self)

        self.save_button.setEnabled(False)
        run_in_background(
            self, save, on_success=self._saved, on_failure=failed, progress_label="Saving…"
        )

    def _saved(self, account: Account) -> None:
        self.saved = account
        self.accept()
