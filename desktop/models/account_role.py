"""The permission matrix: who holds which role on which account, granted and revoked when."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from desktop.enums import PageRole
from desktop.models.base import Base, UTCDateTime, UUIDPk, Versioned


class AccountRole(Versioned, Base):
    __tablename__ = "account_roles"
    __table_args__ = (
        Index("ix_account_roles_account_revoked", "account_id", "revoked_at"),
        Index("ix_account_roles_person_revoked", "person_id", "revoked_at"),
    )

    id: Mapped[UUIDPk]
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"))
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"))
    role: Mapped[PageRole]
    granted_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Third parties: Facebook Business ID / X advertiser access, for one campaign only.
    business_id: Mapped[str] = mapped_column(String(80), default="")
    campaign_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    expires_on: Mapped[date | None]
