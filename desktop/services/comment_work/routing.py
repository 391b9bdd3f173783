"""Re-route a logged comment to another ministry ("Questions are monitored out of Executive
Council and routed to the appropriate ministry for a response"), audited with the reason."""

from __future__ import annotations

import uuid

from desktop.errors import ConflictError, DomainError
from desktop.models import Account, Comment, Ministry, Person
from desktop.services import validation as v
from desktop.services.comment_work.scope import require_comment_work, work_refusal
from desktop.services.comments import WORKABLE
from desktop.services.context import ServiceContext


class CommentRoutingService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def reroute(
        self,
        comment_id: uuid.UUID,
        ministry_id: uuid.UUID,
        reason: str = "",
        *,
        version: int | None = None,
    ) -> Comment:
        """Route the comment to ``ministry_id``. An assignee who may not work on the comment
        any more, or who is not of the new ministry, is taken off so the ministry assigns it."""
        why = v.text(reason, "Reason", field="reason", required=False, max_len=2000)
        with self.ctx.write() as work:
            comment = work.get(Comment, comment_id, "Comment")
            account = work.get(Account, comment.account_id, "Account")
            require_comment_work(work.session, work.actor.id, work.actor.roles, account, work.at)
            if version is not None and comment.version != version:
                raise ConflictError(
                    "Someone else changed this comment after you opened it. "
                    "Reload it and make your change again."
                )
            if comment.status not in WORKABLE:
                raise DomainError(
                    f"This comment is {comment.status.value}; only comments still being worked "
                    "on can be routed."
                )
            target = work.session.get(Ministry, ministry_id)
            if target is None or not target.active:
                raise DomainError("Route the comment to an active ministry.", "ministry_id")
            current = comment.routed_ministry_id or account.ministry_id
            if target.id == current:
                raise DomainError(
                    f"This comment is already routed to {target.name}.", "ministry_id"
                )
            before: dict[str, object] = {
                "routed_ministry_id": _s(comment.routed_ministry_id),
                "assignee_id": _s(comment.assignee_id),
            }
            comment.routed_ministry_id = target.id
            assignee = (
                work.session.get(Person, comment.assignee_id) if comment.assignee_id else None
            )
            if assignee is not None and (
                assignee.ministry_id != target.id
                or work_refusal(
                    work.session, assignee.id, assignee.roles, account, work.at, you=False
                )
            ):
                comment.assignee_id = None
            after: dict[str, object] = {
                "routed_ministry_id": str(target.id),
                "assignee_id": _s(comment.assignee_id),
                "from_ministry_id": str(current),
                "reason": why,
            }
            work.audit("comment.route", "comment", comment.id, before, after)
            return comment


def _s(value: uuid.UUID | None) -> str | None:
    return None if value is None else str(value)
