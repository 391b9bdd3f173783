"""Numbers and comments brought in from the platforms' export files.

Each file is one import batch, known by its SHA-256 so the same bytes are never imported
twice. Per-post lifetime totals and per-day series are kept as the platform gave them
(missing values stay NULL, not 0); the monthly snapshots the evaluations read are rolled up
from them.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desktop.enums import ImportKind, Platform
from desktop.models.base import Base, UTCDateTime, UUIDPk, Versioned


class ImportBatch(Base):
    """One imported file: who brought it in, when, in which format, and what it changed."""

    __tablename__ = "import_batches"
    __table_args__ = (UniqueConstraint("sha256", name="uq_import_batches_sha256"),)

    id: Mapped[UUIDPk]
    kind: Mapped[ImportKind]
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(60))
    format_version: Mapped[str] = mapped_column(String(120), default="")
    account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    timezone: Mapped[str] = mapped_column(String(64), default="")
    imported_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
    imported_by_login: Mapped[str] = mapped_column(String(80))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    rows_new: Mapped[int] = mapped_column(default=0)
    rows_updated: Mapped[int] = mapped_column(default=0)
    rows_unchanged: Mapped[int] = mapped_column(default=0)
    rows_rejected: Mapped[int] = mapped_column(default=0)


class PostMetric(Versioned, Base):
    """One post's lifetime totals as exported on ``as_of`` (a re-export the same day
    updates it; a later one is a new snapshot, the latest counting)."""

    __tablename__ = "post_metrics"
    __table_args__ = (
        UniqueConstraint(
            "platform", "account_id", "post_id", "as_of", name="uq_post_metrics_post_as_of"
        ),
        Index("ix_post_metrics_account_published", "account_id", "published_at"),
    )

    id: Mapped[UUIDPk]
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"))
    platform: Mapped[Platform]
    post_id: Mapped[str] = mapped_column(String(200))
    as_of: Mapped[date]
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    title: Mapped[str] = mapped_column(String(300), default="")
    permalink: Mapped[str] = mapped_column(String(500), default="")
    post_type: Mapped[str] = mapped_column(String(60), default="")
    reactions: Mapped[int | None] = mapped_column(BigInteger)
    comments: Mapped[int | None] = mapped_column(BigInteger)
    shares: Mapped[int | None] = mapped_column(BigInteger)
    reach: Mapped[int | None] = mapped_column(BigInteger)
    views: Mapped[int | None] = mapped_column(BigInteger)
    watch_seconds: Mapped[int | None] = mapped_column(BigInteger)
    average_view_seconds: Mapped[int | None] = mapped_column(BigInteger)
    follows: Mapped[int | None] = mapped_column(BigInteger)  # followers gained: not engagement
    platform_engagements: Mapped[int | None] = mapped_column(BigInteger)  # their composite
    platform_engagement_rate: Mapped[float | None]
    batch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("import_batches.id"), index=True)


class DailyMetric(Versioned, Base):
    """One account's value of one measure on one day (a platform's page-level series)."""

    __tablename__ = "daily_metrics"
    __table_args__ = (
        UniqueConstraint("account_id", "metric", "day", name="uq_daily_metrics_account_metric_day"),
    )

    id: Mapped[UUIDPk]
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"))
    metric: Mapped[str] = mapped_column(String(40))
    day: Mapped[date]
    value: Mapped[int | None] = mapped_column(BigInteger)
    batch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("import_batches.id"), index=True)
