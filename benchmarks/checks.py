"""Figure 3: every compliance check at the database's as-of time, as the dashboard runs them."""

from __future__ import annotations

from benchmarks.common import BenchEnv, Budget, Result, child_main, clocked, log


def measure(env: BenchEnv) -> list[Result]:
    from desktop.services.compliance import ComplianceService
    from desktop.services.context import ServiceContext
    from desktop.storage.database import open_database

    db = open_database(env.db_path, migrate=False)
    service = ComplianceService(ServiceContext(db, env.login))
    as_of = env.as_of_time
    samples: list[float] = []
    found = 0
    try:
        for n in range(env.repeats):
            seconds, findings = clocked(lambda: service.run(as_of))
            samples.append(seconds)
            found = len(findings)
            log(f"checks {n + 1}/{env.repeats}: {samples[-1]:.2f} s, {found:,} findings")
    finally:
        db.dispose()
    return [
        Result(
            figure="3",
            name="All compliance checks",
            unit="s",
            samples=samples,
            budget=Budget(max_value=2.0),
            note=f"{found:,} findings",
        )
    ]


if __name__ == "__main__":
    child_main(measure)
