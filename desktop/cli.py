"""The ``smgov`` command: the GUI by default, and the same services headless.

Errors a person can fix print one line on stderr and exit 1; ``--debug`` shows tracebacks.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

from desktop.errors import SmgovError
from desktop.version import VersionAction

log = logging.getLogger("desktop")

Handler = Callable[[argparse.Namespace], int]


def parse_as_of(text: str | None) -> datetime | None:
    """An ISO 8601 instant; a value without a zone is read in the configured zone."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise SmgovError(
            f"--as-of {text!r} is not an ISO 8601 time, e.g. 2026-11-18T09:00-06:00."
        ) from exc
    if value.tzinfo is None:
        from zoneinfo import ZoneInfo

        value = value.replace(tzinfo=ZoneInfo("America/Regina"))
    return value.astimezone(UTC)


def resolve_target(db: str | None) -> str:
    from desktop.storage.app_settings import LocalSettings
    from desktop.storage.paths import app_paths

    if db:
        return db
    env = os.environ.get("SMGOV_DATABASE_URL")
    if env:
        return env
    configured = LocalSettings.load().database_url
    return configured or str(app_paths().default_database)


def open_target(db: str | None, *, interactive: bool | None = None, create: bool = False):  # type: ignore[no-untyped-def]
    """Open the database named on the command line (or the default), password from keyring.

    Only ``init`` and ``demo`` pass ``create=True``: any other command given a mistyped path
    or an empty database says so, rather than report on a database it has just made.
    """
    from sqlalchemy.exc import ArgumentError

    from desktop.storage.database import NoDatabase, open_database, to_url
    from desktop.storage.paths import app_paths
    from desktop.storage.secrets import PasswordStore, keyring_account
    from desktop.storage.urls import scrub, url_secret, without_secrets

    target = resolve_target(db)
    try:
        url = to_url(target)
    except (ArgumentError, ValueError):
        raise SmgovError(
            f"{scrub(target)!r} is not a database URL; give a SQLite file path or a URL such as "
            "postgresql://user@host/database."
        ) from None
    password = None
    asked: list[str] = []
    if url.get_backend_name() == "postgresql" and url.username and url.database:
        account = keyring_account(url.username, url.host or "localhost", url.port, url.database)
        typed = url_secret(url)
        url = without_secrets(url)
        if typed is not None:
            # A password written into the URL goes to the keyring, and no further.
            PasswordStore().set(account, typed)
            password = typed
        else:
            ask = None
            if interactive if interactive is not None else sys.stdin.isatty():
                import getpass

                def ask(account: str) -> str | None:
                    asked.append(account)
                    return getpass.getpass(PasswordStore.prompt(account) + " ") or None

            password = PasswordStore(ask).get(account)
    try:
        opened = open_database(
            url, password=password, backup_dir=app_paths().backup_dir, create=create
        )
    except NoDatabase as exc:
        raise SmgovError(f"No database at {exc.label}; run smgov init to create one.") from exc
    if asked and password and url.username and url.database:
        # It worked: kept in the keyring, so nobody is asked next time.
        PasswordStore().set(asked[0], password)
    return opened


def output_path(text: str, option: str) -> Path:
    """The file an option names for writing, refused up front when its folder is missing or
    not writable (before any database work, and before a partial file could be left)."""
    path = Path(text).expanduser()
    folder = path.parent
    if path.is_dir():
        raise SmgovError(f"{option}: {path} is a folder; give a file name.")
    if not folder.is_dir():
        raise SmgovError(f"{option}: the folder {folder} does not exist.")
    try:  # a real file: access() says yes to root, and to folders that refuse files (/proc)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise SmgovError(f"{option}: cannot write in the folder {folder} ({reason}).") from None
    return path


def cli_context(db: Any, args: argparse.Namespace) -> Any:
    """Who a headless command acts as: the person signed in to the database (the
    operating-system account for a file, the PostgreSQL login for a server); ``--as LOGIN``
    only on demo data."""
    from desktop.services.acting import acting_context

    return acting_context(db, getattr(args, "as_login", None))


# -- commands --------------------------------------------------------------------------------


def cmd_gui(args: argparse.Namespace) -> int:
    from desktop.display import display_problem

    problem = display_problem(os.environ, sys.platform)
    if problem:  # before Qt, which would abort the process
        raise SmgovError(problem)
    from desktop.views.app import run

    return run(args.db)


def cmd_init(args: argparse.Namespace) -> int:
    from desktop.services.context import ServiceContext
    from desktop.services.people import PeopleService

    if bool(args.admin_name) != bool(args.admin_email):
        raise SmgovError("Give both --admin-name and --admin-email to set up the administrator.")
    db = open_target(args.db, create=True)
    try:
        print(f"Database ready: {db.label}")
        if args.admin_name:
            ctx = ServiceContext(db)
            person = PeopleService(ctx).bootstrap_admin(
                ctx.login, args.admin_name, args.admin_email
            )
            print(f"{person.name} ({person.login}) is the first administrator.")
    finally:
        db.dispose()
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from desktop.services.audit_service import AuditService

    db = open_target(args.db)
    try:
        report = AuditService(cli_context(db, args)).verify(args.checkpoint)
    finally:
        db.dispose()
    print(report.message, file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1


def cmd_audit_checkpoint(args: argparse.Namespace) -> int:
    from desktop.services.checkpoints import CheckpointService

    db = open_target(args.db)
    try:
        checkpoint = CheckpointService(cli_context(db, args)).sign()
    finally:
        db.dispose()
    print(
        f"Checkpoint signed: event #{checkpoint.seq}, head {checkpoint.head_hash}, by "
        f"{checkpoint.signer_name}. Keep it elsewhere; check later with "
        f"smgov audit verify --checkpoint {checkpoint.seq}:{checkpoint.head_hash}"
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from desktop.services.transfer import TransferService

    output = output_path(args.output, "-o")
    db = open_target(args.db)
    try:
        count = TransferService(cli_context(db, args)).export_file(
            output, name_server=args.name_server
        )
    finally:
        db.dispose()
    print(f"Exported {count} rows to {args.output}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from desktop.services.transfer import TransferService

    db = open_target(args.db)
    try:
        summary = TransferService(cli_context(db, args)).import_file(
            Path(args.file), allow_non_empty=args.merge
        )
    finally:
        db.dispose()
    print(f"{summary.message} ({args.file})")
    for change in summary.changes:
        print(f"  {change}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    import time

    from desktop.services.demo import generate_demo

    as_of = parse_as_of(args.as_of) or datetime.now(UTC)
    db = open_target(args.db, create=True)
    started = time.perf_counter()
    try:
        summary = generate_demo(db, size=args.size, as_of=as_of, progress=_print_progress)
    finally:
        db.dispose()
    print(f"{summary} ({time.perf_counter() - started:.1f} s)")
    return 0


def _print_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- parser ----------------------------------------------------------------------------------

Register = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]
EXTRA_COMMANDS: list[Register] = []


class UsageError(SmgovError):
    """The command line itself is wrong (unknown option, missing argument, bad choice)."""


class Parser(argparse.ArgumentParser):
    """argparse that reports a wrong command line as one line and exit status 1 (the README's
    promise for every error), naming the help to read instead of printing the usage block.
    Sub-command parsers are made of this class too (``add_subparsers`` uses ``type(self)``).
    """

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


# What a service calls a field, as the option a person types (DomainError.field).
FIELD_OPTIONS = {
    "account": "--account",
    "ministry": "--ministry",
    "period": "--period",
    "as_of": "--as-of",
    "path": "-o",
    "output": "-o",
    "codes": "--code",
}


def error_line(exc: SmgovError) -> str:
    """The one line printed for an error: a field error names the option to change."""
    from desktop.errors import DomainError

    text = " ".join(str(exc).split())
    field = exc.field if isinstance(exc, DomainError) else None
    option = FIELD_OPTIONS.get(field or "")
    if option and not text.startswith(option):
        return f"{option}: {text}"
    return text


def os_error_line(exc: OSError) -> str:
    """'Permission denied: /root/x.json' rather than a Python error's repr."""
    what = exc.strerror or type(exc).__name__
    return f"{what}: {exc.filename}" if exc.filename else what


def _db_arg(p: argparse.ArgumentParser, *, top_level: bool = False) -> None:
    # Sub-commands suppress their defaults so `smgov --db X check` keeps the top-level value.
    default = None if top_level else argparse.SUPPRESS
    p.add_argument(
        "--db",
        metavar="URL_OR_PATH",
        default=default,
        help="SQLAlchemy URL or SQLite file (default: $SMGOV_DATABASE_URL, the configured "
        "database, or the file in your data folder)",
    )
    p.add_argument(
        "--as",
        dest="as_login",
        metavar="LOGIN",
        default=default,
        help="on demo data only: act as this person of the demo (default: you, as signed in "
        "to the database)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = Parser(
        prog="smgov", description="Social Media Governance Desk (no command: start the app)"
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    parser.add_argument("--version", action=VersionAction)
    _db_arg(parser, top_level=True)
    parser.set_defaults(func=cmd_gui)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("gui", help="start the desktop app")
    _db_arg(p)
    p.set_defaults(func=cmd_gui)

    p = sub.add_parser("init", help="create or upgrade a database")
    _db_arg(p)
    p.add_argument(
        "--admin-name",
        metavar="NAME",
        help="on a database with nobody registered: make you (as signed in) its first "
        "administrator, with this name",
    )
    p.add_argument(
        "--admin-email", metavar="EMAIL", help="the first administrator's government e-mail"
    )
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help="fill a database with realistic demo data")
    _db_arg(p)
    p.add_argument(
        "--size",
        choices=["small", "large"],
        default="small",
        help="small: 64 accounts, 2,000 comments (seconds); large: 500 accounts, "
        "1,000,000 comments (minutes, about 1.6 GB) (default: small)",
    )
    p.add_argument(
        "--as-of",
        metavar="ISO8601",
        help="the time the data is current at, e.g. 2026-11-18T09:00-06:00 (default: now)",
    )
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("export", help="export everything, audit log included, to JSON")
    _db_arg(p)
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE.json",
        help="the JSON file to write (replaced if it exists)",
    )
    p.add_argument(
        "--name-server",
        action="store_true",
        help="name the database's server in the file's source, not only the database",
    )
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import", help="import a JSON export into an empty database")
    _db_arg(p)
    p.add_argument("file", metavar="FILE.json")
    p.add_argument(
        "--merge", action="store_true", help="allow importing into a database that has data"
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("audit", help="the audit log")
    audit_sub = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    v = audit_sub.add_parser("verify", help="verify the hash chain of the audit log")
    _db_arg(v)
    v.add_argument(
        "--checkpoint",
        metavar="SEQ:HASH",
        help="also hold the log against this checkpoint (as printed in a report's footer)",
    )
    v.set_defaults(func=cmd_audit_verify)
    c = audit_sub.add_parser(
        "checkpoint",
        help="sign a checkpoint of the audit log (your key stays in your keyring)",
    )
    _db_arg(c)
    c.set_defaults(func=cmd_audit_checkpoint)

    for register in _extra_commands():
        register(sub)
    return parser


def _extra_commands() -> list[
    Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]
]:
    """Sub-commands defined next to what they run (checks, reports, headless GUI)."""
    from desktop.check_cli import register as register_check
    from desktop.import_cli import register as register_imports
    from desktop.reports.cli import register as register_report
    from desktop.views.cli_commands import register as register_gui_tools

    builtin = [register_check, register_report, register_gui_tools, register_imports]
    return builtin + [r for r in EXTRA_COMMANDS if r not in builtin]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return 1
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    handler: Handler = args.func
    try:
        return handler(args)
    except SmgovError as exc:
        if args.debug:
            raise
        print(f"smgov: {error_line(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("smgov: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:
        if args.debug:
            raise
        print(f"smgov: {os_error_line(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:
        if args.debug:
            raise
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        print(
            f"smgov: unexpected error ({type(exc).__name__}: {first}); run with --debug for "
            "details",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
