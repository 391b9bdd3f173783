"""``smgov import-metrics``, ``import-comments`` and ``export-table``: the platforms' export
files in, any table out, headless. Each acts as the person of its context."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from desktop.cli import _db_arg

    p = sub.add_parser(
        "import-metrics",
        help="import engagement numbers from the platforms' export files",
        description="Read Meta Business Suite, X, YouTube Studio and LinkedIn exports, show "
        "what would change, and import them (each file once; the same file again changes "
        "nothing). Rejected rows are listed as file:line N; nothing is written when any row "
        "is rejected unless --skip-rejected.",
    )
    _db_arg(p)
    p.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="export files as downloaded (.csv, .xlsx, .xls, .zip)",
    )
    p.add_argument(
        "--account",
        metavar="PLATFORM:HANDLE",
        help="the account the numbers belong to, e.g. youtube:SaskHealth (default: the page "
        "or handle the file names)",
    )
    p.add_argument(
        "--zone",
        metavar="Area/City",
        help="time zone of times written without one (default: the configured zone, "
        "America/Regina)",
    )
    p.add_argument("--dry-run", action="store_true", help="show the preview, write nothing")
    p.add_argument(
        "--skip-rejected", action="store_true", help="import the other rows of a file anyway"
    )
    p.set_defaults(func=cmd_import_metrics)

    p = sub.add_parser(
        "import-comments",
        help="log comments from the platforms' files (Graph API, YouTube, Takeout, template)",
        description="Log citizens' comments from a Facebook Graph API comments JSON, a YouTube "
        "commentThreads JSON or the app's CSV template, with due times from the service-level "
        "clock; Google Takeout's comments.csv records the channel's own replies as responses. "
        "A comment already in the log (same platform id) is not logged again.",
    )
    _db_arg(p)
    p.add_argument(
        "files", nargs="*", metavar="FILE", help="comment files (.json, .csv) as downloaded"
    )
    p.add_argument("--account", metavar="PLATFORM:HANDLE", help="the account commented on")
    p.add_argument("--zone", metavar="Area/City", help="zone of times written without one")
    p.add_argument("--dry-run", action="store_true", help="show the preview, write nothing")
    p.add_argument("--skip-rejected", action="store_true", help="import the other entries")
    p.add_argument(
        "--template",
        metavar="FILE.csv",
        help="write an example of the app's comment template to FILE.csv and exit",
    )
    p.set_defaults(func=cmd_import_comments)

    p = sub.add_parser(
        "export-table",
        help="export a table (comments, accounts, findings) to .xlsx or .csv",
        description="Write one of the app's tables as a spreadsheet: typed columns (dates as "
        "dates, counts as numbers), a header row, frozen panes; text that starts like a "
        "formula is escaped.",
    )
    _db_arg(p)
    p.add_argument("table", choices=["comments", "accounts", "findings"], metavar="TABLE",
                   help="comments, accounts or findings")  # fmt: skip
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx|FILE.csv")
    p.add_argument("--status", action="append", metavar="STATUS",
                   help="comments: only this status (repeat for several), e.g. new")  # fmt: skip
    p.add_argument("--search", default="", help="comments and accounts: matching this text")
    p.add_argument("--sort", default="received_at", metavar="KEY",
                   help="comments: received_at, acknowledge_due_at, answer_due_at, status or "
                   "account (newest or latest first)")  # fmt: skip
    p.set_defaults(func=cmd_export_table)


def cmd_import_metrics(args: argparse.Namespace) -> int:
    from desktop.cli import cli_context, open_target
    from desktop.services.imports.matching import find_account, parse_account_arg
    from desktop.services.imports.metrics_import import MetricImportService

    db = open_target(args.db)
    failed = 0
    try:
        ctx = cli_context(db, args)
        account_id = None
        if args.account:
            platform, handle = parse_account_arg(args.account)
            with ctx.read() as session:
                account_id = find_account(session, platform, handle).id
        service = MetricImportService(ctx)
        for name in args.files:
            preview = service.preview(Path(name), account_id, args.zone)
            print_preview(preview)
            if args.dry_run:
                continue
            if preview.errors and not args.skip_rejected:
                failed += 1
                print(
                    f"  Not imported: {len(preview.errors):,} rows rejected (give "
                    "--skip-rejected to import the others).",
                    file=sys.stderr,
                )
                continue
            result = service.commit(preview, account_id, skip_rejected=args.skip_rejected)
            print(f"  {result.message}")
    finally:
        db.dispose()
    return 1 if failed else 0


def print_preview(preview: object) -> None:
    from desktop.services.imports.metrics_import import MetricPreview

    assert isinstance(preview, MetricPreview)
    parsed = preview.parsed
    print(f"{parsed.file_name}: {parsed.format_label} ({parsed.format_version})")
    account = preview.account.label if preview.account else "no account matched (give --account)"
    print(f"  Account: {account}; times without a zone read in {preview.zone}")
    print(f"  {preview.counts_line()}")
    if preview.earlier is not None:
        print(f"  {preview.earlier.sentence(preview.zone)}")
    for error in parsed.errors:
        print(f"  rejected {error}")
    for line in preview.drift:
        print(f"  changed {line}")
    for line in parsed.skipped:
        print(f"  skipped {line}")
    for warning in parsed.warnings:
        print(f"  note: {warning}")
    if parsed.unknown_columns:
        print(f"  columns not known (ignored): {', '.join(parsed.unknown_columns[:20])}")


def cmd_import_comments(args: argparse.Namespace) -> int:
    from desktop.cli import cli_context, open_target
    from desktop.errors import DomainError
    from desktop.services.imports.comment_formats import TEMPLATE_EXAMPLE
    from desktop.services.imports.comments_import import CommentImportService
    from desktop.services.imports.matching import find_account, parse_account_arg

    if args.template:
        Path(args.template).write_text(TEMPLATE_EXAMPLE, encoding="utf-8")
        print(f"Wrote the comment template with two example rows to {args.template}")
        return 0
    if not args.files:
        raise DomainError("Give the comment files to import (or --template FILE.csv).")
    db = open_target(args.db)
    failed = 0
    try:
        ctx = cli_context(db, args)
        account_id = None
        if args.account:
            platform, handle = parse_account_arg(args.account)
            with ctx.read() as session:
                account_id = find_account(session, platform, handle).id
        service = CommentImportService(ctx)
        for name in args.files:
            preview = service.preview(Path(name), account_id, args.zone)
            parsed = preview.parsed
            print(f"{parsed.file_name}: {parsed.format_label}")
            print(f"  {preview.counts_line()}")
            if preview.overdue:
                print(f"  {preview.overdue:,} of the new comments are already past due")
            if preview.in_emergency:
                print(f"  {preview.in_emergency:,} fall in a declared emergency (24/7 clock)")
            if preview.replies_unmatched:
                print(
                    f"  {preview.replies_unmatched:,} replies answer comments not in the log "
                    "(import those comments first)"
                )
            if preview.earlier is not None:
                print(f"  {preview.earlier.sentence(preview.zone)}")
            for problem in preview.problems:
                print(f"  {problem}")
            for error in parsed.errors:
                print(f"  rejected {error}")
            for line in parsed.skipped:
                print(f"  skipped {line}")
            if args.dry_run:
                continue
            if parsed.errors and not args.skip_rejected:
                failed += 1
                print("  Not imported: give --skip-rejected to import the others.", file=sys.stderr)
                continue
            print(f"  {service.commit(preview, skip_rejected=args.skip_rejected).message}")
    finally:
        db.dispose()
    return 1 if failed else 0


def cmd_export_table(args: argparse.Namespace) -> int:
    import time

    from desktop.cli import cli_context, open_target
    from desktop.enums import CommentStatus
    from desktop.errors import DomainError
    from desktop.reports.spreadsheet import write_table
    from desktop.services.account_list import AccountFilters
    from desktop.services.comment_log import CommentLogQuery, SortKey
    from desktop.services.export_table import accounts_table, comments_table, findings_table

    output = Path(args.output)
    db = open_target(args.db)
    started = time.perf_counter()
    try:
        ctx = cli_context(db, args)
        if args.table == "comments":
            try:
                statuses = frozenset(CommentStatus(s.lower()) for s in args.status or ())
                sort = SortKey(args.sort)
            except ValueError as exc:
                raise DomainError(f"{exc}; see smgov export-table --help.") from None
            query = CommentLogQuery(statuses=statuses, search=args.search, sort=sort)
            table = comments_table(ctx, query)
        elif args.table == "accounts":
            table = accounts_table(ctx, AccountFilters(search=args.search))
        else:
            table = findings_table(ctx)
        count = write_table(table, output)
    finally:
        db.dispose()
    print(f"Wrote {count:,} rows to {output} ({time.perf_counter() - started:.1f} s)")
    return 0
