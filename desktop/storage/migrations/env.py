"""Alembic environment: always run on a connection handed over by desktop.storage.migrate."""

from __future__ import annotations

from alembic import context

import desktop.models  # noqa: F401  (registers every table on the metadata)
from desktop.models.base import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through desktop.storage.migrate, not the alembic CLI.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
