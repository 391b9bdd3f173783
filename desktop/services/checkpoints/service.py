"""Signing a checkpoint of the audit chain, and holding the chain against checkpoints.

A checkpoint is a signed statement "the branch chain had ``seq`` events ending in
``head_hash``" (Ed25519, the private key in the signer's keyring). ``audit verify`` holds the
log against the latest checkpoint in the database and against one a person gives on the
command line (``--checkpoint SEQ:HASH``, e.g. copied from a PDF report's footer), so cutting
events off the end of the log, or rewriting it and re-computing every hash, is caught.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.errors import DomainError
from desktop.models import Checkpoint, Person, SigningKey
from desktop.models.base import new_id
from desktop.services import audit
from desktop.services.authz import Permission
from desktop.services.checkpoints import signing
from desktop.services.context import ServiceContext

ACTION = "audit.checkpoint"
SHORT = 12  # hex digits of the head hash printed in reports
_GIVEN = re.compile(r"^\s*#?(\d+)\s*:\s*([0-9a-fA-F]{8,64})\s*$")


@dataclass(frozen=True)
class CheckpointView:
    id: uuid.UUID
    seq: int
    head_hash: str
    signed_at: datetime
    signer_login: str
    signer_name: str

    @property
    def short_hash(self) -> str:
        return self.head_hash[:SHORT]

    @property
    def token(self) -> str:
        """What to give ``smgov audit verify --checkpoint``."""
        return f"{self.seq}:{self.short_hash}"

    def line(self) -> str:
        """One line for a report's footer."""
        return (
            f"Audit log checkpoint #{self.seq} {self.short_hash} (signed by {self.signer_name} "
            f"on {self.signed_at.astimezone(UTC):%Y-%m-%d}; check with smgov audit verify "
            f"--checkpoint {self.token})"
        )


class CheckpointService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def sign(self) -> CheckpointView:
        """Sign the branch chain's current head with the acting person's key (made and kept
        in their keyring the first time, its public half registered here)."""
        with self.ctx.write() as work:
            work.require(Permission.EXPORT)
            actor = work.actor
            assert actor.id is not None
            key = signing.private_key(actor.login, create=True)
            assert key is not None
            public = signing.public_hex(key)
            session = work.session
            registered = session.scalar(
                select(SigningKey).where(
                    SigningKey.person_id == actor.id,
                    SigningKey.public_key == public,
                    SigningKey.revoked_at.is_(None),
                )
            )
            if registered is None:
                registered = SigningKey(
                    id=new_id(), person_id=actor.id, public_key=public, registered_at=work.at
                )
                session.add(registered)
            seq, head = audit.chain_head(session)
            if seq == 0:
                raise DomainError("The audit log is empty: there is nothing to checkpoint yet.")
            at = work.at.astimezone(UTC).replace(microsecond=0)
            checkpoint = Checkpoint(
                id=new_id(),
                seq=seq,
                head_hash=head,
                signed_at=at,
                signer_id=actor.id,
                signer_login=actor.login,
                key_id=registered.id,
                signature=signing.sign(key, signing.message(seq, head, at, actor.login)),
            )
            session.add(checkpoint)
            work.audit(
                ACTION,
                "checkpoint",
                checkpoint.id,
                after={"seq": seq, "head_hash": head, "public_key": public},
            )
            return CheckpointView(checkpoint.id, seq, head, at, actor.login, actor.name)


def parse_checkpoint(text: str) -> audit.Anchor:
    """``SEQ:HASH`` (the hash, or its first 8 or more hex digits) as an anchor."""
    found = _GIVEN.match(text)
    if not found:
        raise DomainError(
            f"--checkpoint {text!r}: give the event number and the hash, e.g. 1234:1a2b3c4d5e6f "
            "(as printed in a report's footer)."
        )
    return audit.Anchor(
        int(found.group(1)), found.group(2).lower(), "checkpoint given on the command line"
    )


def latest_checkpoint(session: Session) -> CheckpointView | None:
    row = session.execute(
        select(Checkpoint, Person.name)
        .join(Person, Person.id == Checkpoint.signer_id, isouter=True)
        .order_by(Checkpoint.seq.desc(), Checkpoint.signed_at.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    cp, name = row
    return CheckpointView(
        cp.id, cp.seq, cp.head_hash, cp.signed_at, cp.signer_login, name or cp.signer_login
    )


def checkpoint_anchors(session: Session) -> tuple[list[audit.Anchor], list[str]]:
    """The latest checkpoint as an anchor, once its signature holds; the problems found."""
    latest = latest_checkpoint(session)
    if latest is None:
        return [], []
    cp = session.get(Checkpoint, latest.id)
    assert cp is not None
    key = session.get(SigningKey, cp.key_id)
    when = f"{latest.signed_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
    what = f"The latest checkpoint (#{cp.seq}, signed by {cp.signer_login} on {when})"
    if key is None or key.person_id != cp.signer_id:
        return [], [f"{what} names a signing key its signer never registered."]
    if key.revoked_at is not None and key.revoked_at <= cp.signed_at:
        return [], [f"{what} was signed with a key revoked before it."]
    data = signing.message(cp.seq, cp.head_hash, cp.signed_at, cp.signer_login)
    if not signing.holds(key.public_key, cp.signature, data):
        return [], [
            f"{what} does not match its signature: it was changed outside the app, so the log "
            "cannot be held against it."
        ]
    return [
        audit.Anchor(
            cp.seq, cp.head_hash, f"checkpoint #{cp.seq} signed by {cp.signer_login} on {when}"
        )
    ], []
