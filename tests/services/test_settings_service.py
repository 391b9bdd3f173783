from __future__ import annotations

import json
import uuid
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from desktop.enums import CloseReason
from desktop.errors import Cancelled, ConflictError, DomainError, NotFound, PermissionDenied
from desktop.models import Account, AuditEvent, Closure, Comment, Setting
from desktop.policy.settings import PolicySettings
from desktop.services.comments import CommentService
from desktop.services.settings_service import CalendarDay, SettingsService
from tests.factories import Cast

REGINA = ZoneInfo("America/Regina")
NOT_SETTINGS = ["officer", "officer2", "comms", "dci", "council", "council2", "minister"]
NOT_SETTINGS += ["agency", "auditor"]
MONDAY = date(2026, 11, 16)


def regina(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=REGINA)


def _comment(cast: Cast, received: datetime) -> Comment:
    with cast.db.read() as s:
        account = s.scalar(select(Account).where(Account.handle == "SKHealth"))
    account = account or cast.account()
    return CommentService(cast.ctx("officer")).log(account.id, received, "Opening hours?")


def _get(cast: Cast, comment_id: uuid.UUID) -> Comment:
    with cast.db.read() as s:
        found = s.get(Comment, comment_id)
        assert found is not None
        return found


def _events(cast: Cast, action: str) -> list[AuditEvent]:
    with cast.db.read() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_defaults_are_the_policy_values(cast: Cast) -> None:
    settings = SettingsService(cast.ctx("auditor")).get()
    assert settings == PolicySettings()
    assert (settings.strike_threshold, settings.business_open) == (3, time(9))


def test_update_stores_validated_values_with_one_audit_event(cast: Cast) -> None:
    service = SettingsService(cast.ctx("dso"))
    result = service.update({"strike_threshold": "5", "business_close": "16:30", "ban_days": 30})
    assert (result.strike_threshold, result.business_close) == (5, time(16, 30))
    assert SettingsService(cast.ctx("officer")).get() == result
    with cast.db.read() as s:
        stored = {row.key: row.value for row in s.scalars(select(Setting))}
    assert stored == {"strike_threshold": "5", "business_close": '"16:30"'}
    (event,) = _events(cast, "settings.update")
    assert json.loads(event.before) == {"strike_threshold": 3, "business_close": "17:00"}
    assert json.loads(event.after) == {"strike_threshold": 5, "business_close": "16:30"}
    service.update({"strike_threshold": 5})  # nothing changed: nothing written
    assert len(_events(cast, "settings.update")) == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"strike_threshold": 0}, "strike_threshold", "Strikes before a ban: must be at least 1."),
        ({"ban_days": "thirty"}, "ban_days", "Temporary ban (days): give a whole number."),
        ({"timezone": "Mars/Olympus"}, "timezone", "'Mars/Olympus' is not a known time zone."),
        ({"business_open": "nine"}, "business_open", "give a time as HH:MM"),
        ({"colour": "blue"}, "colour", "There is no setting called 'colour'."),
        (
            {"allowed_email_domains": "gov.sk.ca, not a domain"},
            "allowed_email_domains",
            "'not a domain' is not a domain name.",
        ),
        (
            {"business_open": "17:00"},
            "business_open",
            "Business hours open (17:00) must be before business hours close (17:00).",
        ),
        (
            {"business_open": "08:00", "business_close": "07:00"},
            "business_close",
            "must be before business hours close (07:00)",
        ),
        (
            {"emergency_answer_hours": 0.5},
            "emergency_answer_hours",
            "Emergency: answer within (hours) must be at least 1.",
        ),
    ],
)
def test_invalid_settings_are_refused_with_the_field(
    cast: Cast, changes: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(DomainError) as err:
        SettingsService(cast.ctx("admin")).update(changes)
    assert message in err.value.message
    assert err.value.field == field
    with cast.db.read() as s:
        assert s.scalars(select(Setting)).all() == []


def test_business_hours_change_recomputes_open_comments_only(cast: Cast) -> None:
    open_comment = _comment(cast, regina(18, 7))
    closed = _comment(cast, regina(18, 7, 30))
    CommentService(cast.ctx("officer")).close(closed.id, CloseReason.NO_RESPONSE_NEEDED)
    assert open_comment.acknowledge_due_at == regina(18, 10)
    SettingsService(cast.ctx("dso")).update(
        {"business_open": "07:00", "timezone": "America/Regina"}
    )
    moved = _get(cast, open_comment.id)
    assert (moved.clock_start_at, moved.acknowledge_due_at) == (regina(18, 7), regina(18, 8))
    assert _get(cast, closed.id).acknowledge_due_at == regina(18, 10)
    SettingsService(cast.ctx("dso")).update({"acknowledge_business_hours": 2})
    assert _get(cast, open_comment.id).acknowledge_due_at == regina(18, 9)


def test_cancelling_the_recomputation_keeps_the_old_settings(cast: Cast) -> None:
    comment = _comment(cast, regina(18, 7))
    with pytest.raises(Cancelled):
        SettingsService(cast.ctx("dso")).update({"business_open": "07:00"}, cancelled=lambda: True)
    assert SettingsService(cast.ctx("dso")).get().business_open == time(9)
    assert _get(cast, comment.id).acknowledge_due_at == regina(18, 10)
    assert _events(cast, "settings.update") == []


def test_closure_on_the_next_business_day_moves_an_open_comment(cast: Cast) -> None:
    friday = _comment(cast, regina(13, 16, 30))
    answered = _comment(cast, regina(13, 16, 40))
    CommentService(cast.ctx("officer")).close(answered.id, CloseReason.NO_RESPONSE_NEEDED)
    assert (friday.acknowledge_due_at, friday.answer_due_at) == (regina(16, 9, 30), regina(16, 17))
    progress: list[tuple[int, int]] = []
    closure = SettingsService(cast.ctx("dso")).add_closure(
        MONDAY, "Staff training day", progress=lambda done, total: progress.append((done, total))
    )
    assert (closure.day, closure.reason) == (MONDAY, "Staff training day")
    moved = _get(cast, friday.id)
    assert (moved.acknowledge_due_at, moved.answer_due_at) == (regina(17, 9, 30), regina(17, 17))
    assert _get(cast, answered.id).answer_due_at == regina(16, 17)  # closed: left alone
    assert progress[0] == (0, 1)
    assert progress[-1] == (1, 1)
    (event,) = _events(cast, "closure.add")
    assert json.loads(event.after)["comments_recomputed"] == 1

    SettingsService(cast.ctx("admin")).remove_closure(MONDAY)
    back = _get(cast, friday.id)
    assert (back.acknowledge_due_at, back.answer_due_at) == (regina(16, 9, 30), regina(16, 17))
    with cast.db.read() as s:
        assert s.scalars(select(Closure)).all() == []
    assert len(_events(cast, "closure.remove")) == 1


def test_a_comment_logged_after_a_closure_skips_it(cast: Cast) -> None:
    SettingsService(cast.ctx("dso")).add_closure(date(2026, 11, 19), "Office move")
    comment = _comment(cast, regina(18, 8))
    assert comment.answer_due_at == regina(20, 17)  # Thursday closed: answer by Friday


def test_closure_validations(cast: Cast) -> None:
    service = SettingsService(cast.ctx("dso"))
    with pytest.raises(DomainError, match="Saturday 2026-12-26 is a weekend day") as err:
        service.add_closure(date(2026, 12, 26), "Boxing Day")
    assert err.value.field == "day"
    with pytest.raises(DomainError, match=r"already a public holiday \(Christmas Day\)"):
        service.add_closure(date(2026, 12, 25))
    with pytest.raises(DomainError, match="calendar day, without a time"):
        service.add_closure(datetime(2026, 12, 28, 9), "Boxing Day observed")  # type: ignore[arg-type]
    service.add_closure(date(2026, 12, 28), "Boxing Day (observed)")
    with pytest.raises(ConflictError, match="Monday 2026-12-28 is already a closure day"):
        service.add_closure(date(2026, 12, 28))
    with pytest.raises(NotFound, match="There is no closure on Tuesday 2026-12-29"):
        service.remove_closure(date(2026, 12, 29))


def test_holidays_merge_public_holidays_and_closures(cast: Cast) -> None:
    SettingsService(cast.ctx("dso")).add_closure(date(2026, 12, 28), "Boxing Day (observed)")
    SettingsService(cast.ctx("dso")).add_closure(date(2027, 1, 4))
    days = SettingsService(cast.ctx("auditor")).holidays(2026)
    assert days[0] == CalendarDay(date(2026, 1, 1), "New Year's Day", False)
    assert CalendarDay(date(2026, 12, 25), "Christmas Day", False) in days
    assert days[-1] == CalendarDay(date(2026, 12, 28), "Boxing Day (observed)", True)
    assert [d.day for d in days] == sorted(d.day for d in days)
    assert [d for d in days if d.is_closure] == [days[-1]]
    assert SettingsService(cast.ctx("auditor")).closures(2027) == [
        CalendarDay(date(2027, 1, 4), "Closure", True)
    ]


@pytest.mark.parametrize("who", NOT_SETTINGS)
def test_roles_that_may_not_change_settings_or_the_calendar(cast: Cast, who: str) -> None:
    SettingsService(cast.ctx("dso")).add_closure(date(2026, 12, 28))
    service = SettingsService(cast.ctx(who))
    with pytest.raises(PermissionDenied, match="Changing settings, the calendar and closures"):
        service.update({"strike_threshold": 4})
    with pytest.raises(PermissionDenied):
        service.add_closure(date(2026, 12, 29))
    with pytest.raises(PermissionDenied):
        service.remove_closure(date(2026, 12, 28))
    reader = SettingsService(cast.ctx("dso"))  # an agency may not even read them (DESIGN §6)
    assert reader.get().strike_threshold == 3
    assert [d.day for d in reader.closures(2026)] == [date(2026, 12, 28)]
