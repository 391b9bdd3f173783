from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy import delete, select

from desktop.enums import BanKind, BanStatus, CommentStatus, Platform, RemovalCategory
from desktop.errors import DomainError, NotFound, PermissionDenied
from desktop.models import Account, AuditEvent, Ban, Comment, Strike
from desktop.services.comments import CommentService
from desktop.services.context import ServiceContext
from desktop.services.moderation import ModerationService, StrikeResult
from tests.factories import Cast

NON_HANDLERS = ["council", "council2", "minister", "agency", "auditor"]


def _ctx(cast: Cast, who: str, when: datetime) -> ServiceContext:
    return ServiceContext(cast.db, cast.people[who].login, clock=lambda: when)


def _account(cast: Cast) -> Account:
    with cast.db.read() as s:
        found = s.scalar(select(Account).where(Account.handle == "SKHealth"))
    return found or cast.account()


def _abusive(
    cast: Cast,
    handle: str = "troll",
    text: str = "You are all idiots",
    when: datetime | None = None,
) -> Comment:
    at = when or cast.clock()
    return CommentService(_ctx(cast, "officer", at)).log(
        _account(cast).id,
        at - timedelta(minutes=5),
        text,
        author_handle=handle,
        url="https://www.facebook.com/SKHealth/posts/1?comment=9",
    )


def _strike(
    cast: Cast,
    when: datetime | None = None,
    category: RemovalCategory = RemovalCategory.HARASSMENT,
    handle: str = "troll",
) -> StrikeResult:
    at = when or cast.clock()
    comment = _abusive(cast, handle, when=at)
    return ModerationService(_ctx(cast, "officer", at)).record_strike(comment.id, category=category)


def test_three_strikes_propose_a_temporary_ban(cast: Cast) -> None:
    first = _strike(cast)
    second = _strike(cast, category=RemovalCategory.THREATS)
    assert (first.strikes_in_window, first.ban_proposal) == (1, None)
    assert (second.strikes_in_window, second.ban_proposal) == (2, None)
    third = _strike(cast)
    assert third.strikes_in_window == 3
    ban = third.ban_proposal
    assert ban is not None
    assert (ban.kind, ban.status, ban.platform) == (
        BanKind.TEMPORARY,
        BanStatus.PROPOSED,
        Platform.FACEBOOK,
    )
    assert ban.commenter_id == third.strike.commenter_id
    assert (
        ban.reason == "3 strikes within 365 days (harassment, threats): temporary ban for 30 days."
    )
    with cast.db.read() as s:
        event = s.scalars(
            select(AuditEvent).where(AuditEvent.entity_id == str(third.strike.id))
        ).one()
    after = json.loads(event.after)
    assert event.action == "strike.record"
    assert after["ban_proposal"]["status"] == "proposed"
    assert after["ban_proposal"]["id"] == str(ban.id)
    assert after["strikes_in_window"] == 3
    # A fourth strike while the proposal waits does not pile up another one.
    assert _strike(cast).ban_proposal is None


def test_strikes_count_per_commenter_and_within_the_window(cast: Cast) -> None:
    old = cast.clock() - timedelta(days=400)
    _strike(cast, when=old)
    _strike(cast, when=old)
    _strike(cast, handle="someone_else")
    result = _strike(cast)
    assert (result.strikes_in_window, result.ban_proposal) == (1, None)


def test_evidence_is_kept_after_the_comment_is_hidden_and_deleted(cast: Cast) -> None:
    comment = _abusive(cast, text="Here is her home address: 12 Main St")
    result = ModerationService(cast.ctx("officer")).record_strike(
        comment.id, category=RemovalCategory.PERSONAL_INFORMATION
    )
    strike = result.strike
    assert strike.evidence_text == "Here is her home address: 12 Main St"
    assert strike.evidence_url == "https://www.facebook.com/SKHealth/posts/1?comment=9"
    assert (strike.recorded_by_id, strike.recorded_at) == (
        cast.people["officer"].id,
        cast.clock(),
    )
    with cast.db.read() as s:
        hidden = s.get(Comment, comment.id)
        assert hidden is not None
        assert hidden.status == CommentStatus.HIDDEN
        assert hidden.hidden_category == RemovalCategory.PERSONAL_INFORMATION
    with cast.db.write() as s:  # the platform deletes it; the log follows
        s.execute(delete(Comment).where(Comment.id == comment.id))
    with cast.db.read() as s:
        kept = s.get(Strike, strike.id)
        assert kept is not None
        assert kept.comment_id is None
        assert kept.evidence_text == "Here is her home address: 12 Main St"


def test_strike_on_an_already_hidden_comment_keeps_its_category(cast: Cast) -> None:
    comment = _abusive(cast)
    CommentService(cast.ctx("officer")).hide(comment.id, RemovalCategory.SPAM)
    result = ModerationService(cast.ctx("officer")).record_strike(
        comment.id, category="spam", evidence_text="Edited evidence"
    )
    assert result.strike.evidence_text == "Edited evidence"
    with cast.db.read() as s:
        event = s.scalars(
            select(AuditEvent).where(AuditEvent.entity_id == str(result.strike.id))
        ).one()
    assert json.loads(event.after)["comment_hidden"] is False


def test_banned_before_then_three_strikes_proposes_permanent_removal(cast: Cast) -> None:
    for _ in range(3):
        proposal = _strike(cast).ban_proposal
    assert proposal is not None
    ModerationService(cast.ctx("comms")).decide_ban(proposal.id, approve=True)
    later = cast.clock() + timedelta(days=40)
    for day in range(3):
        result = _strike(cast, when=later + timedelta(days=day))
    assert result.strikes_in_window == 6
    again = result.ban_proposal
    assert again is not None
    assert (again.kind, again.status) == (BanKind.PERMANENT, BanStatus.PROPOSED)
    assert "since an earlier ban" in again.reason
    assert "permanent removal" in again.reason


def test_strikes_before_a_ban_are_spent(cast: Cast) -> None:
    for _ in range(3):
        proposal = _strike(cast).ban_proposal
    assert proposal is not None
    ModerationService(cast.ctx("officer")).decide_ban(proposal.id, approve=True)
    later = cast.clock() + timedelta(days=40)
    assert _strike(cast, when=later).ban_proposal is None
    assert _strike(cast, when=later).ban_proposal is None


def test_decide_ban_approve_and_decline(cast: Cast) -> None:
    for _ in range(3):
        proposal = _strike(cast).ban_proposal
    assert proposal is not None
    active = ModerationService(cast.ctx("dci")).decide_ban(proposal.id, approve=True)
    assert active.status == BanStatus.ACTIVE
    assert active.starts_at == cast.clock()
    assert active.ends_at == cast.clock() + timedelta(days=30)
    assert active.decided_by_id == cast.people["dci"].id
    with pytest.raises(DomainError, match="This ban is active; only a proposed ban"):
        ModerationService(cast.ctx("dci")).decide_ban(proposal.id, approve=False)

    for _ in range(3):
        other = _strike(cast, handle="spammer").ban_proposal
    assert other is not None
    declined = ModerationService(cast.ctx("officer")).decide_ban(other.id, approve=False)
    assert (declined.status, declined.starts_at) == (BanStatus.DECLINED, None)
    # Declining was a decision on the strikes known then; a later strike asks again.
    later = cast.clock() + timedelta(hours=1)
    renewed = _strike(cast, when=later, handle="spammer").ban_proposal
    assert renewed is not None
    assert renewed.kind == BanKind.TEMPORARY
    with pytest.raises(NotFound, match="does not exist"):
        ModerationService(cast.ctx("officer")).decide_ban(uuid.uuid4(), approve=True)


def test_lift_ban_needs_a_reason_and_an_active_ban(cast: Cast) -> None:
    for _ in range(3):
        proposal = _strike(cast).ban_proposal
    assert proposal is not None
    service = ModerationService(cast.ctx("officer"))
    with pytest.raises(DomainError, match="only an active ban can be lifted"):
        service.lift_ban(proposal.id, "Apologised")
    service.decide_ban(proposal.id, approve=True)
    with pytest.raises(DomainError, match="Reason for lifting the ban is required") as err:
        service.lift_ban(proposal.id, "  ")
    assert err.value.field == "reason"
    lifted = service.lift_ban(proposal.id, "Apologised in writing")
    assert lifted.status == BanStatus.LIFTED
    assert lifted.lifted_at == cast.clock()
    assert lifted.reason.endswith("Lifted: Apologised in writing")


def test_expire_bans_marks_ended_temporary_bans_in_one_event(cast: Cast) -> None:
    proposals = []
    for handle in ("troll", "spammer"):
        for _ in range(3):
            proposal = _strike(cast, handle=handle).ban_proposal
        assert proposal is not None
        proposals.append(ModerationService(cast.ctx("officer")).decide_ban(proposal.id, True))
    service = ModerationService(_ctx(cast, "officer", cast.clock() + timedelta(days=31)))
    assert service.expire_bans(cast.clock() + timedelta(days=29)) == 0
    assert service.expire_bans(cast.clock() + timedelta(days=30)) == 2
    assert service.expire_bans(cast.clock() + timedelta(days=31)) == 0
    with cast.db.read() as s:
        statuses = {b.status for b in s.scalars(select(Ban))}
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "ban.expire")).all()
    assert statuses == {BanStatus.EXPIRED}
    assert len(events) == 1
    assert sorted(json.loads(events[0].after)["bans"]) == sorted(str(b.id) for b in proposals)
    with pytest.raises(DomainError, match="ahead of time"):
        service.expire_bans(cast.clock() + timedelta(days=90))
    with pytest.raises(DomainError, match="needs a time zone"):
        service.expire_bans(datetime(2026, 12, 30))


def test_strike_without_a_comment_names_commenter_and_platform(cast: Cast) -> None:
    first = _strike(cast)
    service = ModerationService(cast.ctx("officer"))
    with pytest.raises(DomainError, match="Name the comment, or the commenter"):
        service.record_strike(category="spam", evidence_text="DM abuse")
    with pytest.raises(DomainError, match="Copy the offending text") as err:
        service.record_strike(
            commenter_id=first.strike.commenter_id, platform="facebook", category="spam"
        )
    assert err.value.field == "evidence_text"
    with pytest.raises(DomainError, match="is a Facebook commenter; strikes count per platform"):
        service.record_strike(
            commenter_id=first.strike.commenter_id,
            platform=Platform.X,
            category="spam",
            evidence_text="abuse",
        )
    result = service.record_strike(
        commenter_id=first.strike.commenter_id,
        platform="facebook",
        category="bullying",
        evidence_text="Abuse sent by direct message",
        evidence_url="https://www.facebook.com/messages/1",
    )
    assert (result.strike.comment_id, result.strikes_in_window) == (None, 2)


def test_comment_without_a_handle_needs_the_commenter(cast: Cast) -> None:
    comment = CommentService(cast.ctx("officer")).log(
        _account(cast).id, cast.clock() - timedelta(hours=1), "Spam spam spam"
    )
    with pytest.raises(DomainError, match="has no author handle") as err:
        ModerationService(cast.ctx("officer")).record_strike(comment.id, category="spam")
    assert err.value.field == "commenter_id"
    other = _strike(cast, handle="spammer").strike
    result = ModerationService(cast.ctx("officer")).record_strike(
        comment.id, commenter_id=other.commenter_id, category="spam"
    )
    assert result.strikes_in_window == 2
    assert result.strike.evidence_text == "Spam spam spam"
    mismatch = _abusive(cast, handle="troll")
    with pytest.raises(DomainError, match="not the author of this comment"):
        ModerationService(cast.ctx("officer")).record_strike(
            mismatch.id, commenter_id=other.commenter_id, category="spam"
        )


@pytest.mark.parametrize("who", NON_HANDLERS)
def test_roles_that_may_not_moderate(cast: Cast, who: str) -> None:
    comment = _abusive(cast)
    for _ in range(3):
        proposal = _strike(cast).ban_proposal
    assert proposal is not None
    service = ModerationService(cast.ctx(who))
    with pytest.raises(PermissionDenied, match="Handling comments and recording strikes needs"):
        service.record_strike(comment.id, category=RemovalCategory.SPAM)
    with pytest.raises(PermissionDenied):
        service.decide_ban(proposal.id, approve=True)
    ModerationService(cast.ctx("officer")).decide_ban(proposal.id, approve=True)
    with pytest.raises(PermissionDenied):
        service.lift_ban(proposal.id, "Apologised")
    with pytest.raises(PermissionDenied):
        service.expire_bans(cast.clock())
    with cast.db.read() as s:
        assert s.get(Comment, comment.id).status == CommentStatus.NEW  # type: ignore[union-attr]
        assert s.get(Ban, proposal.id).status == BanStatus.ACTIVE  # type: ignore[union-attr]
