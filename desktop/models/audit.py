"""The append-only, hash-chained audit log and the digests of the records it vouches for."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.models.base import Base, UTCDateTime, UUIDPk

# Tables that are not records of the register: the log itself and the bookkeeping around it.
# ``record_digest: False`` keeps a table out of the record digests (docs/trust-and-sync.md §4).
NOT_A_RECORD = {"record_digest": False}
FIRST_ADMIN_ACTION = "person.bootstrap_admin"
FIRST_ADMIN = f"action = '{FIRST_ADMIN_ACTION}'"


class AuditEvent(Base):
    """One change, with two positions (docs/trust-and-sync.md §3).

    Its **origin chain** is the chain of the database or replica that wrote it:
    ``origin_hash`` is SHA-256 over every field of the event (the record digests in
    ``records`` included) and ``origin_prev_hash``. Its **branch chain** position (``seq``,
    ``prev_hash``, ``hash``) is assigned where the branch's log is kept: at once on a local
    file or the shared database, when the hub accepts it for an event written on a replica
    (until then the three are NULL: a pending event).

    ``records`` lists every record the change wrote as canonical JSON
    ``[[table, record_id, digest_before, digest_after], …]`` ("" = no such record), so the
    chain vouches for the state of each record, not only for the event.

    The actor is kept by id *and* login as plain values (no foreign key) so the record stands
    even if people are later merged or re-imported.
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        UniqueConstraint("origin", "origin_seq", name="uq_audit_events_origin_seq"),
        # One first-administrator set-up per database, whoever races for it.
        Index(
            "uq_audit_events_first_admin",
            "action",
            unique=True,
            sqlite_where=text(FIRST_ADMIN),
            postgresql_where=text(FIRST_ADMIN),
        ),
        {"info": NOT_A_RECORD},
    )

    id: Mapped[UUIDPk]
    origin: Mapped[str] = mapped_column(String(36))
    origin_seq: Mapped[int]
    origin_prev_hash: Mapped[str] = mapped_column(String(64))
    origin_hash: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int | None] = mapped_column(unique=True)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[uuid.UUID | None]
    actor_login: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(80), index=True)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(80))
    before: Mapped[str] = mapped_column(Text, default="")  # canonical JSON, "" when none
    after: Mapped[str] = mapped_column(Text, default="")
    records: Mapped[str] = mapped_column(Text, default="")  # canonical JSON, "" when none
    # When the branch position was assigned (the hub's clock there); not hashed.
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RecordDigest(Base):
    """The current digest of one record, as the audit log last left it.

    Kept by the database itself (a trigger on ``audit_events`` applies each event's
    ``records``), so nobody writes it directly; ``audit verify`` checks it against the log and
    against the live rows.
    """

    __tablename__ = "record_digests"
    __table_args__ = ({"info": NOT_A_RECORD},)

    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    event_id: Mapped[uuid.UUID | None]  # the event that last wrote it (plain value)


class DatabaseMeta(Base):
    """Facts about this database itself: its origin id in the audit chains, the record
    layouts its digests were computed with. Written by migrations and set-up only."""

    __tablename__ = "database_meta"
    __table_args__ = ({"info": NOT_A_RECORD},)

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class SigningKey(Base):
    """The public half of a person's Ed25519 checkpoint key (the private half stays in that
    person's keyring)."""

    __tablename__ = "signing_keys"

    id: Mapped[UUIDPk]
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"), index=True)
    public_key: Mapped[str] = mapped_column(String(64))  # 32 bytes, hex
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Checkpoint(Base):
    """A signed statement "the branch chain had ``seq`` events ending in ``head_hash``"."""

    __tablename__ = "checkpoints"

    id: Mapped[UUIDPk]
    seq: Mapped[int] = mapped_column(index=True)
    head_hash: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    signer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"))
    signer_login: Mapped[str] = mapped_column(String(80))
    key_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("signing_keys.id"))
    signature: Mapped[str] = mapped_column(String(128))  # 64 bytes, hex
