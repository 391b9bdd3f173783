"""``smgov hub init``, ``smgov replica create``, ``smgov sync [--once]``, ``smgov sync status``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from desktop.errors import SmgovError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from desktop.cli import _db_arg

    p = sub.add_parser("hub", help="prepare the branch's PostgreSQL database to be a hub")
    hub_sub = p.add_subparsers(dest="hub_command", metavar="ACTION", required=True)
    i = hub_sub.add_parser(
        "init",
        help="tables, roles and rights, change feed (run once by the DBA, again after upgrades)",
    )
    i.add_argument("url", metavar="URL", help="postgresql://dba@host/database")
    i.add_argument("--prefix", default="smgov", help="role name prefix (default: smgov)")
    i.set_defaults(func=cmd_hub_init)
    a = hub_sub.add_parser("add-login", help="a person's own login on the hub")
    a.add_argument("url", metavar="URL")
    a.add_argument("login", metavar="LOGIN", help="the person's login in the register")
    a.add_argument("--prefix", default="smgov")
    a.set_defaults(func=cmd_hub_add_login)

    p = sub.add_parser("replica", help="a local copy of the hub that works offline")
    r_sub = p.add_subparsers(dest="replica_command", metavar="ACTION", required=True)
    c = r_sub.add_parser(
        "create", help="copy the hub into a new local replica (resumes if interrupted)"
    )
    c.add_argument("hub_url", metavar="HUB_URL", help="postgresql://you@host/database")
    c.add_argument(
        "path", metavar="PATH", nargs="?", help="the replica file (default: data folder)"
    )
    c.set_defaults(func=cmd_replica_create)

    p = sub.add_parser("sync", help="push local changes to the hub and pull the hub's")
    _db_arg(p)
    p.add_argument("action", nargs="?", choices=["status"], help="status: what is waiting")
    p.add_argument("--once", action="store_true", help="one round, then stop")
    p.add_argument("--interval", type=float, default=10.0, metavar="SECONDS", help="between rounds")
    p.set_defaults(func=cmd_sync)


def _password(url: str) -> str | None:
    from sqlalchemy.engine import make_url

    from desktop.storage.secrets import PasswordStore, keyring_account

    u = make_url(url)
    if u.password is not None or not u.username:
        return None
    ask = None
    if sys.stdin.isatty():
        import getpass

        def ask(account: str) -> str | None:
            return getpass.getpass(f"Password for {account}: ") or None

    account = keyring_account(u.username, u.host or "localhost", u.port, u.database or "")
    return PasswordStore(ask).get(account)


def cmd_hub_init(args: argparse.Namespace) -> int:
    from desktop.hub.changes import provision_change_feed
    from desktop.hub.invariants import provision_invariants
    from desktop.hub.roles import provision_roles
    from desktop.storage.database import open_database

    db = open_database(args.url, password=_password(args.url))
    try:
        if db.is_sqlite:
            raise SmgovError("A hub is a PostgreSQL database; give a postgresql:// URL.")
        with db.engine.begin() as conn:
            provision_roles(conn, args.prefix)
            provision_change_feed(conn, args.prefix)
            provision_invariants(conn, args.prefix)
    finally:
        db.dispose()
    print(f"{db.label} is ready as a hub (roles {args.prefix}_*, change feed).")
    return 0


def cmd_hub_add_login(args: argparse.Namespace) -> int:
    from desktop.hub.roles import add_login
    from desktop.storage.database import open_database

    db = open_database(args.url, password=_password(args.url))
    try:
        with db.engine.begin() as conn:
            add_login(conn, args.login, prefix=args.prefix)
    finally:
        db.dispose()
    print(f"{args.login} may now sign in to the hub (set a password with ALTER ROLE).")
    return 0


def cmd_replica_create(args: argparse.Namespace) -> int:
    from desktop.sync import replica
    from desktop.sync.engine import hub_engine
    from desktop.sync.service import default_replica_path

    path = Path(args.path) if args.path else default_replica_path(args.hub_url)
    hub = hub_engine(args.hub_url, _password(args.hub_url))
    started = time.monotonic()
    last = [0.0]

    def progress(table: str, rows: int) -> None:
        now = time.monotonic()
        if not rows:  # a step without rows (the search index): said at once
            print(f"  {table}…", file=sys.stderr)
        elif now - last[0] > 1.0:
            last[0] = now
            print(f"  {table}: {rows:,} rows", file=sys.stderr)

    try:
        db = replica.create(hub, path, progress)
        db.dispose()
    except Exception as exc:
        from sqlalchemy.exc import DBAPIError

        if isinstance(exc, DBAPIError):
            raise SmgovError(
                f"The copy stopped ({type(exc).__name__}); run the same command again to "
                "continue where it stopped."
            ) from exc
        raise
    finally:
        hub.dispose()
    print(f"Replica {path} ready in {time.monotonic() - started:.1f} s.")
    return 0


def open_replica(db_arg: str | None):  # type: ignore[no-untyped-def]
    from desktop.cli import open_target
    from desktop.sync.engine import HUB_LOGIN, HUB_URL, get_state, hub_engine

    db = open_target(db_arg)
    if not db.is_sqlite:
        db.dispose()
        raise SmgovError("This is not a replica; `smgov replica create HUB_URL` makes one.")
    with db.engine.connect() as conn:
        url = get_state(conn, HUB_URL)
        login = get_state(conn, HUB_LOGIN)
    if not url or not login:
        db.dispose()
        raise SmgovError("This is not a replica; `smgov replica create HUB_URL` makes one.")
    from sqlalchemy.engine import make_url

    hub_url = make_url(url).set(username=login).render_as_string(hide_password=False)
    return db, hub_engine(hub_url, _password(hub_url))


def cmd_sync(args: argparse.Namespace) -> int:
    from desktop.errors import StorageUnavailable
    from desktop.sync.engine import Syncer, status

    db, hub = open_replica(getattr(args, "db", None))
    try:
        if args.action == "status":
            print(status(db.engine).line())
            return 0
        syncer = Syncer(db.engine, hub)
        delay = args.interval
        while True:
            try:
                pushed, pulled = syncer.sync_once()
                print(
                    f"pushed {pushed.pushed}, conflicts {pushed.conflicts}, refused "
                    f"{pushed.rejected}; pulled {pulled.applied} (skipped {pulled.skipped})"
                )
                delay = args.interval
            except StorageUnavailable as exc:
                print(f"smgov: {exc}", file=sys.stderr)
                if args.once:
                    return 1
                delay = min(delay * 2, 300.0)
            print(status(db.engine).line())
            if args.once:
                return 0
            time.sleep(delay)
    finally:
        hub.dispose()
        db.dispose()
