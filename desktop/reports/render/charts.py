"""Charts of the reports, from ``reportlab.graphics``: bars and lines over categories (usually
months), horizontal bars for long labels.

A value of None is not drawn (a month not recorded is not a month of zero). The last category
can be marked as still running ("to date"): its bar is drawn outlined and pale, so a month
that has only begun does not read as a collapse.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from desktop.reports.render.theme import FONT, FONT_BOLD, NAVY, RULE, SERIES_COLOURS

MAX_GROUP = 72.0  # points per category: a lone bar should not fill the page
PARTIAL_NOTE = "to date"


def _nice_max(value: float) -> float:
    """A round axis maximum at or above ``value`` whose fifths are round too (1, 1.5, 2, 2.5,
    3, 4, 5, 6, 8 times a power of ten), at least 5 so small counts get whole-number steps."""
    if value <= 5:
        return 5.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)


def percent_floor(values: Sequence[float | None], *, margin: float = 2.0) -> float:
    """Where a per-cent axis should start so that differences near 100 % show: a multiple of
    5 at least ``margin`` below the lowest value (0 when values go low anyway)."""
    known = [v for v in values if v is not None]
    if not known:
        return 0.0
    floor = 5 * math.floor((min(known) - margin) / 5)
    return float(floor) if floor >= 50 else 0.0


def _value_axis(
    axis: Any, values: Sequence[Sequence[float | None]], percent: bool, floor: float = 0.0
) -> None:
    known = [v for series in values for v in series if v is not None]
    top = 100.0 if percent else _nice_max(max(known, default=0))
    step = (top - floor) / 5
    if percent and floor:  # a raised per-cent axis steps by 5 or 10 points
        step = 5.0 if top - floor <= 40 else 10.0
    axis.valueMin, axis.valueMax, axis.valueStep = floor, top, step
    if percent:
        axis.labelTextFormat = "%d %%" if step.is_integer() else "%.1f %%"
    else:
        axis.labelTextFormat = _thousands if step.is_integer() else "%.1f"
    axis.labels.fontName, axis.labels.fontSize = FONT, 7
    axis.visibleGrid, axis.gridStrokeColor, axis.gridStrokeWidth = True, RULE, 0.25


def _thousands(value: float) -> str:
    return f"{value:,.0f}"


def _category_axis(axis: Any, names: Sequence[str], slot: float) -> float:
    """Label the categories, slanted when they would not fit side by side; returns the
    height the labels take below the axis."""
    axis.categoryNames = list(names)
    axis.labels.fontName, axis.labels.fontSize = FONT, 7
    lines = max((n.count("\n") + 1 for n in names), default=1)
    widest = max((stringWidth(line, FONT, 7) for n in names for line in n.split("\n")), default=0)
    if widest <= slot - 4:
        axis.labels.dy = -2
        return 6 + 8.5 * lines
    axis.labels.angle, axis.labels.boxAnchor, axis.labels.dy = 30, "ne", -2
    return 10 + widest * 0.5


def _legend(drawing: Drawing, names: Sequence[str], x: float, y: float) -> None:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName, legend.fontSize = FONT, 7
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.dx = legend.dy = 7
    legend.deltax = 0
    legend.boxAnchor = "nw"
    legend.dxTextSpace = 4
    legend.autoXPadding = 10
    legend.colorNamePairs = list(zip(SERIES_COLOURS, names, strict=False))
    drawing.add(legend)


def _drawing(width: float, height: float) -> Drawing:
    d = Drawing(width, height)
    d.initialFontName = FONT  # every font embedded: no unembedded Helvetica
    return d


def _title(drawing: Drawing, title: str, height: float) -> None:
    drawing.add(String(0, height - 10, title, fontName=FONT_BOLD, fontSize=8.5, fillColor=NAVY))


def bar_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    width: float,
    height: float = 170,
    *,
    percent: bool = False,
    floor: float = 0.0,
    partial_last: bool = False,
) -> Drawing:
    """Vertical bars per category, one colour per series, legend across the top.

    ``floor`` starts a per-cent axis above zero (the title should say so); ``partial_last``
    marks the last category as still running: "to date" under it, its bars outlined.
    """
    names = list(categories)
    if partial_last and names:
        names[-1] = f"{names[-1]}\n({PARTIAL_NOTE})"
    d = _drawing(width, height)
    _title(d, title, height)
    chart = VerticalBarChart()
    chart.width = min(width - 48, MAX_GROUP * max(len(names), 1))
    below = _category_axis(chart.categoryAxis, names, chart.width / max(len(names), 1))
    top = 34 if len(series) > 1 else 18
    chart.x, chart.y = 38 + (width - 48 - chart.width) / 2, below + 4
    chart.height = height - chart.y - top
    data = [list(values) for _, values in series] or [[0] * len(names)]
    # Bars below a raised floor would be drawn downwards from it: clip them at the floor.
    chart.data = [[None if v is None else max(v, floor) for v in s] for s in data]
    _value_axis(chart.valueAxis, data, percent, floor)
    chart.barSpacing = 1
    chart.groupSpacing = 6
    for i in range(len(chart.data)):
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        chart.bars[i].fillColor = colour
        chart.bars[i].strokeColor = None
        if partial_last and names:
            last = chart.bars[(i, len(names) - 1)]
            last.fillColor = colors.Color(colour.red, colour.green, colour.blue, alpha=0.25)
            last.strokeColor = colour
            last.strokeWidth = 0.8
            last.strokeDashArray = (2, 1.5)
    d.add(chart)
    if len(series) > 1:
        _legend(d, [name for name, _ in series], 0, height - 18)
    return d


def hbar_chart(
    title: str, items: Sequence[tuple[str, float]], width: float, label_width: float = 190
) -> Drawing:
    """One horizontal bar per labelled item (long labels such as removal categories)."""
    height = 40 + 16 * max(len(items), 1)
    d = _drawing(width, height)
    _title(d, title, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, 18
    chart.width, chart.height = width - label_width - 16, height - 40
    chart.data = [[v for _, v in reversed(items)] or [0]]
    chart.categoryAxis.categoryNames = [label for label, _ in reversed(items)] or [""]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    _value_axis(chart.valueAxis, chart.data, percent=False)
    chart.bars[0].fillColor = NAVY
    chart.bars[0].strokeColor = None
    chart.barSpacing = 2
    d.add(chart)
    return d


def line_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    width: float,
    height: float = 160,
    *,
    partial_last: bool = False,
) -> Drawing:
    """Lines with markers over categories (months), legend across the top; a None value
    leaves a gap (a month not recorded is not a month of zero)."""
    names = list(categories)
    if partial_last and names:
        names[-1] = f"{names[-1]}\n({PARTIAL_NOTE})"
    d = _drawing(width, height)
    _title(d, title, height)
    chart = HorizontalLineChart()
    chart.width = width - 48
    below = _category_axis(chart.categoryAxis, names, chart.width / max(len(names), 1))
    top = 34 if len(series) > 1 else 18
    chart.x, chart.y = 38, below + 4
    chart.height = height - chart.y - top
    chart.data = [list(values) for _, values in series]
    _value_axis(chart.valueAxis, chart.data, percent=False)
    chart.joinedLines = 1
    for i in range(len(series)):
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        chart.lines[i].strokeColor = colour
        chart.lines[i].strokeWidth = 1.5
        chart.lines[i].symbol = makeMarker("FilledCircle", size=3.5, fillColor=colour)
    d.add(chart)
    if len(series) > 1:
        _legend(d, [name for name, _ in series], 0, height - 18)
    return d
