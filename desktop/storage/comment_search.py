"""The comment log's search index, kept in step with ``comments`` by the database itself.

What is searched is a comment's text, its author's name and handle, folded the same way on
both sides: accents removed (a fixed table of Latin letters, ``FOLD_FROM`` → ``FOLD_TO``) and
lower case. A search word matches anywhere in it (a word, a prefix, part of a name, a handle).

- SQLite: an FTS5 table with the trigram tokenizer, contentless (it stores the index only),
  its rowid the comment's rowid; triggers on ``comments`` insert and delete its entries. A word
  of three characters or more is a trigram phrase query: an exact substring match answered by
  the index.
- PostgreSQL: a trigram GIN index (``pg_trgm``) on ``smgov_comment_search(text, author_name,
  author_handle)``, an immutable SQL function doing the folding, and ``LIKE '%word%'``. Where
  the extension cannot be created the function is still there and searches scan.

Written by migration 0008. A later migration that rebuilds ``comments`` (a SQLite batch
operation copies the table: new rowids, and the triggers dropped with the old table) must
call ``create_sqlite`` again after it.

Nothing in here is a table of the models: ``is_search_object`` tells Alembic's comparison
and the table reflection of tests to leave these objects alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

# Single letters only, so SQL's translate() and a chain of replace() fold exactly as Python;
# the Latin letters of French, Spanish, German, Polish, Czech, Nordic and Portuguese names.
# SQLite's parser limits a folding expression to about 90 replace() calls.
# Changing this table changes what is indexed: it needs a migration that rebuilds the index.
_LETTERS = {
    "a": "àáâãäåąÀÁÂÃÄÅĄ",
    "c": "çćčÇĆČ",
    "e": "èéêëęěÈÉÊËĘĚ",
    "i": "ìíîïÌÍÎÏ",
    "l": "łŁ",
    "n": "ñńÑŃ",
    "o": "òóôõöøÒÓÔÕÖØ",
    "s": "śšŚŠ",
    "u": "ùúûüÙÚÛÜ",
    "y": "ýÿÝŸ",
    "z": "źżžŹŻŽ",
}
FOLD_FROM = "".join(_LETTERS.values())
FOLD_TO = "".join(plain * len(accented) for plain, accented in _LETTERS.items())
_FOLD = str.maketrans(FOLD_FROM, FOLD_TO)

SQLITE_TABLE = "comment_search"
PG_FUNCTION = "smgov_comment_search"
PG_INDEX = "ix_comments_search_trgm"
# A separator nobody types: a search word never spans the text and the author's name.
SEPARATOR = "\n"
MIN_INDEXED = 3  # trigram: shorter words are matched by scanning
# FTS5 writes its pending entries out as a new segment (merged later) each time they pass
# "hashsize" (1 MiB by default). Building the whole index in one statement with 16 MiB writes
# a sixteenth of the segments: half the time on a million comments, for ~16 MiB of memory
# during the build. Day-to-day writes keep the default.
BULK_HASHSIZE = 16 * 1024 * 1024
DEFAULT_HASHSIZE = 1024 * 1024


def fold(value: str) -> str:
    """What a search word or a searched text is compared as."""
    return value.translate(_FOLD).lower()


def is_search_object(name: str | None) -> bool:
    """The index's own tables (FTS5 adds ``comment_search_data`` …), function and index."""
    return bool(name) and (
        name in (SQLITE_TABLE, PG_INDEX) or str(name).startswith(SQLITE_TABLE + "_")
    )


def sqlite_fold_sql(expr: str) -> str:
    """``expr`` folded in SQLite SQL, as a scalar subquery: one replace() per letter of the
    table, ``_CHUNK`` of them per nested SELECT (SQLite's parser overflows at about 100 in
    all), then lower() (ASCII only; the trigram index folds the case of the rest)."""
    inner = f"SELECT {expr} AS d"
    for start in range(0, len(FOLD_FROM), _CHUNK):
        folded = "d"
        for source, target in zip(
            FOLD_FROM[start : start + _CHUNK], FOLD_TO[start : start + _CHUNK], strict=True
        ):
            folded = f"replace({folded}, '{source}', '{target}')"
        inner = f"SELECT {folded} AS d FROM ({inner})"
    return f"(SELECT lower(d) FROM ({inner}))"


_CHUNK = 16


def sqlite_document_sql(alias: str) -> str:
    """The folded document of the comment row ``alias`` (``new``, ``old``, a table name)."""
    joined = f"{alias}.text || char(10) || {alias}.author_name || char(10) || {alias}.author_handle"
    return sqlite_fold_sql(joined)


def create_sqlite(conn: Connection) -> None:
    """The FTS5 table, its triggers, and every existing comment indexed in one statement.

    Also how a bulk load of comments (a restore, a replica's first copy) builds the index:
    ``drop_sqlite`` before the rows, this after them, in three times less than the triggers
    take row by row (FTS5's per-row inserts, each with its folding, are the cost)."""
    drop_sqlite(conn)
    conn.execute(
        text(
            f"CREATE VIRTUAL TABLE {SQLITE_TABLE} USING fts5("
            "document, content='', tokenize='trigram', columnsize=0, detail='full')"
        )
    )
    new, old = sqlite_document_sql("new"), sqlite_document_sql("old")
    insert = f"INSERT INTO {SQLITE_TABLE}(rowid, document) VALUES (new.rowid, {new});"
    delete = (
        f"INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}, rowid, document) "
        f"VALUES ('delete', old.rowid, {old});"
    )
    conn.execute(
        text(f"CREATE TRIGGER {SQLITE_TABLE}_ai AFTER INSERT ON comments BEGIN {insert} END")
    )
    conn.execute(
        text(f"CREATE TRIGGER {SQLITE_TABLE}_ad AFTER DELETE ON comments BEGIN {delete} END")
    )
    conn.execute(
        text(
            f"CREATE TRIGGER {SQLITE_TABLE}_au AFTER UPDATE OF text, author_name, author_handle "
            f"ON comments BEGIN {delete} {insert} END"
        )
    )
    _set_hashsize(conn, BULK_HASHSIZE)
    conn.execute(
        text(
            f"INSERT INTO {SQLITE_TABLE}(rowid, document) "
            f"SELECT rowid, {sqlite_document_sql('comments')} FROM comments"
        )
    )
    _set_hashsize(conn, DEFAULT_HASHSIZE)


def _set_hashsize(conn: Connection, size: int) -> None:
    conn.execute(
        text(f"INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}, rank) VALUES ('hashsize', :size)"),
        {"size": size},
    )


@contextmanager
def built_after(session: Session) -> Iterator[None]:
    """A bulk load of comments into SQLite (a restore, the demo): the search index dropped
    before the rows and built once after them (``create_sqlite``), in the load's transaction,
    so a load that fails rolls back to the index as it was. Nothing to do on PostgreSQL."""
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    drop_sqlite(session.connection())
    yield
    create_sqlite(session.connection())


def drop_sqlite(conn: Connection) -> None:
    for suffix in ("ai", "ad", "au"):
        conn.execute(text(f"DROP TRIGGER IF EXISTS {SQLITE_TABLE}_{suffix}"))
    conn.execute(text(f"DROP TABLE IF EXISTS {SQLITE_TABLE}"))


def pg_function_sql() -> str:
    source = FOLD_FROM.replace("'", "''")
    return (
        f"CREATE OR REPLACE FUNCTION {PG_FUNCTION}(body text, name text, handle text) "
        "RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS "
        f"$$ SELECT lower(translate(body || chr(10) || name || chr(10) || handle, "
        f"'{source}', '{FOLD_TO}')) $$"
    )


def create_postgresql(conn: Connection) -> bool:
    """The folding function and, where ``pg_trgm`` can be had, the GIN index; False when the
    extension is not available (searches then scan)."""
    conn.execute(text(pg_function_sql()))
    try:
        with conn.begin_nested():
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except Exception:  # noqa: BLE001 - not installed, or no right to create it
        return False
    conn.execute(
        text(
            f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON comments USING gin "
            f"({PG_FUNCTION}(text, author_name, author_handle) gin_trgm_ops)"
        )
    )
    return True


def drop_postgresql(conn: Connection) -> None:
    conn.execute(text(f"DROP INDEX IF EXISTS {PG_INDEX}"))
    conn.execute(text(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}(text, text, text)"))
