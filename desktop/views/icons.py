"""The app's icons (hand-written SVG files in desktop/resources/icons), loaded once by name."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from desktop.resources import resource_path


@cache
def icon(name: str) -> QIcon:
    """``icon("add")`` → desktop/resources/icons/add.svg; an unknown name gives an empty icon."""
    path = resource_path("icons", f"{name}.svg")
    return QIcon(str(path)) if name and path.is_file() else QIcon()
