"""The Compliance tab's filter bar: search, ministry, platform and check, with the count shown."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from desktop.enums import Platform
from desktop.views.compliance.findings_model import FindingFilter, check_title
from desktop.views.icons import icon


def _combo(name: str, accessible: str, everything: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setAccessibleName(accessible)
    combo.setToolTip(accessible)
    combo.setMinimumContentsLength(14)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.addItem(everything, None)
    return combo


def refill(combo: QComboBox, items: Iterable[tuple[str, Any]]) -> None:
    """Replace a filter's choices after its first ("All …"), keeping the current one if it is
    still offered; no change is signalled."""
    current = combo.currentData()
    combo.blockSignals(True)
    while combo.count() > 1:
        combo.removeItem(1)
    for text, data in items:
        combo.addItem(text, data)
    position = combo.findData(current) if current is not None else 0
    combo.setCurrentIndex(max(position, 0))
    combo.blockSignals(False)


class FindingFilterBar(QWidget):
    """``changed`` fires whenever the person changes a filter."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("complianceFilters")
        self.search = QLineEdit()
        self.search.setObjectName("complianceSearch")
        self.search.setAccessibleName("Search findings")
        self.search.setPlaceholderText("Search record, message or check  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.ministry = _combo("complianceMinistryFilter", "Filter by ministry", "All ministries")
        self.platform = _combo("compliancePlatformFilter", "Filter by platform", "All platforms")
        for platform in Platform:
            self.platform.addItem(platform.label, platform)
        self.check = _combo("complianceCheckFilter", "Filter by check", "All checks")
        self.check.setMinimumContentsLength(34)
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.setObjectName("complianceClearFilters")
        self.clear_button.setEnabled(False)
        self.clear_button.clicked.connect(self._on_clear)
        self.count = QLabel()
        self.count.setObjectName("complianceCount")
        self.count.setProperty("role", "muted")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.search, 3)
        layout.addWidget(self.ministry, 2)
        layout.addWidget(self.platform, 1)
        layout.addWidget(self.check, 3)
        layout.addWidget(self.clear_button)
        layout.addWidget(self.count)
        self.search.textChanged.connect(self.changed)
        for combo in self.combos:
            combo.currentIndexChanged.connect(self.changed)

    @property
    def combos(self) -> tuple[QComboBox, ...]:
        return (self.ministry, self.platform, self.check)

    def filters(self) -> FindingFilter:
        return FindingFilter(
            ministry=self.ministry.currentData(),
            platform=self.platform.currentData(),
            code=self.check.currentData(),
            text=self.search.text(),
        )

    def set_ministries(self, names: Mapping[str, str]) -> None:
        """Ministry codes with their names ("HEA — Ministry of Health"), by code."""
        items = [
            (code if name == code else f"{code} — {name}", code) for code, name in names.items()
        ]
        refill(self.ministry, sorted(items))

    def set_checks(self, counts: Mapping[str, int]) -> None:
        """The checks that found something, by title, each with its number of findings."""
        items = [(f"{check_title(code)} ({n})", code) for code, n in counts.items()]
        refill(self.check, sorted(items, key=lambda item: item[0].lower()))

    def show_counts(self, shown: int, total: int) -> None:
        filtered = self.filters().active
        self.clear_button.setEnabled(filtered)
        if not total:
            self.count.setText("")
        elif filtered:
            self.count.setText(f"Showing {shown} of {total}")
        else:
            self.count.setText(f"{total} finding{'s' if total != 1 else ''}")

    @Slot()
    def _on_clear(self) -> None:
        for widget in (self.search, *self.combos):
            widget.blockSignals(True)
        self.search.clear()
        for combo in self.combos:
            combo.setCurrentIndex(0)
        for widget in (self.search, *self.combos):
            widget.blockSignals(False)
        self.changed.emit()
