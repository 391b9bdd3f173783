"""Building blocks the report renderers share: text, tables that repeat their header row and
never split a word, key-figure tiles, the overdue-comments table.

Charts are in ``charts``, the findings tables in ``findings``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import TypeAlias

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table

from desktop.reports.data.comment_stats import OverdueItem
from desktop.reports.masking import mask_personal_info
from desktop.reports.render.theme import (
    FONT,
    FONT_BOLD,
    LIGHT,
    NAVY,
    RULE,
    covered_runs,
    esc,
    needs_fallback,
)

Cell: TypeAlias = str | Flowable


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: whatever a person typed is escaped, never read as markup;
    characters the main font lacks (Chinese) are set in the fallback font."""
    return Paragraph(esc(text).replace("\n", "<br/>"), style)


def rich(markup: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of markup written by this code (pass any data through ``esc`` first)."""
    return Paragraph(markup, style)


def note(text: str, styles: StyleSheet1) -> Paragraph:
    return para(text, styles["Note"])


_SIZE, _LEADING, _PAD = 8, 9.8, 3.5  # table text: as the "Cell" paragraph style
_TIGHT_PAD = 2.0
_HEAD_SIZE = 7  # as the "CellHead" paragraph style


def longest_word(text: str, font: str, size: float) -> float:
    """The width of the widest word of ``text``: a column narrower than that splits it.

    Text in the fallback font (Chinese) may break between any two characters, so only the
    runs of the main font count. A web address may break after any "/" (a reader follows it
    whole anyway): measured by its parts, it does not take the width of the other columns,
    whose words would then be split.
    """
    widest = 0.0
    for word in text.split():
        parts = _URL_PARTS.split(word) if _URL.match(word) else [word]
        for part in parts:
            for run in covered_runs(part):
                widest = max(widest, stringWidth(run, font, size))
    return widest


_URL = re.compile(r"^(https?://|www\.)", re.IGNORECASE)
_URL_PARTS = re.compile(r"(?<=[/?&=-])")


def _needs(cell: Cell, *, whole: bool) -> float:
    """What a cell needs of its column's width (text only; padding excluded)."""
    if isinstance(cell, str):
        return stringWidth(cell, FONT, _SIZE) if whole else longest_word(cell, FONT, _SIZE)
    if isinstance(cell, Paragraph):
        # Markup may set a word in bold: measure as bold, to be safe.
        return longest_word(cell.getPlainText(), FONT_BOLD, cell.style.fontSize)
    return 0.0


def fit_widths(widths: Sequence[float], needed: Sequence[float]) -> list[float]:
    """``widths`` changed as little as possible so that each column gets what it needs, the
    room taken from the columns that have more than they need; the total stays the same."""
    total = sum(widths)
    wanted = [max(w, n) for w, n in zip(widths, needed, strict=True)]
    extra = sum(wanted) - total
    if extra <= 0.01:
        return list(widths)
    slack = [w - n for w, n in zip(wanted, needed, strict=True)]
    room = sum(slack)
    if room <= 0:
        return [w * total / sum(wanted) for w in wanted]
    take = min(extra, room)
    out = [w - s * take / room for w, s in zip(wanted, slack, strict=True)]
    scale = total / sum(out)
    return [w * scale for w in out]


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

    ``widths`` are the columns' widths in points, widened where a word would not fit (and
    taken from columns with room to spare), so no word is ever split inside. Columns in
    ``right`` hold figures: plain, right-aligned and never wrapped. Other text wraps in its
    column; ``total`` sets the last row in bold.
    """
    text = [
        max(
            [longest_word(h, FONT_BOLD, _HEAD_SIZE)]
            + [_needs(r[i], whole=i in right) for r in rows if i < len(r)]
        )
        + 0.5
        for i, h in enumerate(head)
    ]
    # Narrower padding rather than a split word, when the page is that tight.
    pad = _PAD if sum(text) + 2 * _PAD * len(text) <= sum(widths) else _TIGHT_PAD
    widths = fit_widths(widths, [t + 2 * pad for t in text])
    head_row = [
        para(h, styles["CellHeadRight" if i in right else "CellHead"]) for i, h in enumerate(head)
    ]
    room = [w - 2 * pad for w in widths]

    def cell(i: int, c: Cell) -> Cell:
        # A paragraph only where the text must wrap: a table of 500 accounts has thousands of
        # short cells, and laying out a paragraph costs far more than drawing a string.
        if not isinstance(c, str):
            return c
        if needs_fallback(c):
            return para(c, styles["CellRight" if i in right else "Cell"])
        if i in right or ("\n" not in c and stringWidth(c, FONT, _SIZE) <= room[i]):
            return c
        return para(c, styles["Cell"])

    body = [[cell(i, c) for i, c in enumerate(r)] for r in rows]
    t = Table([head_row, *body], colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    style: list[tuple[object, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), NAVY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 0), (-1, -1), FONT, _SIZE, _LEADING),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
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
        ("FONT", (0, 0), (-1, -1), FONT, _SIZE),  # the gaps: no unembedded Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
    ]
    for i in range(0, len(widths), 2):
        style += [("BACKGROUND", (i, 0), (i, 0), LIGHT), ("LINEABOVE", (i, 0), (i, 0), 2, NAVY)]
    t.setStyle(style)
    return t


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
    """Comments still waiting past a due time, with excerpts masked unless asked otherwise.

    The author is named only when personal information is included: a column of
    "withheld" would say nothing.
    """
    from desktop.reports.render.formatting import when

    def text(value: str) -> str:
        return value if personal_info else mask_personal_info(value, official_handles)

    rows = []
    for item in items:
        excerpt = text(item.excerpt) + ("\u2026" if len(item.excerpt) >= 240 else "")
        row: list[Cell] = [when(item.received_at, timezone)]
        if with_account:
            row.append(item.account_label)
        if personal_info:
            row.append(item.author or "\u2014")
        what = f"{item.what.capitalize()} by {when(item.due_at, timezone)}"
        row += [excerpt, what + (" (emergency)" if item.emergency else "")]
        rows.append(row)
    columns = [
        ("Received", 0.12, True),
        ("Account", 0.18, with_account),
        ("From", 0.13, personal_info),
        ("Comment (excerpt)", 0.38, True),
        ("Waiting to", 0.19, True),
    ]
    shown = [(name, weight) for name, weight, keep in columns if keep]
    scale = width / sum(weight for _, weight in shown)
    return table([n for n, _ in shown], rows, [w * scale for _, w in shown], styles)


def keep(*flowables: Flowable) -> KeepTogether:
    return KeepTogether(list(flowables))
