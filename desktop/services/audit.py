"""The services' door to the audit log (desktop.storage.auditlog does the work).

Each event is chained twice — in its origin (this database or the replica that wrote it) and in
the branch chain — and carries the digests of the records it wrote, so editing, deleting or
reordering any event, and changing any record outside the app, is found by ``verify``
(docs/trust-and-sync.md §3–§5).
"""

from __future__ import annotations

from desktop.storage.auditlog.chain import (
    SYSTEM_LOGIN,
    append,
    assign_branch,
    branch_assigned_by_hub,
    chain_head,
    hash_origin,
    origin_id,
    rehash,
)
from desktop.storage.auditlog.hashing import (
    GENESIS,
    RecordEntry,
    branch_hash,
    canonical,
    decode_records,
    encode_records,
    entries_delta,
    origin_hash,
)
from desktop.storage.auditlog.verify import Anchor, ChainReport, RecordChange, verify

__all__ = [
    "GENESIS",
    "SYSTEM_LOGIN",
    "Anchor",
    "ChainReport",
    "RecordChange",
    "RecordEntry",
    "append",
    "assign_branch",
    "branch_assigned_by_hub",
    "branch_hash",
    "canonical",
    "chain_head",
    "decode_records",
    "encode_records",
    "entries_delta",
    "hash_origin",
    "origin_hash",
    "origin_id",
    "rehash",
    "verify",
]
