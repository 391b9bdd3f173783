"""The Accounts tab: the inventory of official accounts, filtered and searched, with the selected
account's detail beside it and the actions the acting person may take on it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.enums import AccountStatus
from desktop.errors import NotFound, PermissionDenied, SmgovError
from desktop.models import Account
from desktop.services.account_list import (
    AccountChoices,
    AccountDetail,
    AccountFilters,
    AccountListService,
    AccountRow,
)
from desktop.services.accounts import AccountService
from desktop.services.context import Actor, ServiceContext
from desktop.views.accounts.account_actions import AccountActions
from desktop.views.accounts.account_detail import AccountDetailPanel
from desktop.views.accounts.account_dialog import AccountDialog
from desktop.views.accounts.account_table_model import (
    COL_EMAIL,
    COL_GOALS,
    COL_HANDLE,
    COL_MINISTRY,
    COL_NEXT_EVALUATION,
    COL_OWNER,
    COL_PASSWORD_AGE,
    COL_PLATFORM,
    COL_STATUS,
    AccountTableModel,
)
from desktop.views.accounts.filter_bar import AccountFilterBar
from desktop.views.accounts.password_dialog import PasswordChangeDialog
from desktop.views.base_tab import BaseTab
from desktop.views.errors import show_error
from desktop.views.list_detail import ListDetail
from desktop.views.responsive_columns import ResponsiveColumns
from desktop.views.ui_state import UiState
from desktop.views.worker import Progress, run_in_background

DETAIL_DELAY_MS = 120  # moving through rows with the arrow keys loads only where it stops
ACCOUNT_ROWS = 12  # accounts the list keeps in sight when the window has room for them
# The e-mail takes the room left; on a narrow window the columns of less use give way, in
# this order (the detail pane shows them all).
COLUMN_WIDTHS = {
    COL_PLATFORM: 96,
    COL_HANDLE: 180,
    COL_MINISTRY: 76,
    COL_STATUS: 92,
    COL_OWNER: 160,
    COL_PASSWORD_AGE: 120,
    COL_NEXT_EVALUATION: 136,
    COL_GOALS: 176,
}
DROP_ORDER = (COL_GOALS, COL_PASSWORD_AGE, COL_NEXT_EVALUATION, COL_OWNER, COL_MINISTRY)


@dataclass(frozen=True)
class _Loaded:
    rows: list[AccountRow]
    actor: Actor | None = None  # with a full load: who is acting, the zone, the dialog choices
    timezone: str | None = None
    choices: AccountChoices | None = None


class AccountsTab(BaseTab):
    title = "Accounts"
    icon = "accounts"
    handles = frozenset({"account"})

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.service = AccountListService(ctx)
        self.actor: Actor | None = None
        self.choices: AccountChoices | None = None
        self.timezone = "America/Regina"
        self.dialog: QDialog | None = None  # the account or password dialog while it is open
        self.loading = False
        self.detail_loaded: uuid.UUID | None = None  # whose detail the panel shows in full
        self._blocked: str | None = None  # why nothing can be done (the register is closed)
        self._pending: uuid.UUID | None = None  # the account to select once the rows arrive
        self._generation = 0
        self._detail_generation = 0

        self.tab_actions = AccountActions(self)
        for action, slot in (
            (self.tab_actions.propose, self._on_propose),
            (self.tab_actions.edit, self._on_edit),
            (self.tab_actions.password, self._on_password),
            (self.tab_actions.activate, self._on_activate),
            (self.tab_actions.suspend, self._on_suspend),
            (self.tab_actions.shut_down, self._on_shut_down),
        ):
            action.triggered.connect(slot)
        self.addAction(self.tab_actions.propose)  # Ctrl+N anywhere in the tab
        self.filter_bar = AccountFilterBar()
        self.filter_bar.changed.connect(self._on_filters_changed)
        self.count = QLabel()
        self.count.setObjectName("accountsCount")
        self.count.setProperty("role", "muted")
        self.model = AccountTableModel()
        self.table = QTableView()
        self.table.setObjectName("accountsTable")
        self.table.setAccessibleName("Accounts")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_PLATFORM, Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionsMovable(True)
        self.columns = ResponsiveColumns(self.table, COL_EMAIL, COLUMN_WIDTHS, DROP_ORDER, 220)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._on_context_menu)
        self.table.doubleClicked.connect(self._on_double_clicked)
        self.table.addAction(self.tab_actions.edit)  # Enter in the table edits the account
        # Selection, not the current row: QTableView moves the current row before selecting.
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

        self.notice = QLabel()
        self.notice.setObjectName("accountsNotice")
        self.notice.setProperty("role", "error")
        self.notice.setWordWrap(True)
        self.notice.hide()

        self.detail = AccountDetailPanel()
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.notice)
        top_layout.addWidget(self.table, 1)
        self.list_detail = ListDetail(
            self, self.table, self.detail, "accountListSplitter", rows=ACCOUNT_ROWS, top=top
        )
        self.splitter = self.list_detail.splitter

        toolbar = QHBoxLayout()
        toolbar.setSpacing(6)
        for action in self.tab_actions.all():
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setObjectName(f"button{action.objectName().removeprefix('action')}")
            toolbar.addWidget(button)
        toolbar.addStretch(1)
        toolbar.addWidget(self.count)
        toolbar.addWidget(self.list_detail.button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addLayout(toolbar)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.splitter, 1)

        self._detail_timer = QTimer(self)
        self._detail_timer.setSingleShot(True)
        self._detail_timer.setInterval(DETAIL_DELAY_MS)
        self._detail_timer.timeout.connect(self._load_detail)

    def search_field(self) -> QLineEdit:
        return self.filter_bar.search

    def restore_state(self, state: UiState) -> None:
        super().restore_state(state)
        self.list_detail.restore(state, self.state_prefix())

    def save_state(self, state: UiState) -> None:
        super().save_state(state)
        self.list_detail.save(state, self.state_prefix())

    # -- loading -------------------------------------------------------------------------

    def refresh(self) -> None:
        super().refresh()
        self._load(full=True)

    def _load(self, *, full: bool = False) -> None:
        # A full load (who acts, the zone, the dialog's choices) until one has arrived.
        full = full or self.actor is None or self.choices is None
        self._generation += 1
        generation = self._generation
        filters, as_of = self.filter_bar.filters(), self.ctx.now()
        ctx, service = self.ctx, self.service

        def fetch(_progress: Progress) -> _Loaded:
            if not full:
                return _Loaded(service.rows(as_of, filters))
            actor = ctx.actor()
            timezone = ctx.settings().timezone
            return _Loaded(service.rows(as_of, filters), actor, timezone, service.choices())

        self.loading = True
        run_in_background(
            self,
            fetch,
            on_success=lambda loaded: self._loaded(generation, loaded),
            on_failure=lambda exc: self._load_failed(generation, exc),
            progress_label="Loading the accounts…",
            read=True,
        )

    def _loaded(self, generation: int, loaded: _Loaded) -> None:
        if generation != self._generation:
            return  # newer filters replaced this load while it ran
        self.loading = False
        self._blocked = None
        self.notice.hide()
        if loaded.actor is not None:
            self.actor = loaded.actor
        if loaded.timezone is not None:
            self.timezone = self.model.timezone = self.detail.timezone = loaded.timezone
        if loaded.choices is not None:
            self.choices = loaded.choices
            self.filter_bar.set_ministries(loaded.choices.ministries)
        wanted = self._pending or self._selected_id()
        missing = self._pending and not any(r.id == self._pending for r in loaded.rows)
        if missing and self.filter_bar.filters() != AccountFilters():
            self.filter_bar.clear()  # the record asked for is hidden by the filters
            self._load()
            return
        self._pending = None
        self.model.set_rows(loaded.rows)
        total = len(loaded.rows)
        self.count.setText(
            "No accounts match" if not total else f"{total} account{'s' if total != 1 else ''}"
        )
        # The first account is shown rather than an empty panel until the person picks one.
        if not self._select(wanted) and self.model.rowCount():
            self.table.selectRow(0)
        self._on_selection_changed()

    def _load_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.loading = False
        if isinstance(exc, PermissionDenied):
            self._blocked = exc.message
            self.notice.setText(exc.message)
            self.notice.show()
            self.model.set_rows([])
            self.detail.clear(exc.message)
            self.tab_actions.update(self.actor, None, self._blocked)
            return
        show_error(self, exc)

    # -- selection and detail ------------------------------------------------------------

    def selected_row(self) -> AccountRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _selected_id(self) -> uuid.UUID | None:
        row = self.selected_row()
        return row.id if row else None

    def _select(self, account_id: uuid.UUID | None) -> bool:
        position = self.model.position_of(account_id) if account_id else None
        if position is None:
            return False
        self.table.selectRow(position)
        self.table.scrollTo(self.model.index(position, 0))
        return True

    def show_record(self, entity_type: str, entity_id: uuid.UUID | str) -> None:
        if entity_type not in self.handles:
            return
        account_id = entity_id if isinstance(entity_id, uuid.UUID) else uuid.UUID(entity_id)
        if not self.loading and self._select(account_id):
            self.table.setFocus()
            return
        self._pending = account_id
        self._load()

    @Slot()
    def _on_selection_changed(self, *_args: Any) -> None:
        row = self.selected_row()
        self.tab_actions.update(self.actor, row, self._blocked)
        if row is None:
            self.detail_loaded = None
            self.detail.clear(self._blocked)
            self._detail_timer.stop()
            return
        if self.detail.row is None or self.detail.row != row:
            self.detail_loaded = None
            self.detail.show_row(row)
        self._detail_timer.start()

    @Slot()
    def _load_detail(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        self._detail_generation += 1
        generation = self._detail_generation
        service, account_id, as_of = self.service, row.id, self.ctx.now()

        def fetch(_progress: Progress) -> AccountDetail:
            return service.detail(account_id, as_of)

        run_in_background(
            self,
            fetch,
            on_success=lambda detail: self._detail_arrived(generation, detail),
            on_failure=lambda exc: self._detail_failed(generation, exc),
        )

    def _detail_arrived(self, generation: int, detail: AccountDetail) -> None:
        if generation != self._detail_generation or self._selected_id() != detail.row.id:
            return
        self.detail.show_detail(detail)
        self.detail_loaded = detail.row.id

    def _detail_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._detail_generation:
            return
        if isinstance(exc, NotFound):
            self._load()  # removed elsewhere (an import): show the list as it is now
        elif isinstance(exc, SmgovError):
            self.detail.clear(exc.message)
        else:
            show_error(self, exc)

    # -- what the person may do ----------------------------------------------------------

    @Slot(QPoint)
    def _on_context_menu(self, position: QPoint) -> None:
        index = self.table.indexAt(position)
        if index.isValid():
            self.table.selectRow(index.row())
        menu = QMenu(self)
        menu.setToolTipsVisible(True)
        for action in self.tab_actions.for_row():
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.tab_actions.propose)
        menu.popup(self.table.viewport().mapToGlobal(position))

    # -- actions -------------------------------------------------------------------------

    @Slot()
    def _on_propose(self) -> None:
        if self.actor is None or self.choices is None or not self.tab_actions.propose.isEnabled():
            return
        self._open(AccountDialog(self.ctx, self.actor, self.choices, None, self))

    @Slot(QModelIndex)
    def _on_double_clicked(self, _index: QModelIndex) -> None:
        if self.tab_actions.edit.isEnabled():
            self._on_edit()

    @Slot()
    def _on_edit(self) -> None:
        row = self.selected_row()
        if row is None or self.actor is None or self.choices is None:
            return
        if not self.tab_actions.edit.isEnabled():
            return
        self._open(AccountDialog(self.ctx, self.actor, self.choices, row, self))

    @Slot()
    def _on_password(self) -> None:
        row = self.selected_row()
        if row is None or not self.tab_actions.password.isEnabled():
            return
        self._open(PasswordChangeDialog(self.ctx, row, self.timezone, self))

    def _open(self, dialog: AccountDialog | PasswordChangeDialog) -> None:
        """Window-modal without a nested event loop; the list reloads once it saved."""
        self.dialog = dialog

        def finished(result: int) -> None:
            self.dialog = None
            dialog.deleteLater()
            if result == QDialog.DialogCode.Accepted and dialog.saved is not None:
                self._changed(dialog.saved)

        dialog.finished.connect(finished)
        dialog.open()

    @Slot()
    def _on_activate(self) -> None:
        row = self.selected_row()
        if row is None or not self.tab_actions.activate.isEnabled():
            return
        answer = QMessageBox.question(
            self,
            "Activate account",
            f"Make {row.label} active? Its evaluations and password rotation start counting.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._set_status(row, AccountStatus.ACTIVE, "")

    @Slot()
    def _on_suspend(self) -> None:
        row = self.selected_row()
        if row is None or not self.tab_actions.suspend.isEnabled():
            return
        reason, ok = QInputDialog.getText(
            self, "Suspend account", f"Why is {row.label} suspended? (optional)"
        )
        if ok:
            self._set_status(row, AccountStatus.SUSPENDED, reason)

    @Slot()
    def _on_shut_down(self) -> None:
        row = self.selected_row()
        if row is None or not self.tab_actions.shut_down.isEnabled():
            return
        reason, ok = QInputDialog.getMultiLineText(
            self,
            "Shut down account",
            f"Why is {row.label} shut down? The reason is kept with the record.",
        )
        if not ok:
            return
        service, account_id, version = AccountService(self.ctx), row.id, row.version
        run_in_background(
            self,
            lambda _p: service.retire(account_id, reason, version=version),
            on_success=self._changed,
            progress_label="Shutting the account down…",
        )

    def _set_status(self, row: AccountRow, status: AccountStatus, reason: str) -> None:
        service, account_id, version = AccountService(self.ctx), row.id, row.version
        run_in_background(
            self,
            lambda _p: service.set_status(account_id, status, reason, version=version),
            on_success=self._changed,
            progress_label="Saving…",
        )

    def _changed(self, account: Account) -> None:
        self._pending = account.id
        self._load()
        self.data_changed.emit()

    @Slot()
    def _on_filters_changed(self) -> None:
        self._load()
