"""The main window: the six tabs, the emergency banner and the status bar.

It builds layout and routes actions; the tabs and dialogs hold the behaviour, and the menus come
from ``desktop.views.main_menus``. It knows the tabs only through ``BaseTab`` and the registry
in ``desktop.views.tabs``.

The window is shown before the database is open: its frame (menus, tab titles, status bar)
needs none of the services, and ``attach`` fills it in once the database is open. Each tab is
built the first time it is selected, so start-up builds one tab, not six.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from desktop.services.authz import Permission, can
from desktop.views.base_tab import BaseTab
from desktop.views.emergency_banner import EmergencyBanner
from desktop.views.icons import icon
from desktop.views.main_menus import MenuWindow
from desktop.views.status_bar import AppStatusBar
from desktop.views.tabs import TAB_FACTORIES, TabFactory, preload
from desktop.views.ui_state import UiState
from desktop.views.worker import Task, run_in_background

if TYPE_CHECKING:
    from desktop.services.context import Actor
    from desktop.services.session import AppServices, SessionStatus, TargetInfo
    from desktop.views.sync_status import SyncControls

log = logging.getLogger(__name__)

APP_TITLE = "Social Media Governance Desk"
STATUS_INTERVAL_MS = 60_000
WINDOW_STATE = "mainWindow"
BANNER_FOLDED = "mainWindow.emergencyBannerFolded"
# Until the person folds or unfolds the emergency banner, it is folded to one line on a
# window shorter than this (a laptop), so that the comment log keeps its rows in sight.
FOLD_BELOW_HEIGHT = 900
OPENING_TEXT = "Opening the database…"


class TabPage(QWidget):
    """A tab's place in the tab widget: a short note until the tab itself is built in it."""

    def __init__(self, factory: TabFactory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.factory = factory
        self.tab: BaseTab | None = None
        self.setObjectName(f"page{factory.title}")
        self.note = QLabel(OPENING_TEXT)
        self.note.setObjectName("tabPageNote")
        self.note.setProperty("role", "muted")
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.note)

    def put(self, tab: BaseTab) -> None:
        self.tab = tab
        self.note.hide()
        self._layout.addWidget(tab)
        tab.show()  # now, not from the queued show a layout gives a child of a visible page


class MainWindow(MenuWindow):
    """The tabs, banner and status bar; the menus and what they open come from ``MenuWindow``.

    ``MainWindow()`` is the frame alone (shown while the database opens); ``attach`` fills it
    in. ``MainWindow(app, actor)`` does both at once.
    """

    def __init__(
        self,
        app: AppServices | None = None,
        actor: Actor | None = None,
        *,
        factories: Sequence[TabFactory] | None = None,
        ui_state: UiState | None = None,
        status_interval_ms: int = STATUS_INTERVAL_MS,
    ) -> None:
        super().__init__()
        self.app = None
        self.ctx = None
        self.roles = frozenset()
        self.ui_state = ui_state if ui_state is not None else UiState.load()
        self.status: SessionStatus | None = None
        self._status_task: Task[SessionStatus] | None = None
        self._status_interval_ms = status_interval_ms
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_TITLE)
        self.setWindowIcon(icon("app"))
        self.resize(1280, 800)
        self.setMinimumSize(960, 600)

        self.banner = EmergencyBanner()
        self.banner.end_requested.connect(self._on_end_emergency)
        self.banner.record_requested.connect(self._on_emergency_record)
        self.banner.collapsed_changed.connect(
            lambda folded: self.ui_state.set_flag(BANNER_FOLDED, folded)
        )
        self.tab_widget = QTabWidget()
        self.tab_widget.setObjectName("mainTabs")
        self.tab_widget.setAccessibleName("Main tabs")
        self.pages: list[TabPage] = []
        for factory in factories if factories is not None else TAB_FACTORIES:
            page = TabPage(factory)
            self.pages.append(page)
            self.tab_widget.addTab(page, icon(factory.icon), factory.title)
        self.tab_widget.currentChanged.connect(self._on_tab_changed)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(10, 8, 10, 6)
        layout.setSpacing(8)
        layout.addWidget(self.banner)
        layout.addWidget(self.tab_widget, 1)
        self.setCentralWidget(central)
        self.status_bar = AppStatusBar()
        self.setStatusBar(self.status_bar)
        self.sync: SyncControls | None = None

        self._build_menus()
        self._build_shortcuts()
        self._apply_permissions()
        self._restore_state()

        self._timer = QTimer(self)
        self._timer.setObjectName("statusTimer")
        self._timer.timeout.connect(self.refresh_status)
        if app is not None:
            assert actor is not None, "a window on a database acts as someone"
            self.attach(app, actor)

    def show_waiting(self, target: TargetInfo, text: str) -> None:
        """The database is open but not shown yet (the person is asked something first)."""
        self.status_bar.show_target(target)
        for page in self.pages:
            page.note.setText(text)

    def attach(self, app: AppServices, actor: Actor) -> None:
        """Fill the frame in: the database, who acts, the selected tab and the status."""
        self.app = app
        self.ctx = app.ctx
        self.roles = actor.roles
        self.setWindowTitle(f"{APP_TITLE} — {app.target.label.removeprefix('local file ')}")
        self.status_bar.show_target(app.target)
        for page in self.pages:
            page.note.setText(f"Loading {page.factory.title.lower()}…")
        self._apply_permissions()
        # The tab first: building it on this thread goes faster with no loading on the pool
        # competing for the interpreter.
        self._on_tab_changed(self.tab_widget.currentIndex())
        self._timer.start(self._status_interval_ms)
        # The rest on the next turn of the event loop, once the tab is painted: one stall of
        # the window the less at start.
        QTimer.singleShot(0, self, lambda: self._after_attach(app))

    def _after_attach(self, app: AppServices) -> None:
        if self.app is not app:
            return  # another database was opened meanwhile
        self.refresh_status()
        self._attach_sync(app)

    def _attach_sync(self, app: AppServices) -> None:
        """On a replica: the sync corner, its worker, "Sync now" and the conflicts dialog."""
        from desktop.sync.service import SyncService
        from desktop.views.sync_status import SyncControls

        if self.sync is not None:
            self.sync.close()
            self.sync = None
        service = SyncService(app.ctx.db)
        if not service.is_replica():
            return
        self.sync = SyncControls(self, self.status_bar, service)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.sync.action_sync)
        self.file_menu.addAction(self.sync.action_conflicts)

    # -- building ------------------------------------------------------------------------

    def _restore_state(self) -> None:
        self.ui_state.restore_geometry(WINDOW_STATE, self)
        self._fold_banner()

    def _fold_banner(self) -> None:
        if self.ui_state.has_flag(BANNER_FOLDED):
            folded = self.ui_state.flag(BANNER_FOLDED)
        else:
            folded = self.height() < FOLD_BELOW_HEIGHT
        if folded != self.banner.collapsed:
            self.banner.set_collapsed(folded)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fold_banner()

    def save_state(self) -> None:
        self.ui_state.save_geometry(WINDOW_STATE, self)
        for tab in self.tabs:
            tab.save_state(self.ui_state)
        self.ui_state.flush()

    # -- tabs ----------------------------------------------------------------------------

    @property
    def tabs(self) -> list[BaseTab]:
        """The tabs built so far, in tab order (a tab is built when first selected)."""
        return [page.tab for page in self.pages if page.tab is not None]

    def tab_at(self, index: int) -> BaseTab:
        """The tab at ``index``, built now if it was not yet."""
        page = self.pages[index]
        if page.tab is not None:
            return page.tab
        assert self.ctx is not None, "tabs are built once the database is open"
        tab = page.factory(self.ctx)
        tab.restore_state(self.ui_state)
        tab.open_record.connect(self.show_record)
        tab.data_changed.connect(self._on_data_changed)
        page.put(tab)
        return tab

    def warm_up_tabs(self) -> None:
        """Import the modules of the tabs not built yet, on the pool: selecting one later then
        only builds it (importing the Comments tab's modules takes ~100 ms)."""
        pending = [page.factory for page in self.pages if page.tab is None]
        if pending:
            run_in_background(
                self, lambda _p: preload(pending), on_success=lambda _r: None, quiet=True
            )

    def current_tab(self) -> BaseTab | None:
        index = self.tab_widget.currentIndex()
        return self.pages[index].tab if index >= 0 else None

    @Slot(int)
    def _on_tab_changed(self, index: int) -> None:
        if index < 0 or self.ctx is None:
            return
        tab = self.tab_at(index)
        if tab.stale:
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
        if self.ctx is not None:
            self.ctx.forget()  # a refresh reads who acts and the settings again too
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
        for index, page in enumerate(self.pages):
            if entity_type in page.factory.handles:
                self.tab_widget.setCurrentIndex(index)
                self.tab_at(index).show_record(entity_type, entity_id)
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
        if self._status_task is not None or self.app is None:
            return  # the previous refresh has not answered yet, or nothing is open yet
        app = self.app
        self._status_task = run_in_background(
            self,
            lambda _progress: app.status(),
            on_success=self._apply_status,
            on_failure=self._status_failed,
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
        if self.sync is not None:
            self.sync.close()
            self.sync = None
        try:
            self.save_state()
        except Exception:
            log.exception("Could not save the window layout")
        event.accept()
