"""The members of the public who comment: one handle per platform, made-up but plausible."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from desktop.enums import Platform
from desktop.models import Commenter
from desktop.services.demo.builder import IdStream, Seeder
from desktop.services.demo.catalogue import FIRST_NAMES, LAST_NAMES
from desktop.services.demo.texts import MEDIA_OUTLETS
from desktop.services.demo.violations import (
    ACK_OVERDUE_COMMENT,
    ANSWER_OVERDUE_COMMENT,
    BAN_NOT_LIFTED,
    STRIKES_NO_BAN,
    UNASSIGNED_COMMENT,
)

# Share of the commenters (and of the comments) per platform.
PLATFORM_SHARE = {
    Platform.FACEBOOK: 0.5,
    Platform.X: 0.25,
    Platform.INSTAGRAM: 0.14,
    Platform.YOUTUBE: 0.05,
    Platform.LINKEDIN: 0.04,
    Platform.WECHAT: 0.02,
}
_PREFIX = (
    "prairie", "north", "sask", "yqr", "yxe", "lakeland", "wheatland", "river", "flatland",
    "canola", "aurora", "coulee", "bluesky", "harvest", "boreal", "rider",
)  # fmt: skip
_NOUN = (
    "farmer", "mom", "dad", "rider", "angler", "hunter", "nurse", "teacher", "trucker",
    "driver", "fan", "gal", "guy", "grandma", "student", "welder", "vet", "baker",
)  # fmt: skip
COMMENTER_COLUMNS = (
    "id",
    "platform",
    "handle",
    "display_name",
    "version",
    "created_at",
    "updated_at",
)
RESERVED = {
    (ACK_OVERDUE_COMMENT[1], ACK_OVERDUE_COMMENT[0]),
    (ANSWER_OVERDUE_COMMENT[1], ANSWER_OVERDUE_COMMENT[0]),
    (UNASSIGNED_COMMENT[1], UNASSIGNED_COMMENT[0]),
    STRIKES_NO_BAN,
    BAN_NOT_LIFTED,
}


@dataclass(frozen=True)
class Who:
    """A commenter as comments refer to it (``ref`` is the id as bound, see Codec)."""

    id: uuid.UUID
    ref: Any
    platform: Platform
    handle: str
    name: str


class CommenterBook:
    """Draws unique handles and collects the rows; ``flush`` inserts them before comments."""

    def __init__(self, s: Seeder) -> None:
        self.s = s
        self.rng = s.rng("commenters")
        self.new_id = IdStream(s.rng("commenter_ids"), s.plan.commenters + 64)
        self.taken: set[tuple[Platform, str]] = {(p, h.lower()) for p, h in RESERVED}
        self.rows: list[tuple[Any, ...]] = []
        self.pools: dict[Platform, list[Who]] = {}
        self.media: dict[Platform, list[Who]] = {}
        self.named: dict[str, Who] = {}

    def add(self, platform: Platform, handle: str, name: str) -> Who:
        s = self.s
        first_seen = s.as_of - timedelta(days=s.plan.days + self.rng.randint(1, 900))
        ident = self.new_id()
        ref, at = s.codec.ref(ident), s.codec.at(first_seen)
        self.rows.append((ref, platform.value, handle, name, 1, at, at))
        self.taken.add((platform, handle.lower()))
        return Who(ident, ref, platform, handle, name)

    def fresh(self, platform: Platform) -> Who:
        """A new member of the public with a handle nobody on the platform has."""
        rng = self.rng
        while True:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            style = rng.random()
            if style < 0.4:
                handle = f"{rng.choice(_PREFIX)}_{rng.choice(_NOUN)}{rng.randint(1, 999)}"
            elif style < 0.8:
                handle = f"{first.lower()}{last.lower()}{rng.randint(1, 99)}"
            else:
                handle = f"{first[0].lower()}{last.lower()}_{rng.choice(('sk', 'yxe', 'yqr'))}"
            if (platform, handle.lower()) not in self.taken:
                return self.add(platform, handle, f"{first} {last}")

    def seed_pools(self) -> None:
        """Everyone who writes ordinary comments, the media, and the named late commenters."""
        for handle, platform, _account, _text in (
            ACK_OVERDUE_COMMENT,
            ANSWER_OVERDUE_COMMENT,
            UNASSIGNED_COMMENT,
        ):
            self.named[handle] = self.add(platform, handle, handle.replace("_", " ").title())
        total = self.s.plan.commenters
        for platform, share in PLATFORM_SHARE.items():
            self.pools[platform] = [self.fresh(platform) for _ in range(max(5, int(total * share)))]
            self.media[platform] = [
                self.add(platform, outlet.replace(" ", ""), outlet) for outlet in MEDIA_OUTLETS
            ]

    def pick(self, rng: random.Random, platform: Platform) -> Who:
        pool = self.pools.get(platform) or self.pools[Platform.FACEBOOK]
        return pool[rng.randrange(len(pool))]

    def flush(self) -> None:
        self.s.insert_encoded(Commenter, COMMENTER_COLUMNS, self.rows)
        self.s.progress(f"{len(self.rows):,} commenters")
        self.rows = []
