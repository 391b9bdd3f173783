"""Tables of the app as spreadsheets: the comment log (streamed page by page), the account
inventory and the compliance findings, each with the filter and sort a person chose."""

from desktop.services.export_table.tables import (
    TABLES,
    accounts_table,
    comments_table,
    findings_table,
)

__all__ = ["TABLES", "accounts_table", "comments_table", "findings_table"]
