"""Who is signed in to an open database: taken from the session, never from a flag or a file.

- a local file: the operating-system account running the app (on Windows the domain account
  ``DOMAIN\\user`` from ``GetUserNameExW(NameSamCompatible)``, not ``%USERNAME%``; elsewhere
  the account of the effective user id, not ``$USER``);
- a PostgreSQL database: the connection's ``session_user``, which the server authenticated
  (password from the keyring, or Kerberos/SSPI);
- a replica: its owner's hub login, as the hub confirmed it when the replica was set up and on
  every sync (``ConfirmedLogin``).

Each is an ``Identity``: a small object ``Database`` asks once.
"""

from __future__ import annotations

import ctypes
import os
import sys
from typing import Protocol

from sqlalchemy import Engine, text

NAME_SAM_COMPATIBLE = 2  # EXTENDED_NAME_FORMAT: "DOMAIN\\user"


class Identity(Protocol):
    """Says which login the session of an open database belongs to."""

    kind: str  # shown to people: "Windows account", "PostgreSQL login", …

    def login(self, engine: Engine) -> str: ...


class OsAccount:
    kind = "Windows account" if sys.platform == "win32" else "operating-system account"

    def login(self, engine: Engine) -> str:
        return os_account()


class SessionUser:
    kind = "PostgreSQL login"

    def login(self, engine: Engine) -> str:
        with engine.connect() as conn:
            return str(conn.execute(text("SELECT session_user")).scalar_one())


class ConfirmedLogin:
    """A login established elsewhere: the hub login a replica belongs to."""

    def __init__(self, login: str, kind: str = "hub login") -> None:
        self._login = login
        self.kind = kind

    def login(self, engine: Engine) -> str:
        return self._login


def os_account() -> str:
    """The signed-in operating-system account, lower case."""
    if sys.platform == "win32":
        return _windows_account().lower()
    import pwd

    return pwd.getpwuid(os.geteuid()).pw_name.lower()


def _windows_account() -> str:
    from ctypes import wintypes

    secur32 = getattr(ctypes, "WinDLL")("secur32", use_last_error=True)  # noqa: B009
    get_name = secur32.GetUserNameExW
    get_name.argtypes = [ctypes.c_int, wintypes.LPWSTR, ctypes.POINTER(wintypes.ULONG)]
    get_name.restype = wintypes.BOOLEAN
    size = wintypes.ULONG(0)
    get_name(NAME_SAM_COMPATIBLE, None, ctypes.byref(size))  # asks for the length
    buffer = ctypes.create_unicode_buffer(max(size.value, 1))
    if not get_name(NAME_SAM_COMPATIBLE, buffer, ctypes.byref(size)):
        error = getattr(ctypes, "get_last_error")()  # noqa: B009
        raise OSError(error, "GetUserNameExW(NameSamCompatible) failed")
    return str(buffer.value)


def default_identity(backend: str) -> Identity:
    return SessionUser() if backend == "postgresql" else OsAccount()
