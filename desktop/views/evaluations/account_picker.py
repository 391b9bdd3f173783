"""A searchable account picker: type any part of the handle, platform or ministry code."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from desktop.services.choices import Choice


def choice_text(choice: Choice) -> str:
    """'Facebook @SaskHealth — HEA'."""
    return f"{choice.label} — {choice.detail}" if choice.detail else choice.label


class AccountPicker(QComboBox):
    """An editable combo whose completer matches anywhere in the text; ``account_chosen`` fires
    when another listed account becomes the current one (typing alone picks nothing)."""

    account_chosen = Signal(object)  # the account's uuid

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evaluationAccountPicker")
        self.setAccessibleName("Account")
        self.setToolTip("Type part of the handle, platform or ministry code to find an account.")
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMinimumContentsLength(34)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMaxVisibleItems(20)
        completer = self.completer()
        assert completer is not None  # an editable combo always has one
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        line = self.lineEdit()
        assert line is not None
        line.setPlaceholderText("Choose an account…")
        line.setClearButtonEnabled(True)
        self.choices: dict[uuid.UUID, Choice] = {}
        # Picked from the list, the completer or by Enter on a matching text; not while refilling.
        self.currentIndexChanged.connect(self._on_index_changed)

    def set_choices(self, choices: Sequence[Choice]) -> None:
        """Fill the list, keeping the current account when it is still offered."""
        current = self.account_id()
        self.blockSignals(True)
        self.clear()
        self.choices = {c.id: c for c in choices}
        # Ids as text: Qt compares Python objects in item data by identity, not by value.
        for choice in sorted(choices, key=lambda c: choice_text(c).lower()):
            self.addItem(choice_text(choice), str(choice.id))
        self.setCurrentIndex(self.findData(str(current)) if current is not None else -1)
        self.blockSignals(False)

    def account_id(self) -> uuid.UUID | None:
        return _ident(self.currentData())

    def current_choice(self) -> Choice | None:
        ident = self.account_id()
        return self.choices.get(ident) if ident is not None else None

    def select(self, account_id: uuid.UUID) -> bool:
        """Show ``account_id`` as chosen (and say so); False if it is not in the list."""
        position = self.findData(str(account_id))
        if position < 0:
            return False
        self.setCurrentIndex(position)
        return True

    @Slot(int)
    def _on_index_changed(self, position: int) -> None:
        ident = _ident(self.itemData(position))
        if ident is not None:
            self.account_chosen.emit(ident)


def _ident(data: object) -> uuid.UUID | None:
    return uuid.UUID(data) if isinstance(data, str) and data else None
