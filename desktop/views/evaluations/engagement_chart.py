"""A hand-painted chart of monthly engagement: grouped bars for the four engagement actions on
the left axis, time on page as a line on the right axis (hours), with a legend.

Painted with QPainter because only PySide6-Essentials (no QtCharts) is installed.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from desktop.services.metrics import MonthMetrics, month_end
from desktop.views.evaluations.metrics_model import hours_text, month_text


@dataclass(frozen=True)
class Series:
    field: str
    label: str
    colour: QColor


BARS: tuple[Series, ...] = (
    Series("responses_positive", "Positive responses", QColor("#1a7f37")),
    Series("responses_negative", "Negative responses", QColor("#b42318")),
    Series("shares", "Shares", QColor("#2e75b6")),
    Series("comments", "Comments", QColor("#8250df")),
)
TIME = Series("time_on_page_seconds", "Time on page (hours, right axis)", QColor("#b25e00"))
AXIS = QColor("#b8c1cc")
GRID = QColor("#e6eaef")
INK = QColor("#1f2328")
MUTED = QColor("#57606a")
EMPTY_TEXT = "No engagement metrics recorded for this half-year."
_PAD = 8.0


def nice_ticks(maximum: float, count: int = 5) -> list[float]:
    """Round axis ticks from 0 to at least ``maximum`` in about ``count`` steps of 1, 2, 2.5 or 5
    times a power of ten: nice_ticks(347) → [0, 100, 200, 300, 400]."""
    if maximum <= 0 or not math.isfinite(maximum):
        return [0.0, 1.0]
    raw = maximum / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    steps = math.ceil(maximum / step - 1e-9)
    return [round(i * step, 10) for i in range(steps + 1)]


def tick_text(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def month_summary(month: MonthMetrics) -> str:
    """One month as a sentence, for the tooltip and screen readers."""
    if not month.recorded:
        return f"{month_text(month.month)}: not recorded."
    parts = [f"{s.label.lower()} {int(getattr(month, s.field)):,}" for s in BARS]
    hours = hours_text(month.time_on_page_seconds)
    return f"{month_text(month.month)}: {', '.join(parts)}; time on page {hours}."


class EngagementChart(QWidget):
    """The months oldest first; a month nobody entered shows no bars and breaks the line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.months: list[MonthMetrics] = []
        self.today: date | None = None
        self.setObjectName("engagementChart")
        self.setAccessibleName("Engagement per month")
        self.setMinimumSize(360, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:
        return QSize(720, 260)

    def set_months(self, months: Sequence[MonthMetrics], today: date | None = None) -> None:
        self.months = list(months)
        self.today = today
        self.setAccessibleDescription(self.summary())
        self.update()

    def summary(self) -> str:
        if not self.has_data:
            return EMPTY_TEXT
        return " ".join(month_summary(m) for m in self.months)

    @property
    def has_data(self) -> bool:
        return any(m.recorded for m in self.months)

    # -- geometry ------------------------------------------------------------------------

    def _legend(self, fm: QFontMetrics) -> list[tuple[Series, QRectF]]:
        """Where each legend entry goes; entries wrap onto a second row when narrow."""
        entries: list[tuple[Series, QRectF]] = []
        x, y, h = _PAD, _PAD / 2, float(fm.height())
        for series in (*BARS, TIME):
            width = 22 + fm.horizontalAdvance(series.label)
            if x + width > self.width() - _PAD and entries:
                x, y = _PAD, y + h + 4
            entries.append((series, QRectF(x, y, width, h)))
            x += width + 18
        return entries

    def _plot(self, fm: QFontMetrics, legend_bottom: float, left: list[float]) -> QRectF:
        left_width = max(fm.horizontalAdvance(tick_text(t)) for t in left) + 10
        right_width = fm.horizontalAdvance("00.0 h") + 10
        top = legend_bottom + fm.height() / 2 + 6
        bottom = self.height() - fm.height() - _PAD
        return QRectF(
            _PAD + left_width, top, self.width() - 2 * _PAD - left_width - right_width, bottom - top
        )

    def _slot(self, plot: QRectF, i: int) -> QRectF:
        width = plot.width() / max(len(self.months), 1)
        return QRectF(plot.left() + i * width, plot.top(), width, plot.height())

    # -- painting ------------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        fm = painter.fontMetrics()
        if not self.has_data:
            painter.setPen(MUTED)
            painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter, EMPTY_TEXT)
            return
        legend = self._legend(fm)
        self._paint_legend(painter, legend)
        recorded = [m for m in self.months if m.recorded]
        left = nice_ticks(max(int(getattr(m, s.field)) for m in recorded for s in BARS))
        right = nice_ticks(max(m.time_on_page_seconds for m in recorded) / 3600)
        plot = self._plot(fm, max(r.bottom() for _, r in legend), left)
        if plot.width() < 40 or plot.height() < 40:
            return
        self._paint_axes(painter, plot, left, right)
        self._paint_bars(painter, plot, left[-1])
        self._paint_time(painter, plot, right[-1])
        self._paint_months(painter, plot)

    def _paint_legend(self, painter: QPainter, legend: list[tuple[Series, QRectF]]) -> None:
        for series, rect in legend:
            mid = rect.center().y()
            if series is TIME:
                painter.setPen(QPen(series.colour, 2.5))
                painter.drawLine(QPointF(rect.left(), mid), QPointF(rect.left() + 14, mid))
                painter.setBrush(series.colour)
                painter.drawEllipse(QPointF(rect.left() + 7, mid), 3, 3)
            else:
                painter.fillRect(QRectF(rect.left(), mid - 6, 12, 12), series.colour)
            painter.setPen(INK)
            text_rect = QRectF(rect.left() + 20, rect.top(), rect.width() - 20, rect.height())
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter, series.label)

    def _paint_axes(
        self, painter: QPainter, plot: QRectF, left: list[float], right: list[float]
    ) -> None:
        fm = painter.fontMetrics()
        h = float(fm.height())
        for tick in left:
            y = plot.bottom() - plot.height() * tick / left[-1]
            painter.setPen(QPen(GRID if tick else AXIS, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(MUTED)
            label = QRectF(0, y - h / 2, plot.left() - 6, h)
            painter.drawText(
                label, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, tick_text(tick)
            )
        painter.setPen(TIME.colour)
        for tick in right:
            y = plot.bottom() - plot.height() * tick / right[-1]
            label = QRectF(plot.right() + 6, y - h / 2, self.width() - plot.right() - 6, h)
            painter.drawText(
                label,
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                f"{tick_text(tick)} h",
            )
        painter.setPen(QPen(AXIS, 1))
        painter.drawLine(plot.bottomLeft(), plot.topLeft())
        painter.drawLine(plot.bottomRight(), plot.topRight())

    def _paint_bars(self, painter: QPainter, plot: QRectF, top: float) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        for i, month in enumerate(self.months):
            slot = self._slot(plot, i)
            if not month.recorded:
                continue
            group = slot.width() * 0.72
            width = group / len(BARS)
            x = slot.center().x() - group / 2
            for series in BARS:
                value = int(getattr(month, series.field))
                height = plot.height() * value / top
                painter.fillRect(
                    QRectF(x + 1, plot.bottom() - height, max(width - 2, 1), height), series.colour
                )
                x += width

    def _paint_time(self, painter: QPainter, plot: QRectF, top_hours: float) -> None:
        runs: list[list[QPointF]] = [[]]
        for i, month in enumerate(self.months):
            if not month.recorded:
                runs.append([])  # a month nobody entered is not a month of zero
                continue
            hours = month.time_on_page_seconds / 3600
            y = plot.bottom() - plot.height() * hours / top_hours
            runs[-1].append(QPointF(self._slot(plot, i).center().x(), y))
        painter.setPen(QPen(TIME.colour, 2.5))
        painter.setBrush(TIME.colour)
        for run in runs:
            for a, b in itertools.pairwise(run):
                painter.drawLine(a, b)
            for point in run:
                painter.drawEllipse(point, 3.5, 3.5)

    def _paint_months(self, painter: QPainter, plot: QRectF) -> None:
        fm = painter.fontMetrics()
        for i, month in enumerate(self.months):
            slot = self._slot(plot, i)
            text = month_text(month.month)
            if fm.horizontalAdvance(text) > slot.width() - 4:
                text = f"{month.month:%b}"
            painter.setPen(INK if month.recorded else MUTED)
            below = QRectF(slot.left(), plot.bottom() + 2, slot.width(), fm.height() + 4)
            painter.drawText(below, Qt.AlignmentFlag.AlignCenter, text)
            if not month.recorded:
                ended = self.today is None or month_end(month.month) < self.today
                note = "not recorded" if ended else "not yet"
                painter.setPen(MUTED)
                painter.drawText(
                    QRectF(slot.left(), plot.bottom() - fm.height() - 6, slot.width(), fm.height()),
                    Qt.AlignmentFlag.AlignCenter,
                    note,
                )

    # -- tooltips ------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            month = self.month_at(event.pos().x())
            if month is not None:
                QToolTip.showText(event.globalPos(), month_summary(month), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def month_at(self, x: float) -> MonthMetrics | None:
        if not self.has_data:
            return None
        fm = self.fontMetrics()
        recorded = [m for m in self.months if m.recorded]
        left = nice_ticks(max(int(getattr(m, s.field)) for m in recorded for s in BARS))
        plot = self._plot(fm, max(r.bottom() for _, r in self._legend(fm)), left)
        for i, month in enumerate(self.months):
            slot = self._slot(plot, i)
            if slot.left() <= x < slot.right():
                return month
        return None
