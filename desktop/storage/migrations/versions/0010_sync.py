"""sync: the hub's change feed and a replica's outbox (docs/trust-and-sync.md §2, §6)

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-06 09:00:00

On PostgreSQL (a database that may become a hub): ``hub_counter`` (one row), ``hub_changes``
and ``hub_applied``. On SQLite (a file that may become a replica): ``sync_outbox``,
``sync_state``, ``sync_conflicts`` and ``sync_rejections``. The tables stay empty until
``smgov hub init`` or ``smgov replica create`` installs the triggers that fill them, so a
local file or a shared database that is not a hub is unaffected. None of them is a record of
the register (no record digests); they are not in the models' metadata (``desktop.sync.tables``
describes them) and the drift check leaves them out.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop.models.base import UTCDateTime

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _hub()
    else:
        _replica()


def _hub() -> None:
    op.create_table(
        "hub_counter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_hub_counter"),
        sa.CheckConstraint("id = 1", name="ck_hub_counter_one_row"),
    )
    op.execute("INSERT INTO hub_counter (id, value) VALUES (1, 0)")
    op.create_table(
        "hub_changes",
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("table_name", sa.String(40), nullable=False),
        sa.Column("row_key", sa.Text(), nullable=False),
        sa.Column("op", sa.String(6), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("change_id", sa.String(36), nullable=True),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_hub_changes"),
    )
    op.create_table(
        "hub_applied",
        sa.Column("change_id", sa.String(36), nullable=False),
        sa.Column("pusher", sa.String(80), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("result", sa.String(20), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("change_id", name="pk_hub_applied"),
    )


def _replica() -> None:
    op.create_table(
        "sync_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pos", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(40), nullable=False),
        sa.Column("row_key", sa.Text(), nullable=False),
        sa.Column("op", sa.String(6), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("since_origin_seq", sa.Integer(), nullable=False),
        sa.Column("change_id", sa.String(36), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("payload", sa.Text(), nullable=True),
        sa.Column("written_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sync_outbox"),
    )
    op.create_index("ix_sync_outbox_row", "sync_outbox", ["table_name", "row_key"])
    op.create_index("ix_sync_outbox_pos", "sync_outbox", ["pos"])
    op.create_table(
        "sync_state",
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_sync_state"),
    )
    op.create_table(
        "sync_conflicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(40), nullable=False),
        sa.Column("row_key", sa.Text(), nullable=False),
        sa.Column("change_id", sa.String(36), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("since_origin_seq", sa.Integer(), nullable=False),
        sa.Column("mine", sa.Text(), nullable=False),
        sa.Column("theirs", sa.Text(), nullable=False),
        sa.Column("detected_at", UTCDateTime(), nullable=False),
        sa.Column("resolved_at", UTCDateTime(), nullable=True),
        sa.Column("resolution", sa.String(10), nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("id", name="pk_sync_conflicts"),
    )
    op.create_table(
        "sync_rejections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(40), nullable=False),
        sa.Column("row_key", sa.Text(), nullable=False),
        sa.Column("change_id", sa.String(36), nullable=False),
        sa.Column("op", sa.String(6), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("mine", sa.Text(), nullable=False),
        sa.Column("rejected_at", UTCDateTime(), nullable=False),
        sa.Column("seen_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_sync_rejections"),
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in ("hub_applied", "hub_changes", "hub_counter"):
            op.drop_table(name)
    else:
        for name in ("sync_rejections", "sync_conflicts", "sync_state", "sync_outbox"):
            op.drop_table(name)
