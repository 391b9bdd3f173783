"""Start the desktop app: logging, look, crash dialog, the window and its database (opened
through ``desktop.views.opening``), and switching to another database from the File menu.

Start-up shows the window's frame first (menus, tab titles, "Opening the database…"), built
from PySide6 and a few light modules, so the window appears in about the time a bare Qt window
takes. The services, SQLAlchemy and the first tab's module are then imported, and the
database opened (and migrated, if it must be), on the thread pool; the window is filled in
when it is open. Nothing the person sees waits on a migration or a slow server.
"""

from __future__ import annotations

import gc
import logging
import sys
import traceback
from functools import partial
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, QThreadPool, QTimer, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.errors import SmgovError, StorageUnavailable
from desktop.resources import resource_path
from desktop.storage.paths import app_paths
from desktop.views import opening
from desktop.views.errors import show_error
from desktop.views.fonts import add_cjk_fallback
from desktop.views.icons import icon
from desktop.views.main_window import APP_TITLE, MainWindow
from desktop.views.opening import UNASKED, Opened, PasswordRequired, Unasked
from desktop.views.qt_start import start_application
from desktop.views.ui_state import UiState
from desktop.views.worker import Progress, run_in_background, when_idle

if TYPE_CHECKING:
    from desktop.services.context import Actor, Clock
    from desktop.services.session import AppServices

log = logging.getLogger(__name__)

ORGANIZATION = "Government of Saskatchewan"
LOG_BYTES = 2_000_000
LOG_BACKUPS = 5
SHUTDOWN_WAIT_MS = 10_000
# How long a thread may hold the interpreter while another waits for it (Python's default is
# 5 ms). Every call from Qt into Python (a model's data() for each cell painted) waits that long
# while work runs on the pool: painting the comment log took 73 ms instead of 14 with a busy
# worker at 5 ms, and 28 ms at 1 ms.
GUI_SWITCH_INTERVAL_S = 0.001


# -- process-wide set-up -------------------------------------------------------------------


def configure_logging(level: int = logging.INFO) -> Path:
    """A rotating log file in the user's log folder, from ``level`` up; returns its path."""
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
    shown = root.level or logging.WARNING
    for other in root.handlers:
        if other.level == logging.NOTSET:
            # The console keeps showing what it showed (warnings; everything with --debug),
            # not the file's details.
            other.setLevel(shown)
    root.addHandler(handler)
    root.setLevel(min(shown, level))
    return path


def apply_style(qapp: QApplication) -> None:
    """The light stylesheet from desktop/resources/style; a missing file leaves Qt's own look."""
    qapp.setStyle("Fusion")  # the same base on every platform, so the stylesheet looks alike
    font = QFont(qapp.font())
    font.setPointSize(10)
    qapp.setFont(font)
    add_cjk_fallback(qapp)
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


def _collect_frozen() -> None:
    """Once a replaced window is gone: its objects were frozen with the rest of the heap, so
    thaw, collect its reference cycles, and freeze what is left (one full collection, at a
    database switch)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _warm_up(window: MainWindow) -> None:
    if shiboken6.isValid(window):  # not replaced by another database's window meanwhile
        window.warm_up_tabs()


class AppController(QObject):
    """Holds the open database and its window; swaps both when another database is chosen.

    ``start`` shows the window's frame at once and opens the database from the event loop;
    ``exit_code`` is set when the app ends before a database could be shown. ``clock`` fixes
    the time the services see (the self-test and the benchmarks; the app uses the real one).
    """

    def __init__(self, log_file: Path | None = None, clock: Clock | None = None) -> None:
        super().__init__()
        self.services: AppServices | None = None
        self.window: MainWindow | None = None
        self.exit_code: int | None = None
        self.log_file = log_file or app_paths().log_file
        self.clock = clock

    def start(self, target: str | None) -> MainWindow:
        sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
        window = MainWindow(ui_state=UiState.load())
        window.database_requested.connect(self.switch)
        self.window = window
        window.show()
        # After the first paint: a zero-delay timer runs once the show's events are handled.
        QTimer.singleShot(0, lambda: self._open(target, initial=True))
        return window

    def _open(
        self, target: str | None, *, initial: bool, password: str | Unasked | None = UNASKED
    ) -> None:
        window = self.window
        assert window is not None
        index = max(window.tab_widget.currentIndex(), 0)
        warm = [window.pages[index].factory] if window.pages else []

        clock = self.clock

        def work(_progress: Progress) -> Opened:
            return opening.open_in_background(target, password, warm, clock)

        run_in_background(
            window,
            work,
            on_success=partial(self._opened, target, initial),
            on_failure=partial(self._open_failed, target, initial),
            # At start the window says "Opening the database…" itself.
            progress_label=None if initial else "Opening the database…",
            quiet=initial,
        )

    def _opened(self, target: str | None, initial: bool, opened: Opened) -> None:
        services, actor = opened.services, opened.actor
        if actor is None:
            gc.enable()  # the person is asked first: maybe for a long time, maybe sample data
            if opened.denied is not None:
                opening.not_registered(services, opened.denied, self.window)
            else:
                if initial and self.window is not None:
                    self.window.show_waiting(services.target, "This database has no data yet.")
                actor = opening.welcome(services, self.window)
        if actor is None:
            services.close()
            if initial:
                self._quit(0 if opened.empty else 1)
            return
        if not initial and target is not None:
            from desktop.services.session import save_database_choice

            save_database_choice(target)
        self._show(services, actor, reuse=initial)

    def _open_failed(self, target: str | None, initial: bool, exc: BaseException) -> None:
        if isinstance(exc, PasswordRequired):
            # Nothing typed: connect without a password (the server may not want one).
            typed = opening.ask_password(exc.account, self.window)
            self._open(target, initial=initial, password=typed)
            return
        if not initial:
            show_error(self.window, exc)
            return
        gc.enable()  # the window may now wait on the person for a long time
        if isinstance(exc, StorageUnavailable):
            choice = opening.unavailable_choice(exc, self.window)
            if choice == "quit":
                self._quit(1)
            else:
                local = str(app_paths().default_database)
                self._open(target if choice == "retry" else local, initial=True)
            return
        if isinstance(exc, SmgovError):
            show_error(self.window, exc)
        else:
            log.critical(
                "Could not open the database", exc_info=(type(exc), exc, exc.__traceback__)
            )
            crash_box(exc, self.log_file).exec()
        self._quit(1)

    def _quit(self, code: int) -> None:
        self.exit_code = code
        if self.window is not None:
            self.window.close()
        QApplication.quit()

    def _show(self, services: AppServices, actor: Actor, *, reuse: bool) -> None:
        old_window, old_services = self.window, self.services
        if reuse and old_window is not None:
            window = old_window
            window.attach(services, actor)
        else:
            if old_window is not None:
                old_window.save_state()
            window = MainWindow(services, actor, ui_state=UiState.load())
            window.database_requested.connect(self.switch)
            window.show()
            # The new window is up before the old one closes, or the app would quit.
            if old_window is not None:
                old_window.destroyed.connect(_collect_frozen)
                old_window.close()
                old_window.deleteLater()
        if old_services is not None:
            old_services.close()
        self.services, self.window = services, window
        # Once the first tab has its data, the other tabs' modules load in the background.
        when_idle(partial(_warm_up, window))
        # Move everything built so far out of the collector's reach: a full collection set
        # off by a worker otherwise walks the whole window while holding the GIL (100+ ms
        # GUI stalls measured during PDF generation). ``run`` paused collection at start-up
        # (it makes ~150,000 objects, which set off full collections of 60-100 ms).
        gc.freeze()
        gc.enable()

    @Slot(str)
    def switch(self, target: str) -> None:
        self._open(target, initial=False)

    def shutdown(self) -> None:
        QThreadPool.globalInstance().waitForDone(SHUTDOWN_WAIT_MS)
        if self.services is not None:
            self.services.close()
            self.services = None


def run(db_target: str | None) -> int:
    """The ``smgov`` GUI: 0 when the person quits, 1 when the app could not start."""
    gc.disable()  # until the window is filled in (AppController._show)
    log_file = configure_logging()
    existing = QApplication.instance()
    qapp = existing if isinstance(existing, QApplication) else start_application(sys.argv)
    qapp.setApplicationName("smgov-desk")
    qapp.setApplicationDisplayName(APP_TITLE)
    qapp.setOrganizationName(ORGANIZATION)
    qapp.setWindowIcon(icon("app"))
    apply_style(qapp)
    install_excepthook(log_file)
    log.info("Starting; log file %s", log_file)
    controller = AppController(log_file)
    controller.start(db_target)
    code = qapp.exec()
    controller.shutdown()
    gc.enable()
    return controller.exit_code if controller.exit_code is not None else code
