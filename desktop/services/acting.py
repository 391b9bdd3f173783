"""Whom a session acts as: the signed-in person, and nobody else outside demo data.

The login comes from the open database's session (``Database.session_login``). Choosing another
person (``smgov --as``, the "act as" choice after loading sample data) is allowed only on a
database that the demo generator made and marked (setting ``demo_data``), where nobody's real
work is at stake; the choice belongs to that database, never to the workstation's settings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select

from desktop.enums import AppRole
from desktop.errors import PermissionDenied
from desktop.models import Person, Setting
from desktop.services.context import Clock, ServiceContext
from desktop.storage.database import Database

DEMO_DATA_KEY = "demo_data"
DEMO_ACTOR_KEY = "demo_acting_login"


def is_demo_database(db: Database) -> bool:
    with db.read() as session:
        value = session.scalar(select(Setting.value).where(Setting.key == DEMO_DATA_KEY))
    try:
        return value is not None and json.loads(value) is True
    except ValueError:
        return False


def acting_context(
    db: Database, as_login: str | None = None, *, clock: Clock | None = None
) -> ServiceContext:
    """The context of the signed-in person, or of ``as_login`` on demo data only."""
    if as_login:
        login = as_login.strip().lower()
        if login != db.session_login().lower() and not is_demo_database(db):
            raise PermissionDenied(
                f"--as works only on demo data; this database acts as you, "
                f"{db.session_login()} (your {db.identity.kind})."
            )
        return ServiceContext(db, login, clock=clock)
    return ServiceContext(db, clock=clock)


def demo_person(db: Database) -> str | None:
    """The demo person this database was last set to act as (demo data only)."""
    if not is_demo_database(db):
        return None
    with db.read() as session:
        value = session.scalar(select(Setting.value).where(Setting.key == DEMO_ACTOR_KEY))
    try:
        login = json.loads(value) if value else None
    except ValueError:
        return None
    return login if isinstance(login, str) and login else None


def choose_demo_person(db: Database, login: str, *, clock: Clock | None = None) -> ServiceContext:
    """Act as ``login`` on demo data from now on; the choice is kept in that database (and
    audited), so it never follows the workstation to another database."""
    ctx = acting_context(db, login, clock=clock)
    with ctx.write() as work:
        row = work.session.get(Setting, DEMO_ACTOR_KEY)
        stored = json.dumps(ctx.login)
        if row is None:
            work.session.add(Setting(key=DEMO_ACTOR_KEY, value=stored, updated_by_id=work.actor.id))
        else:
            row.value = stored
            row.updated_by_id = work.actor.id
        work.audit("demo.act_as", "settings", DEMO_ACTOR_KEY, after={"login": ctx.login})
    return ctx


@dataclass(frozen=True)
class DemoPerson:
    login: str
    name: str
    roles: str  # their roles, for the chooser


def demo_people(db: Database) -> list[DemoPerson]:
    """The people of demo data to choose from (administrators first); empty elsewhere. On demo
    data anybody may look: choosing whom to act as is the point of it."""
    if not is_demo_database(db):
        return []
    with db.read() as session:
        people = session.scalars(select(Person).where(Person.active.is_(True))).all()
        found = [
            DemoPerson(
                p.login,
                p.name,
                ", ".join(r.label for r in AppRole if r in p.roles) or "no role",
            )
            for p in people
        ]
    return sorted(found, key=lambda p: ("Administrator" not in p.roles, p.name))
