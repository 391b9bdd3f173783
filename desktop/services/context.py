"""The acting person and the unit of work every service method runs in.

A write is one transaction: resolve the actor, check the role, validate, change rows, append
exactly one audit event, commit. ``Work`` enforces the "exactly one audit event" part, and the
event lists the digest of every record the transaction wrote (docs/trust-and-sync.md §4).

The acting person is the login of the open database's session (``Database.session_login``):
the operating-system account for a local file, ``session_user`` on PostgreSQL. Nothing else
chooses it, except tests and the person chosen on a demo database (``demo_login``).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from desktop.enums import AppRole
from desktop.errors import NotFound, PermissionDenied
from desktop.models import Person, Setting
from desktop.models.base import Base
from desktop.policy import settings as policy_settings
from desktop.policy.settings import PolicySettings
from desktop.services import audit
from desktop.services.authz import Permission, require
from desktop.storage.auditlog.tracking import RecordTracker
from desktop.storage.database import Database
from desktop.storage.identity import os_account

M = TypeVar("M", bound=Base)

Clock = Callable[[], datetime]
# How long the acting person and the settings read by a context are used before they are
# read again (another administrator's change to a role or a setting shows within this).
CACHE_SECONDS = 60.0


def os_login() -> str:
    """The operating-system account (the identity of a local file)."""
    try:
        return os_account()
    except (OSError, KeyError):
        return "unknown"


@dataclass(frozen=True)
class Actor:
    id: uuid.UUID | None
    login: str
    name: str
    roles: frozenset[AppRole]
    ministry_id: uuid.UUID | None

    def has(self, *roles: AppRole) -> bool:
        return bool(self.roles & set(roles))


def load_settings(session: Session) -> PolicySettings:
    import json

    values = {
        key: json.loads(value) for key, value in session.execute(select(Setting.key, Setting.value))
    }
    return policy_settings.build(values)


def resolve_actor(session: Session, login: str) -> Actor:
    person = session.scalar(select(Person).where(Person.login == login))
    if person is None and not session.scalar(select(Person.id).limit(1)):
        raise PermissionDenied(
            f"Nobody is registered in this database yet: start the app, or run smgov init "
            f'--admin-name "Your Name" --admin-email you@gov.sk.ca, to make {login!r} its '
            "first administrator."
        )
    if person is None or not person.active:
        raise PermissionDenied(
            f"Your login {login!r} is not registered as an active person in this database; "
            "ask an administrator to add you."
        )
    return Actor(person.id, person.login, person.name, person.roles, person.ministry_id)


class ServiceContext:
    """What every service needs: the database, who is acting, and what time it is."""

    def __init__(
        self, db: Database, login: str | None = None, *, clock: Clock | None = None
    ) -> None:
        """``login`` only in tests and for the person chosen on a demo database; otherwise
        the session's own login."""
        self.db = db
        self.login = login or db.session_login()
        self._clock = clock or (lambda: datetime.now(UTC))
        # Who acts and the settings, read once and kept for ``CACHE_SECONDS``: each was a
        # transaction of its own (four round trips) in every service call that asked.
        self._actor: tuple[float, Actor] | None = None
        self._settings: tuple[float, PolicySettings] | None = None

    def now(self) -> datetime:
        return self._clock()

    def forget(self) -> None:
        """Read who acts and the settings again next time (after a change to either)."""
        self._actor = self._settings = None

    def actor(self) -> Actor:
        """The acting person (roles, ministry): as of at most ``CACHE_SECONDS`` ago, or of
        this context's last write. Writes resolve the person again inside their transaction."""
        cached = self._actor
        if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
            return cached[1]
        with self.db.quick_read() as session:
            actor = resolve_actor(session, self.login)
        self._actor = (time.monotonic(), actor)
        return actor

    def require(self, permission: Permission) -> Actor:
        """The acting person, if they may (PermissionDenied names the role needed)."""
        actor = self.actor()
        require(actor.roles, permission)
        return actor

    def settings(self) -> PolicySettings:
        """The branch's settings, kept like the acting person."""
        cached = self._settings
        if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
            return cached[1]
        with self.db.quick_read() as session:
            settings = load_settings(session)
        self._settings = (time.monotonic(), settings)
        return settings

    @contextmanager
    def quick_read(self) -> Iterator[Session]:
        """``Database.quick_read``: statements that need no common snapshot."""
        with self.db.quick_read() as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.db.read() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Work]:
        # Whatever the write changes (a role, a setting), the next read finds it.
        self.forget()
        with self.db.write() as session:
            work = Work(session, resolve_actor(session, self.login), self.now())
            try:
                yield work
                if work.audited != 1:
                    raise AssertionError(
                        f"A service wrote {work.audited} audit events; every write needs "
                        "exactly one."
                    )
                work.finish()
            finally:
                work.close()
                self.forget()


class Work:
    """One write transaction in progress."""

    def __init__(self, session: Session, actor: Actor, at: datetime) -> None:
        self.session = session
        self.actor = actor
        self.at = at
        self.audited = 0
        self._settings: PolicySettings | None = None
        self._event: dict[str, Any] | None = None
        self._records = RecordTracker(session)
        session.info["smgov_work"] = True

    @property
    def settings(self) -> PolicySettings:
        if self._settings is None:
            self._settings = load_settings(self.session)
        return self._settings

    def require(self, permission: Permission, *, ministry_id: uuid.UUID | None = None) -> None:
        require(
            self.actor.roles,
            permission,
            actor_ministry=self.actor.ministry_id,
            target_ministry=ministry_id,
        )

    def get(self, model: type[M], ident: Any, label: str) -> M:
        obj = self.session.get(model, ident) if ident is not None else None
        if obj is None:
            raise NotFound(f"{label} {ident} does not exist (it may have been removed).")
        return obj

    def audit(
        self,
        action: str,
        entity_type: str,
        entity_id: str | uuid.UUID,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        self.session.flush()
        # Appended when the work is done, with the digests of every record it wrote.
        self._event = {
            "action": action,
            "entity_type": entity_type,
            "entity_id": entity_id,
            "before": before,
            "after": after,
        }
        self.audited += 1

    def touch(self, model: type[Base] | Table, keys: list[tuple[Any, ...]]) -> None:
        """Rows a bulk statement wrote (by primary key): the audit event vouches for them."""
        table = model if isinstance(model, Table) else model.__table__
        assert isinstance(table, Table)
        self._records.touch(table, keys)

    def finish(self) -> None:
        if self._event is None:
            return
        audit.append(
            self.session,
            at=self.at,
            actor_id=self.actor.id,
            actor_login=self.actor.login,
            records=self._records.entries(),
            **self._event,
        )

    def close(self) -> None:
        self._records.close()

    def restored_audit_log(self) -> None:
        """An import into an empty database brings its own log verbatim: no new event."""
        self.audited = 1
        self._event = None
