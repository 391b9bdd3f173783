"""The detail of one finding: what is wrong, what to do, and the policy sentence it enforces."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.enums import Platform, Severity
from desktop.policy.findings import CHECKS, Finding
from desktop.services.finding_scope import FindingScope
from desktop.views.compliance.findings_model import (
    SEVERITY_LABELS,
    check_title,
    subject_kind,
)
from desktop.views.local_time import format_when

# Record types another tab opens (the main window routes them by the tabs' ``handles``).
OPENABLE = frozenset({"account", "approval", "account_role", "person", "comment"})
EMPTY_TEXT = "Choose a finding to see what is wrong, what to do and the policy behind it."
_CHIP = {Severity.CRITICAL: "critical", Severity.WARNING: "warning", Severity.INFO: ""}


def _text(name: str, *, role: str = "") -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if role:
        label.setProperty("role", role)
    return label


class FindingDetail(QFrame):
    """Shows one finding; asks (``open_requested``) to open its record where a tab shows it."""

    open_requested = Signal(str, str)  # subject type, subject id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findingDetail")
        self.setProperty("role", "card")
        self.setAccessibleName("Finding detail")
        self.finding: Finding | None = None
        self.timezone = "America/Regina"
        self.ministry_names: dict[str, str] = {}  # code → name, to spell ministries out

        self.title = _text("findingTitle", role="heading")
        self.severity = _text("findingSeverity")
        self.record = _text("findingRecord")
        self.ministry = _text("findingMinistry")
        self.platform = _text("findingPlatform")
        self.since = _text("findingSince")
        self.code = _text("findingCode", role="muted")
        self.message = _text("findingMessage")
        self.remedy = _text("findingRemedy")
        self.quote = _text("findingPolicyQuote")
        self.quote.setStyleSheet("font-style: italic;")
        self.empty = _text("findingEmpty", role="muted")
        self.empty.setText(EMPTY_TEXT)
        self.open_button = QPushButton("Open record")
        self.open_button.setObjectName("openRecordButton")
        self.open_button.setAccessibleName("Open the record this finding is about")
        self.open_button.clicked.connect(self._on_open)

        facts = QFormLayout()
        facts.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        facts.setHorizontalSpacing(12)
        facts.setVerticalSpacing(4)
        for caption, label in (
            ("Severity", self.severity),
            ("Record", self.record),
            ("Ministry", self.ministry),
            ("Platform", self.platform),
            ("Since", self.since),
            ("Check", self.code),
        ):
            facts.addRow(caption, label)

        quote_card = QFrame()
        quote_card.setProperty("role", "card")
        quote_layout = QVBoxLayout(quote_card)
        quote_layout.setContentsMargins(10, 8, 10, 8)
        quote_layout.addWidget(self.quote)

        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(6)
        body.addWidget(self.title)
        body.addLayout(facts)
        for heading, widget in (
            ("What is wrong", self.message),
            ("What to do", self.remedy),
            ("The policy says", quote_card),
        ):
            heading_label = QLabel(heading)
            heading_label.setProperty("role", "heading")
            body.addSpacing(4)
            body.addWidget(heading_label)
            body.addWidget(widget)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        body.addSpacing(6)
        body.addLayout(buttons)
        body.addStretch(1)

        content = QWidget()
        content.setObjectName("findingDetailContent")
        inner = QVBoxLayout(content)
        inner.setContentsMargins(12, 10, 12, 10)
        inner.addWidget(self.empty)
        inner.addWidget(self.body)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.viewport().setAutoFillBackground(False)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.clear()

    def clear(self, text: str = EMPTY_TEXT) -> None:
        self.finding = None
        self.empty.setText(text)
        self.empty.show()
        self.body.hide()

    def show_finding(self, finding: Finding, scope: FindingScope) -> None:
        self.finding = finding
        spec = CHECKS.get(finding.code)
        self.title.setText(check_title(finding.code))
        self.severity.setText(SEVERITY_LABELS[finding.severity])
        self.severity.setProperty("severity", _CHIP[finding.severity])
        self.severity.style().unpolish(self.severity)
        self.severity.style().polish(self.severity)
        self.record.setText(f"{subject_kind(finding.subject_type)} · {finding.subject_label}")
        self.ministry.setText(
            "; ".join(
                f"{code} — {self.ministry_names[code]}" if code in self.ministry_names else code
                for code in sorted(scope.ministries)
            )
            or "—"
        )
        self.platform.setText(", ".join(p.label for p in Platform if p in scope.platforms) or "—")
        self.since.setText(
            format_when(finding.since, self.timezone) if finding.since else "Not known"
        )
        self.code.setText(finding.code)
        self.message.setText(finding.message)
        self.remedy.setText(finding.remedy)
        self.quote.setText(
            f"“{spec.policy_quote}”" if spec is not None else "This check names no policy text."
        )
        openable = finding.subject_type in OPENABLE
        self.open_button.setEnabled(openable)
        self.open_button.setToolTip(
            f"Show this {subject_kind(finding.subject_type).lower()} in its tab (Enter)."
            if openable
            else f"A {subject_kind(finding.subject_type).lower()} has no tab of its own; "
            "everything known about it is shown here."
        )
        self.empty.hide()
        self.body.show()

    @Slot()
    def _on_open(self) -> None:
        if self.finding is not None and self.finding.subject_type in OPENABLE:
            self.open_requested.emit(self.finding.subject_type, self.finding.subject_id)
