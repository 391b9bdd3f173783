"""Engines, sessions, migrations, backups, the settings file and the password keyring."""

from desktop.storage.database import Database, open_database

__all__ = ["Database", "open_database"]
