"""A provisioned hub of its own for these tests: a database on the test server, role names with
a prefix unique to the run, and one login per member of the cast; all dropped afterwards
(roles are the whole server's, not one database's)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from desktop.enums import AppRole, MinistryKind, PersonKind
from desktop.hub import roles
from desktop.models import Ministry, Person
from desktop.services.context import ServiceContext
from desktop.services.people import PeopleService, PersonInput
from desktop.storage.database import Database, open_database
from tests.conftest import FIXED_NOW, _pg_admin_url
from tests.factories import ROLE_CAST


@dataclass
class Hub:
    url: str  # as the DBA (the test server's superuser)
    prefix: str
    db: Database  # the DBA's connection
    logins: dict[str, str]  # cast key → database login
    people: dict[str, Person] = field(default_factory=dict)
    ministries: dict[str, Ministry] = field(default_factory=dict)
    engines: dict[str, Engine] = field(default_factory=dict)

    def url_as(self, key: str) -> str:
        return make_url(self.url).set(username=self.logins.get(key, key)).render_as_string(False)

    def engine(self, key: str) -> Engine:
        """A connection as the cast member's own login (``key`` may also be a raw login)."""
        if key not in self.engines:
            self.engines[key] = create_engine(self.url_as(key))
        return self.engines[key]

    def database(self, key: str, clock: Callable[[], datetime] = lambda: FIXED_NOW) -> Database:
        return open_database(self.url_as(key))

    def ctx(self, key: str) -> ServiceContext:
        """The services as that person, connected with their own login."""
        db = self.database(key)
        return ServiceContext(db, clock=lambda: FIXED_NOW)


def _drop_roles(admin: Engine, names: list[str]) -> None:
    with admin.connect() as conn:
        for name in names:
            if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first():
                conn.execute(text(f'DROP ROLE "{name}"'))


@pytest.fixture(scope="session")
def hub() -> Iterator[Hub]:
    admin_url = make_url(_pg_admin_url()).set(drivername="postgresql+psycopg")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - no server: skip, as the db fixture does
        admin.dispose()
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    run = uuid.uuid4().hex[:8]
    prefix = f"t{run}"
    name = f"smgov_hub_{run}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    logins = {key: f"{prefix}u_{key}" for key in ROLE_CAST}
    logins["stranger"] = f"{prefix}u_stranger"  # a login with no person behind it
    db = open_database(url)
    hub_ = Hub(url, prefix, db, logins)
    groups = [roles.group(prefix, r) for r in AppRole]
    extra = [roles.group(prefix, x) for x in ("reader", "person", "owner")]
    try:
        with db.engine.begin() as conn:
            roles.provision_roles(conn, prefix)
        _cast(hub_)
        yield hub_
    finally:
        for engine in hub_.engines.values():
            engine.dispose()
        db.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        _drop_roles(admin, [*logins.values(), *groups, *extra])
        admin.dispose()


def _cast(hub: Hub) -> None:
    """The same cast as the service tests, each with their own login. The DBA sets the hub up
    as the first administrator would (the owner may name the actor of its events)."""
    logins = hub.logins
    first = ServiceContext(hub.db, logins["admin"], clock=lambda: FIXED_NOW)
    hub.people["admin"] = PeopleService(first).bootstrap_admin(
        logins["admin"], "Admin Person", "admin@gov.sk.ca"
    )
    people = PeopleService(first)
    health = people.add_ministry("HEA", "Ministry of Health")
    environment = people.add_ministry("ENV", "Ministry of Environment", MinistryKind.MINISTRY)
    hub.ministries = {"HEA": health, "ENV": environment}
    for key, held in ROLE_CAST.items():
        if key == "admin":
            continue
        hub.people[key] = people.add(
            PersonInput(
                login=logins[key],
                name=f"{key.title()} Person",
                email=f"{key}@gov.sk.ca" if key != "agency" else "agency@adagency.ca",
                roles=held,
                ministry_id=environment.id if key == "officer2" else health.id,
                kind=PersonKind.AGENCY if key == "agency" else PersonKind.EMPLOYEE,
                agency_name="Prairie Ads Inc." if key == "agency" else "",
            )
        )
    with hub.db.engine.begin() as conn:
        for login in logins.values():
            roles.add_login(conn, login, prefix=hub.prefix)
