"""Half-yearly evaluations of an account, reported to the Director DCI."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desktop.enums import EvaluationStatus, Recommendation
from desktop.models.base import Base, UTCDateTime, UUIDPk, Versioned


class Evaluation(Versioned, Base):
    __tablename__ = "evaluations"
    __table_args__ = (
        UniqueConstraint("account_id", "period", name="uq_evaluations_account_period"),
    )

    id: Mapped[UUIDPk]
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"), index=True)
    period: Mapped[str] = mapped_column(String(8))  # "2026H1"
    period_start: Mapped[date]
    period_end: Mapped[date]
    status: Mapped[EvaluationStatus] = mapped_column(default=EvaluationStatus.DRAFT)
    summary: Mapped[str] = mapped_column(Text, default="")
    recommendation: Mapped[Recommendation | None]
    drafted_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
    completed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
