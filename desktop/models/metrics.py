"""Monthly engagement metrics per account (engagement, not follower counts, is what counts)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desktop.models.base import Base, UUIDPk, Versioned


class MetricSnapshot(Versioned, Base):
    __tablename__ = "metric_snapshots"
    __table_args__ = (
        UniqueConstraint("account_id", "period_start", name="uq_metric_snapshots_account_period"),
    )

    id: Mapped[UUIDPk]
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"))
    period_start: Mapped[date] = mapped_column(index=True)
    period_end: Mapped[date]
    responses_positive: Mapped[int] = mapped_column(default=0)
    responses_negative: Mapped[int] = mapped_column(default=0)
    shares: Mapped[int] = mapped_column(default=0)
    comments: Mapped[int] = mapped_column(default=0)
    time_on_page_seconds: Mapped[int] = mapped_column(default=0)
    reach: Mapped[int] = mapped_column(default=0)
    followers: Mapped[int] = mapped_column(default=0)
    posts: Mapped[int] = mapped_column(default=0)
    # From the platforms' export files (rolled up from post and daily metrics when imported).
    reactions: Mapped[int] = mapped_column(default=0)
    views: Mapped[int] = mapped_column(default=0)
    watch_time_seconds: Mapped[int] = mapped_column(default=0)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
