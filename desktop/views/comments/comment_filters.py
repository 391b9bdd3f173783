"""The Comments tab's filter bar: status, account, ministry, the attention checkboxes and the
quick search (debounced), turned into a ``CommentLogQuery`` the log runs in SQL.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.enums import CommentStatus
from desktop.services.choices import Choice
from desktop.services.comment_log import CommentLogQuery
from desktop.views.icons import icon

SEARCH_DEBOUNCE_MS = 300
OPEN = frozenset({CommentStatus.NEW, CommentStatus.ACKNOWLEDGED})
STATUS_CHOICES: tuple[tuple[str, frozenset[CommentStatus]], ...] = (
    ("All statuses", frozenset()),
    ("Open (new or acknowledged)", OPEN),
    *((status.value.capitalize(), frozenset({status})) for status in CommentStatus),
)


class CommentFilterBar(QWidget):
    """Emits ``changed`` when the person changes a filter (search: 300 ms after typing stops)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("commentFilters")
        self.status = QComboBox()
        self.status.setObjectName("statusFilter")
        for text, statuses in STATUS_CHOICES:
            self.status.addItem(text, statuses)
        self.account = QComboBox()
        self.account.setObjectName("accountFilter")
        self.account.setMinimumContentsLength(16)
        self.ministry = QComboBox()
        self.ministry.setObjectName("ministryFilter")
        self.ministry.setMinimumContentsLength(16)
        self.set_accounts([])
        self.set_ministries([])
        self.search = QLineEdit()
        self.search.setObjectName("commentSearch")
        self.search.setPlaceholderText("Search text or author (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setMinimumWidth(200)

        self.due_soon = QCheckBox("Due &soon")
        self.due_soon.setObjectName("dueSoonFilter")
        self.overdue = QCheckBox("&Overdue")
        self.overdue.setObjectName("overdueFilter")
        self.mine = QCheckBox("Assigned to &me")
        self.mine.setObjectName("mineFilter")
        self.high_profile = QCheckBox("&High profile")
        self.high_profile.setObjectName("highProfileFilter")
        self.emergency = QCheckBox("During an &emergency")
        self.emergency.setObjectName("emergencyFilter")

        for widget, name in (
            (self.status, "Status filter"),
            (self.account, "Account filter"),
            (self.ministry, "Ministry filter"),
            (self.search, "Search comments"),
            (self.due_soon, "Only comments due soon"),
            (self.overdue, "Only overdue comments"),
            (self.mine, "Only comments assigned to me"),
            (self.high_profile, "Only high-profile comments"),
            (self.emergency, "Only comments received during an emergency"),
        ):
            widget.setAccessibleName(name)
        self.due_soon.setToolTip("Open comments to acknowledge or answer within the warning time")

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.setSpacing(8)
        for caption, widget in (
            ("S&tatus", self.status),
            ("&Account", self.account),
            ("M&inistry", self.ministry),
        ):
            buddy = QLabel(caption)
            buddy.setBuddy(widget)
            top.addWidget(buddy)
            top.addWidget(widget)
        top.addSpacing(8)
        top.addWidget(self.search, 1)
        checks = QHBoxLayout()
        checks.setContentsMargins(0, 0, 0, 0)
        checks.setSpacing(18)
        for box in (self.due_soon, self.overdue, self.mine, self.high_profile, self.emergency):
            checks.addWidget(box)
        checks.addStretch(1)
        self.extra = checks  # the tab adds its count label and "Go to row" here
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addLayout(checks)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.changed)
        self.search.textChanged.connect(self._on_search_typed)
        self.search.returnPressed.connect(self.search_now)
        for combo in (self.status, self.account, self.ministry):
            combo.currentIndexChanged.connect(self._on_changed)
        for box in (self.due_soon, self.overdue, self.mine, self.high_profile, self.emergency):
            box.toggled.connect(self._on_changed)

    def set_accounts(self, accounts: Sequence[Choice]) -> None:
        self._refill(
            self.account, "All accounts", [(f"{c.label} · {c.detail}", c) for c in accounts]
        )

    def set_ministries(self, ministries: Sequence[Choice]) -> None:
        self._refill(
            self.ministry, "All ministries", [(f"{c.key} — {c.label}", c) for c in ministries]
        )

    def _refill(self, combo: QComboBox, everything: str, items: list[tuple[str, Choice]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, None)
        for label, choice in items:
            # Strings, not UUID objects: QComboBox.findData compares them by value.
            combo.addItem(label, str(choice.id))
        found = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(found, 0))
        combo.blockSignals(False)

    def query(self, base: CommentLogQuery) -> CommentLogQuery:
        """``base`` (its sort) with the filters shown here."""
        return dataclasses.replace(
            base,
            statuses=self.status.currentData() or frozenset(),
            account_id=_uuid(self.account.currentData()),
            ministry_id=_uuid(self.ministry.currentData()),
            due_soon=self.due_soon.isChecked(),
            overdue=self.overdue.isChecked(),
            assigned_to="me" if self.mine.isChecked() else None,
            high_profile=self.high_profile.isChecked(),
            during_emergency=self.emergency.isChecked(),
            search=self.search.text().strip(),
        )

    def search_now(self) -> None:
        """Run a pending search at once (Enter in the box)."""
        if self._debounce.isActive():
            self._debounce.stop()
            self.changed.emit()

    @Slot(str)
    def _on_search_typed(self, _text: str) -> None:
        self._debounce.start()

    @Slot()
    def _on_changed(self, *_args: object) -> None:
        self._debounce.stop()
        self.changed.emit()


def _uuid(data: object) -> uuid.UUID | None:
    return uuid.UUID(str(data)) if data else None
