"""The desktop app's session: open the chosen database, act as the signed-in person, and
report what the status bar and the emergency banner show.

Views reach the database only through this module (they never import storage or SQLAlchemy).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, DBAPIError

from desktop.enums import AppRole, CommentStatus
from desktop.errors import DomainError, StorageUnavailable
from desktop.models import Comment
from desktop.services.acting import DemoPerson, choose_demo_person, demo_people, demo_person
from desktop.services.authz import Permission, can
from desktop.services.context import Actor, Clock, ServiceContext
from desktop.services.emergencies import ActiveEmergency, EmergencyService
from desktop.services.people import PeopleService
from desktop.storage.app_settings import LocalSettings, MachineSettings, without_password
from desktop.storage.database import (
    create_db_engine,
    describe,
    ensure_local_file,
    open_database,
    to_url,
)
from desktop.storage.paths import app_paths
from desktop.storage.secrets import PasswordStore, keyring_account
from desktop.storage.urls import scrub, url_secret, without_secrets

log = logging.getLogger(__name__)

AskPassword = Callable[[str], str | None]


# -- where the data is ----------------------------------------------------------------------


@dataclass(frozen=True)
class TargetInfo:
    """A database target as shown to people: never with its password."""

    target: str
    label: str
    shared: bool
    keyring_account: str | None = None

    @property
    def mode(self) -> str:
        return "shared database" if self.shared else "local file"


def resolve_target(target: str | None) -> str:
    """The same order as the CLI: argument, $SMGOV_DATABASE_URL, configured, default file."""
    if target:
        return target
    env = os.environ.get("SMGOV_DATABASE_URL")
    if env:
        return env
    return LocalSettings.load().database_url or str(app_paths().default_database)


def _url(target: str) -> URL:
    try:
        return to_url(target)
    except (ArgumentError, ValueError) as exc:
        raise DomainError(
            f"{scrub(target)!r} is not a database location: give a file path or a URL such as "
            "postgresql://user@server:5432/smgov.",
            "database_url",
        ) from exc


def _account(url: URL) -> str | None:
    if url.get_backend_name() != "postgresql" or not url.username:
        return None
    return keyring_account(url.username, url.host or "localhost", url.port, url.database or "")


def describe_target(target: str) -> TargetInfo:
    """Parse a file path or URL; a DomainError (field ``database_url``) says what is wrong."""
    url = _url(target)
    backend = url.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise DomainError(
            f"Only a local SQLite file or a PostgreSQL server can be used, not {backend}.",
            "database_url",
        )
    if backend == "postgresql" and not url.database:
        raise DomainError(
            "Name the database at the end of the URL, e.g. postgresql://user@server/smgov.",
            "database_url",
        )
    shown = without_password(target)
    return TargetInfo(shown, describe(url), backend == "postgresql", _account(url))


def store_password(target: str, password: str) -> bool:
    """Keep a PostgreSQL password in the OS keyring; False when the machine has no keyring."""
    account = describe_target(target).keyring_account
    if account is None:
        raise DomainError(
            "Put the user name in the URL (postgresql://user@server/db) so the password can "
            "be stored for it.",
            "database_url",
        )
    return PasswordStore().set(account, password)


def password_prompt(account: str) -> str:
    """The question asked for a database password: it names the keyring the answer goes to
    (the real one of this machine), or says that there is none."""
    return PasswordStore.prompt(account)


def keyring_note() -> str:
    """Where the settings dialog says a typed password is kept."""
    backend = PasswordStore.backend_name()
    if backend is None:
        return (
            "This computer has no keyring: the password is asked each time and kept nowhere. "
            "The change takes effect when the database is opened again."
        )
    return (
        f"The password is kept in {backend} (the OS keyring), never in a file. The change "
        "takes effect when the database is opened again."
    )


def database_lock() -> str | None:
    """Why the database of this workstation cannot be changed here (IT locked it in the
    machine-wide settings), or None when the person may choose."""
    machine = MachineSettings.load()
    if not machine.is_locked("database_url"):
        return None
    return (
        "Your IT department set the database this computer uses (in "
        f"{machine.path}); it cannot be changed here."
    )


def save_database_choice(target: str) -> None:
    """Remember the database this workstation opens next time; a password typed into the URL
    goes to the keyring, never into the settings file. A file on a network drive is refused
    (DomainError on ``database_url``), and so is any change IT has locked."""
    info = describe_target(target)
    locked = database_lock()
    if locked:
        raise DomainError(locked, "database_url")
    if not info.shared:
        try:
            ensure_local_file(Path(str(to_url(target).database)))
        except StorageUnavailable as exc:
            raise DomainError(exc.message, "database_url") from exc
    typed = url_secret(_url(target))
    if info.shared and typed and info.keyring_account:
        PasswordStore().set(info.keyring_account, str(typed))
    settings = LocalSettings.load()
    if info.shared:
        settings.database_url = info.target
    else:
        settings.database_url = "" if _is_default_file(target) else str(to_url(target).database)
    settings.save()


def _is_default_file(target: str) -> bool:
    return str(to_url(target).database) == str(to_url(str(app_paths().default_database)).database)


def check_connection(target: str, password: str | None = None) -> str:
    """Connect without changing anything; the sentence says what answered."""
    info = describe_target(target)
    url = _url(target)
    password = password or url_secret(url)
    if password is None and info.keyring_account:
        password = PasswordStore().get(info.keyring_account)
    if not info.shared:
        ensure_local_file(Path(str(url.database)))
    engine = create_db_engine(url, password)
    try:
        with engine.connect() as conn:
            if info.shared:
                version = conn.execute(text("SHOW server_version")).scalar_one()
                return f"Connected to PostgreSQL {version} ({info.label})."
            conn.execute(text("SELECT 1"))
            return f"The file can be opened ({info.label})."
    except DBAPIError as exc:
        first = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else str(exc)
        raise StorageUnavailable(f"Cannot connect to {info.label}: {first}") from exc
    finally:
        engine.dispose()


# -- the open session -----------------------------------------------------------------------


@dataclass(frozen=True)
class SessionStatus:
    """What the status bar and the emergency banner show, as of one instant."""

    as_of: datetime
    person: str
    roles: tuple[AppRole, ...]
    due_soon: int
    overdue: int
    due_soon_minutes: int
    timezone: str
    emergencies: tuple[ActiveEmergency, ...] = field(default_factory=tuple)


@dataclass
class AppServices:
    """The open database and the person acting on it; views build their services from ``ctx``."""

    ctx: ServiceContext
    target: TargetInfo

    @property
    def label(self) -> str:
        return self.target.label

    @property
    def mode(self) -> str:
        return self.target.mode

    def close(self) -> None:
        self.ctx.db.dispose()

    def is_empty(self) -> bool:
        """No person yet: the welcome dialog decides between sample data and a fresh start."""
        return PeopleService(self.ctx).is_empty()

    def actor(self) -> Actor:
        """The acting person; PermissionDenied names the login when it is not registered."""
        return self.ctx.actor()

    def demo_people(self) -> list[DemoPerson]:
        """The people of demo data to choose whom to act as (empty on real data)."""
        return demo_people(self.ctx.db)

    def act_as(self, login: str) -> None:
        """On demo data only: act as one of its people (kept in that database)."""
        self.ctx = choose_demo_person(self.ctx.db, login, clock=self.ctx._clock)

    def status(self) -> SessionStatus:
        actor = self.ctx.actor()
        settings = self.ctx.settings()
        now = self.ctx.now()
        soon = now + timedelta(minutes=settings.due_soon_minutes)
        with self.ctx.read() as session:
            # Two index-backed counts: a new comment past its acknowledge time, and an
            # acknowledged one past its answer time (a new one's answer time is always later).
            due_soon = session.scalar(
                select(func.count())
                .select_from(Comment)
                .where(
                    Comment.status == CommentStatus.NEW,
                    Comment.acknowledge_due_at >= now,
                    Comment.acknowledge_due_at < soon,
                )
            )
            late_ack = session.scalar(
                select(func.count())
                .select_from(Comment)
                .where(Comment.status == CommentStatus.NEW, Comment.acknowledge_due_at < now)
            )
            late_answer = session.scalar(
                select(func.count())
                .select_from(Comment)
                .where(Comment.status == CommentStatus.ACKNOWLEDGED, Comment.answer_due_at < now)
            )
        return SessionStatus(
            as_of=now,
            person=actor.name,
            roles=tuple(r for r in AppRole if r in actor.roles),
            due_soon=due_soon or 0,
            overdue=(late_ack or 0) + (late_answer or 0),
            due_soon_minutes=settings.due_soon_minutes,
            timezone=settings.timezone,
            # The banner is part of the register: an agency's window has none.
            emergencies=tuple(EmergencyService(self.ctx).active(now))
            if can(actor.roles, Permission.READ_ALL)
            else (),
        )

    def load_sample_data(
        self, as_of: datetime | None = None, progress: Callable[[str], None] | None = None
    ) -> str:
        """Fill the (empty) database with the small demo data set; returns its summary."""
        from desktop.services.demo import generate_demo

        summary = generate_demo(
            self.ctx.db, size="small", as_of=as_of or self.ctx.now(), progress=progress
        )
        return str(summary)


def open_app(
    target: str | None,
    *,
    ask_password: AskPassword | None = None,
    clock: Clock | None = None,
) -> AppServices:
    """Open (creating or upgrading) the database the app should use, acting as the person
    signed in to it (on demo data: the demo person chosen there last).

    A PostgreSQL password comes from the keyring, else from ``ask_password``; a password that
    was asked for and worked is then kept in the keyring.
    """
    resolved = resolve_target(target)
    info = describe_target(resolved)
    url = _url(resolved)
    password = url_secret(url)
    url = without_secrets(url)
    asked = password is not None  # a password written into the URL goes to the keyring
    if info.keyring_account and password is None:

        def ask(account: str) -> str | None:
            nonlocal asked
            asked = True
            return ask_password(account) if ask_password else None

        password = PasswordStore(ask).get(info.keyring_account)
    db = open_database(url, password=password, backup_dir=app_paths().backup_dir)
    if asked and password and info.keyring_account:
        PasswordStore().set(info.keyring_account, password)
    ctx = ServiceContext(db, demo_person(db), clock=clock)
    log.info("Opened %s acting as %s", info.label, ctx.login)
    return AppServices(ctx, info)
