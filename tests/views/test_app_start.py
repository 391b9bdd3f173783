"""Starting the app as a person does: the window appears at once and fills in once the
database is open; an empty database, one that cannot be opened, or a server that wants a
password each lead somewhere a person can act on.
"""

from __future__ import annotations

import gc
import io
import logging
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from desktop.storage.app_settings import LocalSettings
from desktop.storage.database import Database
from desktop.storage.paths import app_paths
from desktop.views import opening
from desktop.views.app import AppController, configure_logging
from desktop.views.main_window import OPENING_TEXT, MainWindow
from desktop.views.opening import open_in_background
from desktop.views.tabs import LazyTab
from desktop.views.welcome import WelcomeDialog
from tests.conftest import MemoryKeyring
from tests.factories import Cast
from tests.views.conftest import wait_for_tasks


@pytest.fixture
def keyring_backend(_isolated_user_folders: MemoryKeyring) -> MemoryKeyring:
    return _isolated_user_folders


@pytest.fixture
def controller(qtbot: QtBot) -> Iterator[AppController]:
    made = AppController()
    yield made
    wait_for_tasks(qtbot)
    # pytest-qt closes and deletes the windows a test added before fixtures are torn down.
    if made.window is not None and shiboken6.isValid(made.window):
        made.window.close()
    made.shutdown()


def _start(controller: AppController, qtbot: QtBot, target: str) -> MainWindow:
    window = controller.start(target)
    qtbot.addWidget(window)
    return window


def test_the_window_shows_at_once_then_fills_in_when_the_database_is_open(
    controller: AppController, cast: Cast, qtbot: QtBot, signed_in: Callable[[str], None]
) -> None:
    signed_in(cast.people["admin"].login)
    window = _start(controller, qtbot, str(cast.db.url.database))
    # Before the event loop has run once: the frame, and nothing of the database yet.
    assert window.isVisible()
    assert window.app is None
    assert [window.tab_widget.tabText(i) for i in range(3)] == [
        "Compliance",
        "Accounts",
        "Permissions",
    ]
    assert window.pages[0].note.text() == OPENING_TEXT
    assert window.status_bar.database.text() == "Opening the database…"
    assert window.action_quit.isEnabled()
    assert not window.action_export.isEnabled()
    assert window.action_export.toolTip() == "Available once the database is open"
    assert window.tabs == []

    qtbot.waitUntil(lambda: window.app is not None)
    assert window.windowTitle().endswith(Path(str(cast.db.url.database)).as_posix())
    assert window.status_bar.database.text().startswith("Local file: ")
    assert [tab.title for tab in window.tabs] == ["Compliance"]  # only the one shown
    assert window.current_tab() is window.tabs[0]
    assert window.current_tab().isVisible()
    wait_for_tasks(qtbot)
    assert window.action_export.isEnabled()
    assert window.status is not None
    assert window.status.person == "Admin Person"
    # Start-up's objects are out of the collector's reach, and collection is back on.
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0
    assert controller.exit_code is None


def test_an_empty_database_asks_the_welcome_dialog_and_quitting_there_ends_the_app(
    controller: AppController, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[WelcomeDialog] = []

    def decline(dialog: WelcomeDialog) -> int:
        shown.append(dialog)
        return int(QDialog.DialogCode.Rejected)

    monkeypatch.setattr(WelcomeDialog, "exec", decline)
    window = _start(controller, qtbot, str(tmp_path / "new.sqlite3"))
    qtbot.waitUntil(lambda: controller.exit_code is not None)
    assert controller.exit_code == 0  # the person chose to leave: not a failure
    assert len(shown) == 1
    assert shown[0].parent() is window
    assert window.pages[0].note.text() == "This database has no data yet."
    assert window.status_bar.database.text().endswith("new.sqlite3")
    assert not window.isVisible()
    assert (tmp_path / "new.sqlite3").is_file()  # created and migrated on the way


def test_a_login_not_registered_in_the_database_is_told_whom_to_ask(
    controller: AppController,
    cast: Cast,
    qtbot: QtBot,
    boxes: list[QMessageBox],
    signed_in: Callable[[str], None],
) -> None:
    signed_in("stranger")
    window = _start(controller, qtbot, str(cast.db.url.database))
    qtbot.waitUntil(lambda: controller.exit_code is not None)
    assert controller.exit_code == 1
    assert [b.windowTitle() for b in boxes] == ["Not registered"]
    assert "'stranger' is not registered" in boxes[0].text()
    assert boxes[0].parent() is window
    assert window.tabs == []  # nothing of the database was shown


def test_a_database_that_cannot_be_opened_offers_the_local_file(
    controller: AppController, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    offered: list[str] = []

    def choose_local(exc: object, _parent: object) -> str:
        offered.append(str(exc))
        return "local"

    welcomed: list[str] = []

    def decline(dialog: WelcomeDialog) -> int:
        welcomed.append(dialog.app.target.label)
        return int(QDialog.DialogCode.Rejected)

    monkeypatch.setattr(opening, "unavailable_choice", choose_local)
    monkeypatch.setattr(WelcomeDialog, "exec", decline)
    folder = tmp_path / "a-folder"
    folder.mkdir()
    _start(controller, qtbot, str(folder))
    qtbot.waitUntil(lambda: controller.exit_code is not None)
    assert offered == [f"{folder} is a folder, not a database file."]
    # The local file in the data folder was opened instead (new, so the welcome came next).
    assert welcomed == [f"local file {app_paths().default_database}"]


def test_quitting_when_the_database_cannot_be_opened_ends_with_failure(
    controller: AppController, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(opening, "unavailable_choice", lambda _exc, _parent: "quit")
    window = _start(controller, qtbot, str(tmp_path))
    qtbot.waitUntil(lambda: controller.exit_code is not None)
    assert controller.exit_code == 1
    assert not window.isVisible()
    assert gc.isenabled()


def test_a_server_password_is_asked_on_the_window_and_kept_in_the_keyring(
    controller: AppController,
    qtbot: QtBot,
    pg_url: str,
    pg_db: Database,  # emptied: the welcome dialog, not someone else's people, comes next
    monkeypatch: pytest.MonkeyPatch,
    keyring_backend: MemoryKeyring,
) -> None:
    asked: list[tuple[str, object]] = []

    def type_password(account: str, parent: object = None) -> str:
        asked.append((account, parent))
        return "typed-once"

    monkeypatch.setattr(opening, "ask_password", type_password)
    monkeypatch.setattr(WelcomeDialog, "exec", lambda _d: int(QDialog.DialogCode.Rejected))
    window = _start(controller, qtbot, pg_url)
    qtbot.waitUntil(lambda: controller.exit_code is not None, timeout=20_000)
    assert len(asked) == 1
    account, parent = asked[0]
    assert account.startswith("postgres@127.0.0.1:5432/smgov_test_")
    assert parent is window
    assert keyring_backend.store == {("smgov-desk", account): "typed-once"}


def test_another_database_chosen_from_the_file_menu_replaces_the_window(
    controller: AppController,
    cast: Cast,
    qtbot: QtBot,
    tmp_path: Path,
    signed_in: Callable[[str], None],
) -> None:
    signed_in(cast.people["admin"].login)
    first = controller.start(str(cast.db.url.database))  # deleted once replaced
    qtbot.waitUntil(lambda: first.app is not None)
    wait_for_tasks(qtbot)
    copy = tmp_path / "copy.sqlite3"
    source = sqlite3.connect(str(cast.db.url.database))
    source.execute(f"VACUUM INTO '{copy}'")
    source.close()
    first.database_requested.emit(str(copy))
    qtbot.waitUntil(lambda: controller.window is not first)
    second = controller.window
    assert second is not None
    qtbot.addWidget(second)
    assert second.isVisible()
    qtbot.waitUntil(lambda: not shiboken6.isValid(first))  # closed and deleted
    assert second.app is not None
    assert second.app.target.label == f"local file {copy}"
    assert LocalSettings.load().database_url == str(copy)  # opened next time too
    assert [tab.title for tab in second.tabs] == ["Compliance"]
    # The first window's objects were collected, the rest frozen again.
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0


def test_a_tab_module_that_fails_to_load_in_advance_does_not_stop_the_opening(
    cast: Cast, caplog: pytest.LogCaptureFixture, signed_in: Callable[[str], None]
) -> None:
    signed_in(cast.people["admin"].login)
    broken = LazyTab(module="desktop.views.no_such_tab", class_name="X", title="X", icon="x")
    with caplog.at_level(logging.ERROR):
        opened = open_in_background(str(cast.db.url.database), None, [broken])
    try:
        assert opened.actor is not None
        assert opened.actor.name == "Admin Person"
    finally:
        opened.services.close()
    assert "Could not load the X tab in advance" in caplog.text


def test_the_log_file_gets_the_details_and_the_console_only_warnings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = logging.getLogger()
    console = logging.StreamHandler(io.StringIO())  # what `smgov` sets up before the GUI
    monkeypatch.setattr(root, "handlers", [console])
    monkeypatch.setattr(root, "level", logging.WARNING)
    path = configure_logging()
    file_handler = root.handlers[-1]
    try:
        logging.getLogger("desktop.views.app").info("Opened the database")
        logging.getLogger("desktop.views.app").warning("Keyring unreadable")
        file_handler.flush()
        assert "INFO MainThread desktop.views.app: Opened the database" in path.read_text()
        assert console.stream.getvalue() == "Keyring unreadable\n"
    finally:
        file_handler.close()


def test_the_windows_frame_is_shown_before_sqlalchemy_and_the_models_are_imported() -> None:
    """What the frame imports delays the first paint: SQLAlchemy and the models (~0.5 s on a
    busy workstation) load on the thread pool once the frame is up."""
    probe = (
        "import sys, desktop.cli, desktop.views.app, desktop.views.main_window\n"
        "print(sorted(m for m in ('sqlalchemy', 'desktop.models', 'desktop.services.session')"
        " if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]"
