"""Registers that sit beside the approval tracker: staff members' personal social media names
that include the Government's name, and the images and videos used in replies."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from desktop.enums import MediaKind, MediaPermission, Platform
from desktop.models.base import Base, UTCDateTime, UUIDPk, Versioned


class PersonalName(Versioned, Base):
    """A personal account name with the Government's name, and the request approving it."""

    __tablename__ = "personal_names"

    id: Mapped[UUIDPk]
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"), index=True)
    platform: Mapped[Platform]
    handle: Mapped[str] = mapped_column(String(120))
    approval_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("approvals.id"), index=True)


class ResponseMedia(Versioned, Base):
    """An image or video in a reply, with the acknowledgement of the right to publish it."""

    __tablename__ = "response_media"

    id: Mapped[UUIDPk]
    response_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("responses.id"), index=True)
    kind: Mapped[MediaKind]
    description: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(300))  # who made it / where it comes from
    permission: Mapped[MediaPermission]
    acknowledged_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime)
