"""Where the app keeps its files: the user's data, config, log and backup folders.

``SMGOV_HOME`` puts them all under one folder (tests, portable installs); otherwise the
platform's conventions from platformdirs apply. The machine-wide folder (IT's settings, read
before the user's) is ``%PROGRAMDATA%\\GovSK\\smgov-desk`` on Windows and platformdirs'
site config folder elsewhere (``/etc/xdg/smgov-desk``); under ``SMGOV_HOME`` it is
``SMGOV_HOME/machine``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "smgov-desk"
APP_AUTHOR = "GovSK"
DATABASE_FILE = "smgov.sqlite3"


@dataclass(frozen=True)
class AppPaths:
    data_dir: Path
    config_dir: Path
    log_dir: Path
    machine_config_dir: Path

    @property
    def default_database(self) -> Path:
        return self.data_dir / DATABASE_FILE

    @property
    def backup_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "smgov.log"

    @property
    def machine_settings_file(self) -> Path:
        return self.machine_config_dir / "settings.json"


def app_paths() -> AppPaths:
    home = os.environ.get("SMGOV_HOME")
    if home:
        root = Path(home)
        return AppPaths(root / "data", root / "config", root / "logs", root / "machine")
    return AppPaths(
        Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)),
        Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR)),
        Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR)),
        # Windows: C:\ProgramData\GovSK\smgov-desk (CSIDL_COMMON_APPDATA).
        Path(platformdirs.site_config_dir(APP_NAME, APP_AUTHOR)),
    )
