"""The way from the Evaluations tab to the PDF report: the reports view's dialog, opened with the
account and half-year filled in, when that view is part of the build."""

from __future__ import annotations

import importlib
import importlib.util
import uuid

from PySide6.QtWidgets import QWidget

from desktop.services.context import ServiceContext

REPORT_DIALOG = "desktop.views.reports.report_dialog"
NO_REPORTS = "PDF reports are not part of this build yet."


def report_dialog_available() -> bool:
    try:
        return importlib.util.find_spec(REPORT_DIALOG) is not None
    except (ImportError, ValueError):
        return False


def open_evaluation_report(
    parent: QWidget, ctx: ServiceContext, account_id: uuid.UUID, period: str
) -> None:
    """Open the report dialog pre-filled with kind "evaluation", the account and the period."""
    # Imported when asked for: the reports view is written separately from this tab.
    dialogs = importlib.import_module(REPORT_DIALOG)
    dialogs.open_report_dialog(parent, ctx, kind="evaluation", account_id=account_id, period=period)
