from __future__ import annotations

import json
from pathlib import Path

from desktop.storage.app_settings import LocalSettings, without_password
from desktop.storage.paths import app_paths
from desktop.storage.secrets import PasswordStore, keyring_account


def test_settings_file_lives_in_the_config_folder_and_never_holds_a_password() -> None:
    settings = LocalSettings(database_url="postgresql://comms:s3cret@db.gov.sk.ca:5432/smgov")
    settings.save()
    path = app_paths().settings_file
    text = path.read_text(encoding="utf-8")
    assert "s3cret" not in text
    assert json.loads(text)["database_url"] == "postgresql://comms@db.gov.sk.ca:5432/smgov"
    assert LocalSettings.load().database_url == "postgresql://comms@db.gov.sk.ca:5432/smgov"


def test_without_password_keeps_everything_else() -> None:
    assert without_password("postgresql://u:pw@h:5433/db?sslmode=require") == (
        "postgresql://u@h:5433/db?sslmode=require"
    )
    assert without_password("C:/data/smgov.sqlite3") == "C:/data/smgov.sqlite3"


def test_unreadable_settings_file_falls_back_to_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{not json", encoding="utf-8")
    assert LocalSettings.load(path) == LocalSettings()


def test_password_goes_to_the_keyring_or_is_asked_for() -> None:
    account = keyring_account("comms", "db.gov.sk.ca", None, "smgov")
    assert account == "comms@db.gov.sk.ca:5432/smgov"
    asked: list[str] = []
    store = PasswordStore(lambda acct: asked.append(acct) or "typed")
    assert store.get(account) == "typed"  # nothing stored yet: asked
    assert store.set(account, "kept")
    assert store.get(account) == "kept"
    assert asked == [account]


def test_without_a_keyring_backend_the_password_is_asked_each_time() -> None:
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())  # the autouse fixture restores the memory backend
    store = PasswordStore(lambda _acct: "typed")
    assert not store.available()
    assert store.set("a@b:5432/c", "pw") is False
    assert store.get("a@b:5432/c") == "typed"
