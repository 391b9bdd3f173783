"""Write a TableData to ``.xlsx`` or ``.csv``, row by row, into a temporary file that takes the
final name only when complete (a cancelled or failed export leaves nothing behind)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from desktop.errors import Cancelled, DomainError
from desktop.reports.spreadsheet.table import Column, TableData

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]
# A cell a spreadsheet would read as a formula (or a command, in old Excel: DDE).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PROGRESS_EVERY = 1000


def escape_formula(text: str) -> str:
    """Text that starts like a formula, made inert with a leading apostrophe (OWASP)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_table(
    table: TableData,
    path: Path,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> int:
    """Write ``table`` as ``path``'s suffix says (.xlsx or .csv); returns the row count."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise DomainError(f"Save the table as .xlsx or .csv, not {suffix or 'no extension'}.")
    tmp = path.with_name(path.name + ".part")
    try:
        if suffix == ".csv":
            count = _csv(table, tmp, progress, cancelled)
        else:
            count = _xlsx(table, tmp, progress, cancelled)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return count


def _tick(
    n: int, table: TableData, progress: Progress | None, cancelled: IsCancelled | None
) -> None:
    if n % PROGRESS_EVERY:
        return
    if cancelled and cancelled():
        raise Cancelled
    if progress:
        progress(n, table.total or 0)


def _local(value: datetime, zone: ZoneInfo) -> datetime:
    return value.astimezone(zone).replace(tzinfo=None) if value.tzinfo else value


def _headers(table: TableData) -> list[str]:
    return [
        f"{c.title} ({table.timezone})" if c.kind == "datetime" else c.title for c in table.columns
    ]


def _csv(
    table: TableData, path: Path, progress: Progress | None, cancelled: IsCancelled | None
) -> int:
    zone = ZoneInfo(table.timezone)
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(_headers(table))
        for row in table.rows:
            writer.writerow(
                [_csv_cell(c, value, zone) for c, value in zip(table.columns, row, strict=True)]
            )
            count += 1
            _tick(count, table, progress, cancelled)
    if progress:
        progress(count, table.total or count)
    return count


def _csv_cell(column: Column, value: Any, zone: ZoneInfo) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return _local(value, zone).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    return escape_formula(str(value))


def _xlsx(
    table: TableData, path: Path, progress: Progress | None, cancelled: IsCancelled | None
) -> int:
    import xlsxwriter

    zone = ZoneInfo(table.timezone)
    # constant_memory: rows go to disk as written, whatever the size of the comment log.
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                           "strings_to_urls": False})  # fmt: skip
    try:
        sheet = book.add_worksheet(_sheet_name(table.name))
        bold = book.add_format({"bold": True, "bg_color": "#EEF2F6", "bottom": 1})
        formats = {
            "date": book.add_format({"num_format": "yyyy-mm-dd"}),
            "datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
            "int": book.add_format({"num_format": "#,##0"}),
            "float": book.add_format({"num_format": "#,##0.00"}),
            "percent": book.add_format({"num_format": "0.0%"}),
        }
        # Text that looks like a formula is stored as text with Excel's own quote prefix.
        inert = book.add_format({"quote_prefix": True})
        for i, (column, title) in enumerate(zip(table.columns, _headers(table), strict=True)):
            sheet.write_string(0, i, title, bold)
            sheet.set_column(i, i, column.width, formats.get(column.kind))
        sheet.freeze_panes(1, 0)
        count = 0
        for row in table.rows:
            count += 1
            for i, (column, value) in enumerate(zip(table.columns, row, strict=True)):
                _xlsx_cell(sheet, count, i, column, value, zone, formats, inert)
            _tick(count, table, progress, cancelled)
        sheet.autofilter(0, 0, max(count, 1), len(table.columns) - 1)
    finally:
        book.close()
    if progress:
        progress(count, table.total or count)
    return count


def _xlsx_cell(sheet: Any, r: int, c: int, column: Column, value: Any, zone: ZoneInfo,
               formats: dict[str, Any], inert: Any) -> None:  # fmt: skip
    if value is None:
        return
    if isinstance(value, datetime):
        sheet.write_datetime(r, c, _local(value, zone), formats["datetime"])
    elif isinstance(value, date):
        sheet.write_datetime(r, c, datetime(value.year, value.month, value.day), formats["date"])
    elif isinstance(value, bool):
        sheet.write_boolean(r, c, value)
    elif isinstance(value, int | float):
        sheet.write_number(r, c, value, formats.get(column.kind))
    else:
        text = str(value)
        if text.startswith(_FORMULA_START):
            sheet.write_string(r, c, text, inert)
        else:
            sheet.write_string(r, c, text)


def _sheet_name(name: str) -> str:
    cleaned = "".join(ch for ch in name if ch not in "[]:*?/\\")
    return (cleaned or "Table")[:31]
