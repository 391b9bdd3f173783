"""Declarative base, column types and mixins shared by every entity.

UUID keys made in Python (offline replicas create rows too), one aware-UTC datetime type that
behaves the same on SQLite and PostgreSQL, text-backed enums, optimistic locking.
"""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar

from sqlalchemy import DateTime, Dialect, MetaData, String, TypeDecorator, Uuid
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """An instant: refuses naive datetimes, stores UTC, returns aware UTC on every database.

    SQLite has no time zone type and plain ``DateTime(timezone=True)`` silently drops the
    offset there, so values are normalised to UTC before binding and tagged UTC on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"Expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"Naive datetime {value.isoformat()} refused: give a time zone")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            # Stored as text; one fixed layout keeps string comparison equal to time order.
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> uuid.UUID:
    return uuid.uuid4()


# Repeated column shapes (warehouse's habit): one place to change them.
UUIDPk = Annotated[uuid.UUID, mapped_column(Uuid, primary_key=True, default=new_id)]
Instant = Annotated[datetime, mapped_column(UTCDateTime)]
Str40 = Annotated[str, mapped_column(String(40))]
Str120 = Annotated[str, mapped_column(String(120))]
Str255 = Annotated[str, mapped_column(String(255))]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        # Non-native: VARCHAR, no CHECK, so a new member needs no PostgreSQL type change.
        enum.Enum: SAEnum(
            enum.Enum,
            native_enum=False,
            create_constraint=False,
            length=40,
            values_callable=lambda e: [m.value for m in e],
        ),
        datetime: UTCDateTime,
        uuid.UUID: Uuid,
    }


class Versioned:
    """Mutable rows: optimistic locking plus creation and update instants."""

    version: Mapped[int] = mapped_column(nullable=False, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]
