"""The half-year picker: the half-year in progress and the five before it."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QWidget

from desktop.policy.periods import HalfYear

PERIODS_SHOWN = 6


def period_text(half: HalfYear, today: date | None) -> str:
    """'2026H1 · Jan–Jun 2026', with '(in progress)' for the half-year of today."""
    months = "Jan–Jun" if half.half == 1 else "Jul–Dec"
    text = f"{half.label} · {months} {half.year}"
    if today is not None and half == HalfYear.containing(today):
        text += " (in progress)"
    return text


class PeriodPicker(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evaluationPeriod")
        self.setAccessibleName("Half-year")
        self.setToolTip("The half-year evaluated: January to June or July to December.")
        self.setMinimumContentsLength(24)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)

    def selected(self) -> HalfYear | None:
        label = self.currentData()
        return HalfYear.parse(label) if isinstance(label, str) else None

    def fill(self, today: date, chosen: HalfYear | None = None) -> None:
        """Offer the recent half-years (and ``chosen``, if older) and choose ``chosen``, else
        keep the current choice, else the latest half-year that has ended: the one an
        evaluation looks back on. No change is signalled."""
        current = chosen or self.selected()
        halves = [HalfYear.containing(today)]
        while len(halves) < PERIODS_SHOWN:
            halves.append(halves[-1].previous())
        if current is not None and current not in halves and current <= halves[0]:
            halves.append(current)
        halves.sort(reverse=True)
        self.blockSignals(True)
        self.clear()
        for half in halves:
            self.addItem(period_text(half, today), half.label)
        wanted = current or halves[0].previous()
        self.setCurrentIndex(max(self.findData(wanted.label), 0))
        self.blockSignals(False)
