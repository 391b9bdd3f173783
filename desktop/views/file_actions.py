"""File ▸ Open local database, Import and Export: choose the file, confirm, run the work off
the GUI thread, report how many rows moved."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktop.services.context import ServiceContext
from desktop.services.session import AppServices
from desktop.services.transfer import ImportSummary, TransferService
from desktop.storage.paths import app_paths
from desktop.views.worker import Progress, run_in_background


def choose_local_database(parent: QWidget) -> str | None:
    """An existing database file, or the name of a new one (it is created when opened)."""
    path, _filter = QFileDialog.getSaveFileName(
        parent,
        "Open or create a local database",
        str(app_paths().data_dir),
        "Database files (*.sqlite3 *.db);;All files (*)",
        options=QFileDialog.Option.DontConfirmOverwrite,
    )
    return path or None


def export_everything(parent: QWidget, ctx: ServiceContext) -> None:
    path, _filter = QFileDialog.getSaveFileName(
        parent, "Export everything", "smgov-export.json", "JSON files (*.json)"
    )
    if not path:
        return

    def export(progress: Progress) -> int:
        return TransferService(ctx).export_file(
            Path(path), lambda done, total: progress.report(done, total), progress.is_cancelled
        )

    def done(count: int) -> None:
        QMessageBox.information(parent, "Export finished", f"Exported {count} rows to {path}.")

    run_in_background(
        parent, export, on_success=done, progress_label="Exporting…", cancellable=True
    )


def import_export_file(parent: QWidget, app: AppServices, on_imported: Callable[[], None]) -> None:
    """Import a JSON export; into a database with data only after the person agrees."""
    path, _filter = QFileDialog.getOpenFileName(
        parent, "Import an export file", "", "JSON files (*.json)"
    )
    if not path:
        return
    merge = not app.is_empty()
    if merge:
        answer = QMessageBox.question(
            parent,
            "Merge into this database?",
            "This database already has data. Add the file's records to it?\n\n"
            "Records already here are matched and left alone; of two different copies of a "
            "record, the one edited later stays. If a record cannot be reconciled, nothing "
            "is imported and you are told which.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
    ctx = app.ctx

    def load(progress: Progress) -> ImportSummary:
        return TransferService(ctx).import_file(
            Path(path),
            allow_non_empty=merge,
            progress=lambda done, total: progress.report(done, total),
            cancelled=progress.is_cancelled,
        )

    def done(summary: ImportSummary) -> None:
        changes = "\n".join(summary.changes)
        QMessageBox.information(
            parent, "Import finished", summary.message + (f"\n\n{changes}" if changes else "")
        )
        on_imported()

    run_in_background(parent, load, on_success=done, progress_label="Importing…", cancellable=True)
