"""The "3 strikes" rule: when a commenter's removed posts call for a temporary or permanent ban.

The caller passes one commenter's strikes and bans on one platform; nothing here is stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from desktop.enums import BanKind, BanStatus, RemovalCategory


@dataclass(frozen=True)
class StrikeRecord:
    at: datetime
    category: RemovalCategory


@dataclass(frozen=True)
class BanRecord:
    kind: BanKind
    status: BanStatus
    starts_at: datetime | None
    ends_at: datetime | None  # None for a permanent removal


@dataclass(frozen=True)
class BanProposal:
    kind: BanKind
    starts_at: datetime
    ends_at: datetime | None
    reason: str


def ban_record(
    kind: BanKind,
    status: BanStatus,
    starts_at: datetime | None,
    ends_at: datetime | None,
    proposed_at: datetime | None,
    decided_at: datetime | None,
) -> BanRecord:
    """A stored ban as the rule reads it. A proposal has no start of its own: it stands at
    the time it was made, and a declined one at the time it was declined, so that the
    decline ends the strike episode and only a strike recorded after it counts again."""
    if starts_at is None and status is BanStatus.DECLINED:
        starts_at = decided_at or proposed_at
    elif starts_at is None and status is BanStatus.PROPOSED:
        starts_at = proposed_at
    return BanRecord(kind, status, starts_at, ends_at)


# A ban in one of these states means the person has been banned at some point.
_SERVED = frozenset({BanStatus.ACTIVE, BanStatus.EXPIRED, BanStatus.LIFTED})


def ban_is_expired(ban: BanRecord, as_of: datetime) -> bool:
    """An active temporary ban whose end has passed (it only awaits being marked expired)."""
    return (
        ban.status is BanStatus.ACTIVE
        and ban.kind is BanKind.TEMPORARY
        and ban.ends_at is not None
        and ban.ends_at <= as_of
    )


def strikes_in_window(strikes: Iterable[StrikeRecord], as_of: datetime, window: timedelta) -> int:
    """Strikes with ``as_of - window <= at <= as_of`` (both ends included; later ones ignored)."""
    return len(_in_window(strikes, as_of, window))


def proposal_after_strike(
    strikes: Sequence[StrikeRecord],
    bans: Sequence[BanRecord],
    as_of: datetime,
    threshold: int = 3,
    window: timedelta = timedelta(days=365),
    ban_duration: timedelta = timedelta(days=30),
) -> BanProposal | None:
    """The ban to propose now, or None.

    Counts the strikes in the window that came strictly after the latest ban started (strikes
    that led to a ban are spent). At the threshold: a temporary ban, or a permanent removal if
    the person was banned before. Nothing while a ban is proposed or still running, and after a
    declined proposal only once a new strike has been recorded since.
    """
    if threshold < 1:
        raise ValueError("The strike threshold must be at least 1.")
    for ban in bans:
        if ban.status is BanStatus.PROPOSED:
            return None
        if ban.status is BanStatus.ACTIVE and not ban_is_expired(ban, as_of):
            return None

    served = [b for b in bans if b.status in _SERVED or ban_is_expired(b, as_of)]
    # A ban without a recorded start still counts as "banned before" but cannot spend strikes.
    cut = max((b.starts_at for b in served if b.starts_at is not None), default=None)
    counted = [s for s in _in_window(strikes, as_of, window) if cut is None or s.at > cut]
    if len(counted) < threshold:
        return None

    declined = [
        b.starts_at for b in bans if b.status is BanStatus.DECLINED and b.starts_at is not None
    ]
    # A moderator who declined a proposal decided on the strikes known then; ask again only
    # when the person strikes again, not every time this is recomputed.
    if declined and not any(s.at > max(declined) for s in counted):
        return None

    categories = ", ".join(sorted({s.category.value.replace("_", " ") for s in counted}))
    count, days = _plural(len(counted), "strike"), _plural(window.days, "day")
    if served:
        return BanProposal(
            kind=BanKind.PERMANENT,
            starts_at=as_of,
            ends_at=None,
            reason=(
                f"{count} within {days} since an earlier ban ({categories}): permanent removal."
            ),
        )
    return BanProposal(
        kind=BanKind.TEMPORARY,
        starts_at=as_of,
        ends_at=as_of + ban_duration,
        reason=(
            f"{count} within {days} ({categories}): "
            f"temporary ban for {_plural(ban_duration.days, 'day')}."
        ),
    )


def _in_window(
    strikes: Iterable[StrikeRecord], as_of: datetime, window: timedelta
) -> list[StrikeRecord]:
    start = as_of - window
    return [s for s in strikes if start <= s.at <= as_of]


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
