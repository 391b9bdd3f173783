"""The base of the six main-window tabs: title, refresh, search focus, saved layout, and the
signals a tab uses to talk to the window without knowing the other tabs.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from desktop.views.ui_state import UiState

if TYPE_CHECKING:  # the window's frame is built before the services are imported
    from desktop.services.context import ServiceContext


class BaseTab(QWidget):
    """Subclasses set ``title`` and ``icon`` and build their layout in ``__init__``.

    The window calls ``refresh()`` when the tab is first shown, on F5 and after changes made
    elsewhere (an emergency declared, settings changed); ``refresh`` should load off the GUI
    thread through ``desktop.views.worker.run_in_background``.
    """

    title: ClassVar[str] = ""
    icon: ClassVar[str] = ""  # a file name in desktop/resources/icons without ".svg"
    # Entity types (audit names: "account", "comment", "approval"...) ``show_record`` opens.
    handles: ClassVar[frozenset[str]] = frozenset()

    # The tab asks the window to show a record, wherever it lives (e.g. a finding's account).
    open_record = Signal(str, object)
    # The tab changed data other parts of the window show (status bar counts, banner).
    data_changed = Signal()

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName(f"tab{type(self).__name__}")
        self.setAccessibleName(self.title)
        self.stale = True  # the window refreshes a stale tab when it is shown

    def refresh(self) -> None:
        """Reload what the tab shows; the default has nothing to load."""
        self.stale = False

    def search_field(self) -> QLineEdit | None:
        """The tab's quick-search box, focused by Ctrl+F."""
        return None

    def focus_search(self) -> bool:
        field = self.search_field()
        if field is None:
            return False
        field.setFocus()
        field.selectAll()
        return True

    def show_record(self, entity_type: str, entity_id: uuid.UUID | str) -> None:
        """Select and show one record of a type in ``handles``."""

    def state_prefix(self) -> str:
        return f"tab.{type(self).__name__}"

    def save_state(self, state: UiState) -> None:
        """Saves every named splitter and table header; override to add more."""
        state.save_children(self.state_prefix(), self)

    def restore_state(self, state: UiState) -> None:
        state.restore_children(self.state_prefix(), self)
