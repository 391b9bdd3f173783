"""imports: batches, post and daily metrics, platform measures on snapshots, external ids

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-06 03:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop.models.base import UTCDateTime

revision = "0005"
down_revision = "0003"  # the lead re-chains revisions when merging
branch_labels = None
depends_on = None


def _versioned() -> list[sa.Column[object]]:
    return [
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "import_batches",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.Enum(native_enum=False, length=40, create_constraint=False),
                  nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=60), nullable=False),
        sa.Column("format_version", sa.String(length=120), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("imported_by_id", sa.Uuid(), nullable=True),
        sa.Column("imported_by_login", sa.String(length=80), nullable=False),
        sa.Column("imported_at", UTCDateTime(), nullable=False),
        sa.Column("rows_new", sa.Integer(), nullable=False),
        sa.Column("rows_updated", sa.Integer(), nullable=False),
        sa.Column("rows_unchanged", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                name=op.f("fk_import_batches_account_id_accounts")),
        sa.ForeignKeyConstraint(["imported_by_id"], ["people.id"],
                                name=op.f("fk_import_batches_imported_by_id_people")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batches")),
        sa.UniqueConstraint("sha256", name="uq_import_batches_sha256"),
    )  # fmt: skip
    op.create_index(
        op.f("ix_import_batches_account_id"), "import_batches", ["account_id"], unique=False
    )
    op.create_table(
        "post_metrics",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("platform", sa.Enum(native_enum=False, length=40, create_constraint=False),
                  nullable=False),
        sa.Column("post_id", sa.String(length=200), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("published_at", UTCDateTime(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("permalink", sa.String(length=500), nullable=False),
        sa.Column("post_type", sa.String(length=60), nullable=False),
        *(sa.Column(name, sa.BigInteger(), nullable=True) for name in (
            "reactions", "comments", "shares", "reach", "views", "watch_seconds",
            "average_view_seconds", "follows", "platform_engagements",
        )),
        sa.Column("platform_engagement_rate", sa.Double(), nullable=True),
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        *_versioned(),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                name=op.f("fk_post_metrics_account_id_accounts")),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batches.id"],
                                name=op.f("fk_post_metrics_batch_id_import_batches")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_metrics")),
        sa.UniqueConstraint("platform", "account_id", "post_id", "as_of",
                            name="uq_post_metrics_post_as_of"),
    )  # fmt: skip
    op.create_index(
        "ix_post_metrics_account_published", "post_metrics", ["account_id", "published_at"]
    )
    op.create_index(op.f("ix_post_metrics_batch_id"), "post_metrics", ["batch_id"])
    op.create_table(
        "daily_metrics",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=True),
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        *_versioned(),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                name=op.f("fk_daily_metrics_account_id_accounts")),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batches.id"],
                                name=op.f("fk_daily_metrics_batch_id_import_batches")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_daily_metrics")),
        sa.UniqueConstraint("account_id", "metric", "day",
                            name="uq_daily_metrics_account_metric_day"),
    )  # fmt: skip
    op.create_index(op.f("ix_daily_metrics_batch_id"), "daily_metrics", ["batch_id"])

    # Existing snapshots hold none of the platform-only measures: zero, as typed entries do.
    for name in ("reactions", "views", "watch_time_seconds"):
        op.add_column(
            "metric_snapshots",
            sa.Column(name, sa.Integer(), nullable=False, server_default="0"),
        )
    # Nullable columns and unique indexes: neither rebuilds the comment log on SQLite.
    op.add_column("comments", sa.Column("external_id", sa.String(length=200), nullable=True))
    op.create_index(
        "ix_comments_account_external_id", "comments", ["account_id", "external_id"], unique=True
    )
    op.add_column("responses", sa.Column("external_id", sa.String(length=200), nullable=True))
    op.create_index("ix_responses_external_id", "responses", ["external_id"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_responses_external_id", table_name="responses")
    op.drop_index("ix_comments_account_external_id", table_name="comments")
    with op.batch_alter_table("responses") as batch:
        batch.drop_column("external_id")
    with op.batch_alter_table("comments") as batch:
        batch.drop_column("external_id")
    with op.batch_alter_table("metric_snapshots") as batch:
        for name in ("reactions", "views", "watch_time_seconds"):
            batch.drop_column(name)
    op.drop_table("daily_metrics")
    op.drop_table("post_metrics")
    op.drop_table("import_batches")
