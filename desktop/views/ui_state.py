"""Save and restore window geometry, splitter positions and table header states by name.

Like Anki's ``saveGeom``/``restoreGeom``: each state is stored under a stable name in the
workstation's settings file (``LocalSettings.ui_state``), so a table comes back with the
columns the person arranged. A state that no longer fits (Qt upgrade, other screen) is ignored.
"""

from __future__ import annotations

import base64
import logging

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QSplitter,
    QTableView,
    QTreeView,
    QWidget,
)

from desktop.storage.app_settings import LocalSettings

log = logging.getLogger(__name__)


class UiState:
    """The saved states of this workstation; ``flush()`` writes them to the settings file."""

    def __init__(self, values: dict[str, str] | None = None, *, persist: bool = True) -> None:
        self._values: dict[str, str] = dict(values or {})
        self._persist = persist

    @classmethod
    def load(cls) -> UiState:
        return cls(LocalSettings.load().ui_state)

    @classmethod
    def in_memory(cls) -> UiState:
        """For tests and the self-test: never touches the settings file."""
        return cls(persist=False)

    def flush(self) -> None:
        if not self._persist:
            return
        settings = LocalSettings.load()
        settings.ui_state = dict(sorted(self._values.items()))
        try:
            settings.save()
        except OSError as exc:
            log.warning("Could not save the window layout: %s", exc)

    def keys(self) -> list[str]:
        return sorted(self._values)

    # -- raw values ----------------------------------------------------------------------

    def _put(self, key: str, data: QByteArray) -> None:
        self._values[key] = base64.b64encode(bytes(data.data())).decode("ascii")

    def _get(self, key: str) -> QByteArray | None:
        text = self._values.get(key)
        if not text:
            return None
        try:
            return QByteArray(base64.b64decode(text.encode("ascii"), validate=True))
        except ValueError:
            log.info("Ignoring a damaged saved state %s", key)
            return None

    # -- choices ---------------------------------------------------------------------------

    def flag(self, name: str, default: bool = False) -> bool:
        """A yes/no choice the person made (a folded banner, a hidden pane)."""
        value = self._values.get(f"{name}/flag")
        return default if value is None else value == "1"

    def has_flag(self, name: str) -> bool:
        return f"{name}/flag" in self._values

    def set_flag(self, name: str, value: bool) -> None:
        self._values[f"{name}/flag"] = "1" if value else "0"

    # -- widgets -------------------------------------------------------------------------

    def save_geometry(self, name: str, widget: QWidget) -> None:
        self._put(f"{name}/geometry", widget.saveGeometry())

    def restore_geometry(self, name: str, widget: QWidget) -> bool:
        data = self._get(f"{name}/geometry")
        return bool(data is not None and widget.restoreGeometry(data))

    def save_splitter(self, name: str, splitter: QSplitter) -> None:
        self._put(f"{name}/splitter", splitter.saveState())

    def restore_splitter(self, name: str, splitter: QSplitter) -> bool:
        data = self._get(f"{name}/splitter")
        return bool(data is not None and splitter.restoreState(data))

    def save_header(self, name: str, header: QHeaderView) -> None:
        self._put(f"{name}/header", header.saveState())

    def restore_header(self, name: str, header: QHeaderView) -> bool:
        data = self._get(f"{name}/header")
        return bool(data is not None and header.restoreState(data))

    # -- everything named inside a widget ------------------------------------------------

    def save_children(self, prefix: str, root: QWidget) -> None:
        """Every splitter and table/tree header below ``root`` that has an object name."""
        for splitter in root.findChildren(QSplitter):
            if splitter.objectName():
                self.save_splitter(f"{prefix}.{splitter.objectName()}", splitter)
        for view in _views(root):
            self.save_header(f"{prefix}.{view.objectName()}", _header(view))

    def restore_children(self, prefix: str, root: QWidget) -> None:
        for splitter in root.findChildren(QSplitter):
            if splitter.objectName():
                self.restore_splitter(f"{prefix}.{splitter.objectName()}", splitter)
        for view in _views(root):
            self.restore_header(f"{prefix}.{view.objectName()}", _header(view))


def _views(root: QWidget) -> list[QAbstractItemView]:
    found: list[QAbstractItemView] = [
        *root.findChildren(QTableView),
        *root.findChildren(QTreeView),
    ]
    return [v for v in found if v.objectName()]


def _header(view: QAbstractItemView) -> QHeaderView:
    if isinstance(view, QTreeView):
        return view.header()
    assert isinstance(view, QTableView)
    return view.horizontalHeader()
