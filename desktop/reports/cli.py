"""``smgov report KIND``: write one of the five PDF reports from the command line."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date

from desktop.cli import _db_arg, cli_context, open_target, parse_as_of
from desktop.errors import DomainError
from desktop.reports.spec import ReportKind, ReportSpec

_KIND_HELP = {
    ReportKind.EVALUATION: "one account's half-year evaluation (needs --account and --period)",
    ReportKind.PORTFOLIO: "every account of a ministry (or all) with what needs a decision",
    ReportKind.SLA: "service-level compliance by ministry and account",
    ReportKind.PERMISSIONS: "who holds which role, third-party access, Facebook Admin rule",
    ReportKind.APPROVALS: "open approval requests and the period's decisions",
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "report",
        help="write a PDF report",
        description="Write a PDF report. Kinds: "
        + "; ".join(f"{k.value}: {text}" for k, text in _KIND_HELP.items())
        + ".",
    )
    p.add_argument(
        "kind",
        choices=[k.value for k in ReportKind],
        metavar="KIND",
        help=", ".join(k.value for k in ReportKind),
    )
    _db_arg(p)
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE.pdf",
        help="the PDF file to write (replaced if it exists)",
    )
    p.add_argument(
        "--account",
        metavar="HANDLE_OR_ID",
        help="one account: its handle, platform:handle (e.g. facebook:SaskHealth) or id",
    )
    p.add_argument("--ministry", metavar="CODE", help="the accounts of one ministry, e.g. HEA")
    p.add_argument(
        "--period",
        metavar="2026H1",
        help="a half-year (default for portfolio, sla and approvals: the current half-year)",
    )
    p.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="first day of the period")
    p.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="last day of the period")
    p.add_argument("--as-of", metavar="ISO8601", help="the time the data is read at (default: now)")
    p.add_argument(
        "--include-personal-info",
        action="store_true",
        help="show e-mail addresses, phone numbers and citizens' handles in comment excerpts",
    )
    p.add_argument(
        "--name-server",
        action="store_true",
        help="name the database's server in the Source line, not only the database",
    )
    p.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from desktop.cli import output_path
    from desktop.reports.service import generate_report

    output = output_path(args.output, "-o")
    spec = ReportSpec(
        kind=ReportKind(args.kind),
        account=args.account,
        ministry=args.ministry,
        period=args.period,
        start=_day(args.start, "--from"),
        end=_day(args.end, "--to"),
        as_of=parse_as_of(args.as_of),
        include_personal_info=args.include_personal_info,
        name_server=args.name_server,
    )
    db = open_target(args.db)
    started = time.perf_counter()
    try:
        result = generate_report(cli_context(db, args), spec, output)
    finally:
        db.dispose()
    pages = f"{result.pages} page{'s' if result.pages != 1 else ''}"
    print(f"Wrote {result.path} ({pages}, {time.perf_counter() - started:.1f} s)")
    sys.stdout.flush()
    return 0


def _day(text: str | None, option: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DomainError(f"{option} {text!r} is not a date; write it as YYYY-MM-DD.") from None
