"""Search of the comment log: the index on each database finds exactly what a scan of the
folded text would, for words, prefixes, handles, parts of names and accented letters, and
stays in step when comments are written, changed and removed."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text, update

from desktop.enums import Platform
from desktop.errors import DomainError
from desktop.models import Comment
from desktop.services.comment_log import COUNT_CAP, CommentLogQuery, CommentLogService, Cursor
from desktop.services.comment_search.match import search_words
from desktop.services.comments import CommentService
from desktop.services.context import ServiceContext
from desktop.services.transfer import TransferService
from desktop.storage import comment_search
from desktop.storage.database import Database, open_database
from tests.bulk_comments import bulk_comment_log
from tests.conftest import FIXED_NOW
from tests.factories import Cast

ROWS = 400
WRITTEN = {
    # text, author name, author handle
    0: ("Le pont de Montréal est fermé depuis lundi.", "Élodie Bérubé", "elodie_b"),
    1: ("When does the Regina bypass reopen? TRANSPORTATION matters", "Jan Friesen", "jfriesen"),
    2: ("Smoke from the wildfire near La Ronge", "Åsa Østergaard", "asa99"),
    3: ("A 100% refund? Read the_fine_print", "Zoë Łukasz", "zl"),
}


@pytest.fixture
def service(db: Database, clock: Callable[[], datetime]) -> CommentLogService:
    bulk_comment_log(db, ROWS, as_of=FIXED_NOW, accounts=5, batch=400, days=10)
    with db.write() as s:
        ids = s.scalars(select(Comment.id).order_by(Comment.id).limit(len(WRITTEN))).all()
        for i, (body, name, handle) in WRITTEN.items():
            s.execute(
                update(Comment)
                .where(Comment.id == ids[i])
                .values(text=body, author_name=name, author_handle=handle)
            )
    return CommentLogService(ServiceContext(db, "bulk00", clock=clock))


def _found(service: CommentLogService, search: str) -> set[uuid.UUID]:
    found: set[uuid.UUID] = set()
    cursor: Cursor | None = None
    while True:
        page = service.page(CommentLogQuery(search=search), FIXED_NOW, cursor, 150)
        found.update(r.id for r in page.rows)
        if page.next_cursor is None:
            return found
        cursor = page.next_cursor


def _scanned(db: Database, search: str) -> set[uuid.UUID]:
    """The reference: every comment whose folded text, name and handle hold every word."""
    words = search_words(search)
    with db.read() as s:
        rows = s.execute(
            select(Comment.id, Comment.text, Comment.author_name, Comment.author_handle)
        ).all()
    return {
        r[0]
        for r in rows
        if all(w in comment_search.fold(f"{r[1]}\n{r[2]}\n{r[3]}") for w in words)
    }


def _ids_with(db: Database, body_part: str) -> set[uuid.UUID]:
    with db.read() as s:
        return set(s.scalars(select(Comment.id).where(Comment.text.contains(body_part))).all())


@pytest.mark.parametrize(
    "search",
    [
        "montreal",  # accents folded in the text
        "MONTRÉAL",  # and in what is typed
        "berube",  # a name without its accents
        "élo",  # part of a name
        "iese",  # the middle of a name
        "@jfriesen",  # a handle as people write it
        "transp",  # a prefix, whatever the case
        "reopen regina",  # every word, in any order
        "zoe lukasz",
        "osterg",
        "ÅSA",
        "100%",  # % and _ are letters, not wildcards
        "the_fine",
        "_",
        "zl",  # short words are matched too
        "wildfire",
        "highway",
        "no such word anywhere",
    ],
)
def test_search_finds_what_a_scan_of_the_folded_text_finds(
    db: Database, service: CommentLogService, search: str
) -> None:
    expected = _scanned(db, search)
    assert _found(service, search) == expected
    assert service.count(CommentLogQuery(search=search)) == len(expected)


def test_search_finds_the_written_comments(db: Database, service: CommentLogService) -> None:
    montreal = _ids_with(db, "Montréal")
    assert len(montreal) == 1
    for search in ("Montreal", "montré", "fermé lundi", "Elodie", "BÉRUBÉ", "elodie_b"):
        assert _found(service, search) == montreal, search
    assert len(_found(service, "@jfriesen")) >= 1
    assert _found(service, "100%") == _ids_with(db, "100%")
    assert _found(service, "no such word anywhere") == set()


def test_the_index_follows_changes_and_removals(db: Database, service: CommentLogService) -> None:
    (target,) = _ids_with(db, "Montréal")
    with db.write() as s:
        s.execute(update(Comment).where(Comment.id == target).values(text="Saskatoon ferry"))
    assert _found(service, "montreal") == set()
    assert _found(service, "saskatoon ferry") == {target}
    assert _found(service, "berube") == {target}  # the name did not change
    with db.write() as s:
        s.execute(delete(Comment).where(Comment.id == target))
    assert _found(service, "saskatoon") == set()
    assert _found(service, "berube") == set()


def test_the_count_is_capped_for_a_common_word(db: Database, service: CommentLogService) -> None:
    # Every bulk comment has an author: a very common letter run, counted up to the cap.
    assert service.count(CommentLogQuery(search="e"), cap=10) == 11
    assert COUNT_CAP >= 10


def test_sqlite_search_uses_the_index(sqlite_db: Database, clock: Callable[[], datetime]) -> None:
    bulk_comment_log(sqlite_db, 50, as_of=FIXED_NOW, accounts=3, batch=50, days=5)
    with sqlite_db.read() as s:
        indexed = s.execute(
            text("SELECT count(*) FROM comment_search WHERE comment_search MATCH '\"the\"'")
        ).scalar()
        scanned = s.execute(
            text(
                "SELECT count(*) FROM comments WHERE lower(text || char(10) || author_name "
                "|| char(10) || author_handle) LIKE '%the%'"
            )
        ).scalar()
    assert indexed == scanned


def test_postgresql_search_uses_the_trigram_index(pg_db: Database) -> None:
    with pg_db.read() as s:
        names = s.scalars(
            text("SELECT indexname FROM pg_indexes WHERE tablename = 'comments'")
        ).all()
    assert comment_search.PG_INDEX in names


@pytest.mark.parametrize("search", ["the", "wildfire", "e wildfire"])
def test_a_common_word_walks_the_sort_index_and_finds_the_same(
    db: Database, service: CommentLogService, search: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.services.comment_search import match

    monkeypatch.setattr(match, "MANY", 5)  # every word here is "common"
    expected = _scanned(db, search)
    assert len(expected) > 5 or search == "e wildfire"
    assert _found(service, search) == expected
    assert service.count(CommentLogQuery(search=search)) == len(expected)


def _search_objects(db: Database) -> tuple[set[str], dict[str, int]]:
    """The index's triggers on ``comments``, and its FTS5 settings."""
    with db.engine.connect() as conn:
        triggers = set(
            conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE ?",
                (comment_search.SQLITE_TABLE + "%",),
            ).scalars()
        )
        config = dict(conn.exec_driver_sql("SELECT k, v FROM comment_search_config").all())
    return triggers, config


def test_a_restore_builds_the_index_after_the_rows_and_keeps_its_triggers(
    cast: Cast, tmp_path: Path
) -> None:
    """A restore into an empty file drops the index and builds it once after the rows (not a
    trigger per comment): the restored comments are found, the triggers are back for what is
    logged next, and day-to-day writes keep FTS5's default memory. A refused file leaves the
    index as it was."""
    account = cast.account("SearchRestore", Platform.FACEBOOK)
    comments = CommentService(cast.ctx("officer"))
    first = comments.log(account.id, FIXED_NOW - timedelta(hours=1), "Ferry at Riverhurst?").id
    for n, body in enumerate(("The wildfire near La Ronge", "Où est le pont fermé?")):
        comments.log(account.id, FIXED_NOW - timedelta(hours=2 + n), body)
    export = tmp_path / "export.json"
    TransferService(cast.ctx("admin")).export_file(export)
    admin, clock = cast.people["admin"].login, cast.clock

    target = open_database(tmp_path / "restored.sqlite3")
    migrated = _search_objects(target)
    assert len(migrated[0]) == 3
    TransferService(ServiceContext(target, admin, clock=clock)).import_file(export)
    restored = CommentLogService(ServiceContext(target, admin, clock=clock))
    assert _found(restored, "riverhurst") == {first}
    for search in ("the", "e", "wildfire", "ferme"):  # the whole log, as a scan finds it
        assert _found(restored, search) == _scanned(target, search), search
    triggers, config = _search_objects(target)
    assert triggers == migrated[0]
    assert int(config["hashsize"]) == comment_search.DEFAULT_HASHSIZE
    with target.write() as s:  # what is written next is indexed by the triggers
        s.execute(update(Comment).where(Comment.id == first).values(text="Ferry at Lemsford"))
    assert _found(restored, "riverhurst") == set()
    assert _found(restored, "lemsford") == {first}
    target.dispose()

    refused = open_database(tmp_path / "refused.sqlite3")
    broken = tmp_path / "broken.json"
    broken.write_text(export.read_text(encoding="utf-8").replace('"comments"', '"comment"', 1))
    with pytest.raises(DomainError):
        TransferService(ServiceContext(refused, admin, clock=clock)).import_file(broken)
    assert _search_objects(refused) == migrated
    refused.dispose()
