"""Push: the outbox merges repeated edits, a push is applied exactly once even when the
connection drops after the hub committed, a stale base becomes a conflict a person sees, and a
change the hub refuses comes back with its reason."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from desktop.enums import AppRole, Platform, PostingTool
from desktop.errors import StorageUnavailable
from desktop.models import Account, Comment
from desktop.services.accounts import AccountInput, AccountService
from desktop.services.comments import CommentService
from desktop.services.people import PeopleService
from desktop.sync import resolve
from desktop.sync.engine import Syncer, status
from desktop.sync.tables import hub_applied, sync_conflicts, sync_outbox, sync_rejections
from tests.sync.conftest import SyncHub, contents, now, verify_ok
from tests.sync.proxy import Proxy


def make_account(sh: SyncHub, handle: str = "SKHealthSync") -> Account:
    ctx = sh.hub.ctx("admin")
    try:
        return AccountService(ctx).create(
            AccountInput(
                platform=Platform.FACEBOOK,
                handle=handle,
                ministry_id=sh.hub.ministries["HEA"].id,
                government_email="sync@gov.sk.ca",
                owner_id=sh.person("officer").id,
                posting_tool=PostingTool.NATIVE,
            )
        )
    finally:
        ctx.db.dispose()


def edit(db: Any, sh: SyncHub, account_id: Any, purpose: str) -> Account:
    service = AccountService(sh.ctx(db))
    with db.read() as s:
        acc = s.get(Account, account_id)
    data = AccountInput(
        platform=acc.platform,
        handle=acc.handle,
        ministry_id=acc.ministry_id,
        government_email=acc.government_email,
        owner_id=acc.owner_id,
        posting_tool=acc.posting_tool,
        purpose=purpose,
    )
    return service.edit(account_id, data)


def everything_agrees(sh: SyncHub, *replicas: Any) -> None:
    hub = sh.hub.db.engine
    for db in replicas:
        assert contents(db.engine) == contents(hub)
    for engine in (hub, *(db.engine for db in replicas)):
        verify_ok(engine)


@pytest.fixture
def proxy(sync_hub: SyncHub) -> Iterator[Proxy]:
    p = Proxy(sync_hub.cluster.port)
    yield p
    p.close()


def test_repeated_offline_edits_merge_into_one_entry_with_the_first_base(
    sync_hub: SyncHub, tmp_path: Path
) -> None:
    account = make_account(sync_hub)
    a, sync_a = sync_hub.replica("officer", tmp_path / "a.sqlite3")
    for n in range(3):
        edit(a, sync_hub, account.id, f"purpose {n}")
    with a.engine.connect() as conn:
        rows = conn.execute(
            select(sync_outbox.c.op, sync_outbox.c.base_version).where(
                sync_outbox.c.table_name == "accounts"
            )
        ).all()
    assert rows == [("update", account.version)]
    sync_a.sync_once()
    with sync_hub.hub.db.read() as s:
        hub_account = s.get(Account, account.id)
        assert hub_account is not None
        assert (hub_account.purpose, hub_account.version) == ("purpose 2", account.version + 3)
    sync_a.sync_once()
    everything_agrees(sync_hub, a)


def test_a_push_cut_after_the_hub_committed_is_applied_once(
    sync_hub: SyncHub, tmp_path: Path, proxy: Proxy
) -> None:
    account = make_account(sync_hub)
    hub = sync_hub.hub_as("officer", port=proxy.port)
    from desktop.sync import replica

    a = replica.create(hub, tmp_path / "a.sqlite3")
    sync_hub.replicas.append(a)
    syncer = Syncer(a.engine, hub)
    CommentService(sync_hub.ctx(a)).log(account.id, now() - timedelta(minutes=3), "Hours?")
    proxy.drop_after_commit = True
    with pytest.raises(StorageUnavailable):
        syncer.sync_once()
    assert proxy.drops == 1
    assert status(a.engine).waiting == 1  # claimed, not known to have arrived
    assert not status(a.engine).online
    pushed, _ = syncer.sync_once()
    assert pushed.already >= 2
    assert pushed.pushed >= 2
    with sync_hub.hub.db.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Comment)).scalar_one() == 1
        applied = conn.execute(select(func.count()).select_from(hub_applied)).scalar_one()
    assert applied == pushed.pushed
    assert status(a.engine).online
    syncer.sync_once()
    everything_agrees(sync_hub, a)


@pytest.mark.parametrize("choice", [resolve.KEEP_THEIRS, resolve.KEEP_MINE])
def test_a_stale_base_is_a_conflict_a_person_resolves(
    sync_hub: SyncHub, tmp_path: Path, choice: str
) -> None:
    account = make_account(sync_hub)
    a, sync_a = sync_hub.replica("officer", tmp_path / "a.sqlite3")
    b, sync_b = sync_hub.replica("comms", tmp_path / "b.sqlite3")
    edit(a, sync_hub, account.id, "from a")
    edit(b, sync_hub, account.id, "from b")
    pa, _ = sync_a.sync_once()
    pb, _ = sync_b.sync_once()
    assert (pa.conflicts, pb.conflicts) == (0, 1)
    [conflict] = resolve.open_conflicts(b.engine)
    mine, theirs = json.loads(conflict["mine"]), json.loads(conflict["theirs"])
    assert (mine["purpose"], theirs["purpose"]) == ("from b", "from a")
    assert status(b.engine).conflicts == 1
    with b.read() as s:  # never silently replaced
        assert s.get(Account, account.id).purpose == "from b"  # type: ignore[union-attr]

    resolve.resolve(b.engine, conflict["id"], choice, now())
    assert status(b.engine).conflicts == 0
    for _ in range(2):
        sync_b.sync_once()
        sync_a.sync_once()
    expected = "from a" if choice == resolve.KEEP_THEIRS else "from b"
    for db in (a, b, sync_hub.hub.db):
        with db.read() as s:
            assert s.get(Account, account.id).purpose == expected  # type: ignore[union-attr]
    with b.engine.connect() as conn:
        actions = conn.execute(
            text("SELECT action FROM audit_events WHERE action LIKE 'sync.%' ORDER BY origin_seq")
        ).scalars()
        assert list(actions) == (
            ["sync.undo"] if choice == resolve.KEEP_THEIRS else ["sync.undo", "sync.keep_mine"]
        )
        assert conn.execute(select(sync_conflicts.c.resolution)).scalar_one() == choice
    everything_agrees(sync_hub, a, b)


def test_a_change_the_hub_refuses_comes_back_with_the_reason(
    sync_hub: SyncHub, tmp_path: Path
) -> None:
    account = make_account(sync_hub)
    a, sync_a = sync_hub.replica("officer", tmp_path / "a.sqlite3")
    # On the hub, the officer is made an auditor while their replica is offline.
    admin = sync_hub.hub.ctx("admin")
    PeopleService(admin).set_roles(sync_hub.person("officer").id, [AppRole.AUDITOR])
    admin.db.dispose()
    comment = CommentService(sync_hub.ctx(a)).log(account.id, now() - timedelta(minutes=1), "Hi")
    pushed, _ = sync_a.sync_once()
    assert pushed.rejected >= 1
    with a.engine.connect() as conn:
        reason = conn.execute(select(sync_rejections.c.reason)).scalars().first()
    assert reason is not None
    assert "permission denied" in reason
    with a.read() as s:
        assert s.get(Comment, comment.id) is None
    sync_a.sync_once()
    everything_agrees(sync_hub, a)


def test_rules_across_rows_are_checked_again_on_the_hub(sync_hub: SyncHub, tmp_path: Path) -> None:
    from desktop.enums import PageRole
    from desktop.models import AccountRole
    from desktop.services.roles import RoleService

    account = make_account(sync_hub)
    comms = sync_hub.person("comms")
    officer = sync_hub.person("officer")
    a, sync_a = sync_hub.replica("dso", tmp_path / "a.sqlite3")
    b, sync_b = sync_hub.replica("admin", tmp_path / "b.sqlite3")
    # Offline, both grant the officer Editor; the DSO makes the Director of Communications
    # an Admin of the Facebook page, while on the hub that person stops being one.
    RoleService(sync_hub.ctx(a)).grant(officer.id, account.id, PageRole.EDITOR)
    twice = RoleService(sync_hub.ctx(b)).grant(officer.id, account.id, PageRole.EDITOR)
    admin_grant = RoleService(sync_hub.ctx(a)).grant(comms.id, account.id, PageRole.ADMIN)
    admin = sync_hub.hub.ctx("admin")
    PeopleService(admin).set_roles(comms.id, [AppRole.OFFICER])
    admin.db.dispose()

    pa, _ = sync_a.sync_once()
    pb, _ = sync_b.sync_once()
    assert (pa.rejected, pb.rejected) == (1, 1)
    with a.engine.connect() as conn:
        [reason_a] = conn.execute(select(sync_rejections.c.reason)).scalars()
    with b.engine.connect() as conn:
        [reason_b] = conn.execute(select(sync_rejections.c.reason)).scalars()
    assert "Comms Person cannot be Admin of Facebook @SKHealthSync" in reason_a
    assert reason_b == "Officer Person already holds the role editor on facebook @SKHealthSync."
    with a.read() as s:
        assert s.get(AccountRole, admin_grant.id) is None
    with b.read() as s:
        assert s.get(AccountRole, twice.id) is None
    for _ in range(2):
        sync_a.sync_once()
        sync_b.sync_once()
    everything_agrees(sync_hub, a, b)


def _edit_fields(db: Any, sh: SyncHub, account_id: Any, **changes: Any) -> None:
    with db.read() as s:
        acc = s.get(Account, account_id)
    fields = {
        "platform": acc.platform,
        "handle": acc.handle,
        "ministry_id": acc.ministry_id,
        "government_email": acc.government_email,
        "owner_id": acc.owner_id,
        "posting_tool": acc.posting_tool,
        "purpose": acc.purpose,
        "display_name": acc.display_name,
        "url": acc.url,
    }
    AccountService(sh.ctx(db)).edit(account_id, AccountInput(**{**fields, **changes}))


def test_a_conflict_combined_field_by_field_reaches_every_copy(
    sync_hub: SyncHub, tmp_path: Path
) -> None:
    """Combine: the person keeps their version but takes the fields they tick from the hub's."""
    from desktop.errors import DomainError
    from desktop.sync.service import SyncService

    account = make_account(sync_hub)
    a, sync_a = sync_hub.replica("officer", tmp_path / "a.sqlite3")
    b, sync_b = sync_hub.replica("comms", tmp_path / "b.sqlite3")
    _edit_fields(a, sync_hub, account.id, purpose="from a", display_name="Name from a")
    _edit_fields(b, sync_hub, account.id, purpose="from b", url="https://b.example.ca")
    sync_a.sync_once()
    pb, _ = sync_b.sync_once()
    assert pb.conflicts == 1
    service = SyncService(b)
    [view] = service.conflicts()
    assert {f.name for f in view.fields if f.differs} == {"purpose", "display_name", "url"}
    with pytest.raises(DomainError, match="at least one field"):
        service.combine(view.id, [])
    with pytest.raises(DomainError, match="cannot be taken from the hub: id"):
        service.combine(view.id, ["id"])
    assert status(b.engine).conflicts == 1  # a refused combination changes nothing

    service.combine(view.id, ["purpose", "display_name"])
    assert status(b.engine).conflicts == 0
    for _ in range(2):
        sync_b.sync_once()
        sync_a.sync_once()
    for db in (a, b, sync_hub.hub.db):
        with db.read() as s:
            got = s.get(Account, account.id)
            assert (got.purpose, got.display_name, got.url) == (  # type: ignore[union-attr]
                "from a",
                "Name from a",
                "https://b.example.ca",
            )
    with b.engine.connect() as conn:
        actions = conn.execute(
            text("SELECT action FROM audit_events WHERE action LIKE 'sync.%' ORDER BY origin_seq")
        ).scalars()
        assert list(actions) == ["sync.undo", "sync.combine"]
        assert conn.execute(select(sync_conflicts.c.resolution)).scalar_one() == "combined"
    everything_agrees(sync_hub, a, b)


def test_an_event_the_hub_refuses_stops_the_push_with_its_reason(
    sync_hub: SyncHub, tmp_path: Path
) -> None:
    """The origin chain cannot go on without an event: the push stops there with the hub's
    reason, keeps what came before it, and sends nothing written after it (rows included,
    although a batch sends its rows before its events)."""
    from sqlalchemy.orm import Session

    from desktop.storage.auditlog import chain

    account = make_account(sync_hub)
    a, sync_a = sync_hub.replica("officer", tmp_path / "a.sqlite3")
    before = CommentService(sync_hub.ctx(a)).log(account.id, now() - timedelta(minutes=2), "Hi")
    # An event written in someone else's name (as an upgrade's system event would be).
    with a.engine.begin() as conn, Session(bind=conn) as session:
        chain.append(
            session,
            at=now(),
            actor_id=None,
            actor_login="someone_else",
            action="settings.edit",
            entity_type="settings",
            entity_id="x",
            after={},
        )
        session.flush()
    after = CommentService(sync_hub.ctx(a)).log(account.id, now() - timedelta(minutes=1), "Bye")

    pushed = sync_a.push()
    assert "someone_else" in pushed.blocked
    assert status(a.engine).blocked == pushed.blocked
    with sync_hub.hub.db.read() as s:
        assert s.get(Comment, before.id) is not None
        assert s.get(Comment, after.id) is None
    with a.engine.connect() as conn:
        waiting = conn.execute(select(sync_outbox.c.table_name).order_by(sync_outbox.c.pos))
        assert list(waiting.scalars()) == ["audit_events", "comments", "audit_events"]


def test_two_copies_pushing_the_same_records_in_opposite_orders_do_not_deadlock(
    sync_hub: SyncHub, tmp_path: Path
) -> None:
    """One copy changed A then B, the other B then A. Each push locked its first row and then
    waited for the audit chain's lock (taken by the hub's triggers) that the other held while
    it wanted that row: PostgreSQL ended one push with 'deadlock detected', which the copy took
    for the hub being unreachable. Every push now takes the chain's lock before its first row."""
    import threading
    import time

    first = make_account(sync_hub, "SKHealthFirst")
    second = make_account(sync_hub, "SKHealthSecond")
    a, sync_a = sync_hub.replica("officer", tmp_path / "a.sqlite3")
    b, sync_b = sync_hub.replica("comms", tmp_path / "b.sqlite3")
    edit(a, sync_hub, first.id, "a: first")
    edit(a, sync_hub, second.id, "a: second")
    edit(b, sync_hub, second.id, "b: second")
    edit(b, sync_hub, first.id, "b: first")

    errors: list[BaseException] = []

    def push_b() -> None:
        try:
            sync_b.push()
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    other = threading.Thread(target=push_b)
    applied = sync_a._apply

    def apply_then_let_b_in(*args: Any) -> Any:
        out = applied(*args)
        if not other.is_alive() and other.ident is None:
            other.start()
            time.sleep(1.5)  # b takes its first row's lock, then waits for a's chain lock
        return out

    sync_a._apply = apply_then_let_b_in  # type: ignore[method-assign]
    try:
        pushed_a = sync_a.push()
    except BaseException as exc:  # noqa: BLE001
        errors.append(exc)
        pushed_a = None
    other.join(60)
    sync_a._apply = applied  # type: ignore[method-assign]
    assert errors == []
    assert pushed_a is not None
    assert pushed_a.pushed >= 4
    for _round in range(3):
        for syncer in (sync_a, sync_b):
            syncer.sync_once()
            for c in resolve.open_conflicts(syncer.local):
                resolve.resolve(syncer.local, c["id"], resolve.KEEP_THEIRS, now())
    everything_agrees(sync_hub, a, b)
