from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from desktop.enums import CloseReason, EmergencyKind, GroupUpdateKind
from desktop.errors import DomainError, NotFound, PermissionDenied
from desktop.models import Account, AuditEvent, Comment, Emergency
from desktop.services.comments import CommentService
from desktop.services.emergencies import EmergencyService
from tests.factories import Cast

REGINA = ZoneInfo("America/Regina")
NOT_EMERGENCY = ["officer", "officer2", "minister", "agency", "auditor"]


def regina(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=REGINA)


def _account(cast: Cast, handle: str = "SKHealth", **kw: object) -> Account:
    with cast.db.read() as s:
        found = s.scalar(select(Account).where(Account.handle == handle))
    return found or cast.account(handle, **kw)  # type: ignore[arg-type]


def _comment(cast: Cast, received: datetime, account: Account | None = None) -> Comment:
    account = account or _account(cast)
    return CommentService(cast.ctx("officer")).log(account.id, received, "Is the road open?")


def _get(cast: Cast, comment_id: uuid.UUID) -> Comment:
    with cast.db.read() as s:
        found = s.get(Comment, comment_id)
        assert found is not None
        return found


def _due(comment: Comment) -> tuple[datetime, datetime]:
    return comment.acknowledge_due_at, comment.answer_due_at


def test_declaring_moves_open_comments_to_wall_clock_and_ending_restores_business_rules(
    cast: Cast,
) -> None:
    # Now is Wednesday 09:00 in Regina; the flood started at 06:00.
    before = _comment(cast, regina(18, 5))
    during = _comment(cast, regina(18, 7))
    after_end = _comment(cast, regina(18, 8, 30))
    closed = _comment(cast, regina(18, 7, 30))
    CommentService(cast.ctx("officer")).close(closed.id, CloseReason.NO_RESPONSE_NEEDED)
    elsewhere = _comment(
        cast, regina(18, 7), _account(cast, "SKEnvironment", ministry_id=cast.environment.id)
    )
    business = (regina(18, 10), regina(19, 17))  # clock starts at Wednesday's opening
    for c in (before, during, after_end, closed, elsewhere):
        assert _due(c) == business

    service = EmergencyService(cast.ctx("comms"))
    emergency = service.declare(
        EmergencyKind.FLOOD,
        "Qu'Appelle Valley flood",
        [cast.health.id],
        on_call_ministry_id=cast.people["officer"].id,
        on_call_council_id=cast.people["council"].id,
        declared_at=regina(18, 6),
    )
    assert _due(_get(cast, during.id)) == (regina(18, 8), regina(20, 7))
    assert _get(cast, during.id).emergency_id == emergency.id
    assert _due(_get(cast, after_end.id)) == (regina(18, 9, 30), regina(20, 8, 30))
    assert _due(_get(cast, before.id)) == business  # received before it was declared
    assert _due(_get(cast, closed.id)) == business  # closed comments keep theirs
    assert _due(_get(cast, elsewhere.id)) == business  # another ministry
    with cast.db.read() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "emergency.declare")).one()
    assert json.loads(event.after)["comments_recomputed"] == 2

    ended = service.end(emergency.id, ended_at=regina(18, 8))
    assert ended.ended_at == regina(18, 8)
    assert _due(_get(cast, after_end.id)) == business
    assert _get(cast, after_end.id).emergency_id is None
    assert _due(_get(cast, during.id)) == (regina(18, 8), regina(20, 7))  # received during it
    fresh = _comment(cast, regina(18, 8, 45))
    assert _due(fresh) == business
    with pytest.raises(DomainError, match="already ended at 2026-11-18 14:00 UTC"):
        service.end(emergency.id)


def test_an_emergency_for_one_account_covers_only_that_account(cast: Cast) -> None:
    named = _account(cast, "SKHealth")
    other = _account(cast, "SKHealthJobs")
    EmergencyService(cast.ctx("dso")).declare(
        "power_outage", "Regina outage", [], account_ids=[named.id], declared_at=regina(18, 6)
    )
    assert _due(_comment(cast, regina(18, 7), named)) == (regina(18, 8), regina(20, 7))
    assert _due(_comment(cast, regina(18, 7), other)) == (regina(18, 10), regina(19, 17))


def test_declare_validations(cast: Cast) -> None:
    service = EmergencyService(cast.ctx("dci"))
    with pytest.raises(DomainError, match="at least one affected ministry or account") as err:
        service.declare("flood", "Flood", [])
    assert err.value.field == "ministry_ids"
    with pytest.raises(DomainError, match="Title is required"):
        service.declare("flood", " ", [cast.health.id])
    with pytest.raises(DomainError, match="Kind of emergency 'tornado' is not one of"):
        service.declare("tornado", "Tornado", [cast.health.id])
    with pytest.raises(DomainError, match="does not exist") as err:
        service.declare("flood", "Flood", [uuid.uuid4()])
    assert err.value.field == "ministry_ids"
    with pytest.raises(DomainError, match="does not exist") as err:
        service.declare("flood", "Flood", [], account_ids=[uuid.uuid4()])
    assert err.value.field == "account_ids"
    with pytest.raises(DomainError, match="does not work in an affected ministry") as err:
        service.declare(
            "flood", "Flood", [cast.health.id], on_call_ministry_id=cast.people["officer2"].id
        )
    assert err.value.field == "on_call_ministry_id"
    with pytest.raises(DomainError, match="is not in the Executive Council") as err:
        service.declare(
            "flood", "Flood", [cast.health.id], on_call_council_id=cast.people["dso"].id
        )
    assert err.value.field == "on_call_council_id"
    with pytest.raises(DomainError, match="is in the future"):
        service.declare(
            "flood", "Flood", [cast.health.id], declared_at=cast.clock() + timedelta(hours=1)
        )
    with pytest.raises(DomainError, match="needs a time zone"):
        service.declare("flood", "Flood", [cast.health.id], declared_at=datetime(2026, 11, 18))
    with cast.db.read() as s:
        assert s.scalars(select(Emergency)).all() == []


def test_end_validations(cast: Cast) -> None:
    service = EmergencyService(cast.ctx("council"))
    emergency = service.declare("flood", "Flood", [cast.health.id], declared_at=regina(18, 6))
    with pytest.raises(DomainError, match="cannot end before it was declared") as err:
        service.end(emergency.id, ended_at=regina(18, 5))
    assert err.value.field == "ended_at"
    with pytest.raises(NotFound):
        service.end(uuid.uuid4())
    assert service.end(emergency.id).ended_at == cast.clock()


def test_group_updates(cast: Cast) -> None:
    emergency = EmergencyService(cast.ctx("comms")).declare(
        "forest_fire", "La Ronge fire", [cast.environment.id]
    )
    officer = EmergencyService(cast.ctx("officer"))
    with pytest.raises(DomainError, match="Give the phone number or the link") as err:
        officer.add_group_update(emergency.id, GroupUpdateKind.PHONE_OR_LINK, "Call us")
    assert err.value.field == "link_url"
    with pytest.raises(DomainError, match="not a valid phone number"):
        officer.add_group_update(emergency.id, "phone_or_link", "Call us", phone="12")
    with pytest.raises(DomainError, match="Update text is required"):
        officer.add_group_update(emergency.id, "statement", "")
    update = officer.add_group_update(
        emergency.id,
        GroupUpdateKind.PHONE_OR_LINK,
        "Evacuation information",
        link_url="https://www.saskatchewan.ca/fire",
        phone="1-855-559-5502",
        restricted_topics_cleared=True,
    )
    statement = EmergencyService(cast.ctx("council")).add_group_update(
        emergency.id,
        GroupUpdateKind.STATEMENT,
        "Highway 2 is closed north of the town.",
        restricted_topics_cleared=True,
    )
    assert update.phone == "+18555595502"
    assert update.posted_by_id == cast.people["officer"].id
    assert {u.id for u in officer.updates(emergency.id)} == {update.id, statement.id}
    EmergencyService(cast.ctx("comms")).end(emergency.id)
    with pytest.raises(DomainError, match="has ended"):
        officer.add_group_update(emergency.id, "statement", "All clear")


@pytest.mark.parametrize("who", ["minister", "agency", "auditor"])
def test_roles_that_may_not_post_group_updates(cast: Cast, who: str) -> None:
    emergency = EmergencyService(cast.ctx("comms")).declare("flood", "Flood", [cast.health.id])
    with pytest.raises(PermissionDenied, match="Recording a group update needs the role"):
        EmergencyService(cast.ctx(who)).add_group_update(emergency.id, "statement", "Update")


def test_active_emergencies_for_the_banner(cast: Cast) -> None:
    account = _account(cast, "SKHealth")
    service = EmergencyService(cast.ctx("comms"))
    fire = service.declare(
        "forest_fire",
        "Northern fires",
        [cast.environment.id, cast.health.id],
        account_ids=[account.id],
        on_call_council_id=cast.people["council"].id,
        declared_at=regina(18, 6),
    )
    ended = service.declare("flood", "Old flood", [cast.health.id], declared_at=regina(17, 6))
    service.end(ended.id, ended_at=regina(17, 18))
    banner = EmergencyService(cast.ctx("auditor")).active(cast.clock())
    assert len(banner) == 1
    row = banner[0]
    assert (row.id, row.title, row.kind, row.since) == (
        fire.id,
        "Northern fires",
        EmergencyKind.FOREST_FIRE,
        regina(18, 6),
    )
    assert row.ministries == ("Ministry of Environment", "Ministry of Health")
    assert row.accounts == ("Facebook @SKHealth",)
    assert (row.on_call_ministry, row.on_call_council) == ("", "Council Person")
    yesterday = service.active(regina(17, 12))
    assert [r.title for r in yesterday] == ["Old flood"]
    with pytest.raises(DomainError, match="needs a time zone"):
        service.active(datetime(2026, 11, 18))


@pytest.mark.parametrize("who", NOT_EMERGENCY)
def test_roles_that_may_not_declare_or_end(cast: Cast, who: str) -> None:
    with pytest.raises(PermissionDenied, match="Declaring or ending an emergency needs the role"):
        EmergencyService(cast.ctx(who)).declare("flood", "Flood", [cast.health.id])
    emergency = EmergencyService(cast.ctx("admin")).declare("flood", "Flood", [cast.health.id])
    with pytest.raises(PermissionDenied):
        EmergencyService(cast.ctx(who)).end(emergency.id)
    with cast.db.read() as s:
        assert s.get(Emergency, emergency.id).ended_at is None  # type: ignore[union-attr]
