"""The "Holidays and closures" page of the settings: Saskatchewan's public holidays of a year
and the closure days the branch adds, which are saved at once (each is its own audited change
and moves the due times of open comments).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Protocol

from PySide6.QtCore import QDate, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.policy.settings import PolicySettings
from desktop.services.recompute import IsCancelled
from desktop.services.recompute import Progress as ServiceProgress
from desktop.services.settings_service import CalendarDay
from desktop.views.worker import Progress, run_in_background

DayRole = Qt.ItemDataRole.UserRole + 1


class SettingsApi(Protocol):
    """What the settings pages need of ``SettingsService`` (tests pass a stand-in)."""

    def get(self) -> PolicySettings: ...
    def update(
        self,
        changes: dict[str, Any],
        *,
        progress: ServiceProgress | None = None,
        cancelled: IsCancelled | None = None,
    ) -> PolicySettings: ...
    def add_closure(
        self,
        day: date,
        reason: str = "",
        *,
        progress: ServiceProgress | None = None,
        cancelled: IsCancelled | None = None,
    ) -> Any: ...
    def remove_closure(
        self,
        day: date,
        *,
        progress: ServiceProgress | None = None,
        cancelled: IsCancelled | None = None,
    ) -> None: ...
    def holidays(self, year: int) -> list[CalendarDay]: ...
    def closures(self, year: int) -> list[CalendarDay]: ...


Calendar = tuple[list[CalendarDay], list[CalendarDay]]


def calendar_of(service: SettingsApi, year: int) -> Calendar:
    """The public holidays and the branch's closures of ``year``, each by date."""
    holidays = [d for d in service.holidays(year) if not d.is_closure]
    return holidays, service.closures(year)


def recompute_hooks(progress: Progress) -> dict[str, Any]:
    """Progress and cancel wiring for service calls that recompute due times."""
    return {
        "progress": lambda done, total: progress.report(
            done, total, f"Recomputing due times ({done:,} of {total:,} comments)…"
        ),
        "cancelled": progress.is_cancelled,
    }


class CalendarPage(QWidget):
    """``changing`` before a closure is saved, ``changed`` after, ``failed`` with the error."""

    changing = Signal()
    changed = Signal()
    failed = Signal(object)

    def __init__(
        self, service: SettingsApi, today: date, *, editable: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.editable = editable
        self.year = QSpinBox()
        self.year.setObjectName("calendarYear")
        self.year.setAccessibleName("Year")
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year)
        self.year.valueChanged.connect(self.load)
        year_row = QHBoxLayout()
        year_row.addWidget(QLabel("Year"))
        year_row.addWidget(self.year)
        year_row.addStretch(1)

        self.holiday_list = QListWidget()
        self.holiday_list.setObjectName("holidayList")
        self.holiday_list.setAccessibleName("Public holidays")
        self.closure_list = QListWidget()
        self.closure_list.setObjectName("closureList")
        self.closure_list.setAccessibleName("Closures")
        self.closure_list.itemSelectionChanged.connect(self._on_selected)
        holidays_box = QGroupBox("Public holidays (Saskatchewan)")
        QVBoxLayout(holidays_box).addWidget(self.holiday_list)

        self.closure_day = QDateEdit()
        self.closure_day.setObjectName("closureDay")
        self.closure_day.setAccessibleName("Closure day")
        self.closure_day.setCalendarPopup(True)
        self.closure_day.setDisplayFormat("ddd d MMM yyyy")
        self.closure_day.setDate(QDate(today.year, today.month, today.day))
        self.closure_reason = QLineEdit()
        self.closure_reason.setObjectName("closureReason")
        self.closure_reason.setAccessibleName("Closure reason")
        self.closure_reason.setPlaceholderText("Reason, e.g. Boxing Day")
        self.add_button = QPushButton("Add closure")
        self.add_button.setObjectName("addClosure")
        self.add_button.clicked.connect(self._on_add)
        self.remove_button = QPushButton("Remove selected")
        self.remove_button.setObjectName("removeClosure")
        self.remove_button.clicked.connect(self._on_remove)
        closures_box = QGroupBox("Closures added by the branch")
        closures_layout = QVBoxLayout(closures_box)
        closures_layout.addWidget(self.closure_list)
        add_form = QFormLayout()
        add_form.addRow("Day", self.closure_day)
        add_form.addRow("Reason", self.closure_reason)
        closures_layout.addLayout(add_form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        closures_layout.addLayout(buttons)

        lists = QHBoxLayout()
        lists.addWidget(holidays_box, 1)
        lists.addWidget(closures_box, 1)
        note = QLabel("Closures are saved at once and move the due times of open comments.")
        note.setProperty("role", "muted")
        layout = QVBoxLayout(self)
        layout.addLayout(year_row)
        layout.addLayout(lists, 1)
        layout.addWidget(note)
        self.fields: dict[str, QWidget] = {"day": self.closure_day, "reason": self.closure_reason}
        for widget in (self.closure_day, self.closure_reason, self.add_button):
            widget.setEnabled(editable)
        self.remove_button.setEnabled(False)

    @Slot()
    def load(self) -> None:
        service, year = self.service, self.year.value()

        def fetch(_p: Progress) -> Calendar:
            return calendar_of(service, year)

        run_in_background(self, fetch, on_success=self.show_calendar)

    def show_calendar(self, calendar: Calendar) -> None:
        holidays, closures = calendar
        self.holiday_list.clear()
        for entry in holidays:
            day = entry.day
            self.holiday_list.addItem(f"{day:%a} {day.day} {day:%b} — {entry.name}")
        self.closure_list.clear()
        for entry in closures:
            day = entry.day
            item = QListWidgetItem(f"{day:%a} {day.day} {day:%b %Y} — {entry.name or 'closed'}")
            item.setData(DayRole, day)
            self.closure_list.addItem(item)
        self._on_selected()

    @Slot()
    def _on_selected(self) -> None:
        self.remove_button.setEnabled(self.editable and bool(self.closure_list.selectedItems()))

    @Slot()
    def _on_add(self) -> None:
        qday = self.closure_day.date()
        day, service = date(qday.year(), qday.month(), qday.day()), self.service
        reason = self.closure_reason.text()
        self._change(
            lambda p: service.add_closure(day, reason, **recompute_hooks(p)),
            "Adding the closure…",
        )

    @Slot()
    def _on_remove(self) -> None:
        items = self.closure_list.selectedItems()
        if not items:
            return
        day, service = items[0].data(DayRole), self.service
        self._change(
            lambda p: service.remove_closure(day, **recompute_hooks(p)),
            "Removing the closure…",
        )

    def _change(self, change: Callable[[Progress], Any], label: str) -> None:
        self.changing.emit()

        def done(_result: Any) -> None:
            self.closure_reason.clear()
            self.changed.emit()
            self.load()

        run_in_background(
            self,
            change,
            on_success=done,
            on_failure=self.failed.emit,
            progress_label=label,
            cancellable=True,
        )
