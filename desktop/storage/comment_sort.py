"""The comment log's sort keys that are not columns of ``comments``, kept by the database.

A comment's ministry (its routed ministry's code, else its account's), its assignee's name
and its flags come from other tables or from two columns; no index of ``comments`` can serve
an ORDER BY on them, so the log sorted every comment for each page (0.6–5.6 s on a million).
``comment_sort_keys`` holds them, one row a comment, with an index led by each key and
ending with ``received_at`` and the comment's id (the log's tie-breakers), so a page is an
index walk of 201 entries.

Triggers keep it in step, on SQLite and PostgreSQL alike: a comment written or deleted, an
account moved to another ministry, a ministry's code changed, a person renamed (and each of
those three inserted, so a replica's copy or pull may bring them in any order). A change
recomputes the whole row of each comment it touches from the tables. On PostgreSQL the
trigger functions are ``SECURITY DEFINER`` (owned by the owner role once ``smgov hub init``
ran), so a person's login needs no right to write the table, only the readers' SELECT.

The log's text sort uses an expression index of ``comments`` instead (a row here would copy
the text): ``substr(text, 1, TEXT_SORT_CHARS)`` then the id. The whole text cannot be an index
key (a PostgreSQL B-tree entry holds at most 2,704 bytes; a comment may hold 8,000
characters), so comments sharing their first ``TEXT_SORT_CHARS`` characters sort by id.

Like the search index (``comment_search``): not a table of the models, not a record (no
digest, never exported, never replicated: each copy's own triggers fill its own). Written by
migration 0011. A later migration that rebuilds ``comments`` (a SQLite batch copy drops its
triggers) must call ``create_sqlite`` again after it.
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, MetaData, SmallInteger, String, Table, Uuid, text

from desktop.models.base import UTCDateTime

TABLE = "comment_sort_keys"
TEXT_SORT_CHARS = 200
TEXT_INDEX = "ix_comments_text_sort"
INDEXES = {
    "ix_comment_sort_keys_ministry": "ministry",
    "ix_comment_sort_keys_assignee": "assignee",
    "ix_comment_sort_keys_flags": "flags",
}
PG_FUNCTIONS = (
    "smgov_sort_keys_comments()",
    "smgov_sort_keys_accounts()",
    "smgov_sort_keys_ministries()",
    "smgov_sort_keys_people()",
)

metadata = MetaData()
sort_keys = Table(
    TABLE,
    metadata,
    Column("comment_id", Uuid, primary_key=True),
    Column("received_at", UTCDateTime, nullable=False),
    Column("ministry", String(16), nullable=False),
    Column("assignee", String(200), nullable=False),
    # high_profile * 2 + (emergency_id IS NOT NULL): the order of the pair (high_profile, …).
    Column("flags", SmallInteger, nullable=False),
    info={"record_digest": False},
    # SQLite: the rows kept in key order, no rowid and no second index for the key (-47 MB).
    sqlite_with_rowid=False,
)


def is_sort_object(name: str | None) -> bool:
    """The table, its indexes and the text index: the database's own, not the models'."""
    return bool(name) and (name in (TABLE, TEXT_INDEX) or str(name).startswith(TABLE + "_"))


def _values(c: str) -> str:
    """The sort keys of the comment row ``c``, as a SELECT list."""
    return (
        f"{c}.id, {c}.received_at, "
        f"coalesce((SELECT m.code FROM ministries m WHERE m.id = {c}.routed_ministry_id), "
        f"(SELECT m.code FROM accounts a JOIN ministries m ON m.id = a.ministry_id "
        f"WHERE a.id = {c}.account_id), ''), "
        f"coalesce((SELECT p.name FROM people p WHERE p.id = {c}.assignee_id), ''), "
        f"(CASE WHEN {c}.high_profile THEN 2 ELSE 0 END) "
        f"+ (CASE WHEN {c}.emergency_id IS NULL THEN 0 ELSE 1 END)"
    )


_COLUMNS = "comment_id, received_at, ministry, assignee, flags"
# Which comments a written row of each table touches (``new``: the row).
_TOUCHED = {
    "accounts": "c.account_id = new.id",
    "ministries": (
        "c.routed_ministry_id = new.id OR c.account_id IN "
        "(SELECT a.id FROM accounts a WHERE a.ministry_id = new.id)"
    ),
    "people": "c.assignee_id = new.id",
}
# The columns whose change moves a sort key.
_WATCHED = {
    "comments": (
        "id, received_at, account_id, routed_ministry_id, assignee_id, high_profile, emergency_id"
    ),
    "accounts": "ministry_id",
    "ministries": "code",
    "people": "name",
}


def _indexes(conn: Connection) -> None:
    for name, column in INDEXES.items():
        conn.execute(text(f"CREATE INDEX {name} ON {TABLE} ({column}, received_at, comment_id)"))
    conn.execute(
        text(f"CREATE INDEX {TEXT_INDEX} ON comments (substr(text, 1, {TEXT_SORT_CHARS}), id)")
    )


def _fill(conn: Connection) -> None:
    conn.execute(text(f"INSERT INTO {TABLE} ({_COLUMNS}) SELECT {_values('c')} FROM comments c"))


def create_sqlite(conn: Connection) -> None:
    """The table, its triggers and indexes, and every existing comment's keys."""
    drop_sqlite(conn)
    sort_keys.create(conn)
    gone = f"DELETE FROM {TABLE} WHERE comment_id = old.id;"
    # Delete, then insert: an INSERT OR REPLACE in a trigger takes the conflict handling of
    # the statement that fired it (a sync pull's upsert: ABORT).
    insert = f"INSERT INTO {TABLE} ({_COLUMNS}) SELECT {_values('c')} FROM comments c"
    comment = (
        f"DELETE FROM {TABLE} WHERE comment_id IN (old.id, new.id); {insert} WHERE c.id = new.id;"
    )
    triggers = {
        "comments_ai": (
            f"AFTER INSERT ON comments BEGIN DELETE FROM {TABLE} WHERE comment_id = new.id; "
            f"{insert} WHERE c.id = new.id; END"
        ),
        "comments_au": f"AFTER UPDATE OF {_WATCHED['comments']} ON comments BEGIN {comment} END",
        "comments_ad": f"AFTER DELETE ON comments BEGIN {gone} END",
    }
    for table, touched in _TOUCHED.items():
        body = (
            f"BEGIN DELETE FROM {TABLE} WHERE comment_id IN "
            f"(SELECT c.id FROM comments c WHERE {touched}); {insert} WHERE {touched}; END"
        )
        triggers[f"{table}_ai"] = f"AFTER INSERT ON {table} {body}"
        triggers[f"{table}_au"] = f"AFTER UPDATE OF {_WATCHED[table]} ON {table} {body}"
    for name, sql in triggers.items():
        conn.execute(text(f"CREATE TRIGGER {TABLE}_{name} {sql}"))
    _fill(conn)
    _indexes(conn)


def drop_sqlite(conn: Connection) -> None:
    for table in ("comments", *_TOUCHED):
        for suffix in ("ai", "au", "ad"):
            conn.execute(text(f"DROP TRIGGER IF EXISTS {TABLE}_{table}_{suffix}"))
    conn.execute(text(f"DROP INDEX IF EXISTS {TEXT_INDEX}"))
    conn.execute(text(f"DROP TABLE IF EXISTS {TABLE}"))


def _pg_function(name: str, body: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name} RETURNS trigger "
        "LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$ "
        f"BEGIN {body} RETURN NULL; END $$"
    )


def create_postgresql(conn: Connection) -> None:
    """The table, its trigger functions, triggers and indexes, and every comment's keys."""
    drop_postgresql(conn)
    sort_keys.create(conn)
    upsert = (
        f"INSERT INTO {TABLE} AS k ({_COLUMNS}) SELECT {_values('c')} FROM comments c WHERE "
        "{where} ON CONFLICT (comment_id) DO UPDATE SET received_at = EXCLUDED.received_at, "
        "ministry = EXCLUDED.ministry, assignee = EXCLUDED.assignee, flags = EXCLUDED.flags;"
    )
    comments = (
        "IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.id <> NEW.id) THEN "
        f"DELETE FROM {TABLE} WHERE comment_id = OLD.id; END IF; "
        "IF TG_OP <> 'DELETE' THEN " + upsert.format(where="c.id = NEW.id") + " END IF;"
    )
    conn.execute(text(_pg_function(PG_FUNCTIONS[0], comments)))
    conn.execute(
        text(
            f"CREATE TRIGGER {TABLE}_comments AFTER INSERT OR DELETE OR UPDATE OF "
            f"{_WATCHED['comments']} ON comments FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTIONS[0]}"
        )
    )
    for function, (table, touched) in zip(PG_FUNCTIONS[1:], _TOUCHED.items(), strict=True):
        conn.execute(text(_pg_function(function, upsert.format(where=touched))))
        conn.execute(
            text(
                f"CREATE TRIGGER {TABLE}_{table} AFTER INSERT OR UPDATE OF {_WATCHED[table]} "
                f"ON {table} FOR EACH ROW EXECUTE FUNCTION {function}"
            )
        )
    _fill(conn)
    _indexes(conn)


def drop_postgresql(conn: Connection) -> None:
    for table in ("comments", *_TOUCHED):
        conn.execute(text(f"DROP TRIGGER IF EXISTS {TABLE}_{table} ON {table}"))
    for function in PG_FUNCTIONS:
        conn.execute(text(f"DROP FUNCTION IF EXISTS {function}"))
    conn.execute(text(f"DROP INDEX IF EXISTS {TEXT_INDEX}"))
    conn.execute(text(f"DROP TABLE IF EXISTS {TABLE}"))
