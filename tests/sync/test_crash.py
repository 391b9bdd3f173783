"""kill -9 of a replica during push and pull, again and again: no change lost or applied twice,
no damaged file, and every copy still verifies."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from desktop.models import Account, Comment
from desktop.services.comments import CommentService
from desktop.services.context import ServiceContext
from desktop.sync.engine import Syncer, status
from desktop.sync.tables import hub_applied
from tests.sync.conftest import SyncHub, contents, verify_ok
from tests.sync.test_push import make_account

KILLS = int(os.environ.get("SMGOV_CRASH_KILLS", "12"))
ROOT = Path(__file__).resolve().parents[2]


def test_kill_9_during_push_and_pull_loses_and_doubles_nothing(
    sync_hub: SyncHub, tmp_path: Path
) -> None:
    make_account(sync_hub)
    path = tmp_path / "crash.sqlite3"
    db, _ = sync_hub.replica("officer", path)
    db.dispose()
    ids_file = tmp_path / "ids.txt"
    rng = random.Random(13)
    # Someone else works on the hub directly: pulls have work too.
    hub_ctx = ServiceContext(sync_hub.hub.database("comms"), clock=lambda: datetime.now(UTC))
    with hub_ctx.db.read() as s:
        account = s.scalars(select(Account.id)).first()
    assert account is not None
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log = (tmp_path / "worker.log").open("ab")
    mid_push = 0
    for _ in range(KILLS):
        CommentService(hub_ctx).log(account, datetime.now(UTC) - timedelta(minutes=2), "hub")
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.sync.crash_worker", str(path),
             sync_hub.url_as("officer"), str(ids_file)],
            env=env, cwd=ROOT, stderr=log,
        )  # fmt: skip
        time.sleep(1.2 + rng.random() * 1.5)  # start-up, then somewhere in push or pull
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL, (tmp_path / "worker.log").read_text()
        check = sqlite3.connect(path)
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        sending = "SELECT count(*) FROM sync_outbox WHERE state = 'sending'"
        mid_push += check.execute(sending).fetchone()[0] > 0
        check.close()
    hub_ctx.db.dispose()
    log.close()

    db, syncer = _reopen(sync_hub, path)
    for _ in range(3):
        syncer.sync_once()
    st = status(db.engine)
    assert (st.waiting, st.events_waiting, st.conflicts) == (0, 0, 0)
    written = [line for line in ids_file.read_text().splitlines() if line]
    hub = sync_hub.hub.db.engine
    with hub.connect() as conn:
        on_hub = {str(r) for r in conn.execute(select(Comment.id)).scalars()}
        applied = conn.execute(select(func.count()).select_from(hub_applied)).scalar_one()
    assert len(written) == len(set(written))
    assert set(written) <= on_hub  # every comment the replica committed reached the hub
    assert len(on_hub) == len(written) + KILLS + _unrecorded(db, written)
    assert contents(db.engine) == contents(hub)
    verify_ok(hub)
    verify_ok(db.engine)
    print(
        f"crash: {KILLS} kills ({mid_push} with a push under way), {len(written)} comments "
        f"written, {applied} changes applied, lost 0, twice 0"
    )


def _unrecorded(db: object, written: list[str]) -> int:
    """Comments committed on the replica whose id the worker had no time to note."""
    from desktop.storage.database import Database

    assert isinstance(db, Database)
    with db.read() as s:
        mine = {str(i) for i in s.scalars(select(Comment.id).where(Comment.text.like("crash %")))}
    return len(mine - set(written))


def _reopen(sync_hub: SyncHub, path: Path):  # type: ignore[no-untyped-def]
    from desktop.storage.database import open_database

    db = open_database(path)
    sync_hub.replicas.append(db)
    return db, Syncer(db.engine, sync_hub.hub_as("officer"))
