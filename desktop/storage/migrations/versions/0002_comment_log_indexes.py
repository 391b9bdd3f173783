"""comment log indexes for assignee and status filters

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 20:29:42.688160
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # "Assigned to me" and the status filters of the comment log, newest first.
    op.create_index("ix_comments_assignee_received", "comments", ["assignee_id", "received_at"])
    op.create_index("ix_comments_status_received", "comments", ["status", "received_at"])


def downgrade() -> None:
    op.drop_index("ix_comments_status_received", table_name="comments")
    op.drop_index("ix_comments_assignee_received", table_name="comments")
