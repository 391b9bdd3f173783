"""The comment log's derived sort keys (``comment_sort_keys``) follow every change that moves
them, on SQLite and PostgreSQL, and the sorts that read them page correctly."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import aliased

from desktop.enums import Platform
from desktop.errors import DomainError
from desktop.models import Account, Comment, Ministry, Person, Response
from desktop.services.comment_log import CommentLogQuery, CommentLogService, Cursor, SortKey
from desktop.services.comments import CommentService
from desktop.services.context import ServiceContext
from desktop.services.transfer import TransferService
from desktop.storage import comment_sort
from desktop.storage.database import Database, create_db_engine, open_database, to_url
from desktop.storage.migrate import alembic_config, upgrade
from tests.bulk_comments import BulkLog, bulk_comment_log
from tests.conftest import FIXED_NOW
from tests.factories import Cast

ROWS = 300


@pytest.fixture
def log(db: Database) -> BulkLog:
    return bulk_comment_log(db, ROWS, as_of=FIXED_NOW, accounts=9, batch=300, days=20)


def _expected(db: Database) -> dict[uuid.UUID, tuple[Any, ...]]:
    """Every comment's keys computed from the tables, as the log used to sort by them."""
    c, home, routed, who = Comment, aliased(Ministry), aliased(Ministry), aliased(Person)
    stmt = (
        select(
            c.id,
            c.received_at,
            func.coalesce(routed.code, home.code),
            func.coalesce(who.name, ""),
            c.high_profile,
            c.emergency_id.is_not(None),
        )
        .join(Account, Account.id == c.account_id)
        .join(home, home.id == Account.ministry_id)
        .outerjoin(routed, routed.id == c.routed_ministry_id)
        .outerjoin(who, who.id == c.assignee_id)
    )
    with db.read() as s:
        return {r[0]: (r[1], r[2], r[3], int(r[4]) * 2 + int(r[5])) for r in s.execute(stmt)}


def _kept(db: Database) -> dict[uuid.UUID, tuple[Any, ...]]:
    k = comment_sort.sort_keys.c
    with db.read() as s:
        rows = s.execute(select(k.comment_id, k.received_at, k.ministry, k.assignee, k.flags))
        return {r[0]: tuple(r[1:]) for r in rows}


def _assert_in_step(db: Database) -> None:
    kept, expected = _kept(db), _expected(db)
    assert kept == expected


def _some(db: Database, where: Any, n: int = 5) -> list[uuid.UUID]:
    with db.read() as s:
        return list(s.scalars(select(Comment.id).where(where).order_by(Comment.id).limit(n)))


def test_every_comment_has_its_keys(db: Database, log: BulkLog) -> None:
    kept = _kept(db)
    assert len(kept) == ROWS
    assert len({v[1] for v in kept.values()}) > 1, "several ministries"
    assert len({v[3] for v in kept.values()}) > 1, "several flags"
    _assert_in_step(db)


def test_keys_follow_changes_of_comments_accounts_ministries_and_people(
    db: Database, log: BulkLog
) -> None:
    hea, env = log.ministries["HEA"], log.ministries["ENV"]
    # A comment routed to another ministry, and one no longer routed.
    routed = _some(db, Comment.routed_ministry_id != env, 3)
    with db.write() as s:
        s.execute(update(Comment).where(Comment.id == routed[0]).values(routed_ministry_id=env))
        s.execute(update(Comment).where(Comment.id == routed[1]).values(routed_ministry_id=None))
    _assert_in_step(db)
    # An account moved to another ministry: its unrouted comments follow.
    with db.write() as s:
        unrouted = update(Comment).values(routed_ministry_id=None)
        s.execute(unrouted.where(Comment.account_id == log.accounts[0]))
        s.execute(update(Account).where(Account.id == log.accounts[0]).values(ministry_id=env))
    _assert_in_step(db)
    assert {v[1] for k, v in _kept(db).items() if k in _account_comments(db, log.accounts[0])} == {
        "ENV"
    }
    # A ministry's code changed: its routed comments and its accounts' unrouted ones.
    with db.write() as s:
        s.execute(update(Ministry).where(Ministry.id == hea).values(code="HLTH"))
    _assert_in_step(db)
    assert "HLTH" in {v[1] for v in _kept(db).values()}
    # Assigned to somebody else, unassigned; a person renamed.
    assigned = _some(db, Comment.assignee_id.is_not(None), 2)
    with db.write() as s:
        s.execute(
            update(Comment).where(Comment.id == assigned[0]).values(assignee_id=log.people[1])
        )
        s.execute(update(Comment).where(Comment.id == assigned[1]).values(assignee_id=None))
        s.execute(update(Person).where(Person.id == log.people[1]).values(name="Zed Renamed"))
    _assert_in_step(db)
    assert _kept(db)[assigned[0]][2] == "Zed Renamed"
    assert _kept(db)[assigned[1]][2] == ""
    # Flags: high profile, during an emergency.
    plain = _some(db, Comment.high_profile.is_(False) & Comment.emergency_id.is_(None), 1)[0]
    with db.write() as s:
        s.execute(
            update(Comment)
            .where(Comment.id == plain)
            .values(high_profile=True, emergency_id=log.emergency_id)
        )
    assert _kept(db)[plain][3] == 3
    _assert_in_step(db)
    # A comment deleted (with its responses), one added.
    gone = routed[2]
    with db.write() as s:
        s.execute(delete(Response).where(Response.comment_id == gone))
        s.execute(delete(Comment).where(Comment.id == gone))
        row = {c.name: getattr(_comment(s, routed[0]), c.key) for c in Comment.__table__.c}
        row.update(id=uuid.uuid4(), external_id=None, assignee_id=log.people[2])
        s.execute(insert(Comment), [row])
    kept = _kept(db)
    assert gone not in kept
    assert row["id"] in kept
    assert len(kept) == ROWS
    _assert_in_step(db)


def _account_comments(db: Database, account: uuid.UUID) -> set[uuid.UUID]:
    with db.read() as s:
        return set(s.scalars(select(Comment.id).where(Comment.account_id == account)))


def _comment(s: Any, comment_id: uuid.UUID) -> Comment:
    found = s.get(Comment, comment_id)
    assert found is not None
    return found


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
@pytest.mark.parametrize("key", [SortKey.MINISTRY, SortKey.ASSIGNEE, SortKey.FLAGS, SortKey.TEXT])
def test_pages_after_changes_follow_the_new_keys(
    db: Database, clock: Callable[[], datetime], log: BulkLog, key: SortKey, descending: bool
) -> None:
    """Pages of 7 (many ties, each page boundary inside a run of equal keys) in the order
    the tables give after the keys moved, forwards and backwards from the end."""
    with db.write() as s:
        s.execute(update(Person).where(Person.id == log.people[0]).values(name="Aaron First"))
        s.execute(update(Ministry).where(Ministry.code == "ENV").values(code="AAA"))
    service = CommentLogService(ServiceContext(db, "bulk00", clock=clock))
    query = CommentLogQuery(sort=key, descending=descending)
    forward: list[uuid.UUID] = []
    cursor: Cursor | None = None
    while True:
        page = service.page(query, FIXED_NOW, cursor, 7)
        forward.extend(r.id for r in page.rows)
        if (cursor := page.next_cursor) is None:
            break
    backward: list[uuid.UUID] = []
    page = service.page(query, FIXED_NOW, limit=7, last=True)
    while True:
        backward[:0] = [r.id for r in page.rows]
        if page.prev_cursor is None:
            break
        page = service.page(query, FIXED_NOW, limit=7, before=page.prev_cursor)
    assert forward == _reference(db, key, descending)
    assert backward == forward


def _reference(db: Database, key: SortKey, descending: bool) -> list[uuid.UUID]:
    """The order the database gives from the tables themselves (its own text collation)."""
    c, home, routed, who = Comment, aliased(Ministry), aliased(Ministry), aliased(Person)
    flags = c.high_profile, c.emergency_id.is_not(None)
    order: list[Any] = {
        SortKey.MINISTRY: [func.coalesce(routed.code, home.code), c.received_at, c.id],
        SortKey.ASSIGNEE: [func.coalesce(who.name, ""), c.received_at, c.id],
        SortKey.FLAGS: [*flags, c.received_at, c.id],
        SortKey.TEXT: [func.substr(c.text, 1, comment_sort.TEXT_SORT_CHARS), c.id],
    }[key]
    stmt = (
        select(c.id)
        .join(Account, Account.id == c.account_id)
        .join(home, home.id == Account.ministry_id)
        .outerjoin(routed, routed.id == c.routed_ministry_id)
        .outerjoin(who, who.id == c.assignee_id)
        .order_by(*[col.desc() if descending else col for col in order])
    )
    with db.read() as s:
        return list(s.scalars(stmt))


def test_migrating_an_existing_database_fills_the_keys(tmp_path: Path) -> None:
    """A file made at 0010 with comments gets every comment's keys from 0011; downgrading
    drops them."""
    db = Database(create_db_engine(to_url(tmp_path / "at-0010.sqlite3")))
    upgrade(db, "0010", backup_dir=tmp_path / "backups")
    bulk_comment_log(db, 50, as_of=FIXED_NOW, accounts=3, batch=50, days=5)
    upgrade(db, "head", backup_dir=tmp_path / "backups")
    assert len(_kept(db)) == 50
    _assert_in_step(db)
    with db.engine.connect() as conn:
        command.downgrade(alembic_config(conn), "0010")
        conn.commit()
    with db.engine.connect() as conn:
        names = set(conn.exec_driver_sql("SELECT name FROM sqlite_master").scalars())
    assert not {n for n in names if comment_sort.is_sort_object(n) or "sort_keys" in n}
    db.dispose()


def _sort_triggers(db: Database) -> set[str]:
    with db.engine.connect() as conn:
        return set(
            conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "
                "('comments', 'accounts', 'ministries', 'people') AND name LIKE ?",
                (comment_sort.TABLE + "%",),
            ).scalars()
        )


def test_a_restore_builds_the_keys_once_and_keeps_the_triggers(cast: Cast, tmp_path: Path) -> None:
    """A restore into an empty SQLite file builds the keys after the rows (not a trigger per
    comment) and leaves the triggers as a migrated file has them; a refused restore leaves
    them too."""
    account = cast.account("SortRestore", Platform.FACEBOOK)
    comments = CommentService(cast.ctx("officer"))
    for n in range(3):
        comments.log(account.id, FIXED_NOW - timedelta(hours=n), f"Question {n}?")
    export = tmp_path / "export.json"
    TransferService(cast.ctx("admin")).export_file(export)

    target = open_database(tmp_path / "restored.sqlite3")
    expected_triggers = _sort_triggers(target)
    assert expected_triggers
    TransferService(ServiceContext(target, "admin")).import_file(export)
    assert _sort_triggers(target) == expected_triggers
    assert len(_kept(target)) == 3
    _assert_in_step(target)
    with target.write() as s:  # the triggers work on the restored rows
        s.execute(update(Ministry).values(code=Ministry.code + "X"))
    _assert_in_step(target)
    target.dispose()

    refused = open_database(tmp_path / "refused.sqlite3")
    broken = tmp_path / "broken.json"
    broken.write_text(export.read_text(encoding="utf-8").replace('"comments"', '"comment"', 1))
    with pytest.raises(DomainError):
        TransferService(ServiceContext(refused, "admin")).import_file(broken)
    assert _sort_triggers(refused) == expected_triggers
    refused.dispose()
