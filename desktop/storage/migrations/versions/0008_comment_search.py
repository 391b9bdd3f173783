"""comment search index: SQLite FTS5 (trigram) kept by triggers, PostgreSQL trigram GIN;
indexes for the comment log's author and kind sorts

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-06 08:40:00
"""

from __future__ import annotations

from alembic import op

from desktop.storage import comment_search

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_comments_author_received", "comments", ["author_name", "received_at"])
    op.create_index("ix_comments_kind_received", "comments", ["kind", "received_at"])
    # No record changes layout: the index is the database's own, outside the audited records.
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        comment_search.create_sqlite(conn)
    else:
        comment_search.create_postgresql(conn)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        comment_search.drop_sqlite(conn)
    else:
        comment_search.drop_postgresql(conn)
    op.drop_index("ix_comments_kind_received", table_name="comments")
    op.drop_index("ix_comments_author_received", table_name="comments")
