"""Combo boxes whose items carry Python values (UUIDs, enums) as their data."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox


def index_of(combo: QComboBox, value: Any) -> int:
    """``findData`` by Python equality: Qt compares wrapped objects such as UUIDs by identity."""
    for index in range(combo.count()):
        if combo.itemData(index) == value:
            return index
    return -1


def select_data(combo: QComboBox, value: Any) -> bool:
    """Make the item holding ``value`` current; False (and no change) if there is none."""
    index = index_of(combo, value)
    if index < 0:
        return False
    combo.setCurrentIndex(index)
    return True
