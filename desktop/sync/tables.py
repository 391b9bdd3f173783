"""Sync's own tables (made by migration 0010), described for Core queries.

They are kept out of the models' metadata: they are bookkeeping of one copy, not records of
the register, and never exported or digested (``info={"record_digest": False}``).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, Text

from desktop.models.base import UTCDateTime

NOT_A_RECORD = {"record_digest": False}
metadata = MetaData()

hub_counter = Table(
    "hub_counter",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("value", BigInteger, nullable=False),
    info=NOT_A_RECORD,
)
hub_changes = Table(
    "hub_changes",
    metadata,
    Column("seq", BigInteger, primary_key=True),
    Column("table_name", String(40), nullable=False),
    Column("row_key", Text, nullable=False),
    Column("op", String(6), nullable=False),
    Column("version", Integer),
    Column("change_id", String(36)),
    Column("actor", String(80), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    info=NOT_A_RECORD,
)
hub_applied = Table(
    "hub_applied",
    metadata,
    Column("change_id", String(36), primary_key=True),
    Column("pusher", String(80), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("result", String(20), nullable=False),
    Column("detail", Text, nullable=False),
    info=NOT_A_RECORD,
)
sync_outbox = Table(
    "sync_outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("pos", Integer, nullable=False),
    Column("table_name", String(40), nullable=False),
    Column("row_key", Text, nullable=False),
    Column("op", String(6), nullable=False),
    Column("base_version", Integer),
    Column("since_origin_seq", Integer, nullable=False),
    Column("change_id", String(36), nullable=False),
    Column("state", String(10), nullable=False),
    Column("payload", Text),
    Column("written_at", Text, nullable=False),
    info=NOT_A_RECORD,
)
sync_state = Table(
    "sync_state",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Text, nullable=False),
    info=NOT_A_RECORD,
)
sync_conflicts = Table(
    "sync_conflicts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("table_name", String(40), nullable=False),
    Column("row_key", Text, nullable=False),
    Column("change_id", String(36), nullable=False),
    Column("base_version", Integer),
    Column("since_origin_seq", Integer, nullable=False),
    Column("mine", Text, nullable=False),
    Column("theirs", Text, nullable=False),
    Column("detected_at", UTCDateTime, nullable=False),
    Column("resolved_at", UTCDateTime),
    Column("resolution", String(10), nullable=False, default=""),
    info=NOT_A_RECORD,
)
sync_rejections = Table(
    "sync_rejections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("table_name", String(40), nullable=False),
    Column("row_key", Text, nullable=False),
    Column("change_id", String(36), nullable=False),
    Column("op", String(6), nullable=False),
    Column("reason", Text, nullable=False),
    Column("mine", Text, nullable=False),
    Column("rejected_at", UTCDateTime, nullable=False),
    Column("seen_at", UTCDateTime),
    info=NOT_A_RECORD,
)
