"""The commands: smgov hub init (again, idempotent), replica create, sync --once, sync status."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop import cli
from desktop.services.comments import CommentService
from desktop.storage.database import open_database
from tests.sync.conftest import SyncHub, now
from tests.sync.test_push import make_account


def test_hub_init_replica_create_sync_and_status(
    sync_hub: SyncHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    account = make_account(sync_hub)
    assert cli.main(["hub", "init", sync_hub.url]) == 0  # run again after an upgrade
    assert "is ready as a hub" in capsys.readouterr().out
    with sync_hub.hub.db.engine.connect() as conn:
        feeds = conn.execute(
            text("SELECT count(*) FROM pg_trigger WHERE tgname = 'smgov_change_feed'")
        ).scalar_one()
    assert feeds >= 25

    path = tmp_path / "mine.sqlite3"
    assert cli.main(["replica", "create", sync_hub.url_as("officer"), str(path)]) == 0
    assert "ready in" in capsys.readouterr().out
    db = open_database(path)
    assert db.session_login() == sync_hub.login("officer")
    CommentService(sync_hub.ctx(db)).log(account.id, now() - timedelta(minutes=2), "Open?")
    db.dispose()

    assert cli.main(["sync", "status", "--db", str(path)]) == 0
    assert "1 change waiting" in capsys.readouterr().out
    assert cli.main(["sync", "--once", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "pushed 2, conflicts 0, refused 0" in out
    assert out.strip().endswith("online · 0 changes waiting · 0 conflicts")


def test_sync_on_a_file_that_is_no_replica_says_so(
    sqlite_db: object, capsys: pytest.CaptureFixture[str]
) -> None:
    from desktop.storage.database import Database

    assert isinstance(sqlite_db, Database)
    assert cli.main(["sync", "--once", "--db", str(sqlite_db.url.database)]) == 1
    assert "This is not a replica; `smgov replica create HUB_URL` makes one." in (
        capsys.readouterr().err
    )
