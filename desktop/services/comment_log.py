"""The comment log as the Comments tab reads it: filtered, SQL-sorted pages by keyset, capped
counts, a jump to any row, one comment's detail. Read-only: nothing here is audited.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Select,
    Text,
    and_,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased
from sqlalchemy.sql.selectable import Join

from desktop.enums import CommentKind, CommentStatus
from desktop.errors import DomainError, NotFound
from desktop.models import Account, Comment, Ministry, Person
from desktop.services.authz import Permission, require
from desktop.services.clock import OPEN_STATUSES
from desktop.services.comment_detail import CommentDetail, load_detail
from desktop.services.comment_search.match import search_condition, search_count
from desktop.services.comment_work.scope import work_refusal
from desktop.services.context import Actor, ServiceContext
from desktop.storage import comment_sort
from desktop.storage.interrupt import Interrupter as Interrupter
from desktop.storage.interrupt import watched

PAGE_SIZE = 200
EXCERPT_CHARS = 140
# The count stops here: a filtered count walks rows (a search reads every comment, ~1 s on a
# million) and PostgreSQL's count(*) scans the table; capped, the count of the first paint
# stays ~5 ms, and nobody reads "1,000,000" differently from "100,000+".
COUNT_CAP = 100_000


class SortKey(StrEnum):
    """The log's orders (``_sort_columns``), each ending with the id so that it is total.

    ``TEXT`` sorts by the first ``comment_sort.TEXT_SORT_CHARS`` (200) characters of the text,
    then the id: texts alike that far are in id order, whatever follows (an index key cannot
    hold a whole comment on PostgreSQL). ``MINISTRY`` is the routed ministry's code, else the
    account's; ``ASSIGNEE`` the assignee's name ('' for none); ``FLAGS`` high profile, then
    during an emergency; each then by received time.
    """

    RECEIVED = "received_at"
    ACKNOWLEDGE_DUE = "acknowledge_due_at"
    ANSWER_DUE = "answer_due_at"
    STATUS = "status"
    ACCOUNT = "account"
    MINISTRY = "ministry"
    AUTHOR = "author"
    TEXT = "text"
    KIND = "kind"
    ASSIGNEE = "assignee"
    FLAGS = "flags"


@dataclass(frozen=True)
class CommentLogQuery:
    """What the filter bar asks for; empty ``statuses`` means every status."""

    statuses: frozenset[CommentStatus] = frozenset()
    account_id: uuid.UUID | None = None
    ministry_id: uuid.UUID | None = None  # the routed ministry, else the account's
    due_soon: bool = False
    overdue: bool = False  # with due_soon: either (the "needs attention" view)
    assigned_to: uuid.UUID | Literal["me"] | None = None
    high_profile: bool = False
    during_emergency: bool = False
    search: str = ""  # in the text, the author's name and handle
    sort: SortKey = SortKey.RECEIVED
    descending: bool = True


@dataclass(frozen=True)
class Cursor:
    """The sort values and id of the row a page continues after."""

    values: tuple[Any, ...]


@dataclass(frozen=True)
class CommentRow:
    """One line of the log: exactly what the table shows."""

    id: uuid.UUID
    received_at: datetime
    account: str
    ministry: str
    author: str
    excerpt: str
    kind: CommentKind
    status: CommentStatus
    assignee: str
    high_profile: bool
    emergency: bool
    acknowledge_due_at: datetime
    answer_due_at: datetime
    acknowledged_at: datetime | None
    answered_at: datetime | None
    version: int


@dataclass(frozen=True)
class Page:
    rows: list[CommentRow]
    next_cursor: Cursor | None  # None: this was the last page
    # Where the page's first row is: a page before it starts there (None: the first page).
    prev_cursor: Cursor | None = None
    # Each row's own cursor, in order: a window of pages drops and refetches by them.
    cursors: tuple[Cursor, ...] = ()


_Col = InstrumentedAttribute[Any] | ColumnElement[Any]


class _LeftFirst(Join):
    """A join SQLite walks left table first, in the order of the left table's index.

    SQLite otherwise may scan the right table and sort a million rows (2.3 s for the account
    sort); its CROSS JOIN keeps the written order. Other databases plan an ordinary join.
    """

    inherit_cache = True


@compiles(_LeftFirst, "sqlite")
def _left_first_sqlite(element: _LeftFirst, compiler: Any, **kw: Any) -> str:
    return str(compiler.visit_join(element, **kw)).replace(" JOIN ", " CROSS JOIN ", 1)


_routed = aliased(Ministry, name="routed_ministry")
_home = aliased(Ministry, name="home_ministry")
_assignee = aliased(Person, name="assignee")
_keys = comment_sort.sort_keys.c
# Sorted by the derived keys of ``comment_sort_keys`` (kept by the database's triggers).
_DERIVED = {
    SortKey.MINISTRY: _keys.ministry,
    SortKey.ASSIGNEE: _keys.assignee,
    SortKey.FLAGS: _keys.flags,
}
# The text sort's expression, exactly as ``ix_comments_text_sort`` indexes it (literal
# numbers: a bound parameter would not match the index's expression).
_TEXT_SORT = func.substr(
    Comment.text, literal_column("1"), literal_column(str(comment_sort.TEXT_SORT_CHARS)), type_=Text
)
# The same value by an expression no index has (a bound length).
_TEXT_SORT_MATCHES = func.substr(Comment.text, 1, comment_sort.TEXT_SORT_CHARS, type_=Text)


def _narrows(query: CommentLogQuery) -> bool:
    """Anything beyond the sort narrows the list: a filter or a search."""
    return query != CommentLogQuery(sort=query.sort, descending=query.descending)


def _sort_columns(key: SortKey, *, narrowed: bool = False) -> tuple[_Col, ...]:
    """The ORDER BY of a sort key, always ending with the id so the order is total.

    ``narrowed`` (a filter or a search): the text sort's expression written so SQLite's
    planner does not match it to ``ix_comments_text_sort`` and sorts the matches instead; the
    index walk would read on until it found a page of rare matches (5 s for high profile).
    """
    c = Comment
    if key == SortKey.ACKNOWLEDGE_DUE:
        return (c.acknowledge_due_at, c.id)
    if key == SortKey.ANSWER_DUE:
        return (c.answer_due_at, c.id)
    if key == SortKey.STATUS:
        return (c.status, c.acknowledge_due_at, c.id)
    if key == SortKey.ACCOUNT:
        # Platform values sort like their labels, so this is the order of "Facebook @x".
        return (Account.platform, Account.handle, c.received_at, c.id)
    if key == SortKey.AUTHOR:  # ix_comments_author_received
        return (c.author_name, c.received_at, c.id)
    if key == SortKey.KIND:  # ix_comments_kind_received
        return (c.kind, c.received_at, c.id)
    if key in _DERIVED:
        # The routed ministry's code, else the account's; the assignee's name ('' for none);
        # high_profile * 2 + (emergency_id IS NOT NULL): ix_comment_sort_keys_*.
        return (_DERIVED[key], _keys.received_at, _keys.comment_id)
    if key == SortKey.TEXT:
        # The first TEXT_SORT_CHARS characters, then the id (ix_comments_text_sort).
        return (_TEXT_SORT_MATCHES if narrowed else _TEXT_SORT, c.id)
    return (c.received_at, c.id)


def _joined(stmt: Select[Any], key: SortKey, filtered: bool) -> Select[Any]:
    """The keys query with the tables its sort columns come from (and ``comments`` for the
    filters when ``filtered``)."""
    if key == SortKey.ACCOUNT:
        return stmt.select_from(_LeftFirst(Account, Comment, Account.id == Comment.account_id))
    if key in _DERIVED:
        keys = comment_sort.sort_keys
        if not filtered:
            return stmt.select_from(keys)
        # The planner's choice: a filter's own index and a sort of its matches when it
        # narrows, the sort keys' index when it does not.
        return stmt.select_from(keys.join(Comment, Comment.id == keys.c.comment_id))
    return stmt


def _after(cols: Sequence[_Col], cursor: Cursor, descending: bool) -> Any:
    """``(cols) > (values)``; the leading-prefix bound lets the index seek, not just filter."""
    values = [literal(v, col.type) for col, v in zip(cols, cursor.values, strict=True)]
    full = tuple_(*cols) < tuple_(*values) if descending else tuple_(*cols) > tuple_(*values)
    # The id is not a column of the secondary indexes (SQLite keys them by rowid), so the
    # row value with it cannot seek; a bound on the columns before it can. A row value
    # spanning two tables cannot seek either: the leading table's columns get their own.
    owner = [getattr(col, "class_", None) for col in cols]
    lead = next((i for i, o in enumerate(owner) if o is None or o is not owner[0]), len(cols))
    bounds = []
    for n in sorted({len(cols) - 1, lead} - {0, len(cols)}):
        head, head_values = tuple_(*cols[:n]), tuple_(*values[:n])
        bounds.append(head <= head_values if descending else head >= head_values)
    return and_(*bounds, full)


class CommentLogService:
    """Never loads the table: every call reads at most one page of rows.

    A page is ``WHERE (sort…, id) > (last row's sort…, id) ORDER BY sort…, id LIMIT n``
    (reversed for descending), so page 5,000 costs what page 1 costs. Each sort key has an
    index led by its sort columns (``ix_comments_received``, ``ix_comments_status_ack_due``…);
    the account sort walks the accounts by label (``ix_accounts_platform_handle``), then each
    one's comments through ``ix_comments_account_received``; ministry, assignee and flags walk
    ``comment_sort_keys`` (``desktop.storage.comment_sort``, kept by the database's triggers),
    the text sort ``ix_comments_text_sort`` (the first 200 characters, then the id).
    """

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- the list ------------------------------------------------------------------------

    def page(
        self,
        query: CommentLogQuery,
        as_of: datetime,
        after: Cursor | None = None,
        limit: int = PAGE_SIZE,
        *,
        before: Cursor | None = None,
        last: bool = False,
        cancel: Interrupter | None = None,
    ) -> Page:
        """Up to ``limit`` rows after ``after`` (from the start when None), SQL-ordered.

        ``before``: the rows just before that cursor instead; ``last``: the list's last rows
        (both read the order backwards, so the end costs what the start costs).
        ``cancel`` stops the reading (``Cancelled``) when a newer request replaces this one.
        """
        cols = _sort_columns(query.sort, narrowed=_narrows(query))
        backward = last or before is not None
        direction = query.descending != backward
        bound = before if backward else after
        with self.ctx.quick_read() as session, watched(session, cancel):
            arms = self._arms(session, query, as_of, cols)
            if bound is not None:
                arms = [arm.where(_after(cols, bound, direction)) for arm in arms]
            keys = _in_order(arms, cols, direction, limit + 1)
            found = list(session.execute(keys).all())
            more = len(found) > limit
            found = found[:limit]
            rows = rows_for(session, [r[0] for r in found])
        if backward:
            found.reverse()
        # The detail query's join order is the database's choice; the page order is the keys'.
        order = {key[0]: i for i, key in enumerate(found)}
        rows.sort(key=lambda r: order[r.id])
        cursors = tuple(Cursor((*key[1:], key[0])) for key in found)
        if backward:
            next_cursor = cursors[-1] if cursors and before is not None else None
            prev_cursor = cursors[0] if cursors and more else None
        else:
            next_cursor = cursors[-1] if cursors and more else None
            prev_cursor = cursors[0] if cursors and after is not None else None
        return Page(rows, next_cursor, prev_cursor, cursors)

    def count(
        self,
        query: CommentLogQuery,
        as_of: datetime | None = None,
        *,
        cap: int = COUNT_CAP,
        cancel: Interrupter | None = None,
    ) -> int:
        """How many rows match, counted up to ``cap + 1``: more than ``cap`` means "cap+"."""
        cols = _sort_columns(query.sort, narrowed=_narrows(query))
        with self.ctx.quick_read() as session, watched(session, cancel):
            if query.search.strip() and _only_search(query):
                self._reader(session)
                counted = search_count(session, query.search, cap)
                if counted is not None:
                    return min(counted, cap + 1)
            total = 0
            for arm in self._arms(session, query, as_of or self.ctx.now(), cols, ordered=False):
                capped = select(func.count()).select_from(arm.limit(cap + 1).subquery())
                total += int(session.scalar(capped) or 0)
        return min(total, cap + 1)

    def row_at_offset(
        self,
        query: CommentLogQuery,
        n: int,
        as_of: datetime | None = None,
        *,
        cancel: Interrupter | None = None,
    ) -> Cursor | None:
        """The cursor that makes ``page`` start at row ``n`` (0-based); None for row 0.

        OFFSET runs on the keys query alone (for the three time sorts an index-only scan);
        the rows themselves are then fetched by keyset from there.
        """
        if n <= 0:
            return None
        cols = _sort_columns(query.sort, narrowed=_narrows(query))
        with self.ctx.quick_read() as session, watched(session, cancel):
            arms = self._arms(session, query, as_of or self.ctx.now(), cols)
            found = session.execute(_in_order(arms, cols, query.descending, 1, n - 1)).first()
        if found is None:
            raise DomainError(f"The list has fewer than {n + 1:,} comments.", "row")
        return Cursor((*found[1:], found[0]))

    def _arms(
        self,
        session: Session,
        query: CommentLogQuery,
        as_of: datetime,
        cols: Sequence[_Col],
        *,
        ordered: bool = True,
    ) -> list[Select[Any]]:
        """The keys queries (id, then the sort values) whose rows together match ``query``.

        One, except for a ministry: a comment belongs to its routed ministry, or to its
        account's when it was not routed, and SQLite answers that OR by sorting every match
        (0.8 s on a million rows); as two queries each walks an index in order (~5 ms).
        Checks first that the acting person may read the log (not an agency).
        """
        actor = self._reader(session)
        stmt: Select[Any] = select(
            cols[-1].label("k0"), *(col.label(f"k{i}") for i, col in enumerate(cols[:-1], 1))
        )
        filters = self._filters(session, query, as_of, actor, ordered=ordered)
        stmt = _joined(stmt, query.sort, bool(filters) or query.ministry_id is not None)
        stmt = stmt.where(*filters)
        if query.sort == SortKey.FLAGS:
            # The flags these filters keep are a range or two of the index: it seeks to them.
            if query.high_profile:
                stmt = stmt.where(_keys.flags >= 2)
            if query.during_emergency:
                stmt = stmt.where(_keys.flags.in_([1, 3]))
        if query.ministry_id is None:
            return [stmt]
        if query.sort == SortKey.MINISTRY:
            # Every comment of the ministry sorts under its code: the index seeks to it.
            code = select(Ministry.code).where(Ministry.id == query.ministry_id)
            stmt = stmt.where(_keys.ministry == code.scalar_subquery())
        accounts = select(Account.id).where(Account.ministry_id == query.ministry_id)
        routed = Comment.routed_ministry_id
        return [
            stmt.where(routed == query.ministry_id),
            stmt.where(routed.is_(None), Comment.account_id.in_(accounts)),
        ]

    def _filters(
        self,
        session: Session,
        query: CommentLogQuery,
        as_of: datetime,
        actor: Actor,
        *,
        ordered: bool = True,
    ) -> list[ColumnElement[bool]]:
        c = Comment
        where: list[ColumnElement[bool]] = []
        if query.statuses:
            where.append(c.status.in_(sorted(query.statuses)))
        if query.account_id is not None:
            where.append(c.account_id == query.account_id)
        if query.due_soon or query.overdue:
            where.append(or_(*self._due_terms(session, query, as_of)))
        if query.assigned_to is not None:
            who = actor.id if query.assigned_to == "me" else query.assigned_to
            # The system acting (no person) is nobody's assignee.
            where.append(c.assignee_id == who if who is not None else false())
        if query.high_profile:
            where.append(c.high_profile.is_(True))
        if query.during_emergency:
            where.append(c.emergency_id.is_not(None))
        found = search_condition(session, query.search, ordered=ordered)
        if found is not None:
            where.append(found)
        return where

    def _due_terms(
        self, session: Session, query: CommentLogQuery, as_of: datetime
    ) -> list[ColumnElement[bool]]:
        """Open comments past (overdue) or within the warning window of (due soon) a due time.

        Written per status so each term is a range on ``ix_comments_status_*_due``.
        """
        c = Comment
        new, acked = CommentStatus.NEW, CommentStatus.ACKNOWLEDGED
        terms: list[ColumnElement[bool]] = []
        if query.overdue:
            # A new comment's answer time is after its acknowledge time, so one term covers it.
            terms.append(and_(c.status == new, c.acknowledge_due_at < as_of))
            terms.append(and_(c.status == acked, c.answer_due_at < as_of))
        if query.due_soon:
            soon = as_of + timedelta(minutes=self.ctx.settings().due_soon_minutes)
            terms.append(
                and_(c.status == new, c.acknowledge_due_at >= as_of, c.acknowledge_due_at < soon)
            )
            for status in OPEN_STATUSES:
                terms.append(
                    and_(c.status == status, c.answer_due_at >= as_of, c.answer_due_at < soon)
                )
        return terms

    def _reader(self, session: Session) -> Actor:
        actor = self.ctx.actor()  # read once a session, not once a page
        require(actor.roles, Permission.READ_ALL)
        return actor

    # -- one comment ---------------------------------------------------------------------

    def get(self, comment_id: uuid.UUID) -> CommentDetail:
        """The comment with its row, responses, and the commenter's strikes and bans."""
        with self.ctx.quick_read() as session:
            actor = self._reader(session)
            rows = rows_for(session, [comment_id])
            if not rows:
                raise NotFound(f"Comment {comment_id} does not exist (it may have been removed).")
            detail = load_detail(session, rows[0])
            account = session.get(Account, detail.account_id)
            assert account is not None
            # Whether the reader may work on it (the three monitoring bodies), for the GUI.
            refusal = work_refusal(session, actor.id, actor.roles, account, self.ctx.now())
            return replace(detail, work_refusal=refusal)


def _only_search(query: CommentLogQuery) -> bool:
    """Nothing but a search narrows the list (its sort does not change a count)."""
    plain = CommentLogQuery(search=query.search, sort=query.sort, descending=query.descending)
    return query == plain


def _ordered(cols: Sequence[Any], descending: bool) -> list[Any]:
    return [col.desc() if descending else col.asc() for col in cols]


def _in_order(
    arms: Sequence[Select[Any]], cols: Sequence[_Col], descending: bool, limit: int, offset: int = 0
) -> Select[Any]:
    """The arms' keys merged in sort order, ``limit`` of them after the first ``offset``."""
    if len(arms) == 1:
        return arms[0].order_by(*_ordered(cols, descending)).offset(offset or None).limit(limit)
    # Each arm stops after offset + limit rows of its own index walk; the merge sorts those.
    parts = [
        select(arm.order_by(*_ordered(cols, descending)).limit(offset + limit).subquery())
        for arm in arms
    ]
    merged = union_all(*parts).subquery()
    keys = [merged.c.k0, *(merged.c[f"k{i}"] for i in range(1, len(cols)))]
    in_order = [*keys[1:], keys[0]]
    return (
        select(*keys).order_by(*_ordered(in_order, descending)).offset(offset or None).limit(limit)
    )


def rows_for(session: Session, ids: list[uuid.UUID]) -> list[CommentRow]:
    """The displayed columns of these comments: a join on at most one page of ids."""
    if not ids:
        return []
    c = Comment
    stmt = (
        select(
            c.id,
            c.received_at,
            Account.platform,
            Account.handle,
            func.coalesce(_routed.code, _home.code),
            c.author_name,
            c.author_handle,
            # One more character than shown tells whether the text was cut.
            func.substr(c.text, 1, EXCERPT_CHARS + 1),
            c.kind,
            c.status,
            _assignee.name,
            c.high_profile,
            c.emergency_id.is_not(None),
            c.acknowledge_due_at,
            c.answer_due_at,
            c.acknowledged_at,
            c.answered_at,
            c.version,
        )
        .join(Account, Account.id == c.account_id)
        .join(_home, _home.id == Account.ministry_id)
        .outerjoin(_routed, _routed.id == c.routed_ministry_id)
        .outerjoin(_assignee, _assignee.id == c.assignee_id)
        .where(c.id.in_(ids))
    )
    return [
        CommentRow(
            id=r[0],
            received_at=r[1],
            account=f"{r[2].label} @{r[3]}",
            ministry=r[4] or "",
            author=r[5] or r[6] or "(anonymous)",
            excerpt=_excerpt(r[7] or ""),
            kind=r[8],
            status=r[9],
            assignee=r[10] or "",
            high_profile=bool(r[11]),
            emergency=bool(r[12]),
            acknowledge_due_at=r[13],
            answer_due_at=r[14],
            acknowledged_at=r[15],
            answered_at=r[16],
            version=r[17],
        )
        for r in session.execute(stmt)
    ]


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    if len(text) > EXCERPT_CHARS or len(flat) > EXCERPT_CHARS:
        return flat[: EXCERPT_CHARS - 1].rstrip() + "…"
    return flat
