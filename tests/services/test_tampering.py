"""Changes made outside the app are caught: of the log itself (edit, delete, truncate,
re-hash) and of the records it vouches for (five kinds), by ``audit verify`` on both databases.

The tampering is done the way an attacker with a plain SQL client would: straight to the tables.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import text

from desktop.enums import AppRole, CommentStatus, Platform
from desktop.services import audit
from desktop.services.audit_service import AuditService
from desktop.services.comments import CommentService
from desktop.storage.database import Database
from tests.factories import Cast

pytestmark = pytest.mark.tampers


def _verify(cast: Cast) -> audit.ChainReport:
    return AuditService(cast.ctx("auditor")).verify()


def _sql(db: Database, statement: str, **params: object) -> None:
    with db.engine.begin() as conn:
        conn.execute(text(statement), params)


def _uid(db: Database, value: object) -> object:
    """An id as the table stores it (SQLite: 32 hex digits)."""
    return value.hex if db.is_sqlite else value


@pytest.fixture
def answered(cast: Cast) -> Cast:
    """An account, a comment logged, acknowledged and answered: records of several kinds."""
    account = cast.account("Tamper", Platform.FACEBOOK)
    comments = CommentService(cast.ctx("officer"))
    received = cast.clock() - timedelta(hours=3)
    comment = comments.log(account.id, received, "When does the clinic open?")
    comments.acknowledge(comment.id)
    comments.respond(comment.id, "public_answer", text="At nine.", restricted_topics_cleared=True)
    cast.extra = {"account": account, "comment": comment}  # type: ignore[attr-defined]
    assert _verify(cast).ok, _verify(cast).message
    return cast


def test_an_untouched_log_verifies(answered: Cast) -> None:
    report = _verify(answered)
    assert report.ok
    assert report.records_checked > 20


def test_an_accounts_owner_changed_outside_the_app_is_named(answered: Cast) -> None:
    account = answered.extra["account"]  # type: ignore[attr-defined]
    db = answered.db
    _sql(
        db,
        "UPDATE accounts SET owner_id = :o WHERE id = :i",
        o=_uid(db, answered.people["agency"].id),
        i=_uid(db, account.id),
    )
    report = _verify(answered)
    assert not report.ok
    assert [(r.table, r.record_id, r.kind) for r in report.records] == [
        ("accounts", str(account.id), "changed")
    ]
    assert f"accounts {account.id}" in report.message
    assert "was changed outside the app" in report.message


def test_an_admin_role_inserted_outside_the_app_is_named(answered: Cast) -> None:
    db = answered.db
    officer = answered.people["officer"]
    _sql(
        db,
        "INSERT INTO person_roles (person_id, role) VALUES (:p, 'admin')",
        p=_uid(db, officer.id),
    )
    report = _verify(answered)
    assert [(r.table, r.record_id, r.kind) for r in report.records] == [
        ("person_roles", f"{officer.id}/{AppRole.ADMIN.value}", "added")
    ]


def test_a_comment_and_its_responses_deleted_outside_the_app_are_named(answered: Cast) -> None:
    db = answered.db
    comment = answered.extra["comment"]  # type: ignore[attr-defined]
    _sql(db, "DELETE FROM responses WHERE comment_id = :c", c=_uid(db, comment.id))
    _sql(db, "DELETE FROM comments WHERE id = :c", c=_uid(db, comment.id))
    report = _verify(answered)
    kinds = {(r.table, r.kind) for r in report.records}
    assert kinds == {("comments", "deleted"), ("responses", "deleted")}
    assert str(comment.id) in report.message


def test_an_acknowledgement_backdated_outside_the_app_is_named(answered: Cast) -> None:
    db = answered.db
    comment = answered.extra["comment"]  # type: ignore[attr-defined]
    earlier = answered.clock() - timedelta(hours=2, minutes=55)
    stored = earlier.replace(tzinfo=None).isoformat(" ") + ".000000" if db.is_sqlite else earlier
    _sql(
        db,
        "UPDATE comments SET acknowledged_at = :t WHERE id = :c",
        t=stored,
        c=_uid(db, comment.id),
    )
    report = _verify(answered)
    assert [(r.table, r.record_id, r.kind) for r in report.records] == [
        ("comments", str(comment.id), "changed")
    ]


def test_a_setting_changed_outside_the_app_is_named(answered: Cast) -> None:
    _sql(
        answered.db,
        "INSERT INTO settings (key, value, version, created_at, updated_at) "
        "VALUES ('strike_threshold', '99', 1, '2026-11-18 15:00:00', '2026-11-18 15:00:00')",
    )
    report = _verify(answered)
    assert [(r.table, r.record_id, r.kind) for r in report.records] == [
        ("settings", "strike_threshold", "added")
    ]


def test_a_record_changed_with_its_kept_digest_is_still_caught(answered: Cast) -> None:
    """Whoever also rewrites ``record_digests`` to match is caught by the log's sums."""
    db = answered.db
    account = answered.extra["account"]  # type: ignore[attr-defined]
    _sql(db, "UPDATE accounts SET purpose = 'hijacked' WHERE id = :i", i=_uid(db, account.id))
    from desktop.models import Account
    from desktop.storage.auditlog import digests

    with db.read() as s:
        fresh = dict(digests.scan(s, Account.__table__))[str(account.id)]  # type: ignore[arg-type]
    _sql(
        db,
        "UPDATE record_digests SET digest = :d WHERE table_name = 'accounts' AND record_id = :r",
        d=fresh,
        r=str(account.id),
    )
    report = _verify(answered)
    assert not report.ok
    assert "do not add up to what the audit log recorded" in report.message


def test_editing_an_event_is_caught_at_that_event(answered: Cast) -> None:
    _sql(answered.db, "UPDATE audit_events SET actor_login = 'mallory' WHERE seq = 5")
    report = _verify(answered)
    assert (report.ok, report.broken_seq) == (False, 5)


def test_deleting_the_last_events_is_caught(answered: Cast) -> None:
    _sql(
        answered.db, "DELETE FROM audit_events WHERE seq > (SELECT max(seq) - 3 FROM audit_events)"
    )
    report = _verify(answered)
    assert not report.ok
    assert "do not add up" in report.message


def test_deleting_every_event_is_caught(answered: Cast) -> None:
    _sql(answered.db, "DELETE FROM audit_events")
    report = _verify(answered)
    assert (report.ok, report.events) == (False, 0)
    assert "do not add up" in report.message


def test_truncating_the_log_is_caught(answered: Cast) -> None:
    statement = "DELETE FROM audit_events" if answered.db.is_sqlite else "TRUNCATE audit_events"
    _sql(answered.db, statement)
    assert not _verify(answered).ok


def test_editing_an_event_and_rehashing_everything_after_it_is_caught(answered: Cast) -> None:
    """A consistent rewrite of the chain: the records still add up, so only an anchor held
    outside the database (a checkpoint) catches it; here the head's hash noted before."""
    db = answered.db
    with db.read() as s:
        head_seq, head_hash = audit.chain_head(s)
    anchor = audit.Anchor(head_seq, head_hash, "checkpoint given on the command line")
    _rewrite_from(db, 5, actor_login="mallory")
    with db.read() as s:
        plain = audit.verify(s)
        anchored = audit.verify(s, [anchor])
    assert plain.ok  # nothing inside the database betrays a complete rewrite…
    assert not anchored.ok  # …but the hash noted outside it does
    assert f"at #{head_seq}" in anchored.message


def _rewrite_from(db: Database, seq: int, **changes: object) -> None:
    """Change event ``seq`` and re-hash it and every later event, as an attacker would."""
    from desktop.models import AuditEvent
    from desktop.storage.auditlog.chain import hash_origin

    with db.write() as s:
        events = s.query(AuditEvent).filter(AuditEvent.seq >= seq).order_by(AuditEvent.seq).all()
        earlier = s.query(AuditEvent).filter(AuditEvent.seq < seq).order_by(AuditEvent.seq).all()
        # Each origin's chain goes on from its own last event (the log may hold events of
        # several origins: a restored cast keeps the origin of the database it was made in).
        origin_prev = {e.origin: e.origin_hash for e in earlier}
        prev = earlier[-1].hash
        for i, event in enumerate(events):
            if i == 0:
                for key, value in changes.items():
                    setattr(event, key, value)
            event.origin_prev_hash = origin_prev.get(event.origin, event.origin_prev_hash)
            event.origin_hash = hash_origin(event)
            event.prev_hash = prev
            event.hash = audit.branch_hash(event.seq, prev, event.origin_hash)
            origin_prev[event.origin], prev = event.origin_hash, event.hash
        _ = json


def test_a_comment_logged_by_the_app_is_not_flagged(answered: Cast) -> None:
    comment = answered.extra["comment"]  # type: ignore[attr-defined]
    CommentService(answered.ctx("officer")).close(comment.id, "no_response_needed")
    report = _verify(answered)
    assert report.ok, report.message
    assert CommentStatus.CLOSED
