"""A table on screen as typed spreadsheet data: the rows of a view's model in the order they
are shown (a tree's leaves under their groups), each column typed by what all its values are
(numbers as numbers, dates as dates), or text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.reports.spreadsheet import Column, Kind, TableData

_INT = re.compile(r"^-?\d{1,3}(,\d{3})*$|^-?\d+$")
_FLOAT = re.compile(r"^-?\d[\d,]*\.\d+$")
_PERCENT = re.compile(r"^-?\d+(\.\d+)? ?%$")
_DATES = ("%d %b %Y", "%Y-%m-%d")
_TIMES = ("%Y-%m-%d %H:%M", "%d %b %Y %H:%M", "%a %d %b %H:%M")
_Index = QModelIndex | QPersistentModelIndex


def _leaf_rows(model: QAbstractItemModel, parent: _Index) -> list[_Index]:
    rows: list[_Index] = []
    for r in range(model.rowCount(parent)):
        index = model.index(r, 0, parent)
        # rowCount, not hasChildren (private on Qt's table models): a table row has none.
        if model.rowCount(index) > 0:
            rows.extend(_leaf_rows(model, index))
        else:
            rows.append(index)
    return rows


def _typed(text: str) -> tuple[Kind, Any]:
    raw = text.strip()
    if not raw or raw in ("—", "-"):
        return "text", None
    if _INT.match(raw):
        return "int", int(raw.replace(",", ""))
    if _FLOAT.match(raw):
        return "float", float(raw.replace(",", ""))
    if _PERCENT.match(raw):
        return "percent", float(raw.rstrip("%").strip()) / 100
    for pattern in _DATES:
        try:
            return "date", datetime.strptime(raw, pattern).date()
        except ValueError:
            pass
    for pattern in ("%Y-%m-%d %H:%M", "%d %b %Y %H:%M"):
        try:
            return "datetime", datetime.strptime(raw, pattern)
        except ValueError:
            pass
    return "text", raw


def model_table(
    name: str, model: QAbstractItemModel, hidden: Sequence[int] = (), timezone: str = ""
) -> TableData:
    """The model's rows as shown; ``hidden`` columns (hidden in the view) are left out."""
    columns = [c for c in range(model.columnCount()) if c not in hidden]
    titles = [
        str(model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) or "")
        for c in columns
    ]
    leaves = _leaf_rows(model, QModelIndex())
    # A matrix names its rows in the vertical header (the people of the permission matrix).
    row_names = [
        model.headerData(i.row(), Qt.Orientation.Vertical, Qt.ItemDataRole.DisplayRole)
        for i in leaves
    ]
    named_rows = any(isinstance(n, str) and n.strip() for n in row_names)
    if named_rows:
        titles.insert(0, "Name")
    text_rows = []
    for first, row_name in zip(leaves, row_names, strict=True):
        row = [str(row_name or "")] if named_rows else []
        for c in columns:
            value = model.index(first.row(), c, first.parent()).data(Qt.ItemDataRole.DisplayRole)
            row.append("" if value is None else str(value))
        text_rows.append(row)
    kinds: list[Kind] = []
    for i in range(len(titles)):
        seen = {_typed(r[i])[0] for r in text_rows if _typed(r[i])[1] is not None}
        kinds.append(seen.pop() if len(seen) == 1 else "text")
    rows = [
        [(_typed(cell)[1] if kinds[i] != "text" else cell or None) for i, cell in enumerate(row)]
        for row in text_rows
    ]
    cols = [Column(t or f"Column {n + 1}", k, max(10, min(60, len(t) + 4)))
            for n, (t, k) in enumerate(zip(titles, kinds, strict=True))]  # fmt: skip
    # Dates and times read from the screen are already local: written as they are shown.
    table = TableData(name, cols, rows, len(rows))
    if timezone:
        table.timezone = timezone
    return table
