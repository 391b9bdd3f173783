"""The banner across the top of the main window while an emergency is declared.

It names each active emergency, the ministries it covers and since when, because the
service-level clock runs around the clock for them and everyone must know it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.enums import EmergencyKind
from desktop.views.icons import icon
from desktop.views.local_time import format_when

if TYPE_CHECKING:  # part of the window's frame, built before the services are imported
    from desktop.services.emergencies import ActiveEmergency


def kind_label(kind: EmergencyKind) -> str:
    return kind.value.replace("_", " ").capitalize()


def describe(emergency: ActiveEmergency, timezone: str) -> str:
    covered = list(emergency.ministries)
    if len(emergency.accounts) <= 3:
        covered += emergency.accounts
    else:
        covered.append(f"{len(emergency.accounts)} accounts")
    where = ", ".join(covered) if covered else "nothing named yet"
    on_call = [
        f"{name} ({team})"
        for name, team in (
            (emergency.on_call_ministry, "ministry"),
            (emergency.on_call_council, "Executive Council"),
        )
        if name
    ]
    return (
        f"Covers {where} · since {format_when(emergency.since, timezone)} · "
        f"on call: {', '.join(on_call) if on_call else 'not named yet'} · comments there are "
        "due around the clock (1 h to acknowledge, 48 h to answer)."
    )


class EmergencyBanner(QFrame):
    """Hidden unless an emergency is active; "End emergency" only for those allowed."""

    end_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emergencyBanner")
        self.setAccessibleName("Emergency banner")
        outer = QHBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 8)
        outer.setSpacing(12)
        picture = QLabel()
        picture.setPixmap(icon("warning").pixmap(QSize(28, 28)))
        picture.setAlignment(Qt.AlignmentFlag.AlignTop)
        outer.addWidget(picture)
        self._lines = QVBoxLayout()
        self._lines.setSpacing(2)
        outer.addLayout(self._lines, 1)
        self.end_button = QPushButton("End emergency…")
        self.end_button.setObjectName("endEmergencyButton")
        self.end_button.setAccessibleName("End emergency")
        self.end_button.clicked.connect(self.end_requested)
        outer.addWidget(self.end_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.texts: list[str] = []
        self.hide()

    def show_emergencies(
        self, emergencies: Sequence[ActiveEmergency], timezone: str, *, can_end: bool
    ) -> None:
        while self._lines.count():
            item = self._lines.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.texts = []
        for emergency in emergencies:
            title = QLabel(f"Emergency: {kind_label(emergency.kind)} — {emergency.title}")
            title.setObjectName("emergencyBannerTitle")
            detail = QLabel(describe(emergency, timezone))
            detail.setWordWrap(True)
            for label in (title, detail):
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self._lines.addWidget(label)
                self.texts.append(label.text())
        self.end_button.setVisible(can_end)
        self.setVisible(bool(emergencies))
