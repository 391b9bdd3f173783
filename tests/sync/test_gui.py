"""The sync corner of the window, its worker and the conflicts dialog, on real replicas of a
hub that goes away and comes back (a loopback proxy stands between them)."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMainWindow, QWidget
from pytestqt.qtbot import QtBot

from desktop.sync import replica
from desktop.sync.engine import Syncer
from desktop.sync.service import SyncService
from desktop.views.sync_status import ConflictsDialog, SyncControls
from tests.sync.conftest import SyncHub
from tests.sync.proxy import Proxy
from tests.sync.test_push import edit, make_account


def shot(widget: QWidget, name: str) -> None:
    """With SMGOV_SHOTS_DIR set, the widget as drawn, to look at (docs/images holds the
    committed pictures; the tests never write into the checkout)."""
    folder = os.environ.get("SMGOV_SHOTS_DIR")
    if folder:
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def test_the_window_shows_an_outage_and_syncs_when_the_hub_returns(
    sync_hub: SyncHub, tmp_path: Path, qtbot: QtBot
) -> None:
    account = make_account(sync_hub)
    proxy = Proxy(sync_hub.cluster.port)
    try:
        hub = sync_hub.hub_as("officer", port=proxy.port)
        db = replica.create(hub, tmp_path / "a.sqlite3")
        sync_hub.replicas.append(db)
        window = QMainWindow()
        qtbot.addWidget(window)
        service = SyncService(db)
        service._syncer = Syncer(db.engine, hub)  # through the proxy
        proxy.refuse = True
        proxy.drop_all()
        controls = SyncControls(window, window.statusBar(), service)
        controls.worker.interval = 0.2
        window.show()
        qtbot.waitUntil(lambda: "offline since" in controls.indicator.text(), timeout=10_000)
        # Work goes on while the hub is away: the GUI thread never waits for it.
        started = time.monotonic()
        edit(db, sync_hub, account.id, "written during the outage")
        QApplication.processEvents()
        assert time.monotonic() - started < 2
        controls.worker.wake()
        qtbot.waitUntil(lambda: "· 1 change waiting" in controls.indicator.text(), timeout=10_000)
        assert controls.indicator.text().startswith("offline since")
        window.resize(900, 120)
        shot(window, "sync-offline-status")
        proxy.refuse = False
        controls.sync_now()
        qtbot.waitUntil(
            lambda: controls.indicator.text().startswith("online · 0 changes waiting"),
            timeout=15_000,
        )
        from desktop.models import Account

        with sync_hub.hub.db.read() as s:
            got = s.get(Account, account.id)
            assert got is not None
            assert got.purpose == "written during the outage"
        controls.close()
    finally:
        proxy.close()


def test_conflicts_dialog_shows_both_versions_and_keeps_theirs(
    sync_hub: SyncHub, tmp_path: Path, qtbot: QtBot
) -> None:
    account = make_account(sync_hub)
    a, sync_a = sync_hub.replica("officer", tmp_path / "a.sqlite3")
    b, sync_b = sync_hub.replica("comms", tmp_path / "b.sqlite3")
    edit(a, sync_hub, account.id, "Health news for the province")
    edit(b, sync_hub, account.id, "Health news and clinic hours")
    sync_a.sync_once()
    sync_b.sync_once()
    service = SyncService(b)
    dialog = ConflictsDialog(service)
    qtbot.addWidget(dialog)
    dialog.show()
    rows = {
        dialog.table.item(r, 0).text(): (
            dialog.table.item(r, 1).text(),
            dialog.table.item(r, 2).text(),
        )
        for r in range(dialog.table.rowCount())
    }
    assert rows["● purpose"] == ("Health news and clinic hours", "Health news for the province")
    assert rows["handle"] == ("SKHealthSync", "SKHealthSync")
    assert rows["ministry"] == ("Ministry of Health", "Ministry of Health")  # not an id
    # Named as a person names it, times without ISO punctuation.
    assert dialog.list.item(0).text().startswith("Account @SKHealthSync\n")
    mine_at, theirs_at = rows["activated at"]
    assert mine_at == theirs_at
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", mine_at), mine_at
    shot(dialog, "sync-conflicts")
    qtbot.mouseClick(dialog.keep_theirs, qtbot_button())
    assert dialog.list.count() == 0
    assert service.status().conflicts == 0
    sync_b.sync_once()
    from desktop.models import Account

    with b.read() as s:
        got = s.get(Account, account.id)
        assert got is not None
        assert got.purpose == "Health news for the province"


def test_conflicts_dialog_combines_the_ticked_fields(
    sync_hub: SyncHub, tmp_path: Path, qtbot: QtBot
) -> None:
    from PySide6.QtCore import Qt

    from desktop.models import Account

    account = make_account(sync_hub)
    a, sync_a = sync_hub.replica("officer", tmp_path / "a.sqlite3")
    b, sync_b = sync_hub.replica("comms", tmp_path / "b.sqlite3")
    edit(a, sync_hub, account.id, "Health news for the province")
    edit(b, sync_hub, account.id, "Health news and clinic hours")
    sync_a.sync_once()
    sync_b.sync_once()
    service = SyncService(b)
    dialog = ConflictsDialog(service)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.combine.isEnabled()  # nothing ticked yet
    labels = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    theirs = dialog.table.item(labels.index("● purpose"), 2)
    unchanged = dialog.table.item(labels.index("handle"), 2)
    assert not unchanged.flags() & Qt.ItemFlag.ItemIsUserCheckable  # same on both sides
    assert unchanged.data(Qt.ItemDataRole.CheckStateRole) is None  # and shows no box
    theirs.setCheckState(Qt.CheckState.Checked)
    assert dialog.ticked_fields() == ["purpose"]
    assert dialog.combine.isEnabled()
    shot(dialog, "sync-conflicts-combine")
    qtbot.mouseClick(dialog.combine, qtbot_button())
    assert dialog.list.count() == 0
    assert service.status().conflicts == 0
    sync_b.sync_once()
    with b.read() as s:
        got = s.get(Account, account.id)
        assert got is not None
        assert got.purpose == "Health news for the province"


def qtbot_button():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_connecting_to_a_shared_database_sets_up_the_offline_copy_in_one_step(
    sync_hub: SyncHub, tmp_path: Path, qtbot: QtBot
) -> None:
    from desktop.storage.app_settings import LocalSettings
    from desktop.storage.database import open_database
    from desktop.storage.paths import app_paths
    from desktop.views.storage_form import ConnectDialog

    make_account(sync_hub)
    dialog = ConnectDialog()
    qtbot.addWidget(dialog)
    assert dialog.form.offline_copy.isChecked()
    dialog.form.url.setText(sync_hub.url_as("officer"))
    dialog.form.password.setText("not needed on the test cluster")
    dialog.show()
    shot(dialog, "sync-connect")
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):
        dialog._on_connect()
    path = Path(dialog.chosen_target or "")
    assert path.parent == app_paths().data_dir
    assert path.name.startswith("replica-127.0.0.1-")
    assert LocalSettings.load().database_url == str(path)
    db = open_database(path)
    sync_hub.replicas.append(db)
    assert db.session_login() == sync_hub.login("officer")
    assert SyncService(db).is_replica()


def test_the_hub_server_stops_mid_work_and_comes_back(
    sync_hub: SyncHub, tmp_path: Path, qtbot: QtBot
) -> None:
    """The real thing: the hub's server is stopped (not a proxy) while an officer logs and
    answers comments; the window goes on, and the work arrives when the server is back."""
    from datetime import timedelta

    from desktop.enums import ResponseMethod
    from desktop.models import Comment
    from desktop.services.comments import CommentService
    from tests.sync.conftest import now

    account = make_account(sync_hub)
    db, syncer = sync_hub.replica("officer", tmp_path / "a.sqlite3")
    window = QMainWindow()
    qtbot.addWidget(window)
    service = SyncService(db)
    service._syncer = syncer
    controls = SyncControls(window, window.statusBar(), service)
    controls.worker.interval = 0.3
    window.show()
    qtbot.waitUntil(lambda: controls.indicator.text().startswith("online"), timeout=40_000)
    sync_hub.cluster.stop("immediate")
    try:
        comments = CommentService(sync_hub.ctx(db))
        logged = comments.log(account.id, now() - timedelta(minutes=3), "Road closed?")
        comments.respond(
            logged.id, ResponseMethod.PUBLIC_ANSWER, text="Yes, until noon.",
            restricted_topics_cleared=True,
        )  # fmt: skip
        qtbot.waitUntil(lambda: "offline since" in controls.indicator.text(), timeout=40_000)
        qtbot.waitUntil(lambda: "2 changes waiting" in controls.indicator.text(), timeout=40_000)
    finally:
        sync_hub.cluster.start()
    controls.sync_now()
    qtbot.waitUntil(
        lambda: controls.indicator.text().startswith("online · 0 changes waiting"),
        timeout=60_000,
    )
    controls.close()
    with sync_hub.hub.db.read() as s:
        got = s.get(Comment, logged.id)
        assert got is not None
        assert got.status.value == "answered"
