"""Show an error to the person: the sentence the service wrote and, for a rule broken, which
field to fix. Anything else is a bug: it is logged and shown as unexpected, never swallowed.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from desktop.errors import (
    ConflictError,
    DomainError,
    NotFound,
    PermissionDenied,
    SmgovError,
    StorageUnavailable,
)
from desktop.storage.paths import app_paths

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ErrorText:
    title: str
    text: str
    detail: str = ""
    icon: QMessageBox.Icon = QMessageBox.Icon.Warning


def field_label(field: str) -> str:
    """``government_email`` → "Government e-mail"; ``ministry_id`` → "Ministry"."""
    words = field.removesuffix("_id").removesuffix("_ids").replace("_", " ").strip()
    words = words.replace("email", "e-mail")
    return words[:1].upper() + words[1:]


def describe_error(exc: BaseException) -> ErrorText:
    """Title, message and detail for a message box (pure: tests check it without a dialog)."""
    if isinstance(exc, NotFound):
        return ErrorText("Record not found", exc.message)
    if isinstance(exc, DomainError):
        detail = f"Check the field: {field_label(exc.field)}." if exc.field else ""
        return ErrorText("Please check your entry", exc.message, detail)
    if isinstance(exc, PermissionDenied):
        return ErrorText("Not allowed", exc.message)
    if isinstance(exc, ConflictError):
        return ErrorText("Changed in the meantime", exc.message)
    if isinstance(exc, StorageUnavailable):
        return ErrorText(
            "Database unavailable",
            exc.message,
            "Your last change was not saved. Check the network or the settings and try again.",
            QMessageBox.Icon.Critical,
        )
    if isinstance(exc, SmgovError):
        return ErrorText("Cannot do that", exc.message)
    return ErrorText(
        "Unexpected error",
        f"Something went wrong that the app did not expect: {type(exc).__name__}: {exc}",
        f"Nothing was half-saved. The details are in the log file {app_paths().log_file}; "
        "send it to your support desk if this happens again.",
        QMessageBox.Icon.Critical,
    )


def error_box(parent: QWidget | None, exc: BaseException) -> QMessageBox:
    described = describe_error(exc)
    box = QMessageBox(parent)
    box.setObjectName("errorBox")
    box.setIcon(described.icon)
    box.setWindowTitle(described.title)
    box.setText(described.text)
    if described.detail:
        box.setInformativeText(described.detail)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """Tell the person; an unexpected exception is logged with its traceback first."""
    if not isinstance(exc, SmgovError):
        log.error("Unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    else:
        log.info("Shown to the user: %s", exc)
    error_box(parent, exc).exec()


# -- inline, in a dialog -------------------------------------------------------------------


def _set_invalid(widget: QWidget, invalid: bool) -> None:
    widget.setProperty("invalid", invalid)
    # A dynamic property only restyles after the style is re-applied.
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def clear_inline(fields: Mapping[str, QWidget], label: QLabel) -> None:
    for widget in fields.values():
        if widget.property("invalid"):
            _set_invalid(widget, False)
    label.clear()
    label.hide()


def show_inline(
    fields: Mapping[str, QWidget], label: QLabel, exc: BaseException, parent: QWidget | None
) -> None:
    """Put a service's message under the form and mark the field it names.

    Errors that are not about the form (unexpected ones, a lost database) still get a box.
    """
    clear_inline(fields, label)
    if not isinstance(exc, (DomainError, PermissionDenied, ConflictError)):
        show_error(parent, exc)
        return
    log.info("Shown in the form: %s", exc)
    label.setText(exc.message)
    label.show()
    field = getattr(exc, "field", None)
    widget = fields.get(field) if field else None
    if widget is not None:
        _set_invalid(widget, True)
        widget.setFocus()
