"""The "3 strikes" record: abusive comments hidden, strikes with evidence, bans in every state.

Commenters have one to four strikes. Everyone who reached three has a ban (running, proposed,
lifted, or served and struck again) except the two cases DELIBERATE_VIOLATIONS names.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from desktop.enums import (
    AppRole,
    BanKind,
    BanStatus,
    CloseReason,
    CommentKind,
    CommentStatus,
    Platform,
    RemovalCategory,
)
from desktop.models import Ban, Strike
from desktop.policy.moderation import StrikeRecord, proposal_after_strike
from desktop.policy.settings import PolicySettings
from desktop.services.demo.builder import PersonRef, Row, Seeder, World, new_id
from desktop.services.demo.commenters import CommenterBook, Who
from desktop.services.demo.comments import CommentWriter, Target
from desktop.services.demo.outcomes import Outcome
from desktop.services.demo.texts import ABUSE
from desktop.services.demo.violations import BAN_NOT_LIFTED, STRIKES_NO_BAN

_CATEGORIES = tuple(ABUSE)
_CATEGORY_WEIGHTS = (6, 2, 5, 4, 2, 1, 2, 2, 2, 1, 1, 1, 1)  # spam and harassment lead
_PLATFORMS = ((0.6, Platform.FACEBOOK), (0.9, Platform.X), (1.0, Platform.INSTAGRAM))

# ban story -> (strike days before the as-of, or None for random ones; how many per factor)
_CASES: dict[str, tuple[tuple[int, ...] | None, int]] = {
    "one": (None, 12),
    "two": (None, 6),
    "active": ((38, 25, 13), 2),
    "proposed": ((30, 15, 2), 1),
    "lifted": ((85, 75, 62), 1),
    "served_then_strike": ((88, 85, 83, 20), 1),
}
_FIXED = {STRIKES_NO_BAN: ("no_ban", (40, 21, 6)), BAN_NOT_LIFTED: ("not_lifted", (80, 66, 47))}


@dataclass(frozen=True)
class Troll:
    who: Who
    story: str
    strikes: tuple[tuple[datetime, RemovalCategory], ...]


def plan_trolls(s: Seeder, book: CommenterBook) -> list[Troll]:
    """Who strikes and when; the commenters are added to ``book`` before it is flushed."""
    rng = s.rng("moderation_plan")
    trolls: list[Troll] = []

    def strikes(days: tuple[int, ...]) -> tuple[tuple[datetime, RemovalCategory], ...]:
        return tuple(
            (
                s.as_of - timedelta(days=d, hours=rng.uniform(1, 9)),
                rng.choices(_CATEGORIES, weights=_CATEGORY_WEIGHTS)[0],
            )
            for d in days
        )

    for (platform, handle), (fixed_story, fixed_days) in _FIXED.items():
        trolls.append(Troll(book.add(platform, handle, handle), fixed_story, strikes(fixed_days)))
    window = min(s.plan.days, 90) - 3
    for story, (days, per_factor) in _CASES.items():
        for _ in range(per_factor * s.plan.troll_factor):
            u = rng.random()
            platform = next(p for limit, p in _PLATFORMS if u < limit)
            if days is None:
                n = 1 if story == "one" else 2
                picked = tuple(sorted(rng.sample(range(2, window), n), reverse=True))
            else:
                picked = days
            trolls.append(Troll(book.fresh(platform), story, strikes(picked)))
    return trolls


def seed_moderation(s: Seeder, world: World, w: CommentWriter, trolls: list[Troll]) -> None:
    rng = s.rng("moderation")
    by_platform: dict[Platform, list[Target]] = {}
    for t in w.targets:
        by_platform.setdefault(t.acc.platform, []).append(t)
    officers = {code: world.with_role(AppRole.OFFICER, code) for code in world.ministries}
    strike_rows: list[Row] = []
    ban_rows: list[Row] = []
    for troll in trolls:
        records = []
        moderators: list[PersonRef] = []
        for at, category in troll.strikes:
            t = by_platform[troll.who.platform][rng.randrange(len(by_platform[troll.who.platform]))]
            moderator = officers[t.acc.ministry][rng.randrange(len(officers[t.acc.ministry]))]
            received = at - timedelta(minutes=rng.uniform(10, 300))
            emergency, due = w.due(t, t.acc.ministry, received)
            out = Outcome(
                CommentStatus.HIDDEN, s.codec.ref(moderator.id), None, None, at, CloseReason.REMOVED
            )
            text = ABUSE[category]
            number, url = w.add(
                t, troll.who, received, t.acc.ministry, text, CommentKind.COMMENT,
                emergency, due, out, hidden=category,
            )  # fmt: skip
            strike_rows.append(
                s.row(
                    Strike,
                    at,
                    id=new_id(rng),
                    commenter_id=troll.who.id,
                    platform=troll.who.platform,
                    comment_id=uuid.UUID(int=number),
                    category=category,
                    evidence_text=text,
                    evidence_url=url,
                    recorded_by_id=moderator.id,
                    recorded_at=at,
                )
            )
            records.append(StrikeRecord(at, category))
            moderators.append(moderator)
        ban = _ban(
            s, rng, world, troll, records, moderators[-1] if len(moderators) < 3 else moderators[2]
        )
        if ban is not None:
            ban_rows.append(ban)
    w.flush()
    s.insert(Strike, strike_rows)
    s.insert(Ban, ban_rows)
    s.progress(f"{len(strike_rows):,} strikes, {len(ban_rows):,} bans")


def _ban(
    s: Seeder,
    rng: random.Random,
    world: World,
    troll: Troll,
    strikes: list[StrikeRecord],
    moderator: PersonRef,
) -> Row | None:
    """The ban the third strike called for, in the state the troll's story says."""
    if troll.story in ("one", "two", "no_ban"):
        return None
    settings = PolicySettings()
    third = strikes[2].at
    proposed = third + timedelta(hours=rng.uniform(1, 20))
    proposal = proposal_after_strike(
        strikes[:3],
        [],
        proposed,
        threshold=settings.strike_threshold,
        window=timedelta(days=settings.strike_window_days),
        ban_duration=timedelta(days=settings.ban_days),
    )
    # Three strikes in the window, no earlier ban: always a temporary ban with an end.
    assert proposal is not None
    assert proposal.ends_at is not None
    officer = moderator  # who recorded the third strike proposes the ban
    director = world.one(AppRole.COMMS_DIRECTOR, moderator.ministry)
    decided = proposed + timedelta(hours=rng.uniform(2, 20))
    status = {
        "active": BanStatus.ACTIVE,
        "not_lifted": BanStatus.ACTIVE,  # ran out, nobody marked it: a deliberate violation
        "proposed": BanStatus.PROPOSED,
        "lifted": BanStatus.LIFTED,
        "served_then_strike": BanStatus.EXPIRED,
    }[troll.story]
    pending = status is BanStatus.PROPOSED
    starts = None if pending else decided
    lifted = decided + timedelta(days=rng.randint(8, 12)) if status is BanStatus.LIFTED else None
    return s.row(
        Ban,
        proposed,
        id=new_id(rng),
        commenter_id=troll.who.id,
        platform=troll.who.platform,
        kind=BanKind.TEMPORARY,
        status=status,
        reason=proposal.reason,
        starts_at=starts,
        ends_at=None if starts is None else starts + (proposal.ends_at - proposal.starts_at),
        proposed_by_id=officer.id,
        proposed_at=proposed,
        decided_by_id=None if pending else director.id,
        decided_at=None if pending else decided,
        lifted_by_id=director.id if lifted else None,
        lifted_at=lifted,
        updated_at=lifted or (proposed if pending else decided),
    )
