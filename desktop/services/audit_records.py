"""The names of the records audit events are about, read in a handful of queries per page,
each with the record a tab of the app can open for it (a goal opens its account)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Set
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.enums import Platform
from desktop.models import (
    Account,
    AccountRole,
    Approval,
    Ban,
    Campaign,
    Closure,
    Comment,
    Commenter,
    Emergency,
    Evaluation,
    Goal,
    GroupUpdate,
    KeyContact,
    MetricSnapshot,
    Ministry,
    Person,
    Strike,
)

Found = tuple[str, str | None, str | None]  # the name; the type and id a tab opens, or None
Records = dict[tuple[str, str], Found]
Ids = Callable[[str], list[uuid.UUID]]  # the ids of one kind of record on the page


def account_label(platform: Platform, handle: str) -> str:
    return f"{Platform(platform).label} @{handle}"


def _uuids(texts: Set[str]) -> list[uuid.UUID]:
    out = []
    for text in texts:
        try:
            out.append(uuid.UUID(text))
        except ValueError:
            continue
    return out


def record_names(session: Session, wanted: Mapping[str, Set[str]]) -> Records:
    """(entity type, id) -> its name and what opens it, for the records that still exist."""
    out: Records = {}

    def ids(kind: str) -> list[uuid.UUID]:
        return _uuids(wanted.get(kind, frozenset()))

    for kind in wanted:
        if kind == "settings":
            for key in wanted[kind]:
                out[(kind, key)] = ("The policy settings", None, None)
    _accounts(session, ids, out)
    _named(session, ids, out)
    _of_accounts(session, ids, out)
    _moderation(session, ids, out)
    _calendar(session, ids, out)
    return out


def _accounts(session: Session, ids: Ids, out: Records) -> None:
    for a in session.execute(
        select(Account.id, Account.platform, Account.handle).where(Account.id.in_(ids("account")))
    ):
        out[("account", str(a.id))] = (account_label(a.platform, a.handle), "account", str(a.id))
    for g in session.execute(
        select(AccountRole.id, Person.name, Account.platform, Account.handle)
        .join(Person, Person.id == AccountRole.person_id)
        .join(Account, Account.id == AccountRole.account_id)
        .where(AccountRole.id.in_(ids("account_role")))
    ):
        label = f"{g.name} on {account_label(g.platform, g.handle)}"
        out[("account_role", str(g.id))] = (label, "account_role", str(g.id))
    for c in session.execute(
        select(
            Comment.id, Comment.author_name, Comment.author_handle, Account.platform, Account.handle
        )
        .join(Account, Account.id == Comment.account_id)
        .where(Comment.id.in_(ids("comment")))
    ):
        author = c.author_name or (f"@{c.author_handle}" if c.author_handle else "someone")
        label = f"Comment from {author} on {account_label(c.platform, c.handle)}"
        out[("comment", str(c.id))] = (label, "comment", str(c.id))


def _named(session: Session, ids: Ids, out: Records) -> None:
    """Records known by a name or title of their own."""
    queries = [
        ("approval", select(Approval.id, Approval.title).where(Approval.id.in_(ids("approval")))),
        ("person", select(Person.id, Person.name).where(Person.id.in_(ids("person")))),
        ("campaign", select(Campaign.id, Campaign.name).where(Campaign.id.in_(ids("campaign")))),
        (
            "emergency",
            select(Emergency.id, Emergency.title).where(Emergency.id.in_(ids("emergency"))),
        ),
        ("ministry", select(Ministry.id, Ministry.name).where(Ministry.id.in_(ids("ministry")))),
        (
            "key_contact",
            select(KeyContact.id, KeyContact.name).where(KeyContact.id.in_(ids("key_contact"))),
        ),
    ]
    opens = {"approval", "person"}  # the Approvals and Permissions tabs show these
    for kind, query in queries:
        for rid, name in session.execute(query):
            target = (kind, str(rid)) if kind in opens else (None, None)
            out[(kind, str(rid))] = (name, *target)


def _of_accounts(session: Session, ids: Ids, out: Records) -> None:
    """Goals, evaluations and monthly metrics, named with their account (which they open)."""
    for g in session.execute(
        select(
            Goal.id, Goal.title, Account.id.label("account_id"), Account.platform, Account.handle
        )
        .join(Account, Account.id == Goal.account_id)
        .where(Goal.id.in_(ids("goal")))
    ):
        label = f"Goal “{g.title}” of {account_label(g.platform, g.handle)}"
        out[("goal", str(g.id))] = (label, "account", str(g.account_id))
    for e in session.execute(
        select(Evaluation.id, Evaluation.period, Account.platform, Account.handle)
        .join(Account, Account.id == Evaluation.account_id)
        .where(Evaluation.id.in_(ids("evaluation")))
    ):
        label = f"Evaluation {e.period} of {account_label(e.platform, e.handle)}"
        out[("evaluation", str(e.id))] = (label, "evaluation", str(e.id))
    for m in session.execute(
        select(
            MetricSnapshot.id,
            MetricSnapshot.period_start,
            Account.id.label("account_id"),
            Account.platform,
            Account.handle,
        )
        .join(Account, Account.id == MetricSnapshot.account_id)
        .where(MetricSnapshot.id.in_(ids("metric_snapshot")))
    ):
        month: date = m.period_start
        label = f"Metrics of {month:%B %Y} for {account_label(m.platform, m.handle)}"
        out[("metric_snapshot", str(m.id))] = (label, "account", str(m.account_id))


def _moderation(session: Session, ids: Ids, out: Records) -> None:
    for s in session.execute(
        select(Strike.id, Strike.comment_id, Commenter.platform, Commenter.handle)
        .join(Commenter, Commenter.id == Strike.commenter_id)
        .where(Strike.id.in_(ids("strike")))
    ):
        label = f"Strike against {account_label(s.platform, s.handle)}"
        target = ("comment", str(s.comment_id)) if s.comment_id else (None, None)
        out[("strike", str(s.id))] = (label, *target)
    for b in session.execute(
        select(Ban.id, Commenter.platform, Commenter.handle)
        .join(Commenter, Commenter.id == Ban.commenter_id)
        .where(Ban.id.in_(ids("ban")))
    ):
        out[("ban", str(b.id))] = (f"Ban of {account_label(b.platform, b.handle)}", None, None)


def _calendar(session: Session, ids: Ids, out: Records) -> None:
    for c in session.execute(
        select(Closure.id, Closure.day, Closure.reason).where(Closure.id.in_(ids("closure")))
    ):
        label = f"{c.day:%a %d %b %Y}" + (f" ({c.reason})" if c.reason else "")
        out[("closure", str(c.id))] = (label, None, None)
    for u in session.execute(
        select(GroupUpdate.id, Emergency.title)
        .join(Emergency, Emergency.id == GroupUpdate.emergency_id)
        .where(GroupUpdate.id.in_(ids("group_update")))
    ):
        out[("group_update", str(u.id))] = (f"Update during “{u.title}”", None, None)
