"""Convergence: five replicas in processes of their own do random work against one hub, each
going offline and online at random, all of them editing the same two accounts. At the end every
replica equals the hub, every conflict was surfaced (and resolved by a person's choice), every
copy verifies, and no committed change is lost or duplicated."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from desktop.enums import Platform, PostingTool
from desktop.models import AuditEvent, Comment
from desktop.services.accounts import AccountInput, AccountService
from desktop.sync import resolve
from desktop.sync.engine import Syncer, status
from desktop.sync.tables import hub_applied, sync_conflicts, sync_rejections
from tests.sync.conftest import SyncHub, contents, now, verify_ok

WORKERS = ("officer", "comms", "dso", "admin", "officer2")
OPS = int(os.environ.get("SMGOV_CONVERGENCE_OPS", "40"))
ROOT = Path(__file__).resolve().parents[2]


def _accounts(sh: SyncHub) -> None:
    ctx = sh.hub.ctx("admin")
    for handle in ("SKHealthA", "SKHealthB", "SKHealthC"):
        AccountService(ctx).create(
            AccountInput(
                platform=Platform.FACEBOOK,
                handle=handle,
                ministry_id=sh.hub.ministries["HEA"].id,
                government_email=f"{handle.lower()}@gov.sk.ca",
                owner_id=sh.person("officer").id,
                posting_tool=PostingTool.NATIVE,
            )
        )
    ctx.db.dispose()


def test_five_replicas_converge(sync_hub: SyncHub, tmp_path: Path) -> None:
    started = time.monotonic()
    _accounts(sync_hub)
    replicas = {}
    for key in WORKERS:
        db, _ = sync_hub.replica(key, tmp_path / f"{key}.sqlite3")
        replicas[key] = db
        db.dispose()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = {}
    for i, key in enumerate(WORKERS):
        args = [str(tmp_path / f"{key}.sqlite3"), sync_hub.url_as(key)]
        args += [str(sync_hub.cluster.port), str(i + 1), str(OPS), str(tmp_path / f"{key}.json")]
        procs[key] = subprocess.Popen(
            [sys.executable, "-m", "tests.sync.worker", *args],
            env=env,
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
    for key, p in procs.items():
        _, err = p.communicate(timeout=240)
        assert p.returncode == 0, f"{key}: {err[-3000:]}"
    did = {key: json.loads((tmp_path / f"{key}.json").read_text()) for key in WORKERS}

    # Everyone online: sync in turns, resolving what comes up, until nothing moves.
    syncers = {key: Syncer(db.engine, sync_hub.hub_as(key)) for key, db in replicas.items()}
    for _round in range(8):
        moved = 0
        for syncer in syncers.values():
            pushed, pulled = syncer.sync_once()
            moved += pushed.pushed + pushed.conflicts + pulled.applied
            for c in resolve.open_conflicts(syncer.local):
                resolve.resolve(syncer.local, c["id"], resolve.KEEP_THEIRS, now())
                moved += 1
        if moved == 0:
            break
    for key, syncer in syncers.items():
        st = status(syncer.local)
        assert (st.waiting, st.events_waiting, st.conflicts, st.blocked) == (0, 0, 0, ""), key

    hub = sync_hub.hub.db.engine
    expected = contents(hub)
    for key, db in replicas.items():
        assert contents(db.engine) == expected, key
    for engine in (hub, *(db.engine for db in replicas.values())):
        verify_ok(engine)

    # Nothing lost, nothing twice.
    created = [c for d in did.values() for c in d["comments"]]
    with hub.connect() as conn:
        on_hub = {str(r) for r in conn.execute(select(Comment.id)).scalars()}
        edit_events = conn.execute(
            select(AuditEvent.actor_login, AuditEvent.after).where(
                AuditEvent.action == "account.edit"
            )
        ).all()
        applied = conn.execute(select(func.count()).select_from(hub_applied)).scalar_one()
    assert len(created) == len(set(created))
    lost_comments = set(created) - on_hub
    assert not lost_comments
    assert len(on_hub) == len(created)
    events = {(login, json.loads(after).get("purpose")) for login, after in edit_events}
    edits = [
        (sync_hub.login(key), purpose) for key, d in did.items() for _acc, purpose in d["edits"]
    ]
    lost_edits = [e for e in edits if e not in events]
    assert not lost_edits
    surfaced = rejected = 0
    for db in replicas.values():
        with db.engine.connect() as conn:
            surfaced += conn.execute(select(func.count()).select_from(sync_conflicts)).scalar_one()
            rejected += conn.execute(select(func.count()).select_from(sync_rejections)).scalar_one()
    operations = sum(len(d["ops"]) for d in did.values())
    figures = {
        "replicas": len(WORKERS),
        "operations": operations,
        "comments": len(created),
        "edits": len(edits),
        "role_grants": sum(len(d["grants"]) for d in did.values()),
        "conflicts_surfaced": surfaced,
        "refused_by_hub": rejected,
        "refused_locally": sum(len(d["refused_locally"]) for d in did.values()),
        "refused_locally_why": sorted({m[:70] for d in did.values() for m in d["refused_locally"]})[
            :6
        ],
        "syncs_failed_offline": sum(len(d["sync_failures"]) for d in did.values()),
        "changes_applied_on_hub": applied,
        "lost": len(lost_comments) + len(lost_edits),
        "seconds": round(time.monotonic() - started, 1),
    }
    print("convergence:", json.dumps(figures))
    (tmp_path / "figures.json").write_text(json.dumps(figures))
    assert surfaced > 0  # two replicas editing the same records do meet
