"""Start the desktop app: logging, look, crash dialog, opening the database, first run, and
switching to another database from the File menu.
"""

from __future__ import annotations

import gc
import logging
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, QThreadPool, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QLineEdit, QMessageBox

from desktop.errors import PermissionDenied, SmgovError, StorageUnavailable
from desktop.resources import resource_path
from desktop.services.context import Actor
from desktop.services.session import AppServices, open_app, save_database_choice
from desktop.storage.paths import app_paths
from desktop.views.errors import show_error
from desktop.views.icons import icon
from desktop.views.main_window import APP_TITLE, MainWindow
from desktop.views.ui_state import UiState
from desktop.views.welcome import WelcomeDialog
from desktop.views.worker import Progress, run_in_background

log = logging.getLogger(__name__)

ORGANIZATION = "Government of Saskatchewan"
LOG_BYTES = 2_000_000
LOG_BACKUPS = 5
SHUTDOWN_WAIT_MS = 10_000


# -- process-wide set-up -------------------------------------------------------------------


def configure_logging(level: int = logging.INFO) -> Path:
    """A rotating log file in the user's log folder; returns its path."""
    path = app_paths().log_file
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, RotatingFileHandler) and Path(handler.baseFilename) == path:
            return path
    handler = RotatingFileHandler(
        path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
    )
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s")
    )
    root.addHandler(handler)
    root.setLevel(min(root.level or logging.WARNING, level))
    return path


def apply_style(qapp: QApplication) -> None:
    """The light stylesheet from resources/style; a missing file leaves Qt's own look."""
    qapp.setStyle("Fusion")  # the same base on every platform, so the stylesheet looks alike
    font = QFont(qapp.font())
    font.setPointSize(10)
    qapp.setFont(font)
    path = resource_path("style", "app.qss")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        log.warning("Stylesheet not loaded (%s): %s", path, exc)
        return
    qapp.setStyleSheet(text.replace("@ICONS@", resource_path("icons").as_posix()))


def crash_box(exc: BaseException, log_file: Path) -> QMessageBox:
    box = QMessageBox()
    box.setObjectName("crashBox")
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("Something went wrong")
    box.setText(f"The app hit an error it did not expect: {type(exc).__name__}: {exc}")
    box.setInformativeText(
        "The app is still running, but your last action may not have finished. "
        f"The details are in the log file:\n{log_file}\n"
        "Send that file to your support desk if this happens again."
    )
    box.setDetailedText("".join(traceback.format_exception(exc)))
    return box


class _CrashHandler:
    """sys.excepthook: log the exception, then tell the person instead of vanishing."""

    def __init__(self, log_file: Path) -> None:
        self.log_file = log_file
        self._showing = False

    def __call__(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        log.critical("Uncaught exception", exc_info=(kind, exc, tb))
        if self._showing or QApplication.instance() is None:
            return  # an error inside the error dialog is logged, not shown again
        self._showing = True
        try:
            if isinstance(exc, SmgovError):
                show_error(None, exc)
            else:
                crash_box(exc, self.log_file).exec()
        finally:
            self._showing = False


def install_excepthook(log_file: Path) -> None:
    sys.excepthook = _CrashHandler(log_file)


# -- opening a database --------------------------------------------------------------------


def ask_password(account: str) -> str | None:
    text, ok = QInputDialog.getText(
        None,
        "Database password",
        f"Password for {account}\n(it is then kept in the Windows Credential Manager):",
        QLineEdit.EchoMode.Password,
    )
    return text if ok and text else None


def open_with_dialogs(target: str | None) -> AppServices | None:
    """Open the database, offering to retry or fall back to the local file when it fails."""
    while True:
        try:
            return open_app(target, ask_password=ask_password)
        except StorageUnavailable as exc:
            box = QMessageBox(QMessageBox.Icon.Critical, "Database unavailable", exc.message)
            box.setInformativeText(
                "Retry, or work in the local database file on this computer instead."
            )
            retry = box.addButton("Retry", QMessageBox.ButtonRole.AcceptRole)
            local = box.addButton("Open the local file", QMessageBox.ButtonRole.ActionRole)
            box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
            box.exec()
            if box.clickedButton() is local:
                target = str(app_paths().default_database)
            elif box.clickedButton() is not retry:
                return None
        except SmgovError as exc:
            show_error(None, exc)
            return None


def ensure_ready(app: AppServices) -> Actor | None:
    """The person acting on ``app``: the welcome dialog first on an empty database."""
    if app.is_empty() and WelcomeDialog(app).exec() != QDialog.DialogCode.Accepted:
        return None
    try:
        return app.actor()
    except PermissionDenied as exc:
        box = QMessageBox(QMessageBox.Icon.Warning, "Not registered", exc.message)
        box.setInformativeText(
            f"Database: {app.target.label}. An administrator adds you under People; until "
            "then the app cannot show this database."
        )
        box.exec()
        return None


class AppController(QObject):
    """Holds the open database and its window; swaps both when another database is chosen."""

    def __init__(self) -> None:
        super().__init__()
        self.services: AppServices | None = None
        self.window: MainWindow | None = None

    def start(self, target: str | None) -> int | None:
        """None once the window is up, else the exit code (0: the person chose to quit)."""
        services = open_with_dialogs(target)
        if services is None:
            return 1
        empty = services.is_empty()
        actor = ensure_ready(services)
        if actor is None:
            services.close()
            return 0 if empty else 1
        self._show(services, actor)
        return None

    def _show(self, services: AppServices, actor: Actor) -> None:
        old_window, old_services = self.window, self.services
        if old_window is not None:
            old_window.save_state()
        self.services = services
        self.window = MainWindow(services, actor, ui_state=UiState.load())
        self.window.database_requested.connect(self.switch)
        self.window.show()
        # The new window is up before the old one closes, or the app would quit.
        if old_window is not None:
            old_window.close()
            old_window.deleteLater()
        if old_services is not None:
            old_services.close()
        # Move everything built so far out of the collector's reach: a full collection set
        # off by a worker otherwise walks the whole window while holding the GIL (100+ ms
        # GUI stalls measured during PDF generation).
        gc.collect()
        gc.freeze()

    @Slot(str)
    def switch(self, target: str) -> None:
        parent = self.window

        def open_it(_progress: Progress) -> AppServices:
            return open_app(target, ask_password=None)

        def opened(services: AppServices) -> None:
            actor = ensure_ready(services)
            if actor is None:
                services.close()
                return
            save_database_choice(target)
            self._show(services, actor)

        run_in_background(
            parent, open_it, on_success=opened, progress_label="Opening the database…"
        )

    def shutdown(self) -> None:
        QThreadPool.globalInstance().waitForDone(SHUTDOWN_WAIT_MS)
        if self.services is not None:
            self.services.close()
            self.services = None


def run(db_target: str | None) -> int:
    """The ``smgov`` GUI: 0 when the person quits, 1 when the app could not start."""
    log_file = configure_logging()
    existing = QApplication.instance()
    qapp = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    qapp.setApplicationName("smgov-desk")
    qapp.setApplicationDisplayName(APP_TITLE)
    qapp.setOrganizationName(ORGANIZATION)
    qapp.setWindowIcon(icon("app"))
    apply_style(qapp)
    install_excepthook(log_file)
    log.info("Starting; log file %s", log_file)
    controller = AppController()
    failed = controller.start(db_target)
    if failed is not None:
        return failed
    code = qapp.exec()
    controller.shutdown()
    return code
