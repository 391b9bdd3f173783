"""The main window: the six tabs, the menus, the emergency banner and the status bar.

It builds layout and routes actions; the tabs and dialogs hold the behaviour. It knows the
tabs only through ``BaseTab`` and the registry in ``desktop.views.tabs``.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.services.authz import Permission, can, denial
from desktop.services.context import Actor
from desktop.services.emergencies import ActiveEmergency
from desktop.services.session import AppServices, SessionStatus
from desktop.views.audit_log_dialog import AuditLogDialog
from desktop.views.base_tab import BaseTab
from desktop.views.emergency_banner import EmergencyBanner
from desktop.views.emergency_dialog import EmergencyDialog, end_emergency_flow
from desktop.views.file_actions import choose_local_database, export_everything, import_export_file
from desktop.views.help_dialogs import PolicyDialog, about_box
from desktop.views.icons import icon
from desktop.views.settings_dialog import SettingsDialog
from desktop.views.status_bar import AppStatusBar
from desktop.views.storage_form import ConnectDialog
from desktop.views.tabs import TAB_FACTORIES, TabFactory
from desktop.views.ui_state import UiState
from desktop.views.worker import Progress, Task, run_in_background

log = logging.getLogger(__name__)

APP_TITLE = "Social Media Governance Desk"
STATUS_INTERVAL_MS = 60_000
WINDOW_STATE = "mainWindow"


class MainWindow(QMainWindow):
    """``database_requested`` carries the file or URL the person chose to open instead."""

    database_requested = Signal(str)

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

    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], object],
        *,
        name: str,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        icon_name: str = "",
    ) -> QAction:
        action = QAction(icon(icon_name), text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.action_open_local = self._action(
            file_menu, "&Open local database…", self._on_open_local,
            name="actionOpenLocal", shortcut="Ctrl+O",
        )  # fmt: skip
        self.action_connect_shared = self._action(
            file_menu, "&Connect to shared database…", self._on_connect_shared,
            name="actionConnectShared",
        )  # fmt: skip
        file_menu.addSeparator()
        self.action_import = self._action(
            file_menu, "&Import…", self._on_import, name="actionImport"
        )
        self.action_export = self._action(
            file_menu, "&Export…", self._on_export, name="actionExport"
        )
        file_menu.addSeparator()
        self.action_quit = self._action(
            file_menu, "&Quit", self.close, name="actionQuit", shortcut="Ctrl+Q"
        )

        view_menu = bar.addMenu("&View")
        self.action_refresh = self._action(
            view_menu, "&Refresh", self.refresh_current, name="actionRefresh",
            shortcut="F5", icon_name="refresh",
        )  # fmt: skip
        self.action_find = self._action(
            view_menu, "&Find in this tab", self.focus_search, name="actionFind",
            shortcut="Ctrl+F", icon_name="search",
        )  # fmt: skip
        view_menu.addSeparator()
        self.action_next_tab = self._action(
            view_menu, "&Next tab", self.next_tab, name="actionNextTab"
        )
        self.action_previous_tab = self._action(
            view_menu, "&Previous tab", self.previous_tab, name="actionPreviousTab"
        )

        # The reports module adds its actions here.
        self.reports_menu = bar.addMenu("&Reports")
        self.reports_menu.setObjectName("reportsMenu")

        tools = bar.addMenu("&Tools")
        self.action_audit_log = self._action(
            tools, "&Audit log…", self._on_audit_log, name="actionAuditLog"
        )
        tools.addSeparator()
        self.action_declare_emergency = self._action(
            tools, "&Declare emergency…", self._on_declare_emergency,
            name="actionDeclareEmergency", icon_name="warning",
        )  # fmt: skip
        self.action_end_emergency = self._action(
            tools, "&End emergency…", self._on_end_emergency, name="actionEndEmergency"
        )
        tools.addSeparator()
        self.action_settings = self._action(
            tools, "&Settings…", self._on_settings, name="actionSettings"
        )
        self.action_holidays = self._action(
            tools, "&Holidays and closures…", self._on_holidays, name="actionHolidays"
        )

        help_menu = bar.addMenu("&Help")
        self.action_policy = self._action(
            help_menu, "Social media &policy", self._on_policy, name="actionPolicy"
        )
        self.action_about = self._action(help_menu, "&About", self._on_about, name="actionAbout")
        for menu in (file_menu, view_menu, self.reports_menu, tools, help_menu):
            menu.setToolTipsVisible(True)

    def _build_shortcuts(self) -> None:
        # Qt reports Shift+Tab as Backtab, so both spellings are bound.
        self.action_next_tab.setShortcuts([QKeySequence("Ctrl+Tab"), QKeySequence("Ctrl+PgDown")])
        self.action_previous_tab.setShortcuts(
            [
                QKeySequence(Qt.Modifier.CTRL | Qt.Modifier.SHIFT | Qt.Key.Key_Backtab),
                QKeySequence("Ctrl+Shift+Tab"),
                QKeySequence("Ctrl+PgUp"),
            ]
        )
        for action in (self.action_next_tab, self.action_previous_tab):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

    def _permit(self, action: QAction, permission: Permission, extra: bool = True) -> None:
        reason = denial(self.roles, permission)
        action.setEnabled(reason is None and extra)
        action.setToolTip(reason or action.text().replace("&", "").rstrip("…"))

    def _apply_permissions(self) -> None:
        self._permit(self.action_export, Permission.EXPORT)
        self._permit(self.action_import, Permission.SETTINGS)
        self._permit(self.action_audit_log, Permission.EXPORT)
        self._permit(self.action_declare_emergency, Permission.EMERGENCY)
        active = bool(self.status and self.status.emergencies)
        self._permit(self.action_end_emergency, Permission.EMERGENCY, active)
        if active and not can(self.roles, Permission.EMERGENCY):
            self.banner.end_button.setToolTip(denial(self.roles, Permission.EMERGENCY) or "")

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

    # -- dialogs (made by factory methods so the self-test opens the same ones) -----------

    def make_settings_dialog(self, page: str = SettingsDialog.POLICY_PAGE) -> SettingsDialog:
        return SettingsDialog(self.app, self.roles, self, page=page)

    def make_emergency_dialog(self) -> EmergencyDialog:
        return EmergencyDialog(self.ctx, self)

    def make_audit_dialog(self) -> AuditLogDialog:
        return AuditLogDialog(self.ctx, self)

    def make_about_box(self) -> QMessageBox:
        return about_box(self, self.app)

    def make_policy_dialog(self) -> PolicyDialog | None:
        return PolicyDialog.load(self)

    @Slot()
    def _on_settings(self) -> None:
        self.open_settings(SettingsDialog.POLICY_PAGE)

    @Slot()
    def _on_holidays(self) -> None:
        self.open_settings(SettingsDialog.CALENDAR_PAGE)

    def open_settings(self, page: str) -> None:
        dialog = self.make_settings_dialog(page)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        if dialog.policy_changed:
            self.refresh_all()
        if dialog.chosen_target is not None:
            self._offer_reopen(dialog.chosen_target)

    @Slot()
    def _on_audit_log(self) -> None:
        self.make_audit_dialog().exec()

    @Slot()
    def _on_about(self) -> None:
        self.make_about_box().exec()

    @Slot()
    def _on_policy(self) -> None:
        dialog = self.make_policy_dialog()
        if dialog is None:
            QMessageBox.information(
                self,
                "Policy text not installed",
                "The social media policy text is not installed with this copy of the app "
                f"(expected at {PolicyDialog.path()}).",
            )
            return
        dialog.exec()

    @Slot()
    def _on_declare_emergency(self) -> None:
        dialog = self.make_emergency_dialog()
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.status_bar.showMessage("Emergency declared; due times recomputed.", 5000)
            self.refresh_all()

    @Slot()
    def _on_end_emergency(self) -> None:
        active = self.status.emergencies if self.status else ()
        end_emergency_flow(self, self.ctx, active, self._emergency_ended)

    def _emergency_ended(self, emergency: ActiveEmergency) -> None:
        self.status_bar.showMessage(f"Emergency “{emergency.title}” ended.", 5000)
        self.refresh_all()

    # -- file ----------------------------------------------------------------------------

    @Slot()
    def _on_open_local(self) -> None:
        path = choose_local_database(self)
        if path:
            self.database_requested.emit(path)

    @Slot()
    def _on_connect_shared(self) -> None:
        dialog = ConnectDialog(self, self.app.target)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.chosen_target:
            self.database_requested.emit(dialog.chosen_target)

    def _offer_reopen(self, target: str) -> None:
        answer = QMessageBox.question(
            self,
            "Open the new database?",
            "The storage setting changed. Open that database now?",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.database_requested.emit(target)

    @Slot()
    def _on_export(self) -> None:
        export_everything(self, self.ctx)

    @Slot()
    def _on_import(self) -> None:
        import_export_file(self, self.app, self.refresh_all)

    # -- closing -------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self._timer.stop()
        try:
            self.save_state()
        except Exception:
            log.exception("Could not save the window layout")
        event.accept()
