"""The main window: the six tabs, the emergency banner and the status bar.

It builds layout and routes actions; the tabs and dialogs hold the behaviour, and the menus come
from ``desktop.views.main_menus``. It knows the tabs only through ``BaseTab`` and the registry
in ``desktop.views.tabs``.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence

from PySide6.QtCore import QTimer, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from desktop.services.authz import Permission, can
from desktop.services.context import Actor
from desktop.services.session import AppServices, SessionStatus
from desktop.views.base_tab import BaseTab
from desktop.views.emergency_banner import EmergencyBanner
from desktop.views.icons import icon
from desktop.views.main_menus import MenuWindow
from desktop.views.status_bar import AppStatusBar
from desktop.views.tabs import TAB_FACTORIES, TabFactory
from desktop.views.ui_state import UiState
from desktop.views.worker import Progress, Task, run_in_background

log = logging.getLogger(__name__)

APP_TITLE = "Social Media Governance Desk"
STATUS_INTERVAL_MS = 60_000
WINDOW_STATE = "mainWindow"


class MainWindow(MenuWindow):
    """The tabs, banner and status bar; the menus and what they open come from ``MenuWindow``."""

    def __init__(
        self,
        app: AppServices,
        actor: Actor,
        *,
        factories: Sequence[TabFactory] | None = None,
        ui_state: UiState | None = None,
        status_interval_ms: int = STATUS_INTERVAL_MS,
    ) -> None:
        super().__init__()
        self.app = app
        self.ctx = app.ctx
        self.roles = actor.roles
        self.ui_state = ui_state if ui_state is not None else UiState.load()
        self.status: SessionStatus | None = None
        self._status_task: Task[SessionStatus] | None = None
        self.setObjectName("mainWindow")
        self.setWindowTitle(f"{APP_TITLE} — {app.target.label.removeprefix('local file ')}")
        self.setWindowIcon(icon("app"))
        self.resize(1280, 800)
        self.setMinimumSize(960, 600)

        self.banner = EmergencyBanner()
        self.banner.end_requested.connect(self._on_end_emergency)
        self.tab_widget = QTabWidget()
        self.tab_widget.setObjectName("mainTabs")
        self.tab_widget.setAccessibleName("Main tabs")
        self.tabs: list[BaseTab] = []
        for factory in factories if factories is not None else TAB_FACTORIES:
            self._add_tab(factory(self.ctx))
        self.tab_widget.currentChanged.connect(self._on_tab_changed)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(10, 8, 10, 6)
        layout.setSpacing(8)
        layout.addWidget(self.banner)
        layout.addWidget(self.tab_widget, 1)
        self.setCentralWidget(central)
        self.status_bar = AppStatusBar(app.target)
        self.setStatusBar(self.status_bar)

        self._build_menus()
        self._build_shortcuts()
        self._apply_permissions()
        self._restore_state()

        self._timer = QTimer(self)
        self._timer.setObjectName("statusTimer")
        self._timer.timeout.connect(self.refresh_status)
        self._timer.start(status_interval_ms)
        self.refresh_status()
        self._on_tab_changed(self.tab_widget.currentIndex())

    # -- building ------------------------------------------------------------------------

    def _add_tab(self, tab: BaseTab) -> None:
        self.tabs.append(tab)
        self.tab_widget.addTab(tab, icon(tab.icon), tab.title)
        tab.open_record.connect(self.show_record)
        tab.data_changed.connect(self._on_data_changed)

    def _restore_state(self) -> None:
        self.ui_state.restore_geometry(WINDOW_STATE, self)
        for tab in self.tabs:
            tab.restore_state(self.ui_state)

    def save_state(self) -> None:
        self.ui_state.save_geometry(WINDOW_STATE, self)
        for tab in self.tabs:
            tab.save_state(self.ui_state)
        self.ui_state.flush()

    # -- tabs ----------------------------------------------------------------------------

    def current_tab(self) -> BaseTab | None:
        widget = self.tab_widget.currentWidget()
        return widget if isinstance(widget, BaseTab) else None

    @Slot(int)
    def _on_tab_changed(self, _index: int) -> None:
        tab = self.current_tab()
        if tab is not None and tab.stale:
            tab.refresh()

    @Slot()
    def next_tab(self) -> None:
        count = self.tab_widget.count()
        if count:
            self.tab_widget.setCurrentIndex((self.tab_widget.currentIndex() + 1) % count)

    @Slot()
    def previous_tab(self) -> None:
        count = self.tab_widget.count()
        if count:
            self.tab_widget.setCurrentIndex((self.tab_widget.currentIndex() - 1) % count)

    @Slot()
    def focus_search(self) -> None:
        tab = self.current_tab()
        if tab is None or not tab.focus_search():
            self.status_bar.showMessage("This tab has no search box.", 3000)

    @Slot()
    def refresh_current(self) -> None:
        tab = self.current_tab()
        if tab is not None:
            tab.refresh()
        self.refresh_status()

    def refresh_all(self) -> None:
        """After a change that moves what every tab shows (emergency, settings, import)."""
        for tab in self.tabs:
            tab.stale = True
        self.refresh_current()

    @Slot(str, object)
    def show_record(self, entity_type: str, entity_id: uuid.UUID | str) -> None:
        for tab in self.tabs:
            if entity_type in tab.handles:
                self.tab_widget.setCurrentWidget(tab)
                tab.show_record(entity_type, entity_id)
                return
        self.status_bar.showMessage(f"No tab shows records of type {entity_type}.", 4000)

    @Slot()
    def _on_data_changed(self) -> None:
        sender = self.sender()
        for tab in self.tabs:
            if tab is not sender:
                tab.stale = True
        self.refresh_status()

    # -- status --------------------------------------------------------------------------

    @Slot()
    def refresh_status(self) -> None:
        if self._status_task is not None:
            return  # the previous refresh has not answered yet
        app = self.app

        def load(_progress: Progress) -> SessionStatus:
            return app.status()

        self._status_task = run_in_background(
            self, load, on_success=self._apply_status, on_failure=self._status_failed
        )
        self._status_task.finished.connect(self._status_done)

    @Slot()
    def _status_done(self) -> None:
        self._status_task = None

    def _apply_status(self, status: SessionStatus) -> None:
        self.status = status
        self.roles = frozenset(status.roles)
        self.status_bar.show_status(status)
        self.banner.show_emergencies(
            status.emergencies,
            status.timezone,
            can_end=can(self.roles, Permission.EMERGENCY),
        )
        self._apply_permissions()

    def _status_failed(self, exc: BaseException) -> None:
        self.status_bar.show_unreachable(str(exc))

    # -- closing -------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self._timer.stop()
        try:
            self.save_state()
        except Exception:
            log.exception("Could not save the window layout")
        event.accept()
