"""``python -m benchmarks.run [--db PATH] [--quick] [--only 1,2]``: measure every figure on the
large demo database, print the table and write benchmarks/results.json.

Each figure runs in its own process (its peak memory is its own; one failing figure does not
lose the others) and is measured three times, the median reported (once with ``--quick``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.common import RESULTS_MARK, BenchEnv, Result, log
from benchmarks.database import DATA_DIR, admin_login, comment_count, demo_as_of, prepare
from benchmarks.machine import describe_machine, load_average, machine_line

ROOT = Path(__file__).resolve().parent.parent
RESULTS_FILE = Path(__file__).resolve().parent / "results.json"
FIGURES: dict[str, tuple[str, str]] = {
    "1": ("benchmarks.cold_start", "Cold start"),
    "2": ("benchmarks.comment_log", "Comment log"),
    "3": ("benchmarks.checks", "Compliance checks"),
    "4": ("benchmarks.recompute", "Due-time recomputation"),
    "5": ("benchmarks.portfolio_pdf", "Portfolio PDF"),
    "6": ("benchmarks.transfer_import", "JSON import"),
    "7": ("benchmarks.responsiveness", "GUI responsiveness"),
    "8": ("benchmarks.wan", "Shared PostgreSQL across a 20 ms WAN"),
    "9": ("benchmarks.first_sync", "First sync of a replica"),
    "10": ("benchmarks.replica_use", "A workstation with a replica: local actions, sync"),
}
FIGURE_TIMEOUT_S = 3 * 3600
NO_ENV = frozenset({"PYTHONDONTWRITEBYTECODE", "SMGOV_DATABASE_URL"})


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    p.add_argument(
        "--db",
        help="a large demo database to measure (copied first, never changed); by default "
        "benchmarks/data/large.sqlite3, generated on the first run",
    )
    p.add_argument("--quick", action="store_true", help="measure each figure once, not 3 times")
    p.add_argument("--only", help="comma-separated figure numbers, e.g. 2,7 (default: all)")
    p.add_argument("--output", type=Path, default=RESULTS_FILE, help="where to write the JSON")
    p.add_argument(
        "--markdown",
        action="store_true",
        help="print the table of an existing results file as Markdown and exit",
    )
    return p.parse_args(argv)


def _shown(path: Path) -> str:
    """A path inside the project relative to it, any other by its name."""
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return path.name


def run_figure(number: str, env: BenchEnv, home: str) -> tuple[list[Result], dict[str, Any]]:
    module, title = FIGURES[number]
    log(f"figure {number}: {title}")
    load_before = load_average()
    started = time.perf_counter()
    # Bytecode is cached (under benchmarks/data/, not beside the sources) as in an installed
    # app; compiling every module from source on each start would be measured otherwise.
    child_env = {
        "QT_QPA_PLATFORM": "offscreen",
        "SMGOV_HOME": home,
        "PYTHONPYCACHEPREFIX": str(Path(env.data_dir) / "pycache"),
    }
    done = subprocess.run(
        [sys.executable, "-m", module, env.to_arg()],
        cwd=ROOT,
        env={k: v for k, v in {**os.environ, **child_env}.items() if k not in NO_ENV},
        stdout=subprocess.PIPE,
        text=True,
        timeout=FIGURE_TIMEOUT_S,
        check=False,
    )
    meta = {
        "figure": number,
        "title": title,
        "seconds": round(time.perf_counter() - started, 1),
        "load_average_before": load_before,
        "load_average_after": load_average(),
        "exit_code": done.returncode,
    }
    for line in done.stdout.splitlines():
        if line.startswith(RESULTS_MARK):
            rows = json.loads(line[len(RESULTS_MARK) :])
            return [Result.from_json(r) for r in rows], meta
    failed = Result(number, title, "", [], error=f"the figure's process failed ({done.returncode})")
    return [failed], meta


# -- the table -------------------------------------------------------------------------------


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "rows/s":
        return f"{value:,.0f} rows/s"
    if unit == "s":
        return f"{value:.2f} s"
    if unit in ("ms", "MB"):
        return f"{value:,.0f} {unit}" if value >= 10 else f"{value:.1f} {unit}"
    return f"{value:g} {unit}".strip()


def verdict(result: Result) -> str:
    if result.error:
        return "ERROR"
    return {True: "pass", False: "FAIL", None: "—"}[result.passed]


def table_rows(results: list[Result]) -> list[list[str]]:
    return [
        [
            r.figure,
            r.name,
            fmt(r.value, r.unit),
            f"{fmt(r.baseline, r.unit)} ({r.baseline_name})" if r.baseline_samples else "—",
            f"{r.ratio:.1f}×" if r.ratio is not None else "—",
            r.budget.text(r.unit) if r.budget else "—",
            verdict(r),
        ]
        for r in results
    ]


HEADERS = ["#", "Figure", "Value (median)", "Baseline", "Ratio", "Budget", "Result"]


def print_table(results: list[Result]) -> None:
    rows = [HEADERS, *table_rows(results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADERS))]
    line = "  ".join("-" * w for w in widths)
    print(line)
    for n, row in enumerate(rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
        if n == 0:
            print(line)
    print(line)
    for r in results:
        if r.error:
            print(f"figure {r.figure} ({r.name}): {r.error}")


def markdown(results: list[Result]) -> str:
    out = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    out += ["| " + " | ".join(row) + " |" for row in table_rows(results)]
    return "\n".join(out)


# -- the run ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.markdown:
        data = json.loads(args.output.read_text(encoding="utf-8"))
        print(markdown([Result.from_json(r) for r in data["results"]]))
        return 0
    chosen = [n.strip() for n in args.only.split(",")] if args.only else list(FIGURES)
    unknown = [n for n in chosen if n not in FIGURES]
    if unknown:
        raise SystemExit(f"--only: there is no figure {', '.join(unknown)} (1 to {len(FIGURES)}).")
    started = datetime.now(UTC)
    load_start = load_average()
    db = prepare(args.db)
    as_of = demo_as_of(db)
    env = BenchEnv(
        db=str(db),
        as_of=as_of.isoformat(),
        login=admin_login(db),
        repeats=1 if args.quick else 3,
        data_dir=str(DATA_DIR),
        project_root=str(ROOT),
    )
    comments = comment_count(db)
    log(f"database {db} ({comments:,} comments, as of {as_of:%Y-%m-%d %H:%M} UTC)")
    results: list[Result] = []
    figures_meta = []
    with tempfile.TemporaryDirectory(prefix="smgov-bench-home-") as home:
        for number in chosen:
            found, meta = run_figure(number, env, home)
            results += found
            figures_meta.append(meta)
    machine = describe_machine()
    load_end = load_average()
    document = {
        "command": " ".join(["python -m benchmarks.run", *(argv or sys.argv[1:])]),
        "started_at": started.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "repeats": env.repeats,
        "database": {
            # Names, not this machine's paths: the file is committed with the README's table.
            "source": Path(args.db).name if args.db else "generated (large demo)",
            "measured_copy": _shown(db),
            "bytes": db.stat().st_size,
            "comments": comments,
            "as_of": env.as_of,
        },
        "machine": machine,
        "load_average": {"start": load_start, "end": load_end},
        "figures": figures_meta,
        "results": [r.to_json() for r in results],
    }
    args.output.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    print()
    print(f"Machine: {machine_line(machine)}")
    print(
        f"Database: {comments:,} comments; as of {as_of:%Y-%m-%d %H:%M} UTC; "
        f"load average at start {load_start}, at end {load_end}; "
        f"median of {env.repeats} run(s) per figure"
    )
    print_table(results)
    for r in results:
        if r.note:
            print(f"  {r.figure} {r.name}: {r.note}")
    print(f"Results written to {args.output}")
    return 1 if any(r.passed is False for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
