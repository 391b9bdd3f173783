"""Ed25519 checkpoint keys: the private half in the signer's OS keyring, never in a file or
the database; the public half registered in the database (``signing_keys``)."""

from __future__ import annotations

from datetime import UTC, datetime

import keyring
import keyring.errors
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from desktop.errors import DomainError
from desktop.storage.secrets import PasswordStore

KEYRING_SERVICE = "smgov-desk-checkpoint-key"
FORMAT = "smgov-checkpoint/1"


def message(seq: int, head_hash: str, signed_at: datetime, signer_login: str) -> bytes:
    """What a checkpoint signs: the branch chain's length and head, when, and by whom."""
    when = signed_at.astimezone(UTC).replace(microsecond=0).isoformat()
    return f"{FORMAT}|{seq}|{head_hash}|{when}|{signer_login}".encode()


def private_key(login: str, *, create: bool) -> Ed25519PrivateKey | None:
    """The signer's key from the keyring (made and stored there first when ``create``)."""
    if not PasswordStore.available():
        raise DomainError(
            "This computer has no keyring to keep your checkpoint signing key in; sign "
            "checkpoints on a computer that has one (e.g. Windows Credential Manager)."
        )
    try:
        stored = keyring.get_password(KEYRING_SERVICE, login)
    except keyring.errors.KeyringError as exc:
        raise DomainError(f"The keyring cannot be read: {exc}") from exc
    if stored:
        return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(stored))
    if not create:
        return None
    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    try:
        keyring.set_password(KEYRING_SERVICE, login, raw.hex())
    except keyring.errors.KeyringError as exc:
        raise DomainError(f"The signing key cannot be kept in the keyring: {exc}") from exc
    return key


def public_hex(key: Ed25519PrivateKey) -> str:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def sign(key: Ed25519PrivateKey, data: bytes) -> str:
    return key.sign(data).hex()


def holds(public_key_hex: str, signature_hex: str, data: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex)).verify(
            bytes.fromhex(signature_hex), data
        )
    except (InvalidSignature, ValueError):
        return False
    return True
