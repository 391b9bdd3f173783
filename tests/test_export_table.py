"""Tables as spreadsheets: typed cells, a header row, frozen panes, formula injection escaped;
the comment log with its filter and order, from the command line too."""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from desktop import cli
from desktop.enums import CommentStatus, Platform
from desktop.errors import Cancelled
from desktop.reports.spreadsheet import Column, TableData, write_table
from desktop.services.comment_log import CommentLogQuery
from desktop.services.comments import CommentService
from desktop.services.export_table import comments_table
from desktop.storage.database import Database
from tests.factories import Cast, make_cast

COLUMNS = [Column("Name"), Column("Count", "int"), Column("Day", "date"),
           Column("When", "datetime")]  # fmt: skip
WHEN = datetime(2026, 11, 18, 15, tzinfo=UTC)
ROWS = [
    ["=HYPERLINK(\"http://evil\")", 1234, date(2026, 11, 18), WHEN],
    ["+1 306 555 0100", None, None, None],
    ["@someone", 0, date(2026, 1, 2), None],
    ["plain", 7, None, None],
]  # fmt: skip


def test_xlsx_has_types_header_frozen_panes_and_inert_formulas(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    assert write_table(TableData("Test", COLUMNS, ROWS), path) == 4
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Test").to_python()
    assert rows[0] == ["Name", "Count", "Day", "When (America/Regina)"]
    assert rows[1][1] == 1234
    assert rows[1][2] == date(2026, 11, 18)
    assert rows[1][3] == datetime(2026, 11, 18, 9, 0)  # local time in the zone named
    sheet = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert 'state="frozen"' in sheet
    assert "<f>" not in sheet  # no formula anywhere
    styles = zipfile.ZipFile(path).read("xl/styles.xml").decode()
    assert 'quotePrefix="1"' in styles


def test_csv_has_a_bom_and_escapes_formula_starts(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    write_table(TableData("Test", COLUMNS, ROWS), path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(\"http://evil\")", "'+1 306 555 0100",
                                        "'@someone", "plain"]  # fmt: skip
    assert rows[1][1:] == ["1234", "2026-11-18", "2026-11-18 09:00"]


def test_a_cancelled_export_leaves_no_file(tmp_path: Path) -> None:
    import desktop.reports.spreadsheet.writer as writer

    many = TableData("Big", COLUMNS[:1], ([str(n)] for n in range(5000)))
    with pytest.raises(Cancelled):
        write_table(many, tmp_path / "big.xlsx", cancelled=lambda: True)
    assert list(tmp_path.iterdir()) == []
    assert writer.PROGRESS_EVERY <= 5000


def _comments(cast: Cast) -> None:
    account = cast.account("ExportHealth", Platform.FACEBOOK)
    service = CommentService(cast.ctx("officer"))
    for n in range(5):
        comment = service.log(
            account.id, datetime(2026, 11, 16, 15 + n, tzinfo=UTC), f"Question {n}",
            author_name="=cmd|' /C calc'!A0" if n == 0 else f"Citizen {n}",
        )  # fmt: skip
        if n % 2:
            service.acknowledge(comment.id)


def test_the_comment_log_exports_with_its_filter_and_order(cast: Cast, tmp_path: Path) -> None:
    _comments(cast)
    query = CommentLogQuery(statuses=frozenset({CommentStatus.NEW}), descending=False)
    path = tmp_path / "log.xlsx"
    assert write_table(comments_table(cast.ctx("officer"), query), path) == 3
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Comments").to_python()
    assert [r[4] for r in rows[1:]] == ["Question 0", "Question 2", "Question 4"]
    assert rows[1][3] == "=cmd|' /C calc'!A0"  # shown as text, never run
    assert rows[1][0] == datetime(2026, 11, 16, 9, 0)


def test_cli_export_table(
    sqlite_db: Database, tmp_path: Path, signed_in: Callable[[str], None]
) -> None:
    signed_in("officer")
    cast = make_cast(sqlite_db, lambda: datetime(2026, 11, 18, 15, tzinfo=UTC))
    _comments(cast)
    out = tmp_path / "new.csv"
    args = ["export-table", "comments", "--db", str(sqlite_db.url.database)]
    assert cli.main([*args, "--status", "acknowledged", "-o", str(out)]) == 0
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 3
    assert cli.main(["export-table", "accounts", "--db", str(sqlite_db.url.database),
                     "-o", str(tmp_path / "a.xlsx")]) == 0  # fmt: skip
    sheet = CalamineWorkbook.from_path(str(tmp_path / "a.xlsx")).get_sheet_by_name("Accounts")
    assert sheet.to_python()[1][1] == "@ExportHealth"
