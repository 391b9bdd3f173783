"""The main window's status bar: which database, who is acting, and what is due or late.

Nothing falls through the cracks: the due-soon and overdue counts are always in sight.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget

from desktop.enums import AppRole
from desktop.views.elided_label import ElidedLabel
from desktop.views.worker import busy

if TYPE_CHECKING:  # part of the window's frame, shown before the services are imported
    from desktop.services.session import SessionStatus, TargetInfo


def _set_severity(label: QLabel, severity: str) -> None:
    label.setProperty("severity", severity)
    label.style().unpolish(label)
    label.style().polish(label)


def _short(label: str, limit: int = 60) -> str:
    return label if len(label) <= limit else "…" + label[-(limit - 1) :]


class AppStatusBar(QStatusBar):
    """Says "Opening the database…" until ``show_target`` names the database."""

    def __init__(self, target: TargetInfo | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("appStatusBar")
        self.setSizeGripEnabled(False)
        # The database and the person give up room first; the counts never do.
        self.database = ElidedLabel("Opening the database…")
        self.database.setObjectName("statusDatabase")
        self.person = ElidedLabel("Signing in…", mode=Qt.TextElideMode.ElideRight)
        self.person.setObjectName("statusPerson")
        self.due_soon = QLabel()
        self.due_soon.setObjectName("statusDueSoon")
        self.overdue = QLabel()
        self.overdue.setObjectName("statusOverdue")
        for label, name in (
            (self.database, "Database"),
            (self.person, "Acting person"),
            (self.due_soon, "Comments due soon"),
            (self.overdue, "Overdue comments"),
        ):
            label.setAccessibleName(name)
        self.addWidget(self.database, 2)
        self.addWidget(self.person, 1)
        # What is being read right now (a search, a page, a tab's data): never a dialog.
        self.busy_bar = QProgressBar()
        self.busy_bar.setObjectName("statusBusyBar")
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setFixedSize(64, 10)
        self.busy_bar.setAccessibleName("Working")
        self.busy_label = QLabel()
        self.busy_label.setObjectName("statusBusy")
        self.busy_label.setAccessibleName("Reading")
        self.busy_bar.hide()
        self.busy_label.hide()
        self.addPermanentWidget(self.busy_label)
        self.addPermanentWidget(self.busy_bar)
        self.addPermanentWidget(self.due_soon)
        self.addPermanentWidget(self.overdue)
        busy().changed.connect(self.show_busy)
        if target is not None:
            self.show_target(target)

    def show_busy(self, text: str) -> None:
        """``text`` is what is being read; "" hides the indicator."""
        self.busy_label.setText(text)
        self.busy_label.setVisible(bool(text))
        self.busy_bar.setVisible(bool(text))

    def show_target(self, target: TargetInfo) -> None:
        mode = "Shared database" if target.shared else "Local file"
        self.database.setText(f"{mode}: {_short(target.label.removeprefix('local file '))}")
        self.database.setToolTip(f"{target.mode.capitalize()}: {target.label}")

    def show_status(self, status: SessionStatus) -> None:
        roles = ", ".join(AppRole(r).label for r in status.roles) or "no role"
        self.person.setText(f"{status.person} · {roles}")
        self.person.setToolTip(f"Acting as {status.person} ({roles})")
        minutes = status.due_soon_minutes
        self.due_soon.setText(f"{status.due_soon} due to acknowledge within {minutes} min")
        self.due_soon.setToolTip(
            f"New comments whose time to acknowledge ends in the next {minutes} minutes"
        )
        _set_severity(self.due_soon, "warning" if status.due_soon else "")
        self.overdue.setText(f"{status.overdue} overdue")
        self.overdue.setToolTip("Comments past their time to acknowledge or to answer")
        _set_severity(self.overdue, "critical" if status.overdue else "")

    def show_unreachable(self, message: str) -> None:
        """The periodic refresh failed: say so here rather than with a box every minute."""
        self.due_soon.setText("Counts unavailable")
        self.due_soon.setToolTip(message)
        _set_severity(self.due_soon, "critical")
        self.overdue.setText("")
