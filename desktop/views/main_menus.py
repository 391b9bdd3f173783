"""The main window's menu bar: its actions with their shortcuts and permission states, and the
dialogs and files its File, Tools and Help items open.

The menus are part of the window's frame, shown before the database is open, so each dialog's
module is imported when the dialog is first opened.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu, QMessageBox, QWidget

from desktop.enums import AppRole
from desktop.services.authz import Permission, can, denial
from desktop.views.emergency_banner import EmergencyBanner
from desktop.views.icons import icon
from desktop.views.reports.report_actions import add_report_actions
from desktop.views.status_bar import AppStatusBar

if TYPE_CHECKING:
    from desktop.services.context import ServiceContext
    from desktop.services.emergencies import ActiveEmergency
    from desktop.services.session import AppServices, SessionStatus
    from desktop.views.audit_log_dialog import AuditLogDialog
    from desktop.views.comments.bans_dialog import BansDialog
    from desktop.views.directory.key_contacts_dialog import KeyContactsDialog
    from desktop.views.emergency_dialog import EmergencyDialog
    from desktop.views.emergency_record.record_dialog import EmergencyRecordDialog
    from desktop.views.help_dialogs import PolicyDialog
    from desktop.views.settings_dialog import SettingsDialog


class MenuWindow(QMainWindow):
    """The base of ``MainWindow``, which sets the attributes below before building the menus.

    ``database_requested`` carries the file or URL the person chose to open instead. Until a
    database is open (``app`` is None) the actions that need one are disabled.
    """

    database_requested = Signal(str)

    app: AppServices | None
    ctx: ServiceContext | None
    roles: frozenset[AppRole]
    status: SessionStatus | None
    banner: EmergencyBanner
    status_bar: AppStatusBar

    # -- what the window provides --------------------------------------------------------

    def refresh_current(self) -> None:
        raise NotImplementedError

    def refresh_all(self) -> None:
        raise NotImplementedError

    def focus_search(self) -> None:
        raise NotImplementedError

    def next_tab(self) -> None:
        raise NotImplementedError

    def current_tab(self) -> QWidget | None:
        """The tab shown now (File ▸ Export table exports its table)."""
        raise NotImplementedError

    def previous_tab(self) -> None:
        raise NotImplementedError

    # -- building ------------------------------------------------------------------------

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
        self.action_import_file = self._action(
            file_menu, "&Import platform file…", self._on_import_file,
            name="actionImportFile", shortcut="Ctrl+I",
        )  # fmt: skip
        self.action_export_table = self._action(
            file_menu, "Export &table…", self._on_export_table,
            name="actionExportTable", shortcut="Ctrl+Shift+E",
        )  # fmt: skip
        file_menu.addSeparator()
        self.action_import = self._action(
            file_menu, "Import everything from a &backup…", self._on_import, name="actionImport"
        )
        self.action_export = self._action(
            file_menu, "&Export everything (backup)…", self._on_export, name="actionExport"
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
        self.report_actions = add_report_actions(self, self.reports_menu, self._open_ctx)

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
        self.action_emergency_record = self._action(
            tools, "Emergency &records and group updates…", self._on_emergency_record,
            name="actionEmergencyRecord",
        )  # fmt: skip
        tools.addSeparator()
        self.action_key_contacts = self._action(
            tools, "&Key contacts…", self._on_key_contacts, name="actionKeyContacts"
        )
        self.action_bans = self._action(tools, "&Bans…", self._on_bans, name="actionBans")
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

    def _database_actions(self) -> list[QAction]:
        """What needs an open database whatever the role."""
        return [
            self.action_open_local,
            self.action_connect_shared,
            self.action_refresh,
            self.action_settings,
            self.action_holidays,
            self.action_about,
        ]

    def _apply_permissions(self) -> None:
        if self.app is None:
            waiting = "Available once the database is open"
            for action in self._database_actions() + self._role_actions():
                action.setEnabled(False)
                action.setToolTip(waiting)
            return
        for action in self._database_actions():
            action.setEnabled(True)
            action.setToolTip(action.text().replace("&", "").rstrip("…"))
        from desktop.services.session import database_lock

        locked = database_lock()  # IT fixed the database of this computer
        if locked:
            for action in (self.action_open_local, self.action_connect_shared):
                action.setEnabled(False)
                action.setToolTip(locked)
        self._permit(self.action_export, Permission.EXPORT)
        self._permit(self.action_import, Permission.SETTINGS)
        self._permit(self.action_import_file, Permission.DRAFT_RECORDS)
        self._permit(self.action_export_table, Permission.EXPORT)
        self._permit(self.action_audit_log, Permission.EXPORT)
        for report_action in self.report_actions:
            self._permit(report_action, Permission.READ_ALL)
        self._permit(self.action_declare_emergency, Permission.EMERGENCY)
        for reader_action in (self.action_emergency_record, self.action_key_contacts):
            self._permit(reader_action, Permission.READ_ALL)
        self._permit(self.action_bans, Permission.READ_ALL)
        active = bool(self.status and self.status.emergencies)
        self._permit(self.action_end_emergency, Permission.EMERGENCY, active)
        if active and not can(self.roles, Permission.EMERGENCY):
            self.banner.end_button.setToolTip(denial(self.roles, Permission.EMERGENCY) or "")

    def _role_actions(self) -> list[QAction]:
        return [
            self.action_export,
            self.action_import,
            self.action_import_file,
            self.action_export_table,
            self.action_audit_log,
            *self.report_actions,
            self.action_declare_emergency,
            self.action_end_emergency,
            self.action_emergency_record,
            self.action_key_contacts,
            self.action_bans,
        ]

    def _open_app(self) -> AppServices:
        """The open database; the actions that need it are disabled until then."""
        assert self.app is not None, "no database is open yet"
        return self.app

    def _open_ctx(self) -> ServiceContext:
        return self._open_app().ctx

    # -- dialogs (made by factory methods so the self-test opens the same ones) -----------

    def make_settings_dialog(self, page: str | None = None) -> SettingsDialog:
        """On ``page`` (one of SettingsDialog's ``*_PAGE`` names), else its first page."""
        from desktop.views.settings_dialog import SettingsDialog

        return SettingsDialog(
            self._open_app(), self.roles, self, page=page or SettingsDialog.POLICY_PAGE
        )

    def make_emergency_dialog(self) -> EmergencyDialog:
        from desktop.views.emergency_dialog import EmergencyDialog

        return EmergencyDialog(self._open_ctx(), self)

    def make_emergency_record_dialog(self, emergency_id: Any = None) -> EmergencyRecordDialog:
        from desktop.views.emergency_record.record_dialog import EmergencyRecordDialog

        return EmergencyRecordDialog(self._open_ctx(), emergency_id, self)

    def make_key_contacts_dialog(self) -> KeyContactsDialog:
        from desktop.views.directory.key_contacts_dialog import KeyContactsDialog

        return KeyContactsDialog(self._open_ctx(), self)

    def make_bans_dialog(self) -> BansDialog:
        from desktop.views.comments.bans_dialog import BansDialog

        return BansDialog(self._open_ctx(), self)

    def make_audit_dialog(self) -> AuditLogDialog:
        from desktop.views.audit_log_dialog import AuditLogDialog

        dialog = AuditLogDialog(self._open_ctx(), self)
        show_record = getattr(self, "show_record", None)  # the window's tabs open the record
        if show_record is not None:
            dialog.open_record.connect(show_record)
        return dialog

    def make_about_box(self) -> QMessageBox:
        from desktop.views.help_dialogs import about_box

        return about_box(self, self._open_app())

    def make_policy_dialog(self) -> PolicyDialog | None:
        from desktop.views.help_dialogs import PolicyDialog

        return PolicyDialog.load(self)

    @Slot()
    def _on_settings(self) -> None:
        self.open_settings(None)

    @Slot()
    def _on_holidays(self) -> None:
        from desktop.views.settings_dialog import SettingsDialog

        self.open_settings(SettingsDialog.CALENDAR_PAGE)

    def open_settings(self, page: str | None) -> None:
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
        from desktop.views.help_dialogs import PolicyDialog

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
        from desktop.views.emergency_dialog import end_emergency_flow

        active = self.status.emergencies if self.status else ()
        end_emergency_flow(self, self._open_ctx(), active, self._emergency_ended)

    @Slot()
    def _on_emergency_record(self) -> None:
        active = self.status.emergencies if self.status else ()
        dialog = self.make_emergency_record_dialog(active[0].id if active else None)
        dialog.exec()
        if dialog.changed:
            self.refresh_all()

    @Slot()
    def _on_key_contacts(self) -> None:
        self.make_key_contacts_dialog().exec()

    @Slot()
    def _on_bans(self) -> None:
        dialog = self.make_bans_dialog()
        dialog.exec()
        if dialog.changed:
            self.refresh_all()

    def _emergency_ended(self, emergency: ActiveEmergency) -> None:
        self.status_bar.showMessage(f"Emergency “{emergency.title}” ended.", 5000)
        self.refresh_all()

    # -- file ----------------------------------------------------------------------------

    @Slot()
    def _on_open_local(self) -> None:
        from desktop.views.file_actions import choose_local_database

        path = choose_local_database(self)
        if path:
            self.database_requested.emit(path)

    @Slot()
    def _on_connect_shared(self) -> None:
        from desktop.views.storage_form import ConnectDialog

        dialog = ConnectDialog(self, self._open_app().target)
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
        from desktop.views.file_actions import export_everything

        export_everything(self, self._open_ctx())

    @Slot()
    def _on_import_file(self) -> None:
        from desktop.views.imports.import_dialog import ImportDialog

        dialog = ImportDialog(self._open_ctx(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.imported:
            self.status_bar.showMessage(dialog.result_message, 10_000)
            self.refresh_all()

    @Slot()
    def _on_export_table(self) -> None:
        from desktop.views.imports.export_table import export_table

        export_table(self, self.current_tab(), self._open_ctx())

    @Slot()
    def _on_import(self) -> None:
        from desktop.views.file_actions import import_export_file

        import_export_file(self, self._open_app(), self.refresh_all)
