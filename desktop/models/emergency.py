"""Declared emergencies: the clock runs 24/7 for the ministries and accounts they cover."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop.enums import EmergencyKind, GroupUpdateKind
from desktop.models.base import Base, UTCDateTime, UUIDPk, Versioned


class Emergency(Versioned, Base):
    __tablename__ = "emergencies"

    id: Mapped[UUIDPk]
    kind: Mapped[EmergencyKind]
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    declared_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
    # The policy names two people to monitor after hours: one from the ministry affected,
    # one from the Executive Council digital team.
    on_call_ministry_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
    on_call_council_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))

    ministry_rows: Mapped[list[EmergencyMinistry]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    account_rows: Mapped[list[EmergencyAccount]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )


class EmergencyMinistry(Base):
    __tablename__ = "emergency_ministries"

    emergency_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("emergencies.id", ondelete="CASCADE"), primary_key=True
    )
    ministry_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ministries.id"), primary_key=True)


class EmergencyAccount(Base):
    __tablename__ = "emergency_accounts"

    emergency_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("emergencies.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"), primary_key=True)


class GroupUpdate(Versioned, Base):
    """A group update posted during an emergency instead of many individual replies."""

    __tablename__ = "group_updates"

    id: Mapped[UUIDPk]
    emergency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("emergencies.id"), index=True)
    kind: Mapped[GroupUpdateKind]
    text: Mapped[str] = mapped_column(Text)
    link_url: Mapped[str] = mapped_column(String(500), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    posted_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
