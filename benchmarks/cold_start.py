"""Figure 1: cold start, from process start to the first paint of the main window, against a bare
PySide6 QMainWindow with a tab widget started and timed the same way; 1b: until the first tab
shows its data (1d: this start's own checks); 1c: the longest the window went unanswered in
between.

Each start is a fresh ``python -c`` process. The parent notes the wall clock just before it
spawns the process; the process prints the wall clock at each mark. The app is started as a
person starts it: ``desktop.cli.main`` (what the ``smgov`` command runs) with ``--db``, acting
as an administrator (the demo database's "act as" choice). The process only adds a watcher
before it: it makes the QApplication (the app takes the one that exists) and marks

- ``painted``: the first paint of the main window has finished (a zero-delay timer queued by
  its first paint event runs after the whole paint pass);
- ``attached``: the database is open and the window filled in (``MainWindow.app`` is set);
- ``shown``: the selected tab shows data, painted: for the Compliance tab the findings the last
  start showed (kept on the workstation, under "Last checked …") while the checks run again, or
  this start's when none were kept;
- ``usable``: the selected tab is built, no background work is running any more (this start's
  checks have arrived) and the window has been painted again;

and, for 1c, the longest gap of a 10 ms heartbeat on the GUI thread between the two.

One unmeasured start of each program comes first, so both read from a warm file cache.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

from benchmarks.common import BenchEnv, Budget, Result, child_main, log

# Shared by both programs: note the first paint of the top-level window.
_FIRST_PAINT = """
import os, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
def _mark(name):
    print(f"MARK {name} {time.time():.6f}", flush=True)
class _FirstPaint(QObject):
    def __init__(self, then):
        super().__init__()
        self.then = then
        self.seen = False
    def eventFilter(self, obj, event):
        if (not self.seen and event.type() == QEvent.Type.Paint and obj.isWidgetType()
                and obj.window().objectName() == "mainWindow"):
            self.seen = True
            QTimer.singleShot(0, self.painted)
        return False
    def painted(self):
        _mark("painted")
        self.then()
"""

BARE = (
    _FIRST_PAINT
    + """
from PySide6.QtWidgets import QApplication, QMainWindow, QTabWidget, QWidget
qapp = QApplication(sys.argv[:1])
window = QMainWindow()
window.setObjectName("mainWindow")
tabs = QTabWidget()
for title in ("Compliance", "Accounts", "Permissions", "Approvals", "Comments", "Evaluations"):
    tabs.addTab(QWidget(), title)
window.setCentralWidget(tabs)
window.resize(1280, 800)
watch = _FirstPaint(lambda: os._exit(0))  # the figure ends at the paint, not the shutdown
qapp.installEventFilter(watch)
window.show()
qapp.exec()
"""
)

# ``smgov --db TARGET`` as the command runs it, with the watcher added before.
APP = (
    _FIRST_PAINT
    + """
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
qapp = QApplication(sys.argv[:1])
class _Usable(QObject):
    def __init__(self):
        super().__init__()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.poll)
        # A 10 ms heartbeat from the first paint on: how long the window went unanswered.
        self.beat = QTimer(self)
        self.beat.setTimerType(Qt.TimerType.PreciseTimer)
        self.beat.timeout.connect(self.tick)
        self.last = 0.0
        self.longest = 0.0
        self.window = None  # the main window, once filled in
        self.shown = False
    def start(self):
        self.last = time.perf_counter()
        self.beat.start(10)
        self.timer.start(2)
    def tick(self):
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now
    def poll(self):
        if self.window is None:
            window = next(
                (w for w in qapp.topLevelWidgets() if w.objectName() == "mainWindow"), None
            )
            if window is None or window.app is None:
                return
            self.window = window
            _mark("attached")
            from desktop.views.worker import when_idle
            when_idle(lambda: self.done(window))  # after the app's own: its tab's loads are done
        tab = self.window.current_tab()
        if tab is not None and getattr(tab, "overview", None) is not None:
            self.show_data()
    def show_data(self):
        # The Compliance tab has findings on screen: the last start's, or this one's.
        self.timer.stop()
        if not self.shown:
            self.shown = True
            # The watcher's own paint (to mark "shown" once painted) is not a stall of the
            # app's: the heartbeat's gap is taken before it and starts again after it.
            self.tick()
            self.window.repaint()
            self.last = time.perf_counter()
            _mark("shown")
    def done(self, window):
        if window.current_tab() is None:
            raise SystemExit("no tab was built")
        self.show_data()
        # The data was painted before the app went idle; the watcher paints once more, to be
        # sure, and that paint of its own is not counted as a stall of the app's.
        self.tick()
        print(f"GAP {self.longest * 1000:.3f}", flush=True)
        window.repaint()
        _mark("usable")
        os._exit(0)
usable = _Usable()
watch = _FirstPaint(usable.start)
qapp.installEventFilter(watch)
from desktop.cli import main
main(["--db", sys.argv[1]])
raise SystemExit("the app ended before its first tab showed its data")
"""
)

START_TIMEOUT_S = 120


def start_once(code: str, args: list[str], home: str, last: str = "painted") -> dict[str, float]:
    """Seconds from just before the spawn to each mark the process printed."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SMGOV_HOME": home}
    env.pop("SMGOV_DATABASE_URL", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
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
        elif line.startswith("GAP "):
            marks["longest_gap"] = float(line.split()[1]) / 1000
    if last not in marks:
        raise RuntimeError(
            f"the start never reached {last!r} (exit {done.returncode}):\n{done.stderr}"
        )
    return marks


def _acting_as(db: str, login: str) -> None:
    """The app acts as ``login``: on demo data, the person chosen in the database."""
    from desktop.services.acting import choose_demo_person
    from desktop.storage.database import open_database

    chosen = open_database(db, migrate=False)
    try:
        choose_demo_person(chosen, login)
    finally:
        chosen.dispose()


def _demo_acts_as(env: BenchEnv) -> None:
    """The demo database acts as the administrator (the app's "act as" choice on demo data,
    stored in the database; the workstation's settings file no longer chooses)."""
    from desktop.services.acting import choose_demo_person, demo_person
    from desktop.storage.database import open_database

    db = open_database(env.db_path, migrate=False)
    try:
        if demo_person(db) != env.login:
            choose_demo_person(db, env.login)
    finally:
        db.dispose()


def measure(env: BenchEnv) -> list[Result]:
    args = [env.db]
    _demo_acts_as(env)
    app_runs: list[dict[str, float]] = []
    bare_runs: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="smgov-bench-") as home:
        _acting_as(env.db, env.login)
        start_once(BARE, [], home)
        start_once(APP, args, home, "usable")
        for n in range(env.repeats):
            bare_runs.append(start_once(BARE, [], home))
            app_runs.append(start_once(APP, args, home, "usable"))
            log(
                f"cold start {n + 1}/{env.repeats}: app painted "
                f"{app_runs[-1]['painted'] * 1000:.0f} ms, usable "
                f"{app_runs[-1]['usable'] * 1000:.0f} ms; bare "
                f"{bare_runs[-1]['painted'] * 1000:.0f} ms"
            )

    def phase(name: str, before: str | None) -> float:
        spans = [r[name] - (r[before] if before else 0.0) for r in app_runs]
        return statistics.median(spans) * 1000

    note = (
        f"app phases (median ms): first paint {phase('painted', None):.0f}, database open and "
        f"window filled in {phase('attached', 'painted'):.0f} later, first tab's data "
        f"shown {phase('shown', 'attached'):.0f} after that, this start's checks "
        f"{phase('usable', 'shown'):.0f} after that"
    )
    bare = [r["painted"] * 1000 for r in bare_runs]
    return [
        Result(
            figure="1",
            name="Cold start to first paint",
            unit="ms",
            samples=[r["painted"] * 1000 for r in app_runs],
            baseline_name="bare QMainWindow + QTabWidget",
            baseline_samples=bare,
            budget=Budget(max_ratio=2.0),
            note=note,
        ),
        Result(
            figure="1b",
            name="Cold start until the first tab shows its data",
            unit="ms",
            samples=[r["shown"] * 1000 for r in app_runs],
            baseline_name="bare QMainWindow + QTabWidget",
            baseline_samples=bare,
            budget=Budget(max_ratio=3.5),
            note="the Compliance tab with the findings of the last start (kept on the "
            "workstation, the header says 'Last checked …') while every check runs again",
        ),
        Result(
            figure="1d",
            name="Cold start until this start's checks are shown",
            unit="ms",
            samples=[r["usable"] * 1000 for r in app_runs],
            baseline_name="bare QMainWindow + QTabWidget",
            baseline_samples=bare,
            note="every check run on the large database, its findings listed (1b's "
            "figure before the last start's findings were kept)",
        ),
        Result(
            figure="1c",
            name="Longest GUI stall from first paint to the first tab's data",
            unit="ms",
            samples=[r["longest_gap"] * 1000 for r in app_runs],
            budget=Budget(max_value=100),
            note="10 ms heartbeat on the GUI thread while the database opens in the background, "
            "the window is filled in and the first tab loads (the watcher's own paints not "
            "counted)",
        ),
    ]


if __name__ == "__main__":
    child_main(measure)
