"""The inventory of official social media accounts."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.enums import AccountStatus, Platform, PostingTool
from desktop.models.base import Base, UTCDateTime, UUIDPk, Versioned


class Account(Versioned, Base):
    __tablename__ = "accounts"
    __table_args__ = (
        # Handles are case-insensitive on every platform: the database refuses "RaceX" beside
        # "racex" even when two people propose them at the same moment.
        Index("uq_accounts_platform_handle_ci", "platform", text("lower(handle)"), unique=True),
        Index("ix_accounts_ministry_status", "ministry_id", "status"),
        # The comment log's account sort walks the accounts in this order (migration 0011).
        Index("ix_accounts_platform_handle", "platform", "handle"),
    )

    id: Mapped[UUIDPk]
    platform: Mapped[Platform]
    handle: Mapped[str] = mapped_column(String(120))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    ministry_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ministries.id"))
    purpose: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[AccountStatus] = mapped_column(default=AccountStatus.PROPOSED, index=True)
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    government_email: Mapped[str] = mapped_column(String(254), default="")
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"), index=True)
    posting_tool: Mapped[PostingTool] = mapped_column(default=PostingTool.NATIVE)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_international: Mapped[bool] = mapped_column(default=False)
    language: Mapped[str] = mapped_column(String(40), default="")
    cultural_notes: Mapped[str] = mapped_column(Text, default="")
    is_central: Mapped[bool] = mapped_column(default=False)
    status_reason: Mapped[str] = mapped_column(Text, default="")

    @property
    def label(self) -> str:
        return f"{self.platform.label} @{self.handle}"
