"""Extra non-business days the branch adds to the public holidays (e.g. Boxing Day)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from desktop.models.base import Base, UUIDPk, Versioned


class Closure(Versioned, Base):
    __tablename__ = "closures"

    id: Mapped[UUIDPk]
    day: Mapped[date] = mapped_column(unique=True)
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
