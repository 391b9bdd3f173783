from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import aliased

from desktop.enums import CommentStatus, Platform, RemovalCategory, ResponseMethod
from desktop.errors import DomainError, PermissionDenied
from desktop.models import (
    Account,
    AuditEvent,
    Comment,
    Commenter,
    Ministry,
    Person,
    Response,
    Strike,
)
from desktop.services.comment_log import (
    COUNT_CAP,
    CommentLogQuery,
    CommentLogService,
    CommentRow,
    Cursor,
    SortKey,
)
from desktop.services.context import ServiceContext
from desktop.storage import comment_sort
from desktop.storage.database import Database
from tests.bulk_comments import BulkLog, bulk_comment_log
from tests.conftest import FIXED_NOW

ROWS = 1_200
OPEN = (CommentStatus.NEW, CommentStatus.ACKNOWLEDGED)


@pytest.fixture
def log(db: Database) -> BulkLog:
    made = bulk_comment_log(db, ROWS, as_of=FIXED_NOW, accounts=9, batch=400, days=20)
    # A few comments that were never routed: the ministry falls back to the account's.
    with db.write() as s:
        first = s.scalars(select(Comment.id).order_by(Comment.id).limit(15)).all()
        s.execute(update(Comment).where(Comment.id.in_(first)).values(routed_ministry_id=None))
    return made


@pytest.fixture
def service(db: Database, clock: Callable[[], datetime], log: BulkLog) -> CommentLogService:
    # bulk00 is an officer in the bulk data set.
    return CommentLogService(ServiceContext(db, "bulk00", clock=clock))


def _all(service: CommentLogService, query: CommentLogQuery, limit: int = 97) -> list[CommentRow]:
    """Every row, walking the keyset pages."""
    rows: list[CommentRow] = []
    cursor: Cursor | None = None
    for _ in range(ROWS):
        page = service.page(query, FIXED_NOW, cursor, limit)
        assert len(page.rows) <= limit
        rows.extend(page.rows)
        cursor = page.next_cursor
        if cursor is None:
            return rows
        assert len(page.rows) == limit, "a page that is not full must be the last"
    raise AssertionError("paging never ended")


def _reference_ids(db: Database, key: SortKey, descending: bool) -> list[uuid.UUID]:
    """The plain ORDER BY … LIMIT/OFFSET the keyset pages must reproduce."""
    c = Comment
    home, routed, who = aliased(Ministry), aliased(Ministry), aliased(Person)
    order = {
        SortKey.RECEIVED: [c.received_at, c.id],
        SortKey.ACKNOWLEDGE_DUE: [c.acknowledge_due_at, c.id],
        SortKey.ANSWER_DUE: [c.answer_due_at, c.id],
        SortKey.STATUS: [c.status, c.acknowledge_due_at, c.id],
        SortKey.ACCOUNT: [Account.platform, Account.handle, c.received_at, c.id],
        SortKey.MINISTRY: [func.coalesce(routed.code, home.code), c.received_at, c.id],
        SortKey.AUTHOR: [c.author_name, c.received_at, c.id],
        SortKey.TEXT: [func.substr(c.text, 1, comment_sort.TEXT_SORT_CHARS), c.id],
        SortKey.KIND: [c.kind, c.received_at, c.id],
        SortKey.ASSIGNEE: [func.coalesce(who.name, ""), c.received_at, c.id],
        SortKey.FLAGS: [c.high_profile, c.emergency_id.is_not(None), c.received_at, c.id],
    }[key]
    ids: list[uuid.UUID] = []
    with db.read() as s:
        for offset in range(0, ROWS, 250):
            ids.extend(
                s.scalars(
                    select(c.id)
                    .join(Account, Account.id == c.account_id)
                    .join(home, home.id == Account.ministry_id)
                    .outerjoin(routed, routed.id == c.routed_ministry_id)
                    .outerjoin(who, who.id == c.assignee_id)
                    .order_by(*[col.desc() if descending else col for col in order])
                    .limit(250)
                    .offset(offset)
                )
            )
    return ids


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
@pytest.mark.parametrize("key", list(SortKey))
def test_keyset_pages_reproduce_order_by_limit_offset(
    db: Database, service: CommentLogService, key: SortKey, descending: bool
) -> None:
    rows = _all(service, CommentLogQuery(sort=key, descending=descending))
    assert [r.id for r in rows] == _reference_ids(db, key, descending)


@pytest.mark.parametrize(
    "key", [SortKey.RECEIVED, SortKey.ACCOUNT, SortKey.MINISTRY, SortKey.FLAGS, SortKey.TEXT]
)
def test_pages_read_backwards_from_the_end_reproduce_the_order(
    db: Database, service: CommentLogService, key: SortKey
) -> None:
    """Ctrl+End reads the last page backwards, and scrolling up from there the ones before."""
    query = CommentLogQuery(sort=key)
    page = service.page(query, FIXED_NOW, None, 97, last=True)
    assert page.next_cursor is None
    ids = [r.id for r in page.rows]
    while page.prev_cursor is not None:
        page = service.page(query, FIXED_NOW, None, 97, before=page.prev_cursor)
        assert len(page.rows) == 97 or page.prev_cursor is None
        ids[:0] = [r.id for r in page.rows]
    assert ids == _reference_ids(db, key, True)


def test_backwards_with_a_ministry_and_a_search(db: Database, service: CommentLogService) -> None:
    ministry = next(iter(service.page(CommentLogQuery(), FIXED_NOW).rows)).ministry
    with db.read() as s:
        ministry_id = s.scalar(select(Ministry.id).where(Ministry.code == ministry))
    query = CommentLogQuery(ministry_id=ministry_id, search="the")
    forward = [r.id for r in _all(service, query, limit=13)]
    assert forward
    page = service.page(query, FIXED_NOW, None, 13, last=True)
    backward = [r.id for r in page.rows]
    while page.prev_cursor is not None:
        page = service.page(query, FIXED_NOW, None, 13, before=page.prev_cursor)
        backward[:0] = [r.id for r in page.rows]
    assert backward == forward


def test_sort_columns_have_ties_that_the_id_breaks(db: Database, log: BulkLog) -> None:
    # Without ties the test above could not catch a keyset that forgets the id.
    with db.read() as s:
        biggest = s.scalar(
            select(func.count())
            .select_from(Comment)
            .group_by(Comment.acknowledge_due_at)
            .order_by(func.count().desc())
            .limit(1)
        )
    assert biggest is not None
    assert biggest > 97


def test_jump_to_a_row_starts_the_page_there(db: Database, service: CommentLogService) -> None:
    reference = _reference_ids(db, SortKey.RECEIVED, True)
    query = CommentLogQuery()
    assert service.row_at_offset(query, 0) is None
    cursor = service.row_at_offset(query, 700)
    page = service.page(query, FIXED_NOW, cursor, 50)
    assert [r.id for r in page.rows] == reference[700:750]
    with pytest.raises(DomainError, match=f"fewer than {ROWS + 6:,} comments"):
        service.row_at_offset(query, ROWS + 5)


def test_jump_with_a_filter_and_account_sort(db: Database, service: CommentLogService) -> None:
    query = CommentLogQuery(sort=SortKey.ACCOUNT, statuses=frozenset({CommentStatus.CLOSED}))
    every = _all(service, query)
    cursor = service.row_at_offset(query, 300)
    assert [r.id for r in service.page(query, FIXED_NOW, cursor, 20).rows] == [
        r.id for r in every[300:320]
    ]


def _matching(db: Database, where: Callable[[Comment, Account], bool]) -> set[uuid.UUID]:
    with db.read() as s:
        pairs = s.execute(select(Comment, Account).join(Account)).all()
    return {c.id for c, a in pairs if where(c, a)}


def test_status_account_and_kind_filters(
    db: Database, service: CommentLogService, log: BulkLog
) -> None:
    open_only = CommentLogQuery(statuses=frozenset(OPEN))
    assert {r.id for r in _all(service, open_only)} == _matching(db, lambda c, a: c.status in OPEN)
    account = log.accounts[3]
    mine = _all(service, CommentLogQuery(account_id=account))
    assert {r.id for r in mine} == _matching(db, lambda c, a: c.account_id == account)
    assert mine
    assert all(r.account.endswith(f"@SK{list(log.ministries)[3].title()}003") for r in mine)


def test_ministry_filter_falls_back_to_the_accounts_ministry(
    db: Database, service: CommentLogService, log: BulkLog
) -> None:
    health = log.ministries["HEA"]
    rows = _all(service, CommentLogQuery(ministry_id=health))
    expected = _matching(db, lambda c, a: (c.routed_ministry_id or a.ministry_id) == health)
    unrouted = _matching(db, lambda c, a: c.routed_ministry_id is None and a.ministry_id == health)
    assert unrouted, "the data set must hold an unrouted comment of the ministry"
    assert {r.id for r in rows} == expected
    assert {r.ministry for r in rows} == {"HEA"}


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
@pytest.mark.parametrize("key", list(SortKey))
def test_ministry_pages_merge_routed_and_unrouted_in_order(
    db: Database, service: CommentLogService, log: BulkLog, key: SortKey, descending: bool
) -> None:
    health = log.ministries["HEA"]
    mine = _matching(db, lambda c, a: (c.routed_ministry_id or a.ministry_id) == health)
    reference = [i for i in _reference_ids(db, key, descending) if i in mine]
    query = CommentLogQuery(ministry_id=health, sort=key, descending=descending)
    assert [r.id for r in _all(service, query, limit=13)] == reference
    cursor = service.row_at_offset(query, 20)
    assert [r.id for r in service.page(query, FIXED_NOW, cursor, 5).rows] == reference[20:25]
    assert service.count(query) == len(reference)
    assert service.count(query, cap=10) == 11


def test_due_soon_and_overdue_at_a_fixed_time(db: Database, service: CommentLogService) -> None:
    soon = FIXED_NOW + timedelta(minutes=15)

    def is_overdue(c: Comment, _a: Account) -> bool:
        return (c.status == CommentStatus.NEW and c.acknowledge_due_at < FIXED_NOW) or (
            c.status == CommentStatus.ACKNOWLEDGED and c.answer_due_at < FIXED_NOW
        )

    def is_due_soon(c: Comment, _a: Account) -> bool:
        ack = c.status == CommentStatus.NEW and FIXED_NOW <= c.acknowledge_due_at < soon
        answer = c.status in OPEN and FIXED_NOW <= c.answer_due_at < soon
        return ack or answer

    overdue = {r.id for r in _all(service, CommentLogQuery(overdue=True))}
    due_soon = {r.id for r in _all(service, CommentLogQuery(due_soon=True))}
    assert overdue
    assert overdue == _matching(db, is_overdue)
    assert due_soon == _matching(db, is_due_soon)
    both = {r.id for r in _all(service, CommentLogQuery(overdue=True, due_soon=True))}
    assert both == overdue | due_soon


def test_due_soon_window_follows_the_setting(db: Database, service: CommentLogService) -> None:
    with db.write() as s:
        target = s.scalars(
            select(Comment).where(Comment.status == CommentStatus.NEW).limit(1)
        ).one()
        target.acknowledge_due_at = FIXED_NOW + timedelta(minutes=40)
        target.answer_due_at = FIXED_NOW + timedelta(days=1)
    query = CommentLogQuery(due_soon=True)
    assert target.id not in {r.id for r in _all(service, query)}
    from desktop.models import Setting

    with db.write() as s:
        s.add(Setting(key="due_soon_minutes", value="45"))
    # Another session changed the setting: read again after a refresh (F5) or 60 s.
    service.ctx.forget()
    assert target.id in {r.id for r in _all(service, query)}


def test_assigned_to_me_high_profile_emergency(
    db: Database, service: CommentLogService, log: BulkLog
) -> None:
    me = log.people[0]
    mine = {r.id for r in _all(service, CommentLogQuery(assigned_to="me"))}
    assert mine
    assert mine == _matching(db, lambda c, a: c.assignee_id == me)
    other = log.people[5]
    theirs = {r.id for r in _all(service, CommentLogQuery(assigned_to=other))}
    assert theirs == _matching(db, lambda c, a: c.assignee_id == other)
    flagged = _all(service, CommentLogQuery(high_profile=True))
    assert flagged
    assert all(r.high_profile for r in flagged)
    assert {r.id for r in flagged} == _matching(db, lambda c, a: c.high_profile)
    during = _all(service, CommentLogQuery(during_emergency=True))
    assert during
    assert all(r.emergency for r in during)
    assert {r.id for r in during} == _matching(db, lambda c, a: c.emergency_id is not None)


def test_search_is_case_insensitive_and_literal(db: Database, service: CommentLogService) -> None:
    found = _all(service, CommentLogQuery(search="  WILDFIRE smoke "))
    assert found
    assert {r.id for r in found} == _matching(db, lambda c, a: "wildfire smoke" in c.text.lower())
    by_author = _all(service, CommentLogQuery(search="friesen"))
    assert by_author
    assert all("Friesen" in r.author for r in by_author)
    # % and _ are searched for, not used as wildcards.
    assert _all(service, CommentLogQuery(search="100%")) == []
    assert _all(service, CommentLogQuery(search="_")) == []


def test_filters_combine_with_every_sort(db: Database, service: CommentLogService) -> None:
    query = CommentLogQuery(
        statuses=frozenset({CommentStatus.CLOSED, CommentStatus.HIDDEN}), search="highway"
    )
    expected = _matching(
        db,
        lambda c, a: (
            c.status in (CommentStatus.CLOSED, CommentStatus.HIDDEN) and "highway" in c.text.lower()
        ),
    )
    for key in SortKey:
        for descending in (False, True):
            rows = _all(
                service,
                CommentLogQuery(**{**query.__dict__, "sort": key, "descending": descending}),
                limit=31,
            )
            assert {r.id for r in rows} == expected
            assert len(rows) == len(expected)


def test_count_is_exact_below_the_cap_and_capped_above(service: CommentLogService) -> None:
    assert service.count(CommentLogQuery()) == ROWS
    open_only = CommentLogQuery(statuses=frozenset(OPEN))
    assert service.count(open_only) == len(_all(service, open_only))
    assert service.count(CommentLogQuery(), cap=1_000) == 1_001  # "1,000+"
    assert service.count(CommentLogQuery(), cap=ROWS) == ROWS
    assert COUNT_CAP == 100_000


def test_rows_hold_what_the_table_shows(db: Database, service: CommentLogService) -> None:
    long_text = "Line one\n" + "word " * 60
    with db.write() as s:
        target = s.scalars(select(Comment).order_by(Comment.received_at.desc()).limit(1)).one()
        target.text = long_text
        target.author_name = ""
        target.author_handle = "@anon42"
    row = service.page(CommentLogQuery(), FIXED_NOW, None, 1).rows[0]
    assert row.id == target.id
    assert row.excerpt.startswith("Line one word word")
    assert row.excerpt.endswith("…")
    assert len(row.excerpt) <= 140
    assert row.author == "@anon42"
    assert row.account.startswith(
        (
            "Facebook @",
            "X (Twitter) @",
            "Instagram @",
            "YouTube @",
            "LinkedIn @",
            "TikTok @",
            "WeChat @",
            "Other @",
        )
    )
    assert row.version == 2


def test_detail_has_responses_and_the_commenters_strikes(
    db: Database, service: CommentLogService, log: BulkLog
) -> None:
    with db.write() as s:
        comment = s.scalars(select(Comment).order_by(Comment.id).limit(1)).one()
        account = s.get(Account, comment.account_id)
        assert account is not None
        officer = s.get(Person, log.people[0])
        assert officer is not None
        commenter = Commenter(id=uuid.uuid4(), platform=account.platform, handle="@troll")
        s.add(commenter)
        s.flush()
        comment.commenter_id = commenter.id
        comment.logged_by_id = officer.id
        other = s.scalars(select(Comment).where(Comment.id != comment.id).limit(1)).one()
        for i, (on, category) in enumerate(
            [(other.id, RemovalCategory.SPAM), (comment.id, RemovalCategory.HARASSMENT)]
        ):
            s.execute(
                insert(Strike).values(
                    id=uuid.uuid4(),
                    commenter_id=commenter.id,
                    platform=account.platform,
                    comment_id=on,
                    category=category,
                    evidence_text=f"evidence {i}",
                    recorded_by_id=officer.id,
                    recorded_at=FIXED_NOW - timedelta(days=2 - i),
                    version=1,
                    created_at=FIXED_NOW,
                    updated_at=FIXED_NOW,
                )
            )
        s.add(
            Response(
                id=uuid.uuid4(),
                comment_id=comment.id,
                responder_id=officer.id,
                method=ResponseMethod.WEB_LINK,
                link_url="https://www.saskatchewan.ca/fires",
                responded_at=FIXED_NOW,
                restricted_topics_cleared=True,
            )
        )
    detail = service.get(comment.id)
    assert detail.row.id == comment.id
    assert detail.text == comment.text
    assert [r.method for r in detail.responses] == ["Web link"]
    assert detail.responses[0].responder == officer.name
    assert [(s.category, s.this_comment) for s in detail.strikes] == [
        ("Harassment", True),
        ("Spam", False),
    ]
    with db.read() as s:
        home = s.scalar(
            select(Ministry.name).where(
                Ministry.id == (comment.routed_ministry_id or account.ministry_id)
            )
        )
    assert detail.ministry_name == home
    assert detail.logged_by == officer.name
    assert detail.platform == Platform(account.platform)
    with pytest.raises(DomainError, match="does not exist"):
        service.get(uuid.uuid4())


def test_reading_writes_no_audit_event(db: Database, service: CommentLogService) -> None:
    service.page(CommentLogQuery(), FIXED_NOW)
    service.count(CommentLogQuery())
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == 0


@pytest.mark.parametrize("login", ["bulkaudit", "bulk00"])
def test_readers_may_read(
    db: Database, clock: Callable[[], datetime], log: BulkLog, login: str
) -> None:
    service = CommentLogService(ServiceContext(db, login, clock=clock))
    assert service.count(CommentLogQuery(), cap=10) == 11
    # The auditor is nobody's assignee.
    if login == "bulkaudit":
        assert service.page(CommentLogQuery(assigned_to="me"), FIXED_NOW).rows == []


def test_an_agency_may_not_read_the_log(
    db: Database, clock: Callable[[], datetime], log: BulkLog
) -> None:
    from desktop.enums import AppRole, PersonKind
    from desktop.services.people import PeopleService, PersonInput

    PeopleService(ServiceContext(db, "bulkadmin", clock=clock)).add(
        PersonInput(
            "adco",
            "Ad Co",
            "ads@adco.ca",
            roles=(AppRole.AGENCY,),
            kind=PersonKind.AGENCY,
            agency_name="Ad Co",
        )
    )
    service = CommentLogService(ServiceContext(db, "adco", clock=clock))
    for call in (
        lambda: service.page(CommentLogQuery(), FIXED_NOW),
        lambda: service.count(CommentLogQuery()),
        lambda: service.row_at_offset(CommentLogQuery(), 3),
        lambda: service.get(log.accounts[0]),
    ):
        with pytest.raises(PermissionDenied, match="Reading the whole register needs the role"):
            call()
