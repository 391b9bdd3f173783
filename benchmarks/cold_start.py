"""Figure 1: cold start, from process start to the first paint of the main window, against a bare
PySide6 QMainWindow with a tab widget started and timed the same way.

Each start is a fresh ``python -c`` process. The parent notes the wall clock just before it
spawns the process; the process prints the wall clock when the first paint of its window has
finished (a zero-delay timer queued by the window's first paint event runs after the whole
paint pass). One unmeasured start of each comes first, so both read from a warm file cache.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

from benchmarks.common import BenchEnv, Budget, Result, child_main, log

# Shared by both programs: note the first paint of the top-level window, then leave.
_FIRST_PAINT = """
import os, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
def _mark(name):
    print(f"MARK {name} {time.time():.6f}", flush=True)
class _FirstPaint(QObject):
    def __init__(self, window):
        super().__init__()
        self.window = window
        self.seen = False
    def eventFilter(self, obj, event):
        if (not self.seen and event.type() == QEvent.Type.Paint
                and hasattr(obj, "window") and obj.window() is self.window):
            self.seen = True
            QTimer.singleShot(0, self.done)
        return False
    def done(self):
        _mark("painted")
        os._exit(0)  # the figure ends at the paint; shutting down is not part of it
"""

BARE = (
    _FIRST_PAINT
    + """
from PySide6.QtWidgets import QApplication, QMainWindow, QTabWidget, QWidget
qapp = QApplication(sys.argv[:1])
window = QMainWindow()
tabs = QTabWidget()
for title in ("Compliance", "Accounts", "Permissions", "Approvals", "Comments", "Evaluations"):
    tabs.addTab(QWidget(), title)
window.setCentralWidget(tabs)
window.resize(1280, 800)
watch = _FirstPaint(window)
qapp.installEventFilter(watch)
_mark("built")
window.show()
qapp.exec()
"""
)

# What desktop.views.app.run does up to the window, acting as a known administrator.
APP = (
    _FIRST_PAINT
    + """
from datetime import datetime
from PySide6.QtWidgets import QApplication
from desktop.views.app import apply_style, configure_logging
from desktop.views.icons import icon
from desktop.views.main_window import APP_TITLE, MainWindow
from desktop.views.ui_state import UiState
from desktop.services.session import open_app
_mark("imported")
target, login, as_of = sys.argv[1:4]
configure_logging()
qapp = QApplication(sys.argv[:1])
qapp.setApplicationName("smgov-desk")
qapp.setApplicationDisplayName(APP_TITLE)
qapp.setWindowIcon(icon("app"))
apply_style(qapp)
moment = datetime.fromisoformat(as_of)
app = open_app(target, login, clock=lambda: moment)
if app.is_empty():
    raise SystemExit("the database is empty")
actor = app.actor()
_mark("opened")
window = MainWindow(app, actor, ui_state=UiState.in_memory())
watch = _FirstPaint(window)
qapp.installEventFilter(watch)
_mark("built")
window.show()
qapp.exec()
"""
)

START_TIMEOUT_S = 120


def start_once(code: str, args: list[str], home: str) -> dict[str, float]:
    """Seconds from just before the spawn to each mark the process printed."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SMGOV_HOME": home}
    env.pop("SMGOV_DATABASE_URL", None)
    spawned = time.time()
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT_S,
        check=False,
    )
    marks = {}
    for line in done.stdout.splitlines():
        if line.startswith("MARK "):
            _, name, at = line.split()
            marks[name] = float(at) - spawned
    if "painted" not in marks:
        raise RuntimeError(f"the window never painted (exit {done.returncode}):\n{done.stderr}")
    return marks


def measure(env: BenchEnv) -> list[Result]:
    args = [env.db, env.login, env.as_of]
    app_runs: list[dict[str, float]] = []
    bare_runs: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="smgov-bench-") as home:
        start_once(BARE, [], home)
        start_once(APP, args, home)
        for n in range(env.repeats):
            bare_runs.append(start_once(BARE, [], home))
            app_runs.append(start_once(APP, args, home))
            log(
                f"cold start {n + 1}/{env.repeats}: app {app_runs[-1]['painted'] * 1000:.0f} ms, "
                f"bare {bare_runs[-1]['painted'] * 1000:.0f} ms"
            )

    def phase(name: str, before: str | None) -> float:
        spans = [r[name] - (r[before] if before else 0.0) for r in app_runs]
        return statistics.median(spans) * 1000

    note = (
        f"app phases (median ms): imports {phase('imported', None):.0f}, "
        f"open database {phase('opened', 'imported'):.0f}, "
        f"build window {phase('built', 'opened'):.0f}, "
        f"show to first paint {phase('painted', 'built'):.0f}; "
        f"bare window imports+build {statistics.median(r['built'] for r in bare_runs) * 1000:.0f}"
    )
    return [
        Result(
            figure="1",
            name="Cold start to first paint",
            unit="ms",
            samples=[r["painted"] * 1000 for r in app_runs],
            baseline_name="bare QMainWindow + QTabWidget",
            baseline_samples=[r["painted"] * 1000 for r in bare_runs],
            budget=Budget(max_ratio=2.0),
            note=note,
        )
    ]


if __name__ == "__main__":
    child_main(measure)
