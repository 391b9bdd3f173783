"""Headless checks of the whole desktop app: ``smgov self-test`` and ``smgov screenshots DIR``.

Both run offscreen on a temporary database filled with the small demo data at a fixed as-of
time, so the result does not depend on the machine or the day.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

AS_OF = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)  # a Wednesday, 09:00 in Regina
SIZE = (1400, 900)
SETTLE_S = 0.6  # longer than any debounce timer of the tabs
IDLE_TIMEOUT_S = 60.0


class SelfTestFailure(Exception):
    pass


@contextmanager
def _sandbox() -> Iterator[Path]:
    """Offscreen Qt and a temporary SMGOV_HOME, restored afterwards."""
    saved = {k: os.environ.get(k) for k in ("SMGOV_HOME", "QT_QPA_PLATFORM", "SMGOV_DATABASE_URL")}
    with tempfile.TemporaryDirectory(prefix="smgov-selftest-") as home:
        os.environ["SMGOV_HOME"] = home
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        os.environ.pop("SMGOV_DATABASE_URL", None)
        try:
            yield Path(home)
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


class _Watch:
    """Collects what would have interrupted a person: uncaught exceptions and error boxes."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def excepthook(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        self.problems.append("".join(traceback.format_exception(kind, exc, tb)).strip())

    def message_box(self, box: Any) -> int:
        self.problems.append(f"message box {box.windowTitle()!r}: {box.text()}")
        return 0

    def qt_message(self, kind: Any, _context: Any, message: str) -> None:
        from PySide6.QtCore import QtMsgType

        # The offscreen platform says this of every window with a size limit; not a problem.
        if "propagateSizeHints" in message:
            return
        if kind in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            self.problems.append(f"Qt: {message}")

    def check(self, step: str) -> None:
        if self.problems:
            raise SelfTestFailure(f"{step}: " + "\n".join(self.problems))


def _wait_idle(qapp: Any, timeout: float = IDLE_TIMEOUT_S) -> None:
    """Let background work finish and its callbacks run, and debounce timers fire too.

    Idle means no task running for SETTLE_S in a row: a tab may start work from a short
    timer (a debounced selection) after its first load has called back.
    """
    from desktop.views.worker import running_tasks

    deadline = time.monotonic() + timeout
    quiet_since: float | None = None
    while True:
        qapp.processEvents()
        now = time.monotonic()
        if running_tasks():
            quiet_since = None
        elif quiet_since is None:
            quiet_since = now
        elif now - quiet_since >= SETTLE_S:
            break
        if now > deadline:
            raise SelfTestFailure(f"background work still running after {timeout:.0f} s")
        time.sleep(0.01)


def _demo_database(path: Path) -> str:
    """The small demo data set at AS_OF in a new file; the login of its first administrator."""
    from desktop.enums import AppRole
    from desktop.services.session import open_app

    app = open_app(str(path), clock=lambda: AS_OF)
    try:
        app.load_sample_data(as_of=AS_OF)
        # Whoever runs the self-test is not in the demo data: pick from its people, as the
        # welcome dialog lets a person do on demo data.
        admins = [p for p in app.demo_people() if AppRole.ADMIN.label in p.roles]
        if not admins:
            raise SelfTestFailure("the demo data has no administrator to act as")
        app.act_as(admins[0].login)  # kept in the demo database, which the window opens next
    finally:
        app.close()
    return admins[0].login


@contextmanager
def _demo_window(home: Path, watch: _Watch) -> Iterator[tuple[Any, Any]]:
    """The main window on a fresh demo database, acting as its first administrator, started
    the way the app starts (frame first, the database opened in the background)."""
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop.views.app import AppController, apply_style

    existing = QApplication.instance()
    qapp = existing if isinstance(existing, QApplication) else QApplication([])
    apply_style(qapp)
    previous_hook, previous_exec = sys.excepthook, QMessageBox.exec
    sys.excepthook = watch.excepthook
    previous_handler = qInstallMessageHandler(watch.qt_message)
    # A box would wait for a click forever offscreen: record it as a failure instead.
    QMessageBox.exec = lambda box: watch.message_box(box)  # type: ignore[method-assign]
    controller = AppController(clock=lambda: AS_OF)
    window = None
    try:
        path = home / "selftest.sqlite3"
        _demo_database(path)
        window = controller.start(str(path))
        window.resize(*SIZE)
        deadline = time.monotonic() + IDLE_TIMEOUT_S
        while window.app is None and controller.exit_code is None:
            watch.check("opening the database")
            if time.monotonic() > deadline:
                raise SelfTestFailure(f"the database did not open in {IDLE_TIMEOUT_S:.0f} s")
            qapp.processEvents()
            time.sleep(0.005)
        if window.app is None:
            watch.check("opening the database")
            raise SelfTestFailure(f"the app ended while opening (exit {controller.exit_code})")
        _wait_idle(qapp)
        watch.check("opening the main window")
        yield qapp, window
    finally:
        if window is not None:
            window.close()
            window.deleteLater()
        _wait_idle(qapp)
        sys.excepthook = previous_hook
        qInstallMessageHandler(previous_handler)
        QMessageBox.exec = previous_exec  # type: ignore[method-assign]
        controller.shutdown()


def _visit_tabs(qapp: Any, window: Any, watch: _Watch, each: Callable[[int, Any], None]) -> None:
    for index in range(window.tab_widget.count()):
        window.tab_widget.setCurrentIndex(index)  # builds the tab the first time
        _wait_idle(qapp)
        title = window.tab_widget.tabText(index)
        watch.check(f"tab {title}")
        tab = window.current_tab()
        if tab is None or not tab.isVisible():
            raise SelfTestFailure(f"tab {title} is not shown when selected")
        each(index, tab)


def _approvals_tab(window: Any) -> Any:
    from desktop.views.approvals.approvals_tab import ApprovalsTab

    return next(t for t in window.tabs if isinstance(t, ApprovalsTab))


def _open_and_cancel(qapp: Any, name: str, make: Callable[[], Any], watch: _Watch) -> None:
    dialog = make()
    if dialog is None:
        raise SelfTestFailure(f"{name}: the dialog could not be made")
    dialog.open()
    _wait_idle(qapp)
    if not dialog.isVisible():
        raise SelfTestFailure(f"{name}: the dialog did not appear")
    dialog.reject()
    _wait_idle(qapp)
    watch.check(name)
    dialog.deleteLater()


def self_test() -> int:
    """Show the window on demo data, visit every tab, open and cancel each main dialog, and
    check the runtime files (stylesheet, icons, report fonts, policy text) it loaded."""
    from desktop.views.selftest_resources import ResourceProblem, check_resources

    watch = _Watch()
    try:
        with _sandbox() as home, _demo_window(home, watch) as (qapp, window):
            titles: list[str] = []
            _visit_tabs(qapp, window, watch, lambda _i, tab: titles.append(tab.title))
            dialogs = {
                "settings": window.make_settings_dialog,
                "emergency": window.make_emergency_dialog,
                "emergency record": window.make_emergency_record_dialog,
                "key contacts": window.make_key_contacts_dialog,
                "bans": window.make_bans_dialog,
                "audit log": window.make_audit_dialog,
                "about": window.make_about_box,
                "policy": window.make_policy_dialog,
                "personal names register": lambda: _approvals_tab(window).make_names_register(),
            }
            for name, make in dialogs.items():
                _open_and_cancel(qapp, name, make, watch)
            resources = check_resources(qapp)
    except Exception as exc:  # noqa: BLE001 - the self-test reports any failure and exits 1
        known = isinstance(exc, SelfTestFailure | ResourceProblem)
        detail = str(exc) if known else traceback.format_exc()
        print(f"self-test FAILED: {detail}", file=sys.stderr)
        return 1
    print(f"self-test passed: {len(titles)} tabs ({', '.join(titles)}), {len(dialogs)} dialogs.")
    print(resources)
    return 0


def screenshots(directory: str | Path) -> int:
    """One PNG per tab at 1400×900: 01-compliance.png … 06-evaluations.png."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    watch = _Watch()
    written: list[Path] = []

    def save(index: int, tab: Any) -> None:
        path = out / f"{index + 1:02d}-{tab.title.lower().replace(' ', '-')}.png"
        # The demo lives in a temporary folder; pictures for the README show no machine path.
        tab.window().status_bar.database.setText("Local file: smgov.sqlite3 (demo data)")
        if not tab.window().grab().save(str(path)):
            raise SelfTestFailure(f"could not write {path}")
        written.append(path)

    try:
        with _sandbox() as home, _demo_window(home, watch) as (qapp, window):
            _visit_tabs(qapp, window, watch, save)
    except Exception as exc:  # noqa: BLE001 - reported, exit 1
        detail = str(exc) if isinstance(exc, SelfTestFailure) else traceback.format_exc()
        print(f"screenshots FAILED: {detail}", file=sys.stderr)
        return 1
    for path in written:
        print(path)
    return 0
