"""What a search box's text matches: every word it holds, anywhere in a comment's text, its
author's name or handle, whatever the case and accents ("@jfriesen", "fries", "Montreal" for
"Montréal"). Answered by the search index of each database; words shorter than the trigram
index's three characters are matched by a scan (of the rows the longer words leave, if any).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    column,
    false,
    func,
    literal_column,
    select,
    table,
)
from sqlalchemy.orm import Session

from desktop.models import Comment
from desktop.storage.comment_search import (
    MIN_INDEXED,
    PG_FUNCTION,
    SQLITE_TABLE,
    fold,
    sqlite_document_sql,
)

_fts = table(SQLITE_TABLE, column("rowid"), column(SQLITE_TABLE))


def search_words(search: str) -> list[str]:
    """The folded words of a search; a leading "@" (a handle as people write it) dropped."""
    words = []
    for word in fold(search).split():
        word = word.lstrip("@") or word
        if word not in words:
            words.append(word)
    return words


def _fts_matching(words: list[str]) -> Select[Any] | None:
    """The rowids whose document holds every word of three characters or more (each a
    trigram phrase: the exact substring), or None when there is no such word."""
    indexed = [w for w in words if len(w) >= MIN_INDEXED]
    if not indexed:
        return None
    match = " AND ".join('"' + w.replace('"', '""') + '"' for w in indexed)
    return select(_fts.c.rowid).where(_fts.c[SQLITE_TABLE].op("MATCH")(match))


def search_count(session: Session, search: str, cap: int) -> int | None:
    """How many comments the search alone matches, up to ``cap + 1``, from the index alone;
    None where the index cannot tell (PostgreSQL, or a word too short for it)."""
    words = search_words(search)
    if session.get_bind().dialect.name != "sqlite" or not words:
        return None
    if any(len(w) < MIN_INDEXED for w in words):
        return None
    matching = _fts_matching(words)
    assert matching is not None
    return int(
        session.scalar(select(func.count()).select_from(matching.limit(cap + 1).subquery())) or 0
    )


def _like_pattern(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"


# Above this many matches SQLite walks the sort's index and keeps the rows the search
# matched (their set read once from the index): the first page is found within a few
# thousand index entries. Below it, the matching rows are looked up by rowid and sorted.
MANY = 2_000


def search_condition(
    session: Session, search: str, *, ordered: bool = True
) -> ColumnElement[bool] | None:
    """The WHERE term of ``search`` on ``comments``; None when it holds no word.

    ``ordered``: for a page in the list's order (a count takes the matches as they come).
    """
    words = search_words(search)
    if not words:
        return None
    terms: list[ColumnElement[bool]] = []
    if session.get_bind().dialect.name == "sqlite":
        matching = _fts_matching(words)
        if matching is not None:
            rowid: Any = literal_column("comments.rowid")
            # The matches, up to MANY: a few are looked up by rowid and sorted; the index is
            # read once, here, not again inside the page's query.
            few = session.scalars(matching.limit(MANY)).all()
            if len(few) < MANY:
                terms.append(rowid.in_(list(few)) if few else false())
            elif ordered:
                # "+rowid" keeps SQLite from looking the rows up by rowid (and sorting them).
                terms.append(literal_column("+comments.rowid").in_(matching))
            else:
                terms.append(rowid.in_(matching))
        document: Any = literal_column(sqlite_document_sql("comments"))
        terms.extend(
            document.like(_like_pattern(w), escape="\\") for w in words if len(w) < MIN_INDEXED
        )
    else:
        # The same expression as the GIN index, so the planner can use it; "\" escapes.
        document = getattr(func, PG_FUNCTION)(
            Comment.text, Comment.author_name, Comment.author_handle
        )
        terms.extend(document.like(_like_pattern(w)) for w in words)
    return and_(*terms)
