"""Tables written as spreadsheets: ``.xlsx`` (XlsxWriter, streamed) and ``.csv`` (UTF-8 with a
byte order mark, which Excel needs to read accents), typed columns, formula injection
escaped."""

from desktop.reports.spreadsheet.table import Column, Kind, TableData
from desktop.reports.spreadsheet.writer import escape_formula, write_table

__all__ = ["Column", "Kind", "TableData", "escape_formula", "write_table"]
