"""Compliance facts about the public's comments: the comment log's overdue and unassigned
backlogs (counted only through its status indexes), repeat commenters and active bans.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from desktop.enums import BanStatus, CommentStatus, Platform
from desktop.models import Ban, Closure, Comment, Commenter, Strike
from desktop.policy.facts import AccountFacts, BanFacts, CommentBacklog, CommenterFacts
from desktop.policy.moderation import BanRecord, StrikeRecord, ban_record
from desktop.policy.settings import PolicySettings
from desktop.services.clock import policy_from

_OPEN_COMMENT = (CommentStatus.NEW, CommentStatus.ACKNOWLEDGED)


# -- comment log ---------------------------------------------------------------------------


@dataclass
class _Tally:
    ack_overdue: int = 0
    ack_oldest_due: datetime | None = None
    answer_overdue: int = 0
    answer_oldest_due: datetime | None = None
    answered_late: int = 0  # acknowledged, past the answer time
    unassigned: int = 0
    unassigned_oldest: datetime | None = None


def _earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else min(a, b)


def comment_backlogs(
    session: Session,
    as_of: datetime,
    settings: PolicySettings,
    accounts: tuple[AccountFacts, ...],
) -> tuple[CommentBacklog, ...]:
    """Three grouped counts, each led by an index on status (most of the log is closed)."""
    c = Comment
    tallies: dict[uuid.UUID, _Tally] = defaultdict(_Tally)
    # (status, acknowledge_due_at) index.
    for account_id, n, oldest in session.execute(
        select(c.account_id, func.count(), func.min(c.acknowledge_due_at))
        .where(c.status == CommentStatus.NEW, c.acknowledge_due_at < as_of)
        .group_by(c.account_id)
    ):
        tallies[account_id].ack_overdue = n
        tallies[account_id].ack_oldest_due = oldest
    # (status, answer_due_at) index. Split by status so "overdue" counts each comment once: an
    # answer is never due before the acknowledgement, so a new comment past its answer time is
    # already counted above.
    for account_id, status, n, oldest in session.execute(
        select(c.account_id, c.status, func.count(), func.min(c.answer_due_at))
        .where(c.status.in_(_OPEN_COMMENT), c.answer_due_at < as_of)
        .group_by(c.account_id, c.status)
    ):
        t = tallies[account_id]
        t.answer_overdue += n
        t.answer_oldest_due = _earliest(t.answer_oldest_due, oldest)
        if status is CommentStatus.ACKNOWLEDGED:
            t.answered_late += n
    # (assignee_id, status) index. The wait counts like the service levels: business time,
    # or the 24/7 clock for a comment an emergency covers (its clock started then).
    limit = timedelta(hours=settings.comment_unassigned_hours)
    calendar = policy_from(settings, session.scalars(select(Closure.day)).all()).calendar
    business_cut = calendar.subtract_business_time(as_of, limit)
    waited = or_(
        and_(c.emergency_id.is_(None), c.clock_start_at < business_cut),
        and_(c.emergency_id.is_not(None), c.clock_start_at < as_of - limit),
    )
    for account_id, n, oldest in session.execute(
        select(c.account_id, func.count(), func.min(c.clock_start_at))
        .where(c.assignee_id.is_(None), c.status.in_(_OPEN_COMMENT), waited)
        .group_by(c.account_id)
    ):
        tallies[account_id].unassigned = n
        tallies[account_id].unassigned_oldest = oldest

    by_id = {a.id: a for a in accounts}
    backlogs = [
        CommentBacklog(
            account_id=a.id,
            platform=a.platform,
            handle=a.handle,
            ack_overdue=t.ack_overdue,
            ack_oldest_due=t.ack_oldest_due,
            answer_overdue=t.answer_overdue,
            answer_oldest_due=t.answer_oldest_due,
            unassigned=t.unassigned,
            unassigned_oldest=t.unassigned_oldest,
            overdue=t.ack_overdue + t.answered_late,
        )
        for account_id, t in tallies.items()
        # Every comment belongs to an account read in the same transaction.
        if (a := by_id.get(str(account_id))) is not None
    ]
    backlogs.sort(key=lambda b: (b.platform, b.handle.lower()))
    return tuple(backlogs)


# -- moderation ----------------------------------------------------------------------------


def repeat_commenters(
    session: Session, as_of: datetime, settings: PolicySettings
) -> tuple[CommenterFacts, ...]:
    start = as_of - timedelta(days=settings.strike_window_days)
    in_window = and_(Strike.recorded_at >= start, Strike.recorded_at <= as_of)
    candidates = (
        select(Strike.commenter_id, Strike.platform)
        .where(in_window)
        .group_by(Strike.commenter_id, Strike.platform)
        .having(func.count() >= settings.strike_threshold)
        .subquery()
    )
    joined = and_(
        candidates.c.commenter_id == Strike.commenter_id,
        candidates.c.platform == Strike.platform,
    )
    strikes: dict[tuple[uuid.UUID, Platform], list[StrikeRecord]] = defaultdict(list)
    for cid, platform, at, category in session.execute(
        select(Strike.commenter_id, Strike.platform, Strike.recorded_at, Strike.category)
        .join(candidates, joined)
        .where(in_window)
        .order_by(Strike.recorded_at)
    ):
        strikes[(cid, platform)].append(StrikeRecord(at, category))
    if not strikes:
        return ()
    bans: dict[tuple[uuid.UUID, Platform], list[BanRecord]] = defaultdict(list)
    for cid, platform, kind, status, starts, ends, proposed, decided in session.execute(
        select(
            Ban.commenter_id,
            Ban.platform,
            Ban.kind,
            Ban.status,
            Ban.starts_at,
            Ban.ends_at,
            Ban.proposed_at,
            Ban.decided_at,
        )
        .join(
            candidates,
            and_(
                candidates.c.commenter_id == Ban.commenter_id,
                candidates.c.platform == Ban.platform,
            ),
        )
        .order_by(Ban.proposed_at)
    ):
        bans[(cid, platform)].append(ban_record(kind, status, starts, ends, proposed, decided))
    names = {
        cid: (handle, display)
        for cid, handle, display in session.execute(
            select(Commenter.id, Commenter.handle, Commenter.display_name).where(
                Commenter.id.in_(select(candidates.c.commenter_id))
            )
        )
    }
    return tuple(
        CommenterFacts(
            id=str(cid),
            platform=platform,
            handle=names[cid][0],
            display_name=names[cid][1],
            strikes=tuple(records),
            bans=tuple(bans.get((cid, platform), ())),
        )
        for (cid, platform), records in strikes.items()
    )


def active_bans(session: Session) -> tuple[BanFacts, ...]:
    rows = session.execute(
        select(
            Ban.id,
            Ban.commenter_id,
            Commenter.handle,
            Ban.platform,
            Ban.kind,
            Ban.status,
            Ban.starts_at,
            Ban.ends_at,
        )
        .join(Commenter, Commenter.id == Ban.commenter_id)
        .where(Ban.status == BanStatus.ACTIVE)
        .order_by(Ban.ends_at)
    )
    return tuple(
        BanFacts(str(bid), str(cid), handle, platform, BanRecord(kind, status, starts, ends))
        for bid, cid, handle, platform, kind, status, starts, ends in rows
    )
