"""Service messages shown next to the field they name, for the comment dialogs.

Each field gets a red line under it; a message naming no known field goes under the form,
and anything that is not a rule broken (a bug, a lost database) still gets a message box.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from PySide6.QtWidgets import QLabel, QWidget

from desktop.errors import ConflictError, DomainError, PermissionDenied
from desktop.views.errors import show_error

log = logging.getLogger(__name__)


def error_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setProperty("role", "error")
    label.setWordWrap(True)
    label.hide()
    return label


def _mark(widget: QWidget, invalid: bool) -> None:
    widget.setProperty("invalid", invalid)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class FieldErrors:
    """``fields``: service field name → (input widget, its error label)."""

    def __init__(self, fields: Mapping[str, tuple[QWidget, QLabel]], general: QLabel) -> None:
        self.fields = dict(fields)
        self.general = general

    def clear(self) -> None:
        for widget, label in self.fields.values():
            if widget.property("invalid"):
                _mark(widget, False)
            label.clear()
            label.hide()
        self.general.clear()
        self.general.hide()

    def show(self, exc: BaseException, parent: QWidget | None) -> None:
        self.clear()
        if not isinstance(exc, (DomainError, PermissionDenied, ConflictError)):
            show_error(parent, exc)
            return
        log.info("Shown in the form: %s", exc)
        found = self.fields.get(getattr(exc, "field", None) or "")
        if found is None:
            self.general.setText(exc.message)
            self.general.show()
            return
        widget, label = found
        label.setText(exc.message)
        label.show()
        _mark(widget, True)
        widget.setFocus()

    def message(self, field: str) -> str:
        """The message shown next to ``field`` ("" when none): what tests read."""
        found = self.fields.get(field)
        if found is None:
            return self.general.text() if not self.general.isHidden() else ""
        return found[1].text() if not found[1].isHidden() else ""
