from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop.cli import main
from desktop.enums import Platform
from desktop.errors import PermissionDenied
from desktop.services.audit_service import AuditService
from desktop.storage.database import Database
from tests.factories import Cast


def test_every_change_is_a_chained_event(cast: Cast) -> None:
    cast.account("Chained", Platform.FACEBOOK)
    report = AuditService(cast.ctx("auditor")).verify()
    assert report.ok, report.message
    assert report.events >= 14  # two ministries, eleven people, one account
    rows = AuditService(cast.ctx("auditor")).recent(5)
    assert rows[0].action == "account.create"
    assert [r.seq for r in rows] == sorted((r.seq for r in rows), reverse=True)


@pytest.mark.tampers
@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("actor_login", "'mallory'"),
        ("after", "'{}'"),
        ("occurred_at", "occurred_at"),
        ("action", "'x'"),
    ],
)
def test_editing_any_stored_field_breaks_the_chain_at_that_event(
    db: Database, cast: Cast, column: str, value: str
) -> None:
    if column == "occurred_at":
        value = (
            "'2020-01-01 00:00:00.000000'" if db.is_sqlite else "TIMESTAMPTZ '2020-01-01 00:00Z'"
        )
    with db.engine.begin() as conn:
        conn.execute(text(f"UPDATE audit_events SET {column} = {value} WHERE seq = 5"))
    report = AuditService(cast.ctx("auditor")).verify()
    assert not report.ok
    assert report.broken_seq == 5
    assert "#5" in report.message


@pytest.mark.tampers
def test_deleting_an_event_is_detected(db: Database, cast: Cast) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_events WHERE seq = 3"))
    report = AuditService(cast.ctx("auditor")).verify()
    assert not report.ok
    assert report.broken_seq == 4


def test_agency_may_not_read_the_audit_log(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        AuditService(cast.ctx("agency")).verify()


def test_cli_audit_verify_catches_a_row_edited_with_a_plain_sql_client(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cli.sqlite3"
    from desktop.services.context import ServiceContext
    from desktop.services.people import PeopleService
    from desktop.storage.database import open_database

    db = open_database(path)
    me = ServiceContext(db)  # the operating-system account running the tests
    PeopleService(me).bootstrap_admin(me.login, "Me Myself", "me@gov.sk.ca")
    PeopleService(me).add_ministry("HEA", "Ministry of Health")
    PeopleService(me).add_ministry("ENV", "Ministry of Environment")
    db.dispose()
    assert main(["audit", "verify", "--db", str(path)]) == 0
    assert "intact: 3 events" in capsys.readouterr().out

    conn = sqlite3.connect(path)
    conn.execute("UPDATE audit_events SET after = replace(after, 'Health', 'Wealth') WHERE seq = 2")
    conn.commit()
    conn.close()
    assert main(["audit", "verify", "--db", str(path)]) == 1
    err = capsys.readouterr().err
    assert "broken at event #2" in err
