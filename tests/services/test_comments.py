from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from desktop.enums import (
    CloseReason,
    CommentKind,
    CommentStatus,
    RemovalCategory,
    ResponseMethod,
)
from desktop.errors import ConflictError, DomainError, NotFound, PermissionDenied
from desktop.models import Account, AuditEvent, Comment, Commenter, Response
from desktop.services.comment_replies import referral_sentence
from desktop.services.comments import CommentService
from desktop.services.emergencies import EmergencyService
from desktop.services.people import PeopleService
from tests.factories import Cast

REGINA = ZoneInfo("America/Regina")
NON_HANDLERS = ["council", "council2", "minister", "agency", "auditor"]


def regina(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=REGINA)


def _account(cast: Cast) -> Account:
    with cast.db.read() as s:
        found = s.scalar(select(Account).where(Account.handle == "SKHealth"))
    return found or cast.account()


def _log(cast: Cast, who: str = "officer", **kw: object) -> Comment:
    account_id = kw.pop("account_id", None) or _account(cast).id
    args: dict[str, object] = {"received_at": regina(18, 8), "text": "When is the clinic open?"}
    args.update(kw)
    return CommentService(cast.ctx(who)).log(account_id, **args)  # type: ignore[arg-type]


def _events(cast: Cast, entity_id: uuid.UUID) -> list[AuditEvent]:
    with cast.db.read() as s:
        return list(
            s.scalars(
                select(AuditEvent)
                .where(AuditEvent.entity_id == str(entity_id))
                .order_by(AuditEvent.seq)
            )
        )


# -- logging -------------------------------------------------------------------------------


def test_friday_1630_comment_is_due_monday_morning_and_evening(cast: Cast) -> None:
    comment = _log(cast, received_at=regina(13, 16, 30), author_handle="@JaneDoe")
    assert comment.clock_start_at == regina(13, 16, 30)
    assert comment.acknowledge_due_at == regina(16, 9, 30)  # 30 min Friday + 30 min Monday
    assert comment.answer_due_at == regina(16, 17)  # the business day after Friday
    assert comment.status == CommentStatus.NEW
    assert comment.emergency_id is None
    assert comment.logged_by_id == cast.people["officer"].id
    with cast.db.read() as s:
        stored = s.get(Comment, comment.id)
        assert stored is not None
        assert stored.acknowledge_due_at == regina(16, 9, 30)
    assert [e.action for e in _events(cast, comment.id)] == ["comment.log"]


def test_preview_shows_what_logging_stores(cast: Cast) -> None:
    account = _account(cast)
    service = CommentService(cast.ctx("officer"))
    preview = service.preview_due(account.id, regina(13, 16, 30))
    comment = service.log(account.id, regina(13, 16, 30), "Hello")
    assert (preview.clock_start, preview.acknowledge_by, preview.answer_by) == (
        comment.clock_start_at,
        comment.acknowledge_due_at,
        comment.answer_due_at,
    )


def test_future_and_naive_received_times_are_refused(cast: Cast) -> None:
    account = _account(cast)
    service = CommentService(cast.ctx("officer"))
    with pytest.raises(DomainError, match="is in the future") as err:
        service.log(account.id, cast.clock() + timedelta(minutes=1), "Hi")
    assert err.value.field == "received_at"
    with pytest.raises(DomainError, match="needs a time zone"):
        service.log(account.id, datetime(2026, 11, 18, 8), "Hi")
    with pytest.raises(DomainError, match="is in the future"):
        service.preview_due(account.id, cast.clock() + timedelta(hours=1))


def test_log_validation_messages(cast: Cast) -> None:
    account = _account(cast)
    service = CommentService(cast.ctx("officer"))
    with pytest.raises(DomainError, match="Comment text is required") as err:
        service.log(account.id, regina(18, 8), "   ")
    assert err.value.field == "text"
    with pytest.raises(DomainError, match="not a web address"):
        service.log(account.id, regina(18, 8), "Hi", url="facebook post 12")
    with pytest.raises(NotFound, match="does not exist"):
        service.log(uuid.uuid4(), regina(18, 8), "Hi")
    with pytest.raises(DomainError, match="does not handle comments") as err:
        service.log(account.id, regina(18, 8), "Hi", assignee_id=cast.people["auditor"].id)
    assert err.value.field == "assignee_id"
    with pytest.raises(DomainError, match="route to does not exist"):
        service.log(account.id, regina(18, 8), "Hi", routed_ministry_id=uuid.uuid4())
    with pytest.raises(DomainError, match="Kind 'rant' is not one of"):
        service.log(account.id, regina(18, 8), "Hi", kind="rant")


def test_commenter_is_found_or_created_by_platform_and_handle(cast: Cast) -> None:
    account = _account(cast)
    first = _log(cast, account_id=account.id, author_handle="@JaneDoe", author_name="Jane")
    second = _log(cast, account_id=account.id, author_handle="janedoe")
    anonymous = _log(cast, account_id=account.id)
    assert first.commenter_id is not None
    assert second.commenter_id == first.commenter_id
    assert anonymous.commenter_id is None
    assert first.author_handle == "JaneDoe"
    with cast.db.read() as s:
        commenters = s.scalars(select(Commenter)).all()
    assert [(c.handle, c.display_name) for c in commenters] == [("JaneDoe", "Jane")]


def test_media_questions_are_high_profile(cast: Cast) -> None:
    assert _log(cast, kind=CommentKind.MEDIA).high_profile is True
    assert _log(cast, kind=CommentKind.QUESTION).high_profile is False


def test_comment_logged_during_an_emergency_gets_wall_clock_due_times(cast: Cast) -> None:
    account = _account(cast)
    emergency = EmergencyService(cast.ctx("comms")).declare(
        "flood", "Spring flood", [cast.health.id], declared_at=regina(18, 6)
    )
    comment = _log(cast, account_id=account.id, received_at=regina(18, 7))
    assert comment.emergency_id == emergency.id
    assert comment.acknowledge_due_at == regina(18, 8)
    assert comment.answer_due_at == regina(20, 7)


@pytest.mark.parametrize("who", NON_HANDLERS)
def test_roles_that_may_not_log_comments(cast: Cast, who: str) -> None:
    with pytest.raises(PermissionDenied, match="Handling comments"):
        _log(cast, who)


@pytest.mark.parametrize("who", ["officer", "officer2", "comms", "dci", "dso", "admin"])
def test_roles_that_may_log_comments(cast: Cast, who: str) -> None:
    assert _log(cast, who).status == CommentStatus.NEW


# -- the workflow --------------------------------------------------------------------------


def test_assign_acknowledge_and_their_refusals(cast: Cast) -> None:
    comment = _log(cast)
    service = CommentService(cast.ctx("officer"))
    assigned = service.assign(comment.id, cast.people["officer2"].id)
    assert assigned.assignee_id == cast.people["officer2"].id
    with pytest.raises(DomainError, match="does not handle comments"):
        service.assign(comment.id, cast.people["minister"].id)
    assert service.assign(comment.id, None).assignee_id is None
    acknowledged = service.acknowledge(comment.id)
    assert acknowledged.status == CommentStatus.ACKNOWLEDGED
    assert acknowledged.acknowledged_at == cast.clock()
    with pytest.raises(DomainError, match="already acknowledged at 2026-11-18 15:00 UTC"):
        service.acknowledge(comment.id)
    actions = [e.action for e in _events(cast, comment.id)]
    assert actions == ["comment.log", "comment.assign", "comment.assign", "comment.acknowledge"]


def test_public_answer_needs_text_and_cleared_restricted_topics(cast: Cast) -> None:
    comment = _log(cast)
    service = CommentService(cast.ctx("officer"))
    with pytest.raises(DomainError, match="Write the answer") as err:
        service.respond(comment.id, ResponseMethod.PUBLIC_ANSWER, restricted_topics_cleared=True)
    assert err.value.field == "text"
    with pytest.raises(DomainError) as err:
        service.respond(comment.id, ResponseMethod.PUBLIC_ANSWER, "It opens at 9.")
    assert err.value.field == "restricted_topics_cleared"
    for topic in (
        "matters before the courts",
        "draft legislation",
        "materials prepared for Cabinet",
        "personal information",
    ):
        assert topic in err.value.message
    response = service.respond(
        comment.id, "public_answer", "It opens at 9.", restricted_topics_cleared=True
    )
    assert response.method == ResponseMethod.PUBLIC_ANSWER
    answered = _get(cast, comment.id)
    assert answered.status == CommentStatus.ANSWERED
    assert answered.answered_at == cast.clock()
    assert answered.acknowledged_at == cast.clock()  # answering acknowledges too


def test_web_link_phone_and_direct_message_validations(cast: Cast) -> None:
    service = CommentService(cast.ctx("officer"))
    comment = _log(cast)
    with pytest.raises(DomainError, match="Web link is required") as err:
        service.respond(comment.id, ResponseMethod.WEB_LINK)
    assert err.value.field == "link_url"
    with pytest.raises(DomainError, match="not a web address"):
        service.respond(comment.id, ResponseMethod.WEB_LINK, link_url="saskatchewan dot ca")
    with pytest.raises(DomainError, match="Phone number is required"):
        service.respond(comment.id, ResponseMethod.PHONE_NUMBER)
    with pytest.raises(DomainError, match="not a valid phone number") as err:
        service.respond(comment.id, ResponseMethod.PHONE_NUMBER, phone="555-01")
    assert err.value.field == "phone"
    with pytest.raises(DomainError, match="direct message") as err:
        service.respond(comment.id, ResponseMethod.DIRECT_MESSAGE)
    assert err.value.field == "text"
    assert _get(cast, comment.id).status == CommentStatus.NEW  # nothing half-written

    link = service.respond(
        comment.id, ResponseMethod.WEB_LINK, link_url="https://www.saskatchewan.ca/health"
    )
    phone = service.respond(comment.id, ResponseMethod.PHONE_NUMBER, phone="306-787-1234")
    dm = service.respond(
        comment.id,
        ResponseMethod.DIRECT_MESSAGE,
        "Please send us a DM.",
        restricted_topics_cleared=True,
    )
    assert link.link_url == "https://www.saskatchewan.ca/health"
    assert phone.phone == "+13067871234"
    assert dm.text == "Please send us a DM."
    with cast.db.read() as s:
        assert len(s.scalars(select(Response).where(Response.comment_id == comment.id)).all()) == 3


def _minister_contacts(cast: Cast) -> None:
    people = PeopleService(cast.ctx("admin"))
    people.add_contact(cast.health.id, "Health Info Line", topic="General", phone="306-787-0000")
    people.add_contact(
        cast.health.id,
        "Office of the Minister of Health",
        topic="Minister's office",
        phone="306-787-7345",
        email="minister.health@gov.sk.ca",
    )


def test_high_profile_referral_text_is_the_policy_sentence_with_the_ministers_office(
    cast: Cast,
) -> None:
    _minister_contacts(cast)
    text = CommentService(cast.ctx("auditor")).high_profile_referral_text(cast.health.id)
    assert text == (
        "We recommend you reach out directly to the Minister's office at (306) 787-7345 or "
        "minister.health@gov.sk.ca for the most recent information on this issue."
    )
    with pytest.raises(DomainError, match="Ministry of Environment has no key contact"):
        CommentService(cast.ctx("officer")).high_profile_referral_text(cast.environment.id)
    assert referral_sentence("", "a@gov.sk.ca").endswith(
        "office at a@gov.sk.ca for the most recent information on this issue."
    )


def test_high_profile_comment_is_answered_with_the_referral(cast: Cast) -> None:
    _minister_contacts(cast)
    comment = _log(cast, high_profile=True, author_name="CBC Regina")
    service = CommentService(cast.ctx("officer"))
    with pytest.raises(DomainError, match="high-profile member") as err:
        service.respond(
            comment.id, ResponseMethod.PUBLIC_ANSWER, "Yes.", restricted_topics_cleared=True
        )
    assert err.value.field == "high_profile_referral"
    response = service.respond(
        comment.id,
        ResponseMethod.PUBLIC_ANSWER,
        restricted_topics_cleared=True,
        high_profile_referral=True,
    )
    assert response.high_profile_referral is True
    assert response.text.startswith("We recommend you reach out directly to the Minister's")
    assert "(306) 787-7345" in response.text


def test_close_without_an_answer_only_for_no_response_or_referral(cast: Cast) -> None:
    service = CommentService(cast.ctx("officer"))
    rhetorical = _log(cast, text="Typical government!")
    with pytest.raises(DomainError, match="has no answer yet") as err:
        service.close(rhetorical.id, CloseReason.ANSWERED)
    assert err.value.field == "reason"
    with pytest.raises(DomainError, match="hide it with the removal category"):
        service.close(rhetorical.id, CloseReason.REMOVED)
    closed = service.close(rhetorical.id, CloseReason.NO_RESPONSE_NEEDED)
    assert (closed.status, closed.close_reason) == (
        CommentStatus.CLOSED,
        CloseReason.NO_RESPONSE_NEEDED,
    )
    assert closed.closed_at == cast.clock()
    with pytest.raises(DomainError, match=r"closed \(no response needed\); it cannot be closed"):
        service.close(rhetorical.id, CloseReason.REFERRED_TO_COMMUNICATIONS)
    with pytest.raises(DomainError, match="cannot be answered"):
        service.respond(rhetorical.id, ResponseMethod.DIRECT_MESSAGE, "DM us")

    referred = service.close(_log(cast).id, "referred_to_communications")
    assert referred.close_reason == CloseReason.REFERRED_TO_COMMUNICATIONS
    answered = _log(cast)
    service.respond(answered.id, ResponseMethod.PHONE_NUMBER, phone="306 787 1234")
    assert service.close(answered.id, CloseReason.ANSWERED).close_reason == CloseReason.ANSWERED


def test_hidden_comment_cannot_be_answered_assigned_or_hidden_again(cast: Cast) -> None:
    service = CommentService(cast.ctx("officer"))
    comment = _log(cast, text="Buy cheap watches at example.com")
    hidden = service.hide(comment.id, RemovalCategory.PROMOTION)
    assert (hidden.status, hidden.hidden_category) == (
        CommentStatus.HIDDEN,
        RemovalCategory.PROMOTION,
    )
    with pytest.raises(
        DomainError, match=r"hidden \(product/service promotions.*cannot be answered"
    ):
        service.respond(comment.id, ResponseMethod.DIRECT_MESSAGE, "DM us")
    with pytest.raises(DomainError, match="cannot be assigned"):
        service.assign(comment.id, cast.people["officer"].id)
    with pytest.raises(DomainError, match="only new comments can be acknowledged"):
        service.acknowledge(comment.id)
    with pytest.raises(DomainError, match="already hidden"):
        service.hide(comment.id, RemovalCategory.SPAM)
    with pytest.raises(DomainError, match="Removal category 'rude' is not one of"):
        service.hide(_log(cast).id, "rude")
    assert [e.action for e in _events(cast, comment.id)] == ["comment.log", "comment.hide"]


def test_stale_version_is_a_conflict(cast: Cast) -> None:
    comment = _log(cast)
    service = CommentService(cast.ctx("officer"))
    service.acknowledge(comment.id, version=comment.version)
    with pytest.raises(ConflictError, match="Someone else changed this comment"):
        service.close(comment.id, CloseReason.NO_RESPONSE_NEEDED, version=comment.version)


@pytest.mark.parametrize("who", NON_HANDLERS)
@pytest.mark.parametrize("action", ["assign", "acknowledge", "respond", "close", "hide"])
def test_roles_that_may_not_work_on_comments(cast: Cast, who: str, action: str) -> None:
    comment = _log(cast)
    service = CommentService(cast.ctx(who))
    calls = {
        "assign": lambda: service.assign(comment.id, cast.people["officer"].id),
        "acknowledge": lambda: service.acknowledge(comment.id),
        "respond": lambda: service.respond(comment.id, ResponseMethod.DIRECT_MESSAGE, "DM us"),
        "close": lambda: service.close(comment.id, CloseReason.NO_RESPONSE_NEEDED),
        "hide": lambda: service.hide(comment.id, RemovalCategory.SPAM),
    }
    with pytest.raises(PermissionDenied, match="Handling comments and recording strikes needs"):
        calls[action]()
    assert _get(cast, comment.id).status == CommentStatus.NEW


# -- status bar counts ---------------------------------------------------------------------


def test_due_counts_for_the_status_bar(cast: Cast) -> None:
    account = _account(cast)
    service = CommentService(cast.ctx("officer"))
    # Logged at Wednesday 09:00 Regina: acknowledge by 10:00, answer by Thursday 17:00.
    due_soon = service.log(account.id, regina(18, 8, 50), "due soon")
    service.log(account.id, regina(18, 9), "not yet")  # its clock starts at 09:00 too
    ack_overdue = service.log(account.id, regina(17, 10), "acknowledge overdue")
    answer_overdue = service.log(account.id, regina(16, 10), "answer overdue")
    service.acknowledge(answer_overdue.id)
    done = service.log(account.id, regina(16, 11), "answered late")
    service.close(done.id, CloseReason.NO_RESPONSE_NEEDED)
    assert due_soon.acknowledge_due_at == regina(18, 10)
    assert ack_overdue.acknowledge_due_at == regina(17, 11)
    assert answer_overdue.answer_due_at == regina(17, 17)

    as_of = regina(18, 9, 50)
    counts = CommentService(cast.ctx("auditor")).due_counts(as_of, 15)
    assert counts == (2, 2)  # both 10:00 ones due soon; one to acknowledge, one to answer
    assert counts.due_soon_to_acknowledge == 2
    assert service.due_counts(as_of, 5) == (0, 2)
    assert service.due_counts(regina(18, 9, 50)) == (2, 2)  # the 15-minute setting
    assert service.due_counts(regina(20, 9)) == (0, 4)
    with pytest.raises(DomainError, match="needs a time zone"):
        service.due_counts(datetime(2026, 11, 18, 9), 15)


def test_agency_staff_cannot_read_the_comment_log(cast: Cast) -> None:
    service = CommentService(cast.ctx("agency"))
    with pytest.raises(PermissionDenied, match="Reading the whole register needs"):
        service.due_counts(cast.clock(), 15)
    with pytest.raises(PermissionDenied, match="Reading the whole register needs"):
        service.preview_due(_account(cast).id, regina(18, 8))
    with pytest.raises(PermissionDenied, match="Reading the whole register needs"):
        service.high_profile_referral_text(cast.health.id)


def _get(cast: Cast, comment_id: uuid.UUID) -> Comment:
    with cast.db.read() as s:
        comment = s.get(Comment, comment_id)
        assert comment is not None
        return comment


def test_received_time_in_another_zone_is_the_same_instant(cast: Cast) -> None:
    utc = _log(cast, received_at=datetime(2026, 11, 13, 22, 30, tzinfo=UTC))
    assert utc.acknowledge_due_at == regina(16, 9, 30)
