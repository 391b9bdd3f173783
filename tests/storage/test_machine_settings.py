"""IT's machine-wide settings file (``%PROGRAMDATA%\\GovSK\\smgov-desk\\settings.json``; under
SMGOV_HOME, ``SMGOV_HOME/machine``) is read before the person's own and may lock a value."""

from __future__ import annotations

import getpass
import json
import logging
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import resolve_target
from desktop.errors import DomainError
from desktop.services.session import database_lock, open_app, save_database_choice
from desktop.storage.app_settings import LocalSettings, MachineSettings
from desktop.storage.paths import app_paths

BRANCH = "postgresql://{login}@db.comms.gov.sk.ca:5432/smgov"


def machine_file(data: Any) -> Path:
    path = app_paths().machine_settings_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def user_file(data: dict[str, Any]) -> Path:
    path = app_paths().settings_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_the_machine_folder_follows_smgov_home(tmp_path: Path) -> None:
    assert app_paths().machine_settings_file == tmp_path / "smgov-home/machine/settings.json"


def test_it_gives_every_person_the_branch_database_with_their_own_login() -> None:
    machine_file({"database_url": BRANCH})
    login = getpass.getuser().lower()
    expected = f"postgresql://{login}@db.comms.gov.sk.ca:5432/smgov"
    assert LocalSettings.load().database_url == expected
    assert resolve_target(None) == expected  # what `smgov` opens without --db
    assert database_lock() is None  # not locked: the person may still choose


def test_a_person_may_choose_otherwise_unless_it_is_locked() -> None:
    machine_file({"database_url": "postgresql://db.comms.gov.sk.ca/smgov"})
    user_file({"database_url": "/home/pat/own.sqlite3"})
    assert LocalSettings.load().database_url == "/home/pat/own.sqlite3"

    path = machine_file(
        {"database_url": "postgresql://db.comms.gov.sk.ca/smgov", "locked": ["database_url"]}
    )
    assert LocalSettings.load().database_url == "postgresql://db.comms.gov.sk.ca/smgov"
    lock = database_lock()
    assert lock is not None
    assert "IT department" in lock
    assert str(path) in lock
    with pytest.raises(DomainError, match="IT department") as caught:
        save_database_choice("/home/pat/other.sqlite3")
    assert caught.value.field == "database_url"
    assert LocalSettings.load().database_url == "postgresql://db.comms.gov.sk.ca/smgov"


def test_saving_keeps_only_the_persons_own_values() -> None:
    machine_file({"database_url": "postgresql://db.comms.gov.sk.ca/smgov"})
    settings = LocalSettings.load()
    settings.ui_state = {"accounts.header": "AAAA"}
    settings.save()
    saved = json.loads(app_paths().settings_file.read_text(encoding="utf-8"))
    # Not copied: when IT moves the server, this person follows.
    assert "database_url" not in saved
    assert saved["ui_state"] == {"accounts.header": "AAAA"}
    machine_file({"database_url": "postgresql://new-db.comms.gov.sk.ca/smgov"})
    assert LocalSettings.load().database_url == "postgresql://new-db.comms.gov.sk.ca/smgov"


def test_a_locked_value_in_the_persons_file_is_ignored_and_not_written_back() -> None:
    machine_file({"database_url": "/srv/branch.sqlite3", "locked": ["database_url"]})
    user_file({"database_url": "/home/pat/own.sqlite3", "ui_state": {"k": "v"}})
    settings = LocalSettings.load()
    assert settings.database_url == "/srv/branch.sqlite3"
    assert settings.ui_state == {"k": "v"}
    settings.save()
    saved = json.loads(app_paths().settings_file.read_text("utf-8"))
    assert "database_url" not in saved
    assert saved["ui_state"] == {"k": "v"}


def test_the_app_opens_the_database_it_points_at(tmp_path: Path) -> None:
    branch = tmp_path / "branch.sqlite3"
    machine_file({"database_url": str(branch), "locked": ["database_url"]})
    user_file({"database_url": str(tmp_path / "mine.sqlite3")})
    app = open_app(None)
    try:
        assert app.target.target == str(branch)
    finally:
        app.close()
    assert branch.is_file()
    assert not (tmp_path / "mine.sqlite3").exists()


@pytest.mark.parametrize(
    ("content", "warning"),
    [
        ("{not json", "unreadable"),
        ("[1, 2]", "not a JSON object"),
        ({"database_url": 5}, "Ignoring 'database_url'"),
        ({"theme": "dark"}, "Ignoring 'theme'"),
        ({"database_url": "/srv/x.sqlite3", "locked": "database_url"}, "list of setting names"),
        ({"database_url": "/srv/x.sqlite3", "locked": ["colour"]}, "no such setting"),
    ],
)
def test_a_mistake_in_its_file_is_logged_and_never_stops_the_app(
    content: Any, warning: str, caplog: pytest.LogCaptureFixture
) -> None:
    machine_file(content)
    with caplog.at_level(logging.WARNING):
        machine = MachineSettings.load()
        settings = LocalSettings.load()
    assert warning in caplog.text
    assert machine.locked == frozenset()
    assert settings.database_url in ("", "/srv/x.sqlite3")
