"""A record's audit event never travels without its row, and a copy's kept digests follow its
own rows: found by the convergence test, where a comment logged by the DSO, acknowledged after
a push was cut, reached the hub as two batches (the acknowledgement's event first, its row
after); an officer who pulled in between answered the comment from a digest the row never had,
and the log stopped adding up on every copy."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.enums import AppRole, ResponseMethod
from desktop.errors import StorageUnavailable
from desktop.models import AuditEvent, RecordDigest
from desktop.services.comments import CommentService
from desktop.services.people import PeopleService
from desktop.storage.auditlog import chain, digests
from desktop.sync import replica, resolve
from desktop.sync.engine import Syncer
from desktop.sync.rows import tables_by_name
from tests.sync.conftest import SyncHub, contents, now, verify_ok
from tests.sync.proxy import Proxy
from tests.sync.test_push import edit, everything_agrees, make_account


def _kept_and_live(db: Any, comment_id: Any) -> tuple[str, str]:
    table = tables_by_name()["comments"]
    with db.engine.connect() as conn:
        row = conn.execute(select(table).where(table.c.id == comment_id)).mappings().one()
        rid = digests.record_id(table, row)
        kept = conn.execute(
            select(RecordDigest.digest).where(
                RecordDigest.table_name == "comments", RecordDigest.record_id == rid
            )
        ).scalar_one()
        return kept, digests.row_digest(table, row)


def test_an_event_waits_for_its_row_when_an_earlier_push_of_the_row_was_cut(
    sync_hub: SyncHub, tmp_path: Path
) -> None:
    account = make_account(sync_hub)
    proxy = Proxy(sync_hub.cluster.port)
    try:
        hub_dso = sync_hub.hub_as("dso", port=proxy.port)
        dso = replica.create(hub_dso, tmp_path / "dso.sqlite3")
        sync_hub.replicas.append(dso)
        dso_sync = Syncer(dso.engine, hub_dso)
        officer, officer_sync = sync_hub.replica("officer2", tmp_path / "officer2.sqlite3")

        comment = CommentService(sync_hub.ctx(dso)).log(
            account.id, now() - timedelta(minutes=5), "When is the clinic open?"
        )
        proxy.drop_after_commit = True  # the hub has the comment; the DSO's copy does not know
        with pytest.raises(StorageUnavailable):
            dso_sync.sync_once()
        CommentService(sync_hub.ctx(dso)).acknowledge(comment.id)

        # The officer syncs after the first batch the DSO's copy sends, and answers.
        sent = dso_sync._send
        seen: list[tuple[str, str, str]] = []

        def send_then_officer_answers(*args: Any) -> Any:
            out = sent(*args)
            if not seen:
                officer_sync.sync_once()
                kept, live = _kept_and_live(officer, comment.id)
                CommentService(sync_hub.ctx(officer)).respond(
                    comment.id,
                    ResponseMethod.PUBLIC_ANSWER,
                    text="Monday to Friday, 8 to 5.",
                    restricted_topics_cleared=True,
                )
                with officer.engine.connect() as conn:
                    records = conn.execute(
                        select(AuditEvent.records).where(AuditEvent.action == "comment.respond")
                    ).scalar_one()
                seen.append((kept, live, records))
            return out

        dso_sync._send = send_then_officer_answers  # type: ignore[method-assign,assignment]
        dso_sync.sync_once()
        dso_sync._send = sent  # type: ignore[method-assign]

        # What the officer held, its kept digest was that of its row, and the answer's event
        # starts from it.
        kept, live, records = seen[0]
        assert kept == live
        assert f'"{live}"' in records

        for _round in range(4):
            for syncer in (officer_sync, dso_sync):
                syncer.sync_once()
                for c in resolve.open_conflicts(syncer.local):
                    resolve.resolve(syncer.local, c["id"], resolve.KEEP_THEIRS, now())
        hub = sync_hub.hub.db.engine
        for db in (dso, officer):
            assert contents(db.engine) == contents(hub)
        for engine in (hub, dso.engine, officer.engine):
            verify_ok(engine)
    finally:
        proxy.close()


def test_a_pulled_event_without_its_row_leaves_the_kept_digest_on_the_row(
    sync_hub: SyncHub, tmp_path: Path
) -> None:
    """An event may describe a change the hub never applied (refused, or lost a conflict,
    until its undoing event arrives): a copy that pulls it keeps the digest of the row it has,
    so its own next change of the record starts from the truth."""
    account = make_account(sync_hub)
    officer, officer_sync = sync_hub.replica("officer2", tmp_path / "officer2.sqlite3")
    comment = CommentService(sync_hub.ctx(officer)).log(
        account.id, now() - timedelta(minutes=5), "Is the office open?"
    )
    officer_sync.sync_once()
    kept_before, live_before = _kept_and_live(officer, comment.id)
    assert kept_before == live_before

    # An event on the hub whose row change never came (written as the app writes events).
    rid = digests.record_id(tables_by_name()["comments"], {"id": comment.id})
    with sync_hub.hub.db.engine.begin() as conn, Session(bind=conn) as session:
        chain.append(
            session,
            at=now(),
            actor_id=None,
            actor_login="smgovu_officer",
            action="comment.acknowledge",
            entity_type="comments",
            entity_id=rid,
            after={},
            records=[("comments", rid, live_before, "f" * 64)],
        )
        session.flush()
    officer_sync.sync_once()
    kept, live = _kept_and_live(officer, comment.id)
    assert (kept, live) == (live_before, live_before)


def _officer_made_auditor(sh: SyncHub, tmp_path: Path) -> tuple[Any, Syncer, Any, Syncer]:
    """The officer's copy and the director's; on the hub the officer is then made an auditor,
    so the officer's offline edits of accounts will be refused."""
    a, sync_a = sh.replica("officer", tmp_path / "a.sqlite3")
    b, sync_b = sh.replica("comms", tmp_path / "b.sqlite3")
    admin = sh.hub.ctx("admin")
    PeopleService(admin).set_roles(sh.person("officer").id, [AppRole.AUDITOR])
    admin.db.dispose()
    return a, sync_a, b, sync_b


def _settle_in_rounds(sh: SyncHub, *syncers: Syncer) -> None:
    for _round in range(3):
        for syncer in syncers:
            syncer.sync_once()
            for c in resolve.open_conflicts(syncer.local):
                resolve.resolve(syncer.local, c["id"], resolve.KEEP_THEIRS, now())


def test_a_refused_change_never_moves_the_hubs_kept_digest(
    sync_hub: SyncHub, tmp_path: Path
) -> None:
    """Found by the convergence test: the event of a change the hub refused moved the hub's
    kept digest of the record; another copy's change of it, arriving before the refused one's
    undo, then no longer continued it, and the hub's log stopped adding up. Two edits offline:
    the outbox holds the first edit's event before the row's (merged) entry."""
    account = make_account(sync_hub)
    a, sync_a, b, sync_b = _officer_made_auditor(sync_hub, tmp_path)
    edit(a, sync_hub, account.id, "Refused: the officer is now an auditor")
    edit(a, sync_hub, account.id, "Refused again")

    sent = sync_a._send
    calls: list[int] = []

    def send_then_other_copy_edits(*args: Any) -> Any:
        out = sent(*args)
        if not calls:
            edit(b, sync_hub, account.id, "Changed by the director in between")
            sync_b.sync_once()
        calls.append(1)
        return out

    sync_a._send = send_then_other_copy_edits  # type: ignore[method-assign,assignment]
    pushed, _ = sync_a.sync_once()
    sync_a._send = sent  # type: ignore[method-assign]
    assert pushed.rejected == 1
    _settle_in_rounds(sync_hub, sync_a, sync_b)
    everything_agrees(sync_hub, a, b)


def test_a_push_batch_never_ends_between_an_event_and_its_row(
    sync_hub: SyncHub, tmp_path: Path
) -> None:
    """A full batch ends before an event whose row change waits outside it: the event goes
    with its row in the next batch, where the hub sees the row refused first."""
    account = make_account(sync_hub)
    other = make_account(sync_hub, "SKHealthOther")
    a, sync_a, b, sync_b = _officer_made_auditor(sync_hub, tmp_path)
    edit(a, sync_hub, other.id, "Refused: another account")
    edit(a, sync_hub, account.id, "Refused: the officer is now an auditor")
    edit(a, sync_hub, account.id, "Refused again")

    sent = sync_a._send
    batches: list[list[str]] = []

    def send_then_other_copy_edits(entries: Any, report: Any) -> Any:
        batches.append([e["table_name"] for e in entries])
        out = sent(entries, report)
        if len(batches) == 1:
            edit(b, sync_hub, account.id, "Changed by the director in between")
            sync_b.sync_once()
        return out

    sync_a._send = send_then_other_copy_edits  # type: ignore[method-assign,assignment]
    pushed = sync_a.push(batch=3)
    sync_a._send = sent  # type: ignore[method-assign]
    assert pushed.rejected == 2
    assert batches[0] == ["accounts", "audit_events"]
    _settle_in_rounds(sync_hub, sync_a, sync_b)
    everything_agrees(sync_hub, a, b)
