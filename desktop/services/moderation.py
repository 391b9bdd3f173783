"""Use cases of moderation: strikes with their evidence, the "3 strikes" ban proposals,
decisions on them, lifting and expiry.

Deciding and lifting a ban need the same permission as recording strikes (HANDLE_COMMENTS):
the policy leaves bans to the administrator's discretion and names no separate approver.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from desktop.enums import BanKind, BanStatus, CommentStatus, Platform, RemovalCategory
from desktop.errors import DomainError
from desktop.models import Account, Ban, Comment, Commenter, Strike
from desktop.models.base import new_id
from desktop.policy import moderation as rules
from desktop.services import validation as v
from desktop.services.authz import Permission, require
from desktop.services.comment_work.scope import require_comment_work
from desktop.services.comments import hide_comment
from desktop.services.context import ServiceContext, Work, resolve_actor
from desktop.services.serialize import snapshot


@dataclass(frozen=True)
class StrikeResult:
    """What recording a strike led to."""

    strike: Strike
    ban_proposal: Ban | None
    strikes_in_window: int


class ModerationService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def record_strike(
        self,
        comment_id: uuid.UUID | None = None,
        *,
        commenter_id: uuid.UUID | None = None,
        platform: Platform | str | None = None,
        category: RemovalCategory | str,
        evidence_text: str | None = None,
        evidence_url: str | None = None,
    ) -> StrikeResult:
        """Record one instance of abuse against a commenter, hiding the comment it was in.

        The comment's text and link are copied as evidence, so they survive its removal. When
        the strikes reach the threshold a ban is proposed in the same transaction.
        """
        what = v.choice(category, RemovalCategory, "Removal category", field="category")
        with self.ctx.write() as work:
            comment = work.get(Comment, comment_id, "Comment") if comment_id else None
            if comment is None:
                work.require(Permission.HANDLE_COMMENTS)
            else:
                # A strike on a comment is comment work: the central accounts' monitors and
                # the emergency's on-call people record them too.
                account = work.get(Account, comment.account_id, "Account")
                actor = work.actor
                require_comment_work(work.session, actor.id, actor.roles, account, work.at)
            commenter, where = self._target(work, comment, commenter_id, platform)
            text = (evidence_text or "").strip() or (comment.text if comment else "")
            if not text:
                raise DomainError(
                    "Copy the offending text as evidence: it must be kept even after the "
                    "comment is removed.",
                    "evidence_text",
                )
            strike = Strike(
                id=new_id(),
                commenter_id=commenter.id,
                platform=where,
                comment_id=comment.id if comment else None,
                category=what,
                evidence_text=text,
                evidence_url=v.url(
                    (evidence_url or "").strip() or (comment.url if comment else ""),
                    "Evidence link",
                    field="evidence_url",
                ),
                recorded_by_id=work.actor.id,
                recorded_at=work.at,
            )
            work.session.add(strike)
            hid = comment is not None and comment.status not in (
                CommentStatus.HIDDEN,
                CommentStatus.DELETED,
            )
            if comment is not None and hid:
                hide_comment(comment, what, work.at)
            work.session.flush()
            proposal, in_window = self._proposal(work, commenter.id, where)
            after = snapshot(strike)
            after["comment_hidden"] = hid
            after["strikes_in_window"] = in_window
            after["ban_proposal"] = snapshot(proposal) if proposal else None
            work.audit("strike.record", "strike", strike.id, after=after)
            return StrikeResult(strike, proposal, in_window)

    def decide_ban(self, ban_id: uuid.UUID, approve: bool, reason: str = "") -> Ban:
        """Approve a proposed ban (it starts now) or decline it, with the reason kept. A decline
        ends the strike episode: no new proposal until a strike recorded after it."""
        why = v.text(reason, "Reason", field="reason", required=False, max_len=2000)
        with self.ctx.write() as work:
            work.require(Permission.HANDLE_COMMENTS)
            ban = work.get(Ban, ban_id, "Ban")
            if ban.status != BanStatus.PROPOSED:
                raise DomainError(
                    f"This ban is {ban.status.value}; only a proposed ban can be approved or "
                    "declined."
                )
            before = _ban_state(ban)
            ban.decided_by_id = work.actor.id
            ban.decided_at = work.at
            if approve:
                ban.status = BanStatus.ACTIVE
                ban.starts_at = work.at
                ban.ends_at = (
                    work.at + timedelta(days=work.settings.ban_days)
                    if ban.kind == BanKind.TEMPORARY
                    else None
                )
            else:
                ban.status = BanStatus.DECLINED
            if why:
                verb = "Approved" if approve else "Declined"
                ban.reason = f"{ban.reason}\n{verb}: {why}".strip()
            action = "ban.approve" if approve else "ban.decline"
            work.audit(action, "ban", ban.id, before, _ban_state(ban))
            return ban

    def lift_ban(self, ban_id: uuid.UUID, reason: str) -> Ban:
        """End an active ban early; the reason is kept with the ban."""
        why = v.text(reason, "Reason for lifting the ban", field="reason", max_len=2000)
        with self.ctx.write() as work:
            work.require(Permission.HANDLE_COMMENTS)
            ban = work.get(Ban, ban_id, "Ban")
            if ban.status != BanStatus.ACTIVE:
                raise DomainError(
                    f"This ban is {ban.status.value}; only an active ban can be lifted."
                )
            before = _ban_state(ban)
            ban.status = BanStatus.LIFTED
            ban.lifted_by_id = work.actor.id
            ban.lifted_at = work.at
            ban.reason = f"{ban.reason}\nLifted: {why}".strip()
            after = _ban_state(ban)
            after["lift_reason"] = why
            work.audit("ban.lift", "ban", ban.id, before, after)
            return ban

    def expire_bans(self, as_of: datetime) -> int:
        """Mark active temporary bans whose end has passed as expired; returns how many."""
        if as_of.tzinfo is None or as_of.utcoffset() is None:
            raise DomainError("The time to expire bans at needs a time zone.", "as_of")
        due = (
            select(Ban)
            .where(
                Ban.status == BanStatus.ACTIVE,
                Ban.kind == BanKind.TEMPORARY,
                Ban.ends_at <= as_of,
            )
            .order_by(Ban.ends_at, Ban.id)
        )
        # Nothing to expire is the usual case: no write transaction, no empty audit event.
        with self.ctx.read() as session:
            require(resolve_actor(session, self.ctx.login).roles, Permission.HANDLE_COMMENTS)
            if as_of > self.ctx.now():
                raise DomainError("Bans cannot be expired ahead of time.", "as_of")
            if session.scalars(due.limit(1)).first() is None:
                return 0
        with self.ctx.write() as work:
            work.require(Permission.HANDLE_COMMENTS)
            bans = work.session.scalars(due).all()
            for ban in bans:
                ban.status = BanStatus.EXPIRED
            work.audit(
                "ban.expire",
                "ban",
                as_of.isoformat(),
                {"status": BanStatus.ACTIVE.value},
                {"status": BanStatus.EXPIRED.value, "bans": [str(b.id) for b in bans]},
            )
            return len(bans)

    # -- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _target(
        work: Work,
        comment: Comment | None,
        commenter_id: uuid.UUID | None,
        platform: Platform | str | None,
    ) -> tuple[Commenter, Platform]:
        """The commenter and platform a strike counts against."""
        if comment is not None:
            where = work.get(Account, comment.account_id, "Account").platform
            chosen = commenter_id or comment.commenter_id
            if chosen is None:
                raise DomainError(
                    "This comment has no author handle, so there is nobody to record the strike "
                    "against: choose the commenter.",
                    "commenter_id",
                )
            if comment.commenter_id and commenter_id and commenter_id != comment.commenter_id:
                raise DomainError(
                    "The chosen commenter is not the author of this comment.", "commenter_id"
                )
        else:
            if commenter_id is None or platform is None:
                raise DomainError(
                    "Name the comment, or the commenter and the platform, the strike is for.",
                    "comment_id",
                )
            where = v.choice(platform, Platform, "Platform", field="platform")
            chosen = commenter_id
        commenter = work.get(Commenter, chosen, "Commenter")
        if commenter.platform != where:
            raise DomainError(
                f"@{commenter.handle} is a {commenter.platform.label} commenter; strikes count "
                "per platform.",
                "platform",
            )
        return commenter, where

    @staticmethod
    def _proposal(
        work: Work, commenter_id: uuid.UUID, platform: Platform
    ) -> tuple[Ban | None, int]:
        s = work.settings
        window = timedelta(days=s.strike_window_days)
        strikes = [
            rules.StrikeRecord(at, category)
            for at, category in work.session.execute(
                select(Strike.recorded_at, Strike.category).where(
                    Strike.commenter_id == commenter_id, Strike.platform == platform
                )
            )
        ]
        bans = [
            rules.ban_record(
                ban.kind, ban.status, ban.starts_at, ban.ends_at, ban.proposed_at, ban.decided_at
            )
            for ban in work.session.scalars(
                select(Ban).where(Ban.commenter_id == commenter_id, Ban.platform == platform)
            )
        ]
        in_window = rules.strikes_in_window(strikes, work.at, window)
        found = rules.proposal_after_strike(
            strikes,
            bans,
            work.at,
            threshold=s.strike_threshold,
            window=window,
            ban_duration=timedelta(days=s.ban_days),
        )
        if found is None:
            return None, in_window
        ban = Ban(
            id=new_id(),
            commenter_id=commenter_id,
            platform=platform,
            kind=found.kind,
            status=BanStatus.PROPOSED,
            reason=found.reason,
            proposed_by_id=work.actor.id,
            proposed_at=work.at,
        )
        work.session.add(ban)
        work.session.flush()
        return ban, in_window


def _ban_state(ban: Ban) -> dict[str, object]:
    row = snapshot(ban)
    keys = ("status", "starts_at", "ends_at", "decided_by_id", "decided_at", "lifted_at", "reason")
    return {key: row[key] for key in keys}
