"""Search of the comment log: the index on each database finds exactly what a scan of the
folded text would, for words, prefixes, handles, parts of names and accented letters, and
stays in step when comments are written, changed and removed."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

import pytest
from sqlalchemy import delete, select, text, update

from desktop.models import Comment
from desktop.services.comment_log import COUNT_CAP, CommentLogQuery, CommentLogService, Cursor
from desktop.services.comment_search.match import search_words
from desktop.services.context import ServiceContext
from desktop.storage import comment_search
from desktop.storage.database import Database
from tests.bulk_comments import bulk_comment_log
from tests.conftest import FIXED_NOW

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
