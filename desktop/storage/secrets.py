"""The PostgreSQL password lives in the OS keyring (Windows Credential Manager), never in a file.

When the machine has no usable keyring backend, the wrapper asks for the password through a
callback each time instead of storing it anywhere.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable

import keyring
import keyring.errors
from keyring.backends import fail

log = logging.getLogger(__name__)

SERVICE = "smgov-desk"

AskPassword = Callable[[str], str | None]


class PasswordStore:
    def __init__(self, ask: AskPassword | None = None) -> None:
        self._ask = ask

    @staticmethod
    def backend_name() -> str | None:
        """The keyring this machine really uses, as people know it (None: there is none)."""
        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring) or backend.priority <= 0:
            return None
        kind = type(backend)
        key = f"{kind.__module__}.{kind.__name__}"
        for known, name in _BACKEND_NAMES.items():
            if key.startswith(known):
                return name
        return str(getattr(backend, "name", kind.__name__))

    @classmethod
    def prompt(cls, account: str) -> str:
        """The question asked for a password, naming where the answer is then kept."""
        backend = cls.backend_name()
        if backend is None:
            return (
                f"Password for {account} (this computer has no keyring: it is asked each time "
                "and kept nowhere):"
            )
        return f"Password for {account} (it is then kept in {backend}):"

    @staticmethod
    def available() -> bool:
        backend = keyring.get_keyring()
        return not isinstance(backend, fail.Keyring) and backend.priority > 0

    def get(self, account: str) -> str | None:
        """The stored password for ``account`` (e.g. ``user@host:5432/db``), or ask for it."""
        if self.available():
            try:
                stored = keyring.get_password(SERVICE, account)
            except keyring.errors.KeyringError as exc:
                log.warning("Keyring unreadable, asking instead: %s", exc)
                stored = None
            if stored is not None:
                return stored
        return self._ask(account) if self._ask else None

    def set(self, account: str, password: str) -> bool:
        """Store the password; False when there is no keyring (it is then asked each time)."""
        if not self.available():
            return False
        try:
            keyring.set_password(SERVICE, account, password)
        except keyring.errors.KeyringError as exc:
            log.warning("Could not store the password in the keyring: %s", exc)
            return False
        return True

    def delete(self, account: str) -> None:
        if not self.available():
            return
        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            keyring.delete_password(SERVICE, account)


# keyring backends by module and class, as people know them
_BACKEND_NAMES = {
    "keyring.backends.Windows.WinVaultKeyring": "the Windows Credential Manager",
    "keyring.backends.macOS.Keyring": "the macOS Keychain",
    "keyring.backends.SecretService.Keyring": "the Secret Service keyring (GNOME Keyring)",
    "keyring.backends.kwallet": "KDE Wallet",
    "keyring.backends.libsecret.Keyring": "the Secret Service keyring (libsecret)",
    "keyrings.alt.file.PlaintextKeyring": "a plain-text keyring file (keyrings.alt)",
    "keyrings.alt.file.EncryptedKeyring": "an encrypted keyring file (keyrings.alt)",
}


def keyring_account(username: str, host: str, port: int | None, database: str) -> str:
    return f"{username}@{host}:{port or 5432}/{database}"
