"""trust: two audit chains with record digests, checkpoints, case-insensitive handles

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05 10:00:00

- ``audit_events`` gets its origin chain (``origin``, ``origin_seq``, ``origin_prev_hash``,
  ``origin_hash``), the ``records`` it vouches for, and a branch position that may be pending
  (``seq``/``prev_hash``/``hash`` nullable). Existing events are verified with the old hash,
  the finding is kept in ``database_meta`` (``audit verify`` reports a chain that was already
  broken), and they are re-hashed into the new layout with this database as their origin.
- ``record_digests`` (kept by a trigger on ``audit_events``), ``database_meta``,
  ``signing_keys``, ``checkpoints``.
- Handles of accounts and commenters are unique whatever their case; commenters that differ
  only by case are merged (their strikes, bans and comments follow), accounts that do are
  renamed "<handle>~<n>" so nothing is lost.
- At most one first-administrator set-up per database, enforced by a unique index.

The records themselves are vouched for right after the upgrade (``auditlog.baseline``), with
the app's current record layouts.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC

import sqlalchemy as sa
from alembic import op

from desktop.models.base import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

GENESIS = "0" * 64
BATCH = 2000

SQLITE_RECORDS_TRIGGER = """
CREATE TRIGGER trg_audit_events_records AFTER INSERT ON audit_events
WHEN NEW.records <> '' AND json_valid(NEW.records)
BEGIN
    DELETE FROM record_digests WHERE rowid IN (
        SELECT rd.rowid FROM json_each(NEW.records) AS j
        JOIN record_digests AS rd
          ON rd.table_name = json_extract(j.value, '$[0]')
         AND rd.record_id = json_extract(j.value, '$[1]')
        WHERE json_extract(j.value, '$[1]') <> '*'
    );
    INSERT INTO record_digests (table_name, record_id, digest, event_id)
        SELECT json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'),
               json_extract(j.value, '$[3]'), NEW.id
        FROM json_each(NEW.records) AS j
        WHERE json_extract(j.value, '$[1]') <> '*' AND json_extract(j.value, '$[3]') <> '';
END
"""

PG_RECORDS_FUNCTION = """
CREATE OR REPLACE FUNCTION smgov_apply_records() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    e jsonb;
BEGIN
    IF NEW.records IS NULL OR left(NEW.records, 1) <> '[' THEN
        RETURN NULL;
    END IF;
    FOR e IN SELECT value FROM jsonb_array_elements(NEW.records::jsonb) LOOP
        CONTINUE WHEN e->>1 = '*';
        IF coalesce(e->>3, '') = '' THEN
            DELETE FROM record_digests WHERE table_name = e->>0 AND record_id = e->>1;
        ELSE
            INSERT INTO record_digests (table_name, record_id, digest, event_id)
            VALUES (e->>0, e->>1, e->>3, NEW.id)
            ON CONFLICT (table_name, record_id)
            DO UPDATE SET digest = EXCLUDED.digest, event_id = EXCLUDED.event_id;
        END IF;
    END LOOP;
    RETURN NULL;
END
$$
"""

PG_RECORDS_TRIGGER = """
CREATE TRIGGER trg_audit_events_records AFTER INSERT ON audit_events
FOR EACH ROW EXECUTE FUNCTION smgov_apply_records()
"""

FIRST_ADMIN = "action = 'person.bootstrap_admin'"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _uuid_text(value: object) -> str:
    """A stored UUID as the app hashes it (with hyphens); anything else as it is."""
    if value is None or value == "":
        return ""
    try:
        return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))
    except ValueError:
        return str(value)


def _legacy_hash(row: sa.Row) -> str:  # type: ignore[type-arg]
    """The hash of revisions 0001–0002, frozen here."""
    fields = [
        _uuid_text(row.id),
        row.seq,
        row.occurred_at.isoformat(),
        _uuid_text(row.actor_id),
        row.actor_login,
        row.action,
        row.entity_type,
        row.entity_id,
        row.before,
        row.after,
        row.prev_hash,
    ]
    return _sha(json.dumps(fields, separators=(",", ":"), ensure_ascii=False))


def _origin_hash(row: sa.Row, origin: str, prev: str) -> str:  # type: ignore[type-arg]
    """``auditlog.hashing.origin_hash`` as it is at this revision, frozen here."""
    fields = [
        _uuid_text(row.id),
        origin,
        row.seq,
        row.occurred_at.astimezone(UTC).isoformat(),
        _uuid_text(row.actor_id),
        row.actor_login,
        row.action,
        row.entity_type,
        row.entity_id,
        row.before,
        row.after,
        "",
        prev,
    ]
    return _sha(json.dumps(fields, separators=(",", ":"), ensure_ascii=False))


def _events_table() -> sa.Table:
    return sa.Table(
        "audit_events",
        sa.MetaData(),
        # Ids as stored (a damaged one must not stop the upgrade); see _uuid_text.
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("seq", sa.Integer()),
        sa.Column("occurred_at", UTCDateTime()),
        sa.Column("actor_id", sa.String()),
        sa.Column("actor_login", sa.String(80)),
        sa.Column("action", sa.String(80)),
        sa.Column("entity_type", sa.String(40)),
        sa.Column("entity_id", sa.String(80)),
        sa.Column("before", sa.Text()),
        sa.Column("after", sa.Text()),
        sa.Column("prev_hash", sa.String(64)),
        sa.Column("hash", sa.String(64)),
        sa.Column("origin", sa.String(36)),
        sa.Column("origin_seq", sa.Integer()),
        sa.Column("origin_prev_hash", sa.String(64)),
        sa.Column("origin_hash", sa.String(64)),
        sa.Column("records", sa.Text()),
        sa.Column("recorded_at", UTCDateTime()),
    )


def _convert_events(conn: sa.Connection, origin: str) -> dict[str, object]:
    """Verify the old chain, then re-hash every event into the two-chain layout."""
    events = _events_table()
    found: dict[str, object] = {"ok": True, "events": 0, "message": ""}
    old_prev = GENESIS
    expected = 1
    origin_prev = GENESIS
    branch_prev = GENESIS
    pending: list[dict[str, object]] = []
    rows = conn.execute(sa.select(events).order_by(events.c.seq)).fetchall()
    for row in rows:
        found["events"] = int(found["events"]) + 1  # type: ignore[call-overload]
        if found["ok"]:
            problem = ""
            if row.seq != expected:
                problem = f"expected event #{expected}, found #{row.seq} (events missing)"
            elif row.prev_hash != old_prev:
                problem = f"event #{row.seq} does not point to the previous event's hash"
            else:
                try:
                    if _legacy_hash(row) != row.hash:
                        problem = f"event #{row.seq} does not match its hash (edited)"
                except (AttributeError, TypeError, ValueError):
                    problem = f"event #{row.seq} cannot be read"
            if problem:
                found["ok"] = False
                found["message"] = problem
        old_prev = row.hash
        expected = (row.seq or expected) + 1
        o_hash = _origin_hash(row, origin, origin_prev)
        b_hash = _sha(f"{row.seq}|{branch_prev}|{o_hash}")
        pending.append(
            {
                "k_id": row.id,
                "origin": origin,
                "origin_seq": row.seq,
                "origin_prev_hash": origin_prev,
                "origin_hash": o_hash,
                "prev_hash": branch_prev,
                "hash": b_hash,
                "records": "",
                "recorded_at": row.occurred_at,
            }
        )
        origin_prev, branch_prev = o_hash, b_hash
        if len(pending) >= BATCH:
            _write(conn, events, pending)
            pending = []
    if pending:
        _write(conn, events, pending)
    return found


def _write(conn: sa.Connection, events: sa.Table, rows: list[dict[str, object]]) -> None:
    stmt = (
        events.update()
        .where(events.c.id == sa.bindparam("k_id"))
        .values(
            {
                name: sa.bindparam(name)
                for name in (
                    "origin",
                    "origin_seq",
                    "origin_prev_hash",
                    "origin_hash",
                    "prev_hash",
                    "hash",
                    "records",
                    "recorded_at",
                )
            }
        )
    )
    conn.execute(stmt, rows)


def _merge_case_twins(conn: sa.Connection) -> None:
    """Commenters whose handles differ only by case become one (the oldest row stays)."""
    twins = conn.execute(
        sa.text(
            "SELECT platform, lower(handle) AS h FROM commenters "
            "GROUP BY platform, lower(handle) HAVING count(*) > 1"
        )
    ).fetchall()
    for platform, handle in twins:
        ids = [
            r[0]
            for r in conn.execute(
                sa.text(
                    "SELECT id FROM commenters WHERE platform = :p AND lower(handle) = :h "
                    "ORDER BY created_at, id"
                ),
                {"p": platform, "h": handle},
            )
        ]
        keep, others = ids[0], ids[1:]
        for table in ("strikes", "bans", "comments"):
            for other in others:
                conn.execute(
                    sa.text(f"UPDATE {table} SET commenter_id = :k WHERE commenter_id = :o"),
                    {"k": keep, "o": other},
                )
        for other in others:
            conn.execute(sa.text("DELETE FROM commenters WHERE id = :o"), {"o": other})


def _rename_case_twins(conn: sa.Connection) -> None:
    twins = conn.execute(
        sa.text(
            "SELECT platform, lower(handle) FROM accounts "
            "GROUP BY platform, lower(handle) HAVING count(*) > 1"
        )
    ).fetchall()
    for platform, handle in twins:
        rows = conn.execute(
            sa.text(
                "SELECT id, handle FROM accounts WHERE platform = :p AND lower(handle) = :h "
                "ORDER BY created_at, id"
            ),
            {"p": platform, "h": handle},
        ).fetchall()
        for n, (account_id, original) in enumerate(rows[1:], start=2):
            conn.execute(
                sa.text("UPDATE accounts SET handle = :h WHERE id = :i"),
                {"h": f"{original}~{n}"[:120], "i": account_id},
            )


def upgrade() -> None:
    conn = op.get_bind()
    sqlite = conn.dialect.name == "sqlite"

    op.create_table(
        "database_meta",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_database_meta")),
    )
    op.create_table(
        "record_digests",
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=120), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("table_name", "record_id", name=op.f("pk_record_digests")),
    )
    op.create_table(
        "signing_keys",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_signing_keys_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signing_keys")),
    )
    op.create_index(op.f("ix_signing_keys_person_id"), "signing_keys", ["person_id"])
    op.create_table(
        "checkpoints",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signer_id", sa.Uuid(), nullable=False),
        sa.Column("signer_login", sa.String(length=80), nullable=False),
        sa.Column("key_id", sa.Uuid(), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["key_id"], ["signing_keys.id"], name=op.f("fk_checkpoints_key_id_signing_keys")
        ),
        sa.ForeignKeyConstraint(
            ["signer_id"], ["people.id"], name=op.f("fk_checkpoints_signer_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkpoints")),
    )
    op.create_index(op.f("ix_checkpoints_seq"), "checkpoints", ["seq"])

    origin = str(uuid.uuid4())
    conn.execute(
        sa.text("INSERT INTO database_meta (key, value) VALUES ('origin', :o)"), {"o": origin}
    )

    with op.batch_alter_table("audit_events") as batch:
        batch.add_column(sa.Column("origin", sa.String(length=36), nullable=True))
        batch.add_column(sa.Column("origin_seq", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("origin_prev_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("origin_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("records", sa.Text(), nullable=True))
        batch.add_column(sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True))
        batch.alter_column("seq", existing_type=sa.Integer(), nullable=True)
        batch.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=True)
        batch.alter_column("hash", existing_type=sa.String(length=64), nullable=True)

    legacy = _convert_events(conn, origin)
    conn.execute(
        sa.text("INSERT INTO database_meta (key, value) VALUES ('legacy_chain', :v)"),
        {"v": json.dumps(legacy)},
    )
    with op.batch_alter_table("audit_events") as batch:
        for name, type_ in (
            ("origin", sa.String(length=36)),
            ("origin_seq", sa.Integer()),
            ("origin_prev_hash", sa.String(length=64)),
            ("origin_hash", sa.String(length=64)),
            ("records", sa.Text()),
        ):
            batch.alter_column(name, existing_type=type_, nullable=False)
        batch.create_unique_constraint("uq_audit_events_origin_seq", ["origin", "origin_seq"])
    op.create_index(
        "uq_audit_events_first_admin",
        "audit_events",
        ["action"],
        unique=True,
        sqlite_where=sa.text(FIRST_ADMIN),
        postgresql_where=sa.text(FIRST_ADMIN),
    )
    # After the batch operations: SQLite's table rebuild would drop a trigger made before.
    if sqlite:
        conn.exec_driver_sql(SQLITE_RECORDS_TRIGGER)
    else:
        conn.exec_driver_sql(PG_RECORDS_FUNCTION)
        conn.exec_driver_sql(PG_RECORDS_TRIGGER)

    _merge_case_twins(conn)
    _rename_case_twins(conn)
    with op.batch_alter_table("accounts") as batch:
        batch.drop_constraint("uq_accounts_platform_handle", type_="unique")
    with op.batch_alter_table("commenters") as batch:
        batch.drop_constraint("uq_commenters_platform_handle", type_="unique")
    op.create_index(
        "uq_accounts_platform_handle_ci",
        "accounts",
        ["platform", sa.text("lower(handle)")],
        unique=True,
    )
    op.create_index(
        "uq_commenters_platform_handle_ci",
        "commenters",
        ["platform", sa.text("lower(handle)")],
        unique=True,
    )


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS trg_audit_events_records")
    else:
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS trg_audit_events_records ON audit_events")
        conn.exec_driver_sql("DROP FUNCTION IF EXISTS smgov_apply_records()")
    op.drop_index("uq_commenters_platform_handle_ci", table_name="commenters")
    op.drop_index("uq_accounts_platform_handle_ci", table_name="accounts")
    with op.batch_alter_table("commenters") as batch:
        batch.create_unique_constraint("uq_commenters_platform_handle", ["platform", "handle"])
    with op.batch_alter_table("accounts") as batch:
        batch.create_unique_constraint("uq_accounts_platform_handle", ["platform", "handle"])
    op.drop_index("uq_audit_events_first_admin", table_name="audit_events")
    # Events written since the upgrade have no legacy hash; the two-chain columns go and the
    # log is left as it is (verify it with this revision before downgrading).
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_constraint("uq_audit_events_origin_seq", type_="unique")
        for name in ("recorded_at", "records", "origin_hash", "origin_prev_hash", "origin_seq"):
            batch.drop_column(name)
        batch.drop_column("origin")
    op.drop_index(op.f("ix_checkpoints_seq"), table_name="checkpoints")
    op.drop_table("checkpoints")
    op.drop_index(op.f("ix_signing_keys_person_id"), table_name="signing_keys")
    op.drop_table("signing_keys")
    op.drop_table("record_digests")
    op.drop_table("database_meta")
