"""The banner across the top of the main window while an emergency is declared.

It names each active emergency, the ministries it covers and since when, because the
service-level clock runs around the clock for them and everyone must know it. On a small
screen it folds to one line (the emergency, since when, the 24/7 clock) and stays in sight.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.enums import EmergencyKind
from desktop.views.elided_label import ElidedLabel
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


def one_line(emergencies: Sequence[ActiveEmergency], timezone: str) -> str:
    """The folded banner: the first emergency, that the clock runs 24/7, since when (what
    matters most first: a narrow window cuts the end)."""
    first = emergencies[0]
    more = f" (and {len(emergencies) - 1} more)" if len(emergencies) > 1 else ""
    return (
        f"Emergency: {kind_label(first.kind)} — {first.title}{more} · 24/7 clock: 1 h to "
        f"acknowledge, 48 h to answer · since {format_when(first.since, timezone)}"
    )


class EmergencyBanner(QFrame):
    """Hidden unless an emergency is active; "End emergency" only for those allowed.

    The first line names the emergency and carries the buttons; the lines under it say what
    it covers, who is on call and the 24/7 clock. The arrow button folds the banner to its
    first line and back (``collapsed_changed`` tells the window, which remembers the choice).
    """

    end_requested = Signal()
    record_requested = Signal()
    collapsed_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emergencyBanner")
        self.setAccessibleName("Emergency banner")
        # Never squeezed below its text by the tabs under it (they take the room left).
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.collapsed = False
        self._emergencies: list[ActiveEmergency] = []
        self._timezone = "America/Regina"
        self.picture = QLabel()
        self.summary = ElidedLabel(mode=Qt.TextElideMode.ElideRight)
        self.summary.setObjectName("emergencyBannerTitle")
        self.end_button = QPushButton("End emergency…")
        self.end_button.setObjectName("endEmergencyButton")
        self.end_button.setAccessibleName("End emergency")
        self.end_button.clicked.connect(self.end_requested)
        # On-call people and group updates: the emergency's record.
        self.record_button = QPushButton("On call and updates…")
        self.record_button.setObjectName("emergencyRecordButton")
        self.record_button.setAccessibleName("On-call people and group updates")
        self.record_button.clicked.connect(self.record_requested)
        self.fold_button = QToolButton()
        self.fold_button.setObjectName("foldEmergencyButton")
        self.fold_button.setAutoRaise(True)
        self.fold_button.clicked.connect(self.toggle)
        first = QHBoxLayout()
        first.setSpacing(10)
        first.addWidget(self.picture)
        first.addWidget(self.summary, 1)
        first.addWidget(self.record_button)
        first.addWidget(self.end_button)
        first.addWidget(self.fold_button)
        self._lines = QVBoxLayout()
        self._lines.setContentsMargins(38, 0, 0, 0)  # under the title, past the icon
        self._lines.setSpacing(2)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(10, 4, 8, 6)
        outer.setSpacing(0)
        outer.addLayout(first)
        outer.addLayout(self._lines)
        self.texts: list[str] = []
        self._show_fold()
        self.hide()

    @Slot()
    def toggle(self) -> None:
        self.set_collapsed(not self.collapsed)
        self.collapsed_changed.emit(self.collapsed)

    def set_collapsed(self, collapsed: bool) -> None:
        """The first line only (True) or every emergency in full (False)."""
        self.collapsed = collapsed
        self._show_fold()
        self._fill()

    def _show_fold(self) -> None:
        text = "Show the emergency in full" if self.collapsed else "Fold the banner to one line"
        self.fold_button.setIcon(icon("chevron-down" if self.collapsed else "chevron-up"))
        self.fold_button.setToolTip(text)
        self.fold_button.setAccessibleName(text)
        self.picture.setPixmap(icon("warning").pixmap(QSize(22, 22)))

    def show_emergencies(
        self, emergencies: Sequence[ActiveEmergency], timezone: str, *, can_end: bool
    ) -> None:
        self._emergencies = list(emergencies)
        self._timezone = timezone
        self._fill()
        self.end_button.setVisible(can_end)
        self.setVisible(bool(emergencies))

    def _fill(self) -> None:
        while self._lines.count():
            item = self._lines.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.texts = []
        for emergency in self._emergencies:
            self.texts += [
                f"Emergency: {kind_label(emergency.kind)} — {emergency.title}",
                describe(emergency, self._timezone),
            ]
        if not self._emergencies:
            return
        if self.collapsed:
            self.summary.setText(one_line(self._emergencies, self._timezone))
            self.summary.setToolTip(" ".join(self.texts))
            return
        self.summary.setText(self.texts[0])
        self.summary.setToolTip("")
        for i, text in enumerate(self.texts[1:], start=1):
            label = QLabel(text)
            is_title = i % 2 == 0  # the second emergency's title, the third's...
            label.setObjectName("emergencyBannerTitle" if is_title else "")
            label.setWordWrap(not is_title)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._lines.addWidget(label)
