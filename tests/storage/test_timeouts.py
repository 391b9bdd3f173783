"""A stalled PostgreSQL server never hangs a save forever (issue 12, Deliver 5).

The frozen server is a throwaway cluster of this module's own, stopped with SIGSTOP (its
kernel still acknowledges every packet, so only the client's stall guard can notice); the
shared test server is only asked for its settings.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select, text

from desktop.enums import MinistryKind
from desktop.errors import StorageUnavailable
from desktop.models import Ministry
from desktop.models.base import new_id
from desktop.services.context import ServiceContext
from desktop.services.people import PeopleService
from desktop.storage import timeouts
from desktop.storage.database import Database, open_database
from tests.storage.throwaway_pg import Cluster, throwaway_cluster

STALL = 2.0


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with throwaway_cluster() as made:
        db = open_database(made.url)
        PeopleService(ServiceContext(db, "admin")).bootstrap_admin(
            "admin", "Admin Person", "admin@gov.sk.ca"
        )
        db.dispose()
        yield made


@pytest.fixture
def frozen_db(cluster: Cluster, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """The cluster's database with short limits (a real client waits 40 s, connects 10 s)."""
    monkeypatch.setattr(timeouts.guard, "seconds", STALL)
    monkeypatch.setattr(timeouts, "CONNECT_TIMEOUT_S", 2)
    db = open_database(cluster.url, migrate=False)
    with db.read() as session:  # a pooled connection, as after a while of work
        session.execute(text("SELECT 1"))
    yield db
    db.dispose()


def _ministries(cluster: Cluster) -> int:
    db = open_database(cluster.url, migrate=False)
    try:
        with db.read() as session:
            return session.scalar(select(func.count()).select_from(Ministry)) or 0
    finally:
        db.dispose()


def test_connections_carry_a_statement_timeout_and_keepalives(pg_db: Database) -> None:
    with pg_db.read() as session:
        assert session.execute(text("SHOW statement_timeout")).scalar_one() == "30s"
        assert session.execute(text("SHOW lock_timeout")).scalar_one() == "20s"
        raw = session.connection().connection.dbapi_connection
        params = raw.info.get_parameters()  # type: ignore[union-attr]
        assert params["keepalives"] == "1"
        assert params["keepalives_idle"] == "30"
        assert params["tcp_user_timeout"] == "30000"


def test_a_save_on_a_frozen_server_fails_in_bounded_time_and_saves_nothing(
    cluster: Cluster, frozen_db: Database
) -> None:
    before = _ministries(cluster)
    people = PeopleService(ServiceContext(frozen_db, "admin"))
    with cluster.frozen():
        started = time.monotonic()
        with pytest.raises(StorageUnavailable) as caught:
            people.add_ministry("FRZ", "Ministry of Frozen Servers")
        took = time.monotonic() - started
    assert took < STALL + 2 + 4, took  # the stall, one reconnect attempt, slack
    assert str(caught.value) == (
        f"The database (postgresql://postgres@127.0.0.1:{cluster.port}/smgov) did not answer "
        "for 2 s, so the change was abandoned and nothing was saved. Check the network "
        "connection, or ask the database administrator whether the server is running, then "
        "try again."
    )
    # Once the server runs again nothing of it was saved, and the same window saves again.
    time.sleep(0.5)
    assert _ministries(cluster) == before
    people.add_ministry("THW", "Ministry of Thawed Servers")
    assert _ministries(cluster) == before + 1


def test_a_server_frozen_in_the_middle_of_a_change_leaves_nothing_behind(
    cluster: Cluster, frozen_db: Database
) -> None:
    before = _ministries(cluster)
    started: list[float] = []

    def save() -> None:
        with frozen_db.write() as session:
            session.add(
                Ministry(id=new_id(), code="MID", name="Midway", kind=MinistryKind.MINISTRY)
            )
            session.flush()
            with cluster.frozen():
                started.append(time.monotonic())
                session.execute(text("SELECT count(*) FROM ministries")).scalar_one()

    with pytest.raises(StorageUnavailable, match="nothing was saved"):
        save()
    assert time.monotonic() - started[0] < STALL + 4
    time.sleep(0.5)  # the server reads the rest of what was sent, then the end: rollback
    assert _ministries(cluster) == before


def test_a_step_longer_than_the_statement_timeout_is_abandoned(
    cluster: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timeouts, "STATEMENT_TIMEOUT_MS", 1000)
    db = open_database(cluster.url, migrate=False)
    try:
        started = time.monotonic()
        with pytest.raises(StorageUnavailable) as caught, db.write() as session:
            session.execute(text("SELECT pg_sleep(5)"))
        assert time.monotonic() - started < 4
        assert "took longer than 1 s for one step" in str(caught.value)
        assert "nothing was saved" in str(caught.value)
    finally:
        db.dispose()


def test_a_streamed_read_from_a_server_frozen_between_batches_ends_in_bounded_time(
    cluster: Cluster, frozen_db: Database
) -> None:
    """Exports and audit verify stream their rows in batches (a server-side cursor)."""
    people = PeopleService(ServiceContext(frozen_db, "admin"))
    for code in ("ST1", "ST2", "ST3"):
        people.add_ministry(code, f"Ministry {code}")
    started: list[float] = []

    def stream() -> None:
        with frozen_db.read() as session:
            rows = session.execute(
                select(Ministry.code).execution_options(yield_per=1, stream_results=True)
            )
            next(iter(rows))
            with cluster.frozen():
                started.append(time.monotonic())
                list(rows)

    with pytest.raises(StorageUnavailable, match="so nothing could be read"):
        stream()
    assert time.monotonic() - started[0] < STALL + 4
