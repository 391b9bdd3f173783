"""Building blocks the report renderers share: text, tables that repeat their header row,
key-figure tiles, bar and line charts from ``reportlab.graphics``, the findings table."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, TypeAlias
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table

from desktop.enums import Severity
from desktop.policy.findings import Finding
from desktop.reports.data.comment_stats import OverdueItem
from desktop.reports.masking import AUTHOR_MASK, mask_personal_info
from desktop.reports.render.theme import (
    FONT,
    FONT_BOLD,
    GREY,
    LIGHT,
    NAVY,
    ORANGE,
    RED,
    RULE,
    SERIES_COLOURS,
)

Cell: TypeAlias = str | Flowable
SEVERITY_COLOURS = {Severity.CRITICAL: RED, Severity.WARNING: ORANGE, Severity.INFO: GREY}


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: whatever a person typed is escaped, never read as markup."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def rich(markup: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of markup written by this code (escape any data put into it)."""
    return Paragraph(markup, style)


def note(text: str, styles: StyleSheet1) -> Paragraph:
    return para(text, styles["Note"])


_SIZE, _LEADING, _PAD = 8, 9.8, 3.5  # table text: as the "Cell" paragraph style


def table(
    head: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float],
    styles: StyleSheet1,
    *,
    right: Collection[int] = (),
    total: bool = False,
) -> Table:
    """A table whose header row repeats on every page it spans.

    ``widths`` are the columns' widths in points. Columns in ``right`` hold figures: plain,
    right-aligned and never wrapped. Other text wraps in its column; ``total`` sets the last
    row in bold.
    """
    head_row = [
        para(h, styles["CellHeadRight" if i in right else "CellHead"]) for i, h in enumerate(head)
    ]
    room = [w - 2 * _PAD for w in widths]

    def cell(i: int, c: Cell) -> Cell:
        # A paragraph only where the text must wrap: a table of 500 accounts has thousands of
        # short cells, and laying out a paragraph costs far more than drawing a string.
        if not isinstance(c, str) or i in right:
            return c
        if "\n" not in c and stringWidth(c, FONT, _SIZE) <= room[i]:
            return c
        return para(c, styles["Cell"])

    body = [[cell(i, c) for i, c in enumerate(r)] for r in rows]
    t = Table([head_row, *body], colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    style: list[tuple[object, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), NAVY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 1), (-1, -1), FONT, _SIZE, _LEADING),
        ("LEFTPADDING", (0, 0), (-1, -1), _PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), _PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, LIGHT]),
    ]
    for i in right:
        style.append(("ALIGN", (i, 1), (i, -1), "RIGHT"))
    if total and rows:
        style += [
            ("FONT", (0, -1), (-1, -1), FONT_BOLD, 8),
            ("LINEABOVE", (0, -1), (-1, -1), 0.8, NAVY),
        ]
    t.setStyle(style)
    return t


def key_figures(items: Sequence[tuple[str, str]], width: float, styles: StyleSheet1) -> Table:
    """A row of tiles: a big figure with a short label under it."""
    cells = [
        [
            [para(value, styles["Figure"]), para(label, styles["FigureLabel"])]
            for label, value in items
        ]
    ]
    gap = 6.0
    tile = (width - gap * (len(items) - 1)) / len(items)
    widths: list[float] = []
    for i in range(len(items)):
        widths += [tile] if i == 0 else [gap, tile]
    spaced: list[list[object]] = [[]]
    for i, cell in enumerate(cells[0]):
        spaced[0] += [cell] if i == 0 else ["", cell]
    t = Table(spaced, colWidths=widths, hAlign="LEFT")
    style: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
    ]
    for i in range(0, len(widths), 2):
        style += [("BACKGROUND", (i, 0), (i, 0), LIGHT), ("LINEABOVE", (i, 0), (i, 0), 2, NAVY)]
    t.setStyle(style)
    return t


def _nice_max(value: float) -> float:
    """A round axis maximum at or above ``value`` (1, 2, 2.5, 5 times a power of ten), at
    least 5 so that small counts get whole-number steps."""
    if value <= 5:
        return 5.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)


def _value_axis(axis: Any, values: Sequence[Sequence[float]], percent: bool) -> None:
    top = 100.0 if percent else _nice_max(max((max(v, default=0) for v in values), default=0))
    axis.valueMin, axis.valueMax, axis.valueStep = 0, top, top / 5
    axis.labelTextFormat = "%d" if float(top / 5).is_integer() else "%.1f"
    axis.labels.fontName, axis.labels.fontSize = FONT, 7
    axis.visibleGrid, axis.gridStrokeColor, axis.gridStrokeWidth = True, RULE, 0.25


def _category_axis(axis: Any, names: Sequence[str], slot: float) -> float:
    """Label the categories, slanted when they would not fit side by side; returns the
    height the labels take below the axis."""
    axis.categoryNames = list(names)
    axis.labels.fontName, axis.labels.fontSize = FONT, 7
    widest = max((stringWidth(n, FONT, 7) for n in names), default=0)
    if widest <= slot - 4:
        axis.labels.dy = -2
        return 14
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


def _title(drawing: Drawing, title: str, height: float) -> None:
    drawing.add(String(0, height - 10, title, fontName=FONT_BOLD, fontSize=8.5, fillColor=NAVY))


MAX_GROUP = 72.0  # points per category: a lone bar should not fill the page


def bar_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    width: float,
    height: float = 170,
    *,
    percent: bool = False,
) -> Drawing:
    """Vertical bars per category, one colour per series, legend across the top."""
    d = Drawing(width, height)
    _title(d, title, height)
    chart = VerticalBarChart()
    chart.width = min(width - 48, MAX_GROUP * max(len(categories), 1))
    below = _category_axis(chart.categoryAxis, categories, chart.width / max(len(categories), 1))
    top = 34 if len(series) > 1 else 18
    chart.x, chart.y = 38 + (width - 48 - chart.width) / 2, below + 4
    chart.height = height - chart.y - top
    chart.data = [list(values) for _, values in series] or [[0] * len(categories)]
    _value_axis(chart.valueAxis, chart.data, percent)
    chart.barSpacing = 1
    chart.groupSpacing = 6
    for i in range(len(chart.data)):
        chart.bars[i].fillColor = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        chart.bars[i].strokeColor = None
    d.add(chart)
    if len(series) > 1:
        _legend(d, [name for name, _ in series], 0, height - 18)
    return d


def hbar_chart(
    title: str, items: Sequence[tuple[str, float]], width: float, label_width: float = 190
) -> Drawing:
    """One horizontal bar per labelled item (long labels such as removal categories)."""
    height = 40 + 16 * max(len(items), 1)
    d = Drawing(width, height)
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
) -> Drawing:
    """Lines with markers over categories (months), legend across the top; a None value
    leaves a gap (a month not recorded is not a month of zero)."""
    d = Drawing(width, height)
    _title(d, title, height)
    chart = HorizontalLineChart()
    chart.width = width - 48
    below = _category_axis(chart.categoryAxis, categories, chart.width / max(len(categories), 1))
    top = 34 if len(series) > 1 else 18
    chart.x, chart.y = 38, below + 4
    chart.height = height - chart.y - top
    chart.data = [list(values) for _, values in series]
    known = [[v for v in values if v is not None] for _, values in series]
    _value_axis(chart.valueAxis, known, percent=False)
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


def findings_table(
    findings: Sequence[Finding], width: float, styles: StyleSheet1, timezone: str
) -> Table:
    """Severity, the record concerned, and the check's code, what is wrong and what to do."""
    from desktop.reports.render.formatting import when

    rows = []
    for f in findings:
        colour = SEVERITY_COLOURS.get(f.severity, GREY).hexval()[2:]
        since = f" Since {when(f.since, timezone)}." if f.since else ""
        rows.append(
            [
                rich(
                    f'<font color="#{colour}"><b>{escape(f.severity.value)}</b></font>',
                    styles["Cell"],
                ),
                para(f.subject_label, styles["Cell"]),
                rich(
                    f"<b>{escape(f.code)}</b><br/>{escape(f.message)}{escape(since)}<br/>"
                    f'<font color="#6B7280">{escape(f.remedy)}</font>',
                    styles["Cell"],
                ),
            ]
        )
    return table(
        ["Severity", "Record", "Finding and what to do"],
        rows,
        [0.1 * width, 0.24 * width, 0.66 * width],
        styles,
    )


def overdue_table(
    items: Sequence[OverdueItem],
    width: float,
    styles: StyleSheet1,
    timezone: str,
    *,
    personal_info: bool,
    official_handles: Collection[str],
    with_account: bool = True,
) -> Table:
    """Comments still waiting past a due time, with excerpts masked unless asked otherwise."""
    from desktop.reports.render.formatting import when

    def text(value: str) -> str:
        return value if personal_info else mask_personal_info(value, official_handles)

    rows = []
    for item in items:
        author = item.author if personal_info else AUTHOR_MASK
        excerpt = text(item.excerpt) + ("\u2026" if len(item.excerpt) >= 240 else "")
        row: list[Cell] = [when(item.received_at, timezone)]
        if with_account:
            row.append(item.account_label)
        what = f"{item.what.capitalize()} by {when(item.due_at, timezone)}"
        row += [author or "\u2014", excerpt, what + (" (emergency)" if item.emergency else "")]
        rows.append(row)
    head = ["Received", "Account", "From", "Comment (excerpt)", "Waiting to"]
    weights = [0.12, 0.18, 0.13, 0.38, 0.19]
    if not with_account:
        head.pop(1)
        weights = [0.14, 0.16, 0.5, 0.2]
    return table(head, rows, [w * width for w in weights], styles)


def keep(*flowables: Flowable) -> KeepTogether:
    return KeepTogether(list(flowables))
