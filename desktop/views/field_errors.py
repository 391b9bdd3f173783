"""Service messages shown next to the form field they name (``DomainError.field``), or under
the form for the rest; anything unexpected still goes to a message box.

One helper for every dialog that shows messages per field (accounts, comments); dialogs with a
single message line under the form use ``desktop.views.errors.show_inline``.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDateTimeEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ConflictError, DomainError, PermissionDenied
from desktop.views.errors import show_error


def _set_invalid(widget: QWidget, invalid: bool) -> None:
    widget.setProperty("invalid", invalid)
    widget.style().unpolish(widget)  # a dynamic property restyles only when re-polished
    widget.style().polish(widget)


def _when_changed(widget: QWidget) -> SignalInstance | None:
    """The signal a person's change of the field emits (None for a widget it cannot tell)."""
    if isinstance(widget, QComboBox):
        return widget.currentIndexChanged
    if isinstance(widget, QLineEdit):
        return widget.textEdited
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return widget.textChanged
    if isinstance(widget, QDateTimeEdit):
        return widget.dateTimeChanged
    if isinstance(widget, QAbstractSpinBox) and hasattr(widget, "valueChanged"):
        return widget.valueChanged  # type: ignore[no-any-return]
    if isinstance(widget, QAbstractButton):
        return widget.toggled
    return None


class FieldErrors:
    """One error label under each field and one under the form for the rest. A field's
    message goes as soon as the person changes that field (it said what to fix)."""

    def __init__(self, general: QLabel) -> None:
        self.general = general
        self.fields: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}

    @classmethod
    def for_fields(
        cls, fields: Mapping[str, tuple[QWidget, QLabel]], general: QLabel
    ) -> FieldErrors:
        """For a dialog that laid out its own error labels: field → (input, its label)."""
        errors = cls(general)
        for field, (widget, label) in fields.items():
            errors.fields[field] = widget
            errors.labels[field] = label
            errors._watch(field, widget)
        return errors

    def _watch(self, field: str, widget: QWidget) -> None:
        signal = _when_changed(widget)
        if signal is not None:
            signal.connect(lambda *_args: self.clear_field(field))

    def clear_field(self, field: str) -> None:
        """Take the message of one field away (the person is fixing it)."""
        label = self.labels.get(field)
        if label is None or label.isHidden():
            return
        label.clear()
        label.hide()
        if self.fields[field].property("invalid"):
            _set_invalid(self.fields[field], False)

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
        self._watch(field, widget)
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

    def show(self, exc: BaseException, parent: QWidget | None) -> None:
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
        else:
            self.general.setText(exc.message)
            self.general.show()
        if parent is not None:
            fit_height(parent)

    def message(self, field: str) -> str:
        """The message shown next to ``field`` ("" when none), or under the form for a field
        the dialog does not have: what tests read."""
        label = self.labels.get(field, self.general)
        return label.text() if not label.isHidden() else ""


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


def general_error_label(name: str = "formError") -> QLabel:
    return error_label(name)


def error_label(name: str) -> QLabel:
    """A hidden, word-wrapped error line."""
    label = QLabel()
    label.setObjectName(name)
    label.setProperty("role", "error")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.hide()
    return label
