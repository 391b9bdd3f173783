"""Opening a database for the window: on the thread pool, with the questions a person may have
to answer on the GUI thread (a password the keyring lacks, how to start an empty database, what
to do when it cannot be opened, a login that is not registered).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from desktop.errors import PermissionDenied, StorageUnavailable
from desktop.views.tabs import TabFactory, preload

if TYPE_CHECKING:
    from desktop.services.context import Actor, Clock
    from desktop.services.session import AppServices

log = logging.getLogger(__name__)


def ask_password(account: str, parent: QWidget | None = None) -> str | None:
    from desktop.services.session import password_prompt

    text, ok = QInputDialog.getText(
        parent,
        "Database password",
        password_prompt(account).replace(" (", "\n(", 1),
        QLineEdit.EchoMode.Password,
    )
    return text if ok and text else None


class PasswordRequired(Exception):
    """The keyring has no password for ``account``: ask the person on the GUI thread, then
    open again with the answer."""

    def __init__(self, account: str) -> None:
        super().__init__(account)
        self.account = account


@dataclass(frozen=True)
class Unasked:
    """No one has been asked for a password yet (asking happens on the GUI thread)."""


UNASKED = Unasked()


@dataclass(frozen=True)
class Opened:
    """An open database and who acts on it; ``actor`` is None when the database is empty (the
    welcome dialog comes next) or the login is not registered (``denied`` says so)."""

    services: AppServices
    actor: Actor | None
    denied: PermissionDenied | None = None

    @property
    def empty(self) -> bool:
        return self.actor is None and self.denied is None


def open_in_background(
    target: str | None,
    password: str | Unasked | None,
    warm: list[TabFactory],
    clock: Clock | None = None,
) -> Opened:
    """On the thread pool: import the services, open (and migrate) the database, find who
    acts, and import the modules of the tabs about to be built; the GUI thread runs no query
    before the window is filled in. ``PasswordRequired`` when the keyring has none and nobody
    was asked yet."""
    from desktop.services.session import open_app

    def answer(account: str) -> str | None:
        if isinstance(password, Unasked):
            raise PasswordRequired(account)
        return password

    app = open_app(target, ask_password=answer, clock=clock)
    try:
        if app.is_empty():
            return Opened(app, None)
        try:
            actor = app.actor()
        except PermissionDenied as exc:
            return Opened(app, None, exc)
        preload(warm)
        # What the window asks once filled in (is this a replica?), imported here, not on
        # the GUI thread while it fills the window in.
        import desktop.sync.service  # noqa: F401
    except BaseException:
        app.close()
        raise
    return Opened(app, actor)


def ensure_ready(app: AppServices, parent: QWidget | None = None) -> Actor | None:
    """The person acting on ``app``: the welcome dialog first on an empty database."""
    if app.is_empty():
        return welcome(app, parent)
    try:
        return app.actor()
    except PermissionDenied as exc:
        not_registered(app, exc, parent)
        return None


def welcome(app: AppServices, parent: QWidget | None) -> Actor | None:
    """The welcome dialog on an empty database: the person acting once it is filled in."""
    from desktop.views.welcome import WelcomeDialog

    if WelcomeDialog(app, parent).exec() != QDialog.DialogCode.Accepted:
        return None
    return app.actor()


def not_registered(app: AppServices, exc: PermissionDenied, parent: QWidget | None) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, "Not registered", exc.message, parent=parent)
    box.setInformativeText(
        f"Database: {app.target.label}. An administrator adds you under People; until "
        "then the app cannot show this database."
    )
    box.exec()


def unavailable_choice(exc: StorageUnavailable, parent: QWidget | None) -> str:
    """ "retry", "local" (open the local file instead) or "quit"."""
    box = QMessageBox(QMessageBox.Icon.Critical, "Database unavailable", exc.message, parent=parent)
    box.setInformativeText("Retry, or work in the local database file on this computer instead.")
    retry = box.addButton("Retry", QMessageBox.ButtonRole.AcceptRole)
    local = box.addButton("Open the local file", QMessageBox.ButtonRole.ActionRole)
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is retry:
        return "retry"
    return "local" if box.clickedButton() is local else "quit"
