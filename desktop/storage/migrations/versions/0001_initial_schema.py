"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 19:09:41.759169
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("actor_login", sa.String(length=80), nullable=False),
        sa.Column("action", sa.String(length=80), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=80), nullable=False),
        sa.Column("before", sa.Text(), nullable=False),
        sa.Column("after", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
        sa.UniqueConstraint("seq", name=op.f("uq_audit_events_seq")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_action"), ["action"], unique=False)

    op.create_table(
        "commenters",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("platform", sa.String(length=40), nullable=False),
        sa.Column("handle", sa.String(length=120), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commenters")),
        sa.UniqueConstraint("platform", "handle", name="uq_commenters_platform_handle"),
    )
    op.create_table(
        "ministries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ministries")),
        sa.UniqueConstraint("code", name=op.f("uq_ministries_code")),
    )
    op.create_table(
        "campaigns",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("ministry_id", sa.Uuid(), nullable=False),
        sa.Column("agency_name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ministry_id"], ["ministries.id"], name=op.f("fk_campaigns_ministry_id_ministries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaigns")),
    )
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_campaigns_ends_on"), ["ends_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_campaigns_ministry_id"), ["ministry_id"], unique=False)

    op.create_table(
        "key_contacts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("ministry_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("web_links", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ministry_id"], ["ministries.id"], name=op.f("fk_key_contacts_ministry_id_ministries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_contacts")),
    )
    with op.batch_alter_table("key_contacts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_key_contacts_ministry_id"), ["ministry_id"], unique=False
        )

    op.create_table(
        "people",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("login", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("ministry_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("agency_name", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ministry_id"], ["ministries.id"], name=op.f("fk_people_ministry_id_ministries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("login", name=op.f("uq_people_login")),
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_people_ministry_id"), ["ministry_id"], unique=False)

    op.create_table(
        "accounts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("platform", sa.String(length=40), nullable=False),
        sa.Column("handle", sa.String(length=120), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("ministry_id", sa.Uuid(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("government_email", sa.String(length=254), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("posting_tool", sa.String(length=40), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("is_international", sa.Boolean(), nullable=False),
        sa.Column("language", sa.String(length=40), nullable=False),
        sa.Column("cultural_notes", sa.Text(), nullable=False),
        sa.Column("is_central", sa.Boolean(), nullable=False),
        sa.Column("status_reason", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ministry_id"], ["ministries.id"], name=op.f("fk_accounts_ministry_id_ministries")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["people.id"], name=op.f("fk_accounts_owner_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("platform", "handle", name="uq_accounts_platform_handle"),
    )
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_accounts_ministry_status", ["ministry_id", "status"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_accounts_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_accounts_status"), ["status"], unique=False)

    op.create_table(
        "bans",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("commenter_id", sa.Uuid(), nullable=False),
        sa.Column("platform", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("proposed_by_id", sa.Uuid(), nullable=True),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lifted_by_id", sa.Uuid(), nullable=True),
        sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["commenter_id"], ["commenters.id"], name=op.f("fk_bans_commenter_id_commenters")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["people.id"], name=op.f("fk_bans_decided_by_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["lifted_by_id"], ["people.id"], name=op.f("fk_bans_lifted_by_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"], ["people.id"], name=op.f("fk_bans_proposed_by_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bans")),
    )
    with op.batch_alter_table("bans", schema=None) as batch_op:
        batch_op.create_index(
            "ix_bans_commenter_platform", ["commenter_id", "platform"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_bans_status"), ["status"], unique=False)

    op.create_table(
        "closures",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["people.id"], name=op.f("fk_closures_created_by_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_closures")),
        sa.UniqueConstraint("day", name=op.f("uq_closures_day")),
    )
    op.create_table(
        "emergencies",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("declared_by_id", sa.Uuid(), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by_id", sa.Uuid(), nullable=True),
        sa.Column("on_call_ministry_id", sa.Uuid(), nullable=True),
        sa.Column("on_call_council_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["declared_by_id"], ["people.id"], name=op.f("fk_emergencies_declared_by_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["ended_by_id"], ["people.id"], name=op.f("fk_emergencies_ended_by_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["on_call_council_id"],
            ["people.id"],
            name=op.f("fk_emergencies_on_call_council_id_people"),
        ),
        sa.ForeignKeyConstraint(
            ["on_call_ministry_id"],
            ["people.id"],
            name=op.f("fk_emergencies_on_call_ministry_id_people"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_emergencies")),
    )
    with op.batch_alter_table("emergencies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_emergencies_declared_at"), ["declared_at"], unique=False
        )

    op.create_table(
        "person_roles",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_person_roles_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", "role", name=op.f("pk_person_roles")),
    )
    with op.batch_alter_table("person_roles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_roles_role"), ["role"], unique=False)

    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_by_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["people.id"], name=op.f("fk_settings_updated_by_id_people")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "account_roles",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("granted_by_id", sa.Uuid(), nullable=True),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_by_id", sa.Uuid(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("business_id", sa.String(length=80), nullable=False),
        sa.Column("campaign_id", sa.Uuid(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_account_roles_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"], name=op.f("fk_account_roles_campaign_id_campaigns")
        ),
        sa.ForeignKeyConstraint(
            ["granted_by_id"], ["people.id"], name=op.f("fk_account_roles_granted_by_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_account_roles_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"], ["people.id"], name=op.f("fk_account_roles_revoked_by_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_roles")),
    )
    with op.batch_alter_table("account_roles", schema=None) as batch_op:
        batch_op.create_index(
            "ix_account_roles_account_revoked", ["account_id", "revoked_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_account_roles_campaign_id"), ["campaign_id"], unique=False
        )
        batch_op.create_index(
            "ix_account_roles_person_revoked", ["person_id", "revoked_at"], unique=False
        )

    op.create_table(
        "approvals",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("business_case", sa.Text(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=True),
        sa.Column("campaign_id", sa.Uuid(), nullable=True),
        sa.Column("submitter_id", sa.Uuid(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_approvals_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"], name=op.f("fk_approvals_campaign_id_campaigns")
        ),
        sa.ForeignKeyConstraint(
            ["submitter_id"], ["people.id"], name=op.f("fk_approvals_submitter_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approvals")),
    )
    with op.batch_alter_table("approvals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_approvals_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_approvals_campaign_id"), ["campaign_id"], unique=False)
        batch_op.create_index("ix_approvals_state_kind", ["state", "kind"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_approvals_submitter_id"), ["submitter_id"], unique=False
        )

    op.create_table(
        "comments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("commenter_id", sa.Uuid(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author_name", sa.String(length=200), nullable=False),
        sa.Column("author_handle", sa.String(length=120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("routed_ministry_id", sa.Uuid(), nullable=True),
        sa.Column("assignee_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("high_profile", sa.Boolean(), nullable=False),
        sa.Column("emergency_id", sa.Uuid(), nullable=True),
        sa.Column("clock_start_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledge_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answer_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("close_reason", sa.String(length=40), nullable=True),
        sa.Column("hidden_category", sa.String(length=40), nullable=True),
        sa.Column("logged_by_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_comments_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["people.id"], name=op.f("fk_comments_assignee_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["commenter_id"], ["commenters.id"], name=op.f("fk_comments_commenter_id_commenters")
        ),
        sa.ForeignKeyConstraint(
            ["emergency_id"], ["emergencies.id"], name=op.f("fk_comments_emergency_id_emergencies")
        ),
        sa.ForeignKeyConstraint(
            ["logged_by_id"], ["people.id"], name=op.f("fk_comments_logged_by_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["routed_ministry_id"],
            ["ministries.id"],
            name=op.f("fk_comments_routed_ministry_id_ministries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
    )
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_comments_account_received", ["account_id", "received_at"], unique=False
        )
        batch_op.create_index("ix_comments_ack_due", ["acknowledge_due_at", "id"], unique=False)
        batch_op.create_index("ix_comments_answer_due", ["answer_due_at", "id"], unique=False)
        batch_op.create_index(
            "ix_comments_assignee_status", ["assignee_id", "status"], unique=False
        )
        batch_op.create_index("ix_comments_commenter", ["commenter_id"], unique=False)
        batch_op.create_index("ix_comments_emergency", ["emergency_id"], unique=False)
        batch_op.create_index(
            "ix_comments_ministry_received", ["routed_ministry_id", "received_at"], unique=False
        )
        batch_op.create_index("ix_comments_received", ["received_at", "id"], unique=False)
        batch_op.create_index(
            "ix_comments_status_ack_due", ["status", "acknowledge_due_at"], unique=False
        )
        batch_op.create_index(
            "ix_comments_status_answer_due", ["status", "answer_due_at"], unique=False
        )

    op.create_table(
        "emergency_accounts",
        sa.Column("emergency_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_emergency_accounts_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["emergency_id"],
            ["emergencies.id"],
            name=op.f("fk_emergency_accounts_emergency_id_emergencies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("emergency_id", "account_id", name=op.f("pk_emergency_accounts")),
    )
    op.create_table(
        "emergency_ministries",
        sa.Column("emergency_id", sa.Uuid(), nullable=False),
        sa.Column("ministry_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["emergency_id"],
            ["emergencies.id"],
            name=op.f("fk_emergency_ministries_emergency_id_emergencies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["ministry_id"],
            ["ministries.id"],
            name=op.f("fk_emergency_ministries_ministry_id_ministries"),
        ),
        sa.PrimaryKeyConstraint(
            "emergency_id", "ministry_id", name=op.f("pk_emergency_ministries")
        ),
    )
    op.create_table(
        "evaluations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("recommendation", sa.String(length=40), nullable=True),
        sa.Column("drafted_by_id", sa.Uuid(), nullable=True),
        sa.Column("completed_by_id", sa.Uuid(), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_evaluations_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["completed_by_id"], ["people.id"], name=op.f("fk_evaluations_completed_by_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["drafted_by_id"], ["people.id"], name=op.f("fk_evaluations_drafted_by_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluations")),
        sa.UniqueConstraint("account_id", "period", name="uq_evaluations_account_period"),
    )
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evaluations_account_id"), ["account_id"], unique=False)

    op.create_table(
        "group_updates",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("emergency_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("link_url", sa.String(length=500), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("posted_by_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["emergency_id"],
            ["emergencies.id"],
            name=op.f("fk_group_updates_emergency_id_emergencies"),
        ),
        sa.ForeignKeyConstraint(
            ["posted_by_id"], ["people.id"], name=op.f("fk_group_updates_posted_by_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_updates")),
    )
    with op.batch_alter_table("group_updates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_group_updates_emergency_id"), ["emergency_id"], unique=False
        )

    op.create_table(
        "metric_snapshots",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("responses_positive", sa.Integer(), nullable=False),
        sa.Column("responses_negative", sa.Integer(), nullable=False),
        sa.Column("shares", sa.Integer(), nullable=False),
        sa.Column("comments", sa.Integer(), nullable=False),
        sa.Column("time_on_page_seconds", sa.Integer(), nullable=False),
        sa.Column("reach", sa.Integer(), nullable=False),
        sa.Column("followers", sa.Integer(), nullable=False),
        sa.Column("posts", sa.Integer(), nullable=False),
        sa.Column("recorded_by_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_metric_snapshots_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["people.id"],
            name=op.f("fk_metric_snapshots_recorded_by_id_people"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metric_snapshots")),
        sa.UniqueConstraint(
            "account_id", "period_start", name="uq_metric_snapshots_account_period"
        ),
    )
    with op.batch_alter_table("metric_snapshots", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_metric_snapshots_period_start"), ["period_start"], unique=False
        )

    op.create_table(
        "approval_steps",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("approval_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=40), nullable=False),
        sa.Column("decided_by_id", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["approval_id"],
            ["approvals.id"],
            name=op.f("fk_approval_steps_approval_id_approvals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["people.id"], name=op.f("fk_approval_steps_decided_by_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_steps")),
    )
    with op.batch_alter_table("approval_steps", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_approval_steps_approval_id"), ["approval_id"], unique=False
        )

    op.create_table(
        "goals",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("target_value", sa.Double(), nullable=False),
        sa.Column("baseline_value", sa.Double(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("approval_id", sa.Uuid(), nullable=True),
        sa.Column("finalized_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_goals_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["approval_id"], ["approvals.id"], name=op.f("fk_goals_approval_id_approvals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goals")),
    )
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goals_account_id"), ["account_id"], unique=False)

    op.create_table(
        "responses",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("comment_id", sa.Uuid(), nullable=False),
        sa.Column("responder_id", sa.Uuid(), nullable=True),
        sa.Column("method", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("link_url", sa.String(length=500), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("restricted_topics_cleared", sa.Boolean(), nullable=False),
        sa.Column("high_profile_referral", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["comment_id"], ["comments.id"], name=op.f("fk_responses_comment_id_comments")
        ),
        sa.ForeignKeyConstraint(
            ["responder_id"], ["people.id"], name=op.f("fk_responses_responder_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_responses")),
    )
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_responses_comment_id"), ["comment_id"], unique=False)

    op.create_table(
        "strikes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("commenter_id", sa.Uuid(), nullable=False),
        sa.Column("platform", sa.String(length=40), nullable=False),
        sa.Column("comment_id", sa.Uuid(), nullable=True),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("evidence_text", sa.Text(), nullable=False),
        sa.Column("evidence_url", sa.String(length=500), nullable=False),
        sa.Column("recorded_by_id", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comments.id"],
            name=op.f("fk_strikes_comment_id_comments"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["commenter_id"], ["commenters.id"], name=op.f("fk_strikes_commenter_id_commenters")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["people.id"], name=op.f("fk_strikes_recorded_by_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_strikes")),
    )
    with op.batch_alter_table("strikes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_strikes_commenter_platform", ["commenter_id", "platform"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("strikes", schema=None) as batch_op:
        batch_op.drop_index("ix_strikes_commenter_platform")

    op.drop_table("strikes")
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_responses_comment_id"))

    op.drop_table("responses")
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goals_account_id"))

    op.drop_table("goals")
    with op.batch_alter_table("approval_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_approval_steps_approval_id"))

    op.drop_table("approval_steps")
    with op.batch_alter_table("metric_snapshots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_metric_snapshots_period_start"))

    op.drop_table("metric_snapshots")
    with op.batch_alter_table("group_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_updates_emergency_id"))

    op.drop_table("group_updates")
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluations_account_id"))

    op.drop_table("evaluations")
    op.drop_table("emergency_ministries")
    op.drop_table("emergency_accounts")
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index("ix_comments_status_answer_due")
        batch_op.drop_index("ix_comments_status_ack_due")
        batch_op.drop_index("ix_comments_received")
        batch_op.drop_index("ix_comments_ministry_received")
        batch_op.drop_index("ix_comments_emergency")
        batch_op.drop_index("ix_comments_commenter")
        batch_op.drop_index("ix_comments_assignee_status")
        batch_op.drop_index("ix_comments_answer_due")
        batch_op.drop_index("ix_comments_ack_due")
        batch_op.drop_index("ix_comments_account_received")

    op.drop_table("comments")
    with op.batch_alter_table("approvals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_approvals_submitter_id"))
        batch_op.drop_index("ix_approvals_state_kind")
        batch_op.drop_index(batch_op.f("ix_approvals_campaign_id"))
        batch_op.drop_index(batch_op.f("ix_approvals_account_id"))

    op.drop_table("approvals")
    with op.batch_alter_table("account_roles", schema=None) as batch_op:
        batch_op.drop_index("ix_account_roles_person_revoked")
        batch_op.drop_index(batch_op.f("ix_account_roles_campaign_id"))
        batch_op.drop_index("ix_account_roles_account_revoked")

    op.drop_table("account_roles")
    op.drop_table("settings")
    with op.batch_alter_table("person_roles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_roles_role"))

    op.drop_table("person_roles")
    with op.batch_alter_table("emergencies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_emergencies_declared_at"))

    op.drop_table("emergencies")
    op.drop_table("closures")
    with op.batch_alter_table("bans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bans_status"))
        batch_op.drop_index("ix_bans_commenter_platform")

    op.drop_table("bans")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_accounts_status"))
        batch_op.drop_index(batch_op.f("ix_accounts_owner_id"))
        batch_op.drop_index("ix_accounts_ministry_status")

    op.drop_table("accounts")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_people_ministry_id"))

    op.drop_table("people")
    with op.batch_alter_table("key_contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_key_contacts_ministry_id"))

    op.drop_table("key_contacts")
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaigns_ministry_id"))
        batch_op.drop_index(batch_op.f("ix_campaigns_ends_on"))

    op.drop_table("campaigns")
    op.drop_table("ministries")
    op.drop_table("commenters")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_action"))

    op.drop_table("audit_events")
