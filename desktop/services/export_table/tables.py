"""The typed tables behind the tabs, built from the same services the tabs read."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

from desktop.policy.findings import Finding
from desktop.reports.spreadsheet import Column, TableData
from desktop.services.account_list import AccountFilters, AccountListService, AccountRow
from desktop.services.comment_log import CommentLogQuery, CommentLogService, CommentRow
from desktop.services.context import ServiceContext

EXPORT_PAGE = 1000

COMMENT_COLUMNS = (
    Column("Received", "datetime", 18),
    Column("Account", "text", 22),
    Column("Ministry", "text", 10),
    Column("Author", "text", 22),
    Column("Comment", "text", 60),
    Column("Kind", "text", 12),
    Column("Status", "text", 14),
    Column("Assigned to", "text", 20),
    Column("High profile", "bool", 10),
    Column("During an emergency", "bool", 10),
    Column("Acknowledge by", "datetime", 18),
    Column("Answer by", "datetime", 18),
    Column("Acknowledged", "datetime", 18),
    Column("Answered", "datetime", 18),
)


def _comment_cells(r: CommentRow) -> list[Any]:
    return [
        r.received_at, r.account, r.ministry, r.author, r.excerpt, r.kind.value.capitalize(),
        r.status.value.capitalize(), r.assignee, r.high_profile, r.emergency,
        r.acknowledge_due_at, r.answer_due_at, r.acknowledged_at, r.answered_at,
    ]  # fmt: skip


def comments_table(
    ctx: ServiceContext, query: CommentLogQuery | None = None, as_of: datetime | None = None
) -> TableData:
    """The log as the Comments tab shows it (same filter and order), fetched page by page."""
    service = CommentLogService(ctx)
    query = query or CommentLogQuery()
    at = as_of or ctx.now()
    total = service.count(query, at, cap=10_000_000)

    def rows() -> Iterator[list[Any]]:
        cursor = None
        while True:
            page = service.page(query, at, cursor, limit=EXPORT_PAGE)
            for row in page.rows:
                yield _comment_cells(row)
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    return TableData("Comments", COMMENT_COLUMNS, rows(), total, ctx.settings().timezone)


ACCOUNT_COLUMNS = (
    Column("Platform", "text", 12),
    Column("Handle", "text", 22),
    Column("Ministry", "text", 10),
    Column("Status", "text", 12),
    Column("Government e-mail", "text", 28),
    Column("Owner", "text", 22),
    Column("Password age (days)", "int", 12),
    Column("Password", "text", 12),
    Column("Next evaluation", "date", 14),
    Column("Goals", "text", 20),
)


def _account_cells(r: AccountRow) -> list[Any]:
    return [
        r.platform.label, f"@{r.handle}", r.ministry_code,
        r.status.value.replace("_", " ").capitalize(), r.government_email, r.owner_name or "",
        r.password_age_days, r.password_level.value.replace("_", " "), r.next_evaluation,
        r.goals_status,
    ]  # fmt: skip


def accounts_table(
    ctx: ServiceContext,
    filters: AccountFilters | None = None,
    rows: Sequence[AccountRow] | None = None,
) -> TableData:
    """The inventory; ``rows`` in the order the tab shows them, or all, by platform."""
    if rows is None:
        rows = AccountListService(ctx).rows(ctx.now(), filters)
    return TableData(
        "Accounts", ACCOUNT_COLUMNS, [_account_cells(r) for r in rows], len(rows),
        ctx.settings().timezone,
    )  # fmt: skip


FINDING_COLUMNS = (
    Column("Severity", "text", 10),
    Column("Check", "text", 30),
    Column("Record", "text", 30),
    Column("Finding", "text", 60),
    Column("What to do", "text", 50),
    Column("Since", "datetime", 18),
)


def findings_table(ctx: ServiceContext, findings: Sequence[Finding] | None = None) -> TableData:
    if findings is None:
        from desktop.services.compliance import ComplianceService

        findings = ComplianceService(ctx).run(ctx.now())
    cells = [
        [f.severity.value.capitalize(), f.code, f.subject_label, f.message, f.remedy, f.since]
        for f in findings
    ]
    return TableData("Findings", FINDING_COLUMNS, cells, len(cells), ctx.settings().timezone)


TABLES: dict[str, Callable[[ServiceContext], TableData]] = {
    "comments": comments_table,
    "accounts": accounts_table,
    "findings": findings_table,
}
