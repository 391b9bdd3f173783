"""approval integrity: latest submission of a request, personal names register, reply media

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 09:00:00

- ``approvals.resubmitted_at``: when a request was last sent back after changes (stalls count
  from it; ``submitted_at`` keeps the first submission for history).
- ``personal_names``: staff members' personal social media names that include the
  Government's name, each with the approval request that decides it.
- ``response_media``: images and videos used in replies, with the acknowledgement of the
  right to publish them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop.models.base import UTCDateTime

revision = "0006"
down_revision = "0005"  # the lead re-chains revisions when merging
branch_labels = None
depends_on = None


def _enum() -> sa.Enum:
    return sa.Enum(native_enum=False, length=40, create_constraint=False)


def _versioned() -> list[sa.Column[object]]:
    return [
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.add_column("approvals", sa.Column("resubmitted_at", UTCDateTime(), nullable=True))
    op.create_table(
        "personal_names",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("platform", _enum(), nullable=False),
        sa.Column("handle", sa.String(length=120), nullable=False),
        sa.Column("approval_id", sa.Uuid(), nullable=False),
        *_versioned(),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"],
                                name=op.f("fk_personal_names_person_id_people")),
        sa.ForeignKeyConstraint(["approval_id"], ["approvals.id"],
                                name=op.f("fk_personal_names_approval_id_approvals")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personal_names")),
    )  # fmt: skip
    op.create_index(op.f("ix_personal_names_person_id"), "personal_names", ["person_id"])
    op.create_index(op.f("ix_personal_names_approval_id"), "personal_names", ["approval_id"])
    op.create_table(
        "response_media",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("response_id", sa.Uuid(), nullable=False),
        sa.Column("kind", _enum(), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("permission", _enum(), nullable=False),
        sa.Column("acknowledged_by_id", sa.Uuid(), nullable=True),
        sa.Column("acknowledged_at", UTCDateTime(), nullable=False),
        *_versioned(),
        sa.ForeignKeyConstraint(["response_id"], ["responses.id"],
                                name=op.f("fk_response_media_response_id_responses")),
        sa.ForeignKeyConstraint(["acknowledged_by_id"], ["people.id"],
                                name=op.f("fk_response_media_acknowledged_by_id_people")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_response_media")),
    )  # fmt: skip
    op.create_index(op.f("ix_response_media_response_id"), "response_media", ["response_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_response_media_response_id"), table_name="response_media")
    op.drop_table("response_media")
    op.drop_index(op.f("ix_personal_names_approval_id"), table_name="personal_names")
    op.drop_index(op.f("ix_personal_names_person_id"), table_name="personal_names")
    op.drop_table("personal_names")
    with op.batch_alter_table("approvals") as batch:
        batch.drop_column("resubmitted_at")
