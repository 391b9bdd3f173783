"""Hashes of the audit chains and the additive digest of a set of records.

- ``origin_hash``: SHA-256 over every field of an event and the previous event's origin hash.
- ``branch_hash``: ``sha256("{seq}|{prev_hash}|{origin_hash}")``, simple enough that the hub
  computes it in PL/pgSQL when it accepts an event pushed by a replica.
- The **record set digest** is a sum modulo 2**2048 of one 2048-bit SHAKE-256 value per
  (table, record id, record digest). Sums commute, so every event can carry its own change
  (after minus before) whatever order replicas' events reach the hub, and the whole log's sum
  must equal the sum over the live records. 2048 bits keep the sum collision resistant even
  against an attacker who may add many records of their choosing (Wagner's k-tree attack on
  additive hashing needs about 2**(2048/(1 + log2 k)) work).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64
SET_BITS = 2048
SET_MODULUS = 1 << SET_BITS
ALL_RECORDS = "*"  # record id of a bulk entry: the set digest of a whole table's records

RecordEntry = tuple[str, str, str, str]  # table, record id, digest before, digest after


def canonical(data: dict[str, Any] | None) -> str:
    """Before/after snapshots as stored: sorted keys, no spaces, "" for nothing."""
    if not data:
        return ""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def origin_hash(
    *,
    id: uuid.UUID | str,
    origin: str,
    origin_seq: int,
    occurred_at: datetime,
    actor_id: uuid.UUID | str | None,
    actor_login: str,
    action: str,
    entity_type: str,
    entity_id: str,
    before: str,
    after: str,
    records: str,
    origin_prev_hash: str,
) -> str:
    fields = [
        str(id),
        origin,
        origin_seq,
        occurred_at.astimezone(UTC).isoformat(),
        str(actor_id) if actor_id else "",
        actor_login,
        action,
        entity_type,
        entity_id,
        before,
        after,
        records,
        origin_prev_hash,
    ]
    return sha256_hex(json.dumps(fields, separators=(",", ":"), ensure_ascii=False))


def branch_hash(seq: int, prev_hash: str, origin_hash: str) -> str:
    return sha256_hex(f"{seq}|{prev_hash}|{origin_hash}")


# -- records ---------------------------------------------------------------------------------


def encode_records(entries: Iterable[RecordEntry]) -> str:
    """The ``records`` field: entries sorted, canonical JSON; "" when the event wrote none."""
    rows = sorted(set(entries))
    if not rows:
        return ""
    return json.dumps([list(r) for r in rows], separators=(",", ":"), ensure_ascii=False)


def decode_records(text: str) -> list[RecordEntry]:
    """The entries of a ``records`` field; ValueError when it is not one."""
    if not text:
        return []
    data = json.loads(text)
    if not isinstance(data, list):
        raise ValueError("records is not a list")
    out: list[RecordEntry] = []
    for item in data:
        if (
            not isinstance(item, list)
            or len(item) != 4
            or not all(isinstance(part, str) for part in item)
        ):
            raise ValueError("a records entry is not [table, id, before, after]")
        out.append((item[0], item[1], item[2], item[3]))
    return out


def term(table: str, record_id: str, digest: str) -> int:
    """One record's share of a set digest (0 for "no such record")."""
    if not digest:
        return 0
    data = f"{table}\x1f{record_id}\x1f{digest}".encode()
    return int.from_bytes(hashlib.shake_256(data).digest(SET_BITS // 8), "big")


def set_hex(value: int) -> str:
    return format(value % SET_MODULUS, f"0{SET_BITS // 4}x")


def entries_delta(entries: Sequence[RecordEntry]) -> int:
    """What an event's records add to the set digest of the whole register."""
    total = 0
    for table, record_id, before, after in entries:
        if record_id == ALL_RECORDS:
            total += (int(after, 16) if after else 0) - (int(before, 16) if before else 0)
        else:
            total += term(table, record_id, after) - term(table, record_id, before)
    return total % SET_MODULUS
