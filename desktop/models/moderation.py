"""Commenters, the strikes recorded against them (with evidence), and bans."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.enums import BanKind, BanStatus, Platform, RemovalCategory
from desktop.models.base import Base, UTCDateTime, UUIDPk, Versioned


class Commenter(Versioned, Base):
    __tablename__ = "commenters"
    # One row per person per platform whatever the case of the handle, even when two officers
    # log the same new commenter at the same moment (their strikes must not split).
    __table_args__ = (
        Index("uq_commenters_platform_handle_ci", "platform", text("lower(handle)"), unique=True),
    )

    id: Mapped[UUIDPk]
    platform: Mapped[Platform]
    handle: Mapped[str] = mapped_column(String(120))
    display_name: Mapped[str] = mapped_column(String(200), default="")


class Strike(Versioned, Base):
    """One instance of abuse. The evidence is copied here so it survives the comment's removal."""

    __tablename__ = "strikes"
    __table_args__ = (Index("ix_strikes_commenter_platform", "commenter_id", "platform"),)

    id: Mapped[UUIDPk]
    commenter_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("commenters.id"))
    platform: Mapped[Platform]
    comment_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("comments.id", ondelete="SET NULL")
    )
    category: Mapped[RemovalCategory]
    evidence_text: Mapped[str] = mapped_column(Text)
    evidence_url: Mapped[str] = mapped_column(String(500), default="")
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Ban(Versioned, Base):
    __tablename__ = "bans"
    __table_args__ = (Index("ix_bans_commenter_platform", "commenter_id", "platform"),)

    id: Mapped[UUIDPk]
    commenter_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("commenters.id"))
    platform: Mapped[Platform]
    kind: Mapped[BanKind]
    status: Mapped[BanStatus] = mapped_column(index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    proposed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lifted_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
