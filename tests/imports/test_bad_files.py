"""Bad files give row-level errors (file:line N, Sheet!row N) and write nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop import cli
from desktop.enums import Platform
from desktop.errors import DomainError
from desktop.models import AuditEvent, ImportBatch, MetricSnapshot, PostMetric
from desktop.services.imports.metrics_import import MetricImportService
from desktop.storage.database import Database
from tests.factories import Cast
from tests.imports import fixtures as fx


def _nothing_written(db: Database, audit_before: int) -> None:
    with db.read() as s:
        for model in (ImportBatch, PostMetric, MetricSnapshot):
            assert s.scalar(select(func.count()).select_from(model)) == 0
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == audit_before


def _audit(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(AuditEvent)) or 0


@pytest.fixture
def page(cast: Cast) -> object:
    return cast.account("SaskHealth", Platform.FACEBOOK, display_name="Sask Health")


def test_text_in_a_number_column_is_rejected_with_its_physical_line(
    cast: Cast, page: object, tmp_path: Path
) -> None:
    # The first post's caption spans three lines, so the second post starts on line 5.
    data = fx.facebook_posts().replace(b",10000,", b",lots,")
    path = tmp_path / "fb.csv"
    path.write_bytes(data)
    before = _audit(cast.db)
    service = MetricImportService(cast.ctx("officer"))
    preview = service.preview(path)
    assert [str(e) for e in preview.errors] == ["fb.csv:line 5: Views: 'lots' is not a number"]
    assert preview.rejected == 1
    with pytest.raises(DomainError, match="nothing was imported"):
        service.commit(preview)
    _nothing_written(cast.db, before)


def test_a_truncated_file_rejects_its_last_row(cast: Cast, page: object, tmp_path: Path) -> None:
    data = fx.facebook_posts()
    path = tmp_path / "cut.csv"
    path.write_bytes(data[: data.rindex(b"Back to school") + 20])
    before = _audit(cast.db)
    service = MetricImportService(cast.ctx("officer"))
    preview = service.preview(path)
    assert len(preview.errors) == 1
    assert str(preview.errors[0]).startswith("cut.csv:line 6: the row has ")
    assert "cut short" in str(preview.errors[0])
    with pytest.raises(DomainError):
        service.commit(preview)
    _nothing_written(cast.db, before)


def test_a_bad_date_in_a_sheet_names_the_sheet_row(cast: Cast, tmp_path: Path) -> None:
    import xlsxwriter

    cast.account("skhealth", Platform.LINKEDIN)
    path = tmp_path / "skhealth_content_1.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Metrics")
    sheet.write_row(0, 0, ["All dates and times are in UTC."])
    sheet.write_row(1, 0, fx.LI_METRICS)
    sheet.write_row(2, 0, ["09/10/2025", 1, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    sheet.write_row(3, 0, ["31/09/2025", 1, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    book.close()
    preview = MetricImportService(cast.ctx("officer")).preview(path)
    assert [str(e) for e in preview.errors] == [
        "skhealth_content_1.xlsx Metrics!row 4: '31/09/2025' is not a date like 09/01/2025"
    ]


def test_the_wrong_encoding_is_refused(cast: Cast, page: object, tmp_path: Path) -> None:
    path = tmp_path / "Follows.csv"
    # UTF-16 with its byte order mark removed: what a careless re-save produces.
    path.write_bytes(fx.facebook_daily()[2:])
    with pytest.raises(DomainError, match="not text the app can read"):
        MetricImportService(cast.ctx("officer")).preview(path)


def test_windows_1252_is_read_with_a_warning(cast: Cast, page: object, tmp_path: Path) -> None:
    text = fx.facebook_posts()[3:].decode("utf-8").replace("\U0001d5d5\U0001d5ff", "Café")
    path = tmp_path / "excel.csv"
    path.write_bytes(text.encode("cp1252"))
    preview = MetricImportService(cast.ctx("officer")).preview(path)
    assert any("Windows-1252" in w for w in preview.parsed.warnings)
    assert "Café" in preview.parsed.posts[0].title


def test_an_unknown_format_is_refused_naming_what_is_read(
    cast: Cast, page: object, tmp_path: Path
) -> None:
    path = tmp_path / "budget.csv"
    path.write_text("Line item,Amount\nPrinting,120\n", encoding="utf-8")
    with pytest.raises(DomainError, match=r"does not recognise this file.*YouTube Studio"):
        MetricImportService(cast.ctx("officer")).preview(path)


def test_unknown_extra_columns_are_reported_not_fatal(
    cast: Cast, page: object, tmp_path: Path
) -> None:
    data = fx.facebook_posts().replace(
        b"Average Seconds viewed\n", b"Average Seconds viewed,Mood\n"
    )
    path = tmp_path / "extra.csv"
    path.write_bytes(data)
    preview = MetricImportService(cast.ctx("officer")).preview(path)
    assert preview.parsed.unknown_columns == ["Mood"]
    assert not preview.errors


def test_a_page_level_file_that_is_not_engagement_is_explained(
    cast: Cast, page: object, tmp_path: Path
) -> None:
    path = tmp_path / "Visits.csv"
    path.write_bytes(fx.facebook_daily("Facebook visits"))
    with pytest.raises(DomainError, match="not an engagement measure"):
        MetricImportService(cast.ctx("officer")).preview(path)


def test_an_officer_of_another_ministry_may_not_import(
    cast: Cast, page: object, tmp_path: Path
) -> None:
    from desktop.errors import PermissionDenied

    path = tmp_path / "fb.csv"
    path.write_bytes(fx.facebook_posts())
    service = MetricImportService(cast.ctx("officer2"))
    with pytest.raises(PermissionDenied, match="another ministry"):
        service.commit(service.preview(path))


def test_cli_dry_run_then_import_then_again(
    sqlite_db: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    signed_in: Callable[[str], None],
) -> None:
    signed_in("officer")
    from datetime import UTC, datetime

    from tests.factories import make_cast

    cast = make_cast(sqlite_db, lambda: datetime(2026, 11, 18, 15, 0, tzinfo=UTC))
    cast.account("SaskHealthTV", Platform.YOUTUBE)
    path = tmp_path / "Table data.csv"
    path.write_text(fx.youtube_table(), encoding="utf-8")
    base = ["import-metrics", "--db", str(sqlite_db.url.database)]
    base += ["--account", "youtube:SaskHealthTV"]
    assert cli.main([*base, "--dry-run", str(path)]) == 0
    out = capsys.readouterr().out
    assert "YouTube Studio: table data by video" in out
    assert "2 new, 0 updated, 0 unchanged, 0 rejected" in out
    assert cli.main([*base, str(path)]) == 0
    assert "Imported Table data.csv into YouTube @SaskHealthTV" in capsys.readouterr().out
    assert cli.main([*base, str(path)]) == 0
    assert "already imported by Officer Person" in capsys.readouterr().out
