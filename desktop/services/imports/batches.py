"""Import batches: the record of each file brought in, found again by its SHA-256."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.models import ImportBatch, Person


@dataclass(frozen=True)
class EarlierImport:
    """The same bytes were imported before: by whom and when."""

    file_name: str
    by: str
    at: datetime
    new: int
    updated: int

    def sentence(self, zone: str) -> str:
        from zoneinfo import ZoneInfo

        when = self.at.astimezone(ZoneInfo(zone)).strftime("%d %b %Y at %H:%M")
        return (
            f"This file was already imported by {self.by} on {when} (as {self.file_name}: "
            f"{self.new:,} new, {self.updated:,} updated); importing it again changes nothing."
        )


def earlier_import(session: Session, sha256: str) -> EarlierImport | None:
    row = session.execute(
        select(
            ImportBatch.file_name,
            ImportBatch.imported_by_login,
            Person.name,
            ImportBatch.imported_at,
            ImportBatch.rows_new,
            ImportBatch.rows_updated,
        )
        .outerjoin(Person, Person.id == ImportBatch.imported_by_id)
        .where(ImportBatch.sha256 == sha256)
    ).first()
    if row is None:
        return None
    name, login, person, at, new, updated = row
    return EarlierImport(name, person or login, at, new, updated)
