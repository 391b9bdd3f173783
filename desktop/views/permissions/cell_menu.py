"""The context menu of one cell of the permission matrix: grant a role on an empty cell, change
or revoke the role on a held one; each item disabled with the reason when it may not be done."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from desktop.enums import PageRole, PersonKind
from desktop.services.permission_matrix import (
    MatrixAccount,
    MatrixCell,
    MatrixPerson,
    role_label,
)
from desktop.services.roles import GRANTABLE, facebook_admin_denial
from desktop.views.icons import icon


@dataclass(frozen=True)
class CellHandlers:
    """What the menu's items do (the tab's slots)."""

    grant: Callable[[MatrixPerson, MatrixAccount, PageRole], Any]
    change: Callable[[MatrixPerson, MatrixAccount, MatrixCell, PageRole], Any]
    revoke: Callable[[MatrixPerson, MatrixAccount, MatrixCell], Any]
    open_account: Callable[[MatrixAccount], Any]


def grant_denial(person: MatrixPerson, account: MatrixAccount) -> str | None:
    """What the role service would refuse about the cell itself, said before asking."""
    if not person.active:
        return f"{person.name} is no longer active; only active people get access."
    if account.status not in GRANTABLE:
        status = account.status.value.replace("_", " ")
        return (
            f"{account.label} is {status}; roles are granted only on approved or active accounts."
        )
    return None


def role_denial(person: MatrixPerson, account: MatrixAccount, role: PageRole) -> str | None:
    """Why this person may not hold this role on this account (the Facebook Admin rule)."""
    return facebook_admin_denial(
        account.platform,
        role,
        person.name,
        person.app_roles,
        bool(person.ministry_code) and person.ministry_code == account.ministry_code,
    )


def _bind(fn: Callable[..., Any], *args: Any) -> Callable[[], None]:
    # No parameters: PySide then passes no ``checked`` bool (bools crossing into Python
    # lambdas have upset PySide's reference counts).
    return lambda: fn(*args)


def _permit(action: QAction, reason: str | None, tip: str) -> None:
    action.setEnabled(reason is None)
    action.setToolTip(reason or tip)


def _submenu(menu: QMenu, title: str, name: str, reason: str | None) -> QMenu:
    sub = menu.addMenu(title)
    sub.setObjectName(name)
    sub.setToolTipsVisible(True)
    sub.setEnabled(reason is None)
    if reason:
        sub.menuAction().setToolTip(reason)
    return sub


def build_cell_menu(
    parent: QWidget,
    person: MatrixPerson,
    account: MatrixAccount,
    cell: MatrixCell | None,
    manage_denial: str | None,
    handlers: CellHandlers,
) -> QMenu:
    """``manage_denial``: why the person may not grant or revoke at all (None if they may)."""
    menu = QMenu(parent)
    menu.setObjectName("permissionsCellMenu")
    menu.setToolTipsVisible(True)
    heading = menu.addAction(f"{person.name} · {account.label}")
    heading.setEnabled(False)
    menu.addSeparator()
    if cell is None:
        reason = manage_denial or grant_denial(person, account)
        grant = _submenu(menu, "&Grant role", "grantMenu", reason)
        # Agency staff are asked for a Business ID, a campaign and an expiry date first.
        ask = "…" if person.kind == PersonKind.AGENCY else ""
        for role in PageRole:
            action = grant.addAction(role_label(role) + ask)
            action.setData(role)
            _permit(
                action, reason or role_denial(person, account, role), f"Grant {role_label(role)}"
            )
            action.triggered.connect(_bind(handlers.grant, person, account, role))
    else:
        change = _submenu(menu, "&Change role to", "changeMenu", manage_denial)
        for role in PageRole:
            if role == cell.role:
                continue
            action = change.addAction(role_label(role))
            action.setData(role)
            _permit(
                action,
                manage_denial or role_denial(person, account, role),
                f"Change to {role_label(role)}",
            )
            action.triggered.connect(_bind(handlers.change, person, account, cell, role))
        revoke = menu.addAction(icon("delete"), "&Revoke access…")
        revoke.setObjectName("revokeAction")
        _permit(revoke, manage_denial, "Revoke this role")
        revoke.triggered.connect(_bind(handlers.revoke, person, account, cell))
    menu.addSeparator()
    open_account = menu.addAction("&Open the account")
    open_account.setObjectName("openAccountAction")
    open_account.triggered.connect(_bind(handlers.open_account, account))
    return menu
