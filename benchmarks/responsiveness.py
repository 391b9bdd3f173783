"""Figure 7: the longest stall of the GUI thread while long work runs in the background.

A 10 ms heartbeat timer ticks on the GUI thread while ``run_in_background`` (the app's one way
to run long work) generates the portfolio PDF, adds a closure day (recomputing the open
comments' due times, as the Settings dialog does) and recomputes the due times of every comment.
The progress dialog appears after its usual delay and repaints with each progress report, as
in the app. The writes go to a scratch copy.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.common import BenchEnv, Budget, Result, child_main, log
from benchmarks.database import scratch_copy
from benchmarks.gui import Heartbeat, offscreen_app, wait_for
from benchmarks.portfolio_pdf import half_year
from benchmarks.recompute import add_closure

WINDOW_SIZE = (1280, 800)


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


def measure(env: BenchEnv) -> list[Result]:
    from PySide6.QtWidgets import QMainWindow

    from desktop.reports.service import generate_report
    from desktop.reports.spec import ReportKind, ReportSpec
    from desktop.services.clock import recompute_due_times
    from desktop.services.context import ServiceContext
    from desktop.storage.database import open_database
    from desktop.views.calendar_page import recompute_hooks

    qapp = offscreen_app()
    window = QMainWindow()
    window.resize(*WINDOW_SIZE)
    window.show()
    qapp.processEvents()
    as_of = env.as_of_time
    spec = ReportSpec(kind=ReportKind.PORTFOLIO, period=half_year(as_of), as_of=as_of)
    gaps: dict[str, list[float]] = {"pdf": [], "closure": [], "all": []}
    with tempfile.TemporaryDirectory(prefix="smgov-bench-gui-") as folder:
        target = Path(folder) / "portfolio.pdf"
        for n in range(env.repeats):
            db = open_database(env.db_path, migrate=False)
            ctx = ServiceContext.system(db, clock=lambda: as_of)
            try:
                gaps["pdf"].append(
                    longest_gap(
                        window,
                        lambda p: generate_report(
                            ctx, spec, target, progress=p.report, cancelled=p.is_cancelled
                        ),
                        "Generating the portfolio report…",
                    )
                )
            finally:
                db.dispose()
            with scratch_copy(env.db_path, f"gui-{n}") as path:
                db = open_database(path, migrate=False)
                try:
                    gaps["closure"].append(
                        longest_gap(window, lambda _p: add_closure(db, env), "Adding the closure…")
                    )

                    def recompute_all(progress: Any) -> int:
                        with db.write() as session:
                            return recompute_due_times(session, **recompute_hooks(progress))

                    gaps["all"].append(
                        longest_gap(window, recompute_all, "Recomputing due times…")
                    )
                finally:
                    db.dispose()
            log(
                f"responsiveness {n + 1}/{env.repeats}: "
                + ", ".join(f"{k} {v[-1]:.0f} ms" for k, v in gaps.items())
            )
    window.close()
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
            budget=Budget(max_value=100),
            note="10 ms heartbeat on the GUI thread; work on the thread pool",
        )
        for fig, name, key in rows
    ]


if __name__ == "__main__":
    child_main(measure)
