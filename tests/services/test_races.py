"""Check-then-insert races closed by the database (issue 12, Deliver 4).

Each test starts N processes that do the same thing at the same moment (a barrier), on a
SQLite file and on a fresh PostgreSQL database — once at the server's default isolation (read
committed) and once each with the database's default set to repeatable read and serializable
(the app's connections run at read committed whatever the default). Whatever the
interleaving: no duplicate row, and every process either succeeds or is refused with a
sentence a person can act on (never a raw driver error).
"""

from __future__ import annotations

import multiprocessing
import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from desktop.enums import AppRole, Platform, PostingTool
from desktop.errors import ConflictError, PermissionDenied
from desktop.models import Account, AuditEvent, Comment, Commenter, Person, PersonRole
from desktop.services import audit
from desktop.services.accounts import AccountInput, AccountService
from desktop.services.comments import CommentService
from desktop.services.context import ServiceContext
from desktop.services.people import PeopleService, PersonInput
from desktop.storage.database import open_database

N = 6
NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
RACERS = multiprocessing.get_context("fork")


def _clock() -> datetime:
    return NOW


@pytest.fixture(
    params=["sqlite", "postgresql", "postgresql-repeatable-read", "postgresql-serializable"]
)
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database of this app that separate processes can open: a file, or a database
    created on the test server for this test (dropped after it)."""
    if request.param == "sqlite":
        path = tmp_path / "race.sqlite3"
        template = request.getfixturevalue("_sqlite_template")
        shutil.copy(template, path)
        yield str(path)
        return
    admin_url = make_url(request.getfixturevalue("pg_url")).set(database="postgres")
    name = f"smgov_race_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        level = {"repeatable-read": "repeatable read", "serializable": "serializable"}.get(
            request.param.removeprefix("postgresql-")
        )
        if level:
            conn.execute(
                text(f"ALTER DATABASE \"{name}\" SET default_transaction_isolation TO '{level}'")
            )
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    try:
        open_database(url).dispose()
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _race(target: str, job: Callable[..., Any], args: list[tuple[Any, ...]]) -> list[Any]:
    """Run ``job(target, *args[i])`` in len(args) processes released together; each result is
    ("ok", value) or ("refused", message) or ("raw", what) for anything else."""
    barrier = RACERS.Barrier(len(args))
    results = RACERS.Queue()
    procs = [RACERS.Process(target=_racer, args=(target, job, barrier, results, a)) for a in args]
    for p in procs:
        p.start()
    out = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    return out


def _racer(target: str, job: Callable[..., Any], barrier: Any, results: Any, args: Any) -> None:
    db = open_database(target, migrate=False)
    try:
        db.engine.connect().close()  # connected before the start, so the race is the job's
        barrier.wait(timeout=60)
        results.put(("ok", job(db, *args)))
    except (ConflictError, PermissionDenied) as exc:
        results.put(("refused", str(exc)))
    except BaseException as exc:  # noqa: BLE001 - reported to the test, which fails on it
        results.put(("raw", f"{type(exc).__name__}: {exc}"))
    finally:
        db.dispose()


def _raw(results: list[Any]) -> list[Any]:
    return [r for r in results if r[0] == "raw"]


# -- the first administrator ---------------------------------------------------------------


def _bootstrap(db: Any, login: str) -> str:
    PeopleService(ServiceContext(db, login, clock=_clock)).bootstrap_admin(
        login, f"Person {login}", f"{login}@gov.sk.ca"
    )
    return login


def test_one_first_administrator_whoever_races(target: str) -> None:
    results = _race(target, _bootstrap, [(f"racer{i}",) for i in range(N)])

    assert _raw(results) == []
    winners = [r[1] for r in results if r[0] == "ok"]
    assert len(winners) == 1, results
    refusals = {r[1] for r in results if r[0] == "refused"}
    assert refusals == {"This database already has people; ask an administrator to add you."}
    db = open_database(target, migrate=False)
    try:
        with db.read() as session:
            assert session.scalars(select(Person.login)).all() == winners
            assert (
                session.scalar(
                    select(func.count()).select_from(PersonRole).where(PersonRole.role == "admin")
                )
                == 1
            )
            assert audit.verify(session).ok
    finally:
        db.dispose()


# -- handles and commenters ----------------------------------------------------------------


def _set_up(target: str) -> tuple[uuid.UUID, uuid.UUID]:
    """A first administrator (login "admin"), a ministry and one Facebook account."""
    db = open_database(target, migrate=False)
    try:
        people = PeopleService(ServiceContext(db, "admin", clock=_clock))
        people.bootstrap_admin("admin", "Admin Person", "admin@gov.sk.ca")
        ministry = people.add_ministry("HEA", "Ministry of Health")
        people.add(
            PersonInput(
                "officer",
                "Olive Officer",
                "olive@gov.sk.ca",
                roles=(AppRole.OFFICER,),
                ministry_id=ministry.id,
            )
        )
        account = _account(db, ministry.id, "SKHealth")
        return ministry.id, account
    finally:
        db.dispose()


def _account(db: Any, ministry_id: uuid.UUID, handle: str) -> uuid.UUID:
    data = AccountInput(
        platform=Platform.FACEBOOK,
        handle=handle,
        ministry_id=ministry_id,
        government_email="social@gov.sk.ca",
        posting_tool=PostingTool.NATIVE,
    )
    return AccountService(ServiceContext(db, "admin", clock=_clock)).create(data).id


def test_handles_differing_only_in_capitals_give_one_account(target: str) -> None:
    ministry_id, _ = _set_up(target)
    spellings = ["RaceX", "racex", "RACEX", "raceX", "Racex", "rAcEx"][:N]

    results = _race(target, _account, [(ministry_id, h) for h in spellings])

    assert _raw(results) == []
    assert [r[0] for r in results].count("ok") == 1, results
    assert {r[1] for r in results if r[0] == "refused"} <= {
        "Facebook @" + h + " is already in the inventory." for h in spellings
    } | {
        "An account with this handle already exists on this platform (handles are the same "
        "whatever their capitals)."
    }
    db = open_database(target, migrate=False)
    try:
        with db.read() as session:
            handles = session.scalars(
                select(Account.handle).where(func.lower(Account.handle) == "racex")
            ).all()
            assert len(handles) == 1
            assert audit.verify(session).ok
    finally:
        db.dispose()


def _log_comment(db: Any, account_id: uuid.UUID, handle: str) -> str:
    comment = CommentService(ServiceContext(db, "officer", clock=_clock)).log(
        account_id,
        NOW - timedelta(minutes=5),
        f"A question from {handle}",
        author_name="Riley Twin",
        author_handle=handle,
    )
    return str(comment.id)


def test_a_new_commenter_logged_at_once_is_one_commenter(target: str) -> None:
    _, account_id = _set_up(target)
    spellings = ["RileyTwin", "rileytwin", "RILEYTWIN", "rileyTwin", "Rileytwin", "rIlEyTwIn"][:N]

    results = _race(target, _log_comment, [(account_id, h) for h in spellings])

    # Every comment is kept: a concurrent twin is not an error.
    assert [r[0] for r in results] == ["ok"] * N, results
    db = open_database(target, migrate=False)
    try:
        with db.read() as session:
            commenters = session.scalars(select(Commenter.id)).all()
            assert len(commenters) == 1
            linked = session.scalars(select(Comment.commenter_id)).all()
            assert linked == [commenters[0]] * N
            events = session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "comment.log")
            )
            assert events == N
            report = audit.verify(session)
            assert report.ok, report.message
    finally:
        db.dispose()


def test_concurrent_writers_never_fail_on_the_chain(target: str) -> None:
    """With the database's default at repeatable read, writers used to collide on the chain's
    positions (uq_audit_events_seq); each of N processes logs several comments."""
    _, account_id = _set_up(target)

    def job(db: Any, i: int) -> int:
        for k in range(5):
            _log_comment(db, account_id, f"writer{i}_{k}")
        return i

    results = _race(target, job, [(i,) for i in range(N)])

    assert sorted(results) == [("ok", i) for i in range(N)]
    db = open_database(target, migrate=False)
    try:
        with db.read() as session:
            report = audit.verify(session)
            assert report.ok, report.message
    finally:
        db.dispose()
