"""The audit log's filters: who, which kind of record, which action, a record's name, and
dates; turned into an ``AuditFilter`` the log runs in SQL (typing waits 300 ms)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from desktop.services.audit_log import AuditChoices, AuditFilter
from desktop.views.icons import icon

DEBOUNCE_MS = 300
_ANY_DATE = QDate(2000, 1, 1)  # the dates' minimum, shown as "Any"


def _date_edit(name: str, accessible: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(_ANY_DATE)
    edit.setSpecialValueText("Any")
    edit.setDate(_ANY_DATE)
    return edit


class AuditLogFilters(QWidget):
    """Emits ``changed`` when a filter changes."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditFilters")
        self.person = QComboBox()
        self.person.setObjectName("auditPersonFilter")
        self.kind = QComboBox()
        self.kind.setObjectName("auditKindFilter")
        self.action = QComboBox()
        self.action.setObjectName("auditActionFilter")
        for combo in (self.person, self.kind, self.action):
            combo.setMinimumContentsLength(18)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
        self.record = QLineEdit()
        self.record.setObjectName("auditRecordFilter")
        self.record.setPlaceholderText("An account, person, request, campaign…")
        self.record.setClearButtonEnabled(True)
        self.record.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.since = _date_edit("auditSince", "From date")
        self.until = _date_edit("auditUntil", "To date")
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.setObjectName("auditClearFilters")
        self.clear_button.clicked.connect(self.clear)
        self.set_choices(AuditChoices((), (), ()))

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        cells = (
            ("&Person", self.person, 0, 0),
            ("&Kind of record", self.kind, 0, 2),
            ("&Action", self.action, 0, 4),
            ("&Record", self.record, 1, 0),
            ("F&rom", self.since, 1, 2),
            ("&To", self.until, 1, 4),
        )
        for caption, widget, row, column in cells:
            label = QLabel(caption)
            label.setBuddy(widget)
            grid.addWidget(label, row, column)
            grid.addWidget(widget, row, column + 1)
        grid.addWidget(self.clear_button, 1, 6)
        for column in (1, 3, 5):
            grid.setColumnStretch(column, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.changed)
        self.record.textChanged.connect(lambda _t: self._debounce.start())
        for combo in (self.person, self.kind, self.action):
            combo.currentIndexChanged.connect(self._on_changed)
        for edit in (self.since, self.until):
            edit.dateChanged.connect(self._on_changed)

    def set_choices(self, choices: AuditChoices) -> None:
        for combo, everyone, items in (
            (self.person, "Anyone", choices.people),
            (self.kind, "Any kind", choices.kinds),
            (self.action, "Any action", choices.actions),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everyone, None)
            for key, label in items:
                combo.addItem(label, key)
            combo.setCurrentIndex(max(combo.findData(current), 0) if current else 0)
            combo.blockSignals(False)

    def current(self) -> AuditFilter:
        return AuditFilter(
            actor_login=self.person.currentData(),
            entity_type=self.kind.currentData(),
            action=self.action.currentData(),
            record=self.record.text().strip(),
            since=_day(self.since),
            until=_day(self.until),
        )

    def is_filtered(self) -> bool:
        return self.current() != AuditFilter()

    @Slot()
    def clear(self) -> None:
        self.blockSignals(True)
        for combo in (self.person, self.kind, self.action):
            combo.setCurrentIndex(0)
        self.record.clear()
        self._debounce.stop()
        for edit in (self.since, self.until):
            edit.setDate(_ANY_DATE)
        self.blockSignals(False)
        self.changed.emit()

    @Slot()
    def _on_changed(self, *_args: object) -> None:
        self._debounce.stop()
        self.changed.emit()


def _day(edit: QDateEdit) -> date | None:
    value = edit.date()
    return None if value == _ANY_DATE else date(value.year(), value.month(), value.day())
