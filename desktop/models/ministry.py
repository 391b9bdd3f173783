"""Ministries and Crown corporations, and their directory of key contacts."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.enums import MinistryKind
from desktop.models.base import Base, UUIDPk, Versioned


class Ministry(Versioned, Base):
    __tablename__ = "ministries"

    id: Mapped[UUIDPk]
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[MinistryKind] = mapped_column(default=MinistryKind.MINISTRY)
    active: Mapped[bool] = mapped_column(default=True)


class KeyContact(Versioned, Base):
    """A ministry's contact that replies may quote when routing a citizen's question."""

    __tablename__ = "key_contacts"

    id: Mapped[UUIDPk]
    ministry_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ministries.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    web_links: Mapped[str] = mapped_column(Text, default="")
