"""Bulk recomputation of stored due times, checked against SlaPolicy.due comment by comment."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, select, update

from desktop.enums import CommentStatus
from desktop.errors import Cancelled
from desktop.models import Comment, Emergency
from desktop.policy.sla import BusinessCalendar, SlaPolicy
from desktop.services.clock import emergency_covering, sla_policy
from desktop.services.emergencies import EmergencyService
from desktop.services.recompute import covering_filter, recompute_due_times
from desktop.services.settings_service import SettingsService
from tests.factories import Cast

JUNK = datetime(2000, 1, 1, tzinfo=UTC)
CLOSURES = (date(2026, 3, 9), date(2026, 11, 2), date(2026, 12, 28))
OPEN = (CommentStatus.NEW, CommentStatus.ACKNOWLEDGED)


@dataclass
class World:
    accounts: dict[uuid.UUID, uuid.UUID]  # account -> ministry
    emergencies: list[Emergency]


def _world(cast: Cast, timezone: str) -> World:
    settings = SettingsService(cast.ctx("dso"))
    if timezone != "America/Regina":
        settings.update({"timezone": timezone})
    for day in CLOSURES:
        settings.add_closure(day, "Branch closure")
    health = [cast.account("SKHealth"), cast.account("SKHealthX", ministry_id=cast.health.id)]
    env = [cast.account("SKEnv", ministry_id=cast.environment.id)]
    zone = ZoneInfo(timezone)
    service = EmergencyService(cast.ctx("comms"))
    flood = service.declare(
        "flood",
        "Spring flood",
        [cast.health.id],
        declared_at=datetime(2026, 3, 6, 22, tzinfo=zone),
    )
    flood = service.end(flood.id, ended_at=datetime(2026, 3, 10, 6, tzinfo=zone))
    wildfire = service.declare(
        "forest_fire",
        "Wildfire",
        [cast.environment.id],
        declared_at=datetime(2026, 10, 29, 8, tzinfo=zone),
    )
    wildfire = service.end(wildfire.id, ended_at=datetime(2026, 10, 31, 12, tzinfo=zone))
    outage = service.declare(
        "power_outage",
        "Outage",
        [],
        account_ids=[env[0].id],
        declared_at=datetime(2026, 10, 30, 12, tzinfo=zone),
    )
    blizzard = service.declare(
        "severe_weather",
        "Blizzard",
        [cast.environment.id],
        declared_at=datetime(2026, 10, 31, 3, tzinfo=zone),
    )
    return World({a.id: a.ministry_id for a in health + env}, [flood, wildfire, outage, blizzard])


def _instants(rng: random.Random, zone: ZoneInfo, n: int) -> list[datetime]:
    """Random times, dense around the daylight-saving changes, holidays and closures, on the
    opening and closing minutes, and some received at exactly the same instant."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    span = (datetime(2026, 11, 18, 14, tzinfo=UTC) - start).total_seconds()
    hot = [date(2026, 3, 8), date(2026, 10, 31), date(2026, 11, 1), date(2026, 4, 3)]
    found: list[datetime] = []
    while len(found) < n:
        pick = rng.random()
        if pick < 0.4:
            t = start + timedelta(seconds=rng.random() * span)
        elif pick < 0.8:
            day = rng.choice(hot) + timedelta(days=rng.randint(-3, 2))
            t = datetime.combine(day, time(0), zone) + timedelta(minutes=rng.randint(0, 1439))
        elif pick < 0.95:
            day = date(2026, 1, 1) + timedelta(days=rng.randint(0, 320))
            wall = rng.choice([time(8, 59, 59), time(9), time(15, 59), time(16, 30), time(17)])
            t = datetime.combine(day, wall, zone)
        else:
            t = rng.choice(found) if found else start
        found.append(t.astimezone(UTC))
    return found


def _insert(cast: Cast, world: World, received: list[datetime], rng: random.Random) -> None:
    rows = [
        {
            "id": uuid.uuid4(),
            "account_id": rng.choice(list(world.accounts)),
            "received_at": r,
            "text": "Question",
            "status": rng.choice(list(CommentStatus)),
            "clock_start_at": JUNK,
            "acknowledge_due_at": JUNK,
            "answer_due_at": JUNK,
        }
        for r in received
    ]
    with cast.db.write() as s:
        s.execute(insert(Comment), rows)


def _expected(
    world: World, policy: SlaPolicy, comment: Comment
) -> tuple[datetime, datetime, datetime, uuid.UUID | None]:
    ministry = world.accounts[comment.account_id]
    covering = [
        e
        for e in world.emergencies
        if (
            comment.account_id in {r.account_id for r in e.account_rows}
            or ministry in {r.ministry_id for r in e.ministry_rows}
        )
        and e.declared_at <= comment.received_at
        and (e.ended_at is None or comment.received_at < e.ended_at)
    ]
    chosen = min(covering, key=lambda e: e.declared_at) if covering else None
    due = policy.due(comment.received_at, chosen is not None)
    # In UTC: Python never finds datetimes of two zones equal when one is in a DST fold.
    return (
        due.clock_start.astimezone(UTC),
        due.acknowledge_by.astimezone(UTC),
        due.answer_by.astimezone(UTC),
        chosen.id if chosen else None,
    )


def _stored(comment: Comment) -> tuple[datetime, datetime, datetime, uuid.UUID | None]:
    return (
        comment.clock_start_at,
        comment.acknowledge_due_at,
        comment.answer_due_at,
        comment.emergency_id,
    )


def _comments(cast: Cast) -> list[Comment]:
    with cast.db.read() as s:
        return list(s.scalars(select(Comment)))


@pytest.mark.parametrize("timezone", ["America/Regina", "America/Toronto"])
def test_recompute_matches_sla_policy_on_random_comments(cast: Cast, timezone: str) -> None:
    rng = random.Random(f"recompute-{timezone}")
    world = _world(cast, timezone)
    _insert(cast, world, _instants(rng, ZoneInfo(timezone), 400), rng)
    policy = SlaPolicy(BusinessCalendar(timezone, CLOSURES))
    with cast.db.write() as s:
        assert sla_policy(s) == policy
        changed = recompute_due_times(s, batch_size=37)
    assert changed == 400
    comments = _comments(cast)
    mismatches = [
        (c.received_at, _stored(c), _expected(world, policy, c))
        for c in comments
        if _stored(c) != _expected(world, policy, c)
    ]
    assert mismatches == []
    assert sum(c.emergency_id is not None for c in comments) > 20  # emergencies were exercised
    with cast.db.write() as s:
        assert recompute_due_times(s, batch_size=37) == 0  # nothing left to change


def test_filters_touch_only_the_comments_they_name(cast: Cast) -> None:
    rng = random.Random(7)
    world = _world(cast, "America/Regina")
    _insert(cast, world, _instants(rng, ZoneInfo("America/Regina"), 200), rng)
    since = datetime(2026, 6, 1, tzinfo=UTC)
    env_account = next(a for a, m in world.accounts.items() if m == cast.environment.id)
    with cast.db.write() as s:
        recompute_due_times(
            s, since=since, open_only=True, where=covering_filter([env_account], []), batch_size=9
        )
    policy = SlaPolicy(BusinessCalendar("America/Regina", CLOSURES))
    for c in _comments(cast):
        named = c.received_at >= since and c.status in OPEN and c.account_id == env_account
        if named:
            assert _stored(c) == _expected(world, policy, c)
        else:
            assert c.acknowledge_due_at == JUNK


def test_progress_is_reported_per_page_and_cancel_undoes_everything(cast: Cast) -> None:
    rng = random.Random(11)
    world = _world(cast, "America/Regina")
    _insert(cast, world, _instants(rng, ZoneInfo("America/Regina"), 50), rng)
    seen: list[tuple[int, int]] = []
    with cast.db.write() as s:
        recompute_due_times(s, batch_size=20, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(0, 50), (20, 50), (40, 50), (50, 50)]

    with cast.db.write() as s:
        s.execute(update(Comment).values(acknowledge_due_at=JUNK))
    pages: list[int] = []
    with pytest.raises(Cancelled, match="cancelled"), cast.db.write() as s:
        recompute_due_times(
            s,
            batch_size=20,
            progress=lambda d, t: pages.append(d),
            cancelled=lambda: len(pages) > 2,
        )
    assert pages == [0, 20, 40]
    assert {c.acknowledge_due_at for c in _comments(cast)} == {JUNK}


def test_emergency_covering_picks_the_earliest_running_declaration(cast: Cast) -> None:
    world = _world(cast, "America/Regina")
    flood, wildfire, outage, blizzard = world.emergencies
    health_account, env_account = (
        next(a for a, m in world.accounts.items() if m == ministry)
        for ministry in (cast.health.id, cast.environment.id)
    )
    zone = ZoneInfo("America/Regina")
    with cast.db.read() as s:
        during_flood = emergency_covering(
            s, health_account, cast.health.id, datetime(2026, 3, 8, tzinfo=zone)
        )
        after_flood = emergency_covering(
            s, health_account, cast.health.id, datetime(2026, 3, 10, 6, tzinfo=zone)
        )
        both = emergency_covering(
            s, env_account, cast.environment.id, datetime(2026, 11, 1, tzinfo=zone)
        )
        only_blizzard = emergency_covering(
            s, uuid.uuid4(), cast.environment.id, datetime(2026, 11, 1, tzinfo=zone)
        )
        three = emergency_covering(
            s, env_account, cast.environment.id, datetime(2026, 10, 31, 6, tzinfo=zone)
        )
        before = emergency_covering(
            s, env_account, cast.environment.id, datetime(2026, 10, 29, 7, tzinfo=zone)
        )
    found = [during_flood, after_flood, both, only_blizzard, three, before]
    # The end is exclusive; of several running ones the earliest declared wins.
    assert [e.id if e else None for e in found] == [
        flood.id,
        None,
        outage.id,
        blizzard.id,
        wildfire.id,
        None,
    ]


def test_batch_size_must_be_positive(cast: Cast) -> None:
    with pytest.raises(ValueError, match="at least 1"), cast.db.write() as s:
        recompute_due_times(s, batch_size=0)
