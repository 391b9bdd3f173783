"""A large, realistic comment log written with Core bulk inserts (no services, no audit).

For the paging tests and the timing runs: ministries, people, accounts and ``n`` comments
whose due times come from the real service-level clock, so sort columns have the ties
(every overnight comment is due at 09:30) that keyset paging must get right.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from desktop.enums import (
    AccountStatus,
    AppRole,
    CloseReason,
    CommentKind,
    CommentStatus,
    EmergencyKind,
    Platform,
)
from desktop.models import Account, Comment, Emergency, Ministry, Person, PersonRole
from desktop.policy.sla import SlaPolicy
from desktop.storage.database import Database

MINISTRY_CODES = (
    ("HEA", "Ministry of Health"),
    ("ENV", "Ministry of Environment"),
    ("EDU", "Ministry of Education"),
    ("HWY", "Ministry of Highways"),
    ("SPS", "Saskatchewan Public Safety Agency"),
    ("AGR", "Ministry of Agriculture"),
    ("JUS", "Ministry of Justice and Attorney General"),
    ("SOC", "Ministry of Social Services"),
)
FIRST = ("Alex", "Sam", "Jordan", "Taylor", "Morgan", "Casey", "Riley", "Jamie", "Avery", "Quinn")
LAST = ("Bear", "Friesen", "Nguyen", "Dubois", "Singh", "Morin", "Klassen", "Sanderson", "Li")
SUBJECTS = (
    "the road closure on Highway 11",
    "wildfire smoke near Prince Albert",
    "flu vaccine clinic hours",
    "the boil water advisory",
    "school bus routes this fall",
    "fishing licence renewals",
    "the new provincial park campsite booking",
    "power restoration in my area",
    "the emergency shelter in La Ronge",
    "crop insurance deadlines",
)
OPENERS = (
    "Can someone tell me more about",
    "Why hasn't anyone answered my question about",
    "Thank you for the update on",
    "I am really frustrated with",
    "Is there a phone number I can call about",
    "Where can I find the form for",
    "Great work by the staff on",
)
TAILS = (
    " My family has been waiting for two days and we still have no information.",
    " Please post the details on your website as well.",
    " I called the office but nobody picked up.",
    "",
    " This affects a lot of people in our community, especially seniors.",
)
DUE_STATUSES = (CommentStatus.NEW, CommentStatus.ACKNOWLEDGED)
PAST_STATUSES = (
    CommentStatus.CLOSED,
    CommentStatus.CLOSED,
    CommentStatus.CLOSED,
    CommentStatus.ANSWERED,
    CommentStatus.HIDDEN,
)


@dataclass(frozen=True)
class BulkLog:
    ministries: dict[str, uuid.UUID]
    accounts: list[uuid.UUID]
    people: list[uuid.UUID]
    emergency_id: uuid.UUID
    comments: int


def bulk_comment_log(
    db: Database,
    comments: int,
    *,
    as_of: datetime,
    accounts: int = 60,
    seed: int = 7,
    batch: int = 20_000,
    days: int = 400,
) -> BulkLog:
    """Fill an empty (migrated) database; the last ~2 days hold the open comments."""
    rng = random.Random(seed)
    ministries = {code: uuid.UUID(int=rng.getrandbits(128)) for code, _ in MINISTRY_CODES}
    codes = list(ministries)
    people = [uuid.UUID(int=rng.getrandbits(128)) for _ in range(24)]
    account_ids = [uuid.UUID(int=rng.getrandbits(128)) for _ in range(accounts)]
    account_ministry = {a: ministries[codes[i % len(codes)]] for i, a in enumerate(account_ids)}
    emergency_id = uuid.UUID(int=rng.getrandbits(128))
    platforms = list(Platform)
    with db.write() as session:
        session.execute(
            insert(Ministry),
            [{"id": ministries[c], "code": c, "name": n} for c, n in MINISTRY_CODES],
        )
        session.execute(
            insert(Person),
            [
                {
                    "id": pid,
                    "login": f"bulk{i:02d}",
                    "name": f"{FIRST[i % len(FIRST)]} {LAST[i % len(LAST)]}",
                    "email": f"bulk{i:02d}@gov.sk.ca",
                    "ministry_id": ministries[codes[i % len(codes)]],
                }
                for i, pid in enumerate(people)
            ],
        )
        session.execute(
            insert(PersonRole), [{"person_id": p, "role": AppRole.OFFICER} for p in people]
        )
        # An administrator and an auditor, who hold no comments.
        for login, role in (("bulkadmin", AppRole.ADMIN), ("bulkaudit", AppRole.AUDITOR)):
            pid = uuid.UUID(int=rng.getrandbits(128))
            session.execute(
                insert(Person),
                [{"id": pid, "login": login, "name": login.title(), "email": f"{login}@gov.sk.ca"}],
            )
            session.execute(insert(PersonRole), [{"person_id": pid, "role": role}])
        session.execute(
            insert(Account),
            [
                {
                    "id": aid,
                    "platform": platforms[i % len(platforms)],
                    "handle": f"SK{codes[i % len(codes)].title()}{i:03d}",
                    "ministry_id": account_ministry[aid],
                    "status": AccountStatus.ACTIVE,
                    "government_email": f"acct{i}@gov.sk.ca",
                }
                for i, aid in enumerate(account_ids)
            ],
        )
        session.execute(
            insert(Emergency),
            [
                {
                    "id": emergency_id,
                    "kind": EmergencyKind.FOREST_FIRE,
                    "title": "Northern wildfires",
                    "declared_at": as_of - timedelta(days=30),
                }
            ],
        )
    rows = _comment_rows(
        rng, comments, as_of, days, account_ids, account_ministry, people, emergency_id
    )
    chunk: list[dict[str, object]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= batch:
            with db.write() as session:
                session.execute(Comment.__table__.insert(), chunk)
            chunk = []
    if chunk:
        with db.write() as session:
            session.execute(Comment.__table__.insert(), chunk)
    return BulkLog(ministries, account_ids, people, emergency_id, comments)


def _comment_rows(
    rng: random.Random,
    n: int,
    as_of: datetime,
    days: int,
    accounts: list[uuid.UUID],
    account_ministry: dict[uuid.UUID, uuid.UUID],
    people: list[uuid.UUID],
    emergency_id: uuid.UUID,
) -> Iterator[dict[str, object]]:
    sla = SlaPolicy()
    kinds = list(CommentKind)
    span = days * 86_400
    recent = 2 * 86_400
    now = datetime.now(UTC)
    for i in range(n):
        # One in fifty is still open and recent, so due-soon and overdue filters find rows.
        is_open = i % 50 == 0
        seconds = rng.randrange(recent) if is_open else rng.randrange(span)
        # Whole minutes: many comments share a received time too.
        received = (as_of - timedelta(seconds=seconds)).replace(second=0, microsecond=0)
        emergency = i % 40 == 0 and seconds < 30 * 86_400
        due = sla.due(received, emergency)
        status = rng.choice(DUE_STATUSES) if is_open else rng.choice(PAST_STATUSES)
        account = accounts[rng.randrange(len(accounts))]
        first, last = rng.choice(FIRST), rng.choice(LAST)
        text = f"{rng.choice(OPENERS)} {rng.choice(SUBJECTS)}?{rng.choice(TAILS)}"
        acknowledged = status != CommentStatus.NEW
        answered = status in (CommentStatus.ANSWERED, CommentStatus.CLOSED)
        yield {
            "id": uuid.UUID(int=rng.getrandbits(128)),
            "account_id": account,
            "received_at": received,
            "author_name": f"{first} {last}",
            "author_handle": f"@{first.lower()}{last.lower()}{i % 97}",
            "text": text,
            "kind": kinds[i % len(kinds)],
            "routed_ministry_id": account_ministry[account],
            "assignee_id": people[rng.randrange(len(people))] if i % 3 else None,
            "status": status,
            "high_profile": i % 97 == 0,
            "emergency_id": emergency_id if emergency else None,
            "clock_start_at": due.clock_start,
            "acknowledge_due_at": due.acknowledge_by,
            "answer_due_at": due.answer_by,
            "acknowledged_at": due.acknowledge_by - timedelta(minutes=20) if acknowledged else None,
            "answered_at": due.answer_by - timedelta(hours=2) if answered else None,
            "closed_at": due.answer_by if status == CommentStatus.CLOSED else None,
            "close_reason": CloseReason.ANSWERED if status == CommentStatus.CLOSED else None,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
