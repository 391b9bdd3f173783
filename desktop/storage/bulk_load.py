"""Writing many rows into SQLite in one transaction: a restore, a merge of an export, the demo.

``page_cache``: a larger page cache while the rows go in (the comment indexes outgrow the
default). ``bulk_load``: that, and the comment search index built once after the rows instead
of by its triggers row by row (``comment_search.built_after``). Nothing to do on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.orm import Session

from desktop.storage import comment_search

CACHE_KIB = 128 * 1024


@contextmanager
def page_cache(session: Session) -> Iterator[None]:
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    before = session.execute(text("PRAGMA cache_size")).scalar()
    session.execute(text(f"PRAGMA cache_size = {-CACHE_KIB}"))
    try:
        yield
    finally:
        session.execute(text(f"PRAGMA cache_size = {int(before or -2000)}"))


@contextmanager
def bulk_load(session: Session) -> Iterator[None]:
    """Rows that include comments into a database that may have none yet."""
    with page_cache(session), comment_search.built_after(session):
        yield
