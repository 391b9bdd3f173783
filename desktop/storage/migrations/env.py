"""Alembic environment: always run on a connection handed over by desktop.storage.migrate."""

from __future__ import annotations

from alembic import context

import desktop.models  # noqa: F401  (registers every table on the metadata)
from desktop.models.base import Base
from desktop.storage.comment_search import is_search_object
from desktop.storage.comment_sort import is_sort_object

# Tables of desktop.sync, made by migration 0010 on one kind of database each.
SYNC_TABLE_PREFIXES = ("hub_", "sync_")
config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through desktop.storage.migrate, not the alembic CLI.")


def _include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Sync's own tables (``hub_*`` on a hub, ``sync_*`` on a replica) are not in the models'
    metadata; the drift check leaves them out."""
    table = getattr(obj, "table", None)
    table_name = name if type_ == "table" else getattr(table, "name", "")
    return not str(table_name or "").startswith(SYNC_TABLE_PREFIXES)


context.configure(
    connection=connection,
    include_object=_include_object,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    # The comment search index (FTS5 tables, a trigram index) is written in SQL by 0008, the
    # comment log's sort keys (a table, its indexes, a text index) by 0011.
    include_name=lambda name, _type, _parents: not (is_search_object(name) or is_sort_object(name)),
)
with context.begin_transaction():
    context.run_migrations()
