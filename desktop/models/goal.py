"""Measurable goals and objectives of an account, renewed every 12 months."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.enums import GoalStatus
from desktop.models.base import Base, UTCDateTime, UUIDPk, Versioned


class Goal(Versioned, Base):
    __tablename__ = "goals"

    id: Mapped[UUIDPk]
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    metric: Mapped[str] = mapped_column(String(40))  # a MetricSnapshot engagement field
    target_value: Mapped[float]
    baseline_value: Mapped[float] = mapped_column(default=0.0)
    period_start: Mapped[date]
    period_end: Mapped[date]
    status: Mapped[GoalStatus] = mapped_column(default=GoalStatus.DRAFT)
    approval_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("approvals.id"))
    finalized_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
