"""Figure 7: the longest stall of the GUI thread while long work runs in the background.

A 10 ms heartbeat timer ticks on the GUI thread while ``run_in_background`` (the app's one way
to run long work) generates the portfolio PDF, adds a closure day (recomputing the open
comments' due times, as the Settings dialog does) and recomputes the due times of every comment.
The parent is the real main window on the same database, started the way the app starts it
(``AppController``: its heap, timers, tabs and garbage-collector state as in the app); the
progress dialog appears after its usual delay and repaints with each progress report.
The baseline is the same heartbeat while the pool only sleeps: the machine's own noise. The
writes go to a scratch copy.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks.common import BenchEnv, Budget, Result, child_main, log
from benchmarks.database import scratch_copy
from benchmarks.gui import Heartbeat, offscreen_app, settle, start_app, wait_for
from benchmarks.portfolio_pdf import half_year
from benchmarks.recompute import add_closure, recompute_all

WINDOW_SIZE = (1280, 800)
IDLE_S = 2.0  # the baseline: the same heartbeat while the pool only sleeps


def longest_gap(parent: Any, work: Callable[[Any], object], label: str) -> float:
    """Milliseconds of the longest heartbeat gap while ``work(progress)`` runs on the pool."""
    from desktop.views.worker import run_in_background

    failures: list[BaseException] = []
    beat = Heartbeat()
    beat.start()
    task = run_in_background(
        parent,
        work,
        on_success=lambda _result: None,
        on_failure=failures.append,
        progress_label=label,
        cancellable=True,
    )
    wait_for(task.finished, timeout_ms=600_000)
    gap = beat.stop()
    if failures:
        raise RuntimeError(f"{label}: {failures[0]!r}") from failures[0]
    return gap


def _with_hooks(fn: Callable[..., object], *args: Any) -> object:
    """``fn`` called with all but the last argument, and the progress and cancel callbacks
    the app's dialogs make of that last one (the task's Progress)."""
    from desktop.views.calendar_page import recompute_hooks

    *head, progress = args
    return fn(*head, **recompute_hooks(progress))


def measure(env: BenchEnv) -> list[Result]:
    from desktop.reports.service import generate_report
    from desktop.reports.spec import ReportKind, ReportSpec
    from desktop.storage.database import open_database

    qapp = offscreen_app()
    as_of = env.as_of_time
    # The real main window on the same database: the GUI thread's heap and timers as in the
    # app (a collection of the heap's older objects stalls every thread, the GUI's included).
    controller, window = start_app(qapp, env)
    app = controller.services
    window.resize(*WINDOW_SIZE)
    settle(qapp)
    spec = ReportSpec(kind=ReportKind.PORTFOLIO, period=half_year(as_of), as_of=as_of)
    gaps: dict[str, list[float]] = {"pdf": [], "closure": [], "all": []}
    idle: list[float] = []
    with tempfile.TemporaryDirectory(prefix="smgov-bench-gui-") as folder:
        target = Path(folder) / "portfolio.pdf"
        for n in range(env.repeats):
            idle.append(longest_gap(window, lambda _p: time.sleep(IDLE_S), "Waiting…"))
            gaps["pdf"].append(
                longest_gap(
                    window,
                    lambda p: generate_report(
                        app.ctx, spec, target, progress=p.report, cancelled=p.is_cancelled
                    ),
                    "Generating the portfolio report…",
                )
            )
            with scratch_copy(env.db_path, f"gui-{n}") as path:
                db = open_database(path, migrate=False)
                try:
                    gaps["closure"].append(
                        longest_gap(
                            window,
                            partial(_with_hooks, add_closure, db, env),
                            "Adding the closure…",
                        )
                    )
                    gaps["all"].append(
                        longest_gap(window, partial(_with_hooks, recompute_all, db), "Recomputing…")
                    )
                finally:
                    db.dispose()
            log(
                f"responsiveness {n + 1}/{env.repeats}: idle {idle[-1]:.0f} ms, "
                + ", ".join(f"{k} {v[-1]:.0f} ms" for k, v in gaps.items())
            )
    window.close()
    controller.shutdown()
    rows = [
        ("7a", "Longest GUI stall: portfolio PDF", "pdf"),
        ("7b", "Longest GUI stall: add a closure", "closure"),
        ("7c", "Longest GUI stall: recompute every comment", "all"),
    ]
    return [
        Result(
            figure=fig,
            name=name,
            unit="ms",
            samples=gaps[key],
            baseline_name=f"idle: {IDLE_S:g} s sleep on the pool",
            baseline_samples=idle,
            budget=Budget(max_value=100),
            note="10 ms heartbeat on the GUI thread; work on the thread pool",
        )
        for fig, name, key in rows
    ]


if __name__ == "__main__":
    child_main(measure)
