"""Cancel on work that writes: it really cancels (the statement running on the server stops
and nothing is committed), or, once the change is being committed, it is no longer offered
(issue 12, Deliver 5)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import event, func, select, text

from desktop.enums import MinistryKind
from desktop.errors import Cancelled
from desktop.models import Ministry
from desktop.models.base import new_id
from desktop.storage.cancelling import CancelScope
from desktop.storage.database import Database
from desktop.views.worker import TOO_LATE, Progress, run_in_background
from tests.views.conftest import wait_for_tasks

SLOW = {
    "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
    "WHERE x < 2000000000) SELECT count(*) FROM c",
    "postgresql": "SELECT pg_sleep(60)",
}


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest) -> Database:
    db: Database = request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_db")
    return db


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _dialog(parent: QWidget) -> QProgressDialog | None:
    return next((d for d in parent.findChildren(QProgressDialog) if d.isVisible()), None)


def _ministries(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Ministry)) or 0


def _add_ministry(session: Any, code: str) -> None:
    session.add(
        Ministry(id=new_id(), code=code, name=f"Ministry {code}", kind=MinistryKind.MINISTRY)
    )
    session.flush()


def test_cancel_stops_the_statement_on_the_server_and_saves_nothing(
    qtbot: QtBot, parent: QWidget, any_db: Database, boxes: list[QMessageBox]
) -> None:
    before = _ministries(any_db)
    started = threading.Event()
    called: list[str] = []

    def work(_progress: Progress) -> None:
        with any_db.write() as session:
            _add_ministry(session, "CXL")
            started.set()
            session.execute(text(SLOW[any_db.url.get_backend_name()]))

    run_in_background(
        parent,
        work,
        on_success=lambda _r: called.append("success"),
        on_failure=lambda e: called.append(f"failure {e}"),
        progress_label="Saving…",
        cancellable=True,
    )
    qtbot.waitUntil(lambda: started.is_set() and _dialog(parent) is not None, timeout=5000)
    dialog = _dialog(parent)
    assert dialog is not None
    time.sleep(0.3)  # the slow statement is running on the server
    clicked = time.monotonic()
    cancel = dialog.findChild(QPushButton)
    assert cancel is not None
    cancel.click()
    assert dialog.isVisible()
    assert dialog.labelText() == "Cancelling…"
    wait_for_tasks(qtbot, timeout=5000)
    assert time.monotonic() - clicked < 3
    assert called == []
    assert boxes == []
    assert _ministries(any_db) == before


def test_once_the_change_is_being_committed_cancel_is_refused_and_the_save_reported(
    qtbot: QtBot, parent: QWidget, sqlite_db: Database, boxes: list[QMessageBox]
) -> None:
    db = sqlite_db
    before = _ministries(db)
    committing = threading.Event()
    release = threading.Event()
    called: list[str] = []

    def hold(_conn: Any) -> None:  # after the app's own commit hook: the commit is under way
        committing.set()
        release.wait(10)

    event.listen(db.engine, "commit", hold)

    def work(_progress: Progress) -> str:
        with db.write() as session:
            _add_ministry(session, "LTE")
        return "saved"

    task = run_in_background(
        parent,
        work,
        on_success=called.append,
        progress_label="Adding the ministry…",
        cancellable=True,
    )
    try:
        qtbot.waitUntil(lambda: committing.is_set() and _dialog(parent) is not None, timeout=5000)
        dialog = _dialog(parent)
        assert dialog is not None
        # The Cancel button goes when the commit starts; pressed just before, it is refused.
        qtbot.waitUntil(lambda: dialog.labelText() == "Saving…")
        assert (
            dialog.findChild(QPushButton) is None or not dialog.findChild(QPushButton).isVisible()
        )
        task._on_cancel()
        assert dialog.labelText() == TOO_LATE
        assert not task.progress.cancelled
    finally:
        release.set()
        wait_for_tasks(qtbot)
        event.remove(db.engine, "commit", hold)
    assert called == ["saved"]
    assert _ministries(db) == before + 1


def test_a_cancel_before_the_commit_refuses_the_commit(sqlite_db: Database) -> None:
    scope = CancelScope()

    def save() -> None:
        with sqlite_db.write() as session:
            _add_ministry(session, "REF")
            assert scope.cancel()

    with scope.entered(), pytest.raises(Cancelled):
        save()
    assert _ministries(sqlite_db) == 0


# -- a dialog whose Save runs in the background ---------------------------------------------


@pytest.fixture
def dialog(qtbot: QtBot) -> QDialog:
    """A dialog as the app's edit dialogs are: Cancel rejects it, Save starts the work."""
    made = QDialog()
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, made)
    buttons.rejected.connect(made.reject)
    QVBoxLayout(made).addWidget(buttons)
    qtbot.addWidget(made)
    made.show()
    return made


def _cancel_button(dialog: QDialog) -> QPushButton:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    button = box.button(QDialogButtonBox.StandardButton.Cancel)
    assert button is not None
    return button


def test_while_a_dialog_saves_it_cannot_be_cancelled_or_closed(
    qtbot: QtBot, dialog: QDialog, sqlite_db: Database
) -> None:
    """Closing it would not stop the save: Cancel is not offered until the save is done."""
    writing = threading.Event()
    release = threading.Event()
    saved: list[str] = []

    def save(_progress: Progress) -> str:
        with sqlite_db.write() as session:
            _add_ministry(session, "HLD")
            writing.set()
            release.wait(10)
        return "saved"

    run_in_background(dialog, save, on_success=saved.append, progress_label="Saving…")
    try:
        qtbot.waitUntil(lambda: not _cancel_button(dialog).isEnabled(), timeout=5000)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        dialog.close()
        assert dialog.isVisible()
    finally:
        release.set()
    wait_for_tasks(qtbot)
    assert saved == ["saved"]
    assert _cancel_button(dialog).isEnabled()
    assert _ministries(sqlite_db) == 1
    _cancel_button(dialog).click()
    assert not dialog.isVisible()


def test_a_dialog_cancelled_before_its_save_reached_the_database_saves_nothing(
    qtbot: QtBot, dialog: QDialog, sqlite_db: Database
) -> None:
    checking = threading.Event()
    release = threading.Event()
    called: list[str] = []

    def save(_progress: Progress) -> None:
        checking.set()
        release.wait(10)  # still checking the input when the person presses Cancel
        with sqlite_db.write() as session:
            _add_ministry(session, "GON")

    run_in_background(
        dialog,
        save,
        on_success=lambda _r: called.append("success"),
        on_failure=lambda e: called.append(f"failure {e}"),
        progress_label="Saving…",
    )
    qtbot.waitUntil(checking.is_set, timeout=5000)
    _cancel_button(dialog).click()
    assert not dialog.isVisible()
    release.set()
    wait_for_tasks(qtbot)
    assert called == []
    assert _ministries(sqlite_db) == 0
