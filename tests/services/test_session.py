"""The desktop session: which database opens, where its password goes, what the status bar
and emergency banner report, and what pickers offer — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from desktop.enums import AccountStatus, AppRole, CommentStatus, EmergencyKind, Platform
from desktop.errors import DomainError, StorageUnavailable
from desktop.models import Comment, Emergency, EmergencyAccount, EmergencyMinistry
from desktop.models.base import new_id
from desktop.services.accounts import AccountService
from desktop.services.choices import ChoiceService
from desktop.services.context import ServiceContext
from desktop.services.session import (
    AppServices,
    check_connection,
    describe_target,
    open_app,
    resolve_target,
    save_database_choice,
    without_password,
)
from desktop.storage.app_settings import LocalSettings
from desktop.storage.database import Database
from desktop.storage.identity import os_account
from desktop.storage.paths import app_paths
from tests.conftest import MemoryKeyring
from tests.factories import Cast


@pytest.fixture
def keyring_backend(_isolated_user_folders: MemoryKeyring) -> MemoryKeyring:
    return _isolated_user_folders


def _app(cast: Cast, who: str) -> AppServices:
    ctx = ServiceContext(cast.db, cast.people[who].login, clock=cast.clock)
    return AppServices(ctx, describe_target("x.sqlite3"))


def _comment(
    cast: Cast,
    account_id: object,
    *,
    ack_in: timedelta,
    answer_in: timedelta,
    status: CommentStatus,
) -> None:
    now = cast.clock()
    with cast.db.write() as session:
        session.add(
            Comment(
                id=new_id(),
                account_id=account_id,
                received_at=now - timedelta(hours=1),
                text="Is the highway open?",
                status=status,
                clock_start_at=now - timedelta(hours=1),
                acknowledge_due_at=now + ack_in,
                answer_due_at=now + answer_in,
            )
        )


def test_status_counts_due_soon_and_overdue_comments(cast: Cast) -> None:
    account = cast.account("SKHighways")
    day = timedelta(days=1)
    new, acked = CommentStatus.NEW, CommentStatus.ACKNOWLEDGED
    for ack_in, answer_in, status in [
        (timedelta(minutes=0), day, new),  # due now: due soon, not late
        (timedelta(minutes=14), day, new),  # due soon
        (timedelta(minutes=15), day, new),  # just outside the 15 minutes
        (timedelta(minutes=-1), day, new),  # late to acknowledge
        (timedelta(hours=-5), timedelta(minutes=-1), acked),  # late to answer
        (timedelta(hours=-5), day, acked),  # acknowledged, answer not due yet
        (timedelta(hours=-5), timedelta(hours=-1), CommentStatus.ANSWERED),  # done
        (timedelta(hours=-5), timedelta(hours=-1), CommentStatus.CLOSED),
    ]:
        _comment(cast, account.id, ack_in=ack_in, answer_in=answer_in, status=status)
    status = _app(cast, "officer").status()
    assert (status.due_soon, status.overdue) == (2, 2)
    assert status.due_soon_minutes == 15
    assert status.person == "Officer Person"
    assert status.roles == (AppRole.OFFICER,)
    assert status.as_of == cast.clock()
    assert status.timezone == "America/Regina"


def test_status_lists_the_emergencies_running_now(cast: Cast) -> None:
    now = cast.clock()
    account = cast.account("SKGov", Platform.X)
    with cast.db.write() as session:
        for title, declared, ended in [
            ("Flood", now - timedelta(hours=30), None),
            ("Power outage", now - timedelta(hours=2), now + timedelta(hours=1)),
            ("Old fire", now - timedelta(days=9), now - timedelta(days=2)),
            ("Not yet", now + timedelta(hours=1), None),
        ]:
            emergency = Emergency(
                id=new_id(),
                kind=EmergencyKind.FLOOD,
                title=title,
                declared_at=declared,
                ended_at=ended,
            )
            session.add(emergency)
            session.flush()
            session.add(EmergencyMinistry(emergency_id=emergency.id, ministry_id=cast.health.id))
            if title == "Flood":
                session.add(
                    EmergencyMinistry(emergency_id=emergency.id, ministry_id=cast.environment.id)
                )
                session.add(EmergencyAccount(emergency_id=emergency.id, account_id=account.id))
    emergencies = _app(cast, "auditor").status().emergencies
    assert [e.title for e in emergencies] == ["Flood", "Power outage"]
    assert emergencies[0].ministries == ("Ministry of Environment", "Ministry of Health")
    assert emergencies[0].accounts == ("X (Twitter) @SKGov",)
    assert emergencies[1].accounts == ()
    assert emergencies[0].since == now - timedelta(hours=30)


def test_choices_offer_active_ministries_live_accounts_and_people_by_role(cast: Cast) -> None:
    live = cast.account("SKHealth")
    other = cast.account("SKEnv", ministry_id=cast.environment.id)
    AccountService(cast.ctx("admin")).set_status(other.id, AccountStatus.SHUT_DOWN, "Merged")
    choices = ChoiceService(cast.ctx("officer"))
    assert [m.key for m in choices.ministries()] == ["ENV", "HEA"]
    assert [a.label for a in choices.accounts()] == ["Facebook @SKHealth"]
    assert [a.id for a in choices.accounts(live_only=False)] == [other.id, live.id]
    assert choices.accounts([cast.environment.id]) == []
    council = choices.people(roles=[AppRole.EXEC_COUNCIL])
    assert [(p.label, p.detail, p.key) for p in council] == [
        ("Council Person", "Executive Council", "council"),
        ("Council2 Person", "Executive Council", "council2"),
    ]
    assert [p.key for p in choices.people(ministry_ids=[cast.environment.id])] == ["officer2"]


# -- where the data is ---------------------------------------------------------------------


def test_targets_are_described_without_their_password() -> None:
    local = describe_target("/data/smgov.sqlite3")
    assert (local.shared, local.mode, local.keyring_account) == (False, "local file", None)
    assert local.label == "local file /data/smgov.sqlite3"
    shared = describe_target("postgresql://comms:pw@db.gov.sk.ca/smgov")
    assert shared.shared
    assert shared.mode == "shared database"
    assert shared.target == "postgresql://comms@db.gov.sk.ca/smgov"
    assert "pw" not in shared.label
    assert shared.keyring_account == "comms@db.gov.sk.ca:5432/smgov"
    assert without_password("postgresql://a:b@h/d") == "postgresql://a@h/d"
    assert without_password("C:/data/x.sqlite3") == "C:/data/x.sqlite3"


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("mysql://u@h/db", "Only a local SQLite file or a PostgreSQL server can be used"),
        ("postgresql://u@h", "Name the database at the end of the URL"),
        ("postgresql://u@h:notaport/db", "'postgresql://u@h:notaport/db' is not a database"),
    ],
)
def test_an_unusable_target_says_what_to_give(target: str, message: str) -> None:
    with pytest.raises(DomainError, match=message) as caught:
        describe_target(target)
    assert caught.value.field == "database_url"


def test_the_target_comes_from_the_argument_then_the_environment_then_the_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert resolve_target(None) == str(app_paths().default_database)
    LocalSettings(database_url="/srv/branch.sqlite3").save()
    assert resolve_target(None) == "/srv/branch.sqlite3"
    monkeypatch.setenv("SMGOV_DATABASE_URL", "postgresql://env@h/db")
    assert resolve_target(None) == "postgresql://env@h/db"
    assert resolve_target("/given.sqlite3") == "/given.sqlite3"


def test_the_chosen_database_is_remembered_and_its_password_kept_in_the_keyring(
    keyring_backend: MemoryKeyring,
) -> None:
    save_database_choice("postgresql://comms:s3cret@db.gov.sk.ca/smgov")
    assert LocalSettings.load().database_url == "postgresql://comms@db.gov.sk.ca/smgov"
    assert keyring_backend.store == {("smgov-desk", "comms@db.gov.sk.ca:5432/smgov"): "s3cret"}
    save_database_choice(str(app_paths().default_database))
    assert LocalSettings.load().database_url == ""
    save_database_choice("/srv/other.sqlite3")
    assert LocalSettings.load().database_url == "/srv/other.sqlite3"


def test_opening_acts_as_the_workstation_login_and_creates_the_file(tmp_path: Path) -> None:
    # A hand-edited settings file cannot choose who is acting (it once could: "system").
    app_paths().settings_file.parent.mkdir(parents=True, exist_ok=True)
    app_paths().settings_file.write_text('{"acting_login": "system"}', encoding="utf-8")
    app = open_app(str(tmp_path / "new.sqlite3"))
    try:
        assert app.ctx.login == os_account() != "system"
        assert app.is_empty()
        assert (tmp_path / "new.sqlite3").is_file()
        assert not app.target.shared
    finally:
        app.close()


def test_a_password_asked_for_and_accepted_goes_to_the_keyring(
    pg_url: str, keyring_backend: MemoryKeyring
) -> None:
    asked: list[str] = []

    def ask(account: str) -> str:
        asked.append(account)
        return "typed-once"

    app = open_app(pg_url, ask_password=ask)
    try:
        assert app.target.shared
        assert asked == [app.target.keyring_account]
        assert keyring_backend.store == {("smgov-desk", asked[0]): "typed-once"}
    finally:
        app.close()
    # Next time the keyring answers and nobody is asked.
    open_app(pg_url, ask_password=ask).close()
    assert len(asked) == 1


def test_check_connection_reports_what_answered(pg_url: str, sqlite_db: Database) -> None:
    assert check_connection(pg_url, None).startswith("Connected to PostgreSQL ")
    assert check_connection(str(sqlite_db.url.database), None).startswith("The file can be opened")
    with pytest.raises(StorageUnavailable, match="Cannot connect to postgresql"):
        check_connection("postgresql://nobody@127.0.0.1:1/none", None)
