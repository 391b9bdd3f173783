"""The per-user settings file (JSON, in the platformdirs config folder).

It holds only what belongs to this workstation: which database to open and window state.
Policy settings (thresholds, business hours) live in the database, shared by the branch.
Passwords never come here: see ``desktop.storage.secrets``.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from desktop.storage.paths import app_paths

log = logging.getLogger(__name__)


@dataclass
class LocalSettings:
    database_url: str = ""  # "" = the default SQLite file in the data folder
    # No "acting as" here: who acts comes from the database's session (desktop.services.acting).
    ui_state: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None = None) -> LocalSettings:
        path = path or app_paths().settings_file
        try:
            raw: Any = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            log.warning("Ignoring unreadable settings file %s: %s", path, exc)
            return cls()
        if not isinstance(raw, dict):
            return cls()
        known = {k: v for k, v in raw.items() if k in cls.__dataclass_fields__}
        try:
            return cls(**known)
        except TypeError:
            return cls()

    def save(self, path: Path | None = None) -> None:
        path = path or app_paths().settings_file
        path.parent.mkdir(parents=True, exist_ok=True)
        data = asdict(self)
        data["database_url"] = without_password(self.database_url)
        # Write then rename, so a crash never leaves a half-written file.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2, sort_keys=True)
        os.replace(tmp, path)


def without_password(url: str) -> str:
    """The URL with any password removed: passwords belong in the keyring. Text that is not a
    URL comes back as it is."""
    if "://" not in url:
        return url
    # Only URLs need SQLAlchemy: the app reads this file before it is imported.
    from sqlalchemy.engine import URL, make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return url
    if parsed.password is None:
        return url
    # URL.set(password=None) means "leave unchanged", so rebuild the URL without it.
    bare = URL.create(
        parsed.drivername,
        parsed.username,
        None,
        parsed.host,
        parsed.port,
        parsed.database,
        parsed.query,
    )
    return bare.render_as_string(hide_password=False)
