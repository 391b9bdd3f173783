"""Database URLs as people see them: a password never leaves in any form of URL.

A PostgreSQL password can hide in two places of a URL — the user part
(``postgresql://user:secret@host/db``) and the query string (``?password=secret``, which libpq
accepts too). Every place that shows, stores or logs a database location goes through this
module: ``safe_name`` for people (settings dialog, window title, messages, logs, exports,
PDFs), ``without_secrets`` for a URL that is kept (settings.json), ``url_secret`` to take the
password out and into the keyring, ``scrub`` for text that may not even parse as a URL.
"""

from __future__ import annotations

import re

from sqlalchemy.engine import URL

# Query parameters that carry a secret (libpq's names).
SECRET_PARAMETERS = frozenset({"password", "sslpassword"})


def url_secret(url: URL) -> str | None:
    """The password the URL carries (user part first, then ``?password=``), if any."""
    if url.password is not None:
        return str(url.password)
    value = url.query.get("password")
    if isinstance(value, tuple):
        value = value[0] if value else None
    return value or None


def without_secrets(url: URL) -> URL:
    """The same URL with no password in the user part or the query string."""
    query = {k: v for k, v in url.query.items() if k.lower() not in SECRET_PARAMETERS}
    # URL.set(password=None) means "leave unchanged", so the URL is rebuilt.
    return URL.create(url.drivername, url.username, None, url.host, url.port, url.database, query)


def safe_name(url: URL, *, host: bool = False) -> str:
    """The database as shown to people, never with a secret.

    A local file is named by its path. A PostgreSQL database is named by its database name
    ("PostgreSQL database smgov"); with ``host=True`` (messages and the window of the person
    working on it, where the server matters) as ``postgresql://user@host:port/smgov`` — the
    scheme, login, server, port and database only, no query string.
    """
    if url.get_backend_name() == "sqlite":
        return f"local file {url.database}"
    name = url.database or "(no database named)"
    if not host:
        return f"PostgreSQL database {name}"
    user = f"{url.username}@" if url.username else ""
    return f"postgresql://{user}{url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"


_USER_PASSWORD = re.compile(r"(://[^/:@\s]*):[^@/\s]*@")
_QUERY_PASSWORD = re.compile(r"((?:ssl)?password=)[^&\s'\"]*", re.IGNORECASE)


def scrub(text: str) -> str:
    """Text (e.g. what someone typed, that may not parse) with any URL password masked."""
    return _QUERY_PASSWORD.sub(r"\1***", _USER_PASSWORD.sub(r"\1:***@", text))
