"""Third-party advertising campaigns that give agencies time-limited access."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.models.base import Base, UUIDPk, Versioned


class Campaign(Versioned, Base):
    __tablename__ = "campaigns"

    id: Mapped[UUIDPk]
    name: Mapped[str] = mapped_column(String(200))
    ministry_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ministries.id"), index=True)
    agency_name: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date]
    ends_on: Mapped[date] = mapped_column(index=True)
