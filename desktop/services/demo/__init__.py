"""``smgov demo``: realistic, reproducible demo data for a provincial government (Saskatchewan).

A trusted generator: rows go in with bulk Core inserts inside one write transaction, not
through the services. The same as-of and size always give the same rows. Everything is
compliant with the policy except the violations listed in ``DELIBERATE_VIOLATIONS``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.errors import DomainError
from desktop.models import Account, Goal, Ministry, Person, PersonalName
from desktop.policy.settings import PolicySettings
from desktop.services.demo.accounts import seed_accounts, seed_page_roles
from desktop.services.demo.approvals import (
    ApprovalBook,
    seed_account_approvals,
    seed_content_and_names,
)
from desktop.services.demo.builder import SIZES, Seeder, World
from desktop.services.demo.campaigns import seed_campaigns
from desktop.services.demo.commenters import CommenterBook
from desktop.services.demo.comments import CommentWriter, seed_comments
from desktop.services.demo.emergencies import seed_closures, seed_emergencies, sla_policy
from desktop.services.demo.moderation import plan_trolls, seed_moderation
from desktop.services.demo.people import seed_ministries, seed_people
from desktop.services.demo.performance import plan_goals, seed_evaluations, seed_metrics
from desktop.services.demo.replies import Replies
from desktop.services.demo.violations import DELIBERATE_VIOLATIONS
from desktop.storage.bulk_load import bulk_load
from desktop.storage.database import Database

__all__ = ["DELIBERATE_VIOLATIONS", "SIZES", "generate_demo"]

NOT_EMPTY = (
    "This database already has data; demo data goes into an empty database — use a new file "
    "or `smgov init` on an empty one."
)
# The register's history starts this long before the as-of (accounts launched since then).
HISTORY = timedelta(days=6 * 365)
_SUMMARY = (
    ("ministries", "ministries"),
    ("people", "people"),
    ("accounts", "accounts"),
    ("account_roles", "page roles"),
    ("campaigns", "campaigns"),
    ("approvals", "approvals"),
    ("goals", "goals"),
    ("metric_snapshots", "metric snapshots"),
    ("evaluations", "evaluations"),
    ("emergencies", "emergencies"),
    ("closures", "closures"),
    ("commenters", "commenters"),
    ("comments", "comments"),
    ("responses", "responses"),
    ("strikes", "strikes"),
    ("bans", "bans"),
    ("audit_events", "audit events"),
)


def generate_demo(
    db: Database,
    *,
    size: str = "small",
    as_of: datetime,
    progress: Callable[[str], None] | None = None,
) -> str:
    """Fill an empty database with the demo; returns a one-line summary of what it made."""
    if size not in SIZES:
        raise DomainError(f"There is no demo size {size!r}; choose small or large.", "size")
    if as_of.tzinfo is None or as_of.utcoffset() is None:
        raise DomainError("Give the as-of time with its time zone, e.g. 2026-11-18T09:00-06:00.")
    as_of = as_of.astimezone(UTC)
    report = progress or (lambda _message: None)
    with db.write() as session:
        _refuse_if_not_empty(session)
        s = Seeder(session, as_of, size, report)
        world = World(ZoneInfo(PolicySettings().timezone), as_of - HISTORY)
        with bulk_load(session):
            _seed(s, world)
    return summary(s)


def _seed(s: Seeder, world: World) -> None:
    seed_ministries(s, world)
    seed_people(s, world)
    closures = seed_closures(s, world)
    s.progress(f"{len(world.ministries)} ministries, {len(world.people)} people")
    seed_accounts(s, world)
    seed_page_roles(s, world)
    book = ApprovalBook(s)
    seed_campaigns(s, world, book)
    seed_account_approvals(s, world, book)
    names = seed_content_and_names(s, world, book)
    series = seed_metrics(s, world)
    goals = plan_goals(s, world, book, series)
    book.flush()
    s.insert(PersonalName, names)
    s.insert(Goal, goals)
    seed_evaluations(s, world, series)
    emergencies = seed_emergencies(s, world)
    commenters = CommenterBook(s)
    commenters.seed_pools()
    trolls = plan_trolls(s, commenters)
    commenters.flush()
    writer = CommentWriter(s, world, sla_policy(closures), emergencies, Replies(s))
    seed_comments(s, world, writer, commenters, reserved=sum(len(t.strikes) for t in trolls))
    seed_moderation(s, world, writer, trolls)
    s.progress(f"{s.counts.get('comments', 0):,} comments")
    s.write_audit()


def _refuse_if_not_empty(session: Session) -> None:
    for model in (Account, Person, Ministry):
        if session.scalar(select(func.count()).select_from(model)):
            raise DomainError(NOT_EMPTY)


def summary(s: Seeder) -> str:
    counts = ", ".join(f"{s.counts.get(t, 0):,} {label}" for t, label in _SUMMARY)
    return f"Demo data ({s.size}) as of {s.as_of:%Y-%m-%d %H:%M} UTC: {counts}"
