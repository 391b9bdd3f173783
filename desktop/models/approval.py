"""Multi-step approvals and the signatures on each step."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop.enums import AppRole, ApprovalKind, ApprovalState, StepState
from desktop.models.base import Base, UTCDateTime, UUIDPk, Versioned


class Approval(Versioned, Base):
    __tablename__ = "approvals"
    __table_args__ = (Index("ix_approvals_state_kind", "state", "kind"),)

    id: Mapped[UUIDPk]
    kind: Mapped[ApprovalKind]
    state: Mapped[ApprovalState] = mapped_column(default=ApprovalState.DRAFT)
    title: Mapped[str] = mapped_column(String(300))
    business_case: Mapped[str] = mapped_column(Text, default="")
    account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    campaign_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    submitter_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"), index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the first submission
    # The latest (re)submission: stalls are counted from it; None until a resubmission.
    resubmitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    steps: Mapped[list[ApprovalStep]] = relationship(
        back_populates="approval",
        cascade="all, delete-orphan",
        order_by="ApprovalStep.position",
        lazy="selectin",
    )


class ApprovalStep(Versioned, Base):
    __tablename__ = "approval_steps"

    id: Mapped[UUIDPk]
    approval_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("approvals.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    stage: Mapped[int]
    role: Mapped[AppRole]
    label: Mapped[str] = mapped_column(String(200))
    state: Mapped[StepState] = mapped_column(default=StepState.PENDING)
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    comment: Mapped[str] = mapped_column(Text, default="")

    approval: Mapped[Approval] = relationship(back_populates="steps")
