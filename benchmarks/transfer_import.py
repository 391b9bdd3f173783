"""Figure 6: the full JSON export read back into an empty database, in rows per second.

The export (every table, the audit log included) is written once, timed as a second line; each
import goes into a new, empty SQLite file made by the app (the schema is not part of the time).
"""

from __future__ import annotations

import time
from pathlib import Path

from benchmarks.common import BenchEnv, Result, child_main, log, peak_rss_mb
from benchmarks.database import DATA_DIR, remove_database


def measure(env: BenchEnv) -> list[Result]:
    from desktop.services.context import ServiceContext
    from desktop.services.transfer import TransferService
    from desktop.storage.database import open_database

    export = DATA_DIR / "scratch-export.json"
    source = open_database(env.db_path, migrate=False)
    try:
        started = time.perf_counter()
        rows = TransferService(ServiceContext.system(source)).export_file(export)
        export_s = time.perf_counter() - started
    finally:
        source.dispose()
    size_mb = export.stat().st_size / 1024 / 1024
    log(f"export: {rows:,} rows, {size_mb:,.0f} MB in {export_s:.1f} s")
    rates: list[float] = []
    try:
        for n in range(env.repeats):
            target = DATA_DIR / f"scratch-import-{n}.sqlite3"
            remove_database(target)
            db = open_database(target)
            try:
                started = time.perf_counter()
                imported = TransferService(ServiceContext.system(db)).import_file(export)
                elapsed = time.perf_counter() - started
            finally:
                db.dispose()
                remove_database(target)
            rates.append(imported / elapsed)
            log(f"import {n + 1}/{env.repeats}: {imported:,} rows in {elapsed:.1f} s")
    finally:
        Path(export).unlink(missing_ok=True)
    rss = peak_rss_mb()
    return [
        Result(
            figure="6",
            name="Import of the full JSON export",
            unit="rows/s",
            samples=rates,
            note=(
                f"{rows:,} rows, {size_mb:,.0f} MB of JSON into an empty SQLite file; "
                f"peak RSS of the importing process {rss:,.0f} MB"
            ),
        ),
        Result(
            figure="6b",
            name="Full JSON export (once)",
            unit="rows/s",
            samples=[rows / export_s],
            note=f"{export_s:.1f} s",
        ),
    ]


if __name__ == "__main__":
    child_main(measure)
