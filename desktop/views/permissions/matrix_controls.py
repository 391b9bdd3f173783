"""What sits above the permission matrix: the filters (ministry, platform, kind of person,
holders only, violations only) and the legend of violation colours with their counts."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QWidget

from desktop.enums import PersonKind, Platform
from desktop.services.choices import Choice
from desktop.services.permission_matrix import MatrixFilter, Violation
from desktop.views.permissions.matrix_model import (
    VIOLATION_COLOURS,
    VIOLATION_HELP,
    VIOLATION_MARKS,
)

ALL = "All"
KIND_LABELS = {
    PersonKind.EMPLOYEE: "Employees",
    PersonKind.CONTRACTOR: "Contractors",
    PersonKind.AGENCY: "Agency staff",
}


def _combo(name: str, accessible: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setAccessibleName(accessible)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.addItem(ALL, None)
    return combo


class MatrixFilterBar(QWidget):
    """``changed`` fires when the person changes a filter (not on ``reset``)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ministries_loaded = False
        self.ministry = _combo("permissionsMinistry", "Filter by ministry")
        self.platform = _combo("permissionsPlatform", "Filter by platform")
        for platform in Platform:
            self.platform.addItem(platform.label, platform)
        self.kind = _combo("permissionsKind", "Filter by kind of person")
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind)
        self.holders_only = QCheckBox("Only people with roles")
        self.holders_only.setObjectName("permissionsHoldersOnly")
        # The matrix is read far more than it is granted on: a row for everyone is mostly blank.
        self.holders_only.setChecked(True)
        self.holders_only.setToolTip(
            "Untick to list everyone, to grant a role to someone who holds none yet."
        )
        self.violations_only = QCheckBox("Only violations")
        self.violations_only.setObjectName("permissionsViolationsOnly")
        self.violations_only.setToolTip("Only the cells with a violation, and their rows.")
        for combo in (self.ministry, self.platform, self.kind):
            combo.currentIndexChanged.connect(self.changed)
        for box in (self.holders_only, self.violations_only):
            box.toggled.connect(self.changed)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        for caption, combo in (
            ("&Ministry", self.ministry),
            ("&Platform", self.platform),
            ("&People", self.kind),
        ):
            buddy = QLabel(caption)
            buddy.setBuddy(combo)
            layout.addWidget(buddy)
            layout.addWidget(combo)
            layout.addSpacing(6)
        layout.addWidget(self.holders_only)
        layout.addWidget(self.violations_only)

    def filters(self) -> MatrixFilter:
        return MatrixFilter(
            ministry_id=self.ministry.currentData(),
            platform=self.platform.currentData(),
            person_kind=self.kind.currentData(),
            holders_only=self.holders_only.isChecked(),
            violations_only=self.violations_only.isChecked(),
        )

    def _controls(self) -> tuple[QWidget, ...]:
        return (self.ministry, self.platform, self.kind, self.holders_only, self.violations_only)

    def reset(self) -> None:
        """Everything and everyone, silently (the caller reloads once)."""
        for widget in self._controls():
            widget.blockSignals(True)
        for combo in (self.ministry, self.platform, self.kind):
            combo.setCurrentIndex(0)
        self.holders_only.setChecked(False)
        self.violations_only.setChecked(False)
        for widget in self._controls():
            widget.blockSignals(False)

    def fill_ministries(self, ministries: list[Choice]) -> None:
        self.ministry.blockSignals(True)
        for m in ministries:
            self.ministry.addItem(f"{m.key} — {m.label}", m.id)
        self.ministry.blockSignals(False)
        self.ministries_loaded = True


class LegendItem(QWidget):
    """A swatch in a violation's colours, its name, and how many cells show it."""

    def __init__(self, violation: Violation) -> None:
        super().__init__()
        self.violation = violation
        background, text = VIOLATION_COLOURS[violation]
        self.swatch = QLabel(f"{VIOLATION_MARKS[violation]} Role")
        self.swatch.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.swatch.setStyleSheet(
            f"background: {background.name()}; color: {text.name()}; font-weight: bold;"
            f"border: 1px solid {text.name()}; border-radius: 3px; padding: 1px 6px;"
        )
        self.text = QLabel(violation.label)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.swatch)
        layout.addWidget(self.text)

    def set_count(self, count: int, revoke_days: int) -> None:
        self.text.setText(f"{self.violation.label} ({count})")
        self.setToolTip(VIOLATION_HELP[self.violation].format(days=revoke_days))
        self.setAccessibleName(f"{self.violation.label}: {count} cells")


class ViolationLegend(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items = {v: LegendItem(v) for v in Violation}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(18)
        title = QLabel("Violations:")
        title.setProperty("role", "muted")
        layout.addWidget(title)
        for item in self.items.values():
            layout.addWidget(item)

    def set_counts(self, counts: Mapping[Violation, int], revoke_days: int) -> None:
        for violation, item in self.items.items():
            item.set_count(counts.get(violation, 0), revoke_days)
