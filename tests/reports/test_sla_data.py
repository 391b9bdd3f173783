"""The service-level report's numbers: by ministry and account, time taken, overdue, emergencies."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from desktop.enums import EmergencyKind, GroupUpdateKind
from desktop.models import Emergency, GroupUpdate
from desktop.models.base import new_id
from desktop.reports.data.common import resolve_scope
from desktop.reports.data.sla_data import SlaData, sla_data
from tests.reports.conftest import World, half_year, on_time_share, reading


def _data(world: World, as_of: datetime, ministry: str | None = None) -> SlaData:
    with reading(world.cast.db) as (s, settings, calendar):
        scope = resolve_scope(s, None, ministry)
        return sla_data(s, scope, half_year(), as_of=as_of, settings=settings, calendar=calendar)


def test_normal_and_emergency_service_are_apart(world: World, as_of: datetime) -> None:
    d = _data(world, as_of)
    normal = on_time_share(world.comments, as_of, answer=False, emergency=False)
    assert (d.normal.ack_on_time, d.normal.ack_measured) == normal == (3, 5)
    answered = on_time_share(world.comments, as_of, answer=True, emergency=False)
    assert (d.normal.answer_on_time, d.normal.answer_measured) == answered == (2, 5)
    assert (d.emergency.received, d.emergency.ack_on_time) == (1, 1)
    (ministry,) = d.by_ministry
    assert (ministry.ministry_code, ministry.normal) == ("HEA", d.normal)
    (account,) = d.by_account
    assert account.label == "Facebook @SKHealth"


def test_time_taken_and_overdue_items(world: World, as_of: datetime) -> None:
    d = _data(world, as_of)
    assert d.time_taken.acknowledge.median == timedelta(minutes=37.5)
    # Answered or closed after 20 min, 5 h, 9 h 30 (Fri 16:30 to Tue 10:00) and 17 h
    # (Wed 10:00 to Fri 11:00) of business time.
    assert d.time_taken.answer.count == 4
    assert d.time_taken.answer.median == timedelta(hours=7, minutes=15)
    assert d.time_taken.answer.p90 == timedelta(hours=17)
    assert d.overdue_total == 1
    assert d.overdue[0].account_label == "Facebook @SKHealth"
    (flood,) = d.emergencies
    assert (flood.kind, flood.counts.received) == (EmergencyKind.FLOOD, 1)
    assert flood.counts.ack_pct == 100.0


def test_another_ministry_has_nothing_of_health(world: World, as_of: datetime) -> None:
    d = _data(world, as_of, "ENV")
    assert d.by_ministry == ()
    assert d.overdue_total == 0
    assert d.emergencies == ()  # the flood named only a Health page


def test_group_updates_appear_with_their_emergency(world: World, as_of: datetime) -> None:
    with world.cast.db.write() as s:
        flood = s.scalars(select(Emergency)).one()
        s.add(
            GroupUpdate(
                id=new_id(),
                emergency_id=flood.id,
                kind=GroupUpdateKind.PHONE_OR_LINK,
                text="Sandbag and evacuation information",
                link_url="https://www.saskatchewan.ca/flood",
                phone="+13067870000",
                posted_at=flood.declared_at + timedelta(hours=2),
            )
        )
    (row,) = _data(world, as_of).emergencies
    assert [(u.kind, u.link_url) for u in row.updates] == [
        (GroupUpdateKind.PHONE_OR_LINK, "https://www.saskatchewan.ca/flood")
    ]
