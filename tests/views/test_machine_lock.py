"""What a person sees when IT has fixed the database of the computer (machine-wide settings), or
types a database file on a network drive into the settings."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.services.session import AppServices
from desktop.storage import network_paths
from desktop.storage.app_settings import LocalSettings
from desktop.storage.paths import app_paths
from desktop.views.main_window import MainWindow
from desktop.views.settings_dialog import SettingsDialog
from tests.conftest import MemoryKeyring

BRANCH = "postgresql://pat@db.comms.gov.sk.ca:5432/smgov"


@pytest.fixture
def keyring_backend(_isolated_user_folders: MemoryKeyring) -> MemoryKeyring:
    return _isolated_user_folders


@pytest.fixture
def locked() -> Path:
    path = app_paths().machine_settings_file
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"database_url": BRANCH, "locked": ["database_url"]}), "utf-8")
    return path


def storage_dialog(make_app: Callable[[str], AppServices], qtbot: QtBot) -> SettingsDialog:
    app = make_app("officer")
    dialog = SettingsDialog(app, app.actor().roles, page=SettingsDialog.STORAGE_PAGE)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.loaded is not None)
    return dialog


def test_a_locked_database_is_shown_read_only_with_the_reason(
    make_app: Callable[[str], AppServices], qtbot: QtBot, locked: Path
) -> None:
    dialog = storage_dialog(make_app, qtbot)
    storage = dialog.storage
    assert storage.lock_notice.isVisible()
    assert "IT department" in storage.lock_notice.text()
    assert str(locked) in storage.lock_notice.text()
    for widget in (storage.local, storage.shared, storage.path, storage.browse, storage.url):
        assert not widget.isEnabled()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.chosen_target is None  # nothing to reopen
    assert LocalSettings.load().database_url == BRANCH
    assert not app_paths().settings_file.exists()  # nothing of IT's copied to the person's


def test_under_a_lock_a_person_still_keeps_their_own_password(
    make_app: Callable[[str], AppServices],
    qtbot: QtBot,
    locked: Path,
    keyring_backend: MemoryKeyring,
) -> None:
    app = make_app("officer")
    shared = dataclasses.replace(app.target, target=BRANCH, shared=True)
    dialog = SettingsDialog(
        dataclasses.replace(app, target=shared), app.actor().roles, page="storage"
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.loaded is not None)
    assert dialog.storage.url.text() == BRANCH
    assert dialog.storage.password.isEnabled()
    qtbot.keyClicks(dialog.storage.password, "s3cret")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert keyring_backend.store == {("smgov-desk", "pat@db.comms.gov.sk.ca:5432/smgov"): "s3cret"}


def test_the_file_menu_cannot_switch_away_from_a_locked_database(
    make_window: Callable[..., MainWindow], locked: Path
) -> None:
    window = make_window("admin")
    for action in (window.action_open_local, window.action_connect_shared):
        assert not action.isEnabled()
        assert "IT department" in action.toolTip()
    assert window.action_export.isEnabled()


def test_without_a_lock_the_file_menu_and_storage_page_are_free(
    make_window: Callable[..., MainWindow], make_app: Callable[[str], AppServices], qtbot: QtBot
) -> None:
    window = make_window("admin")
    assert window.action_open_local.isEnabled()
    assert window.action_connect_shared.isEnabled()
    dialog = storage_dialog(make_app, qtbot)
    assert not dialog.storage.lock_notice.isVisible()
    assert dialog.storage.path.isEnabled()


def test_a_file_on_a_network_drive_is_refused_on_the_storage_page(
    make_app: Callable[[str], AppServices],
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    share = tmp_path / "share"
    share.mkdir()
    table = f"/dev/vda / ext4 rw 0 0\n//filer/comms {share.resolve()} cifs rw 0 0\n"
    monkeypatch.setattr(network_paths, "_mount_table", lambda: table)
    dialog = storage_dialog(make_app, qtbot)
    dialog.storage.path.setText(str(share / "smgov.sqlite3"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "shared-database mode" in dialog.error.text()
    assert "PostgreSQL" in dialog.error.text()
    assert dialog.storage.path.property("invalid") is True
    assert not app_paths().settings_file.exists()
