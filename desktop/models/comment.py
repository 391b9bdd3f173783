"""The citizen comment response log: comments, with stored due times, and the responses."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.enums import CloseReason, CommentKind, CommentStatus, RemovalCategory, ResponseMethod
from desktop.models.base import Base, UTCDateTime, UUIDPk, Versioned

# Recomputed in bulk by the app when the calendar, the clock settings or an emergency change
# (desktop.services.recompute): outside the record digests (docs/trust-and-sync.md §4).
DERIVED = {"record_digest": False}


class Comment(Versioned, Base):
    __tablename__ = "comments"
    # The log grows without bound: every filter and sort of the GUI has an index with the
    # primary key as tie-breaker for keyset paging.
    __table_args__ = (
        Index("ix_comments_received", "received_at", "id"),
        Index("ix_comments_ack_due", "acknowledge_due_at", "id"),
        Index("ix_comments_answer_due", "answer_due_at", "id"),
        Index("ix_comments_status_ack_due", "status", "acknowledge_due_at"),
        Index("ix_comments_status_answer_due", "status", "answer_due_at"),
        Index("ix_comments_account_received", "account_id", "received_at"),
        Index("ix_comments_assignee_status", "assignee_id", "status"),
        # "Assigned to me" and the status filters, newest first, without sorting matches.
        Index("ix_comments_assignee_received", "assignee_id", "received_at"),
        Index("ix_comments_status_received", "status", "received_at"),
        Index("ix_comments_ministry_received", "routed_ministry_id", "received_at"),
        Index("ix_comments_emergency", "emergency_id"),
        # The comment log's author and kind sorts (migration 0008).
        Index("ix_comments_author_received", "author_name", "received_at"),
        Index("ix_comments_kind_received", "kind", "received_at"),
        Index("ix_comments_commenter", "commenter_id"),
        # An imported comment is known by the platform's id: importing it again finds it.
        # (A unique index, not a constraint: SQLite adds one without rebuilding the table.)
        Index("ix_comments_account_external_id", "account_id", "external_id", unique=True),
    )

    id: Mapped[UUIDPk]
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"))
    commenter_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("commenters.id"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    author_name: Mapped[str] = mapped_column(String(200), default="")
    author_handle: Mapped[str] = mapped_column(String(120), default="")
    text: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(String(500), default="")
    kind: Mapped[CommentKind] = mapped_column(default=CommentKind.QUESTION)
    routed_ministry_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("ministries.id"))
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
    status: Mapped[CommentStatus] = mapped_column(default=CommentStatus.NEW)
    high_profile: Mapped[bool] = mapped_column(default=False)
    emergency_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("emergencies.id"), info=DERIVED
    )
    clock_start_at: Mapped[datetime] = mapped_column(UTCDateTime, info=DERIVED)
    acknowledge_due_at: Mapped[datetime] = mapped_column(UTCDateTime, info=DERIVED)
    answer_due_at: Mapped[datetime] = mapped_column(UTCDateTime, info=DERIVED)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    close_reason: Mapped[CloseReason | None]
    hidden_category: Mapped[RemovalCategory | None]
    logged_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
    external_id: Mapped[str | None] = mapped_column(String(200))  # the platform's comment id


class Response(Versioned, Base):
    """A reply to a comment by one of the policy's four methods."""

    __tablename__ = "responses"
    __table_args__ = (Index("ix_responses_external_id", "external_id", unique=True),)

    id: Mapped[UUIDPk]
    comment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("comments.id"), index=True)
    responder_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
    method: Mapped[ResponseMethod]
    text: Mapped[str] = mapped_column(Text, default="")
    link_url: Mapped[str] = mapped_column(String(500), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    responded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The officer confirmed the reply touches none of the restricted topics.
    restricted_topics_cleared: Mapped[bool] = mapped_column(default=False)
    high_profile_referral: Mapped[bool] = mapped_column(default=False)
    # The platform's id of the reply, for responses imported from the account's own comments.
    external_id: Mapped[str | None] = mapped_column(String(200))
