"""The append-only, hash-chained audit log."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.models.base import Base, UTCDateTime, UUIDPk


class AuditEvent(Base):
    """One change. ``hash`` is SHA-256 over every other stored field plus ``prev_hash``.

    The actor is kept by id *and* login as plain values (no foreign key) so the record stands
    even if people are later merged or re-imported.
    """

    __tablename__ = "audit_events"

    id: Mapped[UUIDPk]
    seq: Mapped[int] = mapped_column(unique=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[uuid.UUID | None]
    actor_login: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(80), index=True)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(80))
    before: Mapped[str] = mapped_column(Text, default="")  # canonical JSON, "" when none
    after: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
