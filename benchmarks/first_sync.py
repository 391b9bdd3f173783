"""Figure 9: the first sync of a new workstation — ``smgov replica create`` from a hub holding
the large demo — its time, its peak memory, and how it resumes after being killed.

The hub is a throwaway PostgreSQL cluster of the figure's own (the tests' ``Cluster``: initdb
and pg_ctl as the postgres user, on a free port of 127.0.0.1, in a temporary folder, removed
afterwards; the shared server is never touched). The demo is loaded into it outside the timing:
the app's migrations make the schema, every table's rows are copied from the SQLite file with
``COPY … FROM STDIN``, then ``smgov hub init`` and ``smgov hub add-login`` run as a DBA would,
for the demo's administrator, whose login the workstation then uses.

Each replica is made by ``smgov replica create HUB_URL PATH`` in a process of its own (the
command a person runs, progress on stderr), so its wall time includes starting Python and its
peak resident memory (``wait4``'s rusage) is its alone: 9 the time, 9b the memory. The baseline
is the floor of moving the same rows: a process that reads every replicated table of the hub
with ``COPY … TO STDOUT`` and throws the bytes away. 9c kills a replica creation with SIGKILL
halfway through and runs the same command again: the time of the second run, which continues
from the last committed batch. Every replica made is checked against the hub, table by table
(row counts).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import BenchEnv, Budget, Result, child_main, log
from benchmarks.database import DATA_DIR, remove_database

RSS_BUDGET_MB = 500
TIME_BUDGET_S = 600  # "finishes in minutes" on two shared cores
HUB_NAME = "smgov_hub"

# The floor: every replicated table's rows read over the wire, nothing done with them.
_COPY_OUT = """
import json, sys, time
import psycopg
from desktop.hub.changes import replicated_tables
started = time.perf_counter()
total = 0
with psycopg.connect(sys.argv[1]) as conn:
    for table in replicated_tables():
        with conn.cursor().copy(f'COPY "{table.name}" TO STDOUT') as copy:
            for block in copy:
                total += len(block)
print(json.dumps({"bytes": total, "seconds": time.perf_counter() - started}))
"""
# What a person runs on a new workstation (``smgov replica create HUB_URL PATH``).
_CREATE = """
import sys
from desktop.cli import main
sys.exit(main(["replica", "create", sys.argv[1], sys.argv[2]]))
"""


def _child(script: str, *args: str, stderr: Path) -> subprocess.Popen[str]:
    with stderr.open("w") as err:
        return subprocess.Popen(
            [sys.executable, "-c", script, *args], stdout=subprocess.PIPE, stderr=err, text=True
        )


def _wait(proc: subprocess.Popen[str]) -> tuple[int, float, str]:
    """The child's exit code, its peak RSS in MB and its stdout."""
    assert proc.stdout is not None
    out = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    peak = usage.ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else usage.ru_maxrss / 1024
    return code, peak, out


def _last_lines(path: Path, n: int = 3) -> str:
    lines = path.read_text(errors="replace").strip().splitlines() if path.exists() else []
    return " | ".join(line.strip() for line in lines[-n:])


# -- the hub -----------------------------------------------------------------------------------


def _pg_url(cluster: Any, database: str, user: str = "postgres") -> str:
    return f"postgresql://{user}@127.0.0.1:{cluster.port}/{database}"


def load_hub(cluster: Any, source: Path, login: str) -> tuple[str, dict[str, int]]:
    """The demo in a new hub database on ``cluster``; its URL for ``login`` and its row counts."""
    import psycopg

    from desktop.models import Base
    from desktop.storage.database import open_database

    with psycopg.connect(_pg_url(cluster, "postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{HUB_NAME}"')
    dba = _pg_url(cluster, HUB_NAME)
    started = time.perf_counter()
    open_database(dba.replace("postgresql://", "postgresql+psycopg://", 1)).dispose()  # schema
    tables = list(Base.metadata.sorted_tables)
    counts: dict[str, int] = {}
    lite = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)
    try:
        with psycopg.connect(dba) as pg:
            # The SQLite file's stored values are PostgreSQL's text input for the same columns
            # (instants as UTC text, ids as 32 hex digits, booleans 0/1): no conversion needed.
            pg.execute("SET TimeZone = 'UTC'")
            pg.execute("SET session_replication_role = replica")  # no FK or trigger per row
            pg.execute("TRUNCATE " + ", ".join(f'"{t.name}"' for t in tables) + " CASCADE")
            for table in tables:
                cols = [c.name for c in table.columns]
                names = ", ".join(f'"{c}"' for c in cols)
                n = 0
                with pg.cursor().copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
                    for row in lite.execute(f'SELECT {names} FROM "{table.name}"'):
                        copy.write_row(row)
                        n += 1
                counts[table.name] = n
                if n >= 100_000:
                    log(f"hub: {table.name} {n:,} rows")
            for table in tables:
                for col in table.primary_key.columns:
                    seq = pg.execute(
                        "SELECT pg_get_serial_sequence(%s, %s)", (f'"{table.name}"', col.name)
                    ).fetchone()
                    if seq and seq[0]:
                        pg.execute(
                            f'SELECT setval(%s, coalesce((SELECT max("{col.name}") '
                            f'FROM "{table.name}"), 0) + 1, false)',
                            (seq[0],),
                        )
        with psycopg.connect(dba, autocommit=True) as pg:
            pg.execute("VACUUM ANALYZE")
    finally:
        lite.close()
    log(f"hub: {sum(counts.values()):,} rows loaded in {time.perf_counter() - started:.0f} s")
    for command in (["hub", "init", dba], ["hub", "add-login", dba, login]):
        done = subprocess.run(
            [sys.executable, "-m", "desktop.cli", *command],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"smgov {' '.join(command[:2])} failed: {done.stderr.strip()}")
        log(f"smgov {' '.join(command[:2])}: {done.stdout.strip()}")
    return _pg_url(cluster, HUB_NAME, login), counts


def replica_counts(path: Path, tables: list[str]) -> dict[str, int]:
    """Each table's rows in the file (0 for a table not made yet: a creation killed early)."""
    con = sqlite3.connect(path)
    try:
        made = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return {
            t: int(con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) if t in made else 0
            for t in tables
        }
    finally:
        con.close()


def copy_state(path: Path) -> dict[str, Any]:
    """How far an interrupted creation got (the replica's own note, sync_state 'first_copy')."""
    con = sqlite3.connect(path)
    try:
        row = con.execute("SELECT value FROM sync_state WHERE key = 'first_copy'").fetchone()
    except sqlite3.Error:
        return {}
    finally:
        con.close()
    return json.loads(row[0]) if row else {}


def check(path: Path, hub_counts: dict[str, int]) -> int:
    """The replica holds as many rows as the hub in every replicated table; their total."""
    got = replica_counts(path, list(hub_counts))
    wrong = {t: (got[t], n) for t, n in hub_counts.items() if got[t] != n}
    if wrong:
        raise RuntimeError(f"the replica differs from the hub (replica, hub): {wrong}")
    return sum(got.values())


# One first sync per run (about 9 minutes on two cores; then one killed and resumed, 9c): three
# would add 20 minutes to a full run for a figure whose spread is a few per cent.
SYNC_RUNS = 1

# -- the figure --------------------------------------------------------------------------------


def create(url: str, target: Path, log_file: Path) -> tuple[float, float]:
    """``smgov replica create`` in a process of its own: seconds and peak RSS in MB."""
    started = time.perf_counter()
    code, peak, out = _wait(_child(_CREATE, url, str(target), stderr=log_file))
    seconds = time.perf_counter() - started
    if code:
        raise RuntimeError(f"smgov replica create failed ({code}): {_last_lines(log_file)}")
    log(f"replica create: {out.strip()} ({seconds:.1f} s, peak {peak:,.0f} MB)")
    return seconds, peak


def measure(env: BenchEnv) -> list[Result]:
    from desktop.hub.changes import LOCAL_ONLY
    from tests.sync.pgcluster import Cluster

    cluster = Cluster()
    cluster.start()
    work = DATA_DIR / "first-sync"
    work.mkdir(parents=True, exist_ok=True)
    try:
        url, counts = load_hub(cluster, env.db_path, env.login)
        hub_counts = {t: n for t, n in counts.items() if t not in LOCAL_ONLY}
        rows = sum(hub_counts.values())
        comments = hub_counts.get("comments", 0)

        floor: list[float] = []
        for _ in range(env.repeats):
            code, _peak, out = _wait(_child(_COPY_OUT, url, stderr=work / "copy.log"))
            if code:
                raise RuntimeError(f"COPY TO STDOUT failed: {_last_lines(work / 'copy.log')}")
            done = json.loads(out.strip().splitlines()[-1])
            floor.append(done["seconds"])
            log(f"baseline: {done['bytes'] / 2**20:,.0f} MB of COPY in {done['seconds']:.1f} s")

        times: list[float] = []
        peaks: list[float] = []
        replica_mb = 0.0
        digests = 0
        for n in range(min(env.repeats, SYNC_RUNS)):
            target = work / f"replica-{n}.sqlite3"
            remove_database(target)
            try:
                seconds, peak = create(url, target, work / "create.log")
                check(target, hub_counts)
                replica_mb = target.stat().st_size / 2**20
                digests = replica_counts(target, ["record_digests"])["record_digests"]
            finally:
                remove_database(target)
            times.append(seconds)
            peaks.append(peak)

        resumed, resume_note = interrupted(url, work, sorted(times)[len(times) // 2], hub_counts)
    finally:
        cluster.destroy()
        for leftover in work.glob("*"):
            leftover.unlink(missing_ok=True)
        work.rmdir()
    return [
        Result(
            figure="9",
            name="First sync: smgov replica create from the hub",
            unit="s",
            samples=times,
            baseline_name="COPY TO STDOUT of the same tables",
            baseline_samples=floor,
            budget=Budget(max_value=TIME_BUDGET_S),
            note=f"{rows:,} rows ({comments:,} comments) from a PostgreSQL hub on this machine "
            f"into a new {replica_mb:,.0f} MB SQLite file, checked table by table; the "
            "process's whole life (start, schema, copy, first pull). Record digests (kept by "
            f"each copy, not compared): {digests:,} on the replica, "
            f"{counts.get('record_digests', 0):,} on the hub",
        ),
        Result(
            figure="9b",
            name="First sync: peak RSS of the process",
            unit="MB",
            samples=peaks,
            budget=Budget(max_value=RSS_BUDGET_MB),
            note="batches of 5,000 rows, each committed with a note of how far the copy got",
        ),
        Result(
            figure="9c",
            name="First sync resumed after SIGKILL halfway: the second run",
            unit="s",
            samples=[resumed],
            baseline_name="an uninterrupted first sync",
            baseline_samples=times,
            note=resume_note,
        ),
    ]


def interrupted(
    url: str, work: Path, full_s: float, hub_counts: dict[str, int]
) -> tuple[float, str]:
    """Kill a creation halfway (SIGKILL), run the same command again: its seconds and a note."""
    target = work / "replica-killed.sqlite3"
    remove_database(target)
    try:
        proc = _child(_CREATE, url, str(target), stderr=work / "killed.log")
        time.sleep(full_s / 2)
        if proc.poll() is not None:
            raise RuntimeError("the creation finished before it could be interrupted")
        os.kill(proc.pid, signal.SIGKILL)
        _wait(proc)
        state = copy_state(target)
        tables = list(hub_counts)
        before = replica_counts(target, tables)
        copied = sum(before.values())
        log(
            f"killed after {full_s / 2:.0f} s: {copied:,} rows already in the file, "
            f"tables done {len(state.get('done', []))} of {len(tables)}, "
            f"stopped in {_current_table(state, tables)}"
        )
        seconds, _peak = create(url, target, work / "resumed.log")
        total = check(target, hub_counts)
    finally:
        remove_database(target)
    note = (
        f"killed {full_s / 2:.0f} s in with {copied:,} of {total:,} rows committed "
        f"(in {_current_table(state, tables)}); the same command again continued from there "
        "and the replica matches the hub"
    )
    return seconds, note


def _current_table(state: dict[str, Any], tables: list[str]) -> str:
    done = set(state.get("done", []))
    for name in tables:
        if name not in done:
            return name
    return "the first pull"


if __name__ == "__main__":
    child_main(measure)
