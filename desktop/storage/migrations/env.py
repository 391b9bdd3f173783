"""Alembic environment: always run on a connection handed over by desktop.storage.migrate."""

from __future__ import annotations

from alembic import context

import desktop.models  # noqa: F401  (registers every table on the metadata)
from desktop.models.base import Base
from desktop.storage.comment_search import is_search_object

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through desktop.storage.migrate, not the alembic CLI.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    # The comment search index (FTS5 tables, a trigram index) is written in SQL by 0008.
    include_name=lambda name, _type, _parents: not is_search_object(name),
)
with context.begin_transaction():
    context.run_migrations()
