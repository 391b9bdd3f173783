"""Each platform export imported into both databases, its numbers read back through the
evaluation data; the same file twice changes nothing the second time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.enums import Platform
from desktop.models import AuditEvent, DailyMetric, ImportBatch, MetricSnapshot, PostMetric
from desktop.reports.data.common import resolve_account, resolve_period
from desktop.reports.data.evaluation_data import MonthRow, monthly_metrics
from desktop.services.imports.metrics_import import MetricImportService, MetricPreview
from desktop.storage.database import Database
from tests.factories import Cast
from tests.imports import fixtures as fx

NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)


@pytest.fixture
def accounts(cast: Cast) -> dict[str, object]:
    made = {
        "facebook": cast.account("SaskHealth", Platform.FACEBOOK, display_name="Sask Health"),
        "instagram": cast.account("skhealth", Platform.INSTAGRAM),
        "x": cast.account("rOpenSci", Platform.X),
        "youtube": cast.account("SaskHealthTV", Platform.YOUTUBE),
        "linkedin": cast.account("skhealth", Platform.LINKEDIN),
    }
    return made


def _months(db: Database, account: object, year: int, half: int) -> dict[date, MonthRow]:
    with db.read() as s:
        account = resolve_account(s, str(account.id))  # type: ignore[attr-defined]
        period = resolve_period(f"{year}H{half}", None, None, required=True, as_of_day=NOW.date())
        rows = monthly_metrics(s, account, period, NOW.date())
    return {m.month: m for m in rows if m.recorded}


def _import(
    cast: Cast, tmp_path: Path, name: str, data: bytes, account: object | None = None
) -> MetricPreview:
    path = tmp_path / name
    path.write_bytes(data)
    service = MetricImportService(cast.ctx("officer"))
    preview = service.preview(path, getattr(account, "id", None))
    assert not preview.errors, preview.errors
    result = service.commit(preview)
    assert result.batch_id is not None
    return preview


def test_facebook_posts_land_on_the_page_named_in_the_file(
    cast: Cast, accounts: dict[str, object], tmp_path: Path
) -> None:
    preview = _import(cast, tmp_path, "Sep-01-2025_Oct-31-2025_2855862537940540.csv",
                      fx.facebook_posts())  # fmt: skip
    assert preview.account is not None
    assert preview.account.handle == "SaskHealth"
    assert (preview.new, preview.updated, preview.unchanged, preview.rejected) == (3, 0, 0, 0)
    assert "Reactions, Comments and Shares" not in preview.parsed.unknown_columns
    assert "Link Clicks" not in preview.parsed.unknown_columns
    months = _months(cast.db, accounts["facebook"], 2025, 2)
    september = months[date(2025, 9, 1)]
    assert (september.reactions, september.comments, september.shares) == (200, 25, 35)
    assert (september.reach, september.views, september.watch_time_seconds) == (11100, 14200, 4396)
    assert september.engagement_actions == 260  # reactions + comments + shares, not views
    assert months[date(2025, 10, 1)].reactions == 30
    with cast.db.read() as s:
        blank = s.scalar(select(PostMetric).where(PostMetric.post_id.like("%_1001")))
        assert blank is not None
        assert blank.watch_seconds is None  # blank is missing, not 0
        assert blank.platform_engagements == 160  # kept as a cross-check
        assert blank.published_at == datetime(2025, 9, 2, 3, 13, tzinfo=UTC)  # Regina → UTC


def test_swedish_headers_read_the_same_numbers(
    cast: Cast, accounts: dict[str, object], tmp_path: Path
) -> None:
    preview = _import(cast, tmp_path, "FB Riks Sep.csv", fx.facebook_posts(swedish=True))
    assert preview.parsed.format_version == "Swedish headers"
    assert _months(cast.db, accounts["facebook"], 2025, 2)[date(2025, 9, 1)].reactions == 200


def test_instagram_posts_and_followers_kept_apart(
    cast: Cast, accounts: dict[str, object], tmp_path: Path
) -> None:
    _import(cast, tmp_path, "Insta.csv", fx.instagram_posts())
    september = _months(cast.db, accounts["instagram"], 2025, 2)
    row = next(iter(september.values()))
    assert (row.reactions, row.comments, row.shares, row.views) == (300, 18, 40, 5000)
    with cast.db.read() as s:
        post = s.scalars(select(PostMetric)).one()
        assert post.follows == 12
        snap = s.scalars(select(MetricSnapshot)).one()
        assert snap.followers == 0  # followers gained are not engagement, nor a total


def test_facebook_daily_utf16_with_sep_and_title_lines(
    cast: Cast, accounts: dict[str, object], tmp_path: Path
) -> None:
    preview = _import(cast, tmp_path, "Views.csv", fx.facebook_daily("Views", ("20", "", "5")),
                      accounts["facebook"])  # fmt: skip
    assert preview.parsed.measures == ["views"]
    assert _months(cast.db, accounts["facebook"], 2025, 2)[date(2025, 9, 1)].views == 25
    with cast.db.read() as s:
        values = s.scalars(select(DailyMetric.value).order_by(DailyMetric.day)).all()
    assert values == [20, None, 5]


def test_x_legacy_tweet_activity(cast: Cast, accounts: dict[str, object], tmp_path: Path) -> None:
    name = "tweet_activity_metrics_rOpenSci_20211201_20220101_en.csv"
    preview = _import(cast, tmp_path, name, fx.x_legacy())
    assert preview.account is not None
    assert preview.account.handle == "rOpenSci"
    assert "promoted impressions" in preview.parsed.unused_columns
    row = _months(cast.db, accounts["x"], 2021, 2)[date(2021, 12, 1)]
    assert (row.views, row.reactions, row.shares, row.comments) == (4623, 41, 18, 4)


@pytest.mark.parametrize("late", [True, False])
def test_x_posts_both_versions(
    cast: Cast, accounts: dict[str, object], tmp_path: Path, late: bool
) -> None:
    preview = _import(cast, tmp_path, "account_analytics_content.csv", fx.x_posts(late),
                      accounts["x"])  # fmt: skip
    assert preview.parsed.format_version == ("late 2025" if late else "early 2025")
    month = date(2025, 12, 1) if late else date(2025, 2, 1)
    row = _months(cast.db, accounts["x"], month.year, 2 if late else 1)[month]
    assert (row.views, row.reactions, row.comments, row.shares) == (2500, 70, 11, 16)


def test_x_account_overview_is_a_daily_series(
    cast: Cast, accounts: dict[str, object], tmp_path: Path
) -> None:
    _import(cast, tmp_path, "account_overview_analytics.csv", fx.x_overview(), accounts["x"])
    row = _months(cast.db, accounts["x"], 2025, 1)[date(2025, 2, 1)]
    assert (row.views, row.reactions, row.comments, row.shares) == (3003, 30, 9, 12)
    with cast.db.read() as s:
        assert s.scalar(select(MetricSnapshot.posts)) == 3


def test_youtube_zip_skips_the_total_row_and_trims_ids(
    cast: Cast, accounts: dict[str, object], tmp_path: Path
) -> None:
    preview = _import(cast, tmp_path, "SaskHealthTV Content 2024.zip", fx.youtube_zip(),
                      accounts["youtube"])  # fmt: skip
    assert any("Total" in s for s in preview.parsed.skipped)
    assert any("Totals.csv" in w for w in preview.parsed.warnings)
    row = _months(cast.db, accounts["youtube"], 2024, 2)[date(2024, 9, 1)]
    assert (row.views, row.reactions, row.comments, row.shares) == (1500, 90, 7, 5)
    assert row.watch_time_seconds == 25.5 * 3600
    with cast.db.read() as s:
        first = s.scalar(select(PostMetric).where(PostMetric.post_id == "-HHGH-TTqYM"))
        assert first is not None
        assert first.average_view_seconds == 263
        assert first.follows == -2


def test_linkedin_workbook_both_sheets(
    cast: Cast, accounts: dict[str, object], tmp_path: Path
) -> None:
    path = fx.linkedin_xlsx(tmp_path / "skhealth_content_1753863379800.xlsx")
    preview = _import(cast, tmp_path, path.name, path.read_bytes())
    assert preview.account is not None
    assert preview.account.platform is Platform.LINKEDIN
    # Daily series win over the sum of posts for the same measure.
    row = _months(cast.db, accounts["linkedin"], 2025, 2)[date(2025, 9, 1)]
    assert (row.views, row.reactions, row.reach) == (303, 33, 240)
    with cast.db.read() as s:
        post = s.scalars(select(PostMetric)).one()
    assert post.post_id == "urn:li:activity:7101"
    assert post.platform_engagement_rate == pytest.approx(0.08)


def _counts(db: Database) -> tuple[int, ...]:
    with db.read() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(m)) or 0
            for m in (ImportBatch, PostMetric, DailyMetric, MetricSnapshot, AuditEvent)
        )


def test_the_same_file_twice_changes_nothing_and_says_who(
    cast: Cast, accounts: dict[str, object], tmp_path: Path
) -> None:
    path = tmp_path / "fb.csv"
    path.write_bytes(fx.facebook_posts())
    service = MetricImportService(cast.ctx("officer"))
    service.commit(service.preview(path))
    before = _counts(cast.db)
    again = service.preview(path)
    assert again.earlier is not None
    assert again.earlier.by == "Officer Person"
    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)
    result = service.commit(again)
    assert result.batch_id is None
    assert "already imported by Officer Person on 18 Nov 2026" in result.message
    assert _counts(cast.db) == before


def test_a_reexport_updates_the_snapshot_and_shows_the_drift(
    cast: Cast, accounts: dict[str, object], tmp_path: Path
) -> None:
    service = MetricImportService(cast.ctx("officer"))
    (tmp_path / "first.csv").write_bytes(fx.facebook_posts())
    service.commit(service.preview(tmp_path / "first.csv"))
    later = (
        fx.facebook_posts()
        .replace(b'"Clinic hours', b'"Clinic hours')
        .replace(b",120,25,15,", b",134,25,15,")
    )
    (tmp_path / "again.csv").write_bytes(later)
    preview = service.preview(tmp_path / "again.csv")
    assert (preview.new, preview.updated, preview.unchanged) == (0, 1, 2)
    assert preview.drift == ["post 2855862537940540_1001: reactions and likes 120 → 134"]
    service.commit(preview)
    assert _months(cast.db, accounts["facebook"], 2025, 2)[date(2025, 9, 1)].reactions == 214
    with cast.db.read() as s:
        assert s.scalar(select(func.count()).select_from(PostMetric)) == 3  # same day: updated


def test_one_audit_event_per_batch_with_who_file_hash_format_counts(
    cast: Cast, accounts: dict[str, object], tmp_path: Path
) -> None:
    import json

    _import(cast, tmp_path, "fb.csv", fx.facebook_posts())
    with cast.db.read() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "metrics.import")).one()
        batch = s.scalars(select(ImportBatch)).one()
    after = json.loads(event.after)
    assert event.actor_login == "officer"
    assert after["file"] == "fb.csv"
    assert after["sha256"] == batch.sha256
    assert (after["format"], after["format_version"]) == ("meta_facebook_posts", "English headers")
    assert (after["new"], after["updated"], after["unchanged"], after["rejected"]) == (3, 0, 0, 0)


Make = Callable[[], bytes]


def test_instagram_daily_file_lands_on_the_instagram_account(
    cast: Cast, accounts: dict[str, object], tmp_path: Path
) -> None:
    preview = _import(cast, tmp_path, "Reach.csv", fx.facebook_daily("Instagram reach", ("7",)),
                      accounts["instagram"])  # fmt: skip
    assert preview.parsed.platform is Platform.INSTAGRAM
    assert _months(cast.db, accounts["instagram"], 2025, 2)[date(2025, 9, 1)].reach == 7
