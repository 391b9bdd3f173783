"""The Accounts tab's filter bar: quick search and the ministry, platform and status filters."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QWidget

from desktop.enums import AccountStatus, Platform
from desktop.services.account_list import AccountFilters
from desktop.services.choices import Choice
from desktop.views.accounts.account_table_model import status_text
from desktop.views.accounts.combos import index_of
from desktop.views.icons import icon

SEARCH_DELAY_MS = 250  # typing pauses this long before the list reloads


class AccountFilterBar(QWidget):
    """Emits ``changed`` when a filter changes, or when typing in the search box pauses."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setObjectName("accountsSearch")
        self.search.setAccessibleName("Search accounts")
        self.search.setPlaceholderText("Search handle, name, e-mail, owner or ministry  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.ministry = QComboBox()
        self.ministry.setObjectName("accountsMinistryFilter")
        self.ministry.setAccessibleName("Filter by ministry")
        self.ministry.addItem("All ministries", None)
        self.ministry.setMinimumContentsLength(18)
        self.ministry.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.platform = QComboBox()
        self.platform.setObjectName("accountsPlatformFilter")
        self.platform.setAccessibleName("Filter by platform")
        self.platform.addItem("All platforms", None)
        for platform in Platform:
            self.platform.addItem(platform.label, platform)
        self.status = QComboBox()
        self.status.setObjectName("accountsStatusFilter")
        self.status.setAccessibleName("Filter by status")
        self.status.addItem("All statuses", None)
        for status in AccountStatus:
            self.status.addItem(status_text(status), status)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.search, 3)
        layout.addWidget(self.ministry, 2)
        layout.addWidget(self.platform, 1)
        layout.addWidget(self.status, 1)

        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(SEARCH_DELAY_MS)
        self._typing.timeout.connect(self._on_changed)
        self.search.textChanged.connect(self._on_search_edited)
        for combo in self._combos():
            combo.currentIndexChanged.connect(self._on_changed)

    def _combos(self) -> tuple[QComboBox, QComboBox, QComboBox]:
        return (self.ministry, self.platform, self.status)

    def filters(self) -> AccountFilters:
        return AccountFilters(
            ministry_id=self.ministry.currentData(),
            platform=self.platform.currentData(),
            status=self.status.currentData(),
            search=self.search.text(),
        )

    def set_ministries(self, ministries: Sequence[Choice]) -> None:
        """Offer these ministries, keeping the one chosen if it is still there."""
        current = self.ministry.currentData()
        self.ministry.blockSignals(True)
        self.ministry.clear()
        self.ministry.addItem("All ministries", None)
        for ministry in ministries:
            self.ministry.addItem(f"{ministry.label} ({ministry.key})", ministry.id)
        self.ministry.setCurrentIndex(max(index_of(self.ministry, current), 0))
        self.ministry.blockSignals(False)

    def clear(self) -> None:
        """Show everything again, without a ``changed`` signal (the caller reloads)."""
        self._typing.stop()
        for widget in (self.search, *self._combos()):
            widget.blockSignals(True)
        self.search.clear()
        for combo in self._combos():
            combo.setCurrentIndex(0)
        for widget in (self.search, *self._combos()):
            widget.blockSignals(False)

    @Slot(str)
    def _on_search_edited(self, _text: str) -> None:
        self._typing.start()

    @Slot()
    def _on_changed(self, *_args: object) -> None:
        self._typing.stop()
        self.changed.emit()
