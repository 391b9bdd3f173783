"""Checks of moderation: commenters at the strike threshold, bans past their end."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from desktop.enums import BanKind, BanStatus, Severity
from desktop.policy.checks.dates import local_text
from desktop.policy.checks.wording import plural
from desktop.policy.facts import CommenterFacts, ComplianceFacts
from desktop.policy.findings import Violation, check
from desktop.policy.moderation import ban_is_expired, proposal_after_strike
from desktop.policy.settings import PolicySettings

STRIKES_QUOTE = (
    'A "3 strikes" policy will be followed, whereby after 3 instances of abuse, an individual '
    "may be temporarily banned or blocked from social media portals for their conduct."
)
_SERVED = frozenset({BanStatus.ACTIVE, BanStatus.EXPIRED, BanStatus.LIFTED})


def _counted_strikes(c: CommenterFacts, as_of: datetime, window: timedelta) -> list[datetime]:
    """Strike times in the window after the latest ban started, oldest first."""
    cut = max(
        (b.starts_at for b in c.bans if b.status in _SERVED and b.starts_at is not None),
        default=None,
    )
    return sorted(
        s.at for s in c.strikes if as_of - window <= s.at <= as_of and (cut is None or s.at > cut)
    )


@check(
    "STRIKE_THRESHOLD_REACHED",
    Severity.WARNING,
    title="Commenter reached the strike threshold without a ban",
    policy_quote=STRIKES_QUOTE,
    remedy=(
        "Propose a ban for the commenter, or decline it with a reason (Tools ▸ Bans): the "
        "decline ends the strike episode."
    ),
)
def strike_threshold_reached(
    facts: ComplianceFacts, settings: PolicySettings, as_of: datetime
) -> Iterator[Violation]:
    window = timedelta(days=settings.strike_window_days)
    for c in facts.repeat_commenters:
        proposal = proposal_after_strike(
            c.strikes,
            c.bans,
            as_of,
            threshold=settings.strike_threshold,
            window=window,
            ban_duration=timedelta(days=settings.ban_days),
        )
        if proposal is None:
            continue
        counted = _counted_strikes(c, as_of, window)
        reached = (
            counted[settings.strike_threshold - 1]
            if len(counted) >= settings.strike_threshold
            else None
        )
        if proposal.kind is BanKind.PERMANENT:
            remedy = "Propose a permanent removal: this person was banned before."
        else:
            remedy = f"Propose a temporary ban of {plural(settings.ban_days, 'day')}."
        yield Violation(
            c.subject,
            f"{c.subject.label} has {plural(len(counted), 'strike')} within "
            f"{plural(window.days, 'day')} and no ban is proposed or active.",
            since=reached,
            remedy=remedy,
        )


@check(
    "BAN_EXPIRED_NOT_LIFTED",
    Severity.WARNING,
    title="Temporary ban past its end still recorded as active",
    policy_quote=STRIKES_QUOTE,
    remedy=(
        "Record the ban as expired (Tools ▸ Bans ▸ Record ended bans as expired) and unblock "
        "the person on the platform."
    ),
)
def ban_expired_not_lifted(
    facts: ComplianceFacts, settings: PolicySettings, as_of: datetime
) -> Iterator[Violation]:
    for b in facts.active_bans:
        if ban_is_expired(b.ban, as_of) and b.ban.ends_at is not None:
            yield Violation(
                b.subject,
                f"The temporary ban of @{b.commenter_handle} on {b.platform.label} ended "
                f"{local_text(b.ban.ends_at, settings)} but is still recorded as active.",
                since=b.ban.ends_at,
            )
