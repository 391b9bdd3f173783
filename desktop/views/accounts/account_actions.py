"""The Accounts tab's actions, each enabled only for a person who may take it on the selected
account (DESIGN §6 and the account lifecycle), with the reason as its tooltip otherwise.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from desktop.enums import AccountStatus
from desktop.services.account_list import AccountRow
from desktop.services.accounts import TRANSITIONS
from desktop.services.authz import Permission, denial
from desktop.services.context import Actor
from desktop.views.accounts.account_table_model import status_text
from desktop.views.icons import icon

SELECT_FIRST = "Select an account first."
LOADING = "The accounts are still loading."
_VERBS = {
    AccountStatus.ACTIVE: "activated",
    AccountStatus.SUSPENDED: "suspended",
    AccountStatus.SHUT_DOWN: "shut down",
}


def _or_list(words: list[str]) -> str:
    return ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else words[0]


def transition_refusal(row: AccountRow, target: AccountStatus) -> str | None:
    """None if the lifecycle lets ``row`` move to ``target``, else the sentence saying why not."""
    if target in TRANSITIONS[row.status]:
        return None
    now = status_text(row.status).lower()
    if row.status == target:
        return f"{row.label} is already {now}."
    sources = [status_text(s).lower() for s in AccountStatus if target in TRANSITIONS[s]]
    text = f"{row.label} is {now}; only {_or_list(sources)} accounts can be {_VERBS[target]}."
    if row.status == AccountStatus.PROPOSED and target == AccountStatus.ACTIVE:
        text += " A proposed account is approved through its new-account approval first."
    return text


def _enable(action: QAction, refusal: str | None, tip: str) -> None:
    action.setEnabled(refusal is None)
    action.setToolTip(refusal or tip)
    action.setStatusTip(refusal or tip)


class AccountActions:
    """The six actions; the tab adds them to its toolbar, table and context menu."""

    def __init__(self, parent: QObject) -> None:
        def make(name: str, text: str, icon_name: str = "") -> QAction:
            action = QAction(icon(icon_name), text, parent)
            action.setObjectName(name)
            return action

        self.propose = make("actionProposeAccount", "Propose account…", "add")
        self.propose.setShortcut(QKeySequence("Ctrl+N"))
        self.propose.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.edit = make("actionEditAccount", "Edit…", "edit")
        self.edit.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        self.edit.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # in the table only
        self.password = make("actionRecordPassword", "Record password change…", "refresh")
        self.activate = make("actionActivateAccount", "Activate")
        self.suspend = make("actionSuspendAccount", "Suspend…")
        self.shut_down = make("actionShutDownAccount", "Shut down…", "delete")
        self.update(None, None, None)

    def for_row(self) -> list[QAction]:
        return [self.edit, self.password, self.activate, self.suspend, self.shut_down]

    def all(self) -> list[QAction]:
        return [self.propose, *self.for_row()]

    def update(self, actor: Actor | None, row: AccountRow | None, blocked: str | None) -> None:
        """Enable what ``actor`` may do to ``row``; ``blocked`` says why nothing can be done."""
        if actor is None or blocked:
            for action in self.all():
                _enable(action, blocked or LOADING, "")
            return
        _enable(
            self.propose,
            denial(actor.roles, Permission.PROPOSE_ACCOUNT),
            "Propose a new official account for approval (Ctrl+N).",
        )
        if row is None:
            for action in self.for_row():
                _enable(action, SELECT_FIRST, "")
            return
        edit = denial(
            actor.roles,
            Permission.EDIT_ACCOUNT,
            actor_ministry=actor.ministry_id,
            target_ministry=row.ministry_id,
        )
        manage = denial(actor.roles, Permission.MANAGE_ACCOUNTS)
        _enable(self.edit, edit, f"Edit the details of {row.label} (Enter).")
        _enable(
            self.password,
            edit,
            f"Record that the password of {row.label} was changed "
            f"(every {row.rotation_days} days).",
        )
        _enable(
            self.activate,
            manage or transition_refusal(row, AccountStatus.ACTIVE),
            f"Make {row.label} active.",
        )
        _enable(
            self.suspend,
            edit or transition_refusal(row, AccountStatus.SUSPENDED),
            f"Suspend {row.label} for now; it can be activated again.",
        )
        _enable(
            self.shut_down,
            manage or transition_refusal(row, AccountStatus.SHUT_DOWN),
            f"Shut {row.label} down for good, with the reason.",
        )
