"""The monthly snapshots the evaluations, goals and the no-engagement check read, rolled up
from the imported numbers of the months a file touched.

For each measure of a month: the sum of the platform's daily series where the file gave one,
else the sum of the latest lifetime totals of the posts published that month. Measures the
imports do not hold (responses, time on page, followers) stay as typed in.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from desktop.models import DailyMetric, MetricSnapshot, PostMetric
from desktop.models.base import new_id
from desktop.policy.periods import add_months
from desktop.services.context import Work
from desktop.services.imports.model import SNAPSHOT_FIELDS
from desktop.services.metrics import month_end, month_start
from desktop.services.serialize import snapshot


def months_of(days: Iterable[date]) -> list[date]:
    return sorted({month_start(d) for d in days})


def roll_up(work: Work, account_id: uuid.UUID, months: list[date]) -> list[dict[str, Any]]:
    """Update the account's snapshots of ``months`` (none after the current one); returns
    what changed per month, for the audit event."""
    zone = ZoneInfo(work.settings.timezone)
    current = month_start(work.at.astimezone(zone).date())
    changes = []
    for month in months:
        if month > current:
            continue
        values = _month_values(work, account_id, month, zone)
        if not values:
            continue
        row = work.session.scalar(
            select(MetricSnapshot).where(
                MetricSnapshot.account_id == account_id, MetricSnapshot.period_start == month
            )
        )
        if row is None:
            row = MetricSnapshot(
                id=new_id(),
                account_id=account_id,
                period_start=month,
                period_end=month_end(month),
                recorded_by_id=work.actor.id,
                responses_positive=0,
                responses_negative=0,
                shares=0,
                comments=0,
                time_on_page_seconds=0,
                reach=0,
                followers=0,
                posts=0,
                reactions=0,
                views=0,
                watch_time_seconds=0,
            )
            work.session.add(row)
            before: dict[str, Any] = {}
        else:
            before = snapshot(row)
        changed = {k: v for k, v in values.items() if getattr(row, k) != v}
        for key, value in changed.items():
            setattr(row, key, value)
        if changed or not before:
            changes.append({"month": month.isoformat(), **changed})
    work.session.flush()
    return changes


def _month_values(work: Work, account_id: uuid.UUID, month: date, zone: ZoneInfo) -> dict[str, int]:
    session = work.session
    last = month_end(month)
    daily: dict[str, Any] = dict(
        session.execute(
            select(DailyMetric.metric, func.sum(DailyMetric.value))
            .where(
                DailyMetric.account_id == account_id,
                DailyMetric.day.between(month, last),
                DailyMetric.value.is_not(None),
            )
            .group_by(DailyMetric.metric)
        ).all()
    )
    lo = datetime.combine(month, time(), zone)
    hi = datetime.combine(add_months(month, 1), time(), zone)
    newest = (
        select(PostMetric.post_id, func.max(PostMetric.as_of).label("as_of"))
        .where(
            PostMetric.account_id == account_id,
            PostMetric.published_at >= lo,
            PostMetric.published_at < hi,
        )
        .group_by(PostMetric.post_id)
        .subquery()
    )
    measures = list(SNAPSHOT_FIELDS)
    post_sums = session.execute(
        select(
            func.count(),
            *(func.sum(getattr(PostMetric, m)) for m in measures),
        )
        .select_from(PostMetric)
        .join(
            newest,
            (PostMetric.post_id == newest.c.post_id) & (PostMetric.as_of == newest.c.as_of),
        )
        .where(PostMetric.account_id == account_id)
    ).one()
    posts = int(post_sums[0])
    sums: dict[str, Any] = dict(zip(measures, post_sums[1:], strict=True))
    values: dict[str, int] = {}
    for measure, field in SNAPSHOT_FIELDS.items():
        if daily.get(measure) is not None:
            values[field] = max(int(daily[measure]), 0)
        elif sums.get(measure) is not None:
            values[field] = max(int(sums[measure]), 0)
    if daily.get("posts") is not None:
        values["posts"] = int(daily["posts"])
    elif posts:
        values["posts"] = posts
    return values
