"""Figure 4: due times recomputed after a closure day is added, on a scratch copy each time.

Two lines: adding the closure through the settings service (the open comments whose clock runs
over that day are recomputed, as when a person adds it in Settings), and then recomputing the
stored due times of every comment in the database with that closure in the calendar.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from benchmarks.common import BenchEnv, Budget, Result, child_main, clocked, log
from benchmarks.database import scratch_copy

ZONE = "America/Regina"


def closure_day(env: BenchEnv) -> date:
    """The first weekday after the as-of day: it moves the due times of open comments."""
    day = env.as_of_time.astimezone(ZoneInfo(ZONE)).date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def add_closure(db: object, env: BenchEnv, **hooks: Any) -> date:
    """Adds the first free weekday from ``closure_day`` on; returns that day. ``hooks`` are
    the progress and cancel callbacks the GUI passes."""
    from desktop.errors import ConflictError, DomainError
    from desktop.services.context import ServiceContext
    from desktop.services.settings_service import SettingsService

    as_of = env.as_of_time
    service = SettingsService(ServiceContext(db, env.login, clock=lambda: as_of))  # type: ignore[arg-type]
    day = closure_day(env)
    for _ in range(14):
        try:
            service.add_closure(day, "Benchmark closure", **hooks)
            break
        except (DomainError, ConflictError):  # a holiday or a closure already: next weekday
            day += timedelta(days=1 if day.weekday() < 4 else 3)
    else:
        raise RuntimeError("no free weekday for a closure in two weeks")
    return day


def recompute_all(db: Any, **hooks: Any) -> int:
    """Every comment's due times recomputed in one write transaction; how many changed."""
    from desktop.services.clock import recompute_due_times

    with db.write() as session:
        return recompute_due_times(session, **hooks)


def measure(env: BenchEnv) -> list[Result]:
    from desktop.storage.database import open_database

    add_samples: list[float] = []
    full_samples: list[float] = []
    changed = 0
    day = closure_day(env)
    for n in range(env.repeats):
        with scratch_copy(env.db_path, f"recompute-{n}") as path:
            db = open_database(path, migrate=False)
            try:
                seconds, day = clocked(partial(add_closure, db, env))
                add_samples.append(seconds)
                seconds, changed = clocked(partial(recompute_all, db))
                full_samples.append(seconds)
            finally:
                db.dispose()
        log(
            f"recompute {n + 1}/{env.repeats}: add closure {add_samples[-1]:.2f} s, "
            f"all comments {full_samples[-1]:.2f} s ({changed:,} changed)"
        )
    return [
        Result(
            figure="4",
            name="Recompute due times of every comment",
            unit="s",
            samples=full_samples,
            budget=Budget(max_value=10.0),
            note=f"after closure {day:%a %Y-%m-%d}; {changed:,} rows changed in the last run",
        ),
        Result(
            figure="4b",
            name="Add a closure (open comments recomputed)",
            unit="s",
            samples=add_samples,
            budget=Budget(max_value=10.0),
            note="SettingsService.add_closure, one write transaction with its audit event",
        ),
    ]


if __name__ == "__main__":
    child_main(measure)
