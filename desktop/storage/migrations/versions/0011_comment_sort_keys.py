"""comment log sort keys: ``comment_sort_keys`` kept by triggers (ministry, assignee, flags),
an expression index for the text sort, the accounts in label order for the account sort

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 23:00:00
"""

from __future__ import annotations

from alembic import op

from desktop.storage import comment_sort

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_accounts_platform_handle", "accounts", ["platform", "handle"])
    # No record changes layout: the table is the database's own, outside the audited records.
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        comment_sort.create_sqlite(conn)
    else:
        comment_sort.create_postgresql(conn)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        comment_sort.drop_sqlite(conn)
    else:
        comment_sort.drop_postgresql(conn)
    op.drop_index("ix_accounts_platform_handle", table_name="accounts")
