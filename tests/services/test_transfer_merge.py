"""``import --merge`` of the app's own export: records already present are matched, changed
ones reported, irreconcilable ones refused in one sentence with nothing written."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from desktop import cli
from desktop.enums import Platform
from desktop.errors import DomainError
from desktop.models import Account, AuditEvent, Base, Comment
from desktop.services.accounts import AccountService
from desktop.services.comments import CommentService
from desktop.services.context import ServiceContext
from desktop.services.transfer import TransferService
from desktop.storage.database import Database, open_database
from tests.factories import Cast, make_cast

RECEIVED = datetime(2026, 11, 16, 17, 0, tzinfo=UTC)
CITIZEN = "Marguerite Citizen-Whitehorse"


def _with_comments(cast: Cast) -> Account:
    account = cast.account("MergeHealth", Platform.FACEBOOK)
    comments = CommentService(cast.ctx("officer"))
    for n in range(3):
        comments.log(
            account.id,
            RECEIVED,
            f"Question {n} about clinic hours",
            author_name=CITIZEN,
            author_handle=f"citizen{n}",
        )
    return account


def _export(db: Database, path: Path) -> dict[str, Any]:
    TransferService(ServiceContext(db, "admin")).export_file(path)
    return json.loads(path.read_text(encoding="utf-8"))


def _counts(db: Database) -> dict[str, int]:
    with db.read() as s:
        return {
            t.name: s.scalar(select(func.count()).select_from(t)) or 0
            for t in Base.metadata.sorted_tables
        }


def test_merging_the_own_export_matches_every_record(cast: Cast, tmp_path: Path) -> None:
    _with_comments(cast)
    doc = _export(cast.db, tmp_path / "own.json")
    before = _counts(cast.db)
    summary = TransferService(cast.ctx("admin")).import_file(
        tmp_path / "own.json", allow_non_empty=True
    )
    audit_rows = len(doc["tables"]["audit_events"])
    assert summary.inserted == 0
    assert summary.matched == summary.rows - audit_rows
    assert summary.updated == summary.kept == 0
    after = _counts(cast.db)
    assert after.pop("audit_events") == before.pop("audit_events") + 1
    assert after == before
    with cast.db.read() as s:
        last = s.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one()
    assert (last.action, last.actor_login) == ("data.import_merge", "admin")
    assert '"matched":' in last.after


def test_merge_adds_new_records_and_reports_the_changed_ones(cast: Cast, tmp_path: Path) -> None:
    account = _with_comments(cast)
    _export(cast.db, tmp_path / "old.json")
    AccountService(cast.ctx("officer")).record_password_change(account.id)
    CommentService(cast.ctx("officer")).log(account.id, RECEIVED, "A later question")
    _export(cast.db, tmp_path / "new.json")

    # The older file into the database that moved on: its edit is kept, nothing is added.
    older = TransferService(cast.ctx("admin")).import_file(
        tmp_path / "old.json", allow_non_empty=True
    )
    assert (older.inserted, older.updated, older.kept) == (0, 0, 1)
    assert older.changes == [f"account @MergeHealth ({account.id}): kept this database's version 2"]

    # The newer file into a copy of the older state: the edit and the comment arrive.
    target = open_database(tmp_path / "target.sqlite3")
    TransferService(ServiceContext(target, "admin")).import_file(tmp_path / "old.json")
    newer = TransferService(ServiceContext(target, "admin")).import_file(
        tmp_path / "new.json", allow_non_empty=True
    )
    assert newer.inserted == 1
    assert newer.updated == 1
    assert "updated to the file's version 2" in newer.changes[0]
    with target.read() as s:
        assert s.scalar(select(func.count()).select_from(Comment)) == 4
        assert s.get(Account, account.id).password_changed_at is not None  # type: ignore[union-attr]
    target.dispose()


def test_two_different_copies_at_one_version_are_refused_naming_the_record(
    cast: Cast, tmp_path: Path
) -> None:
    account = _with_comments(cast)
    doc = _export(cast.db, tmp_path / "own.json")
    row = next(r for r in doc["tables"]["accounts"] if r["handle"] == "MergeHealth")
    row["purpose"] = "Edited elsewhere"
    before = _counts(cast.db)
    with pytest.raises(DomainError) as err:
        TransferService(cast.ctx("admin")).import_document(doc, allow_non_empty=True)
    message = str(err.value)
    assert "\n" not in message
    assert f"account @MergeHealth ({account.id})" in message
    assert "nothing was imported" in message
    assert CITIZEN not in message
    assert _counts(cast.db) == before


def test_a_new_record_taking_an_existing_login_is_refused(cast: Cast, tmp_path: Path) -> None:
    doc = _export(cast.db, tmp_path / "own.json")
    twin = dict(next(r for r in doc["tables"]["people"] if r["login"] == "officer"))
    twin["id"] = "6b0d3b7e-0000-4000-8000-000000000001"
    doc["tables"]["people"].append(twin)
    before = _counts(cast.db)
    with pytest.raises(DomainError, match=r"person officer .* same login as a different record"):
        TransferService(cast.ctx("admin")).import_document(doc, allow_non_empty=True)
    assert _counts(cast.db) == before


def test_cli_merge_prints_one_line_and_names_no_citizen(
    sqlite_db: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    signed_in: Callable[[str], None],
) -> None:
    signed_in("admin")
    cast = make_cast(sqlite_db, lambda: datetime(2026, 11, 18, 15, 0, tzinfo=UTC))
    _with_comments(cast)
    doc = _export(cast.db, tmp_path / "own.json")
    db_arg = ["--db", str(cast.db.url.database)]
    assert cli.main(["import", *db_arg, "--merge", str(tmp_path / "own.json")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Merged ")
    assert "0 new" in out

    next(r for r in doc["tables"]["comments"])["text"] = "changed"
    (tmp_path / "changed.json").write_text(json.dumps(doc), encoding="utf-8")
    assert cli.main(["import", *db_arg, "--merge", str(tmp_path / "changed.json")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("smgov: The file's comment ")
    assert CITIZEN not in err
