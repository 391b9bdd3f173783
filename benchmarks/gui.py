"""Qt plumbing for the GUI figures: an offscreen app styled like the real one, waiting for a
signal, letting background work finish, and a heartbeat that measures GUI-thread stalls.
"""

from __future__ import annotations

import faulthandler
import os
import time
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QApplication

WAIT_TIMEOUT_MS = 120_000


def offscreen_app() -> QApplication:
    """The QApplication, with the app's style and font (paint costs depend on them)."""
    from desktop.views.app import apply_style

    existing = QApplication.instance()
    qapp = existing if isinstance(existing, QApplication) else QApplication([])
    apply_style(qapp)
    return qapp


def start_app(qapp: QApplication, env: Any) -> tuple[Any, Any]:
    """The app started as ``smgov`` starts it (frame first, database opened in the background),
    acting as ``env.login`` at ``env.as_of``: the controller and its filled-in main window."""
    from desktop.services.acting import choose_demo_person
    from desktop.storage.database import open_database
    from desktop.views.app import AppController

    as_of = env.as_of_time
    chosen = open_database(env.db, migrate=False)  # demo data: act as env.login there
    try:
        choose_demo_person(chosen, env.login, clock=lambda: as_of)
    finally:
        chosen.dispose()
    controller = AppController(clock=lambda: as_of)
    window = controller.start(env.db)
    deadline = time.monotonic() + WAIT_TIMEOUT_MS / 1000
    while window.app is None:
        if controller.exit_code is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the app did not open {env.db} (exit {controller.exit_code})")
        qapp.processEvents()
        time.sleep(0.002)
    return controller, window


def wait_for(signal: Any, *, timeout_ms: int = WAIT_TIMEOUT_MS) -> None:
    """Run the event loop until ``signal`` fires (a TimeoutError after ``timeout_ms``)."""
    loop = QEventLoop()
    fired: list[bool] = []

    def done(*_args: object) -> None:
        fired.append(True)
        loop.quit()

    signal.connect(done)
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(loop.quit)
    guard.start(timeout_ms)
    try:
        loop.exec()
    finally:
        guard.stop()
        signal.disconnect(done)
    if not fired:
        raise TimeoutError(f"no signal within {timeout_ms / 1000:.0f} s")


def settle(qapp: QApplication, timeout_s: float = 120.0) -> None:
    """Let every background task call back, so the next measurement starts from quiet."""
    from desktop.views.worker import running_tasks

    deadline = time.monotonic() + timeout_s
    while running_tasks():
        qapp.processEvents()
        if time.monotonic() > deadline:
            raise TimeoutError("background work still running")
        time.sleep(0.002)
    for _ in range(3):
        qapp.processEvents()


STALL_DUMPS = "SMGOV_BENCH_STALL_DUMPS"  # a file: where every thread was during each stall
STALL_DUMP_AFTER_S = 0.08


class Heartbeat(QObject):
    """A 10 ms timer on the GUI thread; the longest gap between its ticks is the longest time
    the GUI thread could not answer a click or repaint.

    With ``$SMGOV_BENCH_STALL_DUMPS`` set to a file, each stall longer than 80 ms appends the
    stack of every thread to it (faulthandler's watchdog needs no GIL, so it sees the thread
    that holds it).
    """

    def __init__(self, interval_ms: int = 10) -> None:
        super().__init__()
        dump = os.environ.get(STALL_DUMPS)
        self._dump = open(dump, "a") if dump else None  # noqa: SIM115 - open while beating
        self.interval_ms = interval_ms
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._beat)
        self._last = 0.0
        self.longest = 0.0
        self.beats = 0

    def start(self) -> None:
        self._last = time.perf_counter()
        self.longest = 0.0
        self.beats = 0
        self._timer.start()

    def stop(self) -> float:
        """Stops; the longest gap in ms (the time since the last tick counts too)."""
        self._beat()
        self._timer.stop()
        if self._dump is not None:
            faulthandler.cancel_dump_traceback_later()
            self._dump.flush()
        return self.longest * 1000.0

    @Slot()
    def _beat(self) -> None:
        if self._dump is not None:
            faulthandler.dump_traceback_later(STALL_DUMP_AFTER_S, file=self._dump)
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now
        self.beats += 1
