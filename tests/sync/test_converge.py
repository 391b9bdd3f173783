"""Two replicas of one hub: work on one arrives on the other, and every copy verifies."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from desktop.enums import Platform, PostingTool
from desktop.models import Comment
from desktop.services.accounts import AccountInput, AccountService
from desktop.services.comments import CommentService
from desktop.sync.engine import status
from desktop.sync.tables import sync_outbox
from tests.sync.conftest import SyncHub, contents, now, verify_ok


def _account(sh: SyncHub, handle: str = "SKHealthSync") -> object:
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


def test_work_on_one_replica_arrives_on_the_other(sync_hub: SyncHub, tmp_path: Path) -> None:
    account = _account(sync_hub)
    a, sync_a = sync_hub.replica("officer", tmp_path / "a.sqlite3")
    b, sync_b = sync_hub.replica("comms", tmp_path / "b.sqlite3")
    assert a.session_login() == sync_hub.login("officer")

    comment = CommentService(sync_hub.ctx(a)).log(
        account.id,
        now() - timedelta(minutes=5),
        "When does the clinic open?",  # type: ignore[attr-defined]
    )
    with a.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(sync_outbox)).scalar_one() >= 2
    assert status(a.engine).waiting == 1

    pushed, _ = sync_a.sync_once()
    assert (pushed.pushed >= 2, pushed.conflicts, pushed.rejected) == (True, 0, 0)
    sync_b.sync_once()
    with b.read() as s:
        got = s.get(Comment, comment.id)
        assert got is not None
        assert got.text == "When does the clinic open?"
    sync_a.sync_once()  # the branch positions of a's events come back

    hub = sync_hub.hub.db.engine
    assert contents(a.engine) == contents(hub)
    assert contents(b.engine) == contents(hub)
    for engine in (hub, a.engine, b.engine):
        verify_ok(engine)
    assert (status(a.engine).waiting, status(a.engine).events_waiting) == (0, 0)


def test_a_pulled_emergency_moves_the_due_times_of_comments_logged_offline(
    sync_hub: SyncHub, tmp_path: Path
) -> None:
    from desktop.enums import EmergencyKind
    from desktop.services.context import ServiceContext
    from desktop.services.emergencies import EmergencyService

    account = _account(sync_hub)
    a, sync_a = sync_hub.replica("officer", tmp_path / "a.sqlite3")
    comment = CommentService(sync_hub.ctx(a)).log(
        account.id,  # type: ignore[attr-defined]
        now() - timedelta(minutes=5),
        "Is the highway open?",
    )
    before = (comment.acknowledge_due_at, comment.answer_due_at)
    dso = ServiceContext(sync_hub.hub.database("dso"), clock=now)
    EmergencyService(dso).declare(
        EmergencyKind.FOREST_FIRE,
        "Wildfire",
        [sync_hub.hub.ministries["HEA"].id],
        declared_at=now() - timedelta(hours=1),
    )
    dso.db.dispose()
    _, pulled = sync_a.sync_once()  # pushes the comment, then pulls the emergency
    assert pulled.recomputed == 1
    with a.read() as s:
        got = s.get(Comment, comment.id)
        assert got is not None
        assert got.emergency_id is not None
        # The emergency's clock: elapsed hours from receipt (1 to acknowledge, 48 to answer),
        # not business hours. Shorter on a weekday; on a Sunday evening the business clock's
        # "next day's close" (Tuesday 17:00) comes before 48 hours, so compare with the rule.
        received = got.received_at
        assert got.acknowledge_due_at == received + timedelta(hours=1)
        assert got.answer_due_at == received + timedelta(hours=48)
        assert (got.acknowledge_due_at, got.answer_due_at) != before
    sync_a.sync_once()
    hub = sync_hub.hub.db.engine
    assert contents(a.engine) == contents(hub)
    verify_ok(hub)
    verify_ok(a.engine)


def test_a_replica_of_records_vouched_for_in_bulk_verifies(
    sync_hub: SyncHub, tmp_path: Path
) -> None:
    """Demo data, an import or a migration's baseline vouch for whole tables in one event:
    their records' digests exist only in the hub's kept digests, which the first copy
    brings along (without them the replica named each such record as added outside the
    app)."""
    from sqlalchemy import insert
    from sqlalchemy.orm import Session

    from desktop.models import Ministry
    from desktop.models.base import new_id
    from desktop.storage.auditlog.baseline import baseline

    hub = sync_hub.hub.db.engine
    with Session(bind=hub) as session, session.begin():
        session.execute(
            insert(Ministry).values(id=new_id(), code="SEED", name="Ministry of Seeding")
        )
        assert (
            baseline(session, now(), reason="loaded in bulk", tables=[Ministry.__table__])
            is not None
        )
    verify_ok(hub)

    a, _ = sync_hub.replica("officer", tmp_path / "a.sqlite3")
    assert contents(a.engine) == contents(hub)
    verify_ok(a.engine)
