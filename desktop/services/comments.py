"""Use cases of the comment response log: log, assign, acknowledge, respond, close, hide."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from desktop.enums import (
    CloseReason,
    CommentKind,
    CommentStatus,
    Platform,
    RemovalCategory,
    ResponseMethod,
)
from desktop.errors import ConflictError, DomainError, NotFound
from desktop.models import Account, Comment, Commenter, Ministry, Person, Response
from desktop.models.base import new_id
from desktop.policy.sla import DueTimes
from desktop.services import validation as v
from desktop.services.authz import Permission, require
from desktop.services.clock import due_for
from desktop.services.comment_replies import check_response, referral_text
from desktop.services.comment_work.scope import require_comment_work, work_refusal
from desktop.services.context import ServiceContext, Work, load_settings, resolve_actor
from desktop.services.reply_media.media import MediaInput, attach_media
from desktop.services.serialize import diff, snapshot

S = CommentStatus
# A comment still being worked on; closed, hidden and deleted ones are done.
WORKABLE = frozenset({S.NEW, S.ACKNOWLEDGED, S.ANSWERED})


class DueCounts(NamedTuple):
    """What the status bar shows: comments to acknowledge soon, and overdue comments."""

    due_soon_to_acknowledge: int
    overdue: int


class CommentService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- reads -----------------------------------------------------------------------------

    def preview_due(self, account_id: uuid.UUID, received_at: datetime) -> DueTimes:
        """The due times a comment received at ``received_at`` would get, for the log dialog."""
        with self.ctx.read() as session:
            _require_reader(self.ctx, session)
            _check_received(received_at, self.ctx.now())
            _account(session, account_id)
            return due_for(session, account_id, received_at)[0]

    def due_counts(self, as_of: datetime, due_soon_minutes: int | None = None) -> DueCounts:
        """Counts on the indexed due columns: new comments to acknowledge within the warning
        window, and open comments past a due time."""
        _aware(as_of, "The time to count at", "as_of")
        with self.ctx.read() as session:
            _require_reader(self.ctx, session)
            if due_soon_minutes is None:
                due_soon_minutes = load_settings(session).due_soon_minutes
            soon_end = as_of + timedelta(minutes=due_soon_minutes)
            due_soon = session.scalar(
                select(func.count())
                .select_from(Comment)
                .where(
                    Comment.status == S.NEW,
                    Comment.acknowledge_due_at >= as_of,
                    Comment.acknowledge_due_at < soon_end,
                )
            )
            overdue_new = session.scalar(
                select(func.count())
                .select_from(Comment)
                .where(
                    Comment.status == S.NEW,
                    or_(Comment.acknowledge_due_at < as_of, Comment.answer_due_at < as_of),
                )
            )
            overdue_acknowledged = session.scalar(
                select(func.count())
                .select_from(Comment)
                .where(Comment.status == S.ACKNOWLEDGED, Comment.answer_due_at < as_of)
            )
            return DueCounts(due_soon or 0, (overdue_new or 0) + (overdue_acknowledged or 0))

    def high_profile_referral_text(self, ministry_id: uuid.UUID) -> str:
        """The policy's standard reply to high-profile members of the community and media,
        filled from the ministry's key contacts (a Minister's office contact preferred)."""
        with self.ctx.read() as session:
            _require_reader(self.ctx, session)
            return referral_text(session, ministry_id)

    # -- writes ----------------------------------------------------------------------------

    def log(
        self,
        account_id: uuid.UUID,
        received_at: datetime,
        text: str,
        author_name: str = "",
        author_handle: str = "",
        url: str = "",
        kind: CommentKind | str = CommentKind.QUESTION,
        high_profile: bool = False,
        routed_ministry_id: uuid.UUID | None = None,
        assignee_id: uuid.UUID | None = None,
    ) -> Comment:
        """Record a citizen's comment with its due times (24/7 ones if an emergency covers it)."""
        with self.ctx.write() as work:
            _check_received(received_at, work.at)
            account = _account(work.session, account_id)
            _require_work(work, account)
            comment_kind = v.choice(kind, CommentKind, "Kind", field="kind")
            handle = v.text(
                author_handle, "Author handle", field="author_handle", required=False, max_len=120
            ).lstrip("@")
            name = v.text(author_name, "Author name", field="author_name", required=False)
            body = v.text(text, "Comment text", field="text", max_len=10_000)
            link = v.url(url, "Comment link", field="url")
            if routed_ministry_id is not None and not work.session.get(
                Ministry, routed_ministry_id
            ):
                raise DomainError("The ministry to route to does not exist.", "routed_ministry_id")
            if assignee_id is not None:
                _assignee(work, assignee_id, account)
            due, emergency = due_for(work.session, account.id, received_at)
            commenter = commenter_for(work, account.platform, handle, name) if handle else None
            comment = Comment(
                id=new_id(),
                account_id=account.id,
                commenter_id=commenter.id if commenter else None,
                received_at=received_at,
                author_name=name,
                author_handle=handle,
                text=body,
                url=link,
                kind=comment_kind,
                routed_ministry_id=routed_ministry_id,
                assignee_id=assignee_id,
                status=S.NEW,
                # Media questions follow the high-profile referral rule.
                high_profile=high_profile or comment_kind == CommentKind.MEDIA,
                emergency_id=emergency.id if emergency else None,
                clock_start_at=due.clock_start,
                acknowledge_due_at=due.acknowledge_by,
                answer_due_at=due.answer_by,
                logged_by_id=work.actor.id,
            )
            work.session.add(comment)
            work.audit("comment.log", "comment", comment.id, after=snapshot(comment))
            return comment

    def assign(
        self, comment_id: uuid.UUID, person_id: uuid.UUID | None, *, version: int | None = None
    ) -> Comment:
        """Give the comment to a person who handles comments (None takes it back)."""
        with self.ctx.write() as work:
            comment = self._workable(work, comment_id, version, "assigned")
            if person_id is not None:
                _assignee(work, person_id, _account(work.session, comment.account_id))
            before = {"assignee_id": _str(comment.assignee_id)}
            comment.assignee_id = person_id
            work.audit(
                "comment.assign", "comment", comment.id, before, {"assignee_id": _str(person_id)}
            )
            return comment

    def acknowledge(self, comment_id: uuid.UUID, *, version: int | None = None) -> Comment:
        with self.ctx.write() as work:
            comment = self._get(work, comment_id, version)
            if comment.status != S.NEW:
                if comment.acknowledged_at is not None:
                    raise DomainError(
                        f"This comment was already acknowledged at "
                        f"{comment.acknowledged_at:%Y-%m-%d %H:%M} UTC."
                    )
                raise DomainError(
                    f"This comment is {_status_text(comment)}; only new comments can be "
                    "acknowledged."
                )
            comment.status = S.ACKNOWLEDGED
            comment.acknowledged_at = work.at
            work.audit(
                "comment.acknowledge",
                "comment",
                comment.id,
                {"status": S.NEW.value},
                {"status": S.ACKNOWLEDGED.value, "acknowledged_at": work.at.isoformat()},
            )
            return comment

    def respond(
        self,
        comment_id: uuid.UUID,
        method: ResponseMethod | str,
        text: str = "",
        link_url: str = "",
        phone: str = "",
        restricted_topics_cleared: bool = False,
        high_profile_referral: bool = False,
        *,
        version: int | None = None,
        media: Sequence[MediaInput] = (),
    ) -> Response:
        """Record a reply by one of the policy's four methods; the comment becomes answered.

        ``media``: the images and videos the reply includes, each acknowledged (copyright)."""
        how = v.choice(method, ResponseMethod, "Response method", field="method")
        with self.ctx.write() as work:
            comment = self._workable(work, comment_id, version, "answered")
            body = v.text(text, "Reply text", field="text", required=False, max_len=8000)
            if comment.high_profile and not high_profile_referral:
                raise DomainError(
                    "This comment is from a high-profile member of the community or the media: "
                    "reply with the standard referral to the Minister's office.",
                    "high_profile_referral",
                )
            generated = high_profile_referral and not body
            if generated:
                ministry_id = comment.routed_ministry_id or _account_ministry(work, comment)
                body = referral_text(work.session, ministry_id)
            response = Response(
                id=new_id(),
                comment_id=comment.id,
                responder_id=work.actor.id,
                method=how,
                text=body,
                link_url=v.url(
                    link_url, "Web link", field="link_url", required=how == ResponseMethod.WEB_LINK
                ),
                phone=v.phone(
                    phone,
                    "Phone number",
                    field="phone",
                    required=how == ResponseMethod.PHONE_NUMBER,
                ),
                responded_at=work.at,
                restricted_topics_cleared=restricted_topics_cleared,
                high_profile_referral=high_profile_referral,
            )
            check_response(response, generated=generated)
            before = _state(comment)
            comment.status = S.ANSWERED
            comment.acknowledged_at = comment.acknowledged_at or work.at
            comment.answered_at = comment.answered_at or work.at
            work.session.add(response)
            old, new = diff(before, _state(comment))
            new["response"] = snapshot(response)
            if media:
                new["media"] = attach_media(work, response, media)
            work.audit("comment.respond", "comment", comment.id, old, new)
            return response

    def close(
        self, comment_id: uuid.UUID, reason: CloseReason | str, *, version: int | None = None
    ) -> Comment:
        """Close a comment: answered ones, or negative and rhetorical ones needing no reply."""
        why = v.choice(reason, CloseReason, "Reason", field="reason")
        with self.ctx.write() as work:
            comment = self._workable(work, comment_id, version, "closed")
            if why == CloseReason.REMOVED:
                raise DomainError(
                    "To remove a comment, hide it with the removal category it breaks.", "reason"
                )
            if why == CloseReason.ANSWERED and comment.status != S.ANSWERED:
                raise DomainError(
                    "This comment has no answer yet: record the reply first, or close it as "
                    "'no response needed' or 'referred to Communications'.",
                    "reason",
                )
            before = _state(comment)
            comment.status = S.CLOSED
            comment.close_reason = why
            comment.closed_at = work.at
            work.audit("comment.close", "comment", comment.id, *diff(before, _state(comment)))
            return comment

    def hide(
        self,
        comment_id: uuid.UUID,
        category: RemovalCategory | str,
        *,
        version: int | None = None,
    ) -> Comment:
        """Hide a comment that breaks the public conduct policy, recording which rule."""
        what = v.choice(category, RemovalCategory, "Removal category", field="category")
        with self.ctx.write() as work:
            comment = self._get(work, comment_id, version)
            before = _state(comment)
            hide_comment(comment, what, work.at)
            work.audit("comment.hide", "comment", comment.id, *diff(before, _state(comment)))
            return comment

    # -- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _get(work: Work, comment_id: uuid.UUID, version: int | None) -> Comment:
        comment = work.get(Comment, comment_id, "Comment")
        _require_work(work, _account(work.session, comment.account_id))
        if version is not None and comment.version != version:
            raise ConflictError(
                "Someone else changed this comment after you opened it. "
                "Reload it and make your change again."
            )
        return comment

    def _workable(
        self, work: Work, comment_id: uuid.UUID, version: int | None, verb: str
    ) -> Comment:
        comment = self._get(work, comment_id, version)
        if comment.status not in WORKABLE:
            raise DomainError(f"This comment is {_status_text(comment)}; it cannot be {verb}.")
        return comment


# -- shared with the moderation service -----------------------------------------------------


def commenter_for(work: Work, platform: Platform, handle: str, name: str = "") -> Commenter:
    """The commenter with this handle on this platform (case-insensitive), created if new.

    Two officers logging the same new commenter at once get the same row: the insert yields to
    a concurrent twin (``ON CONFLICT DO NOTHING`` on the case-insensitive unique index), and
    the row is read back whoever wrote it.
    """
    session = work.session
    wanted = select(Commenter).where(
        Commenter.platform == platform, func.lower(Commenter.handle) == handle.lower()
    )
    found = session.scalar(wanted)
    if found is None:
        dialect = session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        new = new_id()
        session.execute(
            insert(Commenter)
            .values(id=new, platform=platform, handle=handle, display_name=name)
            .on_conflict_do_nothing()
        )
        work.touch(Commenter, [(new,)])
        found = session.scalar(wanted)
        if found is None:  # pragma: no cover - the twin's row is committed before ours yields
            raise ConflictError("This commenter was being added at the same moment; try again.")
    if name and not found.display_name:
        found.display_name = name
    return found


def hide_comment(comment: Comment, category: RemovalCategory, at: datetime) -> None:
    if comment.status in (S.HIDDEN, S.DELETED):
        raise DomainError(f"This comment is already {_status_text(comment)}.")
    comment.status = S.HIDDEN
    comment.hidden_category = category
    comment.close_reason = CloseReason.REMOVED
    comment.closed_at = at


def _require_reader(ctx: ServiceContext, session: Session) -> None:
    require(resolve_actor(session, ctx.login).roles, Permission.READ_ALL)


def _check_received(received_at: datetime, now: datetime) -> None:
    _aware(received_at, "The received time", "received_at")
    if received_at > now:
        raise DomainError(
            f"The received time {received_at:%Y-%m-%d %H:%M} is in the future; "
            "give the time the comment was posted.",
            "received_at",
        )


def _aware(value: datetime, label: str, field: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise DomainError(f"{label} needs a time zone (e.g. America/Regina).", field)


def _account(session: Session, account_id: uuid.UUID) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound(f"Account {account_id} does not exist (it may have been removed).")
    return account


def _account_ministry(work: Work, comment: Comment) -> uuid.UUID:
    return work.get(Account, comment.account_id, "Account").ministry_id


def _require_work(work: Work, account: Account) -> None:
    a = work.actor
    require_comment_work(work.session, a.id, a.roles, account, work.at)


def _assignee(work: Work, person_id: uuid.UUID, account: Account) -> Person:
    person = work.session.get(Person, person_id)
    if person is None or not person.active:
        raise DomainError("Assign the comment to an active person.", "assignee_id")
    if work_refusal(work.session, person.id, person.roles, account, work.at, you=False):
        raise DomainError(
            f"{person.name} does not handle comments on {account.label}; assign it to a "
            "communications officer or director"
            + (
                ", or to Executive Council or the Minister's Office (a central account)."
                if account.is_central
                else "."
            ),
            "assignee_id",
        )
    return person


def _state(comment: Comment) -> dict[str, object]:
    row = snapshot(comment)
    return {
        key: row[key]
        for key in (
            "status",
            "acknowledged_at",
            "answered_at",
            "closed_at",
            "close_reason",
            "hidden_category",
        )
    }


def _status_text(comment: Comment) -> str:
    if comment.status == S.HIDDEN and comment.hidden_category:
        return f"hidden ({comment.hidden_category.label.lower()})"
    if comment.status == S.CLOSED and comment.close_reason:
        return f"closed ({comment.close_reason.value.replace('_', ' ')})"
    return comment.status.value


def _str(value: uuid.UUID | None) -> str | None:
    return str(value) if value else None
