"""Signed checkpoints anchor the audit chain (issue 12, Deliver 3; docs/trust-and-sync.md §5).

Cutting events off the end of the log, deleting all of it, or rewriting it and re-computing
every hash is caught against the latest checkpoint in the database, and against a checkpoint
given on the command line when the checkpoints themselves are gone too. Tampering is done as
an attacker with a plain SQL client would: straight to the tables.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select, text

from desktop import cli
from desktop.enums import Platform
from desktop.errors import DomainError
from desktop.models import AuditEvent, Checkpoint, SigningKey
from desktop.reports.service import generate_report
from desktop.reports.spec import ReportKind, ReportSpec
from desktop.services import audit
from desktop.services.audit_service import AuditService
from desktop.services.checkpoints import CheckpointService
from desktop.services.checkpoints.signing import KEYRING_SERVICE
from desktop.services.comments import CommentService
from desktop.services.context import ServiceContext
from desktop.services.transfer import ImportRefused, TransferService
from desktop.storage.auditlog.chain import hash_origin
from desktop.storage.database import Database, open_database
from tests.conftest import MemoryKeyring
from tests.factories import Cast

pytestmark = pytest.mark.tampers


@pytest.fixture
def keys(_isolated_user_folders: MemoryKeyring) -> MemoryKeyring:
    """The in-memory keyring the tests run with."""
    return _isolated_user_folders


@pytest.fixture
def logged(cast: Cast) -> Cast:
    """More than 50 events: the cast's, then 45 comments logged one by one."""
    account = cast.account("Anchor", Platform.FACEBOOK)
    comments = CommentService(cast.ctx("officer"))
    received = cast.clock() - timedelta(hours=1)
    for i in range(45):
        comments.log(account.id, received, f"Question {i}")
    return cast


def _verify(cast: Cast, checkpoint: str | None = None) -> audit.ChainReport:
    return AuditService(cast.ctx("auditor")).verify(checkpoint)


def _sql(db: Database, statement: str) -> None:
    with db.engine.begin() as conn:
        conn.execute(text(statement))


def _events(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(AuditEvent)) or 0


def test_a_checkpoint_is_signed_with_a_key_kept_in_the_keyring(
    logged: Cast, keys: MemoryKeyring
) -> None:
    events = _events(logged.db)
    checkpoint = CheckpointService(logged.ctx("auditor")).sign()

    assert checkpoint.seq == events  # the head before the checkpoint's own event
    private = keys.store[(KEYRING_SERVICE, "auditor")]
    with logged.db.read() as s:
        key = s.scalars(select(SigningKey)).one()
        stored = s.scalars(select(Checkpoint)).one()
    assert key.person_id == logged.people["auditor"].id
    assert len(key.public_key) == 64
    assert private not in (key.public_key, stored.signature)
    report = _verify(logged)
    assert report.ok, report.message
    assert f"checkpoint #{events} signed by auditor" in report.message
    assert report.message.endswith("holds.")
    # A second checkpoint reuses the registered key.
    CheckpointService(logged.ctx("auditor")).sign()
    with logged.db.read() as s:
        assert s.scalar(select(func.count()).select_from(SigningKey)) == 1


def test_deleting_the_last_50_events_is_caught_by_the_checkpoint(logged: Cast) -> None:
    checkpoint = CheckpointService(logged.ctx("auditor")).sign()
    _sql(logged.db, "DELETE FROM audit_events WHERE seq > (SELECT max(seq) - 50 FROM audit_events)")

    report = _verify(logged)

    assert not report.ok
    assert f"The checkpoint #{checkpoint.seq} signed by auditor" in report.message
    assert "events were removed from its end" in report.message


def test_deleting_every_event_is_caught_by_the_checkpoint(logged: Cast) -> None:
    checkpoint = CheckpointService(logged.ctx("auditor")).sign()
    _sql(logged.db, "DELETE FROM audit_events")

    report = _verify(logged)

    assert (report.ok, report.events) == (False, 0)
    assert f"vouches for event #{checkpoint.seq}, but the log ends at #0" in report.message


def _rewrite_from(db: Database, seq: int) -> None:
    """Change event ``seq`` and re-hash it and every later event, as an attacker would."""
    with db.write() as s:
        events = s.query(AuditEvent).filter(AuditEvent.seq >= seq).order_by(AuditEvent.seq).all()
        before = s.query(AuditEvent).filter(AuditEvent.seq == seq - 1).one()
        origin_prev, prev = before.origin_hash, before.hash
        for i, event in enumerate(events):
            if i == 0:
                event.actor_login = "mallory"
            event.origin_prev_hash = origin_prev
            event.origin_hash = hash_origin(event)
            event.prev_hash = prev
            event.hash = audit.branch_hash(event.seq, prev, event.origin_hash)
            origin_prev, prev = event.origin_hash, event.hash


def test_an_edit_rehashed_through_the_chain_is_caught_by_the_checkpoint(logged: Cast) -> None:
    checkpoint = CheckpointService(logged.ctx("auditor")).sign()
    _rewrite_from(logged.db, 20)

    report = _verify(logged)

    assert not report.ok
    assert report.broken_seq == checkpoint.seq
    assert "vouches for a different hash" in report.message
    assert "the log was rewritten" in report.message


def test_a_checkpoint_rewritten_to_match_fails_its_signature(logged: Cast) -> None:
    CheckpointService(logged.ctx("auditor")).sign()
    _rewrite_from(logged.db, 20)
    with logged.db.read() as s:
        seq = s.scalar(select(Checkpoint.seq))
        new_head = s.scalar(select(AuditEvent.hash).where(AuditEvent.seq == seq))
    _sql(logged.db, f"UPDATE checkpoints SET head_hash = '{new_head}'")

    report = _verify(logged)

    assert not report.ok
    assert "does not match its signature: it was changed outside the app" in report.message


def test_with_the_checkpoints_gone_too_a_checkpoint_given_by_hand_still_catches_it(
    logged: Cast, signed_in: Callable[[str], None], capsys: pytest.CaptureFixture[str]
) -> None:
    checkpoint = CheckpointService(logged.ctx("auditor")).sign()
    _rewrite_from(logged.db, 20)
    _sql(logged.db, "DELETE FROM checkpoints")
    _sql(logged.db, "DELETE FROM signing_keys")
    signed_in("auditor")
    target = str(logged.db.url.database) if logged.db.is_sqlite else _url(logged.db)

    assert cli.main(["audit", "verify", "--db", target, "--checkpoint", checkpoint.token]) == 1
    err = capsys.readouterr().err
    said = "the checkpoint given on the command line vouches for a different hash at"
    assert f"{said} #{checkpoint.seq}" in err

    assert _verify(logged, checkpoint.token).broken_seq == checkpoint.seq
    with pytest.raises(DomainError, match="give the event number and the hash"):
        _verify(logged, "yesterday")


def _url(db: Database) -> str:
    return db.url.render_as_string(hide_password=False)


def test_an_untouched_log_holds_against_a_checkpoint_given_by_hand(
    logged: Cast, signed_in: Callable[[str], None], capsys: pytest.CaptureFixture[str]
) -> None:
    checkpoint = CheckpointService(logged.ctx("auditor")).sign()
    signed_in("auditor")
    target = str(logged.db.url.database) if logged.db.is_sqlite else _url(logged.db)

    assert cli.main(["audit", "verify", "--db", target, "--checkpoint", checkpoint.token]) == 0
    out = capsys.readouterr().out
    assert "checkpoint given on the command line holds" in out

    assert cli.main(["audit", "checkpoint", "--db", target]) == 0
    assert f"Checkpoint signed: event #{checkpoint.seq + 1}" in capsys.readouterr().out


def test_every_report_page_prints_the_latest_checkpoint(logged: Cast, tmp_path: Path) -> None:
    path = tmp_path / "before.pdf"
    generate_report(logged.ctx("dci"), ReportSpec(ReportKind.PERMISSIONS), path)
    first = PdfReader(path).pages[0].extract_text()
    assert "No signed checkpoint of the audit log yet" in first

    checkpoint = CheckpointService(logged.ctx("auditor")).sign()
    path = tmp_path / "after.pdf"
    generate_report(logged.ctx("dci"), ReportSpec(ReportKind.PERMISSIONS), path)
    pages = PdfReader(path).pages
    for page in pages:
        flat = " ".join(page.extract_text().split())
        assert f"Audit log checkpoint #{checkpoint.seq} {checkpoint.short_hash}" in flat
        assert f"--checkpoint {checkpoint.token}" in flat


# -- an export carries its checkpoints: import holds the file's log against them -----------


def _import_into_empty(cast: Cast, tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    TransferService(ServiceContext(cast.db, "admin")).export_file(path)
    empty = open_database(tmp_path / "empty.sqlite3")
    try:
        TransferService(ServiceContext(empty, "admin")).import_file(path)
    except ImportRefused:
        with empty.read() as s:
            assert not s.scalar(select(func.count()).select_from(AuditEvent))
        raise
    finally:
        empty.dispose()


def test_an_export_of_a_rewritten_log_is_refused_by_its_checkpoint(
    logged: Cast, tmp_path: Path
) -> None:
    checkpoint = CheckpointService(logged.ctx("auditor")).sign()
    _rewrite_from(logged.db, 20)  # consistent: only the checkpoint betrays it

    with pytest.raises(ImportRefused) as refused:
        _import_into_empty(logged, tmp_path)

    assert refused.value.path == "$.tables.checkpoints[0]"
    assert f"checkpoint #{checkpoint.seq} vouches for a different hash" in str(refused.value)
    assert "Nothing was imported" in str(refused.value)


def test_an_export_with_its_last_events_cut_is_refused_by_its_checkpoint(
    logged: Cast, tmp_path: Path
) -> None:
    checkpoint = CheckpointService(logged.ctx("auditor")).sign()
    _sql(logged.db, "DELETE FROM audit_events WHERE seq > (SELECT max(seq) - 50 FROM audit_events)")

    with pytest.raises(ImportRefused) as refused:
        _import_into_empty(logged, tmp_path)

    assert f"checkpoint #{checkpoint.seq} vouches for more events than" in str(refused.value)


def test_an_export_with_a_checkpoint_intact_imports(logged: Cast, tmp_path: Path) -> None:
    CheckpointService(logged.ctx("auditor")).sign()
    _import_into_empty(logged, tmp_path)
