"""Logs comments on a replica and syncs, forever, until killed (kill -9) by the crash test.

python -m tests.sync.crash_worker REPLICA HUB_URL IDS_FILE
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from desktop.errors import SmgovError
from desktop.models import Account
from desktop.services.comments import CommentService
from desktop.services.context import ServiceContext
from desktop.storage.database import open_database
from desktop.sync.engine import Syncer, hub_engine


def _widen_windows() -> None:
    """Slow the moments a crash hurts most, so the kills land in them: mid-way through the
    hub transaction, between the hub's commit and the replica's bookkeeping, and while a pull
    writes."""
    apply, finish, pulled = Syncer._apply, Syncer._finish, Syncer._apply_pulled

    def slow_apply(self, *a, **k):  # type: ignore[no-untyped-def]
        time.sleep(0.1)
        return apply(self, *a, **k)

    def slow_finish(self, *a, **k):  # type: ignore[no-untyped-def]
        time.sleep(0.3)
        return finish(self, *a, **k)

    def slow_pull(self, *a, **k):  # type: ignore[no-untyped-def]
        time.sleep(0.2)
        return pulled(self, *a, **k)

    Syncer._apply = slow_apply  # type: ignore[method-assign]
    Syncer._finish = slow_finish  # type: ignore[method-assign]
    Syncer._apply_pulled = slow_pull  # type: ignore[method-assign]


def main(path: str, hub_url: str, ids_file: str) -> int:
    _widen_windows()
    db = open_database(Path(path))
    ctx = ServiceContext(db, clock=lambda: datetime.now(UTC))
    syncer = Syncer(db.engine, hub_engine(hub_url, timeout=2))
    with db.read() as s:
        account = s.scalars(select(Account.id).order_by(Account.handle)).first()
    n = 0
    with open(ids_file, "a") as ids:
        while True:
            n += 1
            c = CommentService(ctx).log(
                account, datetime.now(UTC) - timedelta(minutes=1), f"crash {os.getpid()}-{n}"
            )
            ids.write(f"{c.id}\n")
            ids.flush()
            with contextlib.suppress(SmgovError):
                syncer.sync_once()


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
