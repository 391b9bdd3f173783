"""The row of large, readable KPI tiles at the top of the Compliance tab."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from desktop.services.compliance import ComplianceKpis


@dataclass(frozen=True)
class KpiSpec:
    field: str  # the ComplianceKpis attribute
    caption: str
    tip: str
    alarm: str | None  # the severity a non-zero value shows in; None: always neutral


KPI_SPECS: tuple[KpiSpec, ...] = (
    KpiSpec(
        "active_accounts",
        "Active accounts",
        "Official accounts in status active.",
        None,
    ),
    KpiSpec(
        "overdue_comments",
        "Overdue comments",
        "Open comments past their acknowledge or answer time.",
        "critical",
    ),
    KpiSpec(
        "evaluations_due",
        "Evaluations due",
        "Active accounts whose half-yearly evaluation is overdue.",
        "warning",
    ),
    KpiSpec(
        "third_party_to_revoke",
        "Third-party access to revoke",
        "Agency roles still held more than two weeks after their campaign ended, or past "
        "their expiry date.",
        "critical",
    ),
    KpiSpec(
        "critical_findings",
        "Critical findings",
        "Findings of the policy checks with critical severity: deal with these first.",
        "critical",
    ),
)

# The value is the tile's point: big enough to read across the room. Sizes in pt scale with
# the screen, like the app's stylesheet.
_TILE_STYLE = """
QLabel#kpiValue { font-size: 24pt; font-weight: bold; }
QLabel#kpiCaption { font-size: 10pt; color: #3d444d; }
"""


class KpiTile(QFrame):
    """One number with its caption; red or amber while it is not zero, if it is an alarm."""

    def __init__(self, spec: KpiSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setObjectName(f"kpi_{spec.field}")
        self.setProperty("role", "card")
        self.setStyleSheet(_TILE_STYLE)
        self.setToolTip(spec.tip)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.value = QLabel("–")
        self.value.setObjectName("kpiValue")
        self.value.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.caption = QLabel(spec.caption)
        self.caption.setObjectName("kpiCaption")
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 10)
        layout.setSpacing(0)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)
        self.setAccessibleName(spec.caption)

    def set_value(self, value: int | None) -> None:
        text = "–" if value is None else f"{value:,}"
        self.value.setText(text)
        severity = self.spec.alarm if value else "ok" if self.spec.alarm else None
        self.value.setProperty("severity", severity or "")
        # A dynamic property only restyles after the style is re-applied.
        self.value.style().unpolish(self.value)
        self.value.style().polish(self.value)
        self.setAccessibleDescription(f"{self.spec.caption}: {text}. {self.spec.tip}")


class KpiBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kpiBar")
        self.tiles = {spec.field: KpiTile(spec) for spec in KPI_SPECS}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        for tile in self.tiles.values():
            layout.addWidget(tile, 1)

    def set_kpis(self, kpis: ComplianceKpis | None) -> None:
        for field, tile in self.tiles.items():
            tile.set_value(None if kpis is None else int(getattr(kpis, field)))

    def value_text(self, field: str) -> str:
        return self.tiles[field].value.text()
