"""Service messages shown next to the form field they name (``DomainError.field``), or under
the form for the rest; anything unexpected still goes to a message box.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop.errors import ConflictError, DomainError, PermissionDenied
from desktop.views.errors import show_error


def _set_invalid(widget: QWidget, invalid: bool) -> None:
    widget.setProperty("invalid", invalid)
    widget.style().unpolish(widget)  # a dynamic property restyles only when re-polished
    widget.style().polish(widget)


class FieldErrors:
    """One error label under each field and one under the form for the rest."""

    def __init__(self, general: QLabel) -> None:
        self.general = general
        self.fields: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}

    def wrap(self, field: str, widget: QWidget) -> QWidget:
        """``widget`` with its (hidden) error label below it, to put in a form row."""
        label = QLabel()
        label.setObjectName(f"error_{field}")
        label.setProperty("role", "error")
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.hide()
        self.fields[field] = widget
        self.labels[field] = label
        widget.setObjectName(f"field_{field}")
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        layout.addWidget(label)
        return box

    def clear(self) -> None:
        for field, label in self.labels.items():
            label.clear()
            label.hide()
            if self.fields[field].property("invalid"):
                _set_invalid(self.fields[field], False)
        self.general.clear()
        self.general.hide()

    def show(self, exc: BaseException, parent: QWidget) -> None:
        """The message next to its field (or under the form); anything unexpected in a box."""
        self.clear()
        if not isinstance(exc, (DomainError, PermissionDenied, ConflictError)):
            show_error(parent, exc)
            return
        field = getattr(exc, "field", None)
        if field in self.labels:
            label = self.labels[field]
            label.setText(exc.message)
            label.show()
            widget = self.fields[field]
            _set_invalid(widget, True)
            widget.setFocus()
            fit_height(parent)
            return
        self.general.setText(exc.message)
        self.general.show()
        fit_height(parent)

    def message(self, field: str) -> str:
        label = self.labels.get(field)
        return label.text() if label is not None and not label.isHidden() else ""


def fit_height(window: QWidget) -> None:
    """Grow the dialog to fit a message that wrapped onto several lines.

    A top-level window's minimum size ignores word-wrapped labels (Qt's height-for-width),
    so without this the message is squeezed over the fields below it.
    """
    layout = window.layout()
    if layout is None:
        return
    layout.activate()
    needed = (
        layout.totalHeightForWidth(window.width())
        if layout.hasHeightForWidth()
        else layout.totalSizeHint().height()
    )
    if needed > window.height():
        window.resize(window.width(), needed)


def general_error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("formError")
    label.setProperty("role", "error")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.hide()
    return label
