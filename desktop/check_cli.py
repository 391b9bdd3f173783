"""``smgov check``: run the compliance checks headless and print the findings.

Exit status 1 when any finding is critical (so a scheduled task can alert), else 0.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import textwrap
from typing import TYPE_CHECKING, TextIO
from zoneinfo import ZoneInfo

from desktop.enums import Severity

if TYPE_CHECKING:  # the parser is built on every start of ``smgov``, the app's too
    from desktop.policy.findings import Finding


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``check`` sub-command to the ``smgov`` parser."""
    from desktop.cli import _db_arg

    p = sub.add_parser(
        "check",
        help="run the compliance checks and list the findings",
        description="Run the named compliance checks; exit 1 when any finding is critical.",
    )
    _db_arg(p)
    p.add_argument(
        "--as-of",
        metavar="ISO8601",
        help="evaluate at this time, e.g. 2026-11-18T09:00-06:00 (default: now)",
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="print a JSON list of findings (code, severity, subject_type, subject_id, "
        "subject_label, message, remedy, since)",
    )
    p.add_argument(
        "--code",
        action="append",
        metavar="CODE",
        help="run only this check (repeat for several), e.g. --code COMMENT_ACK_OVERDUE",
    )
    p.set_defaults(func=cmd_check)


def cmd_check(args: argparse.Namespace) -> int:
    from desktop.cli import cli_context, open_target, parse_as_of
    from desktop.policy.findings import summarize
    from desktop.services.compliance import ComplianceService

    db = open_target(args.db)
    try:
        # As the signed-in person (a scheduled task runs under an account registered, e.g.,
        # as auditor); --as only on demo data.
        ctx = cli_context(db, args)
        as_of = parse_as_of(args.as_of) or ctx.now()
        service = ComplianceService(ctx)
        findings = service.run(as_of, args.code)
        zone = ctx.settings().timezone
    finally:
        db.dispose()
    if args.json:
        json.dump([f.to_json() for f in findings], sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        local = as_of.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")
        print_table(findings, f"as of {local} {zone}", sys.stdout)
    return 1 if summarize(findings).has_critical else 0


def print_table(findings: list[Finding], when: str, out: TextIO, width: int | None = None) -> None:
    """Findings grouped by severity: the code and the record, then what is wrong and what to
    do, wrapped at ``width`` (default: the terminal's); then the counts."""
    from desktop.policy.findings import SEVERITY_ORDER, summarize

    summary = summarize(findings)
    if not findings:
        print(f"No findings: every check passed ({when}).", file=out)
        return
    columns = width or shutil.get_terminal_size(fallback=(100, 24)).columns
    columns = max(MIN_WIDTH, columns - 1)  # a full-width line wraps early in some consoles
    for severity in SEVERITY_ORDER:
        group = [f for f in findings if f.severity is severity]
        if not group:
            continue
        print(f"{_heading(severity)} ({len(group)})", file=out)
        for f in group:
            print(_wrap(f"{f.code}  {f.subject_label}", columns, "  ", "      "), file=out)
            print(_wrap(f.message, columns, "    "), file=out)
            print(_wrap(f"What to do: {f.remedy}", columns, "    ", "      "), file=out)
        print(file=out)
    print(f"{summary.line} ({when}).", file=out)  # one line: what a script greps for


MIN_WIDTH = 40


def _heading(severity: Severity) -> str:
    return severity.value.upper()


def _wrap(text: str, width: int, indent: str, subsequent: str | None = None) -> str:
    return textwrap.fill(
        text,
        width=width,
        initial_indent=indent,
        subsequent_indent=indent if subsequent is None else subsequent,
        break_long_words=False,
        break_on_hyphens=False,
    )
