"""File ▸ Export table…: the current tab's table, with its filter and sort, as .xlsx or .csv.

The comment log is read again from the database with the tab's query, page by page, in the
background with progress and cancel; the other tables are small and taken as shown.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QAbstractItemView, QFileDialog, QMessageBox, QTableView, QWidget

from desktop.reports.spreadsheet import TableData, write_table
from desktop.services.context import ServiceContext
from desktop.views.imports.table_walk import model_table
from desktop.views.worker import Progress, Task, run_in_background

FILTERS = "Excel workbook (*.xlsx);;CSV, UTF-8 (*.csv)"

Builder = Callable[[], TableData]


def table_builder(tab: QWidget, ctx: ServiceContext) -> Builder | None:
    """How to get the tab's table: a function (run in the background), or None."""
    from desktop.views.accounts.account_table_model import AccountTableModel
    from desktop.views.comments.comment_log_model import CommentLogModel

    model = getattr(tab, "model", None)
    if isinstance(model, CommentLogModel):
        from desktop.services.export_table import comments_table

        query = model.query
        return lambda: comments_table(ctx, query)
    if isinstance(model, AccountTableModel):
        from desktop.services.export_table import accounts_table

        rows = list(model.rows)  # in the order the tab sorted them
        return lambda: accounts_table(ctx, rows=rows)
    view = _main_view(tab)
    if view is None:
        return None
    title = str(getattr(tab, "title", "") or "Table")
    hidden = [c for c in range(view.model().columnCount()) if _hidden(view, c)]
    table = model_table(title, view.model(), hidden, ctx.settings().timezone)
    return lambda: table


def _hidden(view: QAbstractItemView, column: int) -> bool:
    return isinstance(view, QTableView) and view.isColumnHidden(column)


def _main_view(tab: QWidget) -> QAbstractItemView | None:
    views = [v for v in tab.findChildren(QAbstractItemView) if v.model() is not None]
    shown = [v for v in views if v.isVisibleTo(tab)] or views
    if not shown:
        return None
    return max(shown, key=lambda v: v.width() * v.height())


def export_table(parent: QWidget, tab: QWidget | None, ctx: ServiceContext) -> Task[int] | None:
    """Ask where, then write the tab's table there off the GUI thread."""
    builder = table_builder(tab, ctx) if tab is not None else None
    if builder is None:
        QMessageBox.information(parent, "Export table", "This tab has no table to export.")
        return None
    name = str(getattr(tab, "title", "table")).lower().replace(" ", "-")
    path, chosen = QFileDialog.getSaveFileName(parent, "Export table", f"{name}.xlsx", FILTERS)
    if not path:
        return None
    target = Path(path)
    if target.suffix.lower() not in (".xlsx", ".csv"):
        target = target.with_suffix(".csv" if "csv" in chosen.lower() else ".xlsx")

    def work(progress: Progress) -> int:
        table = builder()
        return write_table(
            table,
            target,
            lambda done, total: progress.report(done, total, f"Writing {done:,} rows…"),
            progress.is_cancelled,
        )

    def done(count: int) -> None:
        QMessageBox.information(parent, "Table exported", f"Wrote {count:,} rows to {target}.")

    return run_in_background(
        parent, work, on_success=done, progress_label="Exporting the table…", cancellable=True
    )
