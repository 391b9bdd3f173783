"""The steps of one approval request as a vertical timeline: a marker per step in its state's
colour and symbol, joined by a line, beside who signed it, when, and what they wrote."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from desktop.enums import StepState
from desktop.services.approval_tracker import StepRow
from desktop.views.local_time import format_when

# (colour, symbol, words) of each state; "waiting" is a pending step of the current stage.
WAITING = "waiting"
STEP_LOOK: dict[str, tuple[QColor, str, str]] = {
    StepState.APPROVED: (QColor("#1a7f37"), "✓", "Approved"),
    StepState.REJECTED: (QColor("#b42318"), "✕", "Rejected"),
    StepState.CHANGES_REQUESTED: (QColor("#b25e00"), "↺", "Changes requested"),
    StepState.SKIPPED: (QColor("#8c959f"), "–", "Skipped"),
    StepState.PENDING: (QColor("#8c959f"), "", "Not yet"),
    WAITING: (QColor("#2e75b6"), "…", "Waiting for a signature"),
}
LINE = QColor("#d0d7de")
MARKER = 22  # diameter of a step's circle, in px
GUTTER = 34


def look_key(step: StepRow, current_stage: int | None) -> str:
    if step.state is StepState.PENDING and step.stage == current_stage:
        return WAITING
    return step.state.value


class StepMarker(QWidget):
    """The circle of one step and the line to its neighbours."""

    def __init__(self, key: str, first: bool, last: bool) -> None:
        super().__init__()
        self.key = key
        self.first = first
        self.last = last
        self.setFixedWidth(GUTTER)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(GUTTER, MARKER + 8)

    def paintEvent(self, _event: QPaintEvent) -> None:
        colour, symbol, _words = STEP_LOOK[self.key]
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        x = self.width() / 2
        top = 4.0
        painter.setPen(QPen(LINE, 2))
        if not self.first:
            painter.drawLine(QPointF(x, 0), QPointF(x, top))
        if not self.last:
            painter.drawLine(QPointF(x, top + MARKER), QPointF(x, self.height()))
        circle = QRectF(x - MARKER / 2, top, MARKER, MARKER)
        hollow = self.key in (StepState.PENDING, WAITING)
        painter.setPen(QPen(colour, 2))
        painter.setBrush(QColor("#ffffff") if hollow else colour)
        painter.drawEllipse(circle)
        if symbol:
            font = QFont(self.font())
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(colour if hollow else QColor("#ffffff"))
            painter.drawText(circle, int(Qt.AlignmentFlag.AlignCenter), symbol)
        painter.end()


class StepItem(QWidget):
    def __init__(self, step: StepRow, key: str, *, first: bool, last: bool, timezone: str) -> None:
        super().__init__()
        self.step = step
        self.key = key
        colour, _symbol, words = STEP_LOOK[key]
        self.marker = StepMarker(key, first, last)
        self.title = QLabel(f"Stage {step.stage}: {step.label}")
        self.title.setObjectName("stepTitle")
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.state = QLabel(words)
        self.state.setObjectName("stepState")
        self.state.setStyleSheet(f"color: {colour.name()}; font-weight: bold;")
        who = [step.role.label]
        if step.decided_by_name:
            who.append(f"signed by {step.decided_by_name}")
        if step.decided_at is not None:
            who.append(format_when(step.decided_at, timezone))
        self.by = QLabel(" · ".join(who))
        self.by.setObjectName("stepBy")
        self.by.setProperty("role", "muted")
        self.by.setWordWrap(True)
        self.comment = QLabel(f"\u201c{step.comment}\u201d" if step.comment else "")
        self.comment.setObjectName("stepComment")
        self.comment.setWordWrap(True)
        self.comment.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.comment.setVisible(bool(step.comment))
        italic = self.comment.font()
        italic.setItalic(True)
        self.comment.setFont(italic)

        text = QVBoxLayout()
        text.setContentsMargins(0, 4, 0, 12)
        text.setSpacing(2)
        heading = QHBoxLayout()
        heading.setSpacing(10)
        heading.addWidget(self.title, 1)
        heading.addWidget(self.state, 0, Qt.AlignmentFlag.AlignTop)
        text.addLayout(heading)
        text.addWidget(self.by)
        text.addWidget(self.comment)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.marker)
        layout.addLayout(text, 1)
        self.setAccessibleName(f"Stage {step.stage}, {step.label}: {words}")
        self.setAccessibleDescription(" · ".join([*who, step.comment]))


class StepTimeline(QWidget):
    """``set_steps`` replaces the steps shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("approvalTimeline")
        self.setAccessibleName("Approval steps")
        self.items: list[StepItem] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        self._empty = QLabel("No steps.")
        self._empty.setProperty("role", "muted")
        self._layout.addWidget(self._empty)

    def set_steps(self, steps: Sequence[StepRow], current_stage: int | None, timezone: str) -> None:
        for item in self.items:
            self._layout.removeWidget(item)
            item.deleteLater()
        self.items = []
        self._empty.setVisible(not steps)
        for i, step in enumerate(steps):
            item = StepItem(
                step,
                look_key(step, current_stage),
                first=i == 0,
                last=i == len(steps) - 1,
                timezone=timezone,
            )
            self.items.append(item)
            self._layout.addWidget(item)
