"""One comment in full for the detail panel: its text and facts, the responses given, and
its author's strikes and bans on that platform.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from desktop.enums import BanStatus, Platform
from desktop.errors import NotFound
from desktop.models import Account, Ban, Comment, Ministry, Person, Response, Strike
from desktop.services.reply_media.media import media_lines

if TYPE_CHECKING:
    # Only an annotation: comment_log imports this module to answer ``get``.
    from desktop.services.comment_log import CommentRow


@dataclass(frozen=True)
class ResponseView:
    method: str
    text: str
    link_url: str
    phone: str
    responded_at: datetime
    responder: str
    restricted_topics_cleared: bool
    high_profile_referral: bool
    media: tuple[str, ...] = ()  # images and videos, with their source and permission


@dataclass(frozen=True)
class StrikeView:
    category: str
    recorded_at: datetime
    recorded_by: str
    evidence_text: str
    this_comment: bool


@dataclass(frozen=True)
class CommentDetail:
    row: CommentRow
    text: str
    url: str
    author_handle: str
    account_id: uuid.UUID
    platform: Platform
    ministry_id: uuid.UUID | None
    ministry_name: str
    assignee_id: uuid.UUID | None
    logged_by: str
    clock_start_at: datetime
    closed_at: datetime | None
    close_reason: str | None
    hidden_category: str | None
    commenter_id: uuid.UUID | None
    responses: list[ResponseView] = field(default_factory=list)
    strikes: list[StrikeView] = field(default_factory=list)  # the commenter's, newest first
    active_bans: int = 0
    # Why the reader may not work on this comment (None: they may), filled by the log service.
    work_refusal: str | None = None


def load_detail(session: Session, row: CommentRow) -> CommentDetail:
    """The comment behind ``row`` with its responses, and its author's strikes and bans."""
    # The comment, its account, its ministry and who logged it in one statement (on a WAN
    # each statement is a round trip): four lookups and the logger's roles before.
    logger = aliased(Person)
    found = session.execute(
        select(Comment, Account, Ministry.id, Ministry.name, logger.name)
        .join(Account, Account.id == Comment.account_id)
        .outerjoin(
            Ministry,
            Ministry.id == func.coalesce(Comment.routed_ministry_id, Account.ministry_id),
        )
        .outerjoin(logger, logger.id == Comment.logged_by_id)
        .where(Comment.id == row.id)
    ).first()
    if found is None:
        raise NotFound(f"Comment {row.id} does not exist (it may have been removed).")
    comment, account, ministry_id, ministry_name, logged_by_name = found
    responder = aliased(Person)
    replies = session.execute(
        select(Response, responder.name)
        .outerjoin(responder, responder.id == Response.responder_id)
        .where(Response.comment_id == comment.id)
        .order_by(Response.responded_at, Response.id)
    ).all()
    media = media_lines(session, [r.id for r, _ in replies])
    responses = [
        ResponseView(
            r.method.label,
            r.text,
            r.link_url,
            r.phone,
            r.responded_at,
            name or "",
            r.restricted_topics_cleared,
            r.high_profile_referral,
            tuple(media.get(r.id, ())),
        )
        for r, name in replies
    ]
    strikes, bans = _strikes(session, comment, account.platform)
    return CommentDetail(
        row=row,
        text=comment.text,
        url=comment.url,
        author_handle=comment.author_handle,
        account_id=comment.account_id,
        platform=account.platform,
        ministry_id=ministry_id,
        ministry_name=ministry_name or "",
        assignee_id=comment.assignee_id,
        logged_by=logged_by_name or "",
        clock_start_at=comment.clock_start_at,
        closed_at=comment.closed_at,
        close_reason=comment.close_reason.value if comment.close_reason else None,
        hidden_category=comment.hidden_category.label if comment.hidden_category else None,
        commenter_id=comment.commenter_id,
        responses=responses,
        strikes=strikes,
        active_bans=bans,
    )


def _strikes(
    session: Session, comment: Comment, platform: Platform
) -> tuple[list[StrikeView], int]:
    recorder = aliased(Person)
    if comment.commenter_id is not None:
        which: ColumnElement[bool] = or_(
            Strike.comment_id == comment.id,
            and_(Strike.commenter_id == comment.commenter_id, Strike.platform == platform),
        )
    else:
        which = Strike.comment_id == comment.id
    strikes = [
        StrikeView(
            s.category.label,
            s.recorded_at,
            name or "",
            s.evidence_text,
            s.comment_id == comment.id,
        )
        for s, name in session.execute(
            select(Strike, recorder.name)
            .outerjoin(recorder, recorder.id == Strike.recorded_by_id)
            .where(which)
            .order_by(Strike.recorded_at.desc(), Strike.id)
        )
    ]
    bans = 0
    if comment.commenter_id is not None:
        bans = int(
            session.scalar(
                select(func.count())
                .select_from(Ban)
                .where(
                    Ban.commenter_id == comment.commenter_id,
                    Ban.platform == platform,
                    Ban.status == BanStatus.ACTIVE,
                )
            )
            or 0
        )
    return strikes, bans
