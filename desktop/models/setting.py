"""Stored values of the typed settings declared in ``desktop.policy.settings``."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.models.base import Base, Versioned


class Setting(Versioned, Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON
    updated_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
