from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from desktop.enums import Platform
from desktop.errors import DomainError
from desktop.models import Account, AuditEvent
from desktop.services.accounts import AccountService
from desktop.services.context import ServiceContext
from desktop.services.transfer import ImportRefused, TransferService
from desktop.storage.database import Database, open_database
from tests.factories import Cast


def _strip_meta(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in ("exported_at", "exported_by", "source")}


def _export(db: Database, path: Path) -> dict[str, Any]:
    TransferService(ServiceContext(db, "admin")).export_file(path)
    return json.loads(path.read_text(encoding="utf-8"))


def _restored(first: dict[str, Any], second: dict[str, Any]) -> None:
    """The second export is the first plus the restore, recorded by the person who did it."""
    first, second = _strip_meta(first), _strip_meta(second)
    *events, restore = second["tables"].pop("audit_events")
    assert events == first["tables"].pop("audit_events")
    assert second == first
    assert (restore["action"], restore["actor_login"]) == ("data.restore", "admin")


def test_round_trip_gives_the_same_document(cast: Cast, tmp_path: Path) -> None:
    account = cast.account("RoundTrip", Platform.FACEBOOK, purpose="Ünïcödé — 健康")
    AccountService(cast.ctx("officer")).record_password_change(account.id)
    first = _export(cast.db, tmp_path / "first.json")
    assert first["format_version"] == 2
    assert len(first["tables"]["accounts"]) == 1

    target = open_database(tmp_path / "target.sqlite3")
    summary = TransferService(ServiceContext(target, "admin")).import_file(tmp_path / "first.json")
    assert summary.rows == sum(len(rows) for rows in first["tables"].values())
    second = _export(target, tmp_path / "second.json")
    _restored(first, second)
    from desktop.services import audit

    with target.read() as s:
        assert audit.verify(s).ok
    target.dispose()


def test_import_into_non_empty_database_is_refused(cast: Cast, tmp_path: Path) -> None:
    doc = _export(cast.db, tmp_path / "doc.json")
    with pytest.raises(DomainError, match="already has data"):
        TransferService(cast.ctx("admin")).import_document(doc)


@pytest.mark.parametrize(
    ("mutate", "path", "problem"),
    [
        (lambda d: d.update(format="other"), "$.format", "not a smgov-desk export"),
        (lambda d: d.update(format_version=99), "$.format_version", "not supported"),
        (
            lambda d: d["tables"]["accounts"][0].update(platform="myspace"),
            "$.tables.accounts[0].platform",
            "not one of",
        ),
        (
            lambda d: d["tables"]["accounts"][0].update(created_at="2026-01-01T00:00:00"),
            "$.tables.accounts[0].created_at",
            "time zone",
        ),
        (
            lambda d: d["tables"]["accounts"][0].update(
                ministry_id="9c1b0f7e-0000-4000-8000-000000000000"
            ),
            "$.tables.accounts[0].ministry_id",
            "not in the file",
        ),
        (
            lambda d: d["tables"]["accounts"][0].pop("handle"),
            "$.tables.accounts[0].handle",
            "missing",
        ),
        (
            lambda d: d["tables"]["people"][2].update(active="yes"),
            "$.tables.people[2].active",
            "true or false",
        ),
        (
            lambda d: d["tables"]["audit_events"][1].update(actor_login="mallory"),
            "$.tables.audit_events[1]",
            "hash",
        ),
        (lambda d: d["tables"].update(bogus=[]), "$.tables.bogus", "not a table"),
    ],
)
def test_malformed_file_is_refused_with_path_and_nothing_written(
    cast: Cast, tmp_path: Path, mutate: Any, path: str, problem: str
) -> None:
    cast.account("Malformed", Platform.FACEBOOK)
    doc = _export(cast.db, tmp_path / "doc.json")
    mutate(doc)
    target = open_database(tmp_path / "empty.sqlite3")
    with pytest.raises(ImportRefused, match=problem) as err:
        TransferService(ServiceContext(target, "admin")).import_document(doc)
    assert err.value.path == path
    with target.read() as s:
        assert s.scalar(select(func.count()).select_from(Account)) == 0
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == 0
    target.dispose()


def test_not_json_names_the_line(tmp_path: Path, sqlite_db: Database) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "smgov-desk-export",\n  oops}', encoding="utf-8")
    with pytest.raises(ImportRefused, match="line 2"):
        TransferService(ServiceContext(sqlite_db)).import_file(bad)


@pytest.mark.tampers  # empties the tables directly
def test_round_trip_into_the_same_kind_of_database(cast: Cast, tmp_path: Path) -> None:
    """Export, empty the database, import, export again: on SQLite and on PostgreSQL."""
    from sqlalchemy import delete

    from desktop.models import Base

    cast.account("SameKind", Platform.X)
    first = _export(cast.db, tmp_path / "first.json")
    with cast.db.write() as s:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name != "database_meta":  # the database itself stays
                s.execute(delete(table))
    TransferService(cast.ctx("admin")).import_file(tmp_path / "first.json")
    second = _export(cast.db, tmp_path / "second.json")
    _restored(first, second)
