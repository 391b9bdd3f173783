"""Citizen comments before the as-of: due times from the SLA clock, mostly on-time outcomes,
responses by all four methods, and a few comments left late on purpose.

Built for a million rows: times are drawn and sorted first, rows are bound pre-encoded (see
``Codec``) and written in batches, one SlaPolicy instance computes every due time.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate
from typing import Any

from desktop.enums import (
    AccountStatus,
    AppRole,
    CommentKind,
    CommentStatus,
    Platform,
    RemovalCategory,
)
from desktop.models import Comment
from desktop.models import Response as ResponseRow
from desktop.policy.sla import DueTimes, SlaPolicy
from desktop.services.demo.builder import BATCH, AccountRef, IdStream, Seeder, World
from desktop.services.demo.catalogue import CENTRAL, MINISTRIES, MINISTRY_BY_CODE
from desktop.services.demo.commenters import CommenterBook, Who
from desktop.services.demo.emergencies import Declared
from desktop.services.demo.outcomes import Outcome, decide
from desktop.services.demo.replies import RESPONSE_COLUMNS, Replies
from desktop.services.demo.texts import EMERGENCY_TEMPLATES, comment_pool, fill, media_question
from desktop.services.demo.violations import (
    ACK_OVERDUE_COMMENT,
    ANSWER_OVERDUE_COMMENT,
    UNASSIGNED_COMMENT,
)

_PLATFORM_WEIGHT = {
    Platform.FACEBOOK: 1.0,
    Platform.X: 0.7,
    Platform.INSTAGRAM: 0.45,
    Platform.YOUTUBE: 0.15,
    Platform.LINKEDIN: 0.1,
    Platform.WECHAT: 0.08,
    Platform.TIKTOK: 0.3,
}
# Local hour of day and weekday (Monday first): people write in the day, less at weekends.
_HOUR_WEIGHT = (
    0.05, 0.03, 0.02, 0.02, 0.03, 0.08, 0.25, 0.55, 0.8, 0.95, 1.0, 1.0,
    0.95, 0.95, 1.0, 0.95, 0.9, 0.85, 0.8, 0.8, 0.75, 0.6, 0.35, 0.15,
)  # fmt: skip
_DAY_WEIGHT = (1.0, 1.0, 0.97, 0.95, 0.9, 0.6, 0.55)
# Extra comments during an emergency, as a share of all comments in the window.
_SURGE = {"fire": 0.04, "outage": 0.02, "flood": 0.02}
MEDIA_SHARE = 0.005
COMMENT_COLUMNS = (
    "id", "account_id", "commenter_id", "received_at", "author_name", "author_handle", "text",
    "url", "kind", "routed_ministry_id", "assignee_id", "status", "high_profile",
    "emergency_id", "clock_start_at", "acknowledge_due_at", "answer_due_at", "acknowledged_at",
    "answered_at", "closed_at", "close_reason", "hidden_category", "logged_by_id", "version",
    "created_at", "updated_at", "external_id",
)  # fmt: skip
NAMED = 3  # the three named late comments of DELIBERATE_VIOLATIONS


@dataclass(frozen=True)
class Target:
    """An account comments can land on, with what a row needs of it ready-made."""

    acc: AccountRef
    ref: Any
    loggers: tuple[Any, ...]
    weight: float


class CommentWriter:
    """Builds and writes comment rows and their responses (moderation uses it too)."""

    def __init__(
        self,
        s: Seeder,
        world: World,
        policy: SlaPolicy,
        emergencies: list[Declared],
        replies: Replies,
    ) -> None:
        self.s = s
        self.policy = policy
        self.replies = replies
        self.emergencies = emergencies
        ref = s.codec.ref
        self.ministry_ref = {code: ref(i) for code, i in world.ministries.items()}
        self.officers = {
            code: tuple(ref(p.id) for p in world.with_role(AppRole.OFFICER, code))
            for code in world.ministries
        }
        self.emergency_ref = {e.id: ref(e.id) for e in emergencies}
        self.targets: list[Target] = []
        for acc in world.accounts:
            # Accounts without engagement get no comments either: the numbers must agree.
            if acc.status is AccountStatus.ACTIVE and acc.story != "no_engagement":
                weight = _PLATFORM_WEIGHT[acc.platform] * (
                    4.0 if acc.central else MINISTRY_BY_CODE[acc.ministry].weight or 0.5
                )
                loggers = self.officers[acc.ministry]
                self.targets.append(Target(acc, ref(acc.id), loggers, weight))
        self.rng = s.rng("comment_rows")
        self.comment_id = IdStream(s.rng("comment_ids"), s.plan.comments)
        answered = int(s.plan.comments * s.plan.response_share * 0.95)
        self.response_id = IdStream(s.rng("response_ids"), answered)
        self.rows: list[tuple[Any, ...]] = []
        self.responses: list[tuple[Any, ...]] = []
        self.share = s.plan.response_share
        self._stamps: dict[datetime, Any] = {}
        self.written = 0

    def target(self, platform: Platform, handle: str) -> Target:
        return next(
            t for t in self.targets if t.acc.platform is platform and t.acc.handle == handle
        )

    def due(self, t: Target, routed: str, at: datetime) -> tuple[Declared | None, DueTimes]:
        """The emergency covering the comment, if any, and its due times.

        Covered: the account is named by the emergency, or the account's ministry or the
        ministry the comment is routed to is.
        """
        emergency = None
        for e in self.emergencies:
            if e.declared_at <= at and (e.ended_at is None or at < e.ended_at):
                acc = t.acc
                if acc.id in e.accounts or acc.ministry in e.ministries or routed in e.ministries:
                    emergency = e
                    break
        return emergency, self.policy.due(at, emergency is not None)

    def add(
        self,
        t: Target,
        who: Who,
        received: datetime,
        routed: str,
        text: str,
        kind: CommentKind,
        emergency: Declared | None,
        due: DueTimes,
        out: Outcome,
        *,
        high_profile: bool = False,
        hidden: RemovalCategory | None = None,
    ) -> tuple[int, str]:
        """Queue one comment (and its response, if answered); returns its id and URL.

        Runs a million times for the large demo, hence the hand-tuned encoding: instants the
        calendar repeats (openings, closing times) are encoded once and cached.
        """
        enc = self.s.codec.at
        rng = self.rng
        number = self.comment_id.next_int()
        r = enc(received)
        if due.clock_start == received:
            start = r
            ack_by = enc(due.acknowledge_by)
        else:
            start = self._cached(due.clock_start)
            ack_by = self._cached(due.acknowledge_by)
        answer_by = enc(due.answer_by) if emergency else self._cached(due.answer_by)
        ack, answered, closed = enc(out.acknowledged), enc(out.answered), enc(out.closed)
        url = _url(t.acc, who, rng)
        self.rows.append(
            (
                self.s.codec.ref_int(number),
                t.ref,
                who.ref,
                r,
                who.name,
                who.handle,
                text,
                url,
                kind.value,
                self.ministry_ref[routed],
                out.assignee,
                out.status.value,
                high_profile,
                self.emergency_ref[emergency.id] if emergency else None,
                start,
                ack_by,
                answer_by,
                ack,
                answered,
                closed,
                out.close_reason.value if out.close_reason else None,
                hidden.value if hidden else None,
                t.loggers[int(rng.random() * len(t.loggers))],
                1 + (ack is not None) + (answered is not None) + (closed is not None),
                r,
                closed or answered or ack or r,
                None,  # logged in the app, not imported: no platform id
            )
        )
        if answered is not None and rng.random() < self.share:
            self.responses.append(
                self.replies.row(
                    rng,
                    self.response_id.next_int(),
                    number,
                    routed,
                    out.assignee,
                    answered,
                    high_profile,
                )
            )
        if len(self.rows) >= BATCH:
            self.flush()
        return number, url

    def _cached(self, value: datetime) -> Any:
        found = self._stamps.get(value)
        if found is None:
            found = self._stamps[value] = self.s.codec.at(value)
        return found

    def flush(self) -> None:
        if self.rows:
            self.s.insert_encoded(Comment, COMMENT_COLUMNS, self.rows)
            self.written += len(self.rows)
        if self.responses:
            self.s.insert_encoded(ResponseRow, RESPONSE_COLUMNS, self.responses)
        self.rows, self.responses = [], []


def seed_comments(
    s: Seeder, world: World, w: CommentWriter, people: CommenterBook, reserved: int
) -> None:
    """The plan's number of comments, less ``reserved`` (moderation's) and the named three."""
    rng = s.rng("comments")
    plan = s.plan
    now = s.as_of
    start = now - timedelta(days=plan.days)
    total = plan.comments - reserved - NAMED
    surges = [e for e in w.emergencies if e.ended_at is None or e.ended_at > start]
    surge_n = {e.id: int(total * _SURGE[e.topic]) for e in surges}
    regular = total - sum(surge_n.values())
    offset = (world.tz.utcoffset(now.replace(tzinfo=None)) or timedelta(0)).total_seconds()
    streams = [_tagged(_times(rng, start, plan.days * 86400.0, regular, offset), 0.0, None)]
    for e in surges:
        lo = max(e.declared_at, start)
        span = ((e.ended_at or now) - lo).total_seconds()
        times = sorted(rng.random() * span for _ in range(surge_n[e.id]))
        shift = (lo - start).total_seconds()
        streams.append(_tagged(times, shift, e))
    targets = w.targets
    covered = {
        e.id: [
            x
            for x in targets
            if (x.acc.id in e.accounts or x.acc.ministry in e.ministries)
            and x.acc.activated_at is not None
            and x.acc.activated_at < e.declared_at
        ]
        for e in surges
    }
    picks = iter(
        rng.choices(targets, cum_weights=list(accumulate(t.weight for t in targets)), k=regular)
    )
    fallback = w.target(Platform.FACEBOOK, "SKGov")
    routes = [m.code for m in MINISTRIES]
    route_weights = list(accumulate(m.weight or 0.6 for m in MINISTRIES))
    pools = {m.code: comment_pool(rng, m.code, plan.texts_per_ministry) for m in MINISTRIES}
    officers = w.officers
    pools_by_platform = people.pools
    rand = rng.random
    for t_s, surge in heapq.merge(*streams, key=lambda x: x[0]):
        received = start + timedelta(seconds=t_s)
        if surge is None:
            t = next(picks)
            if t.acc.activated_at is not None and t.acc.activated_at > received:
                t = fallback
        else:
            choices = covered[surge.id]
            t = choices[int(rand() * len(choices))]
        platform = t.acc.platform
        routed = t.acc.ministry
        if routed == CENTRAL:
            routed = rng.choices(routes, cum_weights=route_weights)[0]
        if surge is not None:
            if routed not in surge.ministries:
                routed = min(surge.ministries)
            text, _place = fill(rng, rng.choice(EMERGENCY_TEMPLATES[surge.topic]))
            kind = CommentKind.QUESTION
        else:
            pool = pools[routed]
            text, kind = pool[int(rand() * len(pool))]
        high_profile = rand() < MEDIA_SHARE
        if high_profile:
            who = rng.choice(people.media[platform])
            text, kind = media_question(rng, MINISTRY_BY_CODE[routed].name), CommentKind.MEDIA
        else:
            authors = pools_by_platform[platform]
            who = authors[int(rand() * len(authors))]
        emergency, due = w.due(t, routed, received)
        staff = officers[routed]
        assignee = staff[int(rand() * len(staff))]
        out = decide(rng, now, received, due, emergency is not None, assignee)
        w.add(t, who, received, routed, text, kind, emergency, due, out, high_profile=high_profile)
        if not w.rows and w.written % 200_000 == 0:
            s.progress(f"{w.written:,} comments")
    _named_late_comments(s, w, people)
    w.flush()


def _tagged(
    times: list[float], shift: float, e: Declared | None
) -> Iterator[tuple[float, Declared | None]]:
    """Times tagged with the emergency they belong to (None: an ordinary comment)."""
    for t in times:
        yield shift + t, e


def _times(rng: random.Random, start: datetime, span: float, n: int, offset: float) -> list[float]:
    """``n`` sorted seconds after ``start``, denser in the local day and on weekdays."""
    base = start.timestamp() + offset
    rand = rng.random
    out: list[float] = []
    append = out.append
    while len(out) < n:
        t = rand() * span
        local = base + t
        weight = _HOUR_WEIGHT[int(local // 3600) % 24] * _DAY_WEIGHT[(int(local // 86400) + 3) % 7]
        if rand() < weight:
            append(t)
    out.sort()
    return out


def _named_late_comments(s: Seeder, w: CommentWriter, people: CommenterBook) -> None:
    """The three late comments DELIBERATE_VIOLATIONS names, received about a week ago."""
    rng = s.rng("named_comments")
    for spec, status in (
        (ACK_OVERDUE_COMMENT, CommentStatus.NEW),
        (ANSWER_OVERDUE_COMMENT, CommentStatus.ACKNOWLEDGED),
        (UNASSIGNED_COMMENT, CommentStatus.NEW),
    ):
        handle, platform, account, text = spec
        t = w.target(platform, account)
        who = people.named[handle]
        received = s.as_of - timedelta(days=6, hours=rng.randint(0, 4))
        emergency, due = w.due(t, t.acc.ministry, received)
        while emergency is not None or due.answer_by > s.as_of - timedelta(hours=2):
            received -= timedelta(days=1)
            emergency, due = w.due(t, t.acc.ministry, received)
        staff = w.officers[t.acc.ministry]
        assignee = None if spec is UNASSIGNED_COMMENT else staff[0]
        ack = (
            due.clock_start + timedelta(minutes=25)
            if status is CommentStatus.ACKNOWLEDGED
            else None
        )
        out = Outcome(status, assignee, ack)
        w.add(t, who, received, t.acc.ministry, text, CommentKind.QUESTION, None, due, out)


def _url(acc: AccountRef, who: Who, rng: random.Random) -> str:
    n = rng.getrandbits(52)
    p = acc.platform
    if p is Platform.FACEBOOK:
        return f"https://www.facebook.com/{acc.handle}/posts/{n}"
    if p is Platform.X:
        return f"https://x.com/{who.handle}/status/{n}"
    if p is Platform.INSTAGRAM:
        return f"https://www.instagram.com/p/{n:x}/"
    if p is Platform.YOUTUBE:
        return f"https://www.youtube.com/watch?v={n:x}"
    if p is Platform.LINKEDIN:
        return f"https://www.linkedin.com/feed/update/urn:li:activity:{n}"
    return ""
