"""Tools ▸ Declare emergency: what happened, which ministries and accounts it covers, and the
two people on call (one from the ministry, one from the Executive Council digital team).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.enums import AppRole, EmergencyKind
from desktop.models import Emergency
from desktop.services.choices import Choice, ChoiceService
from desktop.services.context import ServiceContext
from desktop.services.emergencies import ActiveEmergency, EmergencyService
from desktop.views.emergency_banner import kind_label
from desktop.views.errors import clear_inline, show_inline
from desktop.views.worker import Progress, run_in_background

IdRole = Qt.ItemDataRole.UserRole + 1
NOBODY = "(not named yet)"


def end_emergency(ctx: ServiceContext, emergency_id: uuid.UUID) -> Emergency:
    """End a declared emergency now; the comments it covered go back to business hours."""
    return EmergencyService(ctx).end(emergency_id)


def end_emergency_flow(
    parent: QWidget,
    ctx: ServiceContext,
    active: Sequence[ActiveEmergency],
    on_ended: Callable[[ActiveEmergency], None],
) -> None:
    """Ask which emergency ended (when several run) and confirm, then end it off the GUI
    thread; ``on_ended`` runs once the due times have moved back."""
    if not active:
        QMessageBox.information(parent, "No emergency", "No emergency is active.")
        return
    chosen = active[0]
    if len(active) > 1:
        titles = [e.title for e in active]
        title, ok = QInputDialog.getItem(
            parent, "End emergency", "Which emergency has ended?", titles, 0, False
        )
        if not ok or title not in titles:
            return
        chosen = active[titles.index(title)]
    answer = QMessageBox.question(
        parent,
        "End emergency",
        f"End the emergency “{chosen.title}”? Comments it covered go back to the "
        "business-hours clock.",
    )
    if answer != QMessageBox.StandardButton.Yes:
        return

    def end(_progress: Progress) -> Emergency:
        return end_emergency(ctx, chosen.id)

    run_in_background(
        parent,
        end,
        on_success=lambda _emergency: on_ended(chosen),
        progress_label="Ending the emergency and recomputing due times…",
    )


def _fill_checklist(widget: QListWidget, choices: Iterable[Choice], label: Any) -> None:
    widget.clear()
    for choice in choices:
        item = QListWidgetItem(label(choice))
        item.setData(IdRole, choice.id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        widget.addItem(item)


def checked_ids(widget: QListWidget) -> list[uuid.UUID]:
    return [
        widget.item(i).data(IdRole)
        for i in range(widget.count())
        if widget.item(i).checkState() == Qt.CheckState.Checked
    ]


class EmergencyDialog(QDialog):
    """Declares on "Declare emergency"; stays open with the service's message on a mistake."""

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.declared: Emergency | None = None
        self._people: list[Choice] = []
        self.setObjectName("emergencyDialog")
        self.setWindowTitle("Declare an emergency")
        self.resize(620, 720)

        intro = QLabel(
            "During an emergency the service-level clock runs around the clock for the "
            "ministries and accounts it covers: acknowledge within 1 hour, answer within 48."
        )
        intro.setWordWrap(True)
        intro.setProperty("role", "muted")

        self.kind = QComboBox()
        self.kind.setObjectName("emergencyKind")
        for kind in EmergencyKind:
            self.kind.addItem(kind_label(kind), kind)
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("emergencyTitle")
        self.title_edit.setPlaceholderText("e.g. Spring flooding in the Qu'Appelle Valley")
        self.description = QPlainTextEdit()
        self.description.setObjectName("emergencyDescription")
        self.description.setPlaceholderText("What is happening and where (optional)")
        self.description.setFixedHeight(70)
        self.ministries = QListWidget()
        self.ministries.setObjectName("emergencyMinistries")
        self.ministries.setMinimumHeight(120)
        self.ministries.itemChanged.connect(self._on_ministries_changed)
        self.account_filter = QLineEdit()
        self.account_filter.setObjectName("emergencyAccountFilter")
        self.account_filter.setPlaceholderText("Filter accounts")
        self.account_filter.setClearButtonEnabled(True)
        self.account_filter.textChanged.connect(self._on_filter_accounts)
        self.accounts = QListWidget()
        self.accounts.setObjectName("emergencyAccounts")
        self.accounts.setMinimumHeight(110)
        self.on_call_ministry = QComboBox()
        self.on_call_ministry.setObjectName("onCallMinistry")
        self.on_call_council = QComboBox()
        self.on_call_council.setObjectName("onCallCouncil")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Kind", self.kind)
        form.addRow("&Title", self.title_edit)
        form.addRow("&Description", self.description)
        form.addRow("&Ministries affected", self.ministries)
        accounts_box = QVBoxLayout()
        accounts_box.setSpacing(4)
        accounts_box.addWidget(self.account_filter)
        accounts_box.addWidget(self.accounts)
        accounts_label = QLabel("Other &accounts\n(optional)")
        accounts_label.setBuddy(self.account_filter)
        form.addRow(accounts_label, accounts_box)
        form.addRow("On call, &ministry", self.on_call_ministry)
        form.addRow("On call, &Executive\nCouncil digital team", self.on_call_council)
        for widget, name in (
            (self.kind, "Kind of emergency"),
            (self.title_edit, "Title"),
            (self.description, "Description"),
            (self.ministries, "Ministries affected"),
            (self.account_filter, "Filter accounts"),
            (self.accounts, "Other accounts covered"),
            (self.on_call_ministry, "On call from the ministry"),
            (self.on_call_council, "On call from the Executive Council digital team"),
        ):
            widget.setAccessibleName(name)

        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.declare_button = QPushButton("Declare emergency")
        self.declare_button.setObjectName("declareButton")
        self.declare_button.setDefault(True)
        self.declare_button.setEnabled(False)  # until the lists are loaded
        self.buttons.addButton(self.declare_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._on_declare)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.fields: dict[str, QWidget] = {
            "kind": self.kind,
            "title": self.title_edit,
            "description": self.description,
            "ministry_ids": self.ministries,
            "account_ids": self.accounts,
            "on_call_ministry_id": self.on_call_ministry,
            "on_call_council_id": self.on_call_council,
        }
        self._load()

    # -- loading -------------------------------------------------------------------------

    def _load(self) -> None:
        choices = ChoiceService(self.ctx)

        def fetch(_p: Progress) -> tuple[list[Choice], list[Choice], list[Choice], list[Choice]]:
            return (
                choices.ministries(),
                choices.accounts(),
                choices.people(),
                choices.people(roles=[AppRole.EXEC_COUNCIL]),
            )

        run_in_background(self, fetch, on_success=self._fill)

    def _fill(self, loaded: tuple[list[Choice], list[Choice], list[Choice], list[Choice]]) -> None:
        ministries, accounts, people, council = loaded
        self._people = people
        self.ministries.blockSignals(True)
        _fill_checklist(self.ministries, ministries, lambda c: f"{c.label} ({c.key})")
        self.ministries.blockSignals(False)
        _fill_checklist(self.accounts, accounts, lambda c: f"{c.label} · {c.detail}")
        self._fill_people(self.on_call_council, council)
        self._on_ministries_changed()
        self.declare_button.setEnabled(True)

    @staticmethod
    def _fill_people(combo: QComboBox, people: Sequence[Choice]) -> None:
        current = combo.currentData()
        combo.clear()
        combo.addItem(NOBODY, None)
        for person in people:
            combo.addItem(f"{person.label} — {person.detail}" if person.detail else person.label)
            combo.setItemData(combo.count() - 1, person.id)
        index = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(index, 0))

    @Slot()
    def _on_ministries_changed(self, _item: QListWidgetItem | None = None) -> None:
        chosen = set(checked_ids(self.ministries))
        staff = [p for p in self._people if p.ministry_id in chosen]
        self._fill_people(self.on_call_ministry, staff)

    @Slot(str)
    def _on_filter_accounts(self, text: str) -> None:
        needle = text.strip().lower()
        for i in range(self.accounts.count()):
            item = self.accounts.item(i)
            item.setHidden(bool(needle) and needle not in item.text().lower())

    # -- declaring -----------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        return {
            "kind": self.kind.currentData(),
            "title": self.title_edit.text(),
            "ministry_ids": checked_ids(self.ministries),
            "account_ids": checked_ids(self.accounts),
            "description": self.description.toPlainText(),
            "on_call_ministry_id": self.on_call_ministry.currentData(),
            "on_call_council_id": self.on_call_council.currentData(),
        }

    @Slot()
    def _on_declare(self) -> None:
        clear_inline(self.fields, self.error)
        values = self.values()
        service = EmergencyService(self.ctx)

        def declare(_progress: Progress) -> Emergency:
            return service.declare(
                values["kind"],
                values["title"],
                values["ministry_ids"],
                account_ids=values["account_ids"],
                description=values["description"],
                on_call_ministry_id=values["on_call_ministry_id"],
                on_call_council_id=values["on_call_council_id"],
            )

        def failed(exc: BaseException) -> None:
            self.declare_button.setEnabled(True)
            show_inline(self.fields, self.error, exc, self)

        self.declare_button.setEnabled(False)
        run_in_background(
            self,
            declare,
            on_success=self._declared,
            on_failure=failed,
            progress_label="Declaring the emergency and recomputing due times…",
        )

    def _declared(self, emergency: Emergency) -> None:
        self.declared = emergency
        self.accept()
