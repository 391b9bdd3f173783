"""Tools ▸ Key contacts: the ministries' key contacts (name, topic, phone, e-mail, web links)
that routing and the high-profile referral quote; the DSO and administrators keep it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import phonenumbers
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.services.authz import Permission, denial
from desktop.services.choices import Choice, ChoiceService
from desktop.services.context import Actor, ServiceContext
from desktop.services.directory.key_contacts import ContactInput, ContactRow, KeyContactService
from desktop.views.field_errors import FieldErrors, general_error_label
from desktop.views.worker import Progress, run_in_background

COLUMNS = ("Ministry", "Name", "Topic", "Phone", "E-mail", "Web links")
WIDTHS = (200, 220, 130, 115, 190)  # the web links take the rest
ALL = "All ministries"


def display_phone(stored: str) -> str:
    if not stored:
        return ""
    try:
        number = phonenumbers.parse(stored, "CA")
    except phonenumbers.NumberParseException:
        return stored
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


@dataclass(frozen=True)
class _Loaded:
    actor: Actor
    ministries: list[Choice]


class ContactDialog(QDialog):
    """Add or change one contact (``row`` None adds)."""

    def __init__(
        self,
        ctx: ServiceContext,
        ministries: list[Choice],
        row: ContactRow | None = None,
        ministry_id: uuid.UUID | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.row = row
        self.saved: Any = None
        self.setObjectName("contactDialog")
        self.setWindowTitle("Change a key contact" if row else "Add a key contact")
        self.setMinimumWidth(520)
        self.ministry = QComboBox()
        for m in ministries:
            self.ministry.addItem(m.label, m.id)
        self.name = QLineEdit(row.name if row else "")
        self.name.setPlaceholderText("e.g. Office of the Minister of Health")
        self.topic = QLineEdit(row.topic if row else "")
        self.topic.setPlaceholderText("e.g. Minister's office, Media, Wildfires")
        self.phone = QLineEdit(display_phone(row.phone) if row else "")
        self.phone.setPlaceholderText("306-787-0000")
        self.email = QLineEdit(row.email if row else "")
        self.email.setPlaceholderText("name@gov.sk.ca")
        self.web_links = QPlainTextEdit(row.web_links if row else "")
        self.web_links.setPlaceholderText("One link per line")
        self.web_links.setFixedHeight(70)
        wanted = row.ministry_id if row else ministry_id
        index = self.ministry.findData(wanted) if wanted else 0
        self.ministry.setCurrentIndex(max(index, 0))
        self.errors = FieldErrors(general_error_label())
        form = QFormLayout()
        for label, field, widget in (
            ("&Ministry", "ministry_id", self.ministry),
            ("&Name", "name", self.name),
            ("&Topic", "topic", self.topic),
            ("&Phone", "phone", self.phone),
            ("&E-mail", "email", self.email),
            ("&Web links", "web_links", self.web_links),
        ):
            form.addRow(label, self.errors.wrap(field, widget))
        self.save_button = QPushButton("&Save contact")
        self.save_button.setObjectName("saveContactButton")
        self.save_button.setDefault(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._on_save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors.general)
        layout.addWidget(buttons)

    def values(self) -> ContactInput:
        return ContactInput(
            self.ministry.currentData(),
            self.name.text(),
            self.topic.text(),
            self.phone.text(),
            self.email.text(),
            self.web_links.toPlainText(),
        )

    @Slot()
    def _on_save(self) -> None:
        self.errors.clear()
        data, service, row = self.values(), KeyContactService(self.ctx), self.row

        def save(_p: Progress) -> Any:
            if row is None:
                return service.add(data)
            return service.update(row.id, data, version=row.version)

        def failed(exc: BaseException) -> None:
            self.save_button.setEnabled(True)
            self.errors.show(exc, self)

        def saved(contact: Any) -> None:
            self.saved = contact
            self.accept()

        self.save_button.setEnabled(False)
        run_in_background(self, save, on_success=saved, on_failure=failed)


class KeyContactsDialog(QDialog):
    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.actor: Actor | None = None
        self.ministries: list[Choice] = []
        self.rows: list[ContactRow] = []
        self.setObjectName("keyContactsDialog")
        self.setWindowTitle("Key contacts")
        self.resize(1120, 560)
        intro = QLabel(
            "The contacts each ministry answers through. Replies quote them, and the referral "
            "for high-profile members of the community and the media names the Minister's "
            "office from here."
        )
        intro.setWordWrap(True)
        self.filter = QComboBox()
        self.filter.setObjectName("contactMinistryFilter")
        self.filter.setAccessibleName("Ministry")
        self.filter.currentIndexChanged.connect(self._reload)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("keyContactsTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        # One line per contact; long values are elided and whole in the tooltip.
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate(WIDTHS):
            self.table.setColumnWidth(col, width)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(self._on_edit)
        self.add_button = QPushButton("&Add contact…")
        self.add_button.setObjectName("addContactButton")
        self.add_button.clicked.connect(self._on_add)
        self.edit_button = QPushButton("&Change…")
        self.edit_button.setObjectName("editContactButton")
        self.edit_button.clicked.connect(self._on_edit)
        self.remove_button = QPushButton("&Remove")
        self.remove_button.setObjectName("removeContactButton")
        self.remove_button.clicked.connect(self._on_remove)
        self.note = QLabel()
        self.note.setObjectName("contactsNote")
        self.note.setProperty("role", "muted")
        self.note.setWordWrap(True)
        top = QHBoxLayout()
        filter_label = QLabel("&Ministry")
        filter_label.setBuddy(self.filter)
        top.addWidget(filter_label)
        top.addWidget(self.filter, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.note, 1)
        for button in (self.add_button, self.edit_button, self.remove_button):
            actions.addWidget(button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(close)
        self._update_buttons()
        self._load()

    def _load(self) -> None:
        ctx = self.ctx

        def fetch(_p: Progress) -> _Loaded:
            return _Loaded(ctx.actor(), ChoiceService(ctx).ministries())

        run_in_background(self, fetch, on_success=self._fill)

    def _fill(self, loaded: _Loaded) -> None:
        self.actor = loaded.actor
        self.ministries = loaded.ministries
        self.filter.blockSignals(True)
        self.filter.clear()
        self.filter.addItem(ALL, None)
        for m in loaded.ministries:
            self.filter.addItem(m.label, m.id)
        self.filter.blockSignals(False)
        self._reload()

    @Slot()
    def _reload(self, *_args: object) -> None:
        ministry_id = self.filter.currentData()
        service = KeyContactService(self.ctx)
        run_in_background(self, lambda _p: service.list(ministry_id), on_success=self._show)

    def _show(self, rows: list[ContactRow]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            values = (r.ministry, r.name, r.topic, display_phone(r.phone), r.email, r.web_links)
            for col, value in enumerate(values):
                item = QTableWidgetItem(" ".join(value.split()))
                item.setToolTip(value)
                self.table.setItem(i, col, item)
        self._update_buttons()

    def selected(self) -> ContactRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        roles = self.actor.roles if self.actor else frozenset()
        refused = "Loading…" if self.actor is None else denial(roles, Permission.MANAGE_PEOPLE)
        picked = self.selected() is not None
        self.add_button.setEnabled(refused is None)
        self.edit_button.setEnabled(refused is None and picked)
        self.remove_button.setEnabled(refused is None and picked)
        for button in (self.add_button, self.edit_button, self.remove_button):
            button.setToolTip(refused or "")
        if refused and self.actor is not None:
            self.note.setText("Read-only: the DSO and administrators keep the directory.")
            self.note.setToolTip(refused)
        else:
            n = len(self.rows)
            self.note.setText(f"{n} contact{'s' if n != 1 else ''}.")

    @Slot()
    def _on_add(self) -> None:
        dialog = ContactDialog(self.ctx, self.ministries, None, self.filter.currentData(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._reload()

    @Slot()
    def _on_edit(self, *_args: object) -> None:
        row = self.selected()
        if row is None or not self.edit_button.isEnabled():
            return
        dialog = ContactDialog(self.ctx, self.ministries, row, None, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._reload()

    @Slot()
    def _on_remove(self) -> None:
        row = self.selected()
        if row is None:
            return
        answer = QMessageBox.question(
            self,
            "Remove the contact",
            f"Remove {row.name} ({row.ministry}) from the key contacts?",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        service = KeyContactService(self.ctx)
        run_in_background(
            self,
            lambda _p: service.remove(row.id, version=row.version),
            on_success=lambda _r: self._reload(),
        )
