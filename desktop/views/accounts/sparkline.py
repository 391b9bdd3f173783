"""A small hand-painted line of monthly values (engagement actions over the last 12 months)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

LINE = QColor("#2e75b6")
FILL = QColor(46, 117, 182, 40)
AXIS = QColor("#d0d7de")
MUTED = QColor("#57606a")


@dataclass(frozen=True)
class Point:
    label: str  # "Nov 2026"
    value: int
    recorded: bool  # False: nothing was entered for that month (drawn hollow, counted as 0)


class Sparkline(QWidget):
    """Values oldest first; months without a record show as hollow dots on the zero line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: list[Point] = []
        self.setObjectName("sparkline")
        self.setAccessibleName("Engagement actions per month")
        self.setMinimumSize(160, 64)
        self.setMaximumHeight(180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(320, 64)

    def set_points(self, points: Sequence[Point]) -> None:
        self.points = list(points)
        summary = self.summary()
        self.setToolTip(summary)
        self.setAccessibleDescription(
            summary + " " + "; ".join(f"{p.label}: {p.value}" for p in self.points)
        )
        self.update()

    def summary(self) -> str:
        if not any(p.recorded for p in self.points):
            return "No engagement metrics recorded in these months."
        recorded = [p for p in self.points if p.recorded]
        total = sum(p.value for p in recorded)
        best = max(recorded, key=lambda p: p.value)
        latest = recorded[-1]
        missing = len(self.points) - len(recorded)
        text = (
            f"{total:,} engagement actions over {len(self.points)} months; highest "
            f"{best.value:,} in {best.label}; latest {latest.value:,} in {latest.label}."
        )
        if missing:
            text += f" {missing} month{'s' if missing != 1 else ''} not recorded (hollow dots)."
        return text

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        area = QRectF(self.rect()).adjusted(6, 6, -6, -metrics.height() - 4)
        painter.setPen(QPen(AXIS, 1))
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        if not any(p.recorded for p in self.points):
            painter.setPen(MUTED)
            painter.drawText(
                QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter, "No metrics recorded"
            )
            return
        top = max(p.value for p in self.points) or 1
        step = area.width() / max(len(self.points) - 1, 1)
        dots = [
            QPointF(area.left() + i * step, area.bottom() - area.height() * p.value / top)
            for i, p in enumerate(self.points)
        ]
        # The line joins recorded months only: a month nobody entered is not a month of zero.
        for run in _recorded_runs(dots, self.points):
            under = QPolygonF([QPointF(run[0].x(), area.bottom()), *run])
            under.append(QPointF(run[-1].x(), area.bottom()))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(FILL)
            painter.drawPolygon(under)
            painter.setPen(QPen(LINE, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPolyline(QPolygonF(run))
        for dot, point in zip(dots, self.points, strict=True):
            painter.setBrush(LINE if point.recorded else QColor("white"))
            painter.setPen(QPen(LINE, 1.5))
            painter.drawEllipse(dot, 2.5, 2.5)
        painter.setPen(MUTED)
        baseline = self.rect().bottom() - 2
        painter.drawText(QPointF(area.left(), baseline), self.points[0].label)
        last = self.points[-1].label
        painter.drawText(QPointF(area.right() - metrics.horizontalAdvance(last), baseline), last)


def _recorded_runs(dots: Sequence[QPointF], points: Sequence[Point]) -> list[list[QPointF]]:
    """Consecutive recorded months, each a run of dots the line is drawn through."""
    runs: list[list[QPointF]] = []
    current: list[QPointF] = []
    for dot, point in zip(dots, points, strict=True):
        if point.recorded:
            current.append(dot)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs
