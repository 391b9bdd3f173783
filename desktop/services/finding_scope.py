"""Which ministries and platforms each compliance finding is about, so the dashboard can filter
findings by them. Read-only: one or two queries per kind of record the findings name.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from desktop.enums import Platform
from desktop.models import (
    Account,
    AccountRole,
    Approval,
    Ban,
    Campaign,
    Comment,
    Commenter,
    EmergencyAccount,
    EmergencyMinistry,
    Ministry,
    Person,
    Strike,
)
from desktop.services.context import ServiceContext
from desktop.services.metrics import require_reader

# Ids per IN (...) list: well under SQLite's and PostgreSQL's limits on bound parameters.
CHUNK = 500

_Stmt = Select[*tuple[Any, ...]]  # a SELECT of any columns
SubjectKey = tuple[str, str]  # (subject type, subject id) as a Finding names its record


@dataclass(frozen=True)
class FindingScope:
    """The ministries (by code) and platforms one record belongs to; several for a person with
    roles on many accounts or an emergency declared for many ministries."""

    ministries: frozenset[str] = frozenset()
    platforms: frozenset[Platform] = frozenset()

    def matches(self, ministry: str | None = None, platform: Platform | None = None) -> bool:
        """True when the record belongs to ``ministry`` and ``platform`` (None: any)."""
        return (ministry is None or ministry in self.ministries) and (
            platform is None or platform in self.platforms
        )


NO_SCOPE = FindingScope()


class _Collector:
    """Ministry codes and platforms gathered per subject key from several queries."""

    def __init__(self) -> None:
        self.ministries: dict[SubjectKey, set[str]] = defaultdict(set)
        self.platforms: dict[SubjectKey, set[Platform]] = defaultdict(set)

    def add(
        self, key: SubjectKey, ministry: str | None = None, platform: Platform | None = None
    ) -> None:
        if ministry:
            self.ministries[key].add(ministry)
        if platform is not None:
            self.platforms[key].add(Platform(platform))

    def scope(self, key: SubjectKey) -> FindingScope:
        ministries = frozenset(self.ministries.get(key, ()))
        platforms = frozenset(self.platforms.get(key, ()))
        return FindingScope(ministries, platforms) if ministries or platforms else NO_SCOPE


class FindingScopeService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def scopes(self, subjects: Iterable[SubjectKey]) -> dict[SubjectKey, FindingScope]:
        """The scope of every (subject type, id) given; an unknown type or a record that no
        longer exists gets an empty scope (it matches only "all ministries, all platforms").

        Accounts and roles belong to the account's ministry and platform; a person to their own
        ministry plus the accounts they hold roles on; a campaign to its ministry and the
        platforms of the roles granted for it; an approval to its account or campaign (else
        its submitter's ministry); a commenter or ban to its platform and the ministries of the
        accounts whose comments earned the strikes; an emergency to its ministries and accounts.
        """
        wanted: dict[str, set[uuid.UUID]] = defaultdict(set)
        keys = list(dict.fromkeys(subjects))
        for kind, ident in keys:
            parsed = _uuid(ident)
            if parsed is not None and kind in _QUERIES:
                wanted[kind].add(parsed)
        found = _Collector()
        with self.ctx.read() as session:
            require_reader(self.ctx, session)
            for kind, ids in wanted.items():
                _QUERIES[kind](session, sorted(ids), found)
        return {key: found.scope(key) for key in keys}


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(text))
    except ValueError:
        return None


def _chunks(ids: Sequence[uuid.UUID]) -> Iterator[list[uuid.UUID]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


def _rows(
    session: Session, ids: Sequence[uuid.UUID], make: Callable[[list[uuid.UUID]], _Stmt]
) -> Iterator[Any]:
    for chunk in _chunks(ids):
        yield from session.execute(make(chunk))


_Query = Callable[[Session, Sequence[uuid.UUID], _Collector], None]


def _accounts(session: Session, ids: Sequence[uuid.UUID], found: _Collector) -> None:
    def make(chunk: list[uuid.UUID]) -> _Stmt:
        return (
            select(Account.id, Account.platform, Ministry.code)
            .join(Ministry, Ministry.id == Account.ministry_id)
            .where(Account.id.in_(chunk))
        )

    for r in _rows(session, ids, make):
        found.add(("account", str(r.id)), r.code, r.platform)


def _account_roles(session: Session, ids: Sequence[uuid.UUID], found: _Collector) -> None:
    def make(chunk: list[uuid.UUID]) -> _Stmt:
        return (
            select(AccountRole.id, Account.platform, Ministry.code)
            .join(Account, Account.id == AccountRole.account_id)
            .join(Ministry, Ministry.id == Account.ministry_id)
            .where(AccountRole.id.in_(chunk))
        )

    for r in _rows(session, ids, make):
        found.add(("account_role", str(r.id)), r.code, r.platform)


def _people(session: Session, ids: Sequence[uuid.UUID], found: _Collector) -> None:
    def own(chunk: list[uuid.UUID]) -> _Stmt:
        return (
            select(Person.id, Ministry.code)
            .join(Ministry, Ministry.id == Person.ministry_id)
            .where(Person.id.in_(chunk))
        )

    def held(chunk: list[uuid.UUID]) -> _Stmt:
        return (
            select(AccountRole.person_id, Account.platform, Ministry.code)
            .join(Account, Account.id == AccountRole.account_id)
            .join(Ministry, Ministry.id == Account.ministry_id)
            .where(AccountRole.person_id.in_(chunk), AccountRole.revoked_at.is_(None))
            .distinct()
        )

    for r in _rows(session, ids, own):
        found.add(("person", str(r.id)), r.code)
    for r in _rows(session, ids, held):
        found.add(("person", str(r.person_id)), r.code, r.platform)


def _campaigns(session: Session, ids: Sequence[uuid.UUID], found: _Collector) -> None:
    def own(chunk: list[uuid.UUID]) -> _Stmt:
        return (
            select(Campaign.id, Ministry.code)
            .join(Ministry, Ministry.id == Campaign.ministry_id)
            .where(Campaign.id.in_(chunk))
        )

    def granted(chunk: list[uuid.UUID]) -> _Stmt:
        return (
            select(AccountRole.campaign_id, Account.platform)
            .join(Account, Account.id == AccountRole.account_id)
            .where(AccountRole.campaign_id.in_(chunk))
            .distinct()
        )

    for r in _rows(session, ids, own):
        found.add(("campaign", str(r.id)), r.code)
    for r in _rows(session, ids, granted):
        found.add(("campaign", str(r.campaign_id)), platform=r.platform)


def _approvals(session: Session, ids: Sequence[uuid.UUID], found: _Collector) -> None:
    account_ministry = aliased(Ministry)
    campaign_ministry = aliased(Ministry)
    submitter_ministry = aliased(Ministry)
    submitter = aliased(Person)

    def make(chunk: list[uuid.UUID]) -> _Stmt:
        return (
            select(
                Approval.id,
                Account.platform,
                account_ministry.code.label("account_code"),
                campaign_ministry.code.label("campaign_code"),
                submitter_ministry.code.label("submitter_code"),
            )
            .outerjoin(Account, Account.id == Approval.account_id)
            .outerjoin(account_ministry, account_ministry.id == Account.ministry_id)
            .outerjoin(Campaign, Campaign.id == Approval.campaign_id)
            .outerjoin(campaign_ministry, campaign_ministry.id == Campaign.ministry_id)
            .outerjoin(submitter, submitter.id == Approval.submitter_id)
            .outerjoin(submitter_ministry, submitter_ministry.id == submitter.ministry_id)
            .where(Approval.id.in_(chunk))
        )

    for r in _rows(session, ids, make):
        key = ("approval", str(r.id))
        found.add(key, r.account_code, r.platform)
        found.add(key, r.campaign_code)
        if not (r.account_code or r.campaign_code):
            found.add(key, r.submitter_code)


def _struck_ministries(
    session: Session, commenter_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, set[str]]:
    """Per commenter, the ministries of the accounts whose comments earned their strikes
    (strikes are few next to the comment log, so the join starts from them)."""

    def make(chunk: list[uuid.UUID]) -> _Stmt:
        return (
            select(Strike.commenter_id, Ministry.code)
            .join(Comment, Comment.id == Strike.comment_id)
            .join(Account, Account.id == Comment.account_id)
            .join(Ministry, Ministry.id == Account.ministry_id)
            .where(Strike.commenter_id.in_(chunk))
            .distinct()
        )

    codes: dict[uuid.UUID, set[str]] = defaultdict(set)
    for r in _rows(session, commenter_ids, make):
        codes[r.commenter_id].add(r.code)
    return codes


def _commenters(session: Session, ids: Sequence[uuid.UUID], found: _Collector) -> None:
    def make(chunk: list[uuid.UUID]) -> _Stmt:
        return select(Commenter.id, Commenter.platform).where(Commenter.id.in_(chunk))

    for r in _rows(session, ids, make):
        found.add(("commenter", str(r.id)), platform=r.platform)
    for commenter_id, codes in _struck_ministries(session, ids).items():
        for code in codes:
            found.add(("commenter", str(commenter_id)), code)


def _bans(session: Session, ids: Sequence[uuid.UUID], found: _Collector) -> None:
    def make(chunk: list[uuid.UUID]) -> _Stmt:
        return select(Ban.id, Ban.commenter_id, Ban.platform).where(Ban.id.in_(chunk))

    bans = list(_rows(session, ids, make))
    codes = _struck_ministries(session, sorted({b.commenter_id for b in bans}))
    for b in bans:
        key = ("ban", str(b.id))
        found.add(key, platform=b.platform)
        for code in codes.get(b.commenter_id, ()):
            found.add(key, code)


def _emergencies(session: Session, ids: Sequence[uuid.UUID], found: _Collector) -> None:
    def ministries(chunk: list[uuid.UUID]) -> _Stmt:
        return (
            select(EmergencyMinistry.emergency_id, Ministry.code)
            .join(Ministry, Ministry.id == EmergencyMinistry.ministry_id)
            .where(EmergencyMinistry.emergency_id.in_(chunk))
        )

    def accounts(chunk: list[uuid.UUID]) -> _Stmt:
        return (
            select(EmergencyAccount.emergency_id, Account.platform, Ministry.code)
            .join(Account, Account.id == EmergencyAccount.account_id)
            .join(Ministry, Ministry.id == Account.ministry_id)
            .where(EmergencyAccount.emergency_id.in_(chunk))
        )

    for r in _rows(session, ids, ministries):
        found.add(("emergency", str(r.emergency_id)), r.code)
    for r in _rows(session, ids, accounts):
        found.add(("emergency", str(r.emergency_id)), r.code, r.platform)


def _comments(session: Session, ids: Sequence[uuid.UUID], found: _Collector) -> None:
    def make(chunk: list[uuid.UUID]) -> _Stmt:
        return (
            select(Comment.id, Account.platform, Ministry.code)
            .join(Account, Account.id == Comment.account_id)
            .join(Ministry, Ministry.id == Account.ministry_id)
            .where(Comment.id.in_(chunk))
        )

    for r in _rows(session, ids, make):
        found.add(("comment", str(r.id)), r.code, r.platform)


_QUERIES: dict[str, _Query] = {
    "account": _accounts,
    "account_role": _account_roles,
    "person": _people,
    "campaign": _campaigns,
    "approval": _approvals,
    "commenter": _commenters,
    "ban": _bans,
    "emergency": _emergencies,
    "comment": _comments,
}
