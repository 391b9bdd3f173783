"""Figure 6: the full JSON export and its import into an empty database, streamed.

Each export and each import runs in a process of its own, started from this one, so that its
peak resident memory (``wait4``'s rusage) is its alone: 6 is the import in rows per second,
6b the export, 6c and 6d the peak memory of the exporting and the importing process against
the 500 MB budget. Each import goes into a new, empty SQLite file made by the app (the schema
is not part of the time).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks.common import BenchEnv, Budget, Result, child_main, log
from benchmarks.database import DATA_DIR, remove_database

RSS_BUDGET_MB = 500

_EXPORT = """
import json, sys, time
from pathlib import Path
from desktop.services.context import ServiceContext
from desktop.services.transfer import TransferService
from desktop.storage.database import open_database
db = open_database(sys.argv[1], migrate=False)
started = time.perf_counter()
rows = TransferService(ServiceContext(db, sys.argv[3])).export_file(Path(sys.argv[2]))
print(json.dumps({"rows": rows, "seconds": time.perf_counter() - started}))
"""
_IMPORT = """
import json, sys, time
from pathlib import Path
from desktop.services.context import ServiceContext
from desktop.services.transfer import TransferService
from desktop.storage.database import open_database
db = open_database(sys.argv[1])
started = time.perf_counter()
summary = TransferService(ServiceContext(db, sys.argv[3])).import_file(Path(sys.argv[2]))
print(json.dumps({"rows": summary.rows, "seconds": time.perf_counter() - started}))
"""


def _run(script: str, *args: str) -> tuple[dict[str, Any], float]:
    """Run ``script`` in a new interpreter; its JSON line and its peak RSS in MB."""
    proc = subprocess.Popen(
        [sys.executable, "-c", script, *args], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    out = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise RuntimeError(f"the child process failed (exit {proc.returncode})")
    peak = usage.ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else usage.ru_maxrss / 1024
    return json.loads(out.strip().splitlines()[-1]), peak


def measure(env: BenchEnv) -> list[Result]:
    export = DATA_DIR / "scratch-export.json"
    # The large demo is demo data: its administrator exports, anybody may restore it.
    done, export_rss = _run(_EXPORT, env.db_path, str(export), env.login)
    rows, export_s = done["rows"], done["seconds"]
    size_mb = export.stat().st_size / 1024 / 1024
    log(f"export: {rows:,} rows, {size_mb:,.0f} MB in {export_s:.1f} s, peak {export_rss:,.0f} MB")
    rates: list[float] = []
    import_rss: list[float] = []
    try:
        for n in range(env.repeats):
            target = DATA_DIR / f"scratch-import-{n}.sqlite3"
            remove_database(target)
            from desktop.storage.database import open_database

            open_database(target).dispose()  # the schema, outside the timed process
            try:
                done, peak = _run(_IMPORT, str(target), str(export), env.login)
            finally:
                remove_database(target)
            rates.append(done["rows"] / done["seconds"])
            import_rss.append(peak)
            log(
                f"import {n + 1}/{env.repeats}: {done['rows']:,} rows in "
                f"{done['seconds']:.1f} s, peak {peak:,.0f} MB"
            )
    finally:
        Path(export).unlink(missing_ok=True)
    return [
        Result(
            figure="6",
            name="Import of the full JSON export",
            unit="rows/s",
            samples=rates,
            note=f"{rows:,} rows, {size_mb:,.0f} MB of JSON into an empty SQLite file",
        ),
        Result(
            figure="6b",
            name="Full JSON export (once)",
            unit="rows/s",
            samples=[rows / export_s],
            note=f"{export_s:.1f} s",
        ),
        Result(
            figure="6c",
            name="Full JSON export: peak RSS of the process",
            unit="MB",
            samples=[export_rss],
            budget=Budget(max_value=RSS_BUDGET_MB),
            note="streamed row by row from a server-side cursor",
        ),
        Result(
            figure="6d",
            name="Import of the full JSON export: peak RSS of the process",
            unit="MB",
            samples=import_rss,
            budget=Budget(max_value=RSS_BUDGET_MB),
            note="read row by row, validated as it goes, one transaction; before streaming "
            "6,715 MB (the whole document in memory)",
        ),
    ]


if __name__ == "__main__":
    child_main(measure)
