"""Naming and changing an emergency's on-call people while it runs, and the emergency's record
with its group updates (issue 14)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from desktop.enums import GroupUpdateKind
from desktop.errors import ConflictError, DomainError, PermissionDenied
from desktop.models import AuditEvent
from desktop.services.compliance import ComplianceService
from desktop.services.context import ServiceContext
from desktop.services.emergencies import EmergencyService
from desktop.services.emergency_work.on_call import OnCallService
from desktop.services.emergency_work.record import EmergencyRecordService
from tests.factories import Cast


def _no_on_call(cast: Cast) -> list[str]:
    findings = ComplianceService(cast.ctx("auditor")).run(cast.clock(), ["EMERGENCY_NO_ON_CALL"])
    return [f.message for f in findings]


def test_on_call_people_are_named_while_the_emergency_runs(cast: Cast) -> None:
    emergency = EmergencyService(cast.ctx("comms")).declare(
        "flood", "Souris River flood", [cast.environment.id]
    )
    assert len(_no_on_call(cast)) == 1
    service = OnCallService(cast.ctx("council"))
    named = service.set_on_call(
        emergency.id,
        cast.people["officer2"].id,
        cast.people["council2"].id,
        version=emergency.version,
    )
    assert (named.on_call_ministry_id, named.on_call_council_id) == (
        cast.people["officer2"].id,
        cast.people["council2"].id,
    )
    assert _no_on_call(cast) == []  # the check's remedy works without re-declaring
    with cast.db.read() as s:
        event = s.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert event is not None
    assert (event.action, event.actor_login) == ("emergency.on_call", "council")
    # Changed to someone else while it runs; a stale version is a conflict.
    changed = service.set_on_call(emergency.id, cast.people["officer2"].id, None)
    assert changed.on_call_council_id is None
    with pytest.raises(ConflictError):
        service.set_on_call(emergency.id, None, None, version=emergency.version)
    with pytest.raises(DomainError, match="already the on-call people"):
        service.set_on_call(emergency.id, cast.people["officer2"].id, None)


def test_on_call_people_must_fit_the_policy(cast: Cast) -> None:
    emergency = EmergencyService(cast.ctx("comms")).declare("flood", "Flood", [cast.health.id])
    service = OnCallService(cast.ctx("dso"))
    with pytest.raises(DomainError, match="does not work in an affected ministry") as err:
        service.set_on_call(emergency.id, cast.people["officer2"].id, None)
    assert err.value.field == "on_call_ministry_id"
    with pytest.raises(DomainError, match="not in the Executive Council") as err:
        service.set_on_call(emergency.id, None, cast.people["officer"].id)
    assert err.value.field == "on_call_council_id"
    for who in ("officer", "minister", "agency", "auditor"):
        with pytest.raises(PermissionDenied, match="Declaring or ending an emergency needs"):
            OnCallService(cast.ctx(who)).set_on_call(emergency.id, cast.people["officer"].id, None)
    EmergencyService(cast.ctx("comms")).end(emergency.id)
    with pytest.raises(DomainError, match="on-call people are named while it runs"):
        service.set_on_call(emergency.id, cast.people["officer"].id, None)


def test_the_emergency_record_holds_its_group_updates(cast: Cast) -> None:
    account = cast.account("SKEnvironment", ministry_id=cast.environment.id)
    emergency = EmergencyService(cast.ctx("comms")).declare(
        "forest_fire",
        "La Ronge fire",
        [cast.environment.id],
        account_ids=[account.id],
        on_call_council_id=cast.people["council"].id,
        declared_at=cast.clock() - timedelta(hours=3),
    )
    officer = EmergencyService(cast.ctx("officer"))
    officer.add_group_update(
        emergency.id,
        GroupUpdateKind.QA,
        "Q&A: where to go, what to bring.",
        restricted_topics_cleared=True,
    )
    later = cast.clock() + timedelta(minutes=20)
    EmergencyService(ServiceContext(cast.db, "officer", clock=lambda: later)).add_group_update(
        emergency.id,
        GroupUpdateKind.PHONE_OR_LINK,
        "Evacuation information",
        link_url="https://www.saskatchewan.ca/fire",
        phone="1-855-559-5502",
        restricted_topics_cleared=True,
    )
    record = EmergencyRecordService(cast.ctx("auditor")).record(emergency.id)
    assert record.running
    assert record.ministries == ("Ministry of Environment",)
    assert record.accounts == ("Facebook @SKEnvironment",)
    assert record.on_call_council == "Council Person"
    assert record.on_call_ministry == ""
    assert [(u.kind, u.posted_by) for u in record.updates] == [
        (GroupUpdateKind.QA, "Officer Person"),
        (GroupUpdateKind.PHONE_OR_LINK, "Officer Person"),
    ]
    assert record.updates[1].phone == "+18555595502"
    listed = EmergencyRecordService(cast.ctx("auditor")).list()
    assert [e.title for e in listed] == ["La Ronge fire"]
    with pytest.raises(PermissionDenied):
        EmergencyRecordService(ServiceContext(cast.db, "agency", clock=cast.clock)).record(
            emergency.id
        )
