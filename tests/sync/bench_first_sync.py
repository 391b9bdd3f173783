"""First sync of a new workstation: time and peak memory of ``smgov replica create`` from a
hub holding demo data (plus ``--extra`` bulk comments), on a throwaway cluster.

    python -m tests.sync.bench_first_sync [--size small] [--extra 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.sync.pgcluster import Cluster

ROOT = Path(__file__).resolve().parents[2]


def _smgov(*args: str, home: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SMGOV_HOME": str(home)}
    done = subprocess.run(
        ["/usr/bin/time", "-v", sys.executable, "-m", "desktop", *args],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout + done.stderr


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="small")
    parser.add_argument(
        "--extra", type=int, default=0, help="a bulk comment log of this size instead"
    )
    args = parser.parse_args()
    cluster = Cluster()
    cluster.start()
    home = Path(tempfile.mkdtemp(prefix="smgov-bench-"))
    try:
        admin = create_engine(cluster.url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text('CREATE DATABASE "hub"'))
        admin.dispose()
        url = make_url(cluster.url).set(database="hub").render_as_string(hide_password=False)
        _smgov("hub", "init", url, home=home)
        if args.extra:  # a comment log of that size instead of the demo
            from datetime import UTC, datetime

            from desktop.storage.database import open_database
            from tests.bulk_comments import bulk_comment_log

            db = open_database(url)
            bulk_comment_log(db, args.extra, as_of=datetime.now(UTC))
            db.dispose()
        else:
            _smgov("demo", "--db", url, "--size", args.size, home=home)
        with create_engine(url).connect() as conn:
            rows = {
                t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one()
                for t in ("comments", "audit_events", "hub_changes")
            }
        started = time.monotonic()
        out = _smgov("replica", "create", url, str(home / "replica.sqlite3"), home=home)
        seconds = time.monotonic() - started
        peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", out)
        figures = {
            "size": args.size,
            "extra_comments": args.extra,
            "hub_rows": rows,
            "first_sync_seconds": round(seconds, 1),
            "peak_rss_mb": round(int(peak.group(1)) / 1024) if peak else None,
            "replica_mb": round((home / "replica.sqlite3").stat().st_size / 2**20, 1),
        }
        print(json.dumps(figures))
    finally:
        cluster.destroy()
    return 0


if __name__ == "__main__":
    sys.exit(main())
