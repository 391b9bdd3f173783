"""A file as tables of cells with their row numbers: CSV (with a BOM and encoding check and
the ``sep=`` line Excel understands), XLSX and XLS workbooks (python-calamine), and the ZIP
archives YouTube Studio downloads.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.errors import DomainError

MAX_FILE_BYTES = 200 * 1024 * 1024
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old .xls container


@dataclass
class Sheet:
    """Rows of one CSV file or worksheet: (the row's first physical line, its cells)."""

    file: str
    name: str  # the worksheet's name; "" for a CSV file
    rows: list[tuple[int, list[Any]]]


@dataclass
class Source:
    name: str
    sha256: str
    sheets: list[Sheet] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_source(path: Path) -> Source:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DomainError(f"The file {path} does not exist.") from None
    except OSError as exc:
        raise DomainError(f"The file {path} cannot be read: {exc.strerror}.") from None
    return source_from_bytes(path.name, data)


def source_from_bytes(name: str, data: bytes) -> Source:
    if len(data) > MAX_FILE_BYTES:
        raise DomainError(f"{name} is larger than {MAX_FILE_BYTES // 2**20} MB; split the export.")
    if not data.strip():
        raise DomainError(f"{name} is empty.")
    source = Source(name, hashlib.sha256(data).hexdigest())
    if data[:4] == b"PK\x03\x04":
        _zip_or_workbook(source, name, data)
    elif data[:8] == _OLE:
        source.sheets.extend(_workbook(name, data))
    else:
        source.sheets.append(_csv_sheet(source, name, data))
    return source


def _zip_or_workbook(source: Source, name: str, data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.namelist()
    except zipfile.BadZipFile:
        raise DomainError(f"{name} is a damaged ZIP or Excel file (it ends too early).") from None
    if "xl/workbook.xml" in members:
        source.sheets.extend(_workbook(name, data))
        return
    for member in members:
        if member.endswith("/") or not member.lower().endswith(".csv"):
            continue
        label = f"{name}/{member}"
        source.sheets.append(_csv_sheet(source, label, archive.read(member)))
    if not source.sheets:
        raise DomainError(f"{name} is a ZIP archive with no CSV file in it.")


def _workbook(name: str, data: bytes) -> list[Sheet]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for sheet_name in book.sheet_names:
            # skip_empty_area=False keeps true row numbers when the first rows are blank.
            values = book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
            rows = [(n, list(row)) for n, row in enumerate(values, 1)]
            sheets.append(Sheet(name, sheet_name, rows))
    except Exception as exc:  # noqa: BLE001 - calamine raises its own types for broken files
        raise DomainError(f"{name} cannot be read as a spreadsheet ({exc}).") from None
    return sheets


def decode(source: Source, name: str, data: bytes) -> str:
    """Text by the byte order mark; without one strict UTF-8, else Windows-1252 (Excel's
    re-save) with a warning. Anything else is refused."""
    if data[:2] == b"\xff\xfe":
        return _decode(name, data[2:], "utf-16-le")
    if data[:2] == b"\xfe\xff":
        return _decode(name, data[2:], "utf-16-be")
    if data[:3] == b"\xef\xbb\xbf":
        return _decode(name, data[3:], "utf-8")
    if b"\x00" in data[:4096]:
        raise DomainError(
            f"{name} is not text the app can read (it looks like UTF-16 without a byte order "
            "mark, or a binary file). Export it again from the platform, unchanged."
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise DomainError(
            f"{name} is neither UTF-8 nor Windows-1252 text; export it again from the platform."
        ) from None
    source.warnings.append(
        f"{name} is not UTF-8; it was read as Windows-1252 (saved again by Excel?). "
        "Check names with accents in the preview."
    )
    return text


def _decode(name: str, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DomainError(
            f"{name} says it is {encoding.upper()} but byte {exc.start} is not; "
            "the file was damaged or changed after the export."
        ) from None


def _csv_sheet(source: Source, name: str, data: bytes) -> Sheet:
    text = decode(source, name, data)
    first_line = 1
    delimiter = ","
    head, _, rest = text.partition("\n")
    if head.strip().strip('"').lower().startswith("sep="):
        delimiter = head.strip().strip('"')[4:5] or ","
        text, first_line = rest, 2
    elif head.count(";") > head.count(","):
        delimiter = ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[Any]]] = []
    line = first_line - 1
    try:
        for cells in reader:
            start = line + 1
            line = reader.line_num + first_line - 1
            rows.append((start, cells))
    except csv.Error as exc:
        raise DomainError(f"{name}:line {line + 1}: the CSV is broken there ({exc}).") from None
    return Sheet(name, "", rows)
