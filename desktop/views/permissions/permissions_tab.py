"""The Permissions tab: who holds which role on which account, violations coloured, filters,
and granting, changing and revoking roles from a cell's context menu."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.enums import PageRole, PersonKind
from desktop.errors import PermissionDenied
from desktop.services.authz import Permission, denial
from desktop.services.choices import Choice, ChoiceService
from desktop.services.context import Actor, ServiceContext
from desktop.services.permission_matrix import (
    MatrixAccount,
    MatrixCell,
    MatrixPerson,
    PermissionMatrix,
    PermissionMatrixService,
    role_label,
)
from desktop.services.roles import RoleService
from desktop.views.base_tab import BaseTab
from desktop.views.errors import show_error
from desktop.views.icons import icon
from desktop.views.permissions.cell_menu import CellHandlers, build_cell_menu
from desktop.views.permissions.grant_dialog import ThirdPartyGrantDialog
from desktop.views.permissions.matrix_controls import MatrixFilterBar, ViolationLegend
from desktop.views.permissions.matrix_model import PermissionMatrixModel
from desktop.views.permissions.matrix_view import MatrixTableView
from desktop.views.ui_state import UiState
from desktop.views.worker import Progress, run_in_background


class PermissionsTab(BaseTab):
    title = "Permissions"
    icon = "permissions"
    handles = frozenset({"account_role", "person"})

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.matrix_service = PermissionMatrixService(ctx)
        self.role_service = RoleService(ctx)
        self.actor: Actor | None = None
        self.matrix: PermissionMatrix | None = None
        self._generation = 0
        # After a reload: select this (person id, account id) cell, or this grant, or person.
        self._select_cell: tuple[uuid.UUID, uuid.UUID] | None = None
        self._select_record: tuple[str, uuid.UUID] | None = None
        self._build()

    # -- layout --------------------------------------------------------------------------

    def _build(self) -> None:
        self.filter_bar = MatrixFilterBar()
        self.filter_bar.changed.connect(self._on_filters_changed)
        self.search = QLineEdit()
        self.search.setObjectName("permissionsSearch")
        self.search.setAccessibleName("Find a person")
        self.search.setPlaceholderText("Find a person…")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(180)
        self.search.textChanged.connect(self._on_search)
        self.revoke_due = QPushButton("Re&voke due third-party access")
        self.revoke_due.setObjectName("revokeDueButton")
        self.revoke_due.setIcon(icon("delete"))
        self.revoke_due.setEnabled(False)
        self.revoke_due.clicked.connect(self._on_revoke_due)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.filter_bar)
        top.addStretch(1)
        top.addWidget(self.search)
        top.addWidget(self.revoke_due)

        self.legend = ViolationLegend()
        self.summary = QLabel("Loading…")
        self.summary.setObjectName("permissionsSummary")
        self.summary.setProperty("role", "muted")
        second = QHBoxLayout()
        second.addWidget(self.legend)
        second.addStretch(1)
        second.addWidget(self.summary)

        # Parented: a model the Python collector frees on a worker thread would crash Qt.
        self.model = PermissionMatrixModel(self)
        self.table = MatrixTableView(self.model)
        self.table.customContextMenuRequested.connect(self._on_context_menu)
        self.table.selectionModel().currentChanged.connect(self._on_current_changed)
        self.table.doubleClicked.connect(self._on_double_clicked)

        self.info = QLabel("Right-click a cell to grant, change or revoke a role.")
        self.info.setObjectName("permissionsCellInfo")
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = QLabel()
        self.message.setObjectName("permissionsMessage")
        self.message.setWordWrap(True)
        self.message.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addLayout(second)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.info)
        layout.addWidget(self.message)

        menu_key = QShortcut(QKeySequence(Qt.Key.Key_Menu), self.table)
        menu_key.activated.connect(self._on_menu_key)
        shift_f10 = QShortcut(QKeySequence("Shift+F10"), self.table)
        shift_f10.activated.connect(self._on_menu_key)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete.activated.connect(self._on_delete_key)

    # -- BaseTab -------------------------------------------------------------------------

    def search_field(self) -> QLineEdit:
        return self.search

    def refresh(self) -> None:
        super().refresh()
        self._load()

    def save_state(self, state: UiState) -> None:
        """Nothing to keep: the matrix's columns are accounts (data), not a layout, and a saved
        header would be restored onto a different set of accounts."""

    def restore_state(self, state: UiState) -> None:
        """See ``save_state``."""

    def show_record(self, entity_type: str, entity_id: uuid.UUID | str) -> None:
        ident = uuid.UUID(str(entity_id))
        self._select_record = (entity_type, ident)
        if not self._select_pending_record():
            # Hidden by a filter (or not loaded yet): show everything, then select it.
            self.search.clear()
            self.filter_bar.reset()
            self._load()

    # -- loading -------------------------------------------------------------------------

    def _load(self) -> None:
        self._generation += 1
        generation = self._generation
        filters = self.filter_bar.filters()
        want_ministries = not self.filter_bar.ministries_loaded
        ctx, service = self.ctx, self.matrix_service

        def work(_p: Progress) -> tuple[Actor, list[Choice] | None, PermissionMatrix]:
            actor = ctx.actor()
            ministries = ChoiceService(ctx).ministries() if want_ministries else None
            return actor, ministries, service.matrix(filters)

        self.summary.setText("Loading…")
        run_in_background(
            self,
            work,
            on_success=lambda result: self._on_loaded(generation, result),
            on_failure=lambda exc: self._on_load_failed(generation, exc),
        )

    def _on_loaded(
        self, generation: int, result: tuple[Actor, list[Choice] | None, PermissionMatrix]
    ) -> None:
        if generation != self._generation:
            return  # the filters changed while this loaded
        self.actor, ministries, matrix = result
        if ministries is not None:
            self.filter_bar.fill_ministries(ministries)
        self.matrix = matrix
        self.model.set_matrix(matrix)
        self.table.horizontalHeader().updateGeometry()
        self._show_counts(matrix)
        self._apply_permissions()
        if not self._select_pending_record():
            self._select_pending_cell()
        self._on_current_changed(self.table.currentIndex())

    def _on_load_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        if isinstance(exc, PermissionDenied):
            # An agency's staff see their own access elsewhere; say so here, without a box.
            self.summary.setText("")
            self.info.setText(exc.message)
            self.revoke_due.setEnabled(False)
            return
        self.summary.setText("Could not load the matrix.")
        show_error(self, exc)

    def _show_counts(self, matrix: PermissionMatrix) -> None:
        """What is shown: the people found and the accounts where they hold a role."""
        cells = self.model.shown_cells()
        counts = Counter(v for cell in cells for v in cell.violations)
        self.legend.set_counts(counts, matrix.revoke_days)
        people, accounts = len(self.model.people), len(self.model.accounts)
        text = (
            f"{people} {'person' if people == 1 else 'people'} × "
            f"{accounts} account{'' if accounts == 1 else 's'} · "
            f"{len(cells)} role{'' if len(cells) == 1 else 's'}"
        )
        if self.model.search:
            text += f" (of {len(matrix.people)} × {len(matrix.accounts)} · {len(matrix.cells)})"
            if people and not cells:
                text += " · no role held: every account is shown to grant one"
        self.summary.setText(text)

    def _apply_permissions(self) -> None:
        reason = self._manage_denial()
        due = self.matrix.due_for_revocation if self.matrix else 0
        self.revoke_due.setText(
            f"Re&voke due third-party access ({due})" if due else "Re&voke due third-party access"
        )
        if reason is None and not due:
            reason = "No access is past its expiry date."
        self.revoke_due.setEnabled(reason is None)
        self.revoke_due.setToolTip(
            reason or f"Revoke the {due} grant(s) whose expiry date has passed, everywhere."
        )

    def _manage_denial(self) -> str | None:
        if self.actor is None:
            return "Loading who you are…"
        return denial(self.actor.roles, Permission.MANAGE_ACCOUNTS)

    # -- selection -----------------------------------------------------------------------

    def _select_index(self, index: QModelIndex) -> bool:
        if not index.isValid():
            return False
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def _select_pending_cell(self) -> None:
        if self._select_cell is None:
            return
        person_id, account_id = self._select_cell
        self._select_cell = None
        row = self.model.index_of_person(person_id)
        column = next((i for i, a in enumerate(self.model.accounts) if a.id == account_id), None)
        if row is not None and column is not None:
            self._select_index(self.model.index(row, column))

    def _select_pending_record(self) -> bool:
        if self._select_record is None or self.matrix is None:
            return False
        kind, ident = self._select_record
        if kind == "person":
            row = self.model.index_of_person(ident)
            found = row is not None and self._select_index(self.model.index(row, 0))
            if row is not None and not found:  # a person and no account column
                self.table.verticalHeader().setFocus()
                found = True
        else:
            found = self._select_index(self.model.index_of_grant(ident))
        if found:
            self._select_record = None
        return found

    @Slot(QModelIndex)
    def _on_current_changed(self, index: QModelIndex) -> None:
        person, account = self.model.person(index.row()), self.model.account(index.column())
        if not index.isValid() or person is None or account is None:
            self.info.setText("Right-click a cell to grant, change or revoke a role.")
            return
        cell = self.model.cell_at(index)
        where = f"{person.name} ({person.kind.value}) on {account.label}"
        if cell is None:
            self.info.setText(f"{where}: no role.")
            return
        parts = [f"{where}: {role_label(cell.role)}"]
        if cell.campaign_name:
            parts.append(f"campaign {cell.campaign_name}")
        if cell.deadline:
            parts.append(f"access ends {cell.deadline:%d %b %Y}")
        text = ", ".join(parts) + "."
        if cell.violations:
            text += " ⚠ " + "; ".join(v.label for v in cell.violations) + "."
        self.info.setText(text)

    # -- filters -------------------------------------------------------------------------

    @Slot()
    def _on_filters_changed(self) -> None:
        self._load()

    @Slot(str)
    def _on_search(self, text: str) -> None:
        self.model.set_search(text)
        if self.matrix is not None:
            self._show_counts(self.matrix)

    # -- the context menu ----------------------------------------------------------------

    def cell_menu(self, index: QModelIndex) -> QMenu | None:
        """The menu of one cell: grant on an empty cell, change or revoke on a held one."""
        person, account = self.model.person(index.row()), self.model.account(index.column())
        if person is None or account is None:
            return None
        handlers = CellHandlers(
            grant=self._on_grant,
            change=self._on_change,
            revoke=self._on_revoke,
            open_account=lambda a: self.open_record.emit("account", a.id),
        )
        cell = self.model.cell_at(index)
        return build_cell_menu(self, person, account, cell, self._manage_denial(), handlers)

    @Slot(QPoint)
    def _on_context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        self.table.setCurrentIndex(index)
        menu = self.cell_menu(index)
        if menu is not None:
            menu.exec(self.table.viewport().mapToGlobal(pos))
            menu.deleteLater()

    @Slot()
    def _on_menu_key(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self._on_context_menu(self.table.visualRect(index).center())

    @Slot()
    def _on_delete_key(self) -> None:
        index = self.table.currentIndex()
        cell = self.model.cell_at(index)
        person, account = self.model.person(index.row()), self.model.account(index.column())
        if cell is None or person is None or account is None:
            return
        reason = self._manage_denial()
        if reason:
            self._show_message(reason, error=True)
            return
        self._on_revoke(person, account, cell)

    @Slot(QModelIndex)
    def _on_double_clicked(self, index: QModelIndex) -> None:
        self._on_context_menu(self.table.visualRect(index).center())

    # -- writing -------------------------------------------------------------------------

    def make_grant_dialog(
        self, person: MatrixPerson, account: MatrixAccount, role: PageRole
    ) -> ThirdPartyGrantDialog:
        assert self.matrix is not None
        return ThirdPartyGrantDialog(
            self.ctx, person, account, role,
            today=self.matrix.today, revoke_days=self.matrix.revoke_days, parent=self,
        )  # fmt: skip

    def _on_grant(self, person: MatrixPerson, account: MatrixAccount, role: PageRole) -> None:
        what = f"{person.name} is now {role_label(role)} on {account.label}."
        if person.kind == PersonKind.AGENCY:
            dialog = self.make_grant_dialog(person, account, role)
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            dialog.deleteLater()
            if accepted:
                self._changed(what, (person.id, account.id))
            return
        service = self.role_service
        self._write(
            lambda: service.grant(person.id, account.id, role), what, (person.id, account.id)
        )

    def _on_change(
        self, person: MatrixPerson, account: MatrixAccount, cell: MatrixCell, role: PageRole
    ) -> None:
        service = self.role_service
        self._write(
            lambda: service.change(cell.account_role_id, role, version=cell.version),
            f"{person.name} is now {role_label(role)} on {account.label}.",
            (person.id, account.id),
        )

    def _on_revoke(self, person: MatrixPerson, account: MatrixAccount, cell: MatrixCell) -> None:
        reason, ok = QInputDialog.getText(
            self,
            "Revoke access",
            f"Revoke {person.name}'s {role_label(cell.role)} role on {account.label}?\n\n"
            "Reason (optional, kept in the audit log):",
        )
        if not ok:
            return
        service = self.role_service
        self._write(
            lambda: service.revoke(cell.account_role_id, reason, version=cell.version),
            f"{person.name} no longer holds a role on {account.label}.",
            (person.id, account.id),
        )

    @Slot()
    def _on_revoke_due(self) -> None:
        due = self.matrix.due_for_revocation if self.matrix else 0
        box = QMessageBox(self)
        box.setObjectName("revokeDueConfirm")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Revoke due third-party access")
        box.setText(f"Revoke the {due} access grant(s) whose expiry date has passed?")
        box.setInformativeText(
            "This revokes them in every ministry, not only those shown; each revocation is "
            "recorded in the audit log."
        )
        box.setStandardButtons(QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Ok).setText("Revoke")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        answer = box.exec()
        if answer != QMessageBox.StandardButton.Ok:
            return
        service, now = self.role_service, self.ctx.now()

        def revoke(_p: Progress) -> list[uuid.UUID]:
            return service.revoke_expired(now)

        run_in_background(
            self,
            revoke,
            on_success=lambda ids: self._changed(
                f"Revoked {len(ids)} third-party access grant(s) past their expiry date.", None
            ),
            progress_label="Revoking access past its expiry date…",
        )

    def _write(
        self,
        fn: Callable[[], Any],
        message: str,
        select: tuple[uuid.UUID, uuid.UUID] | None,
    ) -> None:
        run_in_background(
            self, lambda _p: fn(), on_success=lambda _result: self._changed(message, select)
        )

    def _changed(self, message: str, select: tuple[uuid.UUID, uuid.UUID] | None) -> None:
        self._select_cell = select
        self._show_message(message)
        self._load()
        self.data_changed.emit()

    def _show_message(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setProperty("role", "error" if error else "muted")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.show()
