"""Compare a file's records with what is stored, and write them.

Posts: one snapshot per (platform, account, post id, as-of date); a re-export the same day
updates it, a later one adds a snapshot, and either shows how the lifetime numbers drifted.
Daily series: one value per (account, measure, day).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from desktop.enums import Platform
from desktop.models import DailyMetric, PostMetric
from desktop.models.base import new_id
from desktop.services.imports.model import (
    MEASURE_LABELS,
    POST_MEASURES,
    DailyRecord,
    ParsedFile,
    PostRecord,
)

DRIFT_LISTED = 50
_CHUNK = 500


@dataclass
class Classified:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    drift: list[str] = field(default_factory=list)
    # What to write: posts to insert or to update in place, daily values likewise.
    post_inserts: list[PostRecord] = field(default_factory=list)
    post_updates: list[tuple[uuid.UUID, PostRecord]] = field(default_factory=list)
    day_writes: list[tuple[DailyRecord, str, int | None, uuid.UUID | None]] = field(
        default_factory=list
    )


def _chunks(items: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _latest_posts(
    session: Session, platform: Platform, account_id: uuid.UUID, ids: list[str]
) -> dict[str, PostMetric]:
    latest: dict[str, PostMetric] = {}
    for part in _chunks(ids):
        newest = (
            select(PostMetric.post_id, func.max(PostMetric.as_of).label("as_of"))
            .where(
                PostMetric.platform == platform,
                PostMetric.account_id == account_id,
                PostMetric.post_id.in_(part),
            )
            .group_by(PostMetric.post_id)
            .subquery()
        )
        rows = session.scalars(
            select(PostMetric)
            .join(
                newest,
                (PostMetric.post_id == newest.c.post_id) & (PostMetric.as_of == newest.c.as_of),
            )
            .where(PostMetric.platform == platform, PostMetric.account_id == account_id)
        )
        latest.update({row.post_id: row for row in rows})
    return latest


def _existing_days(
    session: Session, account_id: uuid.UUID, keys: list[tuple[str, date]]
) -> dict[tuple[str, date], DailyMetric]:
    found: dict[tuple[str, date], DailyMetric] = {}
    for part in _chunks(keys):
        rows = session.scalars(
            select(DailyMetric).where(
                DailyMetric.account_id == account_id,
                tuple_(DailyMetric.metric, DailyMetric.day).in_(part),
            )
        )
        found.update({(row.metric, row.day): row for row in rows})
    return found


def classify(
    session: Session, parsed: ParsedFile, account_id: uuid.UUID, as_of: date
) -> Classified:
    out = Classified()
    stored = _latest_posts(session, parsed.platform, account_id, [p.post_id for p in parsed.posts])
    for record in parsed.posts:
        before = stored.get(record.post_id)
        if before is None:
            out.new += 1
            out.post_inserts.append(record)
            continue
        changes = [
            (m, getattr(before, m), value)
            for m, value in record.values.items()
            if m in POST_MEASURES and getattr(before, m) != value
        ]
        if not changes:
            out.unchanged += 1
            continue
        out.updated += 1
        since = before.as_of if before.as_of != as_of else None
        _drift(out, f"post {record.post_id}", changes, since)
        if before.as_of == as_of:
            out.post_updates.append((before.id, record))
        else:
            out.post_inserts.append(record)
    keys = [(m, d.day) for d in parsed.days for m in d.values]
    days = _existing_days(session, account_id, keys)
    for day in parsed.days:
        changes = []
        fresh = True
        for measure, value in day.values.items():
            row = days.get((measure, day.day))
            if row is None:
                out.day_writes.append((day, measure, value, None))
                continue
            fresh = False
            if row.value != value:
                changes.append((measure, row.value, value))
                out.day_writes.append((day, measure, value, row.id))
        if fresh and day.values:
            out.new += 1
        elif changes:
            out.updated += 1
            _drift(out, f"{day.day:%d %b %Y}", changes, None)
        else:
            out.unchanged += 1
    return out


def _drift(
    out: Classified, what: str, changes: list[tuple[str, Any, Any]], since: date | None
) -> None:
    if len(out.drift) >= DRIFT_LISTED:
        return
    shown = ", ".join(
        f"{MEASURE_LABELS.get(m, m).split(' (')[0].lower()} {_n(old)} → {_n(new)}"
        for m, old, new in changes
    )
    when = f" (since the export of {since:%d %b %Y})" if since else ""
    out.drift.append(f"{what}: {shown}{when}")


def _n(value: Any) -> str:
    return "blank" if value is None else f"{value:,}"


def write(
    session: Session,
    classified: Classified,
    platform: Platform,
    account_id: uuid.UUID,
    as_of: date,
    batch_id: uuid.UUID,
) -> None:
    for record in classified.post_inserts:
        session.add(
            PostMetric(
                id=new_id(),
                account_id=account_id,
                platform=platform,
                post_id=record.post_id,
                as_of=as_of,
                batch_id=batch_id,
                **_post_fields(record),
            )
        )
    for row_id, record in classified.post_updates:
        row = session.get(PostMetric, row_id)
        assert row is not None
        for key, value in _post_fields(record).items():
            setattr(row, key, value)
        row.batch_id = batch_id
    for day, measure, value, day_row_id in classified.day_writes:
        if day_row_id is None:
            session.add(
                DailyMetric(
                    id=new_id(),
                    account_id=account_id,
                    metric=measure,
                    day=day.day,
                    value=value,
                    batch_id=batch_id,
                )
            )
        else:
            existing = session.get(DailyMetric, day_row_id)
            assert existing is not None
            existing.value = value
            existing.batch_id = batch_id
    session.flush()


def _post_fields(record: PostRecord) -> dict[str, Any]:
    fields: dict[str, Any] = {m: record.values.get(m) for m in POST_MEASURES}
    fields.update(
        published_at=record.published_at,
        title=record.title,
        permalink=record.permalink,
        post_type=record.post_type,
        platform_engagement_rate=record.engagement_rate,
    )
    return fields
