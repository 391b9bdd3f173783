"""The per-user settings file (JSON, in the platformdirs config folder), read over the
machine-wide one that IT deploys (``%PROGRAMDATA%\\GovSK\\smgov-desk\\settings.json``).

It holds only what belongs to this workstation: which database to open and window state.
Policy settings (thresholds, business hours) live in the database, shared by the branch.
Passwords never come here: see ``desktop.storage.secrets``.

The machine-wide file gives defaults for every person on the computer and may lock some of
them (``"locked": ["database_url"]``): a locked value is IT's whatever the person's own file
says, and the Settings dialog shows it read-only. ``{login}`` in a value stands for the
person's operating-system login, so one file serves everyone (``postgresql://{login}@db/smgov``).
"""

from __future__ import annotations

import getpass
import json
import logging
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from desktop.storage.paths import app_paths

log = logging.getLogger(__name__)

LOCKED_KEY = "locked"


@dataclass(frozen=True)
class MachineSettings:
    """IT's settings for every person on this computer; empty when there is no such file."""

    path: Path | None = None
    values: Mapping[str, str] = field(default_factory=dict)
    locked: frozenset[str] = frozenset()

    @classmethod
    def load(cls, path: Path | None = None) -> MachineSettings:
        """The machine-wide file; what it gets wrong is logged and left out, never fatal."""
        path = path or app_paths().machine_settings_file
        raw = _read_object(path)
        if raw is None:
            return cls(path)
        values: dict[str, str] = {}
        for key, value in raw.items():
            if key == LOCKED_KEY:
                continue
            if key not in MACHINE_KEYS or not isinstance(value, str):
                log.warning("Ignoring %r in the machine-wide settings %s", key, path)
                continue
            values[key] = value.replace("{login}", _os_login())
        locked = raw.get(LOCKED_KEY, [])
        if not isinstance(locked, list) or not all(isinstance(k, str) for k in locked):
            log.warning("Ignoring %r in %s: it must be a list of setting names", LOCKED_KEY, path)
            locked = []
        for key in locked:
            if key not in MACHINE_KEYS:
                log.warning("Ignoring the lock on %r in %s: no such setting", key, path)
        return cls(path, values, frozenset(k for k in locked if k in MACHINE_KEYS))

    def is_locked(self, key: str) -> bool:
        return key in self.locked


@dataclass
class LocalSettings:
    database_url: str = ""  # "" = the default SQLite file in the data folder
    # No "acting as" here: who acts comes from the database's session (desktop.services.acting).
    ui_state: dict[str, str] = field(default_factory=dict)
    # Where the values came from: IT's file, read first.
    machine: MachineSettings = field(default_factory=MachineSettings, compare=False, repr=False)

    @classmethod
    def load(
        cls, path: Path | None = None, machine: MachineSettings | None = None
    ) -> LocalSettings:
        machine = machine if machine is not None else MachineSettings.load()
        settings = cls(machine=machine)
        for key, value in machine.values.items():
            setattr(settings, key, value)
        raw = _read_object(path or app_paths().settings_file) or {}
        for key, value in raw.items():
            # A value of the wrong type (a hand-edited file) keeps the default.
            fits = key in _USER_KEYS and isinstance(value, type(getattr(settings, key)))
            if fits and not machine.is_locked(key):
                setattr(settings, key, value)
        return settings

    def save(self, path: Path | None = None) -> None:
        """Write the person's own values: a locked one is IT's, and one equal to IT's value
        is left out, so it keeps following the machine-wide file when IT changes it."""
        path = path or app_paths().settings_file
        path.parent.mkdir(parents=True, exist_ok=True)
        data: dict[str, Any] = {}
        for key in _USER_KEYS:
            value = getattr(self, key)
            if key == "database_url":
                value = without_password(value)
            if self.machine.is_locked(key) or self.machine.values.get(key) == value:
                continue
            data[key] = value
        # Write then rename, so a crash never leaves a half-written file.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2, sort_keys=True)
        os.replace(tmp, path)


_USER_KEYS = tuple(f.name for f in fields(LocalSettings) if f.name != "machine")
# What IT may set or lock: every setting of the workstation but the window layout.
MACHINE_KEYS = tuple(k for k in _USER_KEYS if k != "ui_state")


def _read_object(path: Path) -> dict[str, Any] | None:
    """A settings file's JSON object; None when it is missing or unreadable (logged)."""
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("Ignoring unreadable settings file %s: %s", path, exc)
        return None
    if not isinstance(raw, dict):
        log.warning("Ignoring settings file %s: it is not a JSON object", path)
        return None
    return raw


def _os_login() -> str:
    try:
        return getpass.getuser().lower()
    except (OSError, KeyError):
        return "unknown"


def without_password(url: str) -> str:
    """The URL with any password removed (user part and ``?password=``): passwords belong in
    the keyring. Text that is not a URL comes back as it is."""
    if "://" not in url:
        return url
    # Only URLs need SQLAlchemy: the app reads this file before it is imported.
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from desktop.storage.urls import scrub, url_secret, without_secrets

    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return scrub(url)
    if url_secret(parsed) is None:
        return url
    return without_secrets(parsed).render_as_string(hide_password=False)
