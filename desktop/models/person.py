"""People who work with the accounts, and the application roles they hold."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop.enums import AppRole, PersonKind
from desktop.models.base import Base, UUIDPk, Versioned


class Person(Versioned, Base):
    __tablename__ = "people"

    id: Mapped[UUIDPk]
    login: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    title: Mapped[str] = mapped_column(String(200), default="")
    ministry_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("ministries.id"), index=True)
    kind: Mapped[PersonKind] = mapped_column(default=PersonKind.EMPLOYEE)
    agency_name: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(default=True)

    role_rows: Mapped[list[PersonRole]] = relationship(
        back_populates="person", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def roles(self) -> frozenset[AppRole]:
        return frozenset(r.role for r in self.role_rows)


class PersonRole(Base):
    """One application role held by one person (a person may hold several)."""

    __tablename__ = "person_roles"

    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[AppRole] = mapped_column(primary_key=True, index=True)

    person: Mapped[Person] = relationship(back_populates="role_rows")
